package server

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/model"
)

// alt is one autodiscovery link.
type alt struct{ Type, Title, Href string }

// page is what every HTML page's layout needs.
type page struct {
	Title string
	Alts  []alt
	Base  string // base URL, for links
}

func (s *Server) pageRoutes() {
	s.mux.HandleFunc("GET /{$}", s.handle(s.home))
	s.mux.HandleFunc("GET /search", s.handle(s.searchPage))
	s.mux.HandleFunc("GET /style.css", s.stylesheet)
}

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"url":     s.URL,
		"snippet": func(h string) template.HTML { return template.HTML(h) }, // index escapes all but <mark>
		"date":    func(t interface{ Format(string) string }) string { return t.Format("2 January 2006") },
	}
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

type homeSource struct {
	*config.Source
	Editions []model.Edition
	Alts     []alt
	EdAlts   []alt
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	data := struct {
		page
		Sources []homeSource
	}{page: page{Title: "Bulletins"}}
	for i := range s.cfg.Sources {
		src := &s.cfg.Sources[i]
		eds, err := s.idx.Editions(r.Context(), src.ID)
		if err != nil {
			return err
		}
		hs := homeSource{Source: src, Editions: pageOf(eds, 1, 12),
			Alts:   s.feedAlts(src.Title, "/feeds/"+src.ID, ""),
			EdAlts: s.feedAlts(src.Title+" editions", "/feeds/"+src.ID+"/editions", "")}
		data.Sources = append(data.Sources, hs)
		data.Alts = append(data.Alts, hs.Alts...)
	}
	return s.render(w, http.StatusOK, "home.html", data)
}

// facetLink is one facet value with the search URL that applies it.
type facetLink struct {
	Value string
	Count int
	Href  string
}

type facetGroup struct {
	Name   string
	Values []facetLink
}

// facetFields maps a facet name to the query field that filters on it.
var facetFields = map[string]string{"section": "section", "year": "date", "edition": "edition", "org": "org", "source": "source"}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	data := struct {
		page
		Q, Sort  string
		Result   *SearchResponse
		Error    string
		Facets   []facetGroup
		Prev     string
		Next     string
		FeedAlts []alt
		Embed    string
	}{page: page{Title: "Search"}, Q: q.Get("q"), Sort: q.Get("sort")}
	query := url.Values{"q": {data.Q}}.Encode()
	data.FeedAlts = s.feedAlts("Search: "+data.Q, "/search", query)
	data.Alts = data.FeedAlts
	data.Embed = s.URL("/api/search?" + query)
	req, err := s.searchRequest(r)
	status := http.StatusOK
	var res *index.Result
	if err == nil {
		res, err = s.idx.Search(r.Context(), req)
		err = searchError(err)
	}
	if err != nil {
		he, ok := err.(*httpError)
		if !ok {
			return err
		}
		status, data.Error = he.status, he.msg
		return s.render(w, status, "search.html", data)
	}
	resp := NewSearchResponse(req.Query, res)
	data.Result = &resp
	at := func(mod func(url.Values)) string {
		v := r.URL.Query()
		mod(v)
		return s.URL("/search?" + v.Encode())
	}
	for _, f := range res.Facets {
		field, ok := facetFields[f.Name]
		if !ok || len(f.Values) == 0 {
			continue
		}
		g := facetGroup{Name: f.Name}
		for _, fv := range f.Values {
			term := field + ":" + quoteTerm(fv.Value)
			g.Values = append(g.Values, facetLink{Value: fv.Value, Count: fv.Count,
				Href: at(func(v url.Values) { v.Set("q", joinQuery(data.Q, term)); v.Del("page") })})
		}
		data.Facets = append(data.Facets, g)
	}
	if req.Page > 1 {
		data.Prev = at(func(v url.Values) { v.Set("page", strconv.Itoa(req.Page-1)) })
	}
	if uint64(req.Page*req.Size) < res.Total {
		data.Next = at(func(v url.Values) { v.Set("page", strconv.Itoa(req.Page+1)) })
	}
	return s.render(w, status, "search.html", data)
}

func joinQuery(q, term string) string {
	if q == "" {
		return term
	}
	return q + " " + term
}

// quoteTerm quotes a facet value that is not a single plain word.
func quoteTerm(v string) string {
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return strconv.Quote(v)
		}
	}
	return v
}

func (s *Server) stylesheet(w http.ResponseWriter, r *http.Request) {
	b, _ := templateFS.ReadFile("templates/style.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(b)
}
