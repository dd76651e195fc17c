package server

import (
	"net/url"
	"strconv"
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
func (s *Server) searchLinks(v url.Values, resp SearchResponse) map[string]string {
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
// Feeds take only q and source, and always list newest first.
func (s *Server) feedOfSearch(v url.Values, ext string) string {
	fq := url.Values{}
	for _, k := range []string{"q", "source"} {
		if x := v.Get(k); x != "" {
			fq.Set(k, x)
		}
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
