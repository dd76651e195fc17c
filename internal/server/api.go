package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/model"
)

// SearchResponse is the JSON body of /api/search (and of `bulletin search --json`).
type SearchResponse struct {
	Query  string            `json:"query"`
	Total  uint64            `json:"total"`
	Page   int               `json:"page"`
	Size   int               `json:"size"`
	Hits   []SearchHit       `json:"hits"`
	Facets []index.Facet     `json:"facets"`
	Took   float64           `json:"took_ms"`
	Links  map[string]string `json:"links,omitempty"`
}

// SearchHit is one result: the item, its edition and a highlighted snippet.
type SearchHit struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	URL       string     `json:"url"`
	Section   string     `json:"section,omitempty"`
	Published time.Time  `json:"published"`
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
	URL       string    `json:"url"`
	Published time.Time `json:"published"`
}

// NewSearchResponse converts an index result to the API shape.
func NewSearchResponse(q string, res *index.Result) SearchResponse {
	out := SearchResponse{Query: q, Total: res.Total, Page: res.Page, Size: res.Size, Hits: []SearchHit{},
		Facets: res.Facets, Took: float64(res.Took.Microseconds()) / 1000}
	if out.Facets == nil {
		out.Facets = []index.Facet{}
	}
	for _, h := range res.Hits {
		it := h.Item
		out.Hits = append(out.Hits, SearchHit{ID: it.ID, Title: it.Title, URL: it.URL(), Section: it.Section,
			Published: it.Published, Snippet: h.Snippet, Score: h.Score, Orgs: it.Orgs, Source: it.Source,
			Edition: EditionRef{ID: it.EditionID, Number: it.EditionNumber, Title: it.EditionTitle, URL: it.EditionURL, Published: it.Published}})
	}
	return out
}

func (s *Server) apiRoutes() {
	s.mux.HandleFunc("GET /api/search", s.handle(s.apiSearch))
	s.mux.HandleFunc("GET /api/editions", s.handle(s.apiEditions))
	s.mux.HandleFunc("GET /api/items/{id}", s.handle(s.apiItem))
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	req, err := s.searchRequest(r)
	if err != nil {
		return err
	}
	res, err := s.idx.Search(r.Context(), req)
	if err != nil {
		return searchError(err)
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, NewSearchResponse(req.Query, res))
	return nil
}

func (s *Server) apiEditions(w http.ResponseWriter, r *http.Request) error {
	src := r.URL.Query().Get("source")
	if src != "" {
		if _, err := s.source(src); err != nil {
			return err
		}
	}
	eds, err := s.idx.Editions(r.Context(), src)
	if err != nil {
		return err
	}
	if eds == nil {
		eds = []model.Edition{}
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, map[string]any{"editions": eds})
	return nil
}

func (s *Server) apiItem(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	it, ok, err := s.idx.Item(r.Context(), id)
	if err != nil {
		return err
	}
	if !ok {
		return notFound(fmt.Sprintf("no item %q", id))
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, struct {
		model.Item
		URL string `json:"url"`
	}{it, it.URL()})
	return nil
}
