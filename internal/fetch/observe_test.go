package fetch_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"

	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/testenv"
)

// TestObserve: the hook sees every exchange — robots.txt, each retry, each
// redirect hop — with its status, and 0 when no response came.
func TestObserve(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []string
	)
	observe := func(host string, status int) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, fmt.Sprintf("%s %d", host, status))
	}
	busy := 0
	s := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{
		"/busy": func(w http.ResponseWriter, r *http.Request) {
			if busy++; busy == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			fmt.Fprint(w, "ok")
		},
		"/moved": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/busy", http.StatusFound) },
	})
	host := mustHost(t, s.URL)
	c := fetch.New(fast(func(o *fetch.Options) { o.Observe = observe }))
	if _, err := c.Do(t.Context(), fetch.Request{URL: s.URL + "/moved", AllowPrivate: true}); err != nil {
		t.Fatal(err)
	}
	want := []string{host + " 404", host + " 302", host + " 503", host + " 200"}
	if !slices.Equal(seen, want) {
		t.Errorf("observed %q, want %q", seen, want)
	}

	// A host that does not answer is observed with status 0.
	seen = nil
	s.Close()
	c = fetch.New(fast(func(o *fetch.Options) { o.Observe = observe; o.Retries = -1 }))
	if _, err := c.Do(t.Context(), fetch.Request{URL: s.URL + "/busy", AllowPrivate: true}); err == nil {
		t.Fatal("closed server answered")
	}
	if !slices.Contains(seen, host+" 0") {
		t.Errorf("observed %q, want %q among them", seen, host+" 0")
	}
}

func mustHost(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
