package index_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/model"
)

// TestExpansionCap: a query whose prefixes stand for more than
// index.MaxExpansion indexed words, alone or together, is refused with an
// error saying what to narrow; narrower ones run.
func TestExpansionCap(t *testing.T) {
	ix, err := index.Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// 1,500 distinct words zq0000 … zq1499 over 15 items.
	ed := model.Edition{ID: "e1", Source: "s", URL: "https://example.org/e1", Title: "Words", Published: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}
	var items []model.Item
	for i := range 15 {
		var words []string
		for j := range 100 {
			words = append(words, fmt.Sprintf("zq%04d", i*100+j))
		}
		items = append(items, model.Item{ID: fmt.Sprintf("i%d", i), EditionID: "e1", Source: "s", Title: "Item", Text: strings.Join(words, " "), Published: ed.Published})
	}
	if err := ix.PutEdition(ctx, ed, items); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    string
		want string // in the error; "" = runs
	}{
		{"zq00*", ""},
		{"zq0*", ""}, // exactly 1,000 words
		{"zq*", `the prefix zq* stands for more than 1000 words; make it longer`},
		{"zq0* OR zq1*", "the query's prefixes stand for more than 1000 words together"},
		{"-zq0* -zq1*", "the query's prefixes stand for more than 1000 words together"},
		{"title:zq*", ""}, // the titles hold no such word
		{"zq01* zq02* zq03* zq04* zq05* zq06* zq07* zq08*", ""},
	}
	for _, tt := range tests {
		_, err := ix.Search(ctx, index.Request{Query: tt.q})
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%q: %v", tt.q, err)
		case tt.want != "" && (err == nil || !errors.Is(err, index.ErrInvalidRequest) || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%q: %v, want an invalid request saying %q", tt.q, err, tt.want)
		}
	}
}
