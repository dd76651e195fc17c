package index

import (
	"sync"
)

// Bounds of the caches: when one is full it starts again empty.
const (
	maxCachedFacets  = 1024  // facet lists
	maxCachedResults = 1024  // result pages
	maxCachedHits    = 20000 // hits over all cached result pages (about 60 MiB of items)
)

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

// resultKey names one page of one search: the request with its page and
// size as served.
type resultKey struct {
	facetKey
	sort              string
	page, size        int
	facets, highlight bool
}

// genCache keeps values computed at one generation of the index (ix.gen,
// bumped by every write) and serves them until the index changes. Facets
// are most of the cost of a broad search (every match is visited), repeated
// searches (the home page, saved queries, feeds) cost nothing, and the
// index changes only when a crawl writes an edition.
type genCache[K comparable, V any] struct {
	mu              sync.Mutex
	m               map[K]genEntry[V]
	cost            int
	maxLen, maxCost int
}

type genEntry[V any] struct {
	gen  uint64
	v    V
	cost int
}

// get returns the value of k computed at generation gen.
func (c *genCache[K, V]) get(k K, gen uint64) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || e.gen != gen {
		var zero V
		return zero, false
	}
	return e.v, true
}

// put keeps v computed at generation gen (read before the search, so that
// a write during the search makes the entry stale, never wrong); cost
// counts towards maxCost when that is set.
func (c *genCache[K, V]) put(k K, gen uint64, v V, cost int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= c.maxLen || (c.maxCost > 0 && c.cost+cost > c.maxCost) {
		c.m, c.cost = make(map[K]genEntry[V]), 0
	}
	if old, ok := c.m[k]; ok {
		c.cost -= old.cost
	}
	c.m[k] = genEntry[V]{gen: gen, v: v, cost: cost}
	c.cost += cost
}
