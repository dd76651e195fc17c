package index

import (
	"sync"
	"sync/atomic"
)

// maxCachedFacets bounds the facet cache; when full it starts again empty.
const maxCachedFacets = 1024

// facetKey names the set of items a search matches, whatever its page,
// size or sort: facet counts depend on nothing else.
type facetKey struct {
	query, source string
	from, to      int64
}

func facetKeyOf(req Request) facetKey {
	k := facetKey{query: req.Query, source: req.Source}
	if !req.From.IsZero() {
		k.from = req.From.UnixNano()
	}
	if !req.To.IsZero() {
		k.to = req.To.UnixNano()
	}
	return k
}

type facetEntry struct {
	gen    uint64
	facets []Facet
}

// facetCache keeps the facets of recent searches until the index changes.
// Facets are most of the cost of a broad search (every match is visited),
// and the index changes only when a crawl writes an edition.
type facetCache struct {
	gen atomic.Uint64 // bumped by every write to the index
	mu  sync.Mutex
	m   map[facetKey]facetEntry
}

// get returns the facets of k computed at the current generation.
func (c *facetCache) get(k facetKey) ([]Facet, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || e.gen != c.gen.Load() {
		return nil, false
	}
	return e.facets, true
}

// put keeps facets computed at generation gen (read before the search, so
// that a write during the search makes the entry stale, never wrong).
func (c *facetCache) put(k facetKey, gen uint64, facets []Facet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedFacets {
		c.m = make(map[facetKey]facetEntry)
	}
	c.m[k] = facetEntry{gen: gen, facets: facets}
}

// invalidate is called after every write to the index.
func (c *facetCache) invalidate() { c.gen.Add(1) }
