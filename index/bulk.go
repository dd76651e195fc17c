package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"

	"github.com/lga-digital/bulletin/internal/model"
)

// bulkDocs is the size of a Bulk batch: Bleve indexes 1,000-document
// batches about twice as fast as one edition's twenty.
const bulkDocs = 1000

// Bulk fills an empty index, as reindex does: it gathers editions into
// batches of about a thousand documents, skips PutEdition's reading and
// comparing of what is stored (there is nothing yet), and writes each batch
// while the caller prepares the next. An edition put twice is replaced as
// PutEdition replaces it. Bulk is for one goroutine; the index stays
// readable meanwhile. Nothing is durable before Close returns nil; on an
// index made by Create, not before the Index's Close returns nil.
type Bulk struct {
	ix      *Index
	fresh   bool // the index was empty: write without reading
	b       *bleve.Batch
	change  catChange
	seen    map[string]bool
	pending chan bulkBatch // the batch being written, at most one
	done    chan error
	err     error
}

type bulkBatch struct {
	b      *bleve.Batch
	change catChange
}

// Bulk starts a bulk load of the index. On an index that already holds
// documents, each edition goes through PutEdition.
func (ix *Index) Bulk() (*Bulk, error) {
	n, err := ix.bleve.DocCount()
	if err != nil {
		return nil, fmt.Errorf("bulk load: %w", err)
	}
	w := &Bulk{ix: ix, fresh: n == 0, b: ix.bleve.NewBatch(), seen: map[string]bool{},
		pending: make(chan bulkBatch), done: make(chan error, 1)}
	go w.write()
	return w, nil
}

// write applies batches in order until pending is closed, then reports the
// first error on done.
func (w *Bulk) write() {
	var first error
	for bb := range w.pending {
		if first != nil {
			continue
		}
		w.ix.writeMu.Lock()
		err := w.ix.bleve.Batch(bb.b)
		if err != nil {
			w.ix.cat.drop()
			first = err
		} else {
			w.ix.cat.changed(bb.change)
		}
		w.ix.gen.Add(1)
		w.ix.writeMu.Unlock()
	}
	w.done <- first
}

// PutEdition adds an edition and its items to the load.
func (w *Bulk) PutEdition(ctx context.Context, ed model.Edition, items []model.Item) error {
	if err := validateEdition(ed, items); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put edition %s: %w", ed.ID, err)
	}
	if w.err != nil {
		return w.err
	}
	if !w.fresh || w.seen[ed.ID] {
		// Replacing needs what is stored: write what is gathered, then compare.
		if err := w.flush(true); err != nil {
			return err
		}
		return w.ix.PutEdition(ctx, ed, items)
	}
	w.seen[ed.ID] = true
	doc, _, err := editionDoc(ed, w.ix.edFields)
	if err != nil {
		return fmt.Errorf("put edition %s: %w", ed.ID, err)
	}
	if err := w.b.Index(editionDocID(ed.ID), doc); err != nil {
		return fmt.Errorf("put edition %s: %w", ed.ID, err)
	}
	w.change.put = append(w.change.put, catDocOf(editionDocID(ed.ID), doc))
	for _, it := range items {
		doc, _, err := itemDoc(it)
		if err != nil {
			return fmt.Errorf("put edition %s: item %s: %w", ed.ID, it.ID, err)
		}
		if err := w.b.Index(itemDocID(it.ID), doc); err != nil {
			return fmt.Errorf("put edition %s: item %s: %w", ed.ID, it.ID, err)
		}
		w.change.put = append(w.change.put, catDocOf(itemDocID(it.ID), doc))
	}
	if w.b.Size() >= bulkDocs {
		return w.flush(false)
	}
	return nil
}

// Edition returns a stored edition, as Index.Edition does, after writing
// what is gathered.
func (w *Bulk) Edition(ctx context.Context, id string) (model.Edition, bool, error) {
	if err := w.flush(true); err != nil {
		return model.Edition{}, false, err
	}
	return w.ix.Edition(ctx, id)
}

// Editions returns the stored editions of a source, as Index.Editions
// does, after writing what is gathered.
func (w *Bulk) Editions(ctx context.Context, source string) ([]model.Edition, error) {
	if err := w.flush(true); err != nil {
		return nil, err
	}
	return w.ix.Editions(ctx, source)
}

// flush hands the gathered batch to the writer; with wait, it also waits
// until every batch is written.
func (w *Bulk) flush(wait bool) error {
	if w.b.Size() > 0 {
		w.pending <- bulkBatch{w.b, w.change}
		w.b, w.change = w.ix.bleve.NewBatch(), catChange{}
	}
	if !wait {
		return nil
	}
	close(w.pending)
	err := <-w.done
	w.pending, w.done = make(chan bulkBatch), make(chan error, 1)
	go w.write()
	if err != nil {
		w.err = fmt.Errorf("bulk load: %w", err)
	}
	return w.err
}

// Close writes what is gathered and ends the load; it does not close the index.
func (w *Bulk) Close() error {
	if w.b.Size() > 0 {
		w.pending <- bulkBatch{w.b, w.change}
		w.b = w.ix.bleve.NewBatch()
	}
	close(w.pending)
	err := <-w.done
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("bulk load: %w", err)
	}
	return w.err
}
