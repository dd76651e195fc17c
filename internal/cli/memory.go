package cli

import (
	"runtime"
	"runtime/debug"
)

// minHeapRoom is the least room a server's heap has beyond what is live
// once its index is warmed, before Go's collector works harder to stay
// within it: about what a server of 100,000 items takes beyond that under
// load by Go's default (131 MiB at most for 32 MiB live, at 8 clients).
const minHeapRoom = 96 << 20

// limitHeap sets the Go runtime's soft memory limit, unless the
// environment sets GOMEMLIMIT or GOGC, to what is live once the index is
// warmed (and the runtime's own memory) plus room: half of that live heap,
// at least minHeapRoom. Most of what is live then is the index's catalog
// (about 160 bytes an item): long-lived and without pointers, so that
// collecting costs nothing for it, but by Go's default (GOGC=100) the heap
// may grow to twice everything live, catalog included, before a
// collection: 336 MiB at 1,000,000 items for 156 MiB of catalog. With the
// limit the collector runs sooner only when the heap nears it (a large
// index under load); a small index, whose heap stays within its room, pays
// nothing. It is set once, at start-up: an archive grows by
// crawls far slower than the room.
func (a *app) limitHeap() {
	if a.getenv("GOMEMLIMIT") != "" || a.getenv("GOGC") != "" {
		return
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	live := m.HeapAlloc             // just after a collection: what is live
	runtimeOwn := m.Sys - m.HeapSys // stacks, the collector's metadata and the like
	room := max(live/2, minHeapRoom)
	limit := int64(live + runtimeOwn + room)
	debug.SetMemoryLimit(limit)
	a.log.Info("memory: soft limit set (the warmed index's live heap and half as much again; GOMEMLIMIT or GOGC overrides it)",
		"limit_mib", limit>>20, "live_mib", live>>20)
}
