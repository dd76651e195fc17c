package index

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// The catalog is a date-ordered copy, in memory, of the few fields of every
// document that queries without words look at: published time, position,
// edition number, source, section, organisations. It lets such a query (the
// empty one, date:, section:, edition:, org:, source: and their
// combinations) be answered by one scan of a sorted slice instead of a Bleve
// search that visits every document of the index (a constant-score filter
// is a MatchAll filtered clause by clause) and reads doc values to sort
// them. It is built from Bleve's doc values on first use and kept current by
// PutEdition, so it always describes the documents Bleve holds.

// catValues interns the values of one field: an id per distinct value, the
// value as indexed for facets and, for keyword fields, its lower-cased key
// as queries match it.
type catValues struct {
	names []string
	keys  []string
	ids   map[string]int32
	// rank is each value's place among the names in byte order, so that
	// facet values of equal counts are ordered by comparing ints.
	rank []int32
}

// rankNames computes rank afresh (a new slice: a catalog sharing the
// tables' earlier ranks keeps them).
func (v *catValues) rankNames() {
	byName := make([]int32, len(v.names))
	for i := range byName {
		byName[i] = int32(i)
	}
	slices.SortFunc(byName, func(a, b int32) int { return strings.Compare(v.names[a], v.names[b]) })
	v.rank = make([]int32, len(v.names))
	for r, id := range byName {
		v.rank[id] = int32(r)
	}
}

func (v *catValues) id(name string) int32 {
	if id, ok := v.ids[name]; ok {
		return id
	}
	if v.ids == nil {
		v.ids = map[string]int32{}
	}
	id := int32(len(v.names))
	v.ids[name] = id
	v.names = append(v.names, name)
	v.keys = append(v.keys, normKeyword(name))
	return id
}

// catRec is one document of the catalog. Value ids index the catalog's
// catValues; -1 means the document has no value for the field. It holds no
// pointer (the document id and organisations are in the catalog's arenas),
// so that a million of them cost the garbage collector nothing to scan.
type catRec struct {
	published int64   // UTC Unix nanoseconds; meaningless unless hasPub
	order     float64 // the edition's archive order, as Bleve sorts it; meaningless unless hasOrder
	idOff     uint32
	idLen     uint16
	hasPub    bool
	hasOrder  bool
	position  int32
	number    int32 // edition number, 0 when unnumbered
	source    int32
	section   int32
	year      int32
	edition   int32 // edition facet value (the number as text), -1 when unnumbered
	orgOff    uint32
	orgN      uint16
}

// catalog is an immutable snapshot; a change makes a new one.
type catalog struct {
	items    []catRec // newest first, then position, then document id (Bleve's "-published, position, _id")
	editions []catRec // newest first, then document id
	ids      []byte   // the records' document ids, back to back
	orgs     []int32  // the records' organisations (org value ids)

	source, section, year, edition, org catValues

	// What index derives from the records, so that a query reads only the
	// records that may match: the items and editions holding each value.
	itemPost, edPost catPostings
	// all are the facets of every item, the empty query's.
	all []Facet
	// counts recycles the facet counters of searches (their size is the
	// number of values, not of matches).
	counts sync.Pool
	// byID is the table entries of every record in document id order, for
	// mapping Bleve's documents to records (entriesByID); made on first use.
	byID     []int32
	byIDOnce sync.Once

	// seq tells catalogs apart (Index.catalog numbers them); a catalog
	// merged from another holds its seq in from, the new record number of
	// each of its records in itemMap and edMap (-1: gone), and the table
	// entries of the records the merge added by document id, so that the
	// word collector's tables are carried over (docTables.remap) instead of
	// made again from every segment's document ids.
	seq, from    uint64
	itemMap      []int32
	edMap        []int32
	addedEntries map[string]int32
}

// catPostings lists, for each value id of a field, the indices of the
// records holding it, ascending (that is, in date order).
type catPostings struct {
	source, section, org [][]int32
	number               map[int32][]int32
}

func (c *catalog) docID(r *catRec) string { return string(c.ids[r.idOff : r.idOff+uint32(r.idLen)]) }

func (c *catalog) orgsOf(r *catRec) []int32 { return c.orgs[r.orgOff : r.orgOff+uint32(r.orgN)] }

// before orders records as the date sort does: newest first (undated
// last), editions of one time in their archive order (later first, none
// last), then position in the edition, then document id.
func (c *catalog) before(a, b *catRec) int {
	if c := byDate(a, b); c != 0 {
		return c
	}
	return bytes.Compare(c.ids[a.idOff:a.idOff+uint32(a.idLen)], c.ids[b.idOff:b.idOff+uint32(b.idLen)])
}

// byDate orders records newest first (undated last), then by archive
// order (later first, none last), then by position.
func byDate(a, b *catRec) int {
	if c := presentFirst(a.hasPub, b.hasPub); c != 0 {
		return c
	}
	if a.hasPub {
		if c := cmp.Compare(b.published, a.published); c != 0 {
			return c
		}
	}
	if c := presentFirst(a.hasOrder, b.hasOrder); c != 0 {
		return c
	}
	if a.hasOrder {
		if c := cmp.Compare(b.order, a.order); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.position, b.position)
}

// presentFirst orders a known value before an unknown one: -1 when only a
// is known, 1 when only b is, 0 when both or neither are.
func presentFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// catDoc is what the catalog needs of one document, as indexed.
type catDoc struct {
	docID          string
	published      int64
	hasPub         bool
	order          float64
	hasOrder       bool
	position       int
	number         int
	source         string
	hasSource      bool
	section        string
	orgs           []string // organisation names as indexed, without duplicates
	year, edFacets string
}

// catDocOf reads a document as itemDoc or editionDoc builds it for Bleve, so
// that the catalog and the index hold the same values.
func catDocOf(docID string, d map[string]any) catDoc {
	c := catDoc{docID: docID}
	if s, ok := d[fSource].(string); ok && s != "" {
		c.source, c.hasSource = s, true
	}
	c.number, _ = d[fEditionNumber].(int)
	c.position, _ = d[fPosition].(int)
	if t, ok := d[fPublished].(time.Time); ok {
		c.published, c.hasPub = t.UnixNano(), true
	}
	if o, ok := d[fOrder].(int64); ok {
		c.order, c.hasOrder = float64(o), true
	}
	c.year, _ = d[fYear].(string)
	c.edFacets, _ = d[fEditionFacet].(string)
	c.section, _ = d[fSectionFacet].(string)
	names, _ := d[fOrgFacet].([]string)
	for _, o := range names {
		if !slices.Contains(c.orgs, o) {
			c.orgs = append(c.orgs, o)
		}
	}
	return c
}

// rec interns d's values, appends its id and organisations to the arenas
// and returns its record.
func (c *catalog) rec(d catDoc) catRec {
	r := catRec{idOff: uint32(len(c.ids)), idLen: uint16(len(d.docID)), published: d.published, hasPub: d.hasPub,
		order: d.order, hasOrder: d.hasOrder,
		position: int32(d.position), number: int32(d.number),
		source: -1, section: -1, year: -1, edition: -1, orgOff: uint32(len(c.orgs)), orgN: uint16(len(d.orgs))}
	c.ids = append(c.ids, d.docID...)
	if d.hasSource {
		r.source = c.source.id(d.source)
	}
	if d.section != "" {
		r.section = c.section.id(d.section)
	}
	if d.year != "" {
		r.year = c.year.id(d.year)
	}
	if d.edFacets != "" {
		r.edition = c.edition.id(d.edFacets)
	}
	for _, o := range d.orgs {
		c.orgs = append(c.orgs, c.org.id(o))
	}
	return r
}

// copyRec appends r's id and organisations, from catalog from, to c's
// arenas and returns the record pointing at them.
func (c *catalog) copyRec(from *catalog, r catRec) catRec {
	id, orgs := from.ids[r.idOff:r.idOff+uint32(r.idLen)], from.orgsOf(&r)
	r.idOff, r.orgOff = uint32(len(c.ids)), uint32(len(c.orgs))
	c.ids = append(c.ids, id...)
	c.orgs = append(c.orgs, orgs...)
	return r
}

func (c *catalog) sort() {
	slices.SortFunc(c.items, func(a, b catRec) int { return c.before(&a, &b) })
	slices.SortFunc(c.editions, func(a, b catRec) int { return c.before(&a, &b) })
}

// catFields are the doc-value fields the catalog is built from.
var catFields = []string{fSource, fEditionNumber, fPosition, fPublished, fOrder, fYear, fEditionFacet, fSectionFacet, fOrgFacet}

// idBytesGuess is the length of a document id the catalog's build makes
// room for ("i:" and an edition id, a dash and a number).
const idBytesGuess = 48

// buildCatalog reads every document's doc values from the index. The caller
// holds writeMu, so that no batch lands while it reads.
func (ix *Index) buildCatalog() (*catalog, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	all, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	defer all.Close()
	dvr, err := r.DocValueReader(catFields)
	if err != nil {
		return nil, err
	}
	// The arrays are made at their final size (an estimate for the arenas):
	// grown by appending, each would be copied several times, and at 1M
	// items the copies were a quarter of the heap's peak while Warm ran.
	// Capacity never written is not resident.
	n, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	c := &catalog{items: make([]catRec, 0, n), ids: make([]byte, 0, n*idBytesGuess), orgs: make([]int32, 0, n)}
	var d catDoc
	visit := func(field string, term []byte) {
		switch field {
		case fSource:
			d.source, d.hasSource = string(term), len(term) > 0
		case fYear:
			d.year = string(term)
		case fEditionFacet:
			d.edFacets = string(term)
		case fSectionFacet:
			d.section = string(term)
		case fOrgFacet:
			if o := string(term); !slices.Contains(d.orgs, o) {
				d.orgs = append(d.orgs, o)
			}
		case fPublished, fEditionNumber, fPosition, fOrder:
			pc := numeric.PrefixCoded(term)
			if shift, err := pc.Shift(); err != nil || shift != 0 {
				return
			}
			i, err := pc.Int64()
			if err != nil {
				return
			}
			switch field {
			case fPublished:
				d.published, d.hasPub = i, true
			case fEditionNumber:
				d.number = int(numeric.Int64ToFloat64(i))
			case fPosition:
				d.position = int(numeric.Int64ToFloat64(i))
			case fOrder:
				d.order, d.hasOrder = numeric.Int64ToFloat64(i), true
			}
		}
	}
	for {
		id, err := all.Next()
		if err != nil {
			return nil, err
		}
		if id == nil {
			break
		}
		ext, err := r.ExternalID(id)
		if err != nil {
			return nil, err
		}
		d = catDoc{docID: ext, orgs: d.orgs[:0]}
		if err := dvr.VisitDocValues(id, bleveindex.DocValueVisitor(visit)); err != nil {
			return nil, fmt.Errorf("doc values of %s: %w", ext, err)
		}
		if !d.fits() {
			return nil, fmt.Errorf("document %.40s…: id or organisations too long for the catalog", ext)
		}
		switch {
		case strings.HasPrefix(ext, "i:"):
			c.items = append(c.items, c.rec(d))
		case strings.HasPrefix(ext, "e:"):
			c.editions = append(c.editions, c.rec(d))
		}
	}
	c.sort()
	c.index()
	return c, nil
}

// index derives the postings, the values' order by name and the facets of
// every item from the records; build and merge call it once the records
// are sorted.
func (c *catalog) index() {
	c.itemPost = c.postingsOf(c.items)
	c.edPost = c.postingsOf(c.editions)
	for _, v := range []*catValues{&c.source, &c.section, &c.year, &c.edition, &c.org} {
		v.rankNames()
	}
	k := c.newCounts()
	for i := range c.items {
		k.add(c, int32(i))
	}
	c.all = k.facets(c)
}

func (c *catalog) postingsOf(recs []catRec) catPostings {
	p := catPostings{source: make([][]int32, len(c.source.names)), section: make([][]int32, len(c.section.names)),
		org: make([][]int32, len(c.org.names)), number: map[int32][]int32{}}
	for i := range recs {
		r := &recs[i]
		if r.source >= 0 {
			p.source[r.source] = append(p.source[r.source], int32(i))
		}
		if r.section >= 0 {
			p.section[r.section] = append(p.section[r.section], int32(i))
		}
		for _, o := range c.orgsOf(r) {
			p.org[o] = append(p.org[o], int32(i))
		}
		p.number[r.number] = append(p.number[r.number], int32(i))
	}
	return p
}

// catChange is what one PutEdition did to the documents.
type catChange struct {
	deleted []string // document ids
	put     []catDoc
}

// catalogState holds the current catalog and the changes not yet merged
// into it. Changes are merged by the first search that needs the catalog,
// so that a crawl writing thousands of editions pays nothing for it.
type catalogState struct {
	mu      sync.Mutex
	built   bool // cur is valid once the pending changes are merged
	failed  bool // the last build failed: none is tried again before a write
	cur     *catalog
	pending []catChange
	seq     uint64 // the last catalog's number
}

// publish makes c, numbered, the current catalog with nothing pending.
// The caller holds mu.
func (s *catalogState) publish(c *catalog) {
	s.seq++
	c.seq = s.seq
	s.cur, s.pending = c, nil
}

// changed records a write. Before the catalog is first built there is
// nothing to keep current: the build reads the index as it is then.
func (s *catalogState) changed(ch catChange) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failed = false
	if !s.built {
		return
	}
	for _, d := range ch.put {
		if !d.fits() { // searches will ask Bleve
			s.built, s.cur, s.pending = false, nil, nil
			return
		}
	}
	s.pending = append(s.pending, ch)
}

// fits reports whether a record can hold d (lengths are 16-bit).
func (d catDoc) fits() bool { return len(d.docID) <= math.MaxUint16 && len(d.orgs) <= math.MaxUint16 }

// drop forgets the catalog, after a write that may have landed in part; the
// next search rebuilds it from the index.
func (s *catalogState) drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.built, s.cur, s.pending, s.failed = false, nil, nil, false
}

// Warm builds what searching needs in memory (the catalog and the tables
// mapping Bleve's documents to it) now rather than at the first search; a
// server calls it at start-up, in the background.
func (ix *Index) Warm() error {
	c, err := ix.catalog()
	if err != nil {
		return err
	}
	r, err := ix.reader()
	if err != nil {
		return fmt.Errorf("warm: %w", err)
	}
	defer r.Close()
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		ix.tablesFor(c, snap)
	}
	return nil
}

// catalog returns the current catalog, building it from the index or
// merging pending changes first when needed.
func (ix *Index) catalog() (*catalog, error) {
	s := &ix.cat
	s.mu.Lock()
	if s.built && len(s.pending) == 0 {
		c := s.cur
		s.mu.Unlock()
		return c, nil
	}
	if s.built {
		c := s.cur.merge(s.pending)
		s.publish(c)
		s.mu.Unlock()
		return c, nil
	}
	if s.failed {
		s.mu.Unlock()
		return nil, errors.New("catalog: the last build failed")
	}
	s.mu.Unlock()

	// Build with writes held off, so that no change is missed or counted twice.
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.built { // another search built it meanwhile
		if len(s.pending) > 0 {
			s.publish(s.cur.merge(s.pending))
		}
		return s.cur, nil
	}
	if ix.closed {
		return nil, errors.New("catalog: the index is closed")
	}
	c, err := ix.buildCatalog()
	if err != nil {
		s.failed = true
		return nil, fmt.Errorf("catalog: %w", err)
	}
	s.publish(c)
	s.built = true
	return c, nil
}

// merge returns a new catalog with the changes applied in order. Its
// arenas are written afresh, so deleted documents leave nothing behind.
func (c *catalog) merge(changes []catChange) *catalog {
	gone := map[string]bool{}
	latest := map[string]catDoc{}
	for _, ch := range changes {
		for _, id := range ch.deleted {
			gone[id] = true
			delete(latest, id)
		}
		for _, d := range ch.put {
			delete(gone, d.docID)
			latest[d.docID] = d
		}
	}
	n := &catalog{source: c.source.clone(), section: c.section.clone(), year: c.year.clone(),
		edition: c.edition.clone(), org: c.org.clone(),
		ids: make([]byte, 0, len(c.ids)), orgs: make([]int32, 0, len(c.orgs))}
	// New records are written to their own arenas first, then copied in
	// order with the old ones.
	added := &catalog{source: n.source, section: n.section, year: n.year, edition: n.edition, org: n.org}
	var newItems, newEds []catRec
	for _, d := range latest {
		r := added.rec(d)
		if strings.HasPrefix(d.docID, "i:") {
			newItems = append(newItems, r)
		} else {
			newEds = append(newEds, r)
		}
	}
	n.source, n.section, n.year, n.edition, n.org = added.source, added.section, added.year, added.edition, added.org
	keep := func(r *catRec) bool {
		id := c.docID(r)
		_, replaced := latest[id]
		return !gone[id] && !replaced
	}
	n.from, n.addedEntries = c.seq, make(map[string]int32, len(latest))
	var addedAt []int32
	n.items, n.itemMap, addedAt = n.mergeSorted(c, c.items, added, newItems, keep)
	for _, i := range addedAt {
		n.addedEntries[n.docID(&n.items[i])] = i
	}
	n.editions, n.edMap, addedAt = n.mergeSorted(c, c.editions, added, newEds, keep)
	for _, i := range addedAt {
		n.addedEntries[n.docID(&n.editions[i])] = edEntry(i)
	}
	n.index()
	return n
}

// mergeSorted merges the kept records of old (sorted, in catalog oc) with
// added (in catalog ac; sorted here) into n's arenas. It also returns the
// new number of each old record (-1 when not kept) and the numbers of the
// added ones.
func (n *catalog) mergeSorted(oc *catalog, old []catRec, ac *catalog, added []catRec, keep func(*catRec) bool) (out []catRec, oldTo, addedAt []int32) {
	slices.SortFunc(added, func(a, b catRec) int { return ac.before(&a, &b) })
	out = make([]catRec, 0, len(old)+len(added))
	oldTo = make([]int32, len(old))
	addedAt = make([]int32, 0, len(added))
	add := func(r catRec) {
		addedAt = append(addedAt, int32(len(out)))
		out = append(out, n.copyRec(ac, r))
	}
	j := 0
	for i := range old {
		if !keep(&old[i]) {
			oldTo[i] = -1
			continue
		}
		for j < len(added) && compareAcross(ac, &added[j], oc, &old[i]) < 0 {
			add(added[j])
			j++
		}
		oldTo[i] = int32(len(out))
		out = append(out, n.copyRec(oc, old[i]))
	}
	for ; j < len(added); j++ {
		add(added[j])
	}
	return out, oldTo, addedAt
}

// compareAcross orders a record of catalog ac and one of catalog bc.
func compareAcross(ac *catalog, a *catRec, bc *catalog, b *catRec) int {
	if c := byDate(a, b); c != 0 {
		return c
	}
	return strings.Compare(ac.docID(a), bc.docID(b))
}

// clone copies the tables so that a new catalog can add values without
// touching one that searches may be reading.
func (v catValues) clone() catValues {
	ids := make(map[string]int32, len(v.ids))
	for k, id := range v.ids {
		ids[k] = id
	}
	return catValues{names: slices.Clip(v.names), keys: slices.Clip(v.keys), ids: ids, rank: v.rank}
}
