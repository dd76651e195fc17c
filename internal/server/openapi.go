package server

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
)

// openAPIDoc is the OpenAPI 3 description of the JSON API and the feeds.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPI serves openapi.json with this server's base URL as its server, so
// that clients generated from it call the right address.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	doc, err := s.openAPIFor()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(doc)
}

// openAPIFor returns openapi.json with its servers set to the base URL.
func (s *Server) openAPIFor() ([]byte, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		return nil, fmt.Errorf("embedded openapi.json: %w", err)
	}
	servers, err := json.Marshal([]map[string]string{{"url": s.URL(""), "description": "This server."}})
	if err != nil {
		return nil, err
	}
	doc["servers"] = servers
	out, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	return append(out, '\n'), nil
}
