package server

import (
	"net/http"
	"strings"
)

// A routeOption is a property of a route, applied where the route is
// registered (route), so that no second table of paths repeats the routes.
type routeOption int

const (
	// anyOrigin lets pages of any origin read the route's responses:
	// feeds, calendars, the OPML list, the feed stylesheet, embed.js and
	// the JSON API. Every response of the route (errors included) carries
	// Access-Control-Allow-Origin: *, and an OPTIONS request (a CORS
	// preflight) is answered for GET and HEAD with the conditional-request
	// headers. No credentials are ever allowed, so a page cannot act as
	// its visitor.
	anyOrigin routeOption = iota + 1
	// framable lets the configured frame_ancestors frame the route's page
	// (every other page may be framed only by this server itself).
	framable
)

// route registers h at pattern ("GET /path") with the options given.
func (s *Server) route(pattern string, h http.HandlerFunc, opts ...routeOption) {
	for _, o := range opts {
		switch o {
		case anyOrigin:
			h = withCORS(h)
			if method, path, ok := strings.Cut(pattern, " "); ok && method != http.MethodOptions {
				if !s.preflights[path] {
					s.preflights[path] = true
					s.mux.HandleFunc("OPTIONS "+path, withCORS(preflight))
				}
			}
		case framable:
			h = s.withFrameAncestors(h)
		}
	}
	s.mux.HandleFunc(pattern, h)
}

// withCORS sets the headers that let any origin read the response.
func withCORS(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "ETag, Last-Modified")
		next(w, r)
	}
}

// preflight answers an OPTIONS request on a route any origin may read.
func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, HEAD")
	h.Set("Access-Control-Allow-Headers", "If-None-Match, If-Modified-Since, Cache-Control")
	h.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
}
