package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/api"
	"github.com/lga-digital/bulletin/internal/dates"
)

// Feed sizes: ?limit= defaults to 50 and may not exceed 500.
const (
	defaultFeedLimit = 50
	maxFeedLimit     = 500
	defaultPageSize  = 20
	maxPageSize      = 100
)

// intParam reads a positive integer query parameter; missing means def.
func intParam(q url.Values, name string, def, max int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, badRequest(fmt.Sprintf("%s must be a positive integer, got %q", name, v))
	}
	if max > 0 && n > max {
		return 0, badRequest(fmt.Sprintf("%s must be at most %d, got %d", name, max, n))
	}
	return n, nil
}

// dateParam reads YYYY-MM-DD; end=true gives the end of that day.
func dateParam(q url.Values, name string, end bool) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := dates.ParseDay(v)
	if err != nil {
		return time.Time{}, badRequest(fmt.Sprintf("%s must be a date like 2024-03-21, got %q", name, v))
	}
	if !index.DateInRange(t) {
		return time.Time{}, badRequest(fmt.Sprintf("%s must be a date from %s to %s, got %q", name,
			index.MinDate.Format(time.DateOnly), index.MaxDate.AddDate(0, 0, -1).Format(time.DateOnly), v))
	}
	if end {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, nil
}

// searchRequest turns the query parameters of /api/search and /search into
// an index request.
func (s *Server) searchRequest(r *http.Request) (index.Request, error) {
	q := r.URL.Query()
	req := index.Request{Query: q.Get("q"), Source: q.Get("source"), Sort: q.Get("sort"), Facets: true, Highlight: true}
	if req.Source != "" {
		if _, ok := s.cfg.Source(req.Source); !ok {
			return req, badRequest(fmt.Sprintf("unknown source %q", req.Source))
		}
	}
	switch req.Sort {
	case "", "relevance", "date":
	default:
		return req, badRequest(fmt.Sprintf("sort must be relevance or date, got %q", req.Sort))
	}
	var err error
	if req.Page, err = intParam(q, "page", 1, 0); err != nil {
		return req, err
	}
	if req.Size, err = intParam(q, "size", defaultPageSize, maxPageSize); err != nil {
		return req, err
	}
	if req.From, err = dateParam(q, "from", false); err != nil {
		return req, err
	}
	if req.To, err = dateParam(q, "to", true); err != nil {
		return req, err
	}
	return req, nil
}

// searchError maps a query syntax error to a 400 naming the position.
func searchError(err error) error {
	var se *index.SyntaxError
	if errors.As(err, &se) {
		body := api.QueryError(se)
		return &httpError{status: http.StatusBadRequest, msg: body.Error, pos: body.Pos}
	}
	if errors.Is(err, index.ErrInvalidRequest) {
		return badRequest(err.Error())
	}
	return err
}
