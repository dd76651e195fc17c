package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/api"
	"github.com/lga-digital/bulletin/internal/metrics"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/testenv"
)

// faultyIndex is an index that fails the way a damaged or starved
// Bleve index does: it panics, returns an error, or blocks until the
// request's context ends (reporting that it saw the end).
type faultyIndex struct {
	*index.Index
	mode    string // "panic", "nospace", "block", "slow"
	calls   atomic.Int64
	stopped chan struct{} // closed when a blocked call saw its context end
	once    sync.Once
}

func (f *faultyIndex) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	f.calls.Add(1)
	switch f.mode {
	case "panic":
		var q *query.TermQuery
		_ = q.Field() // a panic inside Bleve's code, as a damaged segment gives
	case "nospace":
		return nil, fmt.Errorf("search: persist: %w", syscall.ENOSPC)
	case "block":
		<-ctx.Done()
		f.once.Do(func() { close(f.stopped) })
		return nil, ctx.Err()
	case "slow":
		select {
		case <-time.After(300 * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return f.Index.Search(ctx, req)
}

func (f *faultyIndex) LatestEditions(ctx context.Context, source string, n int) ([]model.Edition, int, error) {
	return f.Index.LatestEditions(ctx, source, n)
}

// healthServer is a server over the fixture index whose handlers use
// a faulty index, with metrics and logs kept.
func healthServer(t *testing.T, mode string) (*Server, *faultyIndex, *metrics.Metrics, *testenv.LogBuffer) {
	t.Helper()
	idx := feedsTestIndex(t)
	var logs testenv.LogBuffer
	s, err := New(feedsTestConfig(), idx, nil, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	fi := &faultyIndex{Index: idx, mode: mode, stopped: make(chan struct{})}
	s.idx = fi
	m := metrics.New(t.TempDir())
	s.SetMetrics(m)
	s.SetReady(true)
	return s, fi, m, &logs
}

func metricsText(t *testing.T, s *Server) string {
	t.Helper()
	return do(t, s, "GET", "/metrics", nil).Body.String()
}

// TestPanicRecovered: a handler that panics in the index answers a JSON
// 500, is logged once at ERROR with its route, counted as a 500 and as a
// panic, and makes /readyz 503 with the reason; /healthz stays 200.
func TestPanicRecovered(t *testing.T) {
	s, _, _, logs := healthServer(t, "panic")
	rec := do(t, s, "GET", "/feeds/"+feedsTestSource+".rss", nil)
	var body api.Error
	if rec.Code != 500 || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body.Error != "internal error" {
		t.Fatalf("a panicking feed: %d %s, want a JSON 500", rec.Code, rec.Body)
	}
	route := "GET /feeds/{file}"
	if n := strings.Count(logs.String(), "level=ERROR msg=\"server: panic serving "+route); n != 1 {
		t.Errorf("%d ERROR lines naming the route, want 1:\n%s", n, logs)
	}
	m := metricsText(t, s)
	for _, want := range []string{
		`bulletin_http_requests_total{code="500",route="` + route + `"} 1`,
		`bulletin_http_panics_total{route="` + route + `"} 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	rz := do(t, s, "GET", "/readyz", nil)
	if rz.Code != 503 || !strings.Contains(rz.Body.String(), "requests fail in the index") || !strings.Contains(rz.Body.String(), route) {
		t.Errorf("/readyz after an index panic: %d %s", rz.Code, rz.Body)
	}
	if hz := do(t, s, "GET", "/healthz", nil); hz.Code != 200 {
		t.Errorf("/healthz %d", hz.Code)
	}
	// The problem stays while failures continue, and ends once the index
	// answers again and has not failed for a while.
	s.checkHealth(context.Background())
	if do(t, s, "GET", "/readyz", nil).Code != 503 {
		t.Error("/readyz turned 200 right after the failure")
	}
	s.health.mu.Lock()
	s.health.lastFail = time.Now().Add(-2 * failureSettle)
	s.health.mu.Unlock()
	s.checkHealth(context.Background())
	if rz := do(t, s, "GET", "/readyz", nil); rz.Code != 200 {
		t.Errorf("/readyz once the index answers again: %d %s", rz.Code, rz.Body)
	}
}

// TestNoSpace: a write failing for lack of space makes /readyz 503 with
// the reason, and it ends once space is back.
func TestNoSpace(t *testing.T) {
	s, fi, _, _ := healthServer(t, "nospace")
	if rec := do(t, s, "GET", "/search.rss?q=cyber", nil); rec.Code != 500 {
		t.Fatalf("ENOSPC: %d %s", rec.Code, rec.Body)
	}
	rz := do(t, s, "GET", "/readyz", nil)
	if rz.Code != 503 || !strings.Contains(rz.Body.String(), "no space left") {
		t.Fatalf("/readyz after ENOSPC: %d %s", rz.Code, rz.Body)
	}
	var st api.StatusResponse
	if rec := do(t, s, "GET", "/api/status", nil); json.Unmarshal(rec.Body.Bytes(), &st) != nil || st.Ready || len(st.Problems) != 1 {
		t.Errorf("/api/status: %s", rec.Body)
	}
	fi.mode = ""
	s.checkHealth(context.Background()) // the data directory has space
	if rz := do(t, s, "GET", "/readyz", nil); rz.Code != 200 {
		t.Errorf("/readyz with space back: %d %s", rz.Code, rz.Body)
	}
}

// TestClientGone: a request whose client goes away is logged at DEBUG and
// counted as 499, never 500, and its render stops.
func TestClientGone(t *testing.T) {
	s, fi, _, logs := healthServer(t, "block")
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest("GET", feedsTestBase+"/search.atom?q=council", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { s.Handler().ServeHTTP(rec, req); close(done) }()
	for fi.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case <-fi.stopped:
	case <-time.After(time.Minute):
		t.Fatal("the render did not stop when its only client went away")
	}
	<-done
	if rec.Code != StatusClientClosed {
		t.Errorf("status %d, want 499", rec.Code)
	}
	if !strings.Contains(logs.String(), "level=DEBUG msg=\"server: client closed the request") || strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("log:\n%s", logs)
	}
	if m := metricsText(t, s); !strings.Contains(m, `bulletin_http_requests_total{code="499",route="GET /search.atom"} 1`) {
		t.Errorf("/metrics does not count a 499:\n%s", m)
	}
	if do(t, s, "GET", "/readyz", nil).Code != 200 {
		t.Error("a client going away made the server unready")
	}
}

// TestFeedRendersShared: identical concurrent feed requests share one
// render; a request that leaves does not cancel it for the others.
func TestFeedRendersShared(t *testing.T) {
	s, fi, _, _ := healthServer(t, "slow")
	const n = 16
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Go(func() {
			ctx := context.Background()
			if i == 0 { // one client gives up early
				c, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
				defer cancel()
				ctx = c
			}
			req := httptest.NewRequest("GET", feedsTestBase+"/events.ics?q=cyber", nil).WithContext(ctx)
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			codes[i] = rec.Code
		})
	}
	wg.Wait()
	for i, c := range codes[1:] {
		if c != 200 {
			t.Errorf("request %d: %d", i+1, c)
		}
	}
	// One scan of the events (its pages) for all 16, not 16.
	if calls := fi.calls.Load(); calls > 4 {
		t.Errorf("%d index searches for %d identical concurrent requests, want one render's", calls, n)
	}
}

// TestHostileParams: dates out of range are a 400 naming the range; too
// broad a query is a 400 saying what to narrow.
func TestHostileParams(t *testing.T) {
	s, _, _, _ := healthServer(t, "")
	prefixes := make([]string, 160)
	for i := range prefixes {
		prefixes[i] = string(rune('a'+i%26)) + "*"
	}
	tests := []struct{ target, want string }{
		{"/api/search?q=after:3000-01-01", "dates must be from 1678-01-01 to 2261-12-31"},
		{"/api/search?q=date:1600", "dates must be from 1678-01-01 to 2261-12-31"},
		{"/api/search?from=2262-04-12", "from must be a date from 1678-01-01 to 2261-12-31"},
		{"/api/search?to=0001-01-01", "to must be a date from 1678-01-01 to 2261-12-31"},
		{"/search.rss?q=after:3000-01-01", "dates must be from"},
		{"/api/search?q=" + strings.Join(prefixes, "+OR+"), "too many prefix searches"},
		{"/api/search?q=-" + strings.Join(prefixes[:150], "+-"), "too many prefix searches"},
	}
	for _, tt := range tests {
		rec := do(t, s, "GET", tt.target, nil)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("%s: %d %s, want 400 with %q", tt.target[:min(len(tt.target), 60)], rec.Code, rec.Body, tt.want)
		}
	}
	var resp api.SearchResponse
	rec := do(t, s, "GET", "/api/search?q=before:0001-01-01", nil)
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &resp) != nil || resp.Total != 0 {
		t.Errorf("before:0001-01-01: %d, %d results, want none", rec.Code, resp.Total)
	}
}
