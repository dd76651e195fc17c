package index

import (
	"bytes"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Word queries are matched and scored by Bleve's searcher, but collected
// here: each match's internal document number is mapped to its catalog
// record through a table per segment, so that the request's source and
// dates are tested on the record, the page is chosen by score and the
// record's date order, and the facets are counted from the record's value
// ids. Bleve's own collector would read five fields' doc values for every
// match to count facets (a broad query's first search cost 2–4× its bare
// search) and would sort by score alone, leaving ties in internal order.

// docTables maps the documents of a snapshot's segments to the item records
// of one catalog. Segments are immutable, so a table is made once per
// segment and catalog: a crawl's write adds a small segment (a small new
// table) but changes the catalog, whose record numbers then shift; the
// tables of the segments kept are then carried through the merge's map of
// old to new record numbers (remap), and made afresh from the segment's
// document ids only when the catalog was built anew or merged more than
// once since they were made.
type docTables struct {
	mu    sync.Mutex
	seq   uint64 // the catalog the tables are for
	bySeg map[segment.Segment][]int32
}

// A table entry is an item's record number (≥ 0), an edition's (encoded by
// edEntry) or one of these.
const (
	notInCat = -1 // a document the catalog does not hold (written since it was read)
	notDoc   = -2 // neither an item nor an edition
)

// edEntry encodes edition record i as a table entry, and decodes one
// (the encoding is its own inverse).
func edEntry(i int32) int32 { return -3 - i }

// tablesFor returns, for each segment of snap in order, its table for c
// and the first global document number of the segment. Tables missing
// are made outside the lock; concurrent searches may make the same one,
// and the last kept wins (they are equal).
func (ix *Index) tablesFor(c *catalog, snap *scorch.IndexSnapshot) (tables [][]int32, offsets []uint64) {
	segs := snap.Segments()
	tables = make([][]int32, len(segs))
	var carried map[segment.Segment][]int32 // the previous catalog's tables, to remap
	t := &ix.tables
	t.mu.Lock()
	if t.seq != c.seq {
		if t.seq == c.from && t.seq != 0 {
			carried = t.bySeg
		}
		t.seq, t.bySeg = c.seq, nil
	}
	kept := make(map[segment.Segment][]int32, len(segs))
	for i, ss := range segs {
		if tab, ok := t.bySeg[ss.Segment()]; ok {
			kept[ss.Segment()], tables[i] = tab, tab
		}
	}
	t.bySeg = kept // segments merged away are forgotten
	t.mu.Unlock()

	offsets = make([]uint64, len(segs))
	var off uint64
	for i, ss := range segs {
		seg := ss.Segment()
		if tables[i] == nil {
			if old, ok := carried[seg]; ok {
				tables[i] = c.remap(old, seg)
			} else {
				tables[i] = c.tableOf(seg)
			}
			t.mu.Lock()
			if t.seq == c.seq {
				t.bySeg[seg] = tables[i]
			}
			t.mu.Unlock()
		}
		offsets[i] = off
		off += seg.Count()
	}
	return tables, offsets
}

// remap carries old, seg's table for the catalog c was merged from, over
// to c: each record's entry becomes its new number; a document the old
// catalog did not hold, or whose record the merge replaced, is looked up
// among the records the merge added.
func (c *catalog) remap(old []int32, seg segment.Segment) []int32 {
	tab := make([]int32, len(old))
	for num, e := range old {
		// The merge's maps say -1, which is notInCat, for a record gone.
		switch {
		case e >= 0:
			e = c.itemMap[e]
		case e < notDoc: // an edition
			if m := c.edMap[edEntry(e)]; m >= 0 {
				e = edEntry(m)
			} else {
				e = notInCat
			}
		}
		if e == notInCat {
			if id, err := seg.DocID(uint64(num)); err == nil {
				if a, ok := c.addedEntries[string(id)]; ok {
					e = a
				}
			}
		}
		tab[num] = e
	}
	return tab
}

// tableOf maps each document number of seg to its record in c. A
// segment of documents the last merge added (a crawl's write) needs only
// those; any other is looked up in all records by id (entriesByID, made
// once per catalog).
func (c *catalog) tableOf(seg segment.Segment) []int32 {
	var byID []int32
	tab := make([]int32, seg.Count())
	hint := -1 // documents of a segment tend to come in id order
	for num := range tab {
		id, err := seg.DocID(uint64(num))
		if err != nil || !(bytes.HasPrefix(id, []byte("i:")) || bytes.HasPrefix(id, []byte("e:"))) {
			tab[num] = notDoc
			continue
		}
		if e, ok := c.addedEntries[string(id)]; ok {
			tab[num] = e
			continue
		}
		if byID == nil {
			byID = c.entriesByID()
		}
		if hint+1 < len(byID) && bytes.Equal(c.entryID(byID[hint+1]), id) {
			hint++
		} else {
			at, found := slices.BinarySearchFunc(byID, id, func(e int32, id []byte) int { return bytes.Compare(c.entryID(e), id) })
			if !found {
				tab[num], hint = notInCat, -1
				continue
			}
			hint = at
		}
		tab[num] = byID[hint]
	}
	return tab
}

// entryID is the document id of a table entry's record.
func (c *catalog) entryID(e int32) []byte {
	r := c.entryRec(e)
	return c.ids[r.idOff : r.idOff+uint32(r.idLen)]
}

// entryRec is the record of a table entry (an item's or an edition's).
func (c *catalog) entryRec(e int32) *catRec {
	if e >= 0 {
		return &c.items[e]
	}
	return &c.editions[edEntry(e)]
}

// entriesByID returns the table entries of every record, items' and
// editions', ordered by document id; made on first use (4 bytes a record).
func (c *catalog) entriesByID() []int32 {
	c.byIDOnce.Do(func() {
		byID := make([]int32, 0, len(c.items)+len(c.editions))
		for i := range c.items {
			byID = append(byID, int32(i))
		}
		for i := range c.editions {
			byID = append(byID, edEntry(int32(i)))
		}
		slices.SortFunc(byID, func(a, b int32) int { return bytes.Compare(c.entryID(a), c.entryID(b)) })
		c.byID = byID
	})
	return c.byID
}

// hitHeap keeps the best hits so far with the worst on top.
type hitHeap struct {
	hits   []catHit
	better func(a, b catHit) bool
}

func (h *hitHeap) Len() int           { return len(h.hits) }
func (h *hitHeap) Less(i, j int) bool { return h.better(h.hits[j], h.hits[i]) }
func (h *hitHeap) Swap(i, j int)      { h.hits[i], h.hits[j] = h.hits[j], h.hits[i] }
func (h *hitHeap) Push(x any)         { h.hits = append(h.hits, x.(catHit)) }
func (h *hitHeap) Pop() any {
	x := h.hits[len(h.hits)-1]
	h.hits = h.hits[:len(h.hits)-1]
	return x
}

// byScoreThenRecord orders hits by score, then by their records' order:
// newest first.
func byScoreThenRecord(a, b catHit) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.i < b.i
}

// sorted returns the hits kept, best first.
func (h *hitHeap) sorted() []catHit {
	slices.SortFunc(h.hits, func(a, b catHit) int {
		switch {
		case h.better(a, b):
			return -1
		case h.better(b, a):
			return 1
		}
		return 0
	})
	return h.hits
}

// offer keeps hit if it is among the best n so far.
func (h *hitHeap) offer(hit catHit, n int) {
	switch {
	case len(h.hits) < n:
		heap.Push(h, hit)
	case h.better(hit, h.hits[0]):
		h.hits[0] = hit
		heap.Fix(h, 0)
	}
}

// searchWords answers a query with words: Bleve's searcher finds and
// scores the matches, the catalog filters, orders and counts them. It
// returns a nil result when it cannot answer (the caller asks Bleve): no
// catalog, an index that is not scorch's, or a match the catalog does not
// know yet.
func (ix *Index) searchWords(ctx context.Context, req Request, n node, page, size int, gen uint64) (*Result, error) {
	q := toBleve(n)
	if _, none := q.(*query.MatchNoneQuery); none {
		return nil, nil
	}
	c, err := ix.catalog()
	if err != nil {
		return nil, nil // Bleve will say why
	}
	r, err := ix.reader()
	if err != nil {
		return nil, nil
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, nil
	}
	tables, offsets := ix.tablesFor(c, snap)

	// The same query as searchBleve's, scored as it is; the request's
	// source and dates are tested on the records.
	s, err := ix.unfilteredSearcher(ctx, r, q)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", req.Query, err)
	}
	defer s.Close()

	fkey := facetKeyOf(req)
	var facets []Facet
	haveFacets := false
	if req.Facets {
		facets, haveFacets = ix.facets.get(fkey, gen)
	}
	var counts *catCounts
	if req.Facets && !haveFacets {
		counts = c.getCounts()
		defer c.putCounts(counts)
	}
	keep := c.filterOf(req)
	from, need := (page-1)*size, page*size
	best := &hitHeap{better: byScoreThenRecord}
	if req.Sort == "date" {
		best.better = func(a, b catHit) bool { return a.i < b.i }
	}
	total := 0
	err = collectDocs(ctx, s, tables, offsets, func(e int32, score float64) bool {
		if e < 0 {
			return e != notInCat // an edition, or written since the catalog was read
		}
		rec := &c.items[e]
		if !keep(rec) {
			return true
		}
		total++
		if counts != nil {
			counts.add(c, e)
		}
		best.offer(catHit{int(e), score}, need)
		return true
	})
	if err != nil {
		if errors.Is(err, errNotInCatalog) {
			return nil, nil // ask Bleve
		}
		return nil, fmt.Errorf("search %q: %w", req.Query, err)
	}
	hits := best.sorted()
	hits = hits[min(from, len(hits)):]

	res := &Result{Page: page, Size: size, Total: uint64(total), Hits: []Hit{}}
	hl := termsOf(n)
	sr := &storedReader{r: r}
	if ok, err := c.loadHits(sr, res, hits, hl, req.Highlight); !ok || err != nil {
		return nil, err
	}
	if req.Facets {
		if !haveFacets {
			facets = counts.facets(c)
			ix.facets.put(fkey, gen, facets, 1)
		}
		res.Facets = facets
	}
	eds, err := ix.collectEditions(ctx, r, c, tables, offsets, keep, ix.editionQuery(n, q))
	if err != nil {
		if errors.Is(err, errNotInCatalog) {
			return nil, nil
		}
		return nil, fmt.Errorf("search editions %q: %w", req.Query, err)
	}
	if ok, err := c.loadEditions(sr, res, eds, hl, req.Highlight); !ok || err != nil {
		return nil, err
	}
	return res, nil
}

// collectEditions returns the best maxEditionHits editions that eq (an
// editionQuery) matches and keep admits, as searchEditions orders them:
// by score, then newest first, which is the records' order.
func (ix *Index) collectEditions(ctx context.Context, r bleveindex.IndexReader, c *catalog, tables [][]int32, offsets []uint64, keep func(*catRec) bool, eq query.Query) ([]catHit, error) {
	s, err := ix.unfilteredSearcher(ctx, r, eq)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	best := &hitHeap{better: byScoreThenRecord}
	err = collectDocs(ctx, s, tables, offsets, func(e int32, score float64) bool {
		if e >= 0 || e == notDoc {
			return true
		}
		if e == notInCat {
			return false
		}
		i := edEntry(e)
		if keep(&c.editions[i]) {
			best.offer(catHit{int(i), score}, maxEditionHits)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return best.sorted(), nil
}

// unfilteredSearcher returns the searcher of q as searchBleve runs it
// inside filtered's BooleanQuery, with its phrases checked by positional's
// searcher, and without the filter: the collectors tell
// items from editions by their table entries, so the type filter (a second
// searcher advanced to every match, an eighth of a word query's time) is
// not needed. The query norm is set as the BooleanSearcher around q sets it
// (1/√ of q's weight: a lone term searcher would otherwise keep its query
// weight at 1 where the BooleanSearcher makes it boost·idf/√(boost·idf)²,
// which may differ from 1 in the last bit), so that the scores are the same
// bit for bit.
func (ix *Index) unfilteredSearcher(ctx context.Context, r bleveindex.IndexReader, q query.Query) (search.Searcher, error) {
	s, err := positional(q).Searcher(ctx, r, ix.bleve.Mapping(), search.SearcherOptions{})
	if err != nil {
		return nil, err
	}
	s.SetQueryNorm(1.0 / math.Sqrt(s.Weight()))
	return s, nil
}

// errNotInCatalog: a match is a document the catalog does not hold yet.
var errNotInCatalog = errors.New("a match is not in the catalog")

// collectDocs runs s to its end and calls visit with each match's table
// entry and score; visit returns false for a match the catalog does not
// hold, which stops the search with errNotInCatalog.
func collectDocs(ctx context.Context, s search.Searcher, tables [][]int32, offsets []uint64, visit func(e int32, score float64) bool) error {
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	seg := 0
	for visited := 0; ; visited++ {
		if visited%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return err
		}
		if dm == nil {
			return nil
		}
		num := dm.IndexInternalID.Value()
		if num < offsets[seg] || (seg+1 < len(offsets) && num >= offsets[seg+1]) {
			seg = sort.Search(len(offsets), func(i int) bool { return offsets[i] > num }) - 1
		}
		e, score := tables[seg][num-offsets[seg]], dm.Score
		sctx.DocumentMatchPool.Put(dm)
		if !visit(e, score) {
			return errNotInCatalog
		}
	}
}
