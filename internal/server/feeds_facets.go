package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/feed"
	"github.com/lga-digital/bulletin/internal/model"
)

// A facet feed is the feed of one value of an item property: a section
// ("Monthly Highlights" → /feeds/lga-cdt/sections/monthly-highlights.rss)
// or an organisation mentioned ("NCSC" → /feeds/lga-cdt/orgs/ncsc.rss).
// The values are those the index holds, so the feeds exist exactly for
// the sections and organisations the source's items have.
type facetKind struct {
	facet string // index facet name: "section" or "org"
	field string // query-language field
	dir   string // URL folder: "sections" or "orgs"
	noun  string // for titles and errors
}

var (
	sectionFacet = facetKind{facet: "section", field: "section", dir: "sections", noun: "section"}
	orgFacet     = facetKind{facet: "org", field: "org", dir: "orgs", noun: "organisation"}
)

// facetValue is one section or organisation with a feed.
type facetValue struct {
	Slug  string
	Names []string // the values written in the items that share the slug, most frequent first
	Count int
}

// facetValues lists the values of a facet among a source's items that can
// have a feed (a non-empty slug, and no double quote, which the query
// language cannot carry inside a phrase), grouped by slug, most items first.
func (s *Server) facetValues(ctx context.Context, source string, k facetKind) ([]facetValue, error) {
	res, err := s.idx.Search(ctx, index.Request{Source: source, Size: 1, Facets: true})
	if err != nil {
		return nil, fmt.Errorf("%s facet of %s: %w", k.facet, source, err)
	}
	var out []facetValue
	at := map[string]int{}
	for _, f := range res.Facets {
		if f.Name != k.facet {
			continue
		}
		for _, v := range f.Values {
			sl := model.Slug(v.Value)
			if sl == "" || strings.Contains(v.Value, `"`) || strings.TrimSpace(v.Value) == "" {
				continue
			}
			i, ok := at[sl]
			if !ok {
				i = len(out)
				at[sl] = i
				out = append(out, facetValue{Slug: sl})
			}
			out[i].Names = append(out[i].Names, v.Value)
			out[i].Count += v.Count
		}
	}
	slices.SortStableFunc(out, func(a, b facetValue) int { return b.Count - a.Count })
	return out, nil
}

// filter is the query-language expression that selects the value's items.
func (v facetValue) filter(k facetKind) string {
	parts := make([]string, len(v.Names))
	for i, n := range v.Names {
		parts[i] = k.field + `:"` + n + `"`
	}
	return strings.Join(parts, " OR ")
}

func (s *Server) sectionFeed(w http.ResponseWriter, r *http.Request) error {
	return s.facetFeed(w, r, sectionFacet)
}

func (s *Server) orgFeed(w http.ResponseWriter, r *http.Request) error {
	return s.facetFeed(w, r, orgFacet)
}

// facetFeed serves /feeds/{source}/sections/{slug}.{rss,atom,json} and
// /feeds/{source}/orgs/{slug}.…: the source's items of one section or
// mentioning one organisation, newest first. A slug the index does not
// know is a 404.
func (s *Server) facetFeed(w http.ResponseWriter, r *http.Request, k facetKind) error {
	src, err := s.source(r.PathValue("source"))
	if err != nil {
		return err
	}
	name, format, err := splitExt(r.PathValue("file"))
	if err != nil {
		return err
	}
	fq, err := parseFeedQuery(r)
	if err != nil {
		return err
	}
	return s.serveCached(w, r, src.ID, func(ctx context.Context) (*rendered, error) {
		vals, err := s.facetValues(ctx, src.ID, k)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(vals, func(v facetValue) bool { return v.Slug == name })
		if i < 0 {
			return nil, notFound(fmt.Sprintf("no %s %q in source %s; /opml lists the feeds there are", k.noun, name, src.ID))
		}
		v := vals[i]
		f := feed.Feed{Title: src.Title + ": " + v.Names[0],
			Description: fmt.Sprintf("Articles of the %s in the %s %q, newest first.", src.Title, k.noun, v.Names[0]),
			HomeURL:     s.homeOf(src), Author: src.Title}
		if k == orgFacet {
			f.Description = fmt.Sprintf("Articles of the %s that mention %s, newest first.", src.Title, v.Names[0])
		}
		return s.renderItemFeed(ctx, r, format, index.Request{Source: src.ID}, v.filter(k), fq, f)
	})
}
