package main_test

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func (s *served) get(path string) (int, []byte) {
	s.t.Helper()
	return httpDo(s.t, "GET", s.base+path, "")
}

// allItemIDs pages through /api/search of everything and returns the ids.
func (s *served) allItemIDs() []string {
	s.t.Helper()
	var ids []string
	for page := 1; ; page++ {
		code, body := s.get(fmt.Sprintf("/api/search?size=100&sort=date&page=%d", page))
		if code != 200 {
			s.t.Fatalf("/api/search: %d %s", code, body)
		}
		var r struct {
			Hits []struct {
				ID string `json:"id"`
			} `json:"hits"`
			Pages int `json:"pages"`
		}
		if err := json.Unmarshal(body, &r); err != nil {
			s.t.Fatal(err)
		}
		for _, h := range r.Hits {
			ids = append(ids, h.ID)
		}
		if page >= r.Pages {
			return ids
		}
	}
}

// TestServeRebuildsDamagedIndex: serve on an index with a damaged segment
// says so once, naming the file, is unready with the reason while it
// rebuilds the index from the kept pages, then ready with every item
// exactly once.
func TestServeRebuildsDamagedIndex(t *testing.T) {
	e2e(t, "builds the binary and crawls")
	fx := damageData(t)
	bin := binary(t)
	for _, name := range []string{"segment garbled", "root.bolt garbled"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg, data, addr := fx.copyServe(t)
			file := currentSegment(t, data)
			if name == "root.bolt garbled" {
				file = data + "/index/store/root.bolt"
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for i := range min(len(b), 8192) {
				b[i] ^= 0x5a
			}
			if err := os.WriteFile(file, b, 0o644); err != nil {
				t.Fatal(err)
			}
			s := startServed(t, bin, cfg, addr)
			code, body := s.get("/readyz")
			if code == 503 && !strings.Contains(string(body), "rebuilding the index") {
				t.Errorf("/readyz while rebuilding: %d %s", code, body)
			}
			waitFor(t, "ready after the rebuild", func() bool { code, _ := s.get("/readyz"); return code == 200 })
			if n := len(logLinesWith(s.logs.String(), "level=ERROR", file, "is damaged")); n != 1 {
				t.Errorf("%d ERROR lines naming %s, want 1:\n%s", n, file, s.logs)
			}
			if n := len(logLinesWith(s.logs.String(), "not ready: rebuilding the index from the kept pages")); n != 1 {
				t.Errorf("the rebuild was not announced once:\n%s", s.logs)
			}
			ids := s.allItemIDs()
			seen := map[string]bool{}
			for _, id := range ids {
				if seen[id] {
					t.Errorf("item %s twice", id)
				}
				seen[id] = true
			}
			if len(ids) != fx.items {
				t.Errorf("%d items served after the rebuild, want %d", len(ids), fx.items)
			}
			s.stop()
			if got, items := indexState(t, data); !maps.EqualFunc(got, fx.want, slices.Equal) || items != fx.items {
				t.Fatalf("after the rebuild: %d editions, %d items; want %d, %d", len(got), items, len(fx.want), fx.items)
			}
			if _, err := os.Stat(data + "/index.damaged"); err == nil {
				t.Error("the damaged index was left behind")
			}
		})
	}
}

// timed runs a GET and returns its status and duration.
func timed(t *testing.T, u string) (int, time.Duration) {
	t.Helper()
	began := time.Now()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, time.Since(began)
}

// TestHostileQueries: each shape of hostile request is refused with a 4xx
// or answered within a bound that is a multiple of a normal query's time
// in the same run (not an absolute time).
func TestHostileQueries(t *testing.T) {
	e2e(t, "builds the binary and crawls")
	fx := damageData(t)
	cfg, _, addr := fx.copyServe(t)
	s := startServed(t, binary(t), cfg, addr)
	waitFor(t, "ready", func() bool { code, _ := s.get("/readyz"); return code == 200 })
	// A normal query: the slowest of a few, to be generous.
	var normal time.Duration
	for range 5 {
		code, d := timed(t, s.base+"/api/search?q=cyber+security")
		if code != 200 {
			t.Fatalf("normal query: %d", code)
		}
		normal = max(normal, d)
	}
	bound := 30*normal + 200*time.Millisecond
	words := func(n int, f func(i int) string) string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return strings.Join(out, " ")
	}
	letter := func(i int) string { return string(rune('a' + i%26)) }
	shapes := []struct{ name, path string }{
		{"160 prefixes", "/api/search?q=" + url.QueryEscape(words(160, func(i int) string { return letter(i) + "*" }))},
		{"150 negated prefixes", "/api/search?q=" + url.QueryEscape(words(150, func(i int) string { return "-" + letter(i) + "*" }))},
		{"ten one-letter prefixes", "/api/search?q=" + url.QueryEscape(strings.Join(strings.Fields(words(10, func(i int) string { return letter(i) + "*" })), " OR "))},
		{"ORs of many words", "/api/search?q=" + url.QueryEscape(strings.Join(strings.Fields(words(150, func(i int) string { return fmt.Sprintf("w%d", i) })), " OR "))},
		{"deep nesting", "/api/search?q=" + url.QueryEscape(strings.Repeat("(", 20)+"cyber"+strings.Repeat(")", 20))},
		{"negations only", "/api/search?q=" + url.QueryEscape(words(100, func(i int) string { return fmt.Sprintf("-x%d", i) }))},
		{"deep page", "/api/search?q=cyber&page=9999"},
		{"feed of prefixes", "/search.rss?q=" + url.QueryEscape(words(12, func(i int) string { return letter(i) + "*" }))},
		{"calendar of everything", "/events.ics"},
		{"date out of range", "/api/search?q=after:3000-01-01"},
		{"year out of range", "/api/search?q=date:1600"},
		{"from out of range", "/api/search?from=2262-04-12"},
		{"huge limit", "/feeds/syn.rss?limit=100000"},
		{"long query", "/api/search?q=" + strings.Repeat("a", 5000)},
	}
	for _, sh := range shapes {
		code, d := timed(t, s.base+sh.path)
		switch {
		case code >= 400 && code < 500:
		case code == 200 && d <= bound:
		default:
			t.Errorf("%s: %d in %s (a normal query: %s; bound %s)", sh.name, code, d, normal, bound)
		}
	}
	// before:0001-01-01 matches nothing.
	if code, body := s.get("/api/search?q=" + url.QueryEscape("before:0001-01-01")); code != 200 || !strings.Contains(string(body), `"total": 0`) {
		t.Errorf("before:0001-01-01: %d %s", code, body)
	}
	// Nothing hostile reached a 500, and nothing made the server unready.
	if code, body := s.get("/readyz"); code != 200 {
		t.Errorf("/readyz after the hostile queries: %d %s", code, body)
	}
	if strings.Contains(s.logs.String(), "level=ERROR") {
		t.Errorf("ERROR in the log:\n%s", s.logs)
	}
}
