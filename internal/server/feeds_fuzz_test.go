package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/api"
	"github.com/lga-digital/bulletin/internal/model"
)

// fuzzIndex answers every feed query with one edition and one item made of
// the fuzzer's text, and facets naming its section and organisation.
type fuzzIndex struct {
	indexView // nil: the feeds read only what fuzzIndex implements
	ed        model.Edition
	item      model.Item
}

func (f fuzzIndex) Search(_ context.Context, req index.Request) (*index.Result, error) {
	res := &index.Result{Total: 1, Page: max(req.Page, 1), Size: req.Size, Hits: []index.Hit{{Item: f.item, Score: 1}}}
	if req.Facets {
		res.Facets = []index.Facet{
			{Name: "section", Values: []index.FacetValue{{Value: f.item.Section, Count: 1}}},
			{Name: "org", Values: []index.FacetValue{{Value: f.item.Orgs[0], Count: 1}}},
		}
	}
	return res, nil
}

func (f fuzzIndex) Editions(context.Context, string) ([]model.Edition, error) {
	return []model.Edition{f.ed}, nil
}

func (f fuzzIndex) LatestEditions(context.Context, string, int) ([]model.Edition, int, error) {
	return []model.Edition{f.ed}, 1, nil
}

func (f fuzzIndex) EditionItems(context.Context, string) ([]model.Item, error) {
	return []model.Item{f.item}, nil
}

// FuzzFeedHandlers puts arbitrary text in every field of an item and its
// edition (title, text, HTML, section, organisation, link, ids) and an
// arbitrary ?q=, and requests every kind of feed through the HTTP handler:
// each answer must be a 2xx document that still parses (XML strictly and
// with gofeed, JSON Feed, iCalendar with go-ical, OPML) or a 4xx with a
// JSON error body; never a 5xx.
func FuzzFeedHandlers(f *testing.F) {
	for _, seed := range [][5]string{
		{"Cyber “Essentials”", "Plain text.\n\nSecond paragraph, by 29 March 2024.", "<p>Some <b>HTML</b></p>", "Monthly Highlights", "NCSC"},
		{"<script>alert(1)</script>", "]]>", "<![CDATA[ ]]> ]]]]><![CDATA[>", "a&b", `"quoted"`},
		{"\x00\x0b\x1f\x7f", "\xff\xfe\xed\xa0\x80", "\uFFFE\uFFFF", "\r\n\r", "--"},
		{"🎉🛡️", "é;,\\\\n", strings.Repeat("€", 100), "Café Déjà", "AI@Cam"},
		{"?>", "urn:x:y", "https://example.org/a b.pdf", " ", "%zz"},
		{"", "", "", "", ""},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], seed[4], "cyber")
	}
	f.Add("t", "x", "<p>x</p>", "s", "o", `(a OR "b`)
	f.Add("t", "x", "<p>x</p>", "s", "o", "\xff)")

	s, err := New(feedsTestConfig(), nil, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		f.Fatal(err)
	}
	pub := time.Date(2024, 3, 21, 10, 5, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, title, text, html, section, org, q string) {
		ed := model.Edition{ID: "lga-cdt-" + title, Source: feedsTestSource, URL: "http://site.test/b/" + url.PathEscape(title),
			Title: title, IssueLine: org, Published: pub, Editorial: text, EditorialHTML: html, ItemCount: 1}
		it := model.Item{ID: title + text, Source: feedsTestSource, EditionID: ed.ID, EditionURL: ed.URL, EditionTitle: title,
			Published: pub, Position: 1, Anchor: section, Section: section, Title: title, Text: text, HTML: html,
			Links:     []model.Link{{URL: html, Type: "application/pdf", Length: int64(len(text))}, {URL: "http://site.test/" + org + ".pdf"}},
			Deadlines: []model.Date{{Date: "2024-03-29", Text: text}, {Date: title}},
			Events:    []model.Event{{Title: title, Start: pub, End: pub.Add(time.Hour), Place: org}, {Title: org, Start: pub, AllDay: true}},
			Orgs:      []string{org}}
		s.idx, s.feeds = fuzzIndex{ed: ed, item: it}, NewFeedCache()
		enc := url.Values{"q": {q}}.Encode()
		targets := []string{"/opml", "/events.ics?" + enc, "/feeds/lga-cdt/events.ics"}
		for _, ext := range []string{".rss", ".atom", ".json"} {
			targets = append(targets, "/feeds/lga-cdt"+ext+"?"+enc, "/feeds/lga-cdt/editions"+ext+"?summary=1&"+enc,
				"/search"+ext+"?"+enc, "/feeds/lga-cdt/sections/"+url.PathEscape(model.Slug(section))+ext,
				"/feeds/lga-cdt/orgs/"+url.PathEscape(model.Slug(org))+ext+"?"+enc)
		}
		for _, target := range targets {
			req, err := http.NewRequest(http.MethodGet, feedsTestBase+target, nil)
			if err != nil {
				continue // not a request a client could send
			}
			rec := do(t, s, http.MethodGet, req.URL.RequestURI(), nil)
			switch {
			case rec.Code == http.StatusOK:
				checkDoc(t, target, rec.Header().Get("Content-Type"), rec.Body.Bytes())
			case rec.Code >= 400 && rec.Code < 500:
				var body api.Error
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error == "" {
					t.Errorf("%s: %d with body %q", target, rec.Code, rec.Body)
				}
			default:
				t.Errorf("%s: status %d: %s", target, rec.Code, rec.Body)
			}
		}
	})
}
