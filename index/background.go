package index

import (
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Bleve reports the errors of its background work (persisting, merging)
// only to a callback registered by name in a registry of its own, and its
// progress to an event callback. One callback of each is registered, once,
// and routes to the Index concerned: by store path for errors, by the
// Scorch instance for events.
const (
	asyncErrorCallback = "bulletin-index-errors"
	eventCallback      = "bulletin-index-events"
)

var (
	byStorePath sync.Map // store path → *Index
	byScorch    sync.Map // *scorch.Scorch → *Index
)

func init() {
	scorch.RegistryAsyncErrorCallbacks[asyncErrorCallback] = func(err error, path string) {
		if v, ok := byStorePath.Load(filepath.Clean(path)); ok {
			v.(*Index).background.set(err)
		}
	}
	scorch.RegistryEventCallbacks[eventCallback] = func(e scorch.Event) bool {
		if e.Kind == scorch.EventKindPersisterProgress {
			if v, ok := byScorch.Load(e.Scorch); ok {
				v.(*Index).background.set(nil)
			}
		}
		return true
	}
}

// backgroundErr is the last error of an index's background work, cleared
// when the persister next completes a pass.
type backgroundErr struct {
	mu  sync.Mutex
	err error
	at  time.Time
}

func (b *backgroundErr) set(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err == nil && b.err == nil {
		return
	}
	b.err, b.at = err, time.Now()
}

// Err returns the error of the index's background work (writing what was
// put to disk, merging segments) since the last time that work succeeded,
// or nil. A full disk shows here first: Bleve keeps a failed batch in
// memory and retries writing it.
func (ix *Index) Err() error {
	ix.background.mu.Lock()
	defer ix.background.mu.Unlock()
	return ix.background.err
}

// watch routes Bleve's callbacks for this index to it until unwatch.
func (ix *Index) watch(storePath string) {
	byStorePath.Store(filepath.Clean(storePath), ix)
	if adv, err := ix.bleve.Advanced(); err == nil {
		if sc, ok := adv.(*scorch.Scorch); ok {
			ix.scorch = sc
			byScorch.Store(sc, ix)
		}
	}
}

func (ix *Index) unwatch() {
	byStorePath.Delete(filepath.Clean(filepath.Join(ix.dir, storeDir)))
	if ix.scorch != nil {
		byScorch.Delete(ix.scorch)
	}
}

// persistedKey names the internal value a no-op batch deletes: a batch of
// an index made by Create is on disk when Bleve calls its persisted
// callback, and Bleve writes batches to disk in order.
const persistedKey = "bulletin-persisted"

// persisted waits until every write to the index is on disk, or returns
// the error that keeps Bleve from writing (it retries a failed write
// forever, so waiting alone could never end).
func (ix *Index) persisted() error {
	done := make(chan error, 1)
	b := ix.bleve.NewBatch()
	b.DeleteInternal([]byte(persistedKey))
	b.SetPersistedCallback(func(err error) { done <- err })
	if err := ix.bleve.Batch(b); err != nil {
		return fmt.Errorf("write index %s to disk: %w", ix.dir, err)
	}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("write index %s to disk: %w", ix.dir, err)
			}
			return nil
		case <-tick.C:
			if err := ix.Err(); err != nil {
				return fmt.Errorf("write index %s to disk: %w", ix.dir, err)
			}
		}
	}
}
