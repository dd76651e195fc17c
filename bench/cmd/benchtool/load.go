package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lga-digital/bulletin/index"
)

// queryMix is the fixed query mix of the search benchmark: words, phrases,
// OR, NOT, prefixes, fields, dates and the empty query, as people search.
var queryMix = []string{
	"council",
	"digital inclusion",
	`"connected places"`,
	"cyber OR ransomware",
	"procure*",
	"title:budget",
	"org:NCSC",
	"ai -webinar",
	"date:2005",
	`"local government" after:2005-01-01`,
	"",
	"section:events",
	"skills framework",
	"microsoft negotiations",
	"edition:100",
	"salford OR leeds",
}

// loadResult is what one load run measured.
type loadResult struct {
	n, errs  int
	elapsed  time.Duration
	lat      []time.Duration
	statuses map[int]int
}

func (r loadResult) String() string {
	s := slices.Clone(r.lat)
	slices.Sort(s)
	q := func(p float64) float64 {
		if len(s) == 0 {
			return 0
		}
		i := int(p * float64(len(s)))
		if i >= len(s) {
			i = len(s) - 1
		}
		return float64(s[i].Microseconds()) / 1000
	}
	var st []string
	for code, n := range r.statuses {
		st = append(st, fmt.Sprintf("%d:%d", code, n))
	}
	slices.Sort(st)
	return fmt.Sprintf("requests=%d errors=%d seconds=%.2f rps=%.1f p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f max_ms=%.3f statuses=%s",
		r.n, r.errs, r.elapsed.Seconds(), float64(r.n)/r.elapsed.Seconds(), q(0.50), q(0.95), q(0.99), q(1), strings.Join(st, ","))
}

// drive runs do from c workers until duration has passed or max requests
// were made, after a warm-up of warm requests, and gathers latencies.
// Worker w starts at position w of the mix, so every query is in flight.
func drive(ctx context.Context, c int, duration time.Duration, max, warm int, do func(ctx context.Context, i int) (int, error)) loadResult {
	for i := range warm {
		do(ctx, i)
	}
	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	var (
		mu  sync.Mutex
		res = loadResult{statuses: map[int]int{}}
		wg  sync.WaitGroup
		cnt atomic.Int64
	)
	start := time.Now()
	for w := range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			st := map[int]int{}
			errs := 0
			for i := w; ; i++ {
				if cnt.Add(1) > int64(max) || ctx.Err() != nil {
					break
				}
				t0 := time.Now()
				code, err := do(ctx, i)
				if ctx.Err() != nil {
					break // cut off by the deadline: not a measured request
				}
				lat = append(lat, time.Since(t0))
				if err != nil {
					errs++
				}
				st[code]++
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.errs += errs
			for k, v := range st {
				res.statuses[k] += v
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.n = len(res.lat)
	return res
}

// loadCmd requests one URL, or the query mix on a search endpoint, over HTTP
// with c concurrent keep-alive clients.
func loadCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	target := fs.String("url", "", "URL to request")
	queries := fs.String("queries", "", "search endpoint (e.g. http://127.0.0.1:8080/api/search): request the query mix as ?q=")
	c := fs.Int("c", 1, "concurrent clients")
	duration := fs.Duration("duration", 5*time.Second, "how long to run")
	max := fs.Int("max", 1000000, "most requests to make")
	header := fs.String("header", "", `extra request header, "Name: value"`)
	expect := fs.Int("expect", 200, "status every response must have")
	if err := fs.Parse(args); err != nil {
		return err
	}
	urls := []string{*target}
	switch {
	case *queries != "":
		urls = urls[:0]
		for _, q := range queryMix {
			urls = append(urls, *queries+"?q="+url.QueryEscape(q))
		}
	case *target == "":
		return errors.New("-url or -queries is required")
	}
	for _, u := range urls {
		if pu, err := url.Parse(u); err != nil || !loopback(pu.Hostname()) {
			return fmt.Errorf("%s: only loopback addresses may be loaded", u)
		}
	}
	var hname, hval string
	if *header != "" {
		k, v, ok := strings.Cut(*header, ":")
		if !ok {
			return fmt.Errorf("-header %q: want Name: value", *header)
		}
		hname, hval = strings.TrimSpace(k), strings.TrimSpace(v)
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: *c * 2, MaxIdleConnsPerHost: *c * 2, DisableCompression: true}}
	do := func(ctx context.Context, i int) (int, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, urls[i%len(urls)], nil)
		if err != nil {
			return 0, err
		}
		if hname != "" {
			req.Header.Set(hname, hval)
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != *expect {
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		return resp.StatusCode, err
	}
	res := drive(ctx, *c, *duration, *max, 2*len(urls), do)
	fmt.Printf("mode=http c=%d %s\n", *c, res)
	if res.errs > 0 {
		return fmt.Errorf("%d of %d requests failed", res.errs, res.n)
	}
	return nil
}

func loopback(host string) bool {
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}

// searchCmd runs the query mix straight on the index, in this process, with
// the request /api/search builds (facets and snippets, 20 hits).
func searchCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	dir := fs.String("index", "", "index directory (data_dir/index)")
	cs := fs.String("c", "1", "concurrent clients, comma-separated for several runs")
	duration := fs.Duration("duration", 5*time.Second, "how long each run lasts")
	max := fs.Int("max", 1000000, "most searches per run")
	perQuery := fs.Int("per-query", 0, "instead: run each query of the mix this many times, alone, and print its median time with and without facets and snippets")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the runs to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ix, err := index.Open(*dir)
	if err != nil {
		return err
	}
	defer ix.Close()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *perQuery > 0 {
		return perQueryTimes(ctx, ix, *perQuery)
	}
	do := func(ctx context.Context, i int) (int, error) {
		_, err := ix.Search(ctx, index.Request{Query: queryMix[i%len(queryMix)], Facets: true, Highlight: true, Size: 20})
		if err != nil {
			return 500, err
		}
		return 200, nil
	}
	for _, f := range strings.Split(*cs, ",") {
		var c int
		if _, err := fmt.Sscan(f, &c); err != nil || c < 1 {
			return fmt.Errorf("-c %q: want positive integers", *cs)
		}
		res := drive(ctx, c, *duration, *max, 2*len(queryMix), do)
		fmt.Printf("mode=inproc c=%d %s\n", c, res)
		if res.errs > 0 {
			return fmt.Errorf("%d of %d searches failed", res.errs, res.n)
		}
	}
	return nil
}

// perQueryTimes prints, for each query of the mix, its total and the median
// time of n searches as /api/search makes them (facets and snippets), as a
// feed makes them (date order, neither), and of the bare query (neither).
func perQueryTimes(ctx context.Context, ix *index.Index, n int) error {
	for _, q := range queryMix {
		var total uint64
		times := map[string][]time.Duration{}
		for _, v := range []struct {
			name string
			req  index.Request
		}{
			{"api", index.Request{Query: q, Facets: true, Highlight: true, Size: 20}},
			{"feed", index.Request{Query: q, Sort: "date", Size: 50}},
			{"bare", index.Request{Query: q, Size: 20}},
		} {
			for range n {
				t0 := time.Now()
				res, err := ix.Search(ctx, v.req)
				if err != nil {
					return fmt.Errorf("%q: %w", q, err)
				}
				times[v.name] = append(times[v.name], time.Since(t0))
				total = res.Total
			}
		}
		ms := func(k string) float64 { return float64(median(times[k]).Microseconds()) / 1000 }
		fmt.Printf("query=%q total=%d api_ms=%.1f feed_ms=%.1f bare_ms=%.1f\n", q, total, ms("api"), ms("feed"), ms("bare"))
	}
	return nil
}
