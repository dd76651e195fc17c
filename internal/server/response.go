package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/lga-digital/bulletin/internal/api"
)

// writeJSON writes v as indented JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// httpError is an error with the status the client should see.
type httpError struct {
	status int
	msg    string
	pos    *int
}

func (e *httpError) Error() string { return e.msg }

func badRequest(msg string) error { return &httpError{status: http.StatusBadRequest, msg: msg} }
func notFound(msg string) error   { return &httpError{status: http.StatusNotFound, msg: msg} }

// StatusClientClosed is the status recorded (nginx's 499) for a request
// whose client went away before the answer was ready.
const StatusClientClosed = 499

// writeError answers with a JSON error body: the status of an *httpError;
// 499 (logged at DEBUG) when the client went away; 503 when the request ran
// out of time; 500 for anything else, which is also logged (once, here)
// and may make the server unready (see failed).
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	if errors.As(err, &he) {
		writeJSON(w, he.status, api.Error{Error: he.msg, Pos: he.pos})
		return
	}
	switch ctxErr := r.Context().Err(); {
	case errors.Is(ctxErr, context.Canceled) && errors.Is(err, context.Canceled):
		s.log.Debug("server: client closed the request: "+err.Error(), "method", r.Method, "path", r.URL.Path)
		writeJSON(w, StatusClientClosed, api.Error{Error: "client closed request"})
		return
	case errors.Is(ctxErr, context.DeadlineExceeded) && errors.Is(err, context.DeadlineExceeded):
		s.log.Warn("server: request took too long: "+err.Error(), "method", r.Method, "path", r.URL.Path, "limit", RequestTimeout)
		w.Header().Set("Retry-After", "60")
		writeJSON(w, http.StatusServiceUnavailable, api.Error{Error: fmt.Sprintf("the request took longer than %s and was stopped; narrow the query", RequestTimeout)})
		return
	}
	s.log.Error("server: "+err.Error(), "method", r.Method, "path", r.URL.Path, "route", r.Pattern)
	s.failed(r, err.Error(), err)
	writeJSON(w, http.StatusInternalServerError, api.Error{Error: "internal error"})
}

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}
