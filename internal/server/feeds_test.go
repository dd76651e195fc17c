package server

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/mmcdole/gofeed"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/api"
	"github.com/lga-digital/bulletin/internal/feed"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/schedule"
)

const (
	feedsTestBase   = "http://bulletin.test"
	feedsTestSource = "lga-cdt"
)

// feedsTestConfig is a config with the fixture source and one more source
// that has no editions.
func feedsTestConfig() *config.Config {
	return &config.Config{BaseURL: feedsTestBase, Listen: "127.0.0.1:0", Sources: []config.Source{
		{ID: feedsTestSource, Title: "LGA Cyber, Digital and Technology Bulletin", Home: "http://site.test/accounts/UKLGA/bulletins"},
		{ID: "other", Title: "Another bulletin"},
	}}
}

// feedsTestOrigin is the origin the fixture pages of the feed tests are
// parsed as coming from.
const feedsTestOrigin = "http://site.test"

// feedsTestIndex returns the shared, read-only index of the fixture site's
// editions of the series, parsed as a crawl would.
func feedsTestIndex(t testing.TB) *index.Index {
	t.Helper()
	return sharedFixtureIndex(t, feedsTestOrigin)
}

// countingIndex counts the calls that reach the index.
type countingIndex struct {
	*index.Index
	calls atomic.Int64
}

func (c *countingIndex) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	c.calls.Add(1)
	return c.Index.Search(ctx, req)
}

func (c *countingIndex) Editions(ctx context.Context, source string) ([]model.Edition, error) {
	c.calls.Add(1)
	return c.Index.Editions(ctx, source)
}

func (c *countingIndex) LatestEditions(ctx context.Context, source string, n int) ([]model.Edition, int, error) {
	c.calls.Add(1)
	return c.Index.LatestEditions(ctx, source, n)
}

func (c *countingIndex) EditionItems(ctx context.Context, id string) ([]model.Item, error) {
	c.calls.Add(1)
	return c.Index.EditionItems(ctx, id)
}

// fakeScheduler reports fixed statuses.
type fakeScheduler []schedule.Status

func (f fakeScheduler) Status() []schedule.Status { return f }

// feedsTestServer is a server over the fixture index whose handlers
// count their index calls.
func feedsTestServer(t testing.TB, sched Scheduler) (*Server, *countingIndex) {
	t.Helper()
	return feedsTestServerOn(t, feedsTestIndex(t), sched)
}

// feedsTestServerOn is feedsTestServer on an index of the caller's.
func feedsTestServerOn(t testing.TB, idx *index.Index, sched Scheduler) (*Server, *countingIndex) {
	t.Helper()
	s, err := New(feedsTestConfig(), idx, sched, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ci := &countingIndex{Index: idx}
	s.idx = ci
	return s, ci
}

// do sends one request through the server's root handler.
func do(t testing.TB, s *Server, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, feedsTestBase+target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

// checkDoc parses a served document by its media type and fails the test
// when it does not parse: XML strictly (encoding/xml) and with gofeed,
// JSON Feed as JSON and with gofeed, iCalendar with go-ical, OPML as XML.
// It returns the entries' GUIDs of a feed.
func checkDoc(t testing.TB, target, typ string, body []byte) []string {
	t.Helper()
	mt := strings.TrimSpace(strings.Split(typ, ";")[0])
	switch mt {
	case "application/rss+xml", "application/atom+xml", "application/feed+json":
		if mt != "application/feed+json" {
			if err := wellFormed(body); err != nil {
				t.Fatalf("%s: not well-formed XML: %v", target, err)
			}
		} else if !json.Valid(body) {
			t.Fatalf("%s: not JSON", target)
		}
		f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: gofeed: %v", target, err)
		}
		var guids []string
		for _, it := range f.Items {
			guids = append(guids, it.GUID)
		}
		return guids
	case "text/calendar":
		if _, err := ical.NewDecoder(bytes.NewReader(body)).Decode(); err != nil {
			t.Fatalf("%s: go-ical: %v", target, err)
		}
	case "text/css":
	case "text/x-opml", "text/xsl":
		if err := wellFormed(body); err != nil {
			t.Fatalf("%s: not well-formed XML: %v", target, err)
		}
	default:
		t.Fatalf("%s: unexpected media type %q", target, typ)
	}
	return nil
}

// wellFormed reads every token of an XML document.
func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// firstFacet returns the slug of the biggest section and organisation.
func firstFacets(t testing.TB, s *Server) (section, org string) {
	t.Helper()
	for _, k := range []facetKind{sectionFacet, orgFacet} {
		vals, err := s.facetValues(context.Background(), feedsTestSource, k)
		if err != nil || len(vals) == 0 {
			t.Fatalf("%s facet: %v %v", k.facet, vals, err)
		}
		if k == sectionFacet {
			section = vals[0].Slug
		} else {
			org = vals[0].Slug
		}
	}
	return section, org
}

func TestFeedRoutes(t *testing.T) {
	s, _ := feedsTestServer(t, nil)
	section, org := firstFacets(t, s)
	tests := []struct {
		target string
		status int
		typ    string // media type, for 200
		err    string // part of the JSON error, for 4xx
	}{
		{"/feeds/lga-cdt.rss", 200, feed.RSSType, ""},
		{"/feeds/lga-cdt.atom", 200, feed.AtomType, ""},
		{"/feeds/lga-cdt.json", 200, feed.JSONType, ""},
		{"/feeds/lga-cdt.json?summary=1&limit=5", 200, feed.JSONType, ""},
		{"/feeds/lga-cdt/editions.rss", 200, feed.RSSType, ""},
		{"/feeds/lga-cdt/editions.atom?q=ofcom", 200, feed.AtomType, ""},
		{"/feeds/lga-cdt/sections/" + section + ".rss", 200, feed.RSSType, ""},
		{"/feeds/lga-cdt/sections/" + section + ".json?q=digital", 200, feed.JSONType, ""},
		{"/feeds/lga-cdt/orgs/" + org + ".atom", 200, feed.AtomType, ""},
		{"/feeds/lga-cdt/events.ics", 200, feed.ICalType, ""},
		{"/events.ics", 200, feed.ICalType, ""},
		{"/events.ics?q=workshop", 200, feed.ICalType, ""},
		{"/opml", 200, feed.OPMLType, ""},
		{"/feed.css", 200, "text/css; charset=utf-8", ""},
		{"/search.rss?q=cyber", 200, feed.RSSType, ""},
		{"/search.atom?q=cyber&source=lga-cdt", 200, feed.AtomType, ""},
		{"/search.json?q=nothingmatchesthisword", 200, feed.JSONType, ""},
		{"/feeds/other.atom", 200, feed.AtomType, ""},
		{"/feeds/other/events.ics", 200, feed.ICalType, ""},

		{"/feeds/nope.rss", 404, "", `unknown source \"nope\"`},
		{"/feeds/lga-cdt.txt", 404, "", "unknown feed format"},
		{"/feeds/lga-cdt", 404, "", "no such feed"},
		{"/feeds/lga-cdt/editions.xml", 404, "", "unknown feed format"},
		{"/feeds/lga-cdt/other.rss", 404, "", "no such feed"},
		{"/feeds/nope/editions.rss", 404, "", "unknown source"},
		{"/feeds/lga-cdt/sections/no-such-section.rss", 404, "", "no section"},
		{"/feeds/lga-cdt/orgs/no-such-org.json", 404, "", "no organisation"},
		{"/feeds/other/sections/" + section + ".rss", 404, "", "no section"},
		{"/feeds/nope/events.ics", 404, "", "unknown source"},
		{"/search.rss?q=x&source=nope", 404, "", "unknown source"},
		{"/feeds/lga-cdt.rss?limit=0", 400, "", "limit must be a positive integer"},
		{"/feeds/lga-cdt.rss?limit=501", 400, "", "limit must be at most 500"},
		{"/feeds/lga-cdt.rss?limit=ten", 400, "", "limit must be a positive integer"},
		{"/feeds/lga-cdt.atom?page=0", 400, "", "page must be a positive integer"},
		{"/feeds/lga-cdt.atom?page=10001", 400, "", "page must be at most"},
		{"/feeds/lga-cdt.json?summary=maybe", 400, "", "summary must be"},
		{"/feeds/lga-cdt.json?q=%28unclosed", 400, "", "invalid query"},
		{"/feeds/lga-cdt/sections/" + section + ".rss?q=%22open", 400, "", "invalid query"},
		{"/search.rss?q=title%3A", 400, "", "invalid query"},
		{"/events.ics?q=nofield%3Ax", 400, "", "invalid query"},
		{"/feeds/lga-cdt/editions.json?limit=-1", 400, "", "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := do(t, s, http.MethodGet, tt.target, nil)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin %q", got)
			}
			if tt.status != 200 {
				var body api.Error
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || !strings.Contains(rec.Body.String(), tt.err) {
					t.Errorf("error body %s (%v), want it to contain %q", rec.Body, err, tt.err)
				}
				if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
					t.Errorf("error Content-Type %q", rec.Header().Get("Content-Type"))
				}
				return
			}
			if got := rec.Header().Get("Content-Type"); got != tt.typ {
				t.Errorf("Content-Type %q, want %q", got, tt.typ)
			}
			checkDoc(t, tt.target, tt.typ, rec.Body.Bytes())
			if tt.typ == feed.ICalType || tt.typ == feed.OPMLType || strings.Contains(tt.typ, "feed") || strings.Contains(tt.typ, "xml") {
				if rec.Header().Get("ETag") == "" || rec.Header().Get("Last-Modified") == "" {
					t.Errorf("validators missing: %v", rec.Header())
				}
				if !strings.HasPrefix(rec.Header().Get("Cache-Control"), "public, max-age=") {
					t.Errorf("Cache-Control %q", rec.Header().Get("Cache-Control"))
				}
			}
		})
	}
}

func TestFeedConditionalGET(t *testing.T) {
	start := time.Now().UTC().Truncate(time.Second)
	s, _ := feedsTestServer(t, nil)
	for _, target := range []string{"/feeds/lga-cdt.rss", "/feeds/lga-cdt/editions.atom", "/search.json?q=cyber", "/events.ics", "/opml"} {
		t.Run(target, func(t *testing.T) {
			first := do(t, s, http.MethodGet, target, nil)
			etag, lm := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
			if first.Code != 200 || etag == "" || lm == "" {
				t.Fatalf("first: %d etag %q last-modified %q", first.Code, etag, lm)
			}
			modtime, err := http.ParseTime(lm)
			if err != nil {
				t.Fatal(err)
			}
			// First rendered now: dated now, not by its newest entry.
			if modtime.Before(start) || modtime.After(time.Now()) {
				t.Errorf("Last-Modified %s is not the time of the first rendering (test began %s)", lm, start)
			}
			for _, c := range []struct {
				name   string
				hdr    map[string]string
				status int
			}{
				{"If-None-Match", map[string]string{"If-None-Match": etag}, 304},
				{"If-None-Match list", map[string]string{"If-None-Match": `"nope", ` + etag}, 304},
				{"If-None-Match other", map[string]string{"If-None-Match": `"nope"`}, 200},
				{"If-Modified-Since same", map[string]string{"If-Modified-Since": lm}, 304},
				{"If-Modified-Since later", map[string]string{"If-Modified-Since": modtime.Add(time.Hour).Format(http.TimeFormat)}, 304},
				{"If-Modified-Since earlier", map[string]string{"If-Modified-Since": modtime.Add(-time.Second).Format(http.TimeFormat)}, 200},
			} {
				rec := do(t, s, http.MethodGet, target, c.hdr)
				if rec.Code != c.status {
					t.Errorf("%s: status %d, want %d", c.name, rec.Code, c.status)
				}
				if c.status == 304 && (rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag) {
					t.Errorf("%s: 304 with body %d bytes, ETag %q", c.name, rec.Body.Len(), rec.Header().Get("ETag"))
				}
				if c.status == 200 && !bytes.Equal(rec.Body.Bytes(), first.Body.Bytes()) {
					t.Errorf("%s: a second rendering differs from the first", c.name)
				}
			}
			head := do(t, s, http.MethodHead, target, nil)
			if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("ETag") != etag {
				t.Errorf("HEAD: %d, %d bytes, ETag %q", head.Code, head.Body.Len(), head.Header().Get("ETag"))
			}
		})
	}
}

// feedGUIDs fetches a feed and returns its entries' GUIDs as gofeed reads them.
func feedGUIDs(t testing.TB, s *Server, target string) []string {
	t.Helper()
	rec := do(t, s, http.MethodGet, target, nil)
	if rec.Code != 200 {
		t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	return checkDoc(t, target, rec.Header().Get("Content-Type"), rec.Body.Bytes())
}

func TestFeedGUIDsAgreeAcrossFormats(t *testing.T) {
	s, _ := feedsTestServer(t, nil)
	section, org := firstFacets(t, s)
	for _, p := range []string{"/feeds/lga-cdt", "/feeds/lga-cdt/editions", "/feeds/lga-cdt/sections/" + section,
		"/feeds/lga-cdt/orgs/" + org, "/search"} {
		t.Run(p, func(t *testing.T) {
			q := "?limit=500"
			if p == "/search" {
				q += "&q=digital"
			}
			rss := feedGUIDs(t, s, p+".rss"+q)
			if len(rss) == 0 {
				t.Fatal("no entries")
			}
			if n := len(slices.Compact(slices.Sorted(slices.Values(rss)))); n != len(rss) {
				t.Errorf("%d GUIDs, %d distinct", len(rss), n)
			}
			for _, ext := range []string{".atom", ".json"} {
				if got := feedGUIDs(t, s, p+ext+q); !slices.Equal(got, rss) {
					t.Errorf("%s GUIDs differ from RSS:\n%q\n%q", ext, got, rss)
				}
			}
			for _, g := range rss {
				if !strings.HasPrefix(g, "urn:bulletin:") {
					t.Errorf("GUID %q is not a bulletin URN", g)
				}
			}
		})
	}
}

// nextLink returns the rel="next" link of an Atom feed.
func nextLink(t testing.TB, body []byte) string {
	t.Helper()
	var doc struct {
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	for _, l := range doc.Links {
		if l.Rel == "next" {
			return l.Href
		}
	}
	return ""
}

func TestFeedPagingAndFilters(t *testing.T) {
	s, _ := feedsTestServer(t, nil)
	section, _ := firstFacets(t, s)
	for _, tt := range []struct{ path, query string }{
		{"/feeds/lga-cdt.atom", ""},
		{"/feeds/lga-cdt.atom", "q=digital"},
		{"/feeds/lga-cdt/editions.atom", ""},
		{"/feeds/lga-cdt/sections/" + section + ".atom", ""},
		{"/search.atom", "q=council+OR+cyber"},
	} {
		t.Run(tt.path+"?"+tt.query, func(t *testing.T) {
			all := feedGUIDs(t, s, tt.path+"?limit=500&"+tt.query)
			if len(all) < 3 {
				t.Fatalf("only %d entries; the test needs more than a page", len(all))
			}
			// Follow rel="next" from the first page of 2 to the end.
			var paged []string
			target := tt.path + "?limit=2&utm_source=x&" + tt.query
			for pages := 0; target != ""; pages++ {
				if pages > len(all) {
					t.Fatal("paging does not end")
				}
				rec := do(t, s, http.MethodGet, target, nil)
				guids := checkDoc(t, target, rec.Header().Get("Content-Type"), rec.Body.Bytes())
				if len(guids) == 0 || len(guids) > 2 {
					t.Fatalf("%s: %d entries", target, len(guids))
				}
				paged = append(paged, guids...)
				next := nextLink(t, rec.Body.Bytes())
				if next == "" {
					break
				}
				u, err := url.Parse(next)
				if err != nil || !strings.HasPrefix(next, feedsTestBase) || u.Query().Has("utm_source") {
					t.Fatalf("next link %q", next)
				}
				target = u.RequestURI()
			}
			if !slices.Equal(paged, all) {
				t.Errorf("pages hold\n%q\nthe whole feed\n%q", paged, all)
			}
			limited := feedGUIDs(t, s, tt.path+"?limit=1&"+tt.query)
			if len(limited) != 1 || limited[0] != all[0] {
				t.Errorf("limit=1: %q", limited)
			}
		})
	}

	// ?q= keeps exactly the items the search finds.
	res, err := s.idx.Search(context.Background(), index.Request{Query: "ofcom", Source: feedsTestSource, Size: 500})
	if err != nil || res.Total == 0 {
		t.Fatalf("search: %v %v", res, err)
	}
	var want []string
	for _, h := range res.Hits {
		want = append(want, feed.FromItem(s.site, h.Item, false).ID)
	}
	got := feedGUIDs(t, s, "/feeds/lga-cdt.json?q=ofcom")
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("?q=ofcom: %q, want %q", got, want)
	}
	// The editions feed with ?q= keeps the editions holding a match.
	eds := feedGUIDs(t, s, "/feeds/lga-cdt/editions.json?q=ofcom")
	all := feedGUIDs(t, s, "/feeds/lga-cdt/editions.json")
	if len(eds) == 0 || len(eds) >= len(all) {
		t.Errorf("editions with ofcom: %d of %d", len(eds), len(all))
	}
}

func TestFeedCache(t *testing.T) {
	s, ci := feedsTestServer(t, nil)
	get := func(target string) *httptest.ResponseRecorder {
		t.Helper()
		rec := do(t, s, http.MethodGet, target, nil)
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		return rec
	}
	targets := []string{"/feeds/lga-cdt.rss", "/feeds/lga-cdt/editions.json", "/search.atom?q=cyber", "/events.ics", "/opml",
		"/feeds/lga-cdt/events.ics", "/feeds/other.json"}
	first := map[string][]byte{}
	for _, target := range targets {
		before := ci.calls.Load()
		first[target] = get(target).Body.Bytes()
		if ci.calls.Load() == before {
			t.Errorf("%s: first request did not read the index", target)
		}
	}
	// Repeats, with the query written differently, are served from memory.
	before := ci.calls.Load()
	for _, target := range targets {
		if rec := get(target); !bytes.Equal(rec.Body.Bytes(), first[target]) {
			t.Errorf("%s: cached bytes differ", target)
		}
	}
	get("/search.atom?utm_campaign=x&q=cyber")
	get("/feeds/lga-cdt.rss?q=")
	do(t, s, http.MethodGet, "/feeds/lga-cdt.rss", map[string]string{"If-None-Match": `"x"`})
	if n := ci.calls.Load() - before; n != 0 {
		t.Errorf("repeated requests made %d index calls, want 0", n)
	}

	// A crawl of "other" drops its feeds and those of every source, not lga-cdt's own.
	s.InvalidateSource("other")
	before = ci.calls.Load()
	get("/feeds/lga-cdt.rss")
	get("/feeds/lga-cdt/editions.json")
	if n := ci.calls.Load() - before; n != 0 {
		t.Errorf("lga-cdt feeds re-rendered after a change to another source (%d calls)", n)
	}
	for _, target := range []string{"/feeds/other.json", "/search.atom?q=cyber", "/events.ics", "/opml"} {
		before = ci.calls.Load()
		get(target)
		if ci.calls.Load() == before {
			t.Errorf("%s: not rendered again after its source changed", target)
		}
	}
	s.InvalidateSource(feedsTestSource)
	before = ci.calls.Load()
	if rec := get("/feeds/lga-cdt.rss"); ci.calls.Load() == before || !bytes.Equal(rec.Body.Bytes(), first["/feeds/lga-cdt.rss"]) {
		t.Errorf("after invalidation: %d calls; same bytes %v", ci.calls.Load()-before, bytes.Equal(rec.Body.Bytes(), first["/feeds/lga-cdt.rss"]))
	}
	// Errors are not cached.
	before = ci.calls.Load()
	do(t, s, http.MethodGet, "/feeds/lga-cdt/sections/none.rss", nil)
	do(t, s, http.MethodGet, "/feeds/lga-cdt/sections/none.rss", nil)
	if n := ci.calls.Load() - before; n != 2 {
		t.Errorf("a 404 was cached: %d calls, want 2", n)
	}
}

func TestFeedCacheBoundsAndGenerations(t *testing.T) {
	c := NewFeedCache()
	doc := func(scope string, n int) *rendered {
		d := newRendered(bytes.Repeat([]byte("x"), n), "text/plain", time.Time{})
		d.scope = scope
		return d
	}
	// A render that began before an invalidation is not kept.
	gen := c.generation("a")
	c.InvalidateSource("a")
	c.put("k", gen, doc("a", 1))
	if _, ok := c.get("k"); ok {
		t.Error("a stale render was cached")
	}
	genAll := c.generation("")
	c.InvalidateSource("b")
	c.put("all", genAll, doc("", 1))
	if _, ok := c.get("all"); ok {
		t.Error("a stale all-sources render was cached")
	}
	c.put("k", c.generation("a"), doc("a", 1))
	if _, ok := c.get("k"); !ok {
		t.Error("a fresh render was not cached")
	}
	// The number of entries and their bytes stay bounded.
	for i := range feedCacheEntries + 10 {
		c.put(string(rune('A'+i%26))+strings.Repeat("k", i), c.generation("a"), doc("a", 10))
	}
	if n := c.len(); n != feedCacheEntries {
		t.Errorf("%d entries, want %d", n, feedCacheEntries)
	}
	for i := range 8 {
		c.put(strings.Repeat("big", i+1), c.generation("a"), doc("a", feedCacheBytes/5))
	}
	if c.size > feedCacheBytes {
		t.Errorf("%d bytes cached, bound %d", c.size, feedCacheBytes)
	}
}

func TestFeedMaxAge(t *testing.T) {
	now := time.Date(2024, 3, 21, 6, 0, 0, 0, time.UTC)
	st := func(src string, next time.Duration, running bool) schedule.Status {
		s := schedule.Status{Source: src, Running: running}
		if next != 0 {
			s.Next = now.Add(next)
		}
		return s
	}
	for _, tt := range []struct {
		name  string
		sched Scheduler
		scope string
		want  time.Duration
	}{
		{"no scheduler", nil, "a", noScheduleMaxAge},
		{"no schedule", fakeScheduler{st("a", 0, false)}, "a", noScheduleMaxAge},
		{"next in 2h", fakeScheduler{st("a", 2*time.Hour, false)}, "a", 2 * time.Hour},
		{"next in a minute", fakeScheduler{st("a", time.Minute, false)}, "a", minFeedMaxAge},
		{"next overdue", fakeScheduler{st("a", -time.Minute, false)}, "a", minFeedMaxAge},
		{"next in 2 days", fakeScheduler{st("a", 48*time.Hour, false)}, "a", maxFeedMaxAge},
		{"running", fakeScheduler{st("a", 2*time.Hour, true)}, "a", minFeedMaxAge},
		{"other source", fakeScheduler{st("a", 2*time.Hour, false), st("b", 20*time.Minute, false)}, "a", 2 * time.Hour},
		{"every source: soonest", fakeScheduler{st("a", 2*time.Hour, false), st("b", 20*time.Minute, false)}, "", 20 * time.Minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{sched: tt.sched}
			if got := s.maxAge(tt.scope, now); got != tt.want {
				t.Errorf("maxAge = %v, want %v", got, tt.want)
			}
		})
	}
	// The header follows the schedule.
	s, _ := feedsTestServer(t, fakeScheduler{{Source: feedsTestSource, Next: time.Now().Add(48 * time.Hour)}})
	if got := do(t, s, http.MethodGet, "/feeds/lga-cdt.rss", nil).Header().Get("Cache-Control"); got != "public, max-age=21600" {
		t.Errorf("Cache-Control %q", got)
	}
}

func TestFeedCORS(t *testing.T) {
	s, _ := feedsTestServer(t, nil)
	pre := do(t, s, http.MethodOptions, "/feeds/lga-cdt.json", map[string]string{
		"Origin": "https://intranet.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match"})
	if pre.Code != http.StatusNoContent || pre.Header().Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(pre.Header().Get("Access-Control-Allow-Methods"), "GET") ||
		!strings.Contains(pre.Header().Get("Access-Control-Allow-Headers"), "If-None-Match") {
		t.Errorf("preflight: %d %v", pre.Code, pre.Header())
	}
	if pre := do(t, s, http.MethodOptions, "/api/search", map[string]string{"Origin": "https://intranet.example",
		"Access-Control-Request-Method": "GET"}); pre.Code != http.StatusNoContent || pre.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("preflight of /api/search: %d %v", pre.Code, pre.Header())
	}
	for _, target := range []string{"/feeds/lga-cdt.json", "/api/search?q=cyber", "/api/editions", "/api/items/nope", "/opml", "/events.ics", "/search.rss?q=%28",
		"/api/status", "/api/openapi.json", "/embed.js", "/feed.css"} {
		rec := do(t, s, http.MethodGet, target, map[string]string{"Origin": "https://intranet.example"})
		if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s (%d): no CORS header", target, rec.Code)
		}
		if rec.Header().Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("%s: credentials allowed", target)
		}
	}
	for _, target := range []string{"/search?q=cyber", "/status", "/"} {
		if rec := do(t, s, http.MethodGet, target, nil); rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("the HTML page %s carries a CORS header", target)
		}
	}
}

func TestFeedInBrowser(t *testing.T) {
	s, _ := feedsTestServer(t, nil)
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
	for _, ext := range []string{"rss", "atom"} {
		target := "/feeds/lga-cdt." + ext
		reader := do(t, s, http.MethodGet, target, map[string]string{"Accept": "application/" + ext + "+xml, application/xml;q=0.9, */*;q=0.5"})
		page := do(t, s, http.MethodGet, target, map[string]string{"Accept": browser})
		if !strings.HasPrefix(reader.Header().Get("Content-Type"), "application/"+ext+"+xml") {
			t.Errorf("%s for a reader: %q", ext, reader.Header().Get("Content-Type"))
		}
		if page.Header().Get("Content-Type") != "application/xml; charset=utf-8" {
			t.Errorf("%s for a browser: %q", ext, page.Header().Get("Content-Type"))
		}
		if page.Header().Get("ETag") == reader.Header().Get("ETag") || !bytes.Equal(page.Body.Bytes(), reader.Body.Bytes()) {
			t.Errorf("%s: the two variants must share bytes and differ in ETag", ext)
		}
		if !strings.Contains(page.Header().Get("Vary"), "Accept") {
			t.Errorf("%s: Vary %q", ext, page.Header().Get("Vary"))
		}
		pi := `<?xml-stylesheet type="text/css" href="` + feedsTestBase + `/feed.css"?>`
		if !bytes.Contains(page.Body.Bytes(), []byte(pi)) || bytes.Contains(page.Body.Bytes(), []byte("xsl")) {
			t.Errorf("%s: no %s, or XSL named", ext, pi)
		}
	}
	if rec := do(t, s, http.MethodGet, "/feed.xsl", nil); rec.Code != http.StatusNotFound {
		t.Errorf("/feed.xsl: %d, want 404: no XSLT any more", rec.Code)
	}
	// JSON Feed: shown as JSON rather than downloaded, the same bytes.
	reader := do(t, s, http.MethodGet, "/feeds/lga-cdt.json", nil)
	page := do(t, s, http.MethodGet, "/feeds/lga-cdt.json", map[string]string{"Accept": browser})
	if reader.Header().Get("Content-Type") != feed.JSONType || page.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("JSON for a reader %q, for a browser %q", reader.Header().Get("Content-Type"), page.Header().Get("Content-Type"))
	}
	if !bytes.Equal(page.Body.Bytes(), reader.Body.Bytes()) || page.Header().Get("ETag") == reader.Header().Get("ETag") {
		t.Errorf("JSON: the two variants must share bytes and differ in ETag")
	}
}

func TestFeedEvents(t *testing.T) {
	s, _ := feedsTestServer(t, nil)
	var want []string
	res, err := s.idx.Search(context.Background(), index.Request{Size: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		for _, ev := range feed.EventsFromItem(s.site, h.Item) {
			want = append(want, ev.UID)
		}
	}
	if len(want) == 0 {
		t.Fatal("the fixture items have no events or deadlines")
	}
	for _, target := range []string{"/events.ics", "/feeds/lga-cdt/events.ics"} {
		rec := do(t, s, http.MethodGet, target, nil)
		cal, err := ical.NewDecoder(bytes.NewReader(rec.Body.Bytes())).Decode()
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		var got []string
		for _, ev := range cal.Events() {
			uid, err := ev.Props.Text(ical.PropUID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ev.DateTimeStart(time.UTC); err != nil {
				t.Errorf("%s: %s: DTSTART: %v", target, uid, err)
			}
			got = append(got, uid)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: UIDs\n%q\nwant\n%q", target, got, want)
		}
	}
	// An empty calendar still parses.
	rec := do(t, s, http.MethodGet, "/feeds/other/events.ics", nil)
	if _, err := ical.NewDecoder(bytes.NewReader(rec.Body.Bytes())).Decode(); err != nil {
		t.Errorf("empty calendar: %v\n%s", err, rec.Body)
	}
}

func TestOPMLListsEveryFeed(t *testing.T) {
	s, _ := feedsTestServer(t, nil)
	rec := do(t, s, http.MethodGet, "/opml", nil)
	var doc struct {
		Version string `xml:"version,attr"`
		Body    struct {
			Outlines []opmlTestOutline `xml:"outline"`
		} `xml:"body"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc.Version != "2.0" {
		t.Fatalf("opml: %v, version %q", err, doc.Version)
	}
	var urls []string
	var walk func([]opmlTestOutline)
	walk = func(os []opmlTestOutline) {
		for _, o := range os {
			if o.Text == "" {
				t.Errorf("outline without text: %+v", o)
			}
			if o.XMLURL != "" {
				urls = append(urls, o.XMLURL)
			}
			walk(o.Children)
		}
	}
	walk(doc.Body.Outlines)
	sections, _ := s.facetValues(context.Background(), feedsTestSource, sectionFacet)
	orgs, _ := s.facetValues(context.Background(), feedsTestSource, orgFacet)
	// Articles and editions of both sources, and every section and organisation.
	if want := 4 + len(sections) + len(orgs); len(urls) != want {
		t.Errorf("%d feeds listed, want %d: %q", len(urls), want, urls)
	}
	for _, u := range urls {
		p, err := url.Parse(u)
		if err != nil || !strings.HasPrefix(u, feedsTestBase+"/feeds/") {
			t.Errorf("feed URL %q", u)
			continue
		}
		for _, ext := range []string{".rss", ".atom", ".json"} {
			target := strings.TrimSuffix(p.EscapedPath(), path.Ext(p.Path)) + ext
			if rec := do(t, s, http.MethodGet, target, nil); rec.Code != 200 {
				t.Errorf("%s: %d %s", target, rec.Code, rec.Body)
			}
		}
	}
}

type opmlTestOutline struct {
	Text     string            `xml:"text,attr"`
	XMLURL   string            `xml:"xmlUrl,attr"`
	Children []opmlTestOutline `xml:"outline"`
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Monthly Highlights":    "monthly-highlights",
		"  Events & Webinars! ": "events-webinars",
		"NCSC":                  "ncsc",
		"AI@Cam":                "ai-cam",
		"Café 2024":             "café-2024",
		"---":                   "",
	} {
		if got := model.Slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFeedCacheConcurrent serves feeds from many goroutines while crawls
// invalidate them; run with -race it checks the cache's locking, and every
// answer must be the one document of its URL.
func TestFeedCacheConcurrent(t *testing.T) {
	s, _ := feedsTestServer(t, nil)
	targets := []string{"/feeds/lga-cdt.rss", "/feeds/lga-cdt/editions.json", "/search.atom?q=cyber", "/events.ics", "/opml"}
	want := map[string][]byte{}
	for _, target := range targets {
		want[target] = do(t, s, http.MethodGet, target, nil).Body.Bytes()
	}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for i := range 15 {
				target := targets[(g+i)%len(targets)]
				rec := do(t, s, http.MethodGet, target, nil)
				if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), want[target]) {
					t.Errorf("%s: %d, %d bytes differ from the first answer", target, rec.Code, rec.Body.Len())
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 20 {
			s.InvalidateSource([]string{feedsTestSource, "other"}[i%2])
		}
	})
	wg.Wait()
}

// TestFeedOlderEntryAdded: a crawl adds an edition older than every other
// (a back-filled archive) after a client's first fetch. The client that
// sends only If-Modified-Since with the Last-Modified it was given must get
// the new document with the new entry, not a 304; one that sends the new
// validators gets 304 again.
func TestFeedOlderEntryAdded(t *testing.T) {
	s, idx := feedsTestServerOn(t, newFixtureIndex(t, feedsTestOrigin), nil) // it adds an edition
	targets := []string{"/feeds/lga-cdt.rss?limit=500", "/feeds/lga-cdt.atom?limit=500", "/feeds/lga-cdt.json?limit=500",
		"/feeds/lga-cdt/editions.atom?limit=500", "/search.rss?q=backfilled&limit=500", "/events.ics", "/feeds/lga-cdt/events.ics"}
	first := map[string]*httptest.ResponseRecorder{}
	for _, target := range targets {
		rec := do(t, s, http.MethodGet, target, nil)
		if rec.Code != 200 {
			t.Fatalf("%s: %d", target, rec.Code)
		}
		first[target] = rec
	}

	old := time.Date(2019, 1, 10, 9, 0, 0, 0, time.UTC)
	ed := model.Edition{ID: "lga-cdt-backfilled", Source: feedsTestSource, URL: "http://site.test/accounts/UKLGA/bulletins/backfilled",
		Title: "A back-filled edition", Published: old, ItemCount: 1}
	it := model.Item{ID: "lga-cdt-backfilled-1", Source: feedsTestSource, EditionID: ed.ID, EditionURL: ed.URL, EditionTitle: ed.Title,
		Published: old, Position: 1, Title: "Backfilled webinar on cyber", Text: "A backfilled webinar.",
		HTML: "<p>A backfilled webinar.</p>", Events: []model.Event{{Title: "Backfilled webinar", Start: old.AddDate(0, 0, 7)}}}
	if err := idx.PutEdition(context.Background(), ed, []model.Item{it}); err != nil {
		t.Fatal(err)
	}
	s.InvalidateSource(feedsTestSource)

	for _, target := range targets {
		t.Run(target, func(t *testing.T) {
			lm := first[target].Header().Get("Last-Modified")
			rec := do(t, s, http.MethodGet, target, map[string]string{"If-Modified-Since": lm})
			if rec.Code != 200 {
				t.Fatalf("If-Modified-Since %s alone: status %d, want 200 with the new entry", lm, rec.Code)
			}
			if !strings.Contains(rec.Body.String(), "ackfilled") {
				t.Errorf("the answer lacks the back-filled entry")
			}
			if rec.Header().Get("ETag") == first[target].Header().Get("ETag") || rec.Header().Get("Last-Modified") == lm {
				t.Errorf("validators did not change: ETag %s, Last-Modified %s", rec.Header().Get("ETag"), rec.Header().Get("Last-Modified"))
			}
			again := do(t, s, http.MethodGet, target, map[string]string{"If-Modified-Since": rec.Header().Get("Last-Modified")})
			if again.Code != 304 {
				t.Errorf("with the new Last-Modified: %d, want 304", again.Code)
			}
			if again := do(t, s, http.MethodGet, target, map[string]string{"If-None-Match": rec.Header().Get("ETag")}); again.Code != 304 {
				t.Errorf("with the new ETag: %d, want 304", again.Code)
			}
		})
	}
}

// TestChangeLog: the same bytes keep their time; new bytes move it forward
// by at least a second, even within one second.
func TestChangeLog(t *testing.T) {
	c := newChangeLog()
	t0 := time.Date(2024, 1, 1, 10, 0, 0, 500, time.UTC)
	if got := c.since("k", "a", t0); !got.Equal(t0.Truncate(time.Second)) {
		t.Errorf("first: %v", got)
	}
	if got := c.since("k", "a", t0.Add(time.Hour)); !got.Equal(t0.Truncate(time.Second)) {
		t.Errorf("same etag later: %v, want the first time", got)
	}
	if got := c.since("k", "b", t0); !got.Equal(t0.Truncate(time.Second).Add(time.Second)) {
		t.Errorf("changed within the second: %v", got)
	}
	if got := c.since("k", "a", t0.Add(time.Hour)); !got.Equal(t0.Truncate(time.Second).Add(time.Hour)) {
		t.Errorf("changed back later: %v", got)
	}
	for i := range changeLogEntries + 10 {
		c.since(strconv.Itoa(i), "x", t0)
	}
	if len(c.m) > changeLogEntries {
		t.Errorf("%d entries kept, bound %d", len(c.m), changeLogEntries)
	}
}

// TestEditionsFeedPages: the editions feed's pages, read one search a page,
// run through the editions in the order of the whole list, and a page past
// the end has no entries but the date of the newest edition.
func TestEditionsFeedPages(t *testing.T) {
	s, _ := feedsTestServer(t, nil)
	all := feedGUIDs(t, s, "/feeds/lga-cdt/editions.json?limit=500")
	if len(all) < 3 {
		t.Fatalf("%d editions; the test needs 3 or more", len(all))
	}
	var paged []string
	for page := 1; page <= (len(all)+1)/2; page++ {
		paged = append(paged, feedGUIDs(t, s, fmt.Sprintf("/feeds/lga-cdt/editions.json?limit=2&page=%d", page))...)
	}
	if !slices.Equal(paged, all) {
		t.Errorf("pages of 2: %q\nwant %q", paged, all)
	}
	if got := feedGUIDs(t, s, "/feeds/lga-cdt/editions.atom?limit=2&page=999"); len(got) != 0 {
		t.Errorf("page past the end: %d entries", len(got))
	}
	newest, _, err := s.idx.LatestEditions(context.Background(), "lga-cdt", 1)
	if err != nil || len(newest) != 1 {
		t.Fatalf("newest edition: %v %v", newest, err)
	}
	rec := do(t, s, http.MethodGet, "/feeds/lga-cdt/editions.atom?limit=2&page=999", nil)
	want := "<updated>" + newest[0].Published.UTC().Format(time.RFC3339) + "</updated>"
	if !strings.Contains(rec.Body.String(), want) {
		t.Errorf("page past the end lacks %s:\n%s", want, rec.Body)
	}
}
