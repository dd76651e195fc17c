package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/feed"
	"github.com/lga-digital/bulletin/internal/model"
)

func (s *Server) feedRoutes() {
	s.mux.HandleFunc("GET /feeds/{file}", s.handle(s.sourceFeed))
	s.mux.HandleFunc("GET /feeds/{source}/{file}", s.handle(s.editionsFeed))
	for ext := range formats {
		s.mux.HandleFunc("GET /search."+ext, s.handle(s.searchFeed))
	}
}

// formats maps a feed file extension to its writer and media type.
var formats = map[string]struct {
	write func(*bytes.Buffer, feed.Feed) error
	typ   string
}{
	"rss":  {func(b *bytes.Buffer, f feed.Feed) error { return feed.WriteRSS(b, f) }, feed.RSSType},
	"atom": {func(b *bytes.Buffer, f feed.Feed) error { return feed.WriteAtom(b, f) }, feed.AtomType},
	"json": {func(b *bytes.Buffer, f feed.Feed) error { return feed.WriteJSON(b, f) }, feed.JSONType},
}

// splitExt splits "lga-cdt.rss" into "lga-cdt" and a known format.
func splitExt(file string) (name, format string, err error) {
	i := strings.LastIndexByte(file, '.')
	if i <= 0 {
		return "", "", notFound(fmt.Sprintf("no such feed %q: want NAME.rss, NAME.atom or NAME.json", file))
	}
	name, format = file[:i], file[i+1:]
	if _, ok := formats[format]; !ok {
		return "", "", notFound(fmt.Sprintf("unknown feed format %q: want rss, atom or json", format))
	}
	return name, format, nil
}

func (s *Server) source(id string) (*config.Source, error) {
	src, ok := s.cfg.Source(id)
	if !ok {
		return nil, notFound(fmt.Sprintf("unknown source %q", id))
	}
	return src, nil
}

// feedQuery holds the parameters every feed takes.
type feedQuery struct {
	q           string
	limit, page int
	summaryOnly bool
}

func parseFeedQuery(r *http.Request) (feedQuery, error) {
	v := r.URL.Query()
	fq := feedQuery{q: v.Get("q"), summaryOnly: v.Get("summary") == "1" || v.Get("summary") == "true"}
	var err error
	if fq.limit, err = intParam(v, "limit", defaultFeedLimit, maxFeedLimit); err != nil {
		return fq, err
	}
	if fq.page, err = intParam(v, "page", 1, 0); err != nil {
		return fq, err
	}
	return fq, nil
}

// sourceFeed serves /feeds/{source}.{rss,atom,json}: the source's items,
// newest first.
func (s *Server) sourceFeed(w http.ResponseWriter, r *http.Request) error {
	id, format, err := splitExt(r.PathValue("file"))
	if err != nil {
		return err
	}
	src, err := s.source(id)
	if err != nil {
		return err
	}
	f := feed.Feed{Title: src.Title, Description: "Articles of the " + src.Title + ", one entry per article.",
		HomeURL: s.homeOf(src)}
	return s.itemFeed(w, r, format, index.Request{Source: src.ID}, f)
}

// searchFeed serves /search.{rss,atom,json}?q=: a saved search as a feed.
func (s *Server) searchFeed(w http.ResponseWriter, r *http.Request) error {
	format := strings.TrimPrefix(r.URL.Path[strings.LastIndexByte(r.URL.Path, '.'):], ".")
	req := index.Request{Source: r.URL.Query().Get("source")}
	if req.Source != "" {
		if _, err := s.source(req.Source); err != nil {
			return err
		}
	}
	q := r.URL.Query().Get("q")
	title := "Bulletin search"
	if q != "" {
		title = "Bulletin search: " + q
	}
	f := feed.Feed{Title: title, Description: "Articles matching " + strconv.Quote(q) + ", newest first.",
		HomeURL: s.URL("/search?" + url.Values{"q": {q}}.Encode())}
	return s.itemFeed(w, r, format, req, f)
}

// itemFeed runs a date-sorted search and writes the hits as a feed with
// paging links.
func (s *Server) itemFeed(w http.ResponseWriter, r *http.Request, format string, req index.Request, f feed.Feed) error {
	fq, err := parseFeedQuery(r)
	if err != nil {
		return err
	}
	req.Query, req.Sort, req.Size, req.Page = fq.q, "date", fq.limit, fq.page
	res, err := s.idx.Search(r.Context(), req)
	if err != nil {
		return searchError(err)
	}
	for _, h := range res.Hits {
		f.Entries = append(f.Entries, feed.FromItem(h.Item, fq.summaryOnly))
	}
	f.SelfURL = s.URL(r.URL.RequestURI())
	f.ID = f.SelfURL
	f.Language = "en-GB"
	f.Links = s.pagingLinks(r, fq.page, int(res.Total), fq.limit)
	return s.writeFeed(w, r, format, f)
}

// pagingLinks are RFC 5005 paged-feed links: first, previous, next.
func (s *Server) pagingLinks(r *http.Request, page, total, size int) []feed.Link {
	at := func(p int) string {
		q := r.URL.Query()
		if p == 1 {
			q.Del("page")
		} else {
			q.Set("page", strconv.Itoa(p))
		}
		u := *r.URL
		u.RawQuery = q.Encode()
		return s.URL(u.RequestURI())
	}
	links := []feed.Link{{Rel: "first", Href: at(1)}}
	if page > 1 {
		links = append(links, feed.Link{Rel: "previous", Href: at(page - 1)})
	}
	if page*size < total {
		links = append(links, feed.Link{Rel: "next", Href: at(page + 1)})
	}
	return links
}

// editionsFeed serves /feeds/{source}/editions.{rss,atom,json}: one entry
// per edition, its editorial and its list of articles.
func (s *Server) editionsFeed(w http.ResponseWriter, r *http.Request) error {
	src, err := s.source(r.PathValue("source"))
	if err != nil {
		return err
	}
	name, format, err := splitExt(r.PathValue("file"))
	if err != nil {
		return err
	}
	if name != "editions" {
		return notFound(fmt.Sprintf("no such feed %q", r.PathValue("file")))
	}
	fq, err := parseFeedQuery(r)
	if err != nil {
		return err
	}
	eds, err := s.idx.Editions(r.Context(), src.ID)
	if err != nil {
		return err
	}
	total := len(eds)
	eds = pageOf(eds, fq.page, fq.limit)
	f := feed.Feed{Title: src.Title + " (editions)", Description: "Every edition of the " + src.Title + ", one entry per edition.",
		HomeURL: s.homeOf(src), SelfURL: s.URL(r.URL.RequestURI()), Language: "en-GB"}
	f.ID = f.SelfURL
	for _, ed := range eds {
		items, err := s.editionItems(r.Context(), ed.ID)
		if err != nil {
			return err
		}
		f.Entries = append(f.Entries, feed.FromEdition(ed, items, fq.summaryOnly))
	}
	f.Links = s.pagingLinks(r, fq.page, total, fq.limit)
	return s.writeFeed(w, r, format, f)
}

func (s *Server) editionItems(ctx context.Context, editionID string) ([]model.Item, error) {
	return s.idx.EditionItems(ctx, editionID)
}

func pageOf[T any](all []T, page, size int) []T {
	start := (page - 1) * size
	if start >= len(all) {
		return nil
	}
	return all[start:min(len(all), start+size)]
}

// homeOf is the page a source's feeds link to as their alternate.
func (s *Server) homeOf(src *config.Source) string {
	if src.Home != "" {
		return src.Home
	}
	return s.URL("/")
}

// writeFeed renders a feed and answers with validators derived from the
// content: ETag is a hash of the bytes, Last-Modified the newest entry.
func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, format string, f feed.Feed) error {
	var buf bytes.Buffer
	ft := formats[format]
	if err := ft.write(&buf, f); err != nil {
		return fmt.Errorf("render %s feed: %w", format, err)
	}
	updated := f.Updated
	for _, e := range f.Entries {
		if e.Updated.After(updated) {
			updated = e.Updated
		}
		if e.Published.After(updated) {
			updated = e.Published
		}
	}
	sum := sha256.Sum256(buf.Bytes())
	h := w.Header()
	h.Set("Content-Type", ft.typ)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	h.Set("Cache-Control", "public, max-age=900")
	h.Set("Access-Control-Allow-Origin", "*")
	modtime := time.Time{}
	if !updated.IsZero() {
		modtime = updated
	}
	http.ServeContent(w, r, "", modtime, bytes.NewReader(buf.Bytes()))
	return nil
}
