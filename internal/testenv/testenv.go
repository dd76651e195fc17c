// Package testenv holds the helpers that the tests of several packages
// share, written once: a log buffer safe for concurrent writes, an
// in-memory index of editions, request counters for test servers, and
// small file-system checks. Only tests import it; it imports nothing of
// bulletin but model, so that any package's tests, internal or external,
// may use it.
package testenv

import (
	"bytes"
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lga-digital/bulletin/internal/model"
)

// LogBuffer collects log output written from several goroutines (a
// server's handlers, a child process's stderr) while the test reads it.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Line returns the first line holding every one of parts, or "".
func (b *LogBuffer) Line(parts ...string) string {
	for _, l := range strings.Split(b.String(), "\n") {
		all := true
		for _, p := range parts {
			if !strings.Contains(l, p) {
				all = false
				break
			}
		}
		if all {
			return l
		}
	}
	return ""
}

// MemIndex is an in-memory index of editions (the crawler's Index): it
// keeps every edition and its items, and counts the puts.
type MemIndex struct {
	mu    sync.Mutex
	eds   map[string]model.Edition
	items map[string][]model.Item
	puts  int
}

// NewMemIndex returns an empty MemIndex.
func NewMemIndex() *MemIndex {
	return &MemIndex{eds: map[string]model.Edition{}, items: map[string][]model.Item{}}
}

// PutEdition adds or replaces an edition and its items.
func (ix *MemIndex) PutEdition(_ context.Context, ed model.Edition, items []model.Item) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.eds[ed.ID], ix.items[ed.ID] = ed, items
	ix.puts++
	return nil
}

// Edition returns the edition with an id.
func (ix *MemIndex) Edition(_ context.Context, id string) (model.Edition, bool, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ed, ok := ix.eds[id]
	return ed, ok, nil
}

// Editions returns the editions of a source, in no order.
func (ix *MemIndex) Editions(_ context.Context, source string) ([]model.Edition, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var out []model.Edition
	for _, ed := range ix.eds {
		if ed.Source == source {
			out = append(out, ed)
		}
	}
	return out, nil
}

// Has reports whether the edition at a URL of a source is indexed.
func (ix *MemIndex) Has(source, url string) bool {
	_, ok, _ := ix.Edition(context.Background(), model.EditionID(source, url))
	return ok
}

// Len returns the number of editions indexed.
func (ix *MemIndex) Len() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return len(ix.eds)
}

// Puts returns how many times PutEdition was called.
func (ix *MemIndex) Puts() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.puts
}

// Items returns the items of an edition as last put.
func (ix *MemIndex) Items(id string) []model.Item {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.items[id]
}

// AllItems returns the items of every edition, in no order.
func (ix *MemIndex) AllItems() []model.Item {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var out []model.Item
	for _, items := range ix.items {
		out = append(out, items...)
	}
	return out
}

// Hits counts requests by key (a path, a path and query) for a test
// server's handler, safe for concurrent requests.
type Hits struct {
	mu sync.Mutex
	n  map[string]int
}

// Add counts one request for key.
func (h *Hits) Add(key string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == nil {
		h.n = map[string]int{}
	}
	h.n[key]++
}

// Of returns the requests counted for key.
func (h *Hits) Of(key string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n[key]
}

// Total returns the requests counted for every key.
func (h *Hits) Total() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := 0
	for _, n := range h.n {
		t += n
	}
	return t
}

// CountFiles returns the number of regular files under dir.
func CountFiles(tb testing.TB, dir string) int {
	tb.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// Server is an httptest server with a handler per route that counts the
// requests of each route, including those it answers 404 for want of a
// handler.
type Server struct {
	*httptest.Server
	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	hits   Hits
}

// RouteBy says what a Server's routes are.
type RouteBy int

const (
	ByPath         RouteBy = iota // the path alone: "/page?i=2" is "/page"
	ByPathAndQuery                // the path and its query: "/list?page=2" is a route of its own
)

// NewServer starts a Server with routes (nil for none yet) and closes it
// when the test ends.
func NewServer(tb testing.TB, by RouteBy, routes map[string]http.HandlerFunc) *Server {
	tb.Helper()
	s := &Server{routes: map[string]http.HandlerFunc{}}
	maps.Copy(s.routes, routes)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Path
		if by == ByPathAndQuery && r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		s.hits.Add(key)
		s.mu.Lock()
		fn, ok := s.routes[key]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		fn(w, r)
	}))
	tb.Cleanup(s.Close)
	return s
}

// Handle sets the handler of a route.
func (s *Server) Handle(route string, fn http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[route] = fn
}

// Hits returns the requests the server has had for a route.
func (s *Server) Hits(route string) int { return s.hits.Of(route) }

// WriteConfig writes a config file, bulletin.toml, into a new temporary
// directory: its data_dir is the directory's data/, then text (top-level
// keys and sources). It returns the file's path.
func WriteConfig(tb testing.TB, text string) string {
	tb.Helper()
	dir := tb.TempDir()
	file := filepath.Join(dir, "bulletin.toml")
	toml := "data_dir = \"" + filepath.ToSlash(filepath.Join(dir, "data")) + "\"\n" + text
	if err := os.WriteFile(file, []byte(toml), 0o644); err != nil {
		tb.Fatal(err)
	}
	return file
}

// Deps returns the import paths pkg depends on (go list -deps), skipping
// the test where the go command cannot list them.
func Deps(tb testing.TB, pkg string) []string {
	tb.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		tb.Skipf("go list: %v", err)
	}
	return strings.Fields(string(out))
}
