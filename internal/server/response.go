package server

import (
	"encoding/json"
	"errors"
	"net/http"
)

// errorBody is the shape of every error the server returns.
type errorBody struct {
	Error string `json:"error"`
	// Pos is the 0-based byte offset of a query syntax error.
	Pos *int `json:"pos,omitempty"`
}

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

// writeError answers with a JSON error body: the status of an *httpError, or
// 500 for anything else, which is also logged (once, here).
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	if errors.As(err, &he) {
		writeJSON(w, he.status, errorBody{Error: he.msg, Pos: he.pos})
		return
	}
	s.log.Error("server: "+err.Error(), "method", r.Method, "path", r.URL.Path)
	writeJSON(w, http.StatusInternalServerError, errorBody{Error: "internal error"})
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
