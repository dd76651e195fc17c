package index

import (
	"context"
	"math"
	"os"
	"syscall"
	"testing"
	"time"
)

// BenchmarkKeptIndex runs each query of the benchmark mix, as /api/search
// asks it (facets and snippets, results not kept; "api" computes the
// facets each time, "api-kept" keeps them), bare (20 hits, neither) and
// bleve (the same bare search by Bleve's own collector, searchBleve), on
// an index built beforehand: BENCH_INDEX_DIR names its directory
// (bench/run.sh's $BENCH_WORK/big/index, 100,000 items). Skipped without it.
func BenchmarkKeptIndex(b *testing.B) {
	dir := os.Getenv("BENCH_INDEX_DIR")
	if dir == "" {
		b.Skip("BENCH_INDEX_DIR is not set")
	}
	ix, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	ix.SetResultCache(false)
	if err := ix.Warm(); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, q := range benchMix(b) {
		for _, v := range []struct {
			name string
			req  Request
		}{
			{"api", Request{Query: q, Facets: true, Highlight: true, Size: 20}},
			{"api-kept", Request{Query: q, Facets: true, Highlight: true, Size: 20}}, // facets kept, as served after the first request
			{"bare", Request{Query: q, Size: 20}},
			{"bleve", Request{Query: q, Size: 20}},
		} {
			b.Run(v.name+"/q="+q, func(b *testing.B) {
				b.ReportAllocs()
				if v.name == "api-kept" {
					if _, err := ix.Search(ctx, v.req); err != nil { // the facets kept
						b.Fatal(err)
					}
				}
				cpu0 := cpuTime()
				for b.Loop() {
					if v.name == "api" {
						ix.facets.put(facetKeyOf(v.req), math.MaxUint64, nil, 1) // computed every time
					}
					search := ix.Search
					if v.name == "bleve" {
						search = func(ctx context.Context, req Request) (*Result, error) {
							n, _ := parse(req.Query)
							return ix.searchBleve(ctx, req, n, 1, req.Size, math.MaxUint64)
						}
					}
					if _, err := search(ctx, v.req); err != nil {
						b.Fatal(err)
					}
				}
				// On a shared machine the process's CPU time per search
				// varies far less than the wall time.
				b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
