package index_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/model"
)

// corpusEdition is one edition of testdata/corpus.json with its items.
type corpusEdition struct {
	Edition model.Edition `json:"edition"`
	Items   []model.Item  `json:"items"`
}

// loadCorpus reads testdata/corpus.json; the items there leave out what they
// share with their edition, which is filled in here as the parser would.
func loadCorpus(tb testing.TB) []corpusEdition {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "corpus.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var c struct {
		Editions []corpusEdition `json:"editions"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		tb.Fatalf("corpus.json: %v", err)
	}
	for i := range c.Editions {
		ed := c.Editions[i].Edition
		for j := range c.Editions[i].Items {
			it := &c.Editions[i].Items[j]
			it.Source, it.EditionID, it.EditionURL = ed.Source, ed.ID, ed.URL
			it.EditionNumber, it.EditionTitle, it.Published = ed.Number, ed.Title, ed.Published
			it.Position = j + 1
			it.Anchor = "item-" + it.ID[len(ed.ID)+1:]
			it.HTML = "<p>" + it.Title + "</p>"
		}
	}
	return c.Editions
}

// openCorpus returns an index in a temporary directory holding the corpus.
func openCorpus(tb testing.TB) (*index.Index, []corpusEdition) {
	tb.Helper()
	corpus := loadCorpus(tb)
	ix, err := index.Open(filepath.Join(tb.TempDir(), "idx"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := ix.Close(); err != nil {
			tb.Error(err)
		}
	})
	for _, ce := range corpus {
		if err := ix.PutEdition(context.Background(), ce.Edition, ce.Items); err != nil {
			tb.Fatal(err)
		}
	}
	return ix, corpus
}
