package server

import (
	"bytes"
	"context"
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

// feedRoutes registers every feed: per source, per edition, per section,
// per organisation, per search, the calendars, the OPML list and the CSS
// stylesheet that lets a browser show a feed as a page.
func (s *Server) feedRoutes() {
	s.route("GET /feeds/{file}", s.handle(s.sourceFeed), anyOrigin)
	s.route("GET /feeds/{source}/{file}", s.handle(s.editionsFeed), anyOrigin)
	s.route("GET /feeds/{source}/sections/{file}", s.handle(s.sectionFeed), anyOrigin)
	s.route("GET /feeds/{source}/orgs/{file}", s.handle(s.orgFeed), anyOrigin)
	s.route("GET /feeds/{source}/events.ics", s.handle(s.sourceEvents), anyOrigin)
	s.route("GET /events.ics", s.handle(s.allEvents), anyOrigin)
	s.route("GET /opml", s.handle(s.opml), anyOrigin)
	s.route("GET "+feedCSSPath, s.feedCSS, anyOrigin)
	for ext := range formats {
		s.route("GET /search."+ext, s.handle(s.searchFeed), anyOrigin)
	}
}

// formats maps a feed file extension to its writer and media type, and to
// the media type under which a browser shows the same bytes as a page
// rather than downloading them: XML (laid out by the CSS stylesheet the
// feed names) or JSON.
var formats = map[string]struct {
	write    func(*bytes.Buffer, feed.Feed) error
	typ      string
	pageType string
}{
	"rss":  {func(b *bytes.Buffer, f feed.Feed) error { return feed.WriteRSS(b, f) }, feed.RSSType, xmlPageType},
	"atom": {func(b *bytes.Buffer, f feed.Feed) error { return feed.WriteAtom(b, f) }, feed.AtomType, xmlPageType},
	"json": {func(b *bytes.Buffer, f feed.Feed) error { return feed.WriteJSON(b, f) }, feed.JSONType, "application/json; charset=utf-8"},
}

// xmlPageType is the media type under which browsers render an XML
// document with its xml-stylesheet (they download application/rss+xml).
const xmlPageType = "application/xml; charset=utf-8"

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

// parseFeedQuery reads ?q= ?limit= ?page= ?summary= and checks them before
// anything is looked up: a bad value is a 400 naming it, and a query that
// does not parse is a 400 with the position of the error.
func parseFeedQuery(r *http.Request) (feedQuery, error) {
	v := r.URL.Query()
	fq := feedQuery{q: v.Get("q")}
	switch sum := v.Get("summary"); sum {
	case "", "0", "false":
	case "1", "true":
		fq.summaryOnly = true
	default:
		return fq, badRequest(fmt.Sprintf("summary must be 1 or 0, got %q", sum))
	}
	var err error
	if fq.limit, err = intParam(v, "limit", defaultFeedLimit, maxFeedLimit); err != nil {
		return fq, err
	}
	if fq.page, err = intParam(v, "page", 1, index.MaxPage); err != nil {
		return fq, err
	}
	if _, err := index.ParseQuery(fq.q); err != nil {
		return fq, searchError(err)
	}
	return fq, nil
}

// withFilter restricts a user's query (already checked on its own, so that
// it cannot unbalance the filter's parentheses) to a filter expression.
func withFilter(filter, q string) string {
	switch {
	case filter == "":
		return q
	case strings.TrimSpace(q) == "":
		return filter
	}
	return "(" + filter + ") (" + q + ")"
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
	fq, err := parseFeedQuery(r)
	if err != nil {
		return err
	}
	return s.serveCached(w, r, src.ID, func(ctx context.Context) (*rendered, error) {
		f := feed.Feed{Title: src.Title, Description: "Articles of the " + src.Title + ", one entry per article.",
			HomeURL: s.homeOf(src), Author: src.Title}
		return s.renderItemFeed(ctx, r, format, index.Request{Source: src.ID}, "", fq, f)
	})
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
	fq, err := parseFeedQuery(r)
	if err != nil {
		return err
	}
	return s.serveCached(w, r, req.Source, func(ctx context.Context) (*rendered, error) {
		title := "Bulletin search"
		if fq.q != "" {
			title = "Bulletin search: " + fq.q
		}
		f := feed.Feed{Title: title, Description: "Articles matching “" + fq.q + "”, newest first.",
			HomeURL: s.URL("/search?" + url.Values{"q": {fq.q}}.Encode())}
		return s.renderItemFeed(ctx, r, format, req, "", fq, f)
	})
}

// renderItemFeed runs a date-sorted search for the user's query within
// filter and renders the hits as a feed with paging links.
func (s *Server) renderItemFeed(ctx context.Context, r *http.Request, format string, req index.Request, filter string, fq feedQuery, f feed.Feed) (*rendered, error) {
	req.Query, req.Sort, req.Size, req.Page = withFilter(filter, fq.q), "date", fq.limit, fq.page
	res, err := s.idx.Search(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	for _, h := range res.Hits {
		e := feed.FromItem(s.site, h.Item, fq.summaryOnly)
		e.Author = s.sourceTitle(h.Item.Source)
		f.Entries = append(f.Entries, e)
	}
	q := canonicalQuery(r)
	f.SelfURL = s.selfURL(r, q)
	f.ID = f.SelfURL
	f.Language = "en-GB"
	f.Links = s.pagingLinks(r, q, fq.page, int(res.Total), fq.limit)
	if len(f.Entries) == 0 {
		if f.Updated, err = s.scopeUpdated(ctx, req.Source); err != nil {
			return nil, err
		}
	}
	return s.renderFeed(format, f)
}

// scopeUpdated dates a feed with no entries: the newest edition of the
// source ("" = of every source), or zero for an empty index.
func (s *Server) scopeUpdated(ctx context.Context, source string) (time.Time, error) {
	eds, _, err := s.idx.LatestEditions(ctx, source, 1)
	if err != nil || len(eds) == 0 {
		return time.Time{}, err
	}
	return eds[0].Published, nil
}

// pagingLinks are RFC 5005 paged-feed links: first, previous, next, last.
func (s *Server) pagingLinks(r *http.Request, q url.Values, page, total, size int) []feed.Link {
	at := func(p int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		if p == 1 {
			v.Del("page")
		} else {
			v.Set("page", strconv.Itoa(p))
		}
		return s.selfURL(r, v)
	}
	last := max(1, min((total+size-1)/size, index.MaxPage))
	links := []feed.Link{{Rel: "first", Href: at(1)}}
	if page > 1 {
		links = append(links, feed.Link{Rel: "previous", Href: at(min(page-1, last))})
	}
	if page < last {
		links = append(links, feed.Link{Rel: "next", Href: at(page + 1)})
	}
	links = append(links, feed.Link{Rel: "last", Href: at(last)})
	return links
}

// editionsFeed serves /feeds/{source}/editions.{rss,atom,json}: one entry
// per edition, its editorial and its list of articles. With ?q= it keeps
// the editions that have a matching article or whose own text matches.
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
		return notFound(fmt.Sprintf("no such feed %q: want editions.rss, editions.atom or editions.json", r.PathValue("file")))
	}
	fq, err := parseFeedQuery(r)
	if err != nil {
		return err
	}
	return s.serveCached(w, r, src.ID, func(ctx context.Context) (*rendered, error) {
		eds, total, updated, err := s.editionsPage(ctx, src.ID, fq)
		if err != nil {
			return nil, err
		}
		q := canonicalQuery(r)
		f := feed.Feed{Title: src.Title + " (editions)", Description: "Every edition of the " + src.Title + ", one entry per edition.",
			HomeURL: s.homeOf(src), SelfURL: s.selfURL(r, q), Language: "en-GB", Author: src.Title}
		f.ID = f.SelfURL
		for _, ed := range eds {
			items, err := s.idx.EditionItems(ctx, ed.ID)
			if err != nil {
				return nil, err
			}
			f.Entries = append(f.Entries, feed.FromEdition(s.site, ed, items, fq.summaryOnly))
		}
		if len(f.Entries) == 0 {
			f.Updated = updated
		}
		f.Links = s.pagingLinks(r, q, fq.page, total, fq.limit)
		return s.renderFeed(format, f)
	})
}

// editionsPage returns the editions of a source on the feed's page, how
// many there are in all, and, when the page is empty, when the newest of
// the source's editions was sent (the feed's date). Without a query only
// the page is read: a source may hold tens of thousands of editions.
func (s *Server) editionsPage(ctx context.Context, source string, fq feedQuery) (page []model.Edition, total int, newest time.Time, err error) {
	if strings.TrimSpace(fq.q) == "" {
		page, total, err = s.idx.EditionsPage(ctx, source, (fq.page-1)*fq.limit, fq.limit)
		if err != nil {
			return nil, 0, time.Time{}, err
		}
		if len(page) > 0 || total == 0 {
			return page, total, time.Time{}, nil
		}
		latest, _, err := s.idx.LatestEditions(ctx, source, 1)
		if err != nil {
			return nil, 0, time.Time{}, err
		}
		if len(latest) > 0 {
			newest = latest[0].Published
		}
		return page, total, newest, nil
	}
	eds, err := s.idx.Editions(ctx, source)
	if err != nil {
		return nil, 0, time.Time{}, err
	}
	if len(eds) > 0 {
		newest = eds[0].Published
	}
	if eds, err = s.matchingEditions(ctx, source, fq.q, eds); err != nil {
		return nil, 0, time.Time{}, err
	}
	return pageOf(eds, fq.page, fq.limit), len(eds), newest, nil
}

// maxScanHits bounds how many matching items a filtered editions feed or
// a calendar reads.
const maxScanHits = 10 * index.MaxSize

// matchingEditions keeps the editions (in their order) that hold an item
// matching q or whose own title or editorial matches it.
func (s *Server) matchingEditions(ctx context.Context, source, q string, eds []model.Edition) ([]model.Edition, error) {
	keep := map[string]bool{}
	err := s.scanItems(ctx, index.Request{Query: q, Source: source}, func(res *index.Result) {
		for _, h := range res.Hits {
			keep[h.Item.EditionID] = true
		}
		for _, eh := range res.Editions {
			keep[eh.Edition.ID] = true
		}
	})
	if err != nil {
		return nil, err
	}
	var out []model.Edition
	for _, ed := range eds {
		if keep[ed.ID] {
			out = append(out, ed)
		}
	}
	return out, nil
}

// scanItems runs req newest first, page by page of index.MaxSize hits,
// up to maxScanHits, handing each page to fn.
func (s *Server) scanItems(ctx context.Context, req index.Request, fn func(*index.Result)) error {
	req.Sort, req.Size = "date", index.MaxSize
	for req.Page = 1; (req.Page-1)*req.Size < maxScanHits; req.Page++ {
		res, err := s.idx.Search(ctx, req)
		if err != nil {
			return searchError(err)
		}
		fn(res)
		if len(res.Hits) < req.Size || uint64(req.Page*req.Size) >= res.Total {
			return nil
		}
	}
	return nil
}

func pageOf[T any](all []T, page, size int) []T {
	start := (page - 1) * size
	if start >= len(all) {
		return nil
	}
	return all[start:min(len(all), start+size)]
}

// sourceTitle is the title of a source, the author of its entries; "" for
// a source no longer configured.
func (s *Server) sourceTitle(id string) string {
	if src, ok := s.cfg.Source(id); ok {
		return src.Title
	}
	return ""
}

// homeOf is the page a source's feeds link to as their alternate.
func (s *Server) homeOf(src *config.Source) string {
	if src.Home != "" {
		return src.Home
	}
	return s.URL("/")
}

// renderFeed renders a feed in a format, pointing RSS and Atom at the CSS
// stylesheet. Its modtime is the newest entry; serveCached moves it to when
// the document's bytes last changed, if later.
func (s *Server) renderFeed(format string, f feed.Feed) (*rendered, error) {
	ft := formats[format]
	if ft.pageType == xmlPageType {
		f.Stylesheet = s.URL(feedCSSPath)
	}
	var buf bytes.Buffer
	if err := ft.write(&buf, f); err != nil {
		return nil, fmt.Errorf("render %s feed %s: %w", format, f.SelfURL, err)
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
	doc := newRendered(buf.Bytes(), ft.typ, updated)
	doc.pageType = ft.pageType
	return doc, nil
}
