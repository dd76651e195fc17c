package crawl_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/snapshot"
	"github.com/lga-digital/bulletin/internal/testsite"
)

// memIndex is an in-memory crawl.Index that counts what was put.
type memIndex struct {
	mu    sync.Mutex
	eds   map[string]model.Edition
	items map[string]int // edition id → item count
	puts  int
}

func newMemIndex() *memIndex {
	return &memIndex{eds: map[string]model.Edition{}, items: map[string]int{}}
}

func (ix *memIndex) PutEdition(_ context.Context, ed model.Edition, items []model.Item) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.eds[ed.ID] = ed
	ix.items[ed.ID] = len(items)
	ix.puts++
	return nil
}

func (ix *memIndex) Edition(_ context.Context, id string) (model.Edition, bool, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ed, ok := ix.eds[id]
	return ed, ok, nil
}

func (ix *memIndex) Editions(_ context.Context, source string) ([]model.Edition, error) {
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

func (ix *memIndex) has(source, url string) bool {
	_, ok, _ := ix.Edition(context.Background(), model.EditionID(source, url))
	return ok
}

func (ix *memIndex) count() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return len(ix.eds)
}

// logBuffer collects slog text output from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// line returns the first log line holding every one of parts, or "".
func (b *logBuffer) line(parts ...string) string {
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

// host is one fake web host: an httptest server reached under a name of
// its own (site.test, other.test) through world's transport, so that the
// crawler sees distinct, non-private host names.
type host struct {
	*httptest.Server
	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	hits   map[string]int
}

func (h *host) handle(path string, fn http.HandlerFunc) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.routes[path] = fn
}

func (h *host) hitsOf(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hits[path]
}

// world maps host names to fake hosts.
type world struct {
	t     *testing.T
	hosts map[string]*host // by name, without port
}

func newWorld(t *testing.T, names ...string) *world {
	t.Helper()
	w := &world{t: t, hosts: map[string]*host{}}
	for _, name := range names {
		h := &host{routes: map[string]http.HandlerFunc{}, hits: map[string]int{}}
		h.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			key := r.URL.Path
			if r.URL.RawQuery != "" {
				key += "?" + r.URL.RawQuery
			}
			h.mu.Lock()
			h.hits[key]++
			fn, ok := h.routes[key]
			h.mu.Unlock()
			if !ok {
				http.NotFound(rw, r)
				return
			}
			fn(rw, r)
		}))
		t.Cleanup(h.Close)
		w.hosts[name] = h
	}
	return w
}

// transport dials each fake host name to its server, and anything else
// (IP literals) as it is.
func (w *world) transport() http.RoundTripper {
	d := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			name, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if h, ok := w.hosts[name]; ok {
				addr = h.Listener.Addr().String()
			}
			return d.DialContext(ctx, network, addr)
		},
	}
	w.t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// fastFetch are fetch options that keep a test quick: a short time cap,
// one retry, tiny backoffs (Retry-After is still honoured, up to 2s).
func fastFetch(w *world, log *slog.Logger, mod func(*fetch.Options)) fetch.Options {
	o := fetch.Options{
		UserAgent:   "bulletin-test/1 (+https://github.com/lga-digital/bulletin)",
		Timeout:     400 * time.Millisecond,
		Retries:     1,
		BaseBackoff: 5 * time.Millisecond,
		MaxBackoff:  2 * time.Second,
		Logger:      log,
		Transport:   w.transport(),
	}
	if mod != nil {
		mod(&o)
	}
	return o
}

// source parses one [[source]] table (id "s", no delay) plus extra keys.
func source(t *testing.T, extra string) *config.Source {
	t.Helper()
	c, err := config.Parse([]byte("[[source]]\nid = \"s\"\ntitle = \"S\"\ndelay = \"0s\"\n"+extra), "test.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	return &c.Sources[0]
}

// newCrawler wires a crawler with a real snapshot store in a temporary
// directory, an in-memory index and a logger writing to the returned buffer.
func newCrawler(t *testing.T, fetcher crawl.Fetcher, log *slog.Logger) (*crawl.Crawler, *memIndex) {
	t.Helper()
	st, err := snapshot.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ix := newMemIndex()
	return &crawl.Crawler{Fetch: fetcher, Store: st, Index: ix, Log: log}, ix
}

func textLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// editionPage is the body of a fixture edition page.
var editionPage = sync.OnceValue(func() []byte {
	rec := httptest.NewRecorder()
	testsite.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://site.test/accounts/UKLGA/bulletins/392f025", nil))
	if rec.Code != http.StatusOK {
		panic(fmt.Sprintf("fixture page: status %d", rec.Code))
	}
	return rec.Body.Bytes()
})

// page answers with the fixture edition page.
func page(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(editionPage())
}

// rss answers with an RSS feed linking to the URLs.
func rss(urls ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://site.test/</link><description>d</description>`)
		for _, u := range urls {
			fmt.Fprintf(w, "<item><title>%s</title><link>%s</link></item>", u, u)
		}
		fmt.Fprint(w, "</channel></rss>")
	}
}
