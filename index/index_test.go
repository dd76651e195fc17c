package index_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/model"
)

var ctx = context.Background()

// state is everything a reader can observe of an index.
type state struct {
	Stats    index.Stats
	Editions []model.Edition
	Items    []model.Item
	Hits     []string
}

func observe(t *testing.T, ix *index.Index, corpus []corpusEdition) state {
	t.Helper()
	var st state
	var err error
	if st.Stats, err = ix.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	if st.Editions, err = ix.Editions(ctx, ""); err != nil {
		t.Fatal(err)
	}
	for _, ce := range corpus {
		for _, it := range ce.Items {
			got, ok, err := ix.Item(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				st.Items = append(st.Items, got)
			}
		}
	}
	for _, q := range []string{"", "councils", "-org:ncsc", "procure*"} {
		res, err := ix.Search(ctx, index.Request{Query: q, Size: index.MaxSize, Highlight: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			st.Hits = append(st.Hits, q+" "+h.Item.ID+" "+h.Snippet)
		}
	}
	return st
}

func TestItemAndEditionRoundTrip(t *testing.T) {
	corpus := loadCorpus(t)
	// Give one item every field so that the round trip covers them all.
	it := &corpus[3].Items[7]
	it.Links = []model.Link{{URL: "https://www.bcs.org/events/leeds", Text: "Register now"}, {URL: "https://example.org/a.pdf", Type: "application/pdf", Length: 12345}}
	it.Contacts = []string{"events@bcs.org"}
	it.Dates = []model.Date{{Date: "2024-04-16", Text: "Tuesday 16 April"}}
	it.Deadlines = []model.Date{{Date: "2024-04-15", Text: "by 15 April"}}
	it.Events = []model.Event{{Title: "Lessons from Leeds", Start: time.Date(2024, 4, 16, 16, 0, 0, 0, time.UTC), End: time.Date(2024, 4, 16, 17, 0, 0, 0, time.UTC), Online: true}}
	corpus[3].Edition.EditorialHTML = "<p>Dear colleague</p>"
	corpus[3].Edition.DateFromIssueLine = true

	ix, err := index.Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, ce := range corpus {
		if err := ix.PutEdition(ctx, ce.Edition, ce.Items); err != nil {
			t.Fatal(err)
		}
	}
	for _, ce := range corpus {
		got, ok, err := ix.Edition(ctx, ce.Edition.ID)
		if err != nil || !ok {
			t.Fatalf("Edition(%s) = %v, %v", ce.Edition.ID, ok, err)
		}
		if !reflect.DeepEqual(got, ce.Edition) {
			t.Errorf("Edition(%s) =\n%+v\nwant\n%+v", ce.Edition.ID, got, ce.Edition)
		}
		for _, want := range ce.Items {
			got, ok, err := ix.Item(ctx, want.ID)
			if err != nil || !ok {
				t.Fatalf("Item(%s) = %v, %v", want.ID, ok, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Item(%s) =\n%+v\nwant\n%+v", want.ID, got, want)
			}
		}
	}
	// An item id is not an edition id and vice versa.
	for _, id := range []string{"missing", corpus[0].Items[0].ID} {
		if _, ok, err := ix.Edition(ctx, id); ok || err != nil {
			t.Errorf("Edition(%q) = %v, %v; want not found", id, ok, err)
		}
	}
	for _, id := range []string{"missing", corpus[0].Edition.ID} {
		if _, ok, err := ix.Item(ctx, id); ok || err != nil {
			t.Errorf("Item(%q) = %v, %v; want not found", id, ok, err)
		}
	}
}

func TestEditionsAndStats(t *testing.T) {
	ix, _ := openCorpus(t)
	ids := func(eds []model.Edition) []string {
		var out []string
		for _, e := range eds {
			out = append(out, e.ID)
		}
		return out
	}
	tests := []struct {
		source string
		want   []string
	}{
		{"", []string{"lga-cdt-3bf5353", "ncsc-news-a1b2c3", "lga-cdt-392f025", "lga-cdt-371d957", "lga-cdt-3615c15", "lga-cdt-35c7dbc"}},
		{"lga-cdt", []string{"lga-cdt-3bf5353", "lga-cdt-392f025", "lga-cdt-371d957", "lga-cdt-3615c15", "lga-cdt-35c7dbc"}},
		{"ncsc-news", []string{"ncsc-news-a1b2c3"}},
		{"no-such-source", nil},
	}
	for _, tt := range tests {
		eds, err := ix.Editions(ctx, tt.source)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(eds); !slices.Equal(got, tt.want) {
			t.Errorf("Editions(%q) = %v, want %v", tt.source, got, tt.want)
		}
	}

	st, err := ix.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := index.Stats{Editions: 6, Items: 28, Sources: []index.SourceStats{
		{Source: "lga-cdt", Editions: 5, Items: 26},
		{Source: "ncsc-news", Editions: 1, Items: 2},
	}}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("Stats = %+v, want %+v", st, want)
	}
}

func TestPutEditionIdempotent(t *testing.T) {
	ix, corpus := openCorpus(t)
	before := observe(t, ix, corpus)
	for _, ce := range corpus {
		if err := ix.PutEdition(ctx, ce.Edition, ce.Items); err != nil {
			t.Fatal(err)
		}
	}
	if after := observe(t, ix, corpus); !reflect.DeepEqual(before, after) {
		t.Errorf("putting the same editions again changed the index:\nbefore %+v\nafter  %+v", before, after)
	}
}

func TestPutEditionReplaces(t *testing.T) {
	ix, corpus := openCorpus(t)
	ce := corpus[3] // edition 19
	removed := ce.Items[4]
	items := slices.Concat(ce.Items[:4], ce.Items[5:])
	items[0].Title = "A skills framework for councils, now final"
	items[0].Text = "The final framework supersedes the draft."
	ed := ce.Edition
	ed.Editorial = "Dear colleague, this edition was corrected after sending."
	ed.ItemCount = len(items)

	if err := ix.PutEdition(ctx, ed, items); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := ix.Item(ctx, removed.ID); ok || err != nil {
		t.Errorf("removed item %s: found=%v err=%v", removed.ID, ok, err)
	}
	got, _, err := ix.Item(ctx, items[0].ID)
	if err != nil || !reflect.DeepEqual(got, items[0]) {
		t.Errorf("changed item = %+v, %v; want %+v", got, err, items[0])
	}
	gotEd, _, err := ix.Edition(ctx, ed.ID)
	if err != nil || !reflect.DeepEqual(gotEd, ed) {
		t.Errorf("changed edition = %+v, %v; want %+v", gotEd, err, ed)
	}
	count := func(q string) (uint64, int) {
		res, err := ix.Search(ctx, index.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total, len(res.Editions)
	}
	for _, tt := range []struct {
		q             string
		items, editns int
	}{
		{`"Minimum Digital Living Standard"`, 0, 0}, // the removed item
		{"supersedes", 1, 0},                        // the changed item's new text
		{`"launched a draft framework"`, 0, 0},      // its old text
		{"corrected", 0, 1},                         // the new editorial
		{`"suite of guidance"`, 0, 0},               // the old editorial
		{"edition:19", 8, 1},
	} {
		if n, e := count(tt.q); n != uint64(tt.items) || e != tt.editns {
			t.Errorf("%s: %d items, %d editions; want %d, %d", tt.q, n, e, tt.items, tt.editns)
		}
	}
	st, err := ix.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Items != 27 || st.Editions != 6 {
		t.Errorf("Stats = %+v, want 27 items in 6 editions", st)
	}

	// An edition emptied of items keeps the edition and loses the items.
	if err := ix.PutEdition(ctx, ed, nil); err != nil {
		t.Fatal(err)
	}
	if n, e := count("edition:19"); n != 0 || e != 1 {
		t.Errorf("after emptying: %d items, %d editions; want 0, 1", n, e)
	}
}

func TestPutEditionRejects(t *testing.T) {
	ix, corpus := openCorpus(t)
	before := observe(t, ix, corpus)
	ce := corpus[0]
	other := corpus[1].Items[0]
	noID := ce.Items[0]
	noID.ID = ""
	emptyEd := ce.Edition
	emptyEd.ID = ""
	tests := []struct {
		name  string
		ed    model.Edition
		items []model.Item
		want  string
	}{
		{"empty edition id", emptyEd, nil, "empty edition id"},
		{"item of another edition", ce.Edition, append(slices.Clone(ce.Items), other), "belongs to edition"},
		{"duplicate item", ce.Edition, append(slices.Clone(ce.Items), ce.Items[0]), "duplicate item id"},
		{"item without id", ce.Edition, []model.Item{noID}, "has no id"},
	}
	for _, tt := range tests {
		err := ix.PutEdition(ctx, tt.ed, tt.items)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want one saying %q", tt.name, err, tt.want)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := ix.PutEdition(cancelled, ce.Edition, ce.Items[:1]); !errors.Is(err, context.Canceled) {
		t.Errorf("PutEdition with a cancelled context: %v", err)
	}
	if _, err := ix.Search(cancelled, index.Request{Query: "councils"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Search with a cancelled context: %v", err)
	}
	if after := observe(t, ix, corpus); !reflect.DeepEqual(before, after) {
		t.Error("a rejected PutEdition changed the index")
	}
}

func TestOpenExisting(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	corpus := loadCorpus(t)
	for _, ce := range corpus {
		if err := ix.PutEdition(ctx, ce.Edition, ce.Items); err != nil {
			t.Fatal(err)
		}
	}
	before := observe(t, ix, corpus)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix, err = index.Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer ix.Close()
	if after := observe(t, ix, corpus); !reflect.DeepEqual(before, after) {
		t.Errorf("reopened index differs:\nbefore %+v\nafter  %+v", before, after)
	}
}

func TestOpenEmptyDirectory(t *testing.T) {
	dir := t.TempDir() // exists, holds nothing
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if st, err := ix.Stats(ctx); err != nil || st.Items != 0 || st.Editions != 0 {
		t.Errorf("Stats of a new index = %+v, %v", st, err)
	}
	res, err := ix.Search(ctx, index.Request{Query: "", Facets: true})
	if err != nil || res.Total != 0 || len(res.Hits) != 0 {
		t.Errorf("Search of a new index = %+v, %v", res, err)
	}
}

func TestOpenLocked(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	first, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()

	// A hang guard, not a timing assertion: Open must return at all.
	done := make(chan error, 1)
	go func() {
		second, err := index.Open(dir)
		if err == nil {
			second.Close()
		}
		done <- err
	}()
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		t.Fatal("Open of a locked index did not return")
	}
	if !errors.Is(err, index.ErrLocked) {
		t.Fatalf("Open of a locked index: %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the directory", err)
	}

	// Once the first closes, the index opens again.
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := index.Open(dir)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	again.Close()
}

func TestOpenBadDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if ix, err := index.Open(dir); err == nil {
		ix.Close()
		t.Error("Open of a directory with a corrupt index_meta.json succeeded")
	} else if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the directory", err)
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if ix, err := index.Open(file); err == nil {
		ix.Close()
		t.Error("Open of a plain file succeeded")
	}
}

func TestConcurrentUse(t *testing.T) {
	ix, corpus := openCorpus(t)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 5 {
				ce := corpus[(i+j)%len(corpus)]
				if i%2 == 0 {
					if err := ix.PutEdition(ctx, ce.Edition, ce.Items); err != nil {
						t.Error(err)
					}
					continue
				}
				if _, err := ix.Search(ctx, index.Request{Query: "councils -ransomware", Facets: true, Highlight: true}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	st, err := ix.Stats(ctx)
	if err != nil || st.Items != 28 {
		t.Errorf("Stats after concurrent puts = %+v, %v", st, err)
	}
}

func TestEditionItems(t *testing.T) {
	ix, corpus := openCorpus(t)
	for _, ce := range corpus {
		got, err := ix.EditionItems(ctx, ce.Edition.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, ce.Items) {
			t.Errorf("EditionItems(%s): %d items, want the %d put, in order", ce.Edition.ID, len(got), len(ce.Items))
		}
	}
	if got, err := ix.EditionItems(ctx, "missing"); err != nil || len(got) != 0 {
		t.Errorf("EditionItems(missing) = %v, %v", got, err)
	}
}

func TestLatestEditionsAgreesWithEditions(t *testing.T) {
	ix, corpus := openCorpus(t)
	ctx := context.Background()
	for _, source := range []string{"", corpus[0].Edition.Source, "no-such-source"} {
		all, err := ix.Editions(ctx, source)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{0, 1, 3, len(all) + 5} {
			got, total, err := ix.LatestEditions(ctx, source, n)
			if err != nil {
				t.Fatal(err)
			}
			want := all[:min(n, len(all))]
			if total != len(all) || len(got) != len(want) {
				t.Fatalf("source %q n %d: %d editions of %d, want %d of %d", source, n, len(got), total, len(want), len(all))
			}
			for i := range want {
				if got[i].ID != want[i].ID {
					t.Errorf("source %q n %d: [%d] = %s, want %s", source, n, i, got[i].ID, want[i].ID)
				}
			}
		}
	}
}
