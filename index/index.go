package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/lga-digital/bulletin/internal/model"
)

// lockTimeout is how long Open waits for another process to release the index.
const lockTimeout = time.Second

// ErrLocked is returned (wrapped) by Open when another process, or another
// Index in this process, holds the index open.
var ErrLocked = errors.New("index is in use by another process")

// ErrInvalidRequest is returned (wrapped) by Search for a request that can
// never succeed, such as an unknown sort order; a *SyntaxError is returned
// for a bad query.
var ErrInvalidRequest = errors.New("invalid search request")

// Index is the search index of editions and items, stored with Bleve in one
// directory. It is safe for concurrent use.
type Index struct {
	bleve bleve.Index
	dir   string
	// writeMu serialises PutEdition, whose read-compare-write must not interleave.
	writeMu sync.Mutex
	// closed is set by Close, under writeMu: a catalog build (Warm's, in
	// the background) must not read a closed index.
	closed bool
	// closeOnce makes Close safe to call twice; Bleve panics on a second close.
	closeOnce sync.Once
	closeErr  error
	// gen counts the writes; the caches keep what they computed at one generation.
	gen atomic.Uint64
	// facets caches facet counts, results whole pages of hits, until the next write.
	facets    genCache[facetKey, []Facet]
	results   genCache[resultKey, *Result]
	noResults atomic.Bool // SetResultCache(false)
	// edFields hold the editions' words (itemFields in an index made before
	// editions had fields of their own).
	edFields textFields
	// cat answers queries without words (see catalog.go).
	cat catalogState
	// tables map Bleve's documents to the catalog's records (collect.go).
	tables docTables
	// background is the last error of Bleve's background work (see Err).
	background backgroundErr
	scorch     *scorch.Scorch
	// deferred: made by Create, whose writes reach the disk in the
	// background (see persisted).
	deferred bool
}

// Open opens the Bleve index in dir, creating it (with our mapping) when
// missing. It fails after about a second with an error wrapping ErrLocked if
// another process holds the index open, and with a *DamagedError naming the
// file when a file of the index is unreadable, truncated or overwritten
// (see check): never by serving an older state of the index.
func Open(dir string) (*Index, error) { return open(dir, false) }

// Create makes a new, empty index in dir, which must not hold one, for a
// bulk load that takes another index's place only once complete, as
// reindex's does. Its writes are not made durable one batch at a time:
// Bleve keeps them in memory and writes several together in the
// background (its unsafe_batch), which spares a sync per batch and merges
// small segments before they reach the disk. The Index's Close waits until
// all of them are on disk; a crash before that leaves a partial index, to
// be thrown away.
func Create(dir string) (*Index, error) { return open(dir, true) }

// open is Open, or with deferred Create, which refuses an existing index.
func open(dir string, deferred bool) (*Index, error) {
	cfg := map[string]any{"bolt_timeout": lockTimeout.String(),
		"asyncErrorCallbackName": asyncErrorCallback, "eventCallbackName": eventCallback}
	if deferred {
		cfg["unsafe_batch"] = true
	}
	var (
		bi  bleve.Index
		err error
	)
	if err := restoreInterrupted(dir); err != nil {
		return nil, err
	}
	if _, statErr := os.Stat(filepath.Join(dir, metaFile)); statErr == nil {
		if deferred {
			return nil, fmt.Errorf("create index %s: %w", dir, bleve.ErrorIndexPathExists)
		}
		if err := check(dir); err != nil {
			return nil, err
		}
		bi, err = bleve.OpenUsing(dir, cfg)
	} else if _, storeErr := os.Stat(filepath.Join(dir, storeDir)); storeErr == nil {
		// The store without its mapping file: not an index Bleve can open.
		return nil, &DamagedError{Dir: dir, File: filepath.Join(dir, metaFile), Err: statErr}
	} else {
		bi, err = bleve.NewUsing(dir, newMapping(), scorch.Name, scorch.Name, cfg)
		if errors.Is(err, bleve.ErrorIndexPathExists) && !deferred {
			// Another process created it between our Stat and New.
			bi, err = bleve.OpenUsing(dir, cfg)
		}
	}
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open index %s: %w (gave up after %s): %w", dir, ErrLocked, lockTimeout, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	ix := &Index{bleve: bi, dir: dir, edFields: editionFieldsOf(bi.Mapping()), deferred: deferred}
	ix.facets.maxLen = maxCachedFacets
	ix.results.maxLen, ix.results.maxCost = maxCachedResults, maxCachedHits
	ix.watch(filepath.Join(dir, storeDir))
	return ix, nil
}

// SetResultCache turns the cache of whole results on (the default) or off.
// Off, every search is computed (facet counts are still kept), as a
// benchmark of the search itself needs.
func (ix *Index) SetResultCache(on bool) { ix.noResults.Store(!on) }

// Close releases the index; later calls return the first call's result.
// The Index must not be used after Close.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		defer ix.unwatch()
		// Wait for a write or a catalog build in progress.
		ix.writeMu.Lock()
		defer ix.writeMu.Unlock()
		ix.closed = true
		if ix.deferred {
			if err := ix.persisted(); err != nil {
				ix.closeErr = err
			}
		}
		if err := ix.bleve.Close(); err != nil && ix.closeErr == nil {
			ix.closeErr = fmt.Errorf("close index %s: %w", ix.dir, err)
		}
	})
	return ix.closeErr
}

// Document ids carry the type so an item id can never collide with an edition id.
func itemDocID(id string) string    { return "i:" + id }
func editionDocID(id string) string { return "e:" + id }

// PutEdition stores an edition and its items in one Bleve batch, replacing
// whatever the index held for ed.ID: items no longer in the edition are
// deleted. Documents whose stored form is unchanged are not rewritten, so
// putting the same input again changes nothing.
func (ix *Index) PutEdition(ctx context.Context, ed model.Edition, items []model.Item) error {
	if err := validateEdition(ed, items); err != nil {
		return err
	}
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put edition %s: %w", ed.ID, err)
	}

	old, err := ix.storedItems(ctx, ed.ID)
	if err != nil {
		return fmt.Errorf("put edition %s: %w", ed.ID, err)
	}
	oldEd, err := ix.storedJSON(editionDocID(ed.ID))
	if err != nil {
		return fmt.Errorf("put edition %s: %w", ed.ID, err)
	}

	b := ix.bleve.NewBatch()
	var change catChange
	doc, js, err := editionDoc(ed, ix.edFields)
	if err != nil {
		return fmt.Errorf("put edition %s: %w", ed.ID, err)
	}
	if js != oldEd {
		if err := b.Index(editionDocID(ed.ID), doc); err != nil {
			return fmt.Errorf("put edition %s: %w", ed.ID, err)
		}
		change.put = append(change.put, catDocOf(editionDocID(ed.ID), doc))
	}
	keep := make(map[string]bool, len(items))
	for _, it := range items {
		docID := itemDocID(it.ID)
		keep[docID] = true
		doc, js, err := itemDoc(it)
		if err != nil {
			return fmt.Errorf("put edition %s: item %s: %w", ed.ID, it.ID, err)
		}
		if old[docID] == js {
			continue
		}
		if err := b.Index(docID, doc); err != nil {
			return fmt.Errorf("put edition %s: item %s: %w", ed.ID, it.ID, err)
		}
		change.put = append(change.put, catDocOf(docID, doc))
	}
	for docID := range old {
		if !keep[docID] {
			b.Delete(docID)
			change.deleted = append(change.deleted, docID)
		}
	}
	if b.Size() == 0 {
		return nil
	}
	err = ix.bleve.Batch(b)
	if err != nil {
		ix.cat.drop() // even a failed batch may have written part
	} else {
		ix.cat.changed(change)
	}
	ix.gen.Add(1) // after the catalog, so that a search seeing the new generation sees its catalog
	if err != nil {
		return fmt.Errorf("put edition %s: %w", ed.ID, err)
	}
	return nil
}

func validateEdition(ed model.Edition, items []model.Item) error {
	if ed.ID == "" {
		return errors.New("put edition: empty edition id")
	}
	seen := make(map[string]bool, len(items))
	for i, it := range items {
		switch {
		case it.ID == "":
			return fmt.Errorf("put edition %s: item %d has no id", ed.ID, i+1)
		case it.EditionID != ed.ID:
			return fmt.Errorf("put edition %s: item %s belongs to edition %q", ed.ID, it.ID, it.EditionID)
		case seen[it.ID]:
			return fmt.Errorf("put edition %s: duplicate item id %s", ed.ID, it.ID)
		}
		seen[it.ID] = true
	}
	return nil
}

// storedItems returns the stored JSON of every item of edition edID, by document id.
func (ix *Index) storedItems(ctx context.Context, edID string) (map[string]string, error) {
	q := query.NewConjunctionQuery([]query.Query{termQ(fType, typeItem), termQ(fEditionID, edID)})
	out := map[string]string{}
	err := ix.each(ctx, q, []string{"_id"}, func(docID string, js string) error {
		out[docID] = js
		return nil
	})
	return out, err
}

// each calls fn with the id and stored JSON of every document matching q, in sort order.
// The first search asks for 500; the next for all the rest (as many as
// the first counted): every search visits all the matches, so pages of a
// fixed size would visit them once a page (the 50,000 editions of a 1M
// index: 100 passes and 71 s, against 3 to 5 s).
func (ix *Index) each(ctx context.Context, q query.Query, sort []string, fn func(docID, js string) error) error {
	size := 500
	for from := 0; ; {
		req := bleve.NewSearchRequestOptions(q, size, from, false)
		req.Fields = []string{fJSON}
		req.SortBy(sort)
		res, err := ix.bleve.SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		for _, h := range res.Hits {
			js, _ := h.Fields[fJSON].(string)
			if err := fn(h.ID, js); err != nil {
				return err
			}
		}
		from += len(res.Hits)
		if len(res.Hits) < size || int(res.Total) <= from {
			return nil
		}
		size = int(res.Total) - from
	}
}

// storedJSON returns the stored JSON of a document, or "" when there is none.
func (ix *Index) storedJSON(docID string) (string, error) {
	doc, err := ix.bleve.Document(docID)
	if err != nil {
		return "", fmt.Errorf("read document %s: %w", docID, err)
	}
	if doc == nil {
		return "", nil
	}
	var js string
	doc.VisitFields(func(f bleveindex.Field) {
		if f.Name() == fJSON {
			js = string(f.Value())
		}
	})
	return js, nil
}

// Edition returns the stored edition with the given id.
func (ix *Index) Edition(ctx context.Context, id string) (model.Edition, bool, error) {
	var ed model.Edition
	ok, err := ix.load(ctx, editionDocID(id), &ed)
	if err != nil {
		return model.Edition{}, false, fmt.Errorf("edition %s: %w", id, err)
	}
	return ed, ok, nil
}

// Item returns the stored item with the given id.
func (ix *Index) Item(ctx context.Context, id string) (model.Item, bool, error) {
	var it model.Item
	ok, err := ix.load(ctx, itemDocID(id), &it)
	if err != nil {
		return model.Item{}, false, fmt.Errorf("item %s: %w", id, err)
	}
	return it, ok, nil
}

func (ix *Index) load(ctx context.Context, docID string, v any) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	return ix.loadStored(docID, v)
}

// Editions returns the stored editions of a source ("" for all sources),
// newest first.
func (ix *Index) Editions(ctx context.Context, source string) ([]model.Edition, error) {
	var eds []model.Edition
	err := ix.each(ctx, editionsQuery(source), editionOrder, func(docID, js string) error {
		var ed model.Edition
		if err := decodeStored(docID, []byte(js), &ed); err != nil {
			return err
		}
		eds = append(eds, ed)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("editions of %q: %w", source, err)
	}
	return eds, nil
}

// LatestEditions returns the n newest editions of a source ("" for all
// sources) and how many the index holds, reading only those n.
func (ix *Index) LatestEditions(ctx context.Context, source string, n int) ([]model.Edition, int, error) {
	return ix.EditionsPage(ctx, source, 0, n)
}

// editionOrder lists editions newest first: by month, then in the archive's
// own order within a month (GovDelivery's ids, which agree with send times),
// so that an edition dated by its issue line's month alone (the 1st) falls
// in place among that month's editions; then by date and number, for
// editions with no archive order.
var editionOrder = []string{"-" + fMonth, "-" + fOrder, "-" + fPublished, "-" + fEditionNumber, "_id"}

// monthKey is the month of an edition's send date as year*12 + month (UTC),
// 0 when the date is unknown. The date of an edition known only by its
// month is midnight London time on the 1st, which may fall on the previous
// day in UTC; it is moved into its own month first.
func monthKey(ed model.Edition) int {
	t := ed.Published
	if t.IsZero() {
		return 0
	}
	if ed.DateFromIssueLine {
		t = t.Add(12 * time.Hour)
	}
	t = t.UTC()
	return t.Year()*12 + int(t.Month()) - 1
}

// editionsQuery matches the editions of a source ("" for all sources).
func editionsQuery(source string) query.Query {
	qs := []query.Query{termQ(fType, typeEdition)}
	if source != "" {
		qs = append(qs, termQ(fSource, normKeyword(source)))
	}
	return query.NewConjunctionQuery(qs)
}

// Stats counts what the index holds.
type Stats struct {
	Editions int           `json:"editions"`
	Items    int           `json:"items"`
	Sources  []SourceStats `json:"sources"` // sorted by source id
}

// SourceStats counts the editions and items of one source.
type SourceStats struct {
	Source   string `json:"source"`
	Editions int    `json:"editions"`
	Items    int    `json:"items"`
}

// maxSources bounds the per-source counts of Stats.
const maxSources = 1000

// Stats returns the number of editions and items, in all and per source.
func (ix *Index) Stats(ctx context.Context) (Stats, error) {
	st := Stats{Sources: []SourceStats{}}
	per := map[string]*SourceStats{}
	for _, typ := range []string{typeEdition, typeItem} {
		req := bleve.NewSearchRequestOptions(termQ(fType, typ), 0, 0, false)
		req.AddFacet(fSource, bleve.NewFacetRequest(fSource, maxSources))
		res, err := ix.bleve.SearchInContext(ctx, req)
		if err != nil {
			return Stats{}, fmt.Errorf("stats: %w", err)
		}
		n := int(res.Total)
		var terms []*search.TermFacet
		if fr := res.Facets[fSource]; fr != nil && fr.Terms != nil {
			terms = fr.Terms.Terms()
		}
		for _, t := range terms {
			s := per[t.Term]
			if s == nil {
				s = &SourceStats{Source: t.Term}
				per[t.Term] = s
			}
			if typ == typeItem {
				s.Items += t.Count
			} else {
				s.Editions += t.Count
			}
		}
		if typ == typeItem {
			st.Items = n
		} else {
			st.Editions = n
		}
	}
	for _, s := range per {
		st.Sources = append(st.Sources, *s)
	}
	slices.SortFunc(st.Sources, func(a, b SourceStats) int { return strings.Compare(a.Source, b.Source) })
	return st, nil
}

func termQ(field, term string) *query.TermQuery {
	q := query.NewTermQuery(term)
	q.SetField(field)
	return q
}

// itemDoc returns the document Bleve indexes for an item and its stored JSON.
func itemDoc(it model.Item) (map[string]any, string, error) {
	js, err := json.Marshal(it)
	if err != nil {
		return nil, "", err
	}
	d := commonDoc(typeItem, string(js), it.Source, it.EditionID, it.EditionNumber, it.EditionOrder, it.Published)
	d[fTitle], d[fTitlePlain] = it.Title, it.Title
	d[fText], d[fTextPlain] = it.Text, it.Text
	d[fPosition] = it.Position
	if s := strings.Join(strings.Fields(it.Section), " "); s != "" {
		d[fSection], d[fSectionFacet] = normKeyword(s), s
	}
	var orgs, orgNames, contacts []string
	for _, o := range it.Orgs {
		if o = strings.Join(strings.Fields(o), " "); o != "" {
			orgs, orgNames = append(orgs, normKeyword(o)), append(orgNames, o)
		}
	}
	for _, c := range it.Contacts {
		if c = normKeyword(c); c != "" {
			contacts = append(contacts, c)
		}
	}
	if len(orgs) > 0 {
		d[fOrg], d[fOrgFacet] = orgs, orgNames
	}
	if len(contacts) > 0 {
		d[fContact] = contacts
	}
	return d, string(js), nil
}

// editionDoc returns the document Bleve indexes for an edition and its stored
// JSON: its title and issue line are the title, its editorial the text, in
// the fields tf.
func editionDoc(ed model.Edition, tf textFields) (map[string]any, string, error) {
	js, err := json.Marshal(ed)
	if err != nil {
		return nil, "", err
	}
	d := commonDoc(typeEdition, string(js), ed.Source, ed.ID, ed.Number, ed.Order, ed.Published)
	if m := monthKey(ed); m > 0 {
		d[fMonth] = m
	}
	title := strings.TrimSpace(ed.Title + "\n" + ed.IssueLine)
	d[tf.title], d[tf.titlePlain] = title, title
	d[tf.text], d[tf.textPlain] = ed.Editorial, ed.Editorial
	return d, string(js), nil
}

func commonDoc(typ, js, source, editionID string, number int, order int64, published time.Time) map[string]any {
	d := map[string]any{
		fType:          typ,
		fJSON:          js,
		fSource:        normKeyword(source),
		fEditionID:     editionID,
		fEditionNumber: number,
	}
	if number > 0 {
		d[fEditionFacet] = strconv.Itoa(number)
	}
	if order > 0 {
		d[fOrder] = order
	}
	if !published.IsZero() {
		d[fPublished] = published.UTC()
		d[fYear] = strconv.Itoa(published.UTC().Year())
	}
	return d
}
