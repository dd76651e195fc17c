package server

import (
	"context"
	"net/http"
	"time"
)

// routeSlot receives the pattern of the route that served a request. The
// mux sets Request.Pattern on the request it routes, which is a copy of the
// outer one when the server is mounted under a path, so the pattern is
// handed out through the context instead.
type routeSlot struct{ pattern string }

type routeKey struct{}

// unmatched labels requests no route pattern served (a 405, say), so that
// arbitrary paths cannot grow the metrics without bound.
const unmatched = "unmatched"

// withRoute records the pattern of the route the mux chose, and recovers a
// handler's panic (recoverPanic).
func (s *Server) withRoute(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if slot, ok := r.Context().Value(routeKey{}).(*routeSlot); ok {
				slot.pattern = r.Pattern
			}
		}()
		defer s.recoverPanic(w, r)
		mux.ServeHTTP(w, r)
	})
}

// observe logs each request at debug level, with its status and time, and
// counts it in the metrics, if any, by route pattern and status, observing
// its latency. It is the one place a response's status is recorded.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		slot := &routeSlot{}
		rec := &codeRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), routeKey{}, slot)))
		took := time.Since(start)
		s.log.Debug("http", "method", r.Method, "path", r.URL.Path, "status", rec.code(), "duration", took,
			"client", s.clientIP(r))
		if m := s.ops.metrics.Load(); m != nil {
			route := slot.pattern
			if route == "" {
				route = unmatched
			}
			m.Served(route, rec.code(), took)
		}
	})
}

// codeRecorder remembers the status code written through it.
type codeRecorder struct {
	http.ResponseWriter
	status int
}

func (c *codeRecorder) WriteHeader(code int) {
	if c.status == 0 && code >= 200 {
		c.status = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *codeRecorder) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (c *codeRecorder) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func (c *codeRecorder) code() int {
	if c.status == 0 {
		return http.StatusOK
	}
	return c.status
}
