package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lga-digital/bulletin/internal/seedpage"
)

// Manifest is written beside the site as manifest.json.
type Manifest struct {
	Options  Options `json:"options"`
	Editions int     `json:"editions"` // pages, including other series
	Series   int     `json:"series"`   // editions of the series
	Items    int     `json:"items"`    // articles in the editions of the series
	Bytes    int64   `json:"bytes"`    // total size of the edition pages
}

// Write writes the corpus as a site directory: robots.txt,
// accounts/UKLGA/bulletins.rss, the list pages accounts/UKLGA/bulletins.html
// (page 1) and bulletins.page-N.html, one accounts/UKLGA/bulletins/<id>.html
// per edition, and manifest.json. Pages are rendered on all CPUs.
func (c *Corpus) Write(ctx context.Context, dir string) (Manifest, error) {
	acct := filepath.Join(dir, "accounts", Account)
	if err := os.MkdirAll(filepath.Join(acct, "bulletins"), 0o755); err != nil {
		return Manifest{}, fmt.Errorf("write corpus: %w", err)
	}
	m := Manifest{Options: c.opt, Editions: len(c.editions), Series: c.opt.Editions, Items: c.Items()}
	var (
		next  atomic.Int64
		size  atomic.Int64
		wg    sync.WaitGroup
		errMu sync.Mutex
		first error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j := int(next.Add(1) - 1)
				if j >= len(c.editions) || ctx.Err() != nil {
					return
				}
				page := c.page(j)
				size.Add(int64(len(page)))
				if err := os.WriteFile(filepath.Join(acct, "bulletins", c.editions[j].ID+".html"), page, 0o644); err != nil {
					errMu.Lock()
					if first == nil {
						first = err
					}
					errMu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	if first != nil {
		return m, fmt.Errorf("write corpus: %w", first)
	}
	m.Bytes = size.Load()
	files := map[string][]byte{
		"robots.txt":                   []byte("User-agent: *\nAllow: /\n"),
		"accounts/UKLGA/bulletins.rss": c.feed(),
	}
	for n, page := range c.lists() {
		name := "accounts/UKLGA/bulletins.html"
		if n > 0 {
			name = fmt.Sprintf("accounts/UKLGA/bulletins.page-%d.html", n+1)
		}
		files[name] = page
	}
	js, _ := json.MarshalIndent(m, "", "  ")
	files["manifest.json"] = append(js, '\n')
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), b, 0o644); err != nil {
			return m, fmt.Errorf("write corpus: %w", err)
		}
	}
	return m, nil
}

// feed is bulletins.rss: the newest FeedItems bulletins.
func (c *Corpus) feed() []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Local Government Association</title>
  <link>` + Base + ListPath + `</link>
  <atom:link href="` + Base + FeedPath + `" rel="self" type="application/rss+xml"/>
  <description>Recent bulletins from the Local Government Association</description>
  <language>en-gb</language>
`)
	for i, ed := range c.Editions() {
		if i == c.opt.FeedItems {
			break
		}
		fmt.Fprintf(&b, "  <item>\n    <title>%[1]s</title>\n    <link>%[2]s%[3]s</link>\n    <description>%[1]s</description>\n    <pubDate>%[4]s</pubDate>\n    <guid isPermaLink=\"true\">%[2]s%[3]s</guid>\n  </item>\n",
			esc(ed.Subject), Base, ed.Path, ed.Published.Format(time.RFC1123Z))
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.Bytes()
}

// lists are the HTML list pages, newest first, PerPage links each, linked
// by rel="next" "Older bulletins" links.
func (c *Corpus) lists() [][]byte {
	eds := c.Editions()
	var pages [][]byte
	for start := 0; start < len(eds); start += c.opt.PerPage {
		n := len(pages) + 1
		var b bytes.Buffer
		fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Local Government Association - Bulletins (page %d)</title>\n", n)
		b.WriteString(`<link rel="alternate" type="application/rss+xml" href="` + Base + FeedPath + "\"></head>\n<body>\n<h1>Bulletins</h1>\n<ul class=\"bulletin_list\">\n")
		for _, ed := range eds[start:min(len(eds), start+c.opt.PerPage)] {
			fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a> <span class=\"date\">%s</span></li>\n", ed.Path, esc(ed.Subject), ed.Published.Format("01/02/2006"))
		}
		b.WriteString("</ul>\n")
		if start+c.opt.PerPage < len(eds) {
			fmt.Fprintf(&b, "<p class=\"pagination\"><a rel=\"next\" href=\"%s?page=%d\">Older bulletins</a></p>\n", ListPath, n+1)
		}
		b.WriteString("<div id=\"mail_footer\"><p>Powered by GovDelivery</p></div>\n</body>\n</html>\n")
		pages = append(pages, b.Bytes())
	}
	return pages
}

// Counts are the requests a Site has answered, by kind.
type Counts struct {
	Editions int64 `json:"editions"` // edition pages, including 304s
	Lists    int64 `json:"lists"`
	Feeds    int64 `json:"feeds"`
	Other    int64 `json:"other"` // robots.txt and unknown paths
	NotMod   int64 `json:"not_modified"`
}

// Site serves a corpus directory written by Write, GovDelivery-like: strong
// ETags, Last-Modified and 304s, edition pages without a charset in
// Content-Type (it is left to the page's <meta>), and {{BASE}} replaced by
// the request's origin. It counts what it serves and is safe for concurrent
// use.
type Site struct {
	dir                               string
	editions, lists, feeds, other, nm atomic.Int64
	modTime                           time.Time
}

// NewSite serves the corpus in dir.
func NewSite(dir string) *Site {
	return &Site{dir: dir, modTime: time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)}
}

// Counts returns the requests answered so far.
func (s *Site) Counts() Counts {
	return Counts{Editions: s.editions.Load(), Lists: s.lists.Load(), Feeds: s.feeds.Load(), Other: s.other.Load(), NotMod: s.nm.Load()}
}

// ServeHTTP answers GET and HEAD.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !seedpage.AllowRead(w, r) {
		return
	}
	name, ctype, counter := s.lookup(r)
	counter.Add(1)
	if name == "" {
		http.NotFound(w, r)
		return
	}
	raw, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(name)))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if seedpage.ServePage(w, r, raw, ctype, s.modTime) {
		s.nm.Add(1)
	}
}

// lookup maps a request to a file of the site, its media type and counter.
func (s *Site) lookup(r *http.Request) (name, ctype string, counter *atomic.Int64) {
	p := r.URL.Path
	switch {
	case p == "/robots.txt":
		return "robots.txt", "text/plain; charset=utf-8", &s.other
	case p == FeedPath:
		return "accounts/UKLGA/bulletins.rss", "application/rss+xml; charset=utf-8", &s.feeds
	case p == ListPath || p == ListPath+"/":
		n, err := strconv.Atoi(r.URL.Query().Get("page"))
		if err != nil || n <= 1 {
			return "accounts/UKLGA/bulletins.html", "text/html; charset=utf-8", &s.lists
		}
		return fmt.Sprintf("accounts/UKLGA/bulletins.page-%d.html", n), "text/html; charset=utf-8", &s.lists
	case strings.HasPrefix(p, pagesPath):
		id := strings.TrimPrefix(p, pagesPath)
		if id == "" || strings.ContainsAny(id, "/.\\") {
			return "", "", &s.other
		}
		return "accounts/UKLGA/bulletins/" + id + ".html", "text/html", &s.editions
	}
	return "", "", &s.other
}
