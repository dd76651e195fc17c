package server

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Bounds of the rendered-feed cache. Keys include the free-text ?q=, so
// the cache must not grow with what clients ask for.
const (
	feedCacheEntries = 512
	feedCacheBytes   = 64 << 20
)

// rendered is one feed document as served: its bytes and validators.
type rendered struct {
	body     []byte
	typ      string    // Content-Type
	etag     string    // quoted strong ETag, a hash of body
	modtime  time.Time // Last-Modified: when the bytes last changed (see changeLog)
	scope    string    // source id the document depends on; "" means every source
	pageType string    // Content-Type for a browser's navigation (see formats); "": typ
}

// FeedCache holds the feed handlers' cache of rendered documents. A document is kept until a crawl changes a source it depends
// on: InvalidateSource drops it, and a generation per source keeps a render
// that began before the change from being stored after it.
type FeedCache struct {
	mu      sync.Mutex
	entries map[string]*list.Element // key → element of lru holding *cacheEntry
	lru     *list.List               // front = most recently used
	size    int                      // bytes of every cached body
	gens    map[string]uint64        // source id → generation
	allGen  uint64                   // bumped by every invalidation

	// flight makes concurrent requests of one document share one render;
	// renders are the renders in flight, with how many requests wait on each.
	flight  singleflight.Group
	renders map[string]*sharedRender
}

// sharedRender is one render that concurrent requests wait on. It runs
// under a context of its own, cancelled when every request waiting on it
// has gone away (so an abandoned render stops) or after RequestTimeout.
type sharedRender struct {
	ctx     context.Context
	cancel  context.CancelFunc
	waiters int
}

type cacheEntry struct {
	key string
	doc *rendered
}

// NewFeedCache returns an empty cache of rendered feeds.
func NewFeedCache() *FeedCache {
	return &FeedCache{entries: map[string]*list.Element{}, lru: list.New(), gens: map[string]uint64{},
		renders: map[string]*sharedRender{}}
}

// shared renders the document of key once for every request that asks for
// it while it is being rendered, caches it, and returns it; a request whose
// context ends stops waiting (and the render stops when none waits).
func (c *FeedCache) shared(ctx context.Context, key, scope string, render func(ctx context.Context) (*rendered, error)) (*rendered, error) {
	for range 3 {
		doc, err := c.join(ctx, key, scope, render)
		// A request that joined a render just as the last one before it
		// left gets that render's cancellation: it starts another.
		if errors.Is(err, context.Canceled) && ctx.Err() == nil {
			continue
		}
		return doc, err
	}
	return nil, fmt.Errorf("render %s: cancelled three times", key)
}

func (c *FeedCache) join(ctx context.Context, key, scope string, render func(ctx context.Context) (*rendered, error)) (*rendered, error) {
	c.mu.Lock()
	sr := c.renders[key]
	if sr == nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), RequestTimeout)
		sr = &sharedRender{ctx: rctx, cancel: cancel}
		c.renders[key] = sr
	}
	sr.waiters++
	c.mu.Unlock()
	defer c.leave(key, sr)

	ch := c.flight.DoChan(key, func() (val any, err error) {
		defer c.done(key, sr)
		defer func() {
			// singleflight would crash the process with a panic of a
			// DoChan function: each waiting request re-panics it instead,
			// for the server's recovery.
			if v := recover(); v != nil {
				val, err = nil, &renderPanic{value: v, stack: debug.Stack()}
			}
		}()
		gen := c.generation(scope)
		doc, err := render(sr.ctx)
		if err != nil {
			return nil, err
		}
		doc.scope = scope
		c.put(key, gen, doc)
		return doc, nil
	})
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("render %s: %w", key, context.Cause(ctx))
	case res := <-ch:
		var rp *renderPanic
		if errors.As(res.Err, &rp) {
			panic(rp)
		}
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*rendered), nil
	}
}

// leave drops a request from a render's waiters; the last one to leave
// cancels it.
func (c *FeedCache) leave(key string, sr *sharedRender) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if sr.waiters--; sr.waiters == 0 {
		sr.cancel()
		if c.renders[key] == sr {
			delete(c.renders, key)
		}
	}
}

// done forgets a finished render, so that the next miss starts another.
func (c *FeedCache) done(key string, sr *sharedRender) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.renders[key] == sr {
		delete(c.renders, key)
	}
}

// get returns the cached document for key.
func (c *FeedCache) get(key string) (*rendered, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(el)
	return el.Value.(*cacheEntry).doc, true
}

// generation is the current generation of a scope, to be handed to put.
func (c *FeedCache) generation(scope string) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.genLocked(scope)
}

func (c *FeedCache) genLocked(scope string) uint64 {
	if scope == "" {
		return c.allGen
	}
	return c.gens[scope]
}

// put stores doc under key unless its scope changed since gen was taken,
// evicting the least recently used documents beyond the bounds.
func (c *FeedCache) put(key string, gen uint64, doc *rendered) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.genLocked(doc.scope) != gen || len(doc.body) > feedCacheBytes/4 {
		return
	}
	if el, ok := c.entries[key]; ok {
		c.removeLocked(el)
	}
	c.entries[key] = c.lru.PushFront(&cacheEntry{key: key, doc: doc})
	c.size += len(doc.body)
	for c.lru.Len() > feedCacheEntries || c.size > feedCacheBytes {
		c.removeLocked(c.lru.Back())
	}
}

func (c *FeedCache) removeLocked(el *list.Element) {
	e := c.lru.Remove(el).(*cacheEntry)
	delete(c.entries, e.key)
	c.size -= len(e.doc.body)
}

// InvalidateSource drops every document that depends on the source: its
// own feeds and those spanning every source.
func (c *FeedCache) InvalidateSource(source string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gens[source]++
	c.allGen++
	for el := c.lru.Front(); el != nil; {
		next := el.Next()
		if s := el.Value.(*cacheEntry).doc.scope; s == "" || s == source {
			c.removeLocked(el)
		}
		el = next
	}
}

// len is the number of cached documents.
func (c *FeedCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// InvalidateSource drops the cached feeds that depend on a source, so that
// the next request renders them from the index again. The CLI calls it when
// a crawl has (re)indexed editions of the source.
func (s *Server) InvalidateSource(id string) {
	s.feeds.InvalidateSource(id)
	s.log.Debug("feeds: cache invalidated", "source", id)
}

// renderPanic is a panic of a shared render, carried to every request that
// waited on it with the stack where it happened.
type renderPanic struct {
	value any
	stack []byte
}

func (p *renderPanic) Error() string { return fmt.Sprint(p.value) }
