package parse_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/parse"
	"github.com/lga-digital/bulletin/internal/testenv/lgafixtures"
	"github.com/lga-digital/bulletin/internal/testsite"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixtureBase is the origin the fixture pages are parsed under, so that the
// golden files do not depend on the port of a test server.
const fixtureBase = "https://content.govdelivery.com"

// page is a fixture page as served, with its Content-Type.
type page struct {
	testsite.Fixture
	body        []byte
	contentType string
	url         string
}

// fixturePages fetches every fixture page from the fixture site's handler,
// served as if from content.govdelivery.com.
func fixturePages(t testing.TB) []page {
	t.Helper()
	h := testsite.Handler()
	var out []page
	for _, f := range testsite.Editions() {
		req, err := http.NewRequest(http.MethodGet, fixtureBase+f.Path, nil)
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", f.Path, rec.Code)
		}
		out = append(out, page{Fixture: f, body: rec.Body.Bytes(), contentType: rec.Header().Get("Content-Type"), url: fixtureBase + f.Path})
	}
	return out
}

// goldenEdition is the readable form of a parse pinned in testdata/golden.
type goldenEdition struct {
	ID                string       `json:"id"`
	URL               string       `json:"url"`
	Title             string       `json:"title"`
	Masthead          string       `json:"masthead"`
	Number            int          `json:"number"`
	IssueLine         string       `json:"issue_line"`
	Published         time.Time    `json:"published"`
	DateFromIssueLine bool         `json:"date_from_issue_line,omitempty"`
	Editorial         string       `json:"editorial"`
	EditorialHTML     string       `json:"editorial_html"`
	ItemCount         int          `json:"item_count"`
	Items             []goldenItem `json:"items"`
}

type goldenItem struct {
	ID        string        `json:"id"`
	Position  int           `json:"position"`
	Anchor    string        `json:"anchor"`
	Section   string        `json:"section,omitempty"`
	Title     string        `json:"title"`
	Text      string        `json:"text"` // first 120 characters
	TextLen   int           `json:"text_len"`
	Links     []model.Link  `json:"links,omitempty"`
	Contacts  []string      `json:"contacts,omitempty"`
	Dates     []model.Date  `json:"dates,omitempty"`
	Deadlines []model.Date  `json:"deadlines,omitempty"`
	Events    []model.Event `json:"events,omitempty"`
	Orgs      []string      `json:"orgs,omitempty"`
}

func toGolden(r parse.Result) goldenEdition {
	ed := r.Edition
	g := goldenEdition{
		ID: ed.ID, URL: ed.URL, Title: ed.Title, Masthead: r.Masthead, Number: ed.Number, IssueLine: ed.IssueLine,
		Published: ed.Published, DateFromIssueLine: ed.DateFromIssueLine, Editorial: ed.Editorial,
		EditorialHTML: ed.EditorialHTML, ItemCount: ed.ItemCount,
	}
	for _, it := range r.Items {
		text := []rune(it.Text)
		if len(text) > 120 {
			text = text[:120]
		}
		g.Items = append(g.Items, goldenItem{
			ID: it.ID, Position: it.Position, Anchor: it.Anchor, Section: it.Section, Title: it.Title,
			Text: string(text), TextLen: len([]rune(it.Text)), Links: it.Links, Contacts: it.Contacts,
			Dates: it.Dates, Deadlines: it.Deadlines, Events: it.Events, Orgs: it.Orgs,
		})
	}
	return g
}

func TestGolden(t *testing.T) {
	for _, p := range fixturePages(t) {
		t.Run(p.ID, func(t *testing.T) {
			res, err := parse.Parse(p.body, p.contentType, p.url, lgafixtures.ParseOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(toGolden(res)); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			file := filepath.Join("testdata", "golden", p.ID+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("parse of %s differs from %s (run go test -update and review the diff):\n%s", p.ID, file, firstDiff(want, got))
			}
		})
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + string(w) + "\n  got:  " + string(g)
		}
	}
	return ""
}
