package crawl_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/testenv"
)

// TestOneRequestAtATimePerHost: two sources on one host, crawled at the
// same time through one client (as serve wires sources that share a host),
// never have two requests in flight at the host, and the requests keep the
// configured delay between them. The host also sees the User-Agent and the
// Accept headers the crawl sends for feeds and pages.
func TestOneRequestAtATimePerHost(t *testing.T) {
	const delay = 20 * time.Millisecond
	w := newWorld(t, "site.test")
	site := w.hosts["site.test"]
	var (
		inFlight, overlaps atomic.Int64
		mu                 sync.Mutex
		starts             []time.Time
		accepts            = map[string]string{}
		agents             = map[string]bool{}
	)
	watch := func(next http.HandlerFunc) http.HandlerFunc {
		return func(rw http.ResponseWriter, r *http.Request) {
			if inFlight.Add(1) > 1 {
				overlaps.Add(1)
			}
			defer inFlight.Add(-1)
			mu.Lock()
			starts = append(starts, time.Now())
			accepts[r.URL.Path] = r.Header.Get("Accept")
			agents[r.Header.Get("User-Agent")] = true
			mu.Unlock()
			time.Sleep(2 * time.Millisecond) // widen the window an overlap would need
			next(rw, r)
		}
	}
	site.Handle("/robots.txt", watch(http.NotFound))
	var editions [2][]string
	for s := range 2 {
		for i := range 4 {
			p := fmt.Sprintf("/%d/b/%d", s, i)
			site.Handle(p, watch(page))
			editions[s] = append(editions[s], "http://site.test"+p)
		}
		site.Handle(fmt.Sprintf("/%d/feed.rss", s), watch(rss(editions[s]...)))
	}
	var logs testenv.LogBuffer
	log := textLogger(&logs)
	client := fetch.New(fastFetch(w, log, func(o *fetch.Options) { o.Delay = delay }))
	var wg sync.WaitGroup
	for s := range 2 {
		c, ix := newCrawler(t, client, log)
		src := source(t, fmt.Sprintf(`feeds = ["http://site.test/%d/feed.rss"]`, s))
		wg.Go(func() {
			sum, err := c.Run(t.Context(), src, run.Options{})
			if err != nil || sum.Editions != 4 || ix.Len() != 4 {
				t.Errorf("source %d: %d editions, err %v", s, sum.Editions, err)
			}
		})
	}
	wg.Wait()
	if o := overlaps.Load(); o != 0 {
		t.Errorf("%d requests overlapped at one host", o)
	}
	if n := len(starts); n != 11 { // robots.txt once, 2 feeds, 8 editions
		t.Fatalf("%d requests, want 11", n)
	}
	// As in the fetch package's test: request i+2 leaves at least a delay
	// after request i+1's turn began, which was after the host had seen
	// request i, so any two requests one apart are over a delay apart.
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	for i := 2; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-2]); gap <= delay {
			t.Errorf("requests %d and %d only %v apart, want over %v", i-2, i, gap, delay)
		}
	}
	if got := accepts["/0/feed.rss"]; !strings.HasPrefix(got, "application/rss+xml") {
		t.Errorf("feed Accept = %q", got)
	}
	if got := accepts["/0/b/0"]; !strings.HasPrefix(got, "text/html") {
		t.Errorf("page Accept = %q", got)
	}
	if len(agents) != 1 || !agents["bulletin-test/1 (+https://github.com/lga-digital/bulletin)"] {
		t.Errorf("user agents %v", agents)
	}
}
