package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lga-digital/bulletin/index"
)

// queryMix is the fixed query mix of the search benchmark: words, phrases,
// OR, NOT, prefixes, fields, dates and the empty query, as people search
// (queries.json; index's tests compare every one on the catalog and cached
// paths with the plain search).
var queryMix = func() []string {
	var qs []string
	if err := json.Unmarshal(queriesJSON, &qs); err != nil {
		panic("benchtool: queries.json: " + err.Error())
	}
	return qs
}()

//go:embed queries.json
var queriesJSON []byte

// repeatQueries are the five queries of the repeat-heavy mix: the empty one
// (the home page, embeds and saved feeds without a query) and four of the
// mix that people repeat.
var repeatQueries = []string{"", "council", "digital inclusion", "org:NCSC", `"connected places"`}

//go:embed words.txt
var wordsTxt string

// repeatMix is the repeat-heavy mix: nine requests in ten ask one of the
// five repeatQueries, the tenth a two-word query asked once in the run (a
// pair of words of the seed bulletins, in a fixed shuffled order).
type repeatMix struct {
	seq   atomic.Int64
	pairs []string
}

func newRepeatMix() *repeatMix {
	words := strings.Fields(wordsTxt)
	m := &repeatMix{}
	for i, a := range words {
		for _, b := range words[i+1:] {
			m.pairs = append(m.pairs, a+" "+b)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(m.pairs), func(i, j int) { m.pairs[i], m.pairs[j] = m.pairs[j], m.pairs[i] })
	return m
}

// next returns the query of the next request, whichever worker makes it.
func (m *repeatMix) next() string {
	n := m.seq.Add(1)
	if n%10 == 0 {
		return m.pairs[int(n/10)%len(m.pairs)]
	}
	return repeatQueries[n%5]
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
	mix := fs.String("mix", "mix", `with -queries: "mix" (the 16 queries in turn) or "repeat" (the repeat-heavy mix)`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	var rm *repeatMix
	switch *mix {
	case "mix":
	case "repeat":
		rm = newRepeatMix()
	default:
		return fmt.Errorf("-mix %q: want mix or repeat", *mix)
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
		u := urls[i%len(urls)]
		if rm != nil {
			u = *queries + "?q=" + url.QueryEscape(rm.next())
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
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
	warm := 2 * len(urls)
	if rm != nil {
		warm = 0 // the repeat mix measures its cache as it fills
	}
	res := drive(ctx, *c, *duration, *max, warm, do)
	fmt.Printf("mode=http mix=%s c=%d %s\n", *mix, *c, res)
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
	resultCache := fs.Bool("result-cache", false, "keep results between searches, as the server does (off: every search is computed)")
	mix := fs.String("mix", "mix", `"mix" (the 16 queries in turn) or "repeat" (the repeat-heavy mix)`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	ix, err := index.Open(*dir)
	if err != nil {
		return err
	}
	defer ix.Close()
	ix.SetResultCache(*resultCache)
	// Warm up as the server does at start-up; say what the catalog costs.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	if err := ix.Warm(); err != nil {
		return err
	}
	warm := time.Since(t0)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if *perQuery > 0 {
		fmt.Printf("mode=warm warm_ms=%.1f catalog_heap_mib=%.1f heap_mib=%.1f\n", float64(warm.Microseconds())/1000,
			float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), float64(after.HeapAlloc)/(1<<20))
	}
	var rm *repeatMix
	switch *mix {
	case "mix":
	case "repeat":
		rm = newRepeatMix()
	default:
		return fmt.Errorf("-mix %q: want mix or repeat", *mix)
	}
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
		q := queryMix[i%len(queryMix)]
		if rm != nil {
			q = rm.next()
		}
		_, err := ix.Search(ctx, index.Request{Query: q, Facets: true, Highlight: true, Size: 20})
		if err != nil {
			return 500, err
		}
		return 200, nil
	}
	counts, err := parseCounts(*cs)
	if err != nil {
		return err
	}
	for _, c := range counts {
		res := drive(ctx, c, *duration, *max, 2*len(queryMix), do)
		fmt.Printf("mode=inproc mix=%s c=%d %s\n", *mix, c, res)
		if res.errs > 0 {
			return fmt.Errorf("%d of %d searches failed", res.errs, res.n)
		}
	}
	return nil
}

// perQueryTimes prints, for each query of the mix, its total and the median
// time of n searches as /api/search makes them (facets and snippets), as a
// feed makes them (date order, neither), and of the bare query (neither),
// the three taken in turn so that a drift of the machine's speed weighs on
// each alike; api_cold_ms is the first /api/search, before its facets are
// kept.
func perQueryTimes(ctx context.Context, ix *index.Index, n int) error {
	for _, q := range queryMix {
		var total uint64
		times := map[string][]time.Duration{}
		for range n {
			for _, v := range []struct {
				name string
				req  index.Request
			}{
				{"api", index.Request{Query: q, Facets: true, Highlight: true, Size: 20}},
				{"feed", index.Request{Query: q, Sort: "date", Size: 50}},
				{"bare", index.Request{Query: q, Size: 20}},
			} {
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
		words := false // a query of field terms only (no title:) has none
		for _, f := range strings.Fields(q) {
			words = words || !strings.Contains(f, ":") || strings.HasPrefix(strings.ToLower(f), "title:")
		}
		fmt.Printf("query=%q words=%t total=%d api_cold_ms=%.2f api_ms=%.2f feed_ms=%.2f bare_ms=%.2f api_over_bare=%.2f\n", q, words, total,
			float64(times["api"][0].Microseconds())/1000, ms("api"), ms("feed"), ms("bare"), ms("api")/ms("bare"))
	}
	return nil
}
