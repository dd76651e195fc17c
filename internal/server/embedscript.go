package server

import (
	_ "embed"
	"net/http"
)

//go:embed embed.js
var embedJS []byte

// embedJSRoutes serve the script intranets include to show results in
// their own pages (the JSON API allows any origin).
func (s *Server) embedJSRoutes() {
	s.route("GET /embed.js", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("Cache-Control", "public, max-age=3600")
		// Another site's page loads this script.
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		_, _ = w.Write(embedJS)
	}, anyOrigin)
}
