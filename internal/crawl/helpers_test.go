package crawl_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/snapshot"
	"github.com/lga-digital/bulletin/internal/testenv"
	"github.com/lga-digital/bulletin/internal/testsite"
)

// host is one fake web host: a test server reached under a name of its
// own (site.test, other.test) through world's transport, so that the
// crawler sees distinct, non-private host names.
type host = testenv.Server

// world maps host names to fake hosts.
type world struct {
	t     *testing.T
	hosts map[string]*host // by name, without port
}

func newWorld(t *testing.T, names ...string) *world {
	t.Helper()
	w := &world{t: t, hosts: map[string]*host{}}
	for _, name := range names {
		h := testenv.NewServer(t, testenv.ByPathAndQuery, nil)
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
func newCrawler(t *testing.T, fetcher crawl.Fetcher, log *slog.Logger) (*crawl.Crawler, *testenv.MemIndex) {
	t.Helper()
	return newCrawlerAt(t, t.TempDir(), fetcher, log)
}

// newCrawlerAt is newCrawler with the snapshot store in dir, for tests that
// damage its files.
func newCrawlerAt(t *testing.T, dir string, fetcher crawl.Fetcher, log *slog.Logger) (*crawl.Crawler, *testenv.MemIndex) {
	t.Helper()
	st, err := snapshot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix := testenv.NewMemIndex()
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
