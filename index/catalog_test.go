package index

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/lga-digital/bulletin/internal/model"
)

// catalogCorpus indexes generated editions (internal/corpus, as the
// benchmarks do) and a few made to catch the catalog's edge cases: a second
// source, an unnumbered edition, undated items, an organisation named twice
// in two cases, two sources sending at the same minute, and archive orders.
// The last generated edition is left out, for a test to add.
func catalogCorpus(t *testing.T) (*Index, []benchEdition) {
	t.Helper()
	all, _ := generatedEditions(t, 11)
	eds := all[:len(all)-1]
	ix, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ctx := context.Background()
	for i, e := range eds {
		ed, items := e.ed, e.items
		if i%4 == 1 { // a second source, sent at the same time as the edition before
			ed.ID, ed.Source, ed.Number, ed.Published = ed.ID+"-other", "Other", ed.Number+1000, eds[i-1].ed.Published
			items = cloneItems(items, ed)
		}
		if i%3 != 0 { // an archive order for some editions (ties of one time follow it)
			ed.Order = int64(100 - i)
			items = cloneItems(items, ed)
		}
		if i == 5 { // unnumbered, undated, orgs written twice
			ed.ID, ed.Number, ed.Published = ed.ID+"-plain", 0, time.Time{}
			items = cloneItems(items, ed)
			for j := range items {
				items[j].Orgs = append(items[j].Orgs, "NCSC", "ncsc")
			}
		}
		if err := ix.PutEdition(ctx, ed, items); err != nil {
			t.Fatal(err)
		}
	}
	return ix, all
}

func cloneItems(items []model.Item, ed model.Edition) []model.Item {
	out := make([]model.Item, len(items))
	for j, it := range items {
		it.ID = ed.ID + "-" + fmt.Sprint(j)
		it.EditionID, it.Source, it.EditionNumber, it.Published, it.EditionOrder = ed.ID, ed.Source, ed.Number, ed.Published, ed.Order
		out[j] = it
	}
	return out
}

// benchMix is the query mix of bench/run.sh.
func benchMix(t testing.TB) []string {
	b, err := os.ReadFile(filepath.Join("..", "bench", "cmd", "benchtool", "queries.json"))
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	if err := json.Unmarshal(b, &qs); err != nil {
		t.Fatal(err)
	}
	return qs
}

// catalogQueries are queries without words of every shape the catalog answers.
var catalogQueries = []string{
	"", "section:events", "org:ncsc", "org:NCSC", "section:events org:ncsc", "section:events OR org:ncsc",
	"-section:events", "NOT org:ncsc", "date:1999", "date:1999-01", "after:1999-01-10 before:1999-01-20",
	"edition:3", "edition:0", "edition:1003", "edition:999999", "source:lga-cdt", "source:other",
	"source:other OR (section:events org:ncsc)", "(section:events OR org:ncsc) source:lga-cdt",
	"section:ev*", "org:n*", "-(section:events OR date:1999-01)", "section:events -org:ncsc",
	`section:"monthly highlights"`, "contact:nobody@example.gov.uk", "org:ncsc OR org:lga OR section:events",
	"-section:events -org:ncsc", "(edition:3 OR edition:4) (source:other OR after:1999-01-02)",
}

// TestCatalogMatchesBleve: every query of the benchmark mix and every shape
// of query without words gives, through Search (catalog and result cache),
// the same total, hits, scores, snippets, facets and editions as the plain
// Bleve search, on every page, sort and filter.
func TestCatalogMatchesBleve(t *testing.T) {
	t.Parallel()
	ix, _ := catalogCorpus(t)
	ctx := context.Background()
	from := time.Date(1999, 1, 8, 0, 0, 0, 0, time.UTC)
	queries := append(benchMix(t), catalogQueries...)
	for _, q := range queries {
		for _, v := range []Request{
			{Facets: true, Highlight: true},
			{Sort: "date", Page: 2, Size: 7, Facets: true},
			{Page: 3, Size: 11, Source: "lga-cdt"},
			{Size: 500, Facets: true},
			{From: from, To: from.AddDate(0, 0, 10), Sort: "date", Facets: true},
		} {
			req := v
			req.Query = q
			t.Run(fmt.Sprintf("%q/%+v", q, v), func(t *testing.T) {
				want := searchPlain(t, ix, req)
				for range 2 { // computed, then from the cache
					got, err := ix.Search(ctx, req)
					if err != nil {
						t.Fatal(err)
					}
					sameResult(t, got, want, q)
				}
			})
		}
	}
}

// TestCatalogFollowsWrites: after editions are replaced, removed items
// dropped and a new edition added, the catalog answers as Bleve does, and a
// catalog built afresh from the index equals the one kept current.
func TestCatalogFollowsWrites(t *testing.T) {
	t.Parallel()
	ix, eds := catalogCorpus(t)
	ctx := context.Background()
	req := Request{Query: "", Facets: true, Size: 500}
	if _, err := ix.Search(ctx, req); err != nil { // builds the catalog
		t.Fatal(err)
	}
	// Edition 3 loses half its items and changes section; a new edition arrives.
	e := eds[2]
	items := e.items[:len(e.items)/2]
	for j := range items {
		items[j].Section = "Renamed section"
	}
	for _, w := range []struct {
		ed    model.Edition
		items []model.Item
	}{{e.ed, items}, {eds[len(eds)-1].ed, eds[len(eds)-1].items}} {
		if err := ix.PutEdition(ctx, w.ed, w.items); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range catalogQueries {
		for _, r := range []Request{{Query: q, Facets: true, Size: 500}, {Query: q, Sort: "date", Size: 20}} {
			got, err := ix.Search(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			sameResult(t, got, searchPlain(t, ix, r), q)
		}
	}
	kept, err := ix.catalog()
	if err != nil {
		t.Fatal(err)
	}
	ix.writeMu.Lock()
	fresh, err := ix.buildCatalog()
	ix.writeMu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	k, f := catRecs(kept), catRecs(fresh)
	if len(k) != len(f) {
		t.Fatalf("catalog kept current has %d records, one built afresh %d", len(k), len(f))
	}
	for i := range k {
		if k[i] != f[i] {
			t.Fatalf("record %d of the catalog kept current:\n%s\nbuilt afresh:\n%s", i, k[i], f[i])
		}
	}
}

// catRecs lists a catalog's records with their values spelt out.
func catRecs(c *catalog) []string {
	var out []string
	name := func(v *catValues, id int32) string {
		if id < 0 {
			return "-"
		}
		return v.names[id]
	}
	for _, recs := range [][]catRec{c.items, c.editions} {
		for _, r := range recs {
			var orgs []string
			for _, o := range c.orgsOf(&r) {
				orgs = append(orgs, c.org.names[o])
			}
			slices.Sort(orgs) // a set
			out = append(out, fmt.Sprintf("%s %v/%d pos=%d no=%d src=%s sec=%s year=%s ed=%s orgs=%s", c.docID(&r),
				r.hasPub, r.published, r.position, r.number, name(&c.source, r.source), name(&c.section, r.section),
				name(&c.year, r.year), name(&c.edition, r.edition), strings.Join(orgs, "|")))
		}
	}
	return out
}

func searchPlain(t *testing.T, ix *Index, req Request) *Result {
	t.Helper()
	page, size := max(req.Page, 1), req.Size
	if size <= 0 {
		size = DefaultSize
	}
	n, err := parse(req.Query)
	if err != nil {
		t.Fatal(err)
	}
	// At a generation that never comes, so that no cached facets are read.
	res, err := ix.searchBleve(context.Background(), req, n, page, min(size, MaxSize), math.MaxUint64)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sameResult compares two results of query q. Hits found by words and
// ranked by score alone may differ where they tie at the end of the page:
// Bleve breaks such ties by the internal order of documents, which segment
// merges change.
func sameResult(t *testing.T, got, want *Result, q string) {
	t.Helper()
	if n, _ := parse(q); hasWords(n) && (want.Page > 1 || len(want.Hits) == want.Size) && len(got.Hits) == len(want.Hits) && len(want.Hits) > 0 {
		last := want.Hits[len(want.Hits)-1].Score
		cut := func(r *Result) *Result {
			c := *r
			c.Hits = slices.DeleteFunc(slices.Clone(r.Hits), func(h Hit) bool { return h.Score == last })
			return &c
		}
		for i := range got.Hits {
			if got.Hits[i].Score != want.Hits[i].Score {
				t.Fatalf("hit %d: score %v, want %v", i, got.Hits[i].Score, want.Hits[i].Score)
			}
		}
		if want.Page > 1 {
			// Ties may straddle the start of the page as well.
			first := want.Hits[0].Score
			got, want = cut(got), cut(want)
			got.Hits = slices.DeleteFunc(got.Hits, func(h Hit) bool { return h.Score == first })
			want.Hits = slices.DeleteFunc(want.Hits, func(h Hit) bool { return h.Score == first })
		} else {
			got, want = cut(got), cut(want)
		}
	}
	if got.Total != want.Total || got.Page != want.Page || got.Size != want.Size {
		t.Fatalf("total/page/size = %d/%d/%d, want %d/%d/%d", got.Total, got.Page, got.Size, want.Total, want.Page, want.Size)
	}
	hits := func(r *Result) []string {
		var s []string
		for _, h := range r.Hits {
			s = append(s, fmt.Sprintf("%s %.12f %s", h.Item.ID, h.Score, h.Snippet))
		}
		return s
	}
	if g, w := hits(got), hits(want); !reflect.DeepEqual(g, w) {
		t.Fatalf("hits:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
	for i := range got.Hits {
		if !reflect.DeepEqual(got.Hits[i].Item, want.Hits[i].Item) {
			t.Fatalf("hit %d: item %+v, want %+v", i, got.Hits[i].Item, want.Hits[i].Item)
		}
	}
	if !reflect.DeepEqual(got.Facets, want.Facets) {
		t.Fatalf("facets:\n%v\nwant:\n%v", got.Facets, want.Facets)
	}
	eds := func(r *Result) []string {
		var s []string
		for _, e := range r.Editions {
			s = append(s, fmt.Sprintf("%s %.12f %s", e.Edition.ID, e.Score, e.Snippet))
		}
		return s
	}
	if g, w := eds(got), eds(want); !reflect.DeepEqual(g, w) {
		t.Fatalf("editions:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
}

// TestEditionsInIndexOfOldFormat: an index made before editions had fields
// of their own keeps finding editions by their words until it is rebuilt.
func TestEditionsInIndexOfOldFormat(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	m := newMapping()
	for _, f := range []string{fEdTitle, fEdText, fEdTitlePlain, fEdTextPlain} {
		delete(m.TypeMapping[typeEdition].Properties, f)
	}
	words := func(dm *mapping.DocumentMapping) {
		fm := mapping.NewTextFieldMapping()
		fm.IncludeTermVectors, fm.IncludeInAll, fm.DocValues = true, false, false
		dm.AddFieldMappingsAt(fTitle, fm)
		dm.AddFieldMappingsAt(fText, fm)
	}
	words(m.TypeMapping[typeEdition])
	bi, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bi.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.edFields != itemFields {
		t.Fatalf("edition fields of an old index = %v, want the items' fields", ix.edFields)
	}
	ed := model.Edition{ID: "old-1", Source: "s", Title: "Bulletin", Editorial: "A word about quokkas."}
	it := model.Item{ID: "old-1-a", EditionID: "old-1", Source: "s", Title: "Item", Text: "Nothing here."}
	if err := ix.PutEdition(context.Background(), ed, []model.Item{it}); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), Request{Query: "quokkas"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Editions) != 1 || res.Editions[0].Edition.ID != "old-1" || res.Total != 0 {
		t.Fatalf("editions %v, total %d; want edition old-1 and no item", res.Editions, res.Total)
	}
}

// TestBulkMatchesPutEdition: an index made by Create and filled by Bulk
// (an edition put twice among them, the second time with fewer items), then
// closed and opened again, holds what one filled by PutEdition holds: what
// Create's index wrote in the background is on disk once Close returns.
func TestBulkMatchesPutEdition(t *testing.T) {
	t.Parallel()
	eds, _ := generatedEditions(t, 8)
	again := eds[3]
	again.items = again.items[:5]
	eds = append(eds, again)
	ctx := context.Background()
	open := func(dir string, create bool) *Index {
		mk := Open
		if create {
			mk = Create
		}
		ix, err := mk(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		return ix
	}
	bulkDir := filepath.Join(t.TempDir(), "idx")
	plain, bulk := open(filepath.Join(t.TempDir(), "idx"), false), open(bulkDir, true)
	for _, e := range eds {
		if err := plain.PutEdition(ctx, e.ed, e.items); err != nil {
			t.Fatal(err)
		}
	}
	w, err := bulk.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range eds {
		if err := w.PutEdition(ctx, e.ed, e.items); err != nil {
			t.Fatal(err)
		}
		if i == 5 { // the crawler may ask what is stored mid-load
			if _, ok, err := w.Edition(ctx, eds[4].ed.ID); err != nil || !ok {
				t.Fatalf("edition %s mid-load: %v, %v", eds[4].ed.ID, ok, err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bulk.Close(); err != nil {
		t.Fatal(err)
	}
	bulk = open(bulkDir, false)
	for _, q := range append(benchMix(t), catalogQueries...) {
		req := Request{Query: q, Size: 500, Facets: true, Sort: "date"}
		want, err := plain.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := bulk.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		sameResult(t, got, want, q)
	}
	ps, err := plain.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := bulk.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ps, bs) {
		t.Errorf("stats after bulk %+v, after PutEdition %+v", bs, ps)
	}
}

// TestEditionsBeyondAPage: Editions lists every edition, in the order of
// one search for all of them, when there are more than its first search
// asks for.
func TestEditionsBeyondAPage(t *testing.T) {
	t.Parallel()
	ix, err := Create(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	w, err := ix.Bulk()
	if err != nil {
		t.Fatal(err)
	}
	const n = 1234
	day := time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range n {
		id := fmt.Sprintf("ed-%04d", i)
		ed := model.Edition{ID: id, Source: "s", Number: i % 7, Title: "Bulletin", Published: day.AddDate(0, 0, i%400)}
		if err := w.PutEdition(context.Background(), ed, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want, total, err := ix.EditionsPage(context.Background(), "s", 0, 2*n)
	if err != nil || total != n || len(want) != n {
		t.Fatalf("EditionsPage: %d of %d, %v; want %d", len(want), total, err, n)
	}
	got, err := ix.Editions(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Editions gave %d editions, not the %d of one search in its order", len(got), len(want))
	}
}

// TestCreateRefusesAnIndex: Create makes a new index only; an index
// already in the directory is left as it is.
func TestCreateRefusesAnIndex(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if ix, err := Create(dir); err == nil {
		ix.Close()
		t.Fatal("Create over an index succeeded")
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatalf("the index after Create refused it: %v", err)
	}
	ix.Close()
}

// TestWarmAfterClose: the server warms the index in the background; if it
// shuts down first, Warm fails instead of reading a closed index.
func TestWarmAfterClose(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Warm(); err == nil {
		t.Fatal("Warm after Close succeeded")
	}
}

// TestTopValues: choosing the facet values keeps the same ones, in the same
// order, as sorting every counted value by count, then name, and cutting.
func TestTopValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, 100, 101, 250, 5000} {
		for _, spread := range []int{1, 3, 1000} {
			var v catValues
			counts := make([]int32, n)
			for i := range n {
				v.id(fmt.Sprintf("v%d", rng.IntN(1_000_000)*n+i))
				if rng.IntN(4) > 0 {
					counts[i] = int32(1 + rng.IntN(spread))
				}
			}
			v.rankNames()
			var want []int32
			for id, c := range counts {
				if c > 0 {
					want = append(want, int32(id))
				}
			}
			slices.SortFunc(want, func(a, b int32) int {
				if c := int(counts[b]) - int(counts[a]); c != 0 {
					return c
				}
				return strings.Compare(v.names[a], v.names[b])
			})
			want = want[:min(len(want), maxFacetValues)]
			if got := topValues(counts, v.rank, maxFacetValues); !slices.Equal(got, want) {
				t.Errorf("%d values, counts up to %d: got %v, want %v", n, spread, got, want)
			}
		}
	}
}
