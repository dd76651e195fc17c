package crawl_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/testenv"
)

// TestIncremental: a second pass asks for the feed with a conditional GET
// and downloads no edition page already kept; --refetch downloads them again.
func TestIncremental(t *testing.T) {
	w := newWorld(t, "site.test")
	site := w.hosts["site.test"]
	var (
		mu          sync.Mutex
		conditional []string // If-None-Match of each feed request
	)
	feed := rss("http://site.test/b/1", "http://site.test/b/2")
	site.Handle("/feed.rss", func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		conditional = append(conditional, r.Header.Get("If-None-Match"))
		mu.Unlock()
		if r.Header.Get("If-None-Match") == `"v1"` {
			rw.WriteHeader(http.StatusNotModified)
			return
		}
		rw.Header().Set("ETag", `"v1"`)
		feed(rw, r)
	})
	site.Handle("/b/1", page)
	site.Handle("/b/2", page)
	var logs testenv.LogBuffer
	log := textLogger(&logs)
	c, ix := newCrawler(t, fetch.New(fastFetch(w, log, nil)), log)
	src := source(t, `feeds = ["http://site.test/feed.rss"]`)

	steps := []struct {
		name      string
		opt       run.Options
		fetched   int
		editions  int
		pageHits  int    // requests for /b/1 so far
		condition string // If-None-Match sent for the feed
	}{
		{"first", run.Options{}, 2, 2, 1, ""},
		{"nothing new", run.Options{}, 0, 0, 1, `"v1"`},
		{"refetch", run.Options{Refetch: true}, 2, 2, 2, `"v1"`},
	}
	for i, st := range steps {
		sum, err := c.Run(t.Context(), src, st.opt)
		if err != nil || sum.Fetched != st.fetched || sum.Editions != st.editions || site.Hits("/b/1") != st.pageHits {
			t.Errorf("%s: fetched %d, editions %d, page hits %d, err %v; want %d, %d, %d", st.name, sum.Fetched, sum.Editions,
				site.Hits("/b/1"), err, st.fetched, st.editions, st.pageHits)
		}
		if conditional[i] != st.condition {
			t.Errorf("%s: feed asked with If-None-Match %q, want %q", st.name, conditional[i], st.condition)
		}
	}
	if ix.Len() != 2 {
		t.Errorf("index holds %d editions", ix.Len())
	}
}
