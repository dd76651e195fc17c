package server

import (
	"net"
	"net/http"
	"strings"
)

// embedPaths may be framed by the configured frame_ancestors; every other
// page only by this server itself.
var embedPaths = map[string]bool{"/embed": true}

// secure sets the security headers of every response: a strict
// Content-Security-Policy (no inline script, nothing from other origins but
// images), nosniff, and a referrer policy that keeps query strings (search
// words) from leaking to the sites the results link to.
func (s *Server) secure(next http.Handler) http.Handler {
	base := "default-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors "
	pageCSP := base + "'self'"
	embedCSP := pageCSP
	if len(s.cfg.FrameAncestors) > 0 {
		embedCSP = base + strings.Join(s.cfg.FrameAncestors, " ")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if embedPaths[r.URL.Path] {
			h.Set("Content-Security-Policy", embedCSP)
		} else {
			h.Set("Content-Security-Policy", pageCSP)
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		next.ServeHTTP(w, r)
	})
}

// clientIP is the address of the client: the first X-Forwarded-For entry
// when the config trusts the proxy in front, else the connection's peer.
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
			first, _, _ := strings.Cut(fwd, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
