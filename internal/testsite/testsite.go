// Package testsite serves a GovDelivery-like fixture site for tests: the
// UKLGA account's bulletins.rss, its HTML list of bulletins, edition pages
// built from the real text of two LGA Cyber, Digital and Technology
// bulletins, one bulletin of another LGA series, and robots.txt; and the
// topic feed of an invented council (HBCUK) whose items carry their
// bulletins' whole bodies (see TopicEditions).
//
// Files under site/ refer to their own origin as {{BASE}}; it is replaced
// by the scheme and host of each request, so the pages link to whatever
// server serves them. The files are generated from the seed texts of
// internal/seedpage by generate.go (go generate ./internal/testsite); a
// test keeps the committed files equal to what it writes.
package testsite

import (
	"embed"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/seedpage"
	"github.com/lga-digital/bulletin/internal/testenv"
)

//go:embed site
var siteFS embed.FS

// Fixture describes one edition page of the fixture site.
type Fixture struct {
	ID     string // GovDelivery bulletin id, the last path segment
	Path   string // URL path on the site, e.g. /accounts/UKLGA/bulletins/392f025
	Title  string // the subject: h1.bulletin_subject, or <title> when the page has none
	Number int    // edition number the parser must find; 0 for none
	Series bool   // false for the bulletin of another series, which crawlers must skip
	// Published is the send time the page states, in UTC (for a page without
	// a dateline, midnight London time on the first of the issue line's month).
	Published time.Time
	InFeed    bool     // listed in bulletins.rss (every fixture is on the HTML list page), or in the topic feed
	FeedBody  bool     // the topic feed's item carries the whole bulletin, and the site has no page for it
	Items     []string // expected item titles, in page order
}

// Paths of the site's index documents.
const (
	FeedPath  = "/accounts/UKLGA/bulletins.rss"
	ListPath  = "/accounts/UKLGA/bulletins"
	pagesPath = "/accounts/UKLGA/bulletins/"
)

// lastModified is the Last-Modified time of every file on the site.
var lastModified = time.Date(2024, time.December, 12, 9, 30, 0, 0, time.UTC)

// Site is a running fixture site.
type Site struct {
	*httptest.Server
	hits testenv.Hits
}

// Start starts the fixture site on a local httptest server and closes it when
// the test ends.
func Start(tb testing.TB) *Site {
	tb.Helper()
	s := &Site{}
	h := Handler()
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			s.hits.Add(r.URL.Path)
		}
		h.ServeHTTP(w, r)
	}))
	tb.Cleanup(s.Close)
	return s
}

// Hits reports how many GET and HEAD requests the site has seen for a URL path,
// including those answered 304 Not Modified.
func (s *Site) Hits(path string) int { return s.hits.Of(path) }

// URLOf returns the absolute URL of a path on the site.
func (s *Site) URLOf(path string) string { return s.Server.URL + path }

// Handler returns the fixture site as a plain handler. It answers GET and HEAD
// with strong ETags and Last-Modified, and 304 to matching conditional requests.
func Handler() http.Handler {
	return http.HandlerFunc(serve)
}

func serve(w http.ResponseWriter, r *http.Request) {
	if !seedpage.AllowRead(w, r) {
		return
	}
	name, ctype, ok := lookup(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	raw, err := fs.ReadFile(siteFS, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	seedpage.ServePage(w, r, raw, ctype, lastModified)
}

// lookup maps a URL path to its embedded file and media type.
func lookup(p string) (name, ctype string, ok bool) {
	const html = "text/html"
	switch {
	case p == "/robots.txt":
		return "site/robots.txt", "text/plain; charset=utf-8", true
	case p == FeedPath:
		return "site/accounts/UKLGA/bulletins.rss", "application/rss+xml; charset=utf-8", true
	case p == ListPath || p == ListPath+"/":
		return "site/accounts/UKLGA/bulletins.html", "text/html; charset=utf-8", true
	case p == TopicFeedPath:
		return "site" + TopicFeedPath, "application/rss+xml; charset=utf-8", true
	case strings.HasPrefix(p, topicPagesPath):
		id := strings.TrimPrefix(p, topicPagesPath)
		if id == "" || strings.ContainsAny(id, "/.") {
			return "", "", false
		}
		return "site" + topicPagesPath + id + ".html", "text/html; charset=utf-8", true
	case strings.HasPrefix(p, pagesPath):
		id := strings.TrimPrefix(p, pagesPath)
		if id == "" || strings.ContainsAny(id, "/.") {
			return "", "", false
		}
		// The charset is left to the page's <meta>, as the windows-1252
		// fixture must be recognised by sniffing.
		return "site/accounts/UKLGA/bulletins/" + id + ".html", html, true
	}
	return "", "", false
}
