package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// wordQueries are queries with words of the shapes the collector answers,
// beside the benchmark mix's.
var wordQueries = []string{
	"council", "councils digital", `"connected places"`, "procure*", "title:budget", "cyber OR ransomware",
	"ai -webinar", "-webinar", "council section:events", "council -section:events", "council org:ncsc",
	"council source:other", "council edition:3", "council date:1999-01", `"local government" after:1999-01-10`,
	"(council OR digital) -org:ncsc", "the", "e-mail", "nothingmatchesthis",
	// phrases: with stop words between their terms, of stop words only
	// (the plain fields), in the title, in an OR and a NOT, a term twice
	`"call for evidence"`, `"community of practice"`, `"digital and technology"`, `"welcome to the"`,
	`title:"connected places"`, `"call for evidence" OR "connected places"`, `council -"connected places"`,
	`"digital digital"`, `"council council"`,
}

// TestWordsMatchBleve: the collector gives every query with words exactly
// the plain Bleve search's results, scores bit for bit, on all its matches
// (a page holding them all, so that ties need no allowance), with the
// request's source and dates, both sorts, facets and snippets; and it
// answers them itself rather than handing them back to Bleve.
func TestWordsMatchBleve(t *testing.T) {
	t.Parallel()
	ix, _ := catalogCorpus(t)
	ctx := context.Background()
	from := time.Date(1999, 1, 8, 0, 0, 0, 0, time.UTC)
	queries := append(benchMix(t), wordQueries...)
	for _, q := range queries {
		n, err := parse(q)
		if err != nil {
			t.Fatal(err)
		}
		if !hasWords(n) {
			continue
		}
		for _, v := range []Request{
			{Size: MaxSize, Facets: true, Highlight: true},
			{Size: MaxSize, Sort: "date", Facets: true},
			{Size: MaxSize, Source: "other", Facets: true},
			{Size: MaxSize, From: from, To: from.AddDate(0, 0, 10), Facets: true},
			{Size: 3, Page: 2, Sort: "date"},
		} {
			req := v
			req.Query = q
			t.Run(fmt.Sprintf("%q/%+v", q, v), func(t *testing.T) {
				want := searchPlain(t, ix, req)
				page, size := max(req.Page, 1), req.Size
				got, err := ix.searchWords(ctx, req, n, page, size, math.MaxUint64)
				if err != nil {
					t.Fatal(err)
				}
				if got == nil {
					if toBleveIsNone(n) {
						return
					}
					t.Fatal("the collector handed the query back to Bleve")
				}
				for i := range min(len(got.Hits), len(want.Hits)) {
					if got.Hits[i].Score != want.Hits[i].Score {
						t.Fatalf("hit %d: score %v, want %v (bit for bit)", i, got.Hits[i].Score, want.Hits[i].Score)
					}
				}
				sameResult(t, got, want, q)
			})
		}
	}
}

func toBleveIsNone(n node) bool {
	return fmt.Sprintf("%T", toBleve(n)) == "*query.MatchNoneQuery"
}

// TestWordsFollowWrites: after a write adds a segment and changes the
// catalog, the collector's tables are made again and its results still
// equal Bleve's.
func TestWordsFollowWrites(t *testing.T) {
	t.Parallel()
	ix, all := catalogCorpus(t)
	ctx := context.Background()
	req := Request{Query: "council", Size: MaxSize, Facets: true}
	check := func() {
		t.Helper()
		n, _ := parse(req.Query)
		got, err := ix.searchWords(ctx, req, n, 1, MaxSize, math.MaxUint64)
		if err != nil || got == nil {
			t.Fatalf("searchWords = %v, %v", got, err)
		}
		sameResult(t, got, searchPlain(t, ix, req), req.Query)
	}
	check()
	last := all[len(all)-1]
	if err := ix.PutEdition(ctx, last.ed, last.items); err != nil {
		t.Fatal(err)
	}
	check()
	// Replace an edition's items with fewer: deleted documents in old
	// segments must not count.
	first := all[0]
	if err := ix.PutEdition(ctx, first.ed, first.items[:len(first.items)/2]); err != nil {
		t.Fatal(err)
	}
	check()
}

// TestWordsConcurrent runs word searches beside writes (for -race).
func TestWordsConcurrent(t *testing.T) {
	t.Parallel()
	ix, all := catalogCorpus(t)
	ix.SetResultCache(false) // every search maps its matches, none is a cache hit
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				q := []string{"council", "digital inclusion", `"connected places"`, "ai -webinar"}[(w+i)%4]
				if _, err := ix.Search(ctx, Request{Query: q, Facets: true}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	last := all[len(all)-1]
	for i := range 3 {
		items := slices.Clone(last.items)
		items = items[:len(items)-i]
		if err := ix.PutEdition(ctx, last.ed, items); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

// TestTablesConcurrent: searches that find their tables missing (a server's
// first requests, while Warm makes them) make and share them at once.
func TestTablesConcurrent(t *testing.T) {
	t.Parallel()
	ix, _ := catalogCorpus(t)
	c, err := ix.catalog()
	if err != nil {
		t.Fatal(err)
	}
	r, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	snap := r.(*scorch.IndexSnapshot)
	want, _ := ix.tablesFor(c, snap)
	for range 100 {
		ix.tables.mu.Lock()
		ix.tables.seq, ix.tables.bySeg = 0, nil
		ix.tables.mu.Unlock()
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if got, _ := ix.tablesFor(c, snap); !slices.EqualFunc(got, want, slices.Equal) {
					t.Error("tables made concurrently differ from those made alone")
				}
			}()
		}
		close(start)
		wg.Wait()
	}
}

// TestTablesRemap: after writes, the tables carried through the catalog's
// merge equal those made afresh from the segments' document ids, and the
// collector still gives Bleve's results.
func TestTablesRemap(t *testing.T) {
	t.Parallel()
	ix, all := catalogCorpus(t)
	ctx := context.Background()
	search := func() {
		t.Helper()
		if _, err := ix.Search(ctx, Request{Query: "council", Facets: true}); err != nil {
			t.Fatal(err)
		}
	}
	ix.SetResultCache(false)
	search()
	first, last := all[0], all[len(all)-1]
	for i, write := range []func() error{
		func() error { return ix.PutEdition(ctx, last.ed, last.items) },                          // a new edition
		func() error { return ix.PutEdition(ctx, first.ed, first.items[:len(first.items)-2]) },   // one replaced, two items fewer
		func() error { return ix.PutEdition(ctx, last.ed, cloneItems(last.items[1:], last.ed)) }, // again
	} {
		before, err := ix.catalog()
		if err != nil {
			t.Fatal(err)
		}
		if err := write(); err != nil {
			t.Fatal(err)
		}
		c, err := ix.catalog()
		if err != nil {
			t.Fatal(err)
		}
		if c.from != before.seq || c.itemMap == nil {
			t.Fatalf("write %d: the catalog was not merged from the one before", i)
		}
		r, err := ix.reader()
		if err != nil {
			t.Fatal(err)
		}
		snap := r.(*scorch.IndexSnapshot)
		got, _ := ix.tablesFor(c, snap)
		for k, ss := range snap.Segments() {
			if want := c.tableOf(ss.Segment()); !slices.Equal(got[k], want) {
				t.Errorf("write %d, segment %d: remapped table differs from one made afresh", i, k)
			}
		}
		r.Close()
		for _, q := range wordQueries {
			req := Request{Query: q, Size: MaxSize, Facets: true}
			n, _ := parse(q)
			want, err := ix.searchBleve(ctx, req, n, 1, req.Size, math.MaxUint64)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ix.searchWords(ctx, req, n, 1, req.Size, math.MaxUint64)
			if err != nil || got == nil {
				t.Fatalf("write %d, %q: the collector did not answer (%v)", i, q, err)
			}
			if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
				t.Errorf("write %d, %q: total %d, %d hits; Bleve %d, %d", i, q, got.Total, len(got.Hits), want.Total, len(want.Hits))
			}
		}
	}
}
