package api

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/model"
)

func TestNewSearchResponse(t *testing.T) {
	pub := time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)
	it := model.Item{ID: "i1", EditionID: "e1", EditionNumber: 19, EditionTitle: "Bulletin 19", EditionURL: "https://example.org/e1",
		Title: "Cyber", Section: "News", Published: pub, Source: "lga"}
	for _, tc := range []struct {
		name      string
		req       index.Request
		res       index.Result
		sort      string
		pages     int
		hits, eds int
	}{
		{"nothing", index.Request{}, index.Result{Page: 1, Size: 20}, "relevance", 0, 0, 0},
		{"one page", index.Request{Query: "cyber", Sort: "date"}, index.Result{Total: 20, Page: 1, Size: 20,
			Hits: []index.Hit{{Item: it, Snippet: "<mark>Cyber</mark>"}}}, "date", 1, 1, 0},
		{"pages rounded up", index.Request{Query: "cyber"}, index.Result{Total: 21, Page: 2, Size: 20,
			Editions: []index.EditionHit{{Edition: model.Edition{ID: "e1", Number: 19}}}}, "relevance", 2, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := NewSearchResponse("https://bulletin.example/x/", tc.req, &tc.res)
			if got.Sort != tc.sort || got.Pages != tc.pages || len(got.Hits) != tc.hits || len(got.Editions) != tc.eds {
				t.Errorf("sort %q pages %d hits %d editions %d; want %q %d %d %d", got.Sort, got.Pages, len(got.Hits), len(got.Editions),
					tc.sort, tc.pages, tc.hits, tc.eds)
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			// Empty lists are [] in the JSON, never null.
			for _, k := range []string{`"hits":[`, `"editions":[`, `"facets":[`} {
				if !strings.Contains(string(b), k) {
					t.Errorf("JSON lacks %s: %s", k, b)
				}
			}
			if tc.hits > 0 {
				h := got.Hits[0]
				if h.URL != "https://bulletin.example/x/items/i1" || h.Edition.URL != "https://bulletin.example/x/editions/e1" ||
					h.Original != it.URL() || h.Edition.Original != it.EditionURL {
					t.Errorf("hit links: %+v", h)
				}
			}
		})
	}
}

func TestQueryError(t *testing.T) {
	_, err := index.ParseQuery("cyber AND")
	se, ok := err.(*index.SyntaxError)
	if !ok {
		t.Fatalf("ParseQuery: %v, want a *SyntaxError", err)
	}
	b, _ := json.Marshal(QueryError(se))
	if want := `{"error":"invalid query: query syntax error at 9: expected a term after \"AND\", found end of query","pos":9}`; string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}
