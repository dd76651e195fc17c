package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Bounds of a feed's Cache-Control max-age: the time until the source's
// next scheduled crawl, clamped, or noScheduleMaxAge when none is scheduled.
const (
	minFeedMaxAge    = 5 * time.Minute
	maxFeedMaxAge    = 6 * time.Hour
	noScheduleMaxAge = time.Hour
)

// feedParams are the query parameters feeds take; any other parameter
// (utm_source, a cache buster) is left out of the cache key and self link.
var feedParams = []string{"limit", "page", "q", "source", "summary"}

// canonicalQuery is the request's feed parameters, first value of each,
// empty ones dropped, sorted: the same feed has one self URL and one cache
// entry however the client wrote its query.
func canonicalQuery(r *http.Request) url.Values {
	in := r.URL.Query()
	out := url.Values{}
	for _, k := range feedParams {
		if v := in.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

// selfURL is the absolute URL of the request's feed with query q.
func (s *Server) selfURL(r *http.Request, q url.Values) string {
	u := r.URL.Path
	if enc := q.Encode(); enc != "" {
		u += "?" + enc
	}
	return s.URL(u)
}

// serveCached answers from the feed cache, or renders the document, caches
// it and answers. render runs only on a miss (a hit does not touch the
// index), and once for all the concurrent requests of a document.
// The document's Last-Modified is when its bytes last changed (changeLog),
// never earlier than its newest entry.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request, scope string, render func(ctx context.Context) (*rendered, error)) error {
	key := feedKey(r)
	if doc, ok := s.feeds.get(key); ok {
		s.serveRendered(w, r, doc)
		return nil
	}
	doc, err := s.feeds.shared(r.Context(), key, scope, func(ctx context.Context) (*rendered, error) {
		doc, err := render(ctx)
		if err != nil {
			return nil, err
		}
		if since := s.changes.since(key, doc.etag, time.Now()); since.After(doc.modtime) {
			doc.modtime = since
		}
		return doc, nil
	})
	if err != nil {
		return err
	}
	s.serveRendered(w, r, doc)
	return nil
}

// newRendered wraps a document's bytes with an ETag hashed from them.
func newRendered(body []byte, typ string, modtime time.Time) *rendered {
	sum := sha256.Sum256(body)
	return &rendered{body: body, typ: typ, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, modtime: modtime.UTC().Truncate(time.Second)}
}

// serveRendered writes a document with its validators and caching headers;
// http.ServeContent answers If-None-Match and If-Modified-Since with 304
// (and serves HEAD and ranges).
func (s *Server) serveRendered(w http.ResponseWriter, r *http.Request, doc *rendered) {
	h := w.Header()
	typ, etag := doc.typ, doc.etag
	if doc.pageType != "" {
		// Browsers download application/rss+xml, application/atom+xml and
		// application/feed+json but show application/xml (through the
		// feed's xml-stylesheet) and application/json as pages. Only the
		// media type differs: the bytes are the same for every client.
		h.Add("Vary", "Accept")
		if wantsPage(r.Header.Get("Accept")) {
			typ, etag = doc.pageType, strings.TrimSuffix(etag, `"`)+`-page"`
		}
	}
	h.Set("Content-Type", typ)
	h.Set("ETag", etag)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(s.maxAge(doc.scope, time.Now()).Seconds())))
	modtime := doc.modtime
	if modtime.IsZero() || modtime.Equal(time.Unix(0, 0)) {
		// Nothing dated yet: say so rather than invent a time. ServeContent
		// then leaves Last-Modified alone and answers on the ETag alone.
		h.Set("Last-Modified", time.Unix(0, 0).UTC().Format(http.TimeFormat))
		modtime = time.Time{}
	}
	http.ServeContent(w, r, "", modtime, bytes.NewReader(doc.body))
}

// wantsPage reports whether an Accept header is a browser's navigation
// (HTML first) rather than a feed reader's (which names a feed type or
// accepts anything).
func wantsPage(accept string) bool {
	a := strings.ToLower(accept)
	return strings.Contains(a, "text/html") && !strings.Contains(a, "rss") && !strings.Contains(a, "atom")
}

// maxAge is how long clients may keep a feed of scope ("" = every source)
// without asking again: until the next scheduled crawl of the source (the
// soonest, for every source), clamped to [5 min, 6 h]; the minimum while a
// crawl runs.
func (s *Server) maxAge(scope string, now time.Time) time.Duration {
	if s.sched == nil {
		return noScheduleMaxAge
	}
	best, found := time.Duration(0), false
	for _, st := range s.sched.Status() {
		if scope != "" && st.Source != scope {
			continue
		}
		var d time.Duration
		switch {
		case st.Running:
			d = minFeedMaxAge
		case st.Next.IsZero():
			continue
		default:
			d = st.Next.Sub(now)
		}
		if !found || d < best {
			best, found = d, true
		}
	}
	if !found {
		best = noScheduleMaxAge
	}
	return min(max(best, minFeedMaxAge), maxFeedMaxAge)
}
