package cli

import (
	"math"
	"runtime"
	"runtime/debug"
)

// The server's soft memory limit (limitHeap). Most of a large server's live
// heap is the index's catalog (about 160 bytes an item): long-lived and
// without pointers, so that collecting costs nothing for it, but by Go's
// default (GOGC=100) the heap may grow to twice everything live, catalog
// included, before a collection: 336 MiB at 1,000,000 items for 156 MiB of
// catalog. With a limit the collector runs sooner only when the heap nears
// it (a large index under load).
const (
	// minLimitedLive is the least live heap that gets a limit: below it
	// the default's doubling costs little, and an index that is still
	// filling (a first crawl, a rebuild) must not meet a limit made for
	// what it held before.
	minLimitedLive = 64 << 20
	// minHeapRoom is the least room beyond what is live: about what a
	// server of 100,000 items takes beyond that under load by Go's default
	// (131 MiB at most for 32 MiB live, at 8 clients).
	minHeapRoom = 96 << 20
)

// heapLimit returns the soft memory limit for a server whose live heap is
// live bytes (and the runtime's own memory own bytes): what is live and
// half as much again, at least minHeapRoom more; none (false) for a live
// heap under minLimitedLive.
func heapLimit(live, own uint64) (int64, bool) {
	if live < minLimitedLive {
		return 0, false
	}
	return int64(live + own + max(live/2, minHeapRoom)), true
}

// limitHeap sets the Go runtime's soft memory limit by heapLimit, from
// what is live now, unless the environment sets GOMEMLIMIT or GOGC. serve
// calls it once its index is warmed, and again after each crawl that adds
// editions and after a rebuild, so that the limit follows the archive.
func (a *app) limitHeap() {
	if a.getenv("GOMEMLIMIT") != "" || a.getenv("GOGC") != "" {
		return
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	live := m.HeapAlloc // just after a collection: what is live
	limit, ok := heapLimit(live, m.Sys-m.HeapSys)
	if !ok {
		debug.SetMemoryLimit(math.MaxInt64)
		a.log.Debug("memory: no soft limit (a small heap)", "live_mib", live>>20)
		return
	}
	debug.SetMemoryLimit(limit)
	a.log.Info("memory: soft limit set (the live heap and half as much again; GOMEMLIMIT or GOGC overrides it)",
		"limit_mib", limit>>20, "live_mib", live>>20)
}
