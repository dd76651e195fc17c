package index

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lga-digital/bulletin/internal/model"
)

// hasWords reports whether a query searches the text: without words, every
// match of a field restriction scores alike and order comes from the date.
func hasWords(n node) bool {
	switch n := n.(type) {
	case andNode:
		return slices.ContainsFunc(n.kids, hasWords)
	case orNode:
		return slices.ContainsFunc(n.kids, hasWords)
	case notNode:
		return hasWords(n.kid)
	case textNode:
		return true
	}
	return false
}

// catalogable reports whether the catalog can answer a query: it has no
// words and no term on a field the catalog does not keep (contact:).
func catalogable(n node) bool {
	switch n := n.(type) {
	case nil:
		return true
	case andNode:
		return !slices.ContainsFunc(n.kids, func(k node) bool { return !catalogable(k) })
	case orNode:
		return !slices.ContainsFunc(n.kids, func(k node) bool { return !catalogable(k) })
	case notNode:
		return catalogable(n.kid)
	case keywordNode:
		return n.field.catalog
	case editionNode:
		return n.field.catalog
	case dateNode:
		return n.field.catalog
	}
	return false
}

// inNanoRange reports whether t has a Unix time in nanoseconds, as Bleve
// indexes dates.
func inNanoRange(t time.Time) bool {
	return t.IsZero() || (t.Year() > 1677 && t.Year() < 2262)
}

// datesInRange reports whether the request's dates compare in nanoseconds.
func datesInRange(req Request) bool { return inNanoRange(req.From) && inNanoRange(req.To) }

// catMatch tells whether a record matches and with which score.
type catMatch func(r *catRec) (bool, float64)

// weight is what a query contributes to Bleve's query norm: one per
// constant-score clause (a field restriction, or the match-all of a
// negation), none for what a NOT excludes.
func weight(n node) float64 {
	switch n := n.(type) {
	case andNode:
		w := 0.0
		for _, k := range n.kids {
			if _, neg := k.(notNode); !neg {
				w += weight(k)
			}
		}
		if w == 0 {
			return 1
		}
		return w
	case orNode:
		w := 0.0
		for _, k := range n.kids {
			w += weight(k)
		}
		return w
	}
	return 1
}

// compile returns the matcher of n over catalog c, scoring as Bleve scores
// the query build makes of n: each clause scores qn (the query norm) and
// AND sums its clauses, OR sums the matching ones times the share matching,
// NOT scores as the match-all it negates.
func (c *catalog) compile(n node, qn float64) catMatch {
	switch n := n.(type) {
	case nil:
		return func(*catRec) (bool, float64) { return true, 1 }
	case andNode:
		var pos, neg []catMatch
		for _, k := range n.kids {
			if nn, isNot := k.(notNode); isNot {
				neg = append(neg, c.compile(nn.kid, qn))
			} else {
				pos = append(pos, c.compile(k, qn))
			}
		}
		return func(r *catRec) (bool, float64) {
			s := 0.0
			for _, m := range neg {
				if ok, _ := m(r); ok {
					return false, 0
				}
			}
			if len(pos) == 0 {
				return true, qn
			}
			for _, m := range pos {
				ok, v := m(r)
				if !ok {
					return false, 0
				}
				s += v
			}
			return true, s
		}
	case orNode:
		kids := make([]catMatch, len(n.kids))
		for i, k := range n.kids {
			kids[i] = c.compile(k, qn)
		}
		return func(r *catRec) (bool, float64) {
			s, matched := 0.0, 0
			for _, m := range kids {
				if ok, v := m(r); ok {
					s += v
					matched++
				}
			}
			if matched == 0 {
				return false, 0
			}
			return true, s * float64(matched) / float64(len(kids))
		}
	case notNode:
		kid := c.compile(n.kid, qn)
		return func(r *catRec) (bool, float64) {
			ok, _ := kid(r)
			return !ok, qn
		}
	case keywordNode:
		var vals *catValues
		switch n.field.Name {
		case "section":
			vals = &c.section
		case "org":
			vals = &c.org
		default:
			vals = &c.source
		}
		want := make([]bool, len(vals.keys))
		for i, k := range vals.keys {
			want[i] = k == n.value || (n.prefix && strings.HasPrefix(k, n.value))
		}
		switch n.field.Name {
		case "section":
			return func(r *catRec) (bool, float64) { return r.section >= 0 && want[r.section], qn }
		case "org":
			return func(r *catRec) (bool, float64) {
				for _, o := range c.orgsOf(r) {
					if want[o] {
						return true, qn
					}
				}
				return false, 0
			}
		}
		return func(r *catRec) (bool, float64) { return r.source >= 0 && want[r.source], qn }
	case editionNode:
		num := int32(n.number)
		if int(num) != n.number {
			return func(*catRec) (bool, float64) { return false, 0 }
		}
		return func(r *catRec) (bool, float64) { return r.number == num, qn }
	case dateNode:
		in := periodOf(n.from, n.to, false)
		return func(r *catRec) (bool, float64) { return in(r), qn }
	}
	return func(*catRec) (bool, float64) { return false, 0 }
}

// periodOf matches dated records from from (inclusive) to to (inclusive
// when inclusiveTo); a zero bound is open.
func periodOf(from, to time.Time, inclusiveTo bool) func(*catRec) bool {
	lo, hi := bounds(from, to, inclusiveTo)
	return func(r *catRec) bool { return r.hasPub && r.published >= lo && r.published <= hi }
}

// bounds are periodOf's times in Unix nanoseconds, both inclusive.
func bounds(from, to time.Time, inclusiveTo bool) (lo, hi int64) {
	lo, hi = math.MinInt64, math.MaxInt64
	if !from.IsZero() {
		lo = from.UnixNano()
	}
	if !to.IsZero() {
		hi = to.UnixNano()
		if !inclusiveTo {
			hi--
		}
	}
	return lo, hi
}

// filterOf is the request's source and date restriction.
func (c *catalog) filterOf(req Request) func(*catRec) bool {
	src := int32(-2) // no restriction
	if req.Source != "" {
		src = -1 // unknown source: nothing matches
		if id, ok := c.source.ids[normKeyword(req.Source)]; ok {
			src = id
		}
	}
	dated := !req.From.IsZero() || !req.To.IsZero()
	in := periodOf(req.From, req.To, true)
	return func(r *catRec) bool {
		if src != -2 && r.source != src {
			return false
		}
		return !dated || in(r)
	}
}

// catScan is the records a search reads: those at indices [lo, hi) or,
// when isList, those in list (ascending). Every record outside it is known
// not to match, so a query that names a section, an organisation, an
// edition or a period reads only the records holding it.
type catScan struct {
	lo, hi int
	list   []int32
	isList bool
	// exact: every record of the scan matches the query (a scan of one
	// field term or period), so the records need no testing against it.
	exact bool
}

func (s catScan) size() int {
	if s.isList {
		return len(s.list)
	}
	return s.hi - s.lo
}

// all yields the indices of the scan in ascending order.
func (s catScan) all() iter.Seq[int] {
	return func(yield func(int) bool) {
		if s.isList {
			for _, i := range s.list {
				if !yield(int(i)) {
					return
				}
			}
			return
		}
		for i := s.lo; i < s.hi; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

// scanOf returns the records of recs (with postings p) that the search for
// n and req needs to read: the smallest of what the query's clauses and
// the request's filters allow.
func (c *catalog) scanOf(n node, req Request, recs []catRec, p *catPostings) catScan {
	best := c.nodeScan(n, recs, p)
	if req.Source != "" {
		s := catScan{isList: true}
		if id, ok := c.source.ids[normKeyword(req.Source)]; ok {
			s.list = p.source[id]
		}
		if s.size() < best.size() {
			best = s
		}
	}
	if !req.From.IsZero() || !req.To.IsZero() {
		lo, hi := bounds(req.From, req.To, true)
		if s := dateScan(recs, lo, hi); s.size() < best.size() {
			best = s
		}
	}
	return best
}

// nodeScan is scanOf for the query alone: a field term reads the postings
// of its values, a period the records sent in it (a run of the date
// order), AND the smallest of its terms' scans, OR the union of its terms'
// postings; anything else reads every record.
func (c *catalog) nodeScan(n node, recs []catRec, p *catPostings) catScan {
	every := catScan{lo: 0, hi: len(recs)}
	switch n := n.(type) {
	case keywordNode:
		var vals *catValues
		var post [][]int32
		switch n.field.Name {
		case "section":
			vals, post = &c.section, p.section
		case "org":
			vals, post = &c.org, p.org
		case "source":
			vals, post = &c.source, p.source
		default:
			return every
		}
		var lists [][]int32
		for id, k := range vals.keys {
			if k == n.value || (n.prefix && strings.HasPrefix(k, n.value)) {
				lists = append(lists, post[id])
			}
		}
		s := union(lists, len(recs))
		s.exact = s.isList
		return s
	case editionNode:
		num := int32(n.number)
		if int(num) != n.number {
			return catScan{isList: true, exact: true}
		}
		return catScan{isList: true, list: p.number[num], exact: true}
	case dateNode:
		lo, hi := bounds(n.from, n.to, false)
		s := dateScan(recs, lo, hi)
		s.exact = true
		return s
	case andNode:
		best := every
		for _, k := range n.kids {
			if _, neg := k.(notNode); neg {
				continue
			}
			if s := c.nodeScan(k, recs, p); s.size() < best.size() {
				best = s
			}
		}
		best.exact = false // the other terms are still to be tested
		return best
	case orNode:
		var lists [][]int32
		for _, k := range n.kids {
			s := c.nodeScan(k, recs, p)
			if !s.isList {
				return every
			}
			lists = append(lists, s.list)
		}
		return union(lists, len(recs))
	}
	return every
}

// union is the scan of the records in any of lists, or of all n records
// when that would read most of them anyway.
func union(lists [][]int32, n int) catScan {
	switch len(lists) {
	case 0:
		return catScan{isList: true}
	case 1:
		return catScan{isList: true, list: lists[0]}
	}
	total := 0
	for _, l := range lists {
		total += len(l)
	}
	if total > n/4 {
		return catScan{lo: 0, hi: n}
	}
	out := make([]int32, 0, total)
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.Sort(out)
	return catScan{isList: true, list: slices.Compact(out)}
}

// dateScan is the run of recs (dated ones first, newest first) sent from
// lo to hi, inclusive.
func dateScan(recs []catRec, lo, hi int64) catScan {
	start := sort.Search(len(recs), func(i int) bool { return !recs[i].hasPub || recs[i].published <= hi })
	end := sort.Search(len(recs), func(i int) bool { return !recs[i].hasPub || recs[i].published < lo })
	return catScan{lo: start, hi: max(start, end)}
}

// catHit is a matching record and its score.
type catHit struct {
	i     int
	score float64
}

// searchCatalog answers a query without words from the catalog. It returns
// a nil result when the catalog cannot answer it (the caller asks Bleve).
func (ix *Index) searchCatalog(ctx context.Context, req Request, n node, page, size int, gen uint64) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("search %q: %w", req.Query, err)
	}
	c, err := ix.catalog()
	if err != nil {
		return nil, nil // the index is unreadable here; Bleve will say why
	}
	qn := 1 / math.Sqrt(weight(n))
	match, keep := c.compile(n, qn), c.filterOf(req)
	fkey := facetKeyOf(req)
	var facets []Facet
	haveFacets := false
	if req.Facets {
		facets, haveFacets = ix.facets.get(fkey, gen)
	}
	everything := n == nil && req.Source == "" && req.From.IsZero() && req.To.IsZero()
	if req.Facets && !haveFacets && everything {
		facets, haveFacets = c.all, true // counted when the catalog was made
	}
	var counts *catCounts
	if req.Facets && !haveFacets {
		counts = c.getCounts()
		defer c.putCounts(counts)
	}

	// hits are the matches of the page: from the from-th to the need-th.
	from, need := (page-1)*size, page*size
	hits := make([]catHit, 0, min(size, 64))
	total, equal, first := 0, true, 0.0
	if everything && counts == nil {
		// The newest items, the home page's query: no scan at all.
		total = len(c.items)
		for i := min(from, total); i < min(need, total); i++ {
			hits = append(hits, catHit{i, 1})
		}
	}
	scan := catScan{}
	if !everything || counts != nil {
		scan = c.scanOf(n, req, c.items, &c.itemPost)
	}
	for i := range scan.all() {
		r := &c.items[i]
		if !keep(r) {
			continue
		}
		ok, s := true, qn // a single term scores the query norm
		if !scan.exact {
			ok, s = match(r)
		}
		if !ok {
			continue
		}
		if total == 0 {
			first = s
		} else if s != first {
			equal = false
		}
		if total >= from && total < need {
			hits = append(hits, catHit{i, s})
		}
		total++
		if counts != nil {
			counts.add(c, int32(i))
		}
	}
	if !equal {
		// Scores differ (an OR of restrictions): order every match.
		hits = hits[:0]
		for i := range scan.all() {
			if r := &c.items[i]; keep(r) {
				if ok, s := match(r); ok {
					hits = append(hits, catHit{i, s})
				}
			}
		}
		if req.Sort == "date" {
			slices.SortStableFunc(hits, func(a, b catHit) int {
				if c := byDate(&c.items[a.i], &c.items[b.i]); c != 0 {
					return c
				}
				return cmp.Compare(b.score, a.score)
			})
		} else {
			slices.SortStableFunc(hits, func(a, b catHit) int { return cmp.Compare(b.score, a.score) })
		}
		hits = hits[min(len(hits), from):min(len(hits), need)]
	}

	res := &Result{Page: page, Size: size, Total: uint64(total), Hits: []Hit{}}
	hl := termsOf(n)
	sr, err := ix.storedReader()
	if err != nil {
		return nil, nil // Bleve will say why
	}
	defer sr.Close()
	if ok, err := c.loadHits(sr, res, hits, hl, req.Highlight); !ok || err != nil {
		return nil, err // a document deleted since the catalog was read: ask Bleve
	}
	if req.Facets {
		if !haveFacets {
			facets = counts.facets(c)
			ix.facets.put(fkey, gen, facets, 1)
		}
		res.Facets = facets
	}
	if n != nil {
		var eds []catHit
		for i := range c.scanOf(n, req, c.editions, &c.edPost).all() {
			if r := &c.editions[i]; keep(r) {
				if ok, s := match(r); ok {
					eds = append(eds, catHit{i, s})
				}
			}
		}
		// Editions are in date order: by score, ties stay newest first.
		slices.SortStableFunc(eds, func(a, b catHit) int { return cmp.Compare(b.score, a.score) })
		if ok, err := c.loadEditions(sr, res, eds[:min(len(eds), maxEditionHits)], hl, req.Highlight); !ok || err != nil {
			return nil, err
		}
	}
	return res, nil
}

// loadStored decodes the stored JSON of a document into v.
func (ix *Index) loadStored(docID string, v any) (bool, error) {
	js, err := ix.storedJSON(docID)
	if err != nil || js == "" {
		return false, err
	}
	return true, decodeStored(docID, []byte(js), v)
}

// catCounts counts the facet values of matching records (int32: a
// million items' counters of 51,000 editions are 200 KB a search). Records
// are counted in batches (add, then count): a broad query's matches are
// scattered over an array of tens of megabytes, so that reading each
// match's record, and then its organisations, is a cache miss; read one
// after another, each waits for the last, while the independent reads of a
// batch's pass overlap.
type catCounts struct {
	source, section, year, edition, org []int32
	pending                             []int32 // records added, not yet counted
	sink                                int32   // what the organisations' pass read, so that it is not dropped
}

// countBatch is how many records catCounts reads in one pass.
const countBatch = 128

func (c *catalog) newCounts() *catCounts {
	return &catCounts{
		source: make([]int32, len(c.source.names)), section: make([]int32, len(c.section.names)),
		year: make([]int32, len(c.year.names)), edition: make([]int32, len(c.edition.names)),
		org: make([]int32, len(c.org.names)), pending: make([]int32, 0, countBatch),
	}
}

// getCounts returns zeroed counters, recycled from an earlier search.
func (c *catalog) getCounts() *catCounts {
	if k, ok := c.counts.Get().(*catCounts); ok {
		return k
	}
	return c.newCounts()
}

// putCounts zeroes k and keeps it for a later search.
func (c *catalog) putCounts(k *catCounts) {
	for _, s := range [][]int32{k.source, k.section, k.year, k.edition, k.org} {
		clear(s)
	}
	k.pending = k.pending[:0]
	c.counts.Put(k)
}

// add counts item record i (counted by the next count, at the latest).
func (k *catCounts) add(c *catalog, i int32) {
	k.pending = append(k.pending, i)
	if len(k.pending) == countBatch {
		k.count(c)
	}
}

// count counts the records added since the last count: one pass reads the
// records' value ids, one the first of their organisations, one counts.
func (k *catCounts) count(c *catalog) {
	type row struct {
		source, section, year, edition int32
		orgOff                         uint32
		orgN                           uint16
	}
	var rows [countBatch]row
	for j, i := range k.pending {
		r := &c.items[i]
		rows[j] = row{r.source, r.section, r.year, r.edition, r.orgOff, r.orgN}
	}
	rs := rows[:len(k.pending)]
	for _, r := range rs {
		if r.orgN > 0 {
			k.sink ^= c.orgs[r.orgOff]
		}
	}
	for _, r := range rs {
		if r.source >= 0 {
			k.source[r.source]++
		}
		if r.section >= 0 {
			k.section[r.section]++
		}
		if r.year >= 0 {
			k.year[r.year]++
		}
		if r.edition >= 0 {
			k.edition[r.edition]++
		}
		for _, o := range c.orgs[r.orgOff : r.orgOff+uint32(r.orgN)] {
			k.org[o]++
		}
	}
	k.pending = k.pending[:0]
}

// facets returns the counts as Search returns facets: in the order of the
// fields table, each by count then value, at most maxFacetValues values (the
// values Bleve's terms facet keeps).
func (k *catCounts) facets(c *catalog) []Facet {
	k.count(c)
	out := make([]Facet, 0, len(fields.facets))
	for _, f := range fields.facets {
		var counts []int32
		var vals *catValues
		switch f.facetIndex {
		case fSectionFacet:
			counts, vals = k.section, &c.section
		case fYear:
			counts, vals = k.year, &c.year
		case fEditionFacet:
			counts, vals = k.edition, &c.edition
		case fOrgFacet:
			counts, vals = k.org, &c.org
		case fSource:
			counts, vals = k.source, &c.source
		}
		facet := Facet{Name: f.Facet, Values: []FacetValue{}}
		for _, id := range topValues(counts, vals.rank, maxFacetValues) {
			facet.Values = append(facet.Values, FacetValue{Value: vals.names[id], Count: int(counts[id])})
		}
		out = append(out, facet)
	}
	return out
}

// topValues returns the ids of the (at most max) values counted most,
// ties in the order of rank, best first. It keeps the best so far in
// order, so that choosing among the thousands of editions of a broad query
// costs a comparison per value, not a sort of them all.
func topValues(counts []int32, rank []int32, max int) []int32 {
	better := func(a, b int32) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return cmp.Compare(rank[a], rank[b])
	}
	var top []int32
	for id, n := range counts {
		if n == 0 {
			continue
		}
		v := int32(id)
		if len(top) == max && better(v, top[max-1]) >= 0 {
			continue
		}
		at, _ := slices.BinarySearchFunc(top, v, better)
		if len(top) == max {
			top = top[:max-1]
		}
		top = slices.Insert(top, at, v)
	}
	return top
}

// loadHits appends to res the items of hits, read from sr, with their
// snippets of hl when highlight is set. It returns false when a record's
// document is no longer in the index (the caller asks Bleve).
func (c *catalog) loadHits(sr *storedReader, res *Result, hits []catHit, hl *highlightTerms, highlight bool) (bool, error) {
	for _, h := range hits {
		var it model.Item
		found, err := sr.load(c.docID(&c.items[h.i]), &it)
		if err != nil || !found {
			return false, err
		}
		hit := Hit{Item: it, Score: h.score}
		if highlight {
			hit.Snippet = snippet(it.Text, hl)
		}
		res.Hits = append(res.Hits, hit)
	}
	return true, nil
}

// loadEditions is loadHits for matching editions (hits of c.editions).
func (c *catalog) loadEditions(sr *storedReader, res *Result, eds []catHit, hl *highlightTerms, highlight bool) (bool, error) {
	for _, h := range eds {
		var ed model.Edition
		found, err := sr.load(c.docID(&c.editions[h.i]), &ed)
		if err != nil || !found {
			return false, err
		}
		eh := EditionHit{Edition: ed, Score: h.score}
		if highlight {
			eh.Snippet = snippet(ed.Editorial, hl)
		}
		res.Editions = append(res.Editions, eh)
	}
	return true, nil
}
