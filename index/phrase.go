package index

import (
	"context"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Phrases in the word collectors are matched as Bleve's PhraseSearcher
// matches them — the conjunction of the phrase's terms with their term
// vectors, scored by that conjunction — but the terms' positions are
// checked on the match's flat list of locations. Bleve's searcher first
// builds a map of maps of every candidate document's locations
// (DocumentMatch.Complete) and walks them recursively: half of a phrase
// query's time, and most of its allocations. Results and scores are the
// same: TestWordsMatchBleve compares them with the plain search.

// positional returns q with each MatchPhraseQuery in it replaced by a
// phraseQuery; the queries around them are copied, q is not changed.
func positional(q query.Query) query.Query {
	each := func(qs []query.Query) []query.Query {
		out := make([]query.Query, len(qs))
		for i, k := range qs {
			out[i] = positional(k)
		}
		return out
	}
	switch q := q.(type) {
	case *query.MatchPhraseQuery:
		return phraseQuery{q}
	case *query.ConjunctionQuery:
		c := *q
		c.Conjuncts = each(q.Conjuncts)
		return &c
	case *query.DisjunctionQuery:
		c := *q
		c.Disjuncts = each(q.Disjuncts)
		return &c
	case *query.BooleanQuery:
		c := *q
		for _, p := range []*query.Query{&c.Must, &c.Should, &c.MustNot, &c.Filter} {
			if *p != nil {
				*p = positional(*p)
			}
		}
		return &c
	}
	return q
}

// phraseQuery is a MatchPhraseQuery whose searcher checks positions on the
// matches' locations (see positional). A phrase whose analysis puts two
// terms at one position, or a fuzzy one, is left to Bleve's searcher; the
// collectors make neither.
type phraseQuery struct{ *query.MatchPhraseQuery }

// Searcher builds the searcher NewMultiPhraseSearcher builds, without its
// position check, and filters its matches by phraseAt.
func (q phraseQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	field, name := q.FieldVal, q.Analyzer
	if field == "" {
		field = m.DefaultSearchField()
	}
	if name == "" {
		name = m.AnalyzerNameForPath(field)
	}
	a := m.AnalyzerNamed(name)
	if a == nil || q.Fuzziness != 0 {
		return q.MatchPhraseQuery.Searcher(ctx, r, m, options)
	}
	terms := phraseTerms(a.Analyze([]byte(q.MatchPhrase)))
	if terms == nil {
		return q.MatchPhraseQuery.Searcher(ctx, r, m, options)
	}
	options.IncludeTermVectors = true
	var ts []search.Searcher
	closeAll := func() {
		for _, s := range ts {
			_ = s.Close()
		}
	}
	for _, t := range terms {
		if t == "" {
			continue
		}
		s, err := searcher.NewTermSearcher(ctx, r, t, field, q.BoostVal.Value(), options)
		if err != nil {
			closeAll()
			return nil, err
		}
		ts = append(ts, s)
	}
	conj, err := searcher.NewConjunctionSearcher(ctx, r, ts, options)
	if err != nil {
		closeAll()
		return nil, err
	}
	conj.SetQueryNorm(1.0 / math.Sqrt(conj.Weight())) // as PhraseSearcher.computeQueryNorm
	var pos [][]uint64
	return searcher.NewFilteringSearcher(ctx, conj, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		return phraseAt(terms, d.FieldTermLocations, &pos)
	}), nil
}

// phraseTerms returns the terms of an analysed phrase by position from its
// first, "" where analysis removed a word (a stop word), as Bleve's
// tokenStreamToPhrase does; nil when there are none, or when a position
// holds two terms.
func phraseTerms(tokens analysis.TokenStream) []string {
	if len(tokens) == 0 {
		return nil
	}
	first, last := tokens[0].Position, tokens[0].Position
	for _, t := range tokens {
		first, last = min(first, t.Position), max(last, t.Position)
	}
	terms := make([]string, last-first+1)
	for _, t := range tokens {
		at := t.Position - first
		if terms[at] != "" {
			return nil
		}
		terms[at] = string(t.Term)
	}
	return terms
}

// phraseAt reports whether locs (one field's locations of the phrase's
// terms in a document) hold the phrase: a location of its first term at
// some position p, and of its i-th term at p+i in the same array element,
// for each term that is not "". pos is scratch space, reused across calls.
func phraseAt(terms []string, locs []search.FieldTermLocation, pos *[][]uint64) bool {
	p := *pos
	for len(p) < len(terms) {
		p = append(p, nil)
	}
	p = p[:len(terms)]
	for i := range p {
		p[i] = p[i][:0]
	}
	*pos = p
	var arrays bool
	for _, l := range locs {
		for i, t := range terms {
			if l.Term == t {
				p[i] = append(p[i], l.Location.Pos)
			}
		}
		arrays = arrays || len(l.Location.ArrayPositions) > 0
	}
	if arrays {
		return phraseInArrays(terms, locs)
	}
	for i := 1; i < len(p); i++ {
		slices.Sort(p[i]) // a term twice in the phrase has its locations twice, in two runs
	}
	for _, start := range p[0] {
		ok := true
		for i := 1; i < len(terms) && ok; i++ {
			_, found := slices.BinarySearch(p[i], start+uint64(i))
			ok = terms[i] == "" || found
		}
		if ok {
			return true
		}
	}
	return false
}

// phraseInArrays is phraseAt for a field indexed from an array, whose
// consecutive terms must also be in the same element.
func phraseInArrays(terms []string, locs []search.FieldTermLocation) bool {
	for _, s := range locs {
		if s.Term != terms[0] {
			continue
		}
		ok := true
		for i := 1; i < len(terms) && ok; i++ {
			if terms[i] == "" {
				continue
			}
			ok = false
			for _, l := range locs {
				if l.Term == terms[i] && l.Location.Pos == s.Location.Pos+uint64(i) && l.Location.ArrayPositions.Equals(s.Location.ArrayPositions) {
					ok = true
					break
				}
			}
		}
		if ok {
			return true
		}
	}
	return false
}
