package server

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/api"
)

// searchView is what search.html (and embed.html, its compact form for
// intranet pages) shows.
type searchView struct {
	page
	Q, Sort     string
	Source      string
	From, To    string
	Size        int  // the requested page size, 0 when the default
	Embed       bool // the compact form for an <iframe>
	Problem     *queryProblem
	Result      *api.SearchResponse
	First, Last int // 1-based numbers of the first and last hit shown
	// Editions are the matching editions shown on the first page: the best
	// few, and the rest behind "more".
	Editions, MoreEditions  []api.SearchEdition
	Filters                 []activeFilter
	Facets                  []facetGroup
	Pager                   pager
	Feeds                   []alt
	JSON                    string // the same search from the API
	EmbedURL                string // the compact form, for an <iframe>
	EmbedCode               string // the <iframe> element to paste into an intranet page
	ScriptCode              string // or the elements that have /embed.js render the results in the page itself
	Full                    string // the full page of this search (linked from the compact form)
	SortRelevance, SortDate string // the same search sorted each way
}

// queryProblem is a search that could not run: a message and, for a query
// syntax error, where in the query the problem is.
type queryProblem struct {
	Msg    string
	Query  string
	Pos    int    // byte offset in Query; -1 when the problem is not in the query
	Column int    // 1-based character position of Pos
	Caret  string // spaces to put under Query before a "^" at Pos
}

// activeFilter is a restriction the search applies, with a link to the
// same search without it.
type activeFilter struct {
	Label, Value string
	Remove       string
}

// facetGroup is one facet: its values as links that narrow the search.
type facetGroup struct {
	Name, Label string
	Values      []facetLink // the first facetShown values
	More        []facetLink // the rest, behind a <details>
}

// facetLink is one facet value with the search narrowed to it or, when it
// is already applied, the search without it.
type facetLink struct {
	Value, Label string
	Count        int
	Href         string
	Active       bool
}

// pager links the pages of a result.
type pager struct {
	Label       string // names the navigation for assistive technology
	Page, Pages int
	Prev, Next  string
	Links       []pageLink
}

// pageLink is one numbered page link; a zero N is a gap ("…").
type pageLink struct {
	N       int
	Href    string
	Current bool
}

// facetShown is how many values of a facet show before "more", and
// editionsShown how many matching editions.
const (
	facetShown    = 8
	editionsShown = 3
)

// searchView runs the search of a /search request and prepares the page.
// A bad request gives a view with a Problem and a 4xx status, not an error.
func (s *Server) searchView(r *http.Request) (*searchView, int, error) {
	if r.Pattern == embedPattern {
		r = limitAsSize(r)
	}
	qv := r.URL.Query()
	v := &searchView{page: page{Title: "Search", Nav: "search"}, Q: qv.Get("q"), Sort: qv.Get("sort"),
		Source: qv.Get("source"), From: qv.Get("from"), To: qv.Get("to")}
	v.Embed = r.Pattern == embedPattern
	if v.Q != "" {
		v.Title = v.Q + " – Search"
	}
	v.Size, _ = strconv.Atoi(qv.Get("size"))
	// Links keep what the search is (q, source, dates) and how it is shown
	// (sort, size), and never the page.
	keep := withParams(qv, "page", "")
	at := func(path string, kv ...string) string { return s.URL(path + queryString(withParams(keep, kv...))) }
	v.Feeds = []alt{
		{"application/rss+xml", feedTitle(v.Q) + " (RSS)", s.feedOfSearch(qv, "rss")},
		{"application/atom+xml", feedTitle(v.Q) + " (Atom)", s.feedOfSearch(qv, "atom")},
		{"application/feed+json", feedTitle(v.Q) + " (JSON Feed)", s.feedOfSearch(qv, "json")},
	}
	v.Alts = v.Feeds
	v.JSON = at("/api/search")
	v.Full = at("/search", "size", "")
	// A frame on an intranet page has room for a few results.
	embedSize := "5"
	if v.Size > 0 {
		embedSize = strconv.Itoa(v.Size)
	}
	v.EmbedURL = at("/embed", "size", embedSize)
	v.EmbedCode = fmt.Sprintf(`<iframe src="%s" title="%s" width="100%%" height="480" style="border:0" loading="lazy"></iframe>`,
		template.HTMLEscapeString(v.EmbedURL), template.HTMLEscapeString(feedTitle(v.Q)))
	script := `<div data-bulletin-q="` + template.HTMLEscapeString(v.Q) + `" data-bulletin-limit="5"`
	if v.Source != "" {
		script += ` data-bulletin-source="` + template.HTMLEscapeString(v.Source) + `"`
	}
	v.ScriptCode = script + "></div>\n" + `<script src="` + template.HTMLEscapeString(s.URL("/embed.js")) + `" defer></script>`
	v.SortRelevance = at("/search", "sort", "")
	v.SortDate = at("/search", "sort", "date")

	req, err := s.searchRequest(r)
	var res *index.Result
	if err == nil {
		res, err = s.idx.Search(r.Context(), req)
	}
	if err != nil {
		status, err := problemOf(v, err)
		return v, status, err
	}
	resp := api.NewSearchResponse(s.cfg.BaseURL, req, res)
	v.Result = &resp
	if len(resp.Hits) > 0 {
		v.First = (resp.Page-1)*resp.Size + 1
		v.Last = v.First + len(resp.Hits) - 1
	}
	if resp.Page == 1 {
		n := min(len(resp.Editions), editionsShown)
		v.Editions, v.MoreEditions = resp.Editions[:n], resp.Editions[n:]
	}
	filters, _ := index.Filters(v.Q) // the query parsed, so this does too
	for _, f := range filters {
		field, _ := index.LookupField(f.Field)
		v.Filters = append(v.Filters, activeFilter{Label: field.Label, Value: f.Value,
			Remove: at("/search", "q", f.Without)})
	}
	for _, p := range []struct{ param, label string }{{"source", "Source"}, {"from", "From"}, {"to", "To"}} {
		if x := qv.Get(p.param); x != "" {
			v.Filters = append(v.Filters, activeFilter{Label: p.label, Value: x, Remove: at("/search", p.param, "")})
		}
	}
	v.Facets = s.facetGroups(v.Q, resp.Facets, filters, at)
	v.Pager = pagerOf(resp.Page, min(resp.Pages, index.MaxPage), func(n int) string {
		if n == 1 {
			return at("/search")
		}
		return at("/search", "page", strconv.Itoa(n))
	})
	return v, http.StatusOK, nil
}

// limitAsSize reads /embed?limit= as size=: limit is what the feeds and the
// embed.js snippet call the number of results, so an intranet editor may
// use either. When both are given, size wins.
func limitAsSize(r *http.Request) *http.Request {
	q := r.URL.Query()
	if !q.Has("limit") {
		return r
	}
	if !q.Has("size") {
		q.Set("size", q.Get("limit"))
	}
	q.Del("limit")
	r = r.Clone(r.Context())
	r.URL.RawQuery = q.Encode()
	return r
}

func feedTitle(q string) string {
	if q == "" {
		return "Bulletin search"
	}
	return "Bulletin search: " + q
}

// problemOf turns a request error into the page's Problem and status: a
// query syntax error with its position, or a bad parameter. An error that is
// not the client's is returned as it is.
func problemOf(v *searchView, err error) (int, error) {
	var se *index.SyntaxError
	if errors.As(err, &se) && se.Pos >= 0 && se.Pos <= len(v.Q) {
		col := utf8.RuneCountInString(v.Q[:se.Pos])
		v.Problem = &queryProblem{Msg: "The query has a mistake: " + se.Msg + ".", Query: v.Q, Pos: se.Pos,
			Column: col + 1, Caret: strings.Repeat(" ", col)}
		return http.StatusBadRequest, nil
	}
	var he *httpError
	if !errors.As(searchError(err), &he) {
		return 0, err
	}
	v.Problem = &queryProblem{Msg: he.msg, Query: v.Q, Pos: -1}
	return he.status, nil
}

// facetGroups turns the facets of a result into links that narrow the
// query; values the query already filters on link to the query without them.
func (s *Server) facetGroups(q string, facets []index.Facet, filters []index.Filter, at func(string, ...string) string) []facetGroup {
	var out []facetGroup
	for _, f := range facets {
		ff, ok := index.FacetField(f.Name)
		if !ok || len(f.Values) == 0 || f.Name == "source" && len(s.cfg.Sources) < 2 {
			continue
		}
		g := facetGroup{Name: f.Name, Label: ff.FacetLabel}
		for _, fv := range f.Values {
			term, ok := facetTerm(ff.Name, fv.Value)
			if !ok {
				continue
			}
			l := facetLink{Value: fv.Value, Label: fv.Value, Count: fv.Count}
			if f.Name == "edition" {
				l.Label = "No. " + fv.Value
			}
			if active, ok := activeFilterFor(filters, ff, fv.Value); ok {
				l.Active, l.Href = true, at("/search", "q", active.Without)
			} else {
				l.Href = at("/search", "q", index.And(q, term))
			}
			if len(g.Values) < facetShown || l.Active {
				g.Values = append(g.Values, l)
			} else {
				g.More = append(g.More, l)
			}
		}
		out = append(out, g)
	}
	return out
}

// facetTerm is the query term that filters a field on a value: the value
// as it is when it is one plain word, else in quotes. A value with a quote
// cannot be written in the query language.
func facetTerm(field, value string) (string, bool) {
	if value == "" || strings.ContainsRune(value, '"') {
		return "", false
	}
	for _, r := range value {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '@') {
			return field + `:"` + value + `"`, true
		}
	}
	return field + ":" + value, true
}

// activeFilterFor finds the filter of the query that applies a facet value.
func activeFilterFor(filters []index.Filter, field index.Field, value string) (index.Filter, bool) {
	for _, f := range filters {
		if f.Field == field.Name && field.SameValue(f.Value, value) {
			return f, true
		}
	}
	return index.Filter{}, false
}

// pagerOf links the first and last pages, the two either side of the
// current one, and the previous and next.
func pagerOf(cur, pages int, href func(int) string) pager {
	p := pager{Label: "Result pages", Page: cur, Pages: pages}
	if pages <= 1 && cur <= 1 {
		return p
	}
	if cur > 1 {
		p.Prev = href(min(cur-1, max(pages, 1)))
	}
	if cur < pages {
		p.Next = href(cur + 1)
	}
	last, c := 0, min(cur, pages) // past the last page, show the pages before it
	for _, n := range []int{1, c - 2, c - 1, c, c + 1, c + 2, pages} {
		if n <= last || n > pages {
			continue
		}
		if last != 0 && n > last+1 {
			p.Links = append(p.Links, pageLink{})
		}
		p.Links = append(p.Links, pageLink{N: n, Href: href(n), Current: n == cur})
		last = n
	}
	return p
}
