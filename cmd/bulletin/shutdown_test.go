package main_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/corpus"
)

// corpusEnv is an installation crawling a generated corpus whose edition
// pages are served slowly, so that a crawl is still running when it is
// interrupted.
func corpusEnv(t *testing.T, editions int, pageDelay time.Duration) (*env, *corpus.Corpus) {
	t.Helper()
	c, err := corpus.New(corpus.Options{Editions: editions, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := c.Write(context.Background(), filepath.Join(dir, "site")); err != nil {
		t.Fatal(err)
	}
	site := corpus.NewSite(filepath.Join(dir, "site"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/bulletins/") {
			time.Sleep(pageDelay)
		}
		site.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	e := newEnvAt(t, nil, lgaSource(srv.URL+corpus.FeedPath, srv.URL+corpus.ListPath))
	return e, c
}

// TestSIGTERMDuringSlowRequest: a response being read slowly when SIGTERM
// arrives is completed, then the process exits 0.
func TestSIGTERMDuringSlowRequest(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e, _ := corpusEnv(t, 25, 0)
	e.mustRun("crawl")
	srv := startServed(t, e.bin, e.config, e.addr)

	conn, err := net.Dial("tcp", e.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /feeds/lga-cdt.rss?limit=500 HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", e.addr)
	br := bufio.NewReaderSize(conn, 512)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, 512)
	if _, err := io.ReadFull(resp.Body, first); err != nil {
		t.Fatal(err)
	}
	// The server is now blocked writing the rest of a multi-megabyte feed.
	srv.cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(300 * time.Millisecond)
	rest, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("response cut short by shutdown after %d bytes: %v", len(first)+len(rest), err)
	}
	body := append(first, rest...)
	if resp.StatusCode != 200 || !bytes.HasSuffix(bytes.TrimSpace(body), []byte("</rss>")) || len(body) < 1<<20 {
		t.Errorf("incomplete response: status %d, %d bytes", resp.StatusCode, len(body))
	}
	if code := srv.exitCode(20 * time.Second); code != 0 {
		t.Errorf("exit %d after SIGTERM\n%s", code, srv.logs.String())
	}
}

// TestSIGTERMDuringCrawl: serve's start-up crawl is interrupted; the process
// exits 0 promptly, and the next crawl completes the index with exactly the
// corpus's items, which reindex reproduces.
func TestSIGTERMDuringCrawl(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e, c := corpusEnv(t, 40, 100*time.Millisecond)
	srv := startServed(t, e.bin, e.config, e.addr) // empty index: crawls at start-up
	for i := 0; ; i++ {
		_, _, body := e.get("/api/editions")
		var eds struct{ Editions []json.RawMessage }
		json.Unmarshal(body, &eds)
		if len(eds.Editions) >= 3 {
			break
		}
		if i > 400 {
			t.Fatalf("start-up crawl indexed nothing\n%s", srv.logs.String())
		}
		time.Sleep(25 * time.Millisecond)
	}
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if code := srv.exitCode(15 * time.Second); code != 0 {
		t.Fatalf("exit %d after SIGTERM during a crawl\n%s", code, srv.logs.String())
	}
	count := func() (int, map[string]int) {
		out := e.mustRun("search", "--json", "--size", "100", "--sort", "date")
		var res struct{ Total int }
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		ids := map[string]int{}
		for page := 1; (page-1)*100 < res.Total; page++ {
			out := e.mustRun("search", "--json", "--size", "100", "--sort", "date", "--page", fmt.Sprint(page))
			var p struct{ Hits []struct{ ID string } }
			json.Unmarshal([]byte(out), &p)
			for _, h := range p.Hits {
				ids[h.ID]++
			}
		}
		return res.Total, ids
	}
	partial, _ := count()
	if partial == 0 || partial >= c.Items() {
		t.Fatalf("interrupted crawl indexed %d of %d items: the test did not interrupt a crawl", partial, c.Items())
	}
	e.mustRun("crawl")
	total, ids := count()
	if total != c.Items() || len(ids) != total {
		t.Errorf("after the next crawl: %d items (%d distinct), want %d", total, len(ids), c.Items())
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("item %s listed %d times", id, n)
		}
	}
	e.mustRun("reindex")
	if again, _ := count(); again != total {
		t.Errorf("reindex: %d items, crawl had %d", again, total)
	}
}
