package index

import (
	"context"
	"fmt"
	"math"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// BenchmarkKeptIndex runs each query of the benchmark mix, as /api/search
// asks it (facets and snippets, results not kept; "api" computes the
// facets each time, "api-kept" keeps them), bare (20 hits, neither) and
// bleve (the same bare search by Bleve's own collector, searchBleve), on
// an index built beforehand: BENCH_INDEX_DIR names its directory
// (bench/run.sh's $BENCH_WORK/big/index, 100,000 items). Skipped without it.
func BenchmarkKeptIndex(b *testing.B) {
	ix := openKept(b)
	ix.SetResultCache(false)
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

// BenchmarkKeptWrite measures what the first word search after a crawl's
// write pays on a kept index (BENCH_INDEX_DIR; the benchmark writes to it,
// so give it a copy): the catalog's merge, then the collector's tables
// carried through the merge ("remap") against made afresh from every
// segment's document ids ("fresh"). Each round writes one edition of the
// generated corpus under a new id.
func BenchmarkKeptWrite(b *testing.B) {
	ix := openKept(b)
	eds, _ := generatedEditions(b, 1)
	ctx := context.Background()
	var merge, remap, fresh time.Duration
	for i := 0; b.Loop(); i++ {
		ed := eds[0].ed
		ed.ID = fmt.Sprintf("%s-write-%d", ed.ID, i)
		if err := ix.PutEdition(ctx, ed, cloneItems(eds[0].items, ed)); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		c, err := ix.catalog()
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		r, err := ix.reader()
		if err != nil {
			b.Fatal(err)
		}
		snap := r.(*scorch.IndexSnapshot)
		ix.tablesFor(c, snap)
		t2 := time.Now()
		for _, ss := range snap.Segments() {
			c.tableOf(ss.Segment())
		}
		t3 := time.Now()
		r.Close()
		merge, remap, fresh = merge+t1.Sub(t0), remap+t2.Sub(t1), fresh+t3.Sub(t2)
	}
	n := float64(b.N) * 1e6
	b.ReportMetric(float64(merge.Nanoseconds())/n, "merge-ms")
	b.ReportMetric(float64(remap.Nanoseconds())/n, "remap-ms")
	b.ReportMetric(float64(fresh.Nanoseconds())/n, "fresh-ms")
}

// openKept opens and warms the index BENCH_INDEX_DIR names, closed when b
// ends; it skips b without one.
func openKept(b *testing.B) *Index {
	dir := os.Getenv("BENCH_INDEX_DIR")
	if dir == "" {
		b.Skip("BENCH_INDEX_DIR is not set")
	}
	ix, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	if err := ix.Warm(); err != nil {
		b.Fatal(err)
	}
	return ix
}
