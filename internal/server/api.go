package server

import (
	"fmt"
	"net/http"

	"github.com/lga-digital/bulletin/internal/api"
	"github.com/lga-digital/bulletin/internal/model"
)

func (s *Server) apiRoutes() {
	s.mux.HandleFunc("GET /api/search", s.handle(s.apiSearch))
	s.mux.HandleFunc("GET /api/editions", s.handle(s.apiEditions))
	s.mux.HandleFunc("GET /api/items/{id}", s.handle(s.apiItem))
	s.mux.HandleFunc("GET /api/openapi.json", s.openAPI)
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
	resp := api.NewSearchResponse(s.cfg.BaseURL, req, res)
	resp.Links = s.searchLinks(r.URL.Query(), resp)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, resp)
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
	writeJSON(w, http.StatusOK, api.EditionsResponse{Editions: eds})
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
	writeJSON(w, http.StatusOK, api.ItemResponse{Item: it, URL: s.site.ItemURL(it.ID), Original: it.URL()})
	return nil
}
