package index

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/lga-digital/bulletin/internal/model"
)

// MaxSize is the largest page of hits Search returns.
const MaxSize = 500

// DefaultSize is the page size when Request.Size is not positive.
const DefaultSize = 20

// MaxPage is the last page Search serves; deeper paging is an invalid request.
const MaxPage = 10000

// maxEditionHits bounds Result.Editions.
const maxEditionHits = 10

// maxFacetValues bounds the values of each facet.
const maxFacetValues = 100

// Request is one search.
type Request struct {
	Query     string    // our query language; "" lists the newest items
	Source    string    // restrict to a source id ("" = all)
	From, To  time.Time // restrict by item Published (inclusive; zero = open)
	Sort      string    // "" or "relevance" (default; newest first when Query is empty), "date" (newest first)
	Page      int       // 1-based; <1 means 1
	Size      int       // default DefaultSize; capped at MaxSize
	Facets    bool      // compute facets
	Highlight bool      // compute snippets
}

// Result is one page of hits with the total number of matching items.
type Result struct {
	Total  uint64
	Page   int
	Size   int
	Hits   []Hit
	Facets []Facet
	// Editions are the editions whose title, issue line or editorial match a
	// non-empty query (best first, at most 10, regardless of Page); items
	// remain the primary hits.
	Editions []EditionHit
	Took     time.Duration
}

// Hit is one matching item.
type Hit struct {
	Item    model.Item
	Score   float64
	Snippet string // HTML-escaped text with matched words in <mark>…</mark>; never raw source HTML
}

// EditionHit is one edition whose own text matches the query.
type EditionHit struct {
	Edition model.Edition
	Score   float64
	Snippet string // from the editorial, escaped like Hit.Snippet
}

// Facet counts the matching items by one property. Section and org values
// are as written in the items, year is the UTC year of publication, edition
// is the edition number (items of unnumbered editions are not counted) and
// source is the source id.
type Facet struct {
	Name   string       `json:"name"` // "section", "year", "edition", "org", "source"
	Values []FacetValue `json:"values"`
}

// FacetValue is one value of a facet and the number of matching items with it,
// ordered by count (highest first), then value.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// facetFields maps each facet name to the field it counts, in Result order.
var facetFields = [...]struct{ name, field string }{
	{"section", fSectionFacet},
	{"year", fYear},
	{"edition", fEditionFacet},
	{"org", fOrgFacet},
	{"source", fSource},
}

// Search runs req over the items of the index. A bad query yields a
// *SyntaxError; other bad requests an error wrapping ErrInvalidRequest.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	began := time.Now()
	page, size := max(req.Page, 1), req.Size
	if size <= 0 {
		size = DefaultSize
	}
	size = min(size, MaxSize)
	if page > MaxPage {
		return nil, fmt.Errorf("%w: page %d is beyond the last page served, %d", ErrInvalidRequest, page, MaxPage)
	}
	n, err := parse(req.Query)
	if err != nil {
		return nil, err
	}
	if err := ix.checkExpansion(n); err != nil {
		return nil, err
	}
	var sortBy []string
	breakTies := false // relevance: Bleve sorts by score alone, ties are ordered here
	switch req.Sort {
	case "", "relevance":
		// Score alone lets Bleve keep only the top hits instead of reading
		// sort values for every match (4× faster on broad queries); ties on
		// the page are broken below, newest first.
		if n == nil {
			sortBy = []string{"-" + fPublished, "-" + fOrder, fPosition, "_id"}
		} else {
			sortBy, breakTies = []string{"-_score"}, true
		}
	case "date":
		sortBy = []string{"-" + fPublished, "-" + fOrder, fPosition, "-_score", "_id"}
	default:
		return nil, fmt.Errorf("%w: unknown sort %q (want relevance or date)", ErrInvalidRequest, req.Sort)
	}

	res := &Result{Page: page, Size: size, Hits: []Hit{}}
	q := toBleve(n)
	if _, none := q.(*query.MatchNoneQuery); none {
		// Nothing searchable; Bleve would read a MatchNone clause as absent.
		if req.Facets {
			res.Facets = facetsOf(nil)
		}
		res.Took = time.Since(began)
		return res, nil
	}
	hl := termsOf(n)

	sr := bleve.NewSearchRequestOptions(ix.filtered(q, typeItem, req), size, (page-1)*size, false)
	sr.Fields = []string{fJSON}
	sr.SortBy(sortBy)
	fkey, fgen := facetKeyOf(req), ix.facets.gen.Load()
	var cachedFacets []Facet
	haveFacets := false
	if req.Facets {
		cachedFacets, haveFacets = ix.facets.get(fkey)
	}
	if req.Facets && !haveFacets {
		for _, f := range facetFields {
			sr.AddFacet(f.name, bleve.NewFacetRequest(f.field, maxFacetValues))
		}
	}
	br, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", req.Query, err)
	}
	res.Total = br.Total
	for _, h := range br.Hits {
		var it model.Item
		if err := decodeHit(h, &it); err != nil {
			return nil, err
		}
		hit := Hit{Item: it, Score: h.Score}
		if req.Highlight {
			hit.Snippet = snippet(it.Text, hl)
		}
		res.Hits = append(res.Hits, hit)
	}
	if breakTies {
		slices.SortStableFunc(res.Hits, byScoreThenNewest)
	}
	if req.Facets {
		if !haveFacets {
			cachedFacets = facetsOf(br.Facets)
			ix.facets.put(fkey, fgen, cachedFacets)
		}
		res.Facets = cachedFacets
	}

	if n != nil {
		er := bleve.NewSearchRequestOptions(ix.filtered(q, typeEdition, req), maxEditionHits, 0, false)
		er.Fields = []string{fJSON}
		er.SortBy([]string{"-_score"})
		br, err := ix.bleve.SearchInContext(ctx, er)
		if err != nil {
			return nil, fmt.Errorf("search editions %q: %w", req.Query, err)
		}
		for _, h := range br.Hits {
			var ed model.Edition
			if err := decodeHit(h, &ed); err != nil {
				return nil, err
			}
			eh := EditionHit{Edition: ed, Score: h.Score}
			if req.Highlight {
				eh.Snippet = snippet(ed.Editorial, hl)
			}
			res.Editions = append(res.Editions, eh)
		}
		slices.SortStableFunc(res.Editions, func(a, b EditionHit) int {
			if c := cmp.Compare(b.Score, a.Score); c != 0 {
				return c
			}
			if c := b.Edition.Published.Compare(a.Edition.Published); c != 0 {
				return c
			}
			return strings.Compare(a.Edition.ID, b.Edition.ID)
		})
	}
	res.Took = time.Since(began)
	return res, nil
}

// byScoreThenNewest orders hits by score, then newest first (editions of
// one date in their archive order), then page order.
func byScoreThenNewest(a, b Hit) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	if c := b.Item.Published.Compare(a.Item.Published); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Item.EditionOrder, a.Item.EditionOrder); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Item.Position, b.Item.Position); c != 0 {
		return c
	}
	return strings.Compare(a.Item.ID, b.Item.ID)
}

// filtered restricts q to documents of type typ and to the request's source
// and dates, without letting the restrictions change scores.
func (ix *Index) filtered(q query.Query, typ string, req Request) query.Query {
	filters := []query.Query{termQ(fType, typ)}
	if req.Source != "" {
		filters = append(filters, termQ(fSource, normKeyword(req.Source)))
	}
	if !req.From.IsZero() || !req.To.IsZero() {
		incl := true
		dq := query.NewDateRangeInclusiveQuery(req.From, req.To, &incl, &incl)
		dq.SetField(fPublished)
		filters = append(filters, dq)
	}
	b := query.NewBooleanQuery(nil, nil, nil)
	b.Must = q
	b.Filter = query.NewConjunctionQuery(filters)
	return b
}

func decodeHit(h *search.DocumentMatch, v any) error {
	js, _ := h.Fields[fJSON].(string)
	if err := json.Unmarshal([]byte(js), v); err != nil {
		return fmt.Errorf("decode stored %s: %w", h.ID, err)
	}
	return nil
}

func facetsOf(frs search.FacetResults) []Facet {
	out := make([]Facet, 0, len(facetFields))
	for _, f := range facetFields {
		facet := Facet{Name: f.name, Values: []FacetValue{}}
		if fr := frs[f.name]; fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				facet.Values = append(facet.Values, FacetValue{Value: t.Term, Count: t.Count})
			}
		}
		slices.SortFunc(facet.Values, func(a, b FacetValue) int {
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
			return strings.Compare(a.Value, b.Value)
		})
		out = append(out, facet)
	}
	return out
}
