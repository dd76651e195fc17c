package index_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/lga-digital/bulletin/index"
)

// TestFacetsCachedUntilWrite: a query's facets are the same on every page
// and sort order, served from the cache, and change as soon as an edition
// is written.
func TestFacetsCachedUntilWrite(t *testing.T) {
	ix, corpus := openCorpus(t)
	ctx := context.Background()
	search := func(req index.Request) []index.Facet {
		t.Helper()
		req.Facets = true
		res, err := ix.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return res.Facets
	}
	first := search(index.Request{Query: "council"})
	for _, req := range []index.Request{
		{Query: "council", Page: 2, Size: 3},
		{Query: "council", Sort: "date"},
		{Query: "council", Size: 1},
	} {
		if got := search(req); !reflect.DeepEqual(got, first) {
			t.Errorf("%+v: facets %v, want %v", req, got, first)
		}
	}
	if other := search(index.Request{Query: "council", Source: corpus[0].Edition.Source}); len(corpus) > 1 &&
		corpus[0].Edition.Source != corpus[len(corpus)-1].Edition.Source && reflect.DeepEqual(other, first) {
		t.Error("a narrower source filter returned the unfiltered facets")
	}

	// A new edition whose items all say "council" in a new section.
	ed := corpus[0]
	ed.Edition.ID += "-new"
	ed.Edition.URL += "-new"
	items := ed.Items[:1]
	items[0].ID = ed.Edition.ID + "-x"
	items[0].EditionID, items[0].EditionURL = ed.Edition.ID, ed.Edition.URL
	items[0].Section = "Brand new section"
	items[0].Text = "council council"
	if err := ix.PutEdition(ctx, ed.Edition, items); err != nil {
		t.Fatal(err)
	}
	after := search(index.Request{Query: "council", Page: 2, Size: 3})
	found := false
	for _, f := range after {
		for _, v := range f.Values {
			found = found || (f.Name == "section" && v.Value == "Brand new section")
		}
	}
	if !found {
		t.Errorf("facets after a write still lack the new section: %v", after)
	}
}
