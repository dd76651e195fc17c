package server

import (
	"fmt"
	"net/http"

	"github.com/lga-digital/bulletin/internal/api"
	"github.com/lga-digital/bulletin/internal/model"
)

func (s *Server) apiRoutes() {
	s.route("GET /api/search", s.handle(s.apiSearch), anyOrigin)
	s.route("GET /api/editions", s.handle(s.apiEditions), anyOrigin)
	s.route("GET /api/items/{id}", s.handle(s.apiItem), anyOrigin)
	s.route("GET /api/openapi.json", s.openAPI, anyOrigin)
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
	writeJSON(w, http.StatusOK, api.ItemResponse{Item: it, URL: s.site.ItemURL(it.ID), Original: it.URL()})
	return nil
}
