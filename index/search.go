package index

import (
	"cmp"
	"context"
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

// Search runs req over the items of the index. A bad query yields a
// *SyntaxError; other bad requests an error wrapping ErrInvalidRequest.
//
// Results are kept until the next write (a repeated request costs a map
// lookup), and a query without words is answered from the catalog, a
// date-ordered copy of the fields such queries look at, when it can be.
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
	switch req.Sort {
	case "", "relevance", "date":
	default:
		return nil, fmt.Errorf("%w: unknown sort %q (want relevance or date)", ErrInvalidRequest, req.Sort)
	}
	gen := ix.gen.Load()
	rkey := resultKey{facetKey: facetKeyOf(req), sort: req.Sort, page: page, size: size, facets: req.Facets, highlight: req.Highlight}
	if req.Sort == "relevance" {
		rkey.sort = ""
	}
	caching := !ix.noResults.Load()
	if res, ok := ix.results.get(rkey, gen); ok && caching {
		out := *res
		out.Hits = slices.Clone(res.Hits)
		out.Editions = slices.Clone(res.Editions)
		out.Took = time.Since(began)
		return &out, nil
	}
	var res *Result
	if catalogable(n) && datesInRange(req) {
		res, err = ix.searchCatalog(ctx, req, n, page, size, gen)
		if err != nil {
			return nil, err
		}
	}
	if res == nil && hasWords(n) && datesInRange(req) {
		if res, err = ix.searchWords(ctx, req, n, page, size, gen); err != nil {
			return nil, err
		}
	}
	if res == nil {
		if res, err = ix.searchBleve(ctx, req, n, page, size, gen); err != nil {
			return nil, err
		}
	}
	if caching {
		ix.results.put(rkey, gen, res, len(res.Hits)+len(res.Editions)+1)
	}
	out := *res
	out.Hits = slices.Clone(res.Hits)
	out.Editions = slices.Clone(res.Editions)
	out.Took = time.Since(began)
	return &out, nil
}

// searchBleve runs a search on the Bleve index.
func (ix *Index) searchBleve(ctx context.Context, req Request, n node, page, size int, gen uint64) (*Result, error) {
	var sortBy []string
	breakTies := false // relevance: Bleve sorts by score alone, ties are ordered here
	switch {
	case req.Sort == "date":
		sortBy = []string{"-" + fPublished, "-" + fOrder, fPosition, "-_score", "_id"}
	case n == nil:
		sortBy = []string{"-" + fPublished, "-" + fOrder, fPosition, "_id"}
	case !hasWords(n):
		// Field restrictions score alike, so most matches tie: order them
		// all, not only the page Bleve keeps by score, newest first.
		sortBy = []string{"-_score", "-" + fPublished, "-" + fOrder, fPosition, "_id"}
	default:
		// Score alone lets Bleve keep only the top hits instead of reading
		// sort values for every match (4× faster on broad queries); ties on
		// the page are broken below, newest first.
		sortBy, breakTies = []string{"-_score"}, true
	}

	res := &Result{Page: page, Size: size, Hits: []Hit{}}
	q := toBleve(n)
	if _, none := q.(*query.MatchNoneQuery); none {
		// Nothing searchable; Bleve would read a MatchNone clause as absent.
		if req.Facets {
			res.Facets = facetsOf(nil)
		}
		return res, nil
	}
	hl := termsOf(n)

	sr := bleve.NewSearchRequestOptions(ix.filtered(q, typeItem, req), size, (page-1)*size, false)
	sr.Fields = []string{fJSON}
	sr.SortBy(sortBy)
	fkey := facetKeyOf(req)
	var cachedFacets []Facet
	haveFacets := false
	if req.Facets {
		cachedFacets, haveFacets = ix.facets.get(fkey, gen)
	}
	if req.Facets && !haveFacets {
		for _, f := range fields.facets {
			sr.AddFacet(f.Facet, bleve.NewFacetRequest(f.facetIndex, maxFacetValues))
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
			ix.facets.put(fkey, gen, cachedFacets, 1)
		}
		res.Facets = cachedFacets
	}

	if n != nil {
		if res.Editions, err = ix.searchEditions(ctx, req, n, q, hl); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// searchEditions returns the editions whose own words match n (q is n
// built on the items' fields), best first, at most maxEditionHits. Editions
// are few (one per 20 items), so ordering every matching one costs little
// and makes ties at the tenth place fall the same way every time (by score
// alone, Bleve breaks them by internal order, which segment merges change).
func (ix *Index) searchEditions(ctx context.Context, req Request, n node, q query.Query, hl *highlightTerms) ([]EditionHit, error) {
	er := bleve.NewSearchRequestOptions(ix.filtered(ix.editionQuery(n, q), typeEdition, req), maxEditionHits, 0, false)
	er.Fields = []string{fJSON}
	er.SortBy([]string{"-_score", "-" + fPublished, "-" + fOrder, "_id"})
	br, err := ix.bleve.SearchInContext(ctx, er)
	if err != nil {
		return nil, fmt.Errorf("search editions %q: %w", req.Query, err)
	}
	var out []EditionHit
	for _, h := range br.Hits {
		var ed model.Edition
		if err := decodeHit(h, &ed); err != nil {
			return nil, err
		}
		eh := EditionHit{Edition: ed, Score: h.Score}
		if req.Highlight {
			eh.Snippet = snippet(ed.Editorial, hl)
		}
		out = append(out, eh)
	}
	slices.SortStableFunc(out, byScoreThenNewestEdition)
	return out, nil
}

// byScoreThenNewestEdition orders edition hits by score, then newest first
// (editions of one date in their archive order), then id.
func byScoreThenNewestEdition(a, b EditionHit) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	if c := b.Edition.Published.Compare(a.Edition.Published); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Edition.Order, a.Edition.Order); c != 0 {
		return c
	}
	return strings.Compare(a.Edition.ID, b.Edition.ID)
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
	return decodeStored(h.ID, []byte(js), v)
}

func facetsOf(frs search.FacetResults) []Facet {
	out := make([]Facet, 0, len(fields.facets))
	for _, f := range fields.facets {
		facet := Facet{Name: f.Facet, Values: []FacetValue{}}
		if fr := frs[f.Facet]; fr != nil && fr.Terms != nil {
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

// editionQuery is n on the editions' own fields, given q, n on the items'
// (an index made before editions had fields of their own shares them).
func (ix *Index) editionQuery(n node, q query.Query) query.Query {
	if ix.edFields == itemFields {
		return q
	}
	return toBleveOn(n, ix.edFields)
}
