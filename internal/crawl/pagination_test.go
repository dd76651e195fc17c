package crawl_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/testenv"
)

// listSite serves a paginated GovDelivery-like list at site.test: page i
// links to its editions and, but for the last, to page i+1 (rel="next").
type listSite struct {
	mu    sync.Mutex
	pages [][]string // edition ids per page, newest first
}

func (l *listSite) set(pages ...[]string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pages = pages
}

func listURL(i int) string { return fmt.Sprintf("/accounts/A/bulletins?page=%d", i) }

func (l *listSite) register(h *host, ids ...string) {
	for i := 1; i <= 3; i++ {
		h.Handle(listURL(i), func(w http.ResponseWriter, _ *http.Request) {
			l.mu.Lock()
			defer l.mu.Unlock()
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body><ul>")
			for _, id := range l.pages[i-1] {
				fmt.Fprintf(w, `<li><a href="/accounts/A/bulletins/%s">Bulletin %s</a></li>`, id, id)
			}
			fmt.Fprint(w, "</ul>")
			if i < len(l.pages) {
				fmt.Fprintf(w, `<a rel="next" href="%s">Next</a>`, listURL(i+1))
			}
			fmt.Fprint(w, "</body></html>")
		})
	}
	for _, id := range ids {
		h.Handle("/accounts/A/bulletins/"+id, page)
	}
}

// TestPaginatedList: a list that paginates is followed to its end until one
// pass has handled every edition it leads to; after that a pass stops at
// the first page of known editions. A pass cut short (max_new, a failure,
// a cancelled context) makes the next one walk the whole list again, so no
// older edition is ever left behind.
func TestPaginatedList(t *testing.T) {
	w := newWorld(t, "site.test")
	site := w.hosts["site.test"]
	var l listSite
	l.register(site, "e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7")
	l.set([]string{"e1", "e2"}, []string{"e3", "e4"}, []string{"e5", "e6"})
	var logs testenv.LogBuffer
	log := textLogger(&logs)
	c, ix := newCrawler(t, fetch.New(fastFetch(w, log, nil)), log)
	src := source(t, `lists = ["http://site.test`+listURL(1)+`"]`)

	hits := func() []int { return []int{site.Hits(listURL(1)), site.Hits(listURL(2)), site.Hits(listURL(3))} }
	steps := []struct {
		name     string
		before   func()
		opt      run.Options
		cancelAt int   // cancel the pass after this many editions; 0 = never
		fetched  int   // edition pages downloaded
		hits     []int // list page requests so far, pages 1 to 3
		failed   bool
		log      []string
	}{
		{name: "max_new cuts the first pass", opt: run.Options{MaxNew: 2}, fetched: 2, hits: []int{1, 1, 1},
			log: []string{"reached the maximum of new editions", "max_new=2", "left=4"}},
		{name: "so the next walks the whole list", fetched: 4, hits: []int{2, 2, 2}},
		{name: "a complete pass lets the next stop at page 1", fetched: 0, hits: []int{3, 2, 2},
			log: []string{"holds only known editions", "page=1"}},
		{name: "a new edition on page 1 leads to page 2 only",
			before:  func() { l.set([]string{"e0", "e1"}, []string{"e2", "e3"}, []string{"e4", "e5", "e6"}) },
			fetched: 1, hits: []int{4, 3, 2}},
		{name: "a cancelled pass",
			before:   func() { l.set([]string{"e7", "e0"}, []string{"e1", "e2"}, []string{"e3", "e4", "e5", "e6"}) },
			cancelAt: 1, fetched: 1, hits: []int{5, 4, 2}, failed: true},
		{name: "is followed by a full walk", fetched: 0, hits: []int{6, 5, 3}},
		{name: "and then a short one again", fetched: 0, hits: []int{7, 5, 3}},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		ctx, cancel := context.WithCancel(t.Context())
		c.Progress = func(p crawl.Progress) {
			if st.cancelAt > 0 && p.Stage == crawl.StageEditions && p.Done == st.cancelAt {
				cancel()
			}
		}
		sum, err := c.Run(ctx, src, st.opt)
		cancel()
		if sum.Fetched != st.fetched || !slices.Equal(hits(), st.hits) || (err != nil) != st.failed {
			t.Errorf("%s: fetched %d, list hits %v, err %v; want %d, %v, failed %v", st.name, sum.Fetched, hits(), err, st.fetched, st.hits, st.failed)
		}
		if len(st.log) > 0 && logs.Line(st.log...) == "" {
			t.Errorf("%s: no log line with %q", st.name, st.log)
		}
	}
	for _, id := range []string{"e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7"} {
		if !ix.Has("s", "http://site.test/accounts/A/bulletins/"+id) {
			t.Errorf("edition %s never indexed", id)
		}
	}
	if t.Failed() {
		t.Log(strings.TrimSpace(logs.String()))
	}
}
