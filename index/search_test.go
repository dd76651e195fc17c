package index_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/index"
)

// searchCase is one entry of testdata/searches.json: a request and what its
// result must hold, in the manner of bleve's test/tests/*/searches.json.
type searchCase struct {
	Comment string `json:"comment"`
	Request struct {
		Query     string `json:"query"`
		Source    string `json:"source"`
		From      string `json:"from"` // RFC 3339
		To        string `json:"to"`
		Sort      string `json:"sort"`
		Page      int    `json:"page"`
		Size      *int   `json:"size"` // absent: 100, so must/must_not see every match
		Facets    bool   `json:"facets"`
		Highlight bool   `json:"highlight"`
	} `json:"request"`
	Result struct {
		Total       *uint64                       `json:"total"`
		Page        int                           `json:"page"`
		Size        int                           `json:"size"`
		Must        []string                      `json:"must"`     // item ids among the hits
		MustNot     []string                      `json:"must_not"` // item ids not among the hits
		Hits        *[]string                     `json:"hits"`     // the exact hits, in order
		Top         []string                      `json:"top"`      // the first hits, in any order
		Editions    []string                      `json:"editions"` // edition ids among Result.Editions
		EditionsNot []string                      `json:"editions_not"`
		Facets      map[string][]index.FacetValue `json:"facets"` // exact values of the named facets
		Snippets    map[string]struct {
			Contains    []string `json:"contains"`
			NotContains []string `json:"not_contains"`
		} `json:"snippets"`
		Error *struct {
			Pos int    `json:"pos"`
			Msg string `json:"msg"`
		} `json:"error"` // a *SyntaxError
		InvalidRequest bool `json:"invalid_request"` // an error wrapping ErrInvalidRequest
	} `json:"result"`
}

func loadSearches(t *testing.T) []searchCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "searches.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	var cases []searchCase
	if err := dec.Decode(&cases); err != nil {
		t.Fatalf("searches.json: %v", err)
	}
	return cases
}

func TestSearches(t *testing.T) {
	ix, corpus := openCorpus(t)
	known := map[string]bool{}
	for _, ce := range corpus {
		known[ce.Edition.ID] = true
		for _, it := range ce.Items {
			known[it.ID] = true
		}
	}
	for i, tc := range loadSearches(t) {
		name := tc.Request.Query
		if name == "" {
			name = "<empty>"
		}
		t.Run(strings.ReplaceAll(name, "/", "∕"), func(t *testing.T) {
			t.Logf("case %d: %s", i, tc.Comment)
			// An id the corpus lacks would make a must_not pass vacuously.
			for _, ids := range [][]string{tc.Result.Must, tc.Result.MustNot, tc.Result.Top, tc.Result.Editions, tc.Result.EditionsNot, deref(tc.Result.Hits), keys(tc.Result.Snippets)} {
				for _, id := range ids {
					if !known[id] {
						t.Fatalf("searches.json names %q, which is not in the corpus", id)
					}
				}
			}
			req := index.Request{
				Query: tc.Request.Query, Source: tc.Request.Source, Sort: tc.Request.Sort,
				Page: tc.Request.Page, Size: 100, Facets: tc.Request.Facets, Highlight: tc.Request.Highlight,
				From: parseTime(t, tc.Request.From), To: parseTime(t, tc.Request.To),
			}
			if tc.Request.Size != nil {
				req.Size = *tc.Request.Size
			}
			res, err := ix.Search(context.Background(), req)
			want := tc.Result
			switch {
			case want.Error != nil:
				var se *index.SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("error = %v, want a *SyntaxError", err)
				}
				if se.Pos != want.Error.Pos || se.Msg != want.Error.Msg {
					t.Fatalf("error = {%d, %s}, want {%d, %s}", se.Pos, se.Msg, want.Error.Pos, want.Error.Msg)
				}
				return
			case want.InvalidRequest:
				if !errors.Is(err, index.ErrInvalidRequest) {
					t.Fatalf("error = %v, want ErrInvalidRequest", err)
				}
				return
			case err != nil:
				t.Fatal(err)
			}

			var ids []string
			for _, h := range res.Hits {
				ids = append(ids, h.Item.ID)
			}
			if want.Total != nil && res.Total != *want.Total {
				t.Errorf("total = %d, want %d (hits %v)", res.Total, *want.Total, ids)
			}
			if want.Page != 0 && res.Page != want.Page {
				t.Errorf("page = %d, want %d", res.Page, want.Page)
			}
			if want.Size != 0 && res.Size != want.Size {
				t.Errorf("size = %d, want %d", res.Size, want.Size)
			}
			for _, id := range want.Must {
				if !slices.Contains(ids, id) {
					t.Errorf("missing %s; hits %v", id, ids)
				}
			}
			for _, id := range want.MustNot {
				if slices.Contains(ids, id) {
					t.Errorf("unwanted %s; hits %v", id, ids)
				}
			}
			if want.Hits != nil && !slices.Equal(ids, *want.Hits) && !(len(ids) == 0 && len(*want.Hits) == 0) {
				t.Errorf("hits =\n%v\nwant\n%v", ids, *want.Hits)
			}
			if n := len(want.Top); n > 0 {
				top := slices.Clone(ids[:min(n, len(ids))])
				slices.Sort(top)
				wantTop := slices.Sorted(slices.Values(want.Top))
				if !slices.Equal(top, wantTop) {
					t.Errorf("first %d hits = %v, want %v (in any order)", n, ids[:min(n, len(ids))], want.Top)
				}
			}
			var eds []string
			for _, e := range res.Editions {
				eds = append(eds, e.Edition.ID)
			}
			for _, id := range want.Editions {
				if !slices.Contains(eds, id) {
					t.Errorf("editions lack %s; got %v", id, eds)
				}
			}
			for _, id := range want.EditionsNot {
				if slices.Contains(eds, id) {
					t.Errorf("editions hold %s; got %v", id, eds)
				}
			}
			if len(want.Facets) > 0 {
				got := map[string][]index.FacetValue{}
				for _, f := range res.Facets {
					got[f.Name] = f.Values
				}
				for name, values := range want.Facets {
					if !reflect.DeepEqual(got[name], values) {
						t.Errorf("facet %s = %v, want %v", name, got[name], values)
					}
				}
			}
			for _, h := range res.Hits {
				checkSnippet(t, h.Item.ID, h.Snippet, req.Highlight)
				if s, ok := want.Snippets[h.Item.ID]; ok {
					for _, c := range s.Contains {
						if !strings.Contains(h.Snippet, c) {
							t.Errorf("snippet of %s lacks %q:\n%s", h.Item.ID, c, h.Snippet)
						}
					}
					for _, c := range s.NotContains {
						if strings.Contains(h.Snippet, c) {
							t.Errorf("snippet of %s holds %q:\n%s", h.Item.ID, c, h.Snippet)
						}
					}
				}
			}
			for id := range want.Snippets {
				if !slices.Contains(ids, id) {
					t.Errorf("snippet expected for %s, which is not a hit", id)
				}
			}
		})
	}
}

// checkSnippet checks what holds for every snippet: empty unless asked for,
// and otherwise escaped text whose only tags are balanced <mark> pairs.
func checkSnippet(t *testing.T, id, s string, asked bool) {
	t.Helper()
	if !asked {
		if s != "" {
			t.Errorf("snippet of %s without Highlight: %q", id, s)
		}
		return
	}
	if s == "" {
		t.Errorf("empty snippet for %s", id)
	}
	if strings.Count(s, "<mark>") != strings.Count(s, "</mark>") {
		t.Errorf("unbalanced marks in snippet of %s: %q", id, s)
	}
	bare := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
	if strings.ContainsAny(bare, "<>") {
		t.Errorf("snippet of %s holds markup other than <mark>: %q", id, s)
	}
}

func parseTime(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func deref(p *[]string) []string {
	if p == nil {
		return nil
	}
	return *p
}

func keys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
