package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/internal/api"
)

// apiSearchCase is one entry of testdata/api_searches.json: the parameters
// of a GET /api/search and what the answer must hold.
type apiSearchCase struct {
	Comment string            `json:"comment"`
	Params  map[string]string `json:"params"`
	Status  int               `json:"status"`
	Total   *uint64           `json:"total"`
	Page    int               `json:"page"`
	Size    int               `json:"size"`
	Pages   int               `json:"pages"`
	IDs     *[]string         `json:"ids"`      // the exact hits, in order
	First   []string          `json:"first"`    // the first hits, in order
	Must    []string          `json:"must"`     // among the hits
	MustNot []string          `json:"must_not"` // not among the hits
	// SnippetMarks must each appear in <mark> in some snippet.
	SnippetMarks []string `json:"snippet_marks"`
	Pos          *int     `json:"pos"`   // the error body's pos
	Error        string   `json:"error"` // a substring of the error body's message
}

func loadAPISearches(tb testing.TB) []apiSearchCase {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "api_searches.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var cases []apiSearchCase
	if err := json.Unmarshal(b, &cases); err != nil {
		tb.Fatalf("api_searches.json: %v", err)
	}
	return cases
}

func apiTarget(params map[string]string) string {
	v := url.Values{}
	for k, x := range params {
		v.Set(k, x)
	}
	return "/api/search" + queryString(v)
}

// rawTag finds any HTML tag other than <mark> and </mark>.
var rawTag = regexp.MustCompile(`<(?:[^/m]|/[^m]|m[^a]|/m[^a])`)

func TestAPISearchTable(t *testing.T) {
	f := newSearchFixture(t, "")
	for _, tc := range loadAPISearches(t) {
		t.Run(tc.Comment, func(t *testing.T) {
			target := apiTarget(tc.Params)
			resp := f.get(t, target)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.Status {
				t.Fatalf("GET %s: status %d, want %d\n%s", target, resp.StatusCode, tc.Status, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if tc.Status != http.StatusOK {
				var e struct {
					Error string `json:"error"`
					Pos   *int   `json:"pos"`
				}
				if err := json.Unmarshal(body, &e); err != nil {
					t.Fatalf("error body %s: %v", body, err)
				}
				if !strings.Contains(e.Error, tc.Error) {
					t.Errorf("error %q, want it to contain %q", e.Error, tc.Error)
				}
				switch {
				case tc.Pos == nil && e.Pos != nil:
					t.Errorf("pos %d, want none", *e.Pos)
				case tc.Pos != nil && (e.Pos == nil || *e.Pos != *tc.Pos):
					t.Errorf("pos %v, want %d (%s)", e.Pos, *tc.Pos, body)
				}
				return
			}
			var got api.SearchResponse
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("body: %v", err)
			}
			checkSearchResponse(t, tc, got)
		})
	}
}

func checkSearchResponse(t *testing.T, tc apiSearchCase, got api.SearchResponse) {
	t.Helper()
	ids := make([]string, len(got.Hits))
	for i, h := range got.Hits {
		ids[i] = h.ID
	}
	titles := func() string {
		var b strings.Builder
		for _, h := range got.Hits {
			b.WriteString("\n  " + h.ID + " " + h.Title)
		}
		return b.String()
	}
	if tc.Total != nil && got.Total != *tc.Total {
		t.Errorf("total %d, want %d%s", got.Total, *tc.Total, titles())
	}
	if tc.Page != 0 && got.Page != tc.Page {
		t.Errorf("page %d, want %d", got.Page, tc.Page)
	}
	if tc.Size != 0 && got.Size != tc.Size {
		t.Errorf("size %d, want %d", got.Size, tc.Size)
	}
	if tc.Pages != 0 && got.Pages != tc.Pages {
		t.Errorf("pages %d, want %d", got.Pages, tc.Pages)
	}
	if tc.IDs != nil && !slices.Equal(ids, *tc.IDs) {
		t.Errorf("ids %q, want %q%s", ids, *tc.IDs, titles())
	}
	if len(tc.First) > 0 && (len(ids) < len(tc.First) || !slices.Equal(ids[:len(tc.First)], tc.First)) {
		t.Errorf("first ids %q, want %q", ids, tc.First)
	}
	for _, id := range tc.Must {
		if !slices.Contains(ids, id) {
			t.Errorf("%s missing%s", id, titles())
		}
	}
	for _, id := range tc.MustNot {
		if slices.Contains(ids, id) {
			t.Errorf("%s must not match", id)
		}
	}
	for _, m := range tc.SnippetMarks {
		found := false
		for _, h := range got.Hits {
			found = found || strings.Contains(h.Snippet, "<mark>"+strings.Fields(m)[0]+"</mark>")
		}
		if !found {
			t.Errorf("no snippet marks %q", m)
		}
	}
	// Every answer has the whole shape, and no snippet carries source HTML.
	if got.Hits == nil || got.Editions == nil || got.Facets == nil {
		t.Errorf("hits, editions and facets must be arrays, never null")
	}
	for _, h := range got.Hits {
		if rawTag.MatchString(h.Snippet) {
			t.Errorf("%s: snippet carries HTML: %s", h.ID, h.Snippet)
		}
		if h.Edition.Number == 0 || h.Edition.URL == "" || h.Edition.Published.IsZero() || h.URL == "" {
			t.Errorf("%s: incomplete edition reference %+v", h.ID, h.Edition)
		}
	}
	names := []string{}
	for _, fc := range got.Facets {
		names = append(names, fc.Name)
	}
	if !slices.Equal(names, []string{"section", "year", "edition", "org", "source"}) {
		t.Errorf("facets %q", names)
	}
	if got.Links["self"] == "" || got.Links["html"] == "" || got.Links["rss"] == "" {
		t.Errorf("links %v", got.Links)
	}
	if (got.Page < got.Pages) != (got.Links["next"] != "") {
		t.Errorf("page %d of %d, next link %q", got.Page, got.Pages, got.Links["next"])
	}
}

// TestAPISearchEditions checks that the editions whose own text matches
// come back beside the items, with what a page needs to link them.
func TestAPISearchEditions(t *testing.T) {
	f := newSearchFixture(t, "")
	resp := f.get(t, "/api/search?q=%22digital+inclusion%22")
	var got api.SearchResponse
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Editions) == 0 {
		t.Fatal("no editions")
	}
	for _, e := range got.Editions {
		if e.Number == 0 || e.URL == "" || e.Published.IsZero() || e.ItemCount == 0 || e.Source != "lga-cdt" {
			t.Errorf("incomplete edition %+v", e)
		}
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Error("no CORS header: intranet pages cannot call the API")
	}
}

// TestAPISearchLinks checks the links of a response: the same search as the
// API, the page and the feeds, under the base URL.
func TestAPISearchLinks(t *testing.T) {
	f := newSearchFixture(t, "https://example.org/bulletin")
	resp := f.get(t, "/bulletin/api/search?q=budget+OR+cyber&sort=date&size=5&page=2&source=lga-cdt")
	var got api.SearchResponse
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"self": "https://example.org/bulletin/api/search?page=2&q=budget+OR+cyber&size=5&sort=date&source=lga-cdt",
		"prev": "https://example.org/bulletin/api/search?page=1&q=budget+OR+cyber&size=5&sort=date&source=lga-cdt",
		"next": "https://example.org/bulletin/api/search?page=3&q=budget+OR+cyber&size=5&sort=date&source=lga-cdt",
		"html": "https://example.org/bulletin/search?page=2&q=budget+OR+cyber&size=5&sort=date&source=lga-cdt",
		"rss":  "https://example.org/bulletin/search.rss?q=budget+OR+cyber&source=lga-cdt",
		"atom": "https://example.org/bulletin/search.atom?q=budget+OR+cyber&source=lga-cdt",
		"json": "https://example.org/bulletin/search.json?q=budget+OR+cyber&source=lga-cdt",
	}
	for k, w := range want {
		if got.Links[k] != w {
			t.Errorf("links[%s] = %q, want %q", k, got.Links[k], w)
		}
	}
	if len(got.Links) != len(want) {
		t.Errorf("links %v", got.Links)
	}
}

// TestAPISearchFeedLinkKeepsDates checks that the feed of a search bounded
// by from and to holds the same items as the search: the dates become
// after: and before: terms, as feeds take no dates.
func TestAPISearchFeedLinkKeepsDates(t *testing.T) {
	f := newSearchFixture(t, "")
	resp := f.get(t, "/api/search?q=digital&from=2024-03-01&to=2024-11-05&size=100")
	var got api.SearchResponse
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := "http://bulletin.test/search.json?q=digital+after%3A2024-03-01+before%3A2024-11-06"
	if got.Links["json"] != want {
		t.Fatalf("feed link %q, want %q", got.Links["json"], want)
	}
	feedResp := f.get(t, strings.TrimPrefix(want, "http://bulletin.test"))
	var feed struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.NewDecoder(feedResp.Body).Decode(&feed); err != nil {
		t.Fatal(err)
	}
	if got.Total == 0 || len(feed.Items) != int(got.Total) {
		t.Errorf("the feed has %d items, the search %d", len(feed.Items), got.Total)
	}
}
