package server

import (
	"net/url"
	"strconv"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/api"
	"github.com/lga-digital/bulletin/internal/dates"
)

// withParams returns a copy of v with the given parameters set; an empty
// value deletes the parameter.
func withParams(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, xs := range v {
		out[k] = append([]string(nil), xs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			out.Del(kv[i])
		} else {
			out.Set(kv[i], kv[i+1])
		}
	}
	return out
}

// searchLinks are the links of an API search response: the same search as
// the API (self, next, prev), as the HTML page and as feeds.
func (s *Server) searchLinks(v url.Values, resp api.SearchResponse) map[string]string {
	api := func(kv ...string) string { return s.URL("/api/search?" + withParams(v, kv...).Encode()) }
	links := map[string]string{"self": api()}
	links["html"] = s.URL("/search" + queryString(v))
	for _, ext := range []string{"rss", "atom", "json"} {
		links[ext] = s.feedOfSearch(v, ext)
	}
	if resp.Page > 1 {
		links["prev"] = api("page", strconv.Itoa(resp.Page-1))
	}
	if resp.Page < resp.Pages {
		links["next"] = api("page", strconv.Itoa(resp.Page+1))
	}
	return links
}

// feedOfSearch is the URL of a search as a feed (ext rss, atom or json).
// Feeds take q and source, and always list newest first; the from and to
// dates of the search become after: and before: terms of its q.
func (s *Server) feedOfSearch(v url.Values, ext string) string {
	q := v.Get("q")
	if t, err := dates.ParseDay(v.Get("from")); err == nil {
		q = index.And(q, "after:"+t.Format("2006-01-02"))
	}
	if t, err := dates.ParseDay(v.Get("to")); err == nil {
		q = index.And(q, "before:"+t.AddDate(0, 0, 1).Format("2006-01-02"))
	}
	fq := url.Values{}
	if q != "" {
		fq.Set("q", q)
	}
	if src := v.Get("source"); src != "" {
		fq.Set("source", src)
	}
	return s.URL("/search." + ext + queryString(fq))
}

// queryString is "?" and the encoded values, or "" when there are none.
func queryString(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}
