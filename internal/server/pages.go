package server

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/model"
)

// alt is one autodiscovery link.
type alt struct{ Type, Title, Href string }

// page is what every HTML page's layout needs.
type page struct {
	Title string
	Nav   string // "home" or "search": the current page of the site navigation
	Alts  []alt
}

// embedPattern serves the compact search page that intranets frame; its
// route is framable: only the configured frame_ancestors may frame it.
const embedPattern = "GET /embed"

func (s *Server) pageRoutes() {
	s.route("GET /{$}", s.handle(s.home))
	s.route("GET /search", s.handle(s.searchPage))
	s.route(embedPattern, s.handle(s.searchPage), framable)
	s.route("GET /style.css", s.stylesheet)
	s.route("GET /favicon.ico", noIcon)
}

// noIcon answers a browser's request for /favicon.ico, which it makes for
// documents that name no icon (a feed shown as a page), with "no content"
// rather than a 404 that it would log as an error. HTML pages name an empty
// icon themselves.
func noIcon(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.WriteHeader(http.StatusNoContent)
}

// pageDate is a date as pages show it; "date unknown" for a bulletin that
// states none (never year 1).
func pageDate(t time.Time) string {
	if t.IsZero() {
		return "date unknown"
	}
	return t.Format("2 January 2006")
}

// isoDate is a date for a datetime attribute; "" when unknown.
func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"url":        s.URL,
		"itemURL":    s.site.ItemURL,
		"editionURL": s.site.EditionURL,
		"snippet":    func(h string) template.HTML { return template.HTML(h) }, // index escapes all but <mark>
		"date":       pageDate,
		"isodate":    isoDate,
		"format":     feedFormat,
	}
}

// feedFormat names the format of a feed media type, for link text.
func feedFormat(mediaType string) string {
	switch mediaType {
	case "application/rss+xml":
		return "RSS"
	case "application/atom+xml":
		return "Atom"
	case "application/feed+json":
		return "JSON Feed"
	}
	return mediaType
}

// feedAlts are the autodiscovery links of a feed path ("/feeds/lga-cdt").
func (s *Server) feedAlts(title, path, query string) []alt {
	if query != "" {
		query = "?" + query
	}
	return []alt{
		{"application/rss+xml", title + " (RSS)", s.URL(path + ".rss" + query)},
		{"application/atom+xml", title + " (Atom)", s.URL(path + ".atom" + query)},
		{"application/feed+json", title + " (JSON Feed)", s.URL(path + ".json" + query)},
	}
}

// render executes a template into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) error {
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// homePageSize is how many editions of each source a page of the home page
// lists; ?page= reaches the older ones.
const homePageSize = 25

type homeSource struct {
	*config.Source
	Editions []homeEdition
	Total    int    // editions held
	Pager    pager  // the pages of the source's editions
	Note     string // what the crawls did, when a reader should know (see crawlNote)
	Alts     []alt
	EdAlts   []alt
	JSON     string // the source's editions as JSON
	Events   string // the source's events and deadlines as iCalendar
}

type homeEdition struct {
	model.Edition
	Link   string // bulletin's page of the edition
	Search string // the search page for the edition's articles
}

// home lists every source with its feeds and every edition it holds, in
// archive order, newest first, homePageSize a page.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	pageNo, err := intParam(r.URL.Query(), "page", 1, 0)
	if err != nil {
		return err
	}
	data := struct {
		page
		Sources []homeSource
	}{page: page{Title: "Bulletins", Nav: "home"}}
	if pageNo > 1 {
		data.Title = "Bulletins, page " + strconv.Itoa(pageNo)
	}
	for i := range s.cfg.Sources {
		src := &s.cfg.Sources[i]
		eds, total, err := s.idx.EditionsPage(r.Context(), src.ID, (pageNo-1)*homePageSize, homePageSize)
		if err != nil {
			return err
		}
		hs := homeSource{Source: src, Total: total, Note: s.crawlNote(src, total),
			Alts:   s.feedAlts(src.Title, "/feeds/"+src.ID, ""),
			EdAlts: s.feedAlts(src.Title+" editions", "/feeds/"+src.ID+"/editions", ""),
			JSON:   s.URL("/api/editions?source=" + src.ID), Events: s.URL("/feeds/" + src.ID + "/events.ics")}
		hs.Pager = pagerOf(pageNo, (total+homePageSize-1)/homePageSize, func(n int) string {
			if n == 1 {
				return s.URL("/")
			}
			return s.URL("/?page=" + strconv.Itoa(n))
		})
		hs.Pager.Label = "Pages of the editions of " + src.Title
		for _, ed := range eds {
			he := homeEdition{Edition: ed, Link: s.site.EditionURL(ed.ID)}
			if ed.Number > 0 {
				q := url.Values{"q": {"edition:" + strconv.Itoa(ed.Number) + " source:" + src.ID}}
				he.Search = s.URL("/search?" + q.Encode())
			}
			hs.Editions = append(hs.Editions, he)
		}
		data.Sources = append(data.Sources, hs)
		data.Alts = append(data.Alts, hs.Alts...)
		data.Alts = append(data.Alts, hs.EdAlts...)
	}
	return s.render(w, http.StatusOK, "home.html", data)
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	v, status, err := s.searchView(r)
	if err != nil {
		return err
	}
	name := "search.html"
	if v.Embed {
		name = "embed.html"
	}
	return s.render(w, status, name, v)
}

func (s *Server) stylesheet(w http.ResponseWriter, r *http.Request) {
	b, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		s.writeError(w, r, errors.Join(errors.New("read embedded style.css"), err))
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(b)
}
