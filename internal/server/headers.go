package server

import (
	"net"
	"net/http"
	"strings"
)

// secure sets the security headers of every response: a strict
// Content-Security-Policy (no inline script, nothing from other origins but
// images), nosniff, and a referrer policy that keeps query strings (search
// words) from leaking to the sites the results link to.
func (s *Server) secure(next http.Handler) http.Handler {
	pageCSP := csp("'self'")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", pageCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		next.ServeHTTP(w, r)
	})
}

// csp is the Content-Security-Policy of a page that the given sources may
// frame.
func csp(frameAncestors ...string) string {
	return "default-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " +
		strings.Join(frameAncestors, " ")
}

// withFrameAncestors lets the configured frame_ancestors (or, without
// any, this server alone) frame the page of a framable route.
func (s *Server) withFrameAncestors(next http.HandlerFunc) http.HandlerFunc {
	policy := csp("'self'")
	if len(s.cfg.FrameAncestors) > 0 {
		policy = csp(s.cfg.FrameAncestors...)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", policy)
		next(w, r)
	}
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
