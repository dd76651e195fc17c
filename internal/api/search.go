// Package api holds the JSON shapes of bulletin's HTTP API: the bodies of
// /api/search, /api/editions, /api/items/{id} and /api/status, and the
// error body every route answers with. The server writes them and the CLI
// reads them (from a running server, or built here by NewSearchResponse
// for `bulletin search --json`), so both speak one format; the server's
// openapi.json describes it and its tests check the one against the other.
//
// It imports index, model and feed (for the URLs of bulletin's own pages),
// and run for the crawls' summaries; nothing of HTTP.
package api

import (
	"time"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/feed"
)

// SearchResponse is the JSON body of /api/search (and of `bulletin search --json`).
type SearchResponse struct {
	Query string      `json:"query"`
	Sort  string      `json:"sort"` // "relevance" or "date"
	Total uint64      `json:"total"`
	Page  int         `json:"page"`
	Size  int         `json:"size"`
	Pages int         `json:"pages"` // number of pages of Size hits; 0 when nothing matches
	Hits  []SearchHit `json:"hits"`
	// Editions are the editions whose own title, issue line or editorial
	// match the query, best first, whatever the page.
	Editions []SearchEdition `json:"editions"`
	Facets   []index.Facet   `json:"facets"`
	Took     float64         `json:"took_ms"`
	// Links are the same search elsewhere: self, html, rss, atom, json (feed),
	// and next and prev when there are such pages. Only the server sets them.
	Links map[string]string `json:"links,omitempty"`
}

// SearchHit is one result: the item, its edition and a highlighted snippet.
type SearchHit struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	URL       string     `json:"url"`          // bulletin's page of the item
	Original  string     `json:"original_url"` // the item on its original edition page
	Section   string     `json:"section,omitempty"`
	Published time.Time  `json:"published,omitzero"` // absent when the bulletin states no date
	Edition   EditionRef `json:"edition"`
	Snippet   string     `json:"snippet"`
	Score     float64    `json:"score"`
	Orgs      []string   `json:"orgs,omitempty"`
	Source    string     `json:"source"`
}

// EditionRef is the edition a hit belongs to.
type EditionRef struct {
	ID        string    `json:"id"`
	Number    int       `json:"number,omitempty"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`          // bulletin's page of the edition
	Original  string    `json:"original_url"` // the original edition page
	Published time.Time `json:"published,omitzero"`
}

// SearchEdition is one edition whose own text matches the query, with a
// highlighted snippet of its editorial.
type SearchEdition struct {
	EditionRef
	Source    string  `json:"source"`
	IssueLine string  `json:"issue_line,omitempty"`
	ItemCount int     `json:"item_count"`
	Snippet   string  `json:"snippet"`
	Score     float64 `json:"score"`
}

// NewSearchResponse converts the result of an index request to the API
// shape; links lead to bulletin's own item and edition pages under baseURL
// (the server's base_url), the original pages being original_url.
func NewSearchResponse(baseURL string, req index.Request, res *index.Result) SearchResponse {
	site := feed.Site{Base: baseURL}
	out := SearchResponse{Query: req.Query, Sort: req.Sort, Total: res.Total, Page: res.Page, Size: res.Size,
		Hits: []SearchHit{}, Editions: []SearchEdition{}, Facets: res.Facets, Took: float64(res.Took.Microseconds()) / 1000}
	if out.Sort == "" {
		out.Sort = "relevance"
	}
	if res.Size > 0 {
		out.Pages = int((res.Total + uint64(res.Size) - 1) / uint64(res.Size))
	}
	if out.Facets == nil {
		out.Facets = []index.Facet{}
	}
	for _, h := range res.Hits {
		it := h.Item
		out.Hits = append(out.Hits, SearchHit{ID: it.ID, Title: it.Title, URL: site.ItemURL(it.ID), Original: it.URL(), Section: it.Section,
			Published: it.Published, Snippet: h.Snippet, Score: h.Score, Orgs: it.Orgs, Source: it.Source,
			Edition: EditionRef{ID: it.EditionID, Number: it.EditionNumber, Title: it.EditionTitle,
				URL: site.EditionURL(it.EditionID), Original: it.EditionURL, Published: it.Published}})
	}
	for _, e := range res.Editions {
		ed := e.Edition
		out.Editions = append(out.Editions, SearchEdition{
			EditionRef: EditionRef{ID: ed.ID, Number: ed.Number, Title: ed.Title, URL: site.EditionURL(ed.ID), Original: ed.URL, Published: ed.Published},
			Source:     ed.Source, IssueLine: ed.IssueLine, ItemCount: ed.ItemCount, Snippet: e.Snippet, Score: e.Score})
	}
	return out
}
