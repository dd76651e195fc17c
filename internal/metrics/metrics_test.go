package metrics_test

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/metrics"
)

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func TestMetrics(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "store"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, size := range map[string]int{"index_meta.json": 100, "store/root.bolt": 4096, "store/000.zap": 1000} {
		if err := os.WriteFile(filepath.Join(dir, name), make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := metrics.New(dir)
	m.Fetched("content.govdelivery.com", 200)
	m.Fetched("content.govdelivery.com", 200)
	m.Fetched("content.govdelivery.com", 0)
	m.CrawlDone("lga-cdt", "ok", 3*time.Second, 2, 17, time.Unix(1700000000, 0))
	m.CrawlDone("lga-cdt", "failed", time.Second, 0, 0, time.Unix(1700000500, 0))
	m.Served("GET /feeds/{source}", 200, 10*time.Millisecond)
	m.Served("GET /feeds/{source}", 304, time.Millisecond)

	out := scrape(t, m)
	for _, want := range []string{
		`bulletin_fetches_total{host="content.govdelivery.com",status="200"} 2`,
		`bulletin_fetches_total{host="content.govdelivery.com",status="0"} 1`,
		`bulletin_crawl_duration_seconds_count{outcome="ok",source="lga-cdt"} 1`,
		`bulletin_crawl_duration_seconds_sum{outcome="ok",source="lga-cdt"} 3`,
		`bulletin_crawl_duration_seconds_count{outcome="failed",source="lga-cdt"} 1`,
		`bulletin_crawl_last_success_timestamp_seconds{source="lga-cdt"} 1.7e+09`,
		`bulletin_editions_indexed_total{source="lga-cdt"} 2`,
		`bulletin_items_indexed_total{source="lga-cdt"} 17`,
		`bulletin_http_requests_total{code="200",route="GET /feeds/{source}"} 1`,
		`bulletin_http_requests_total{code="304",route="GET /feeds/{source}"} 1`,
		`bulletin_http_request_duration_seconds_count{route="GET /feeds/{source}"} 2`,
		`bulletin_index_size_bytes 5196`,
		`go_goroutines `,
		`# HELP bulletin_fetches_total `,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}

	// The size is read at each scrape.
	if err := os.WriteFile(filepath.Join(dir, "store/001.zap"), make([]byte, 4), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := scrape(t, m); !strings.Contains(out, "bulletin_index_size_bytes 5200") {
		t.Errorf("index size not updated:\n%s", out)
	}
}

func TestDirSize(t *testing.T) {
	if n := metrics.DirSize(filepath.Join(t.TempDir(), "missing")); n != 0 {
		t.Errorf("missing dir size %d", n)
	}
}

// Two Metrics do not share a registry (no global default registry).
func TestIndependentRegistries(t *testing.T) {
	a, b := metrics.New(t.TempDir()), metrics.New(t.TempDir())
	a.Fetched("h", 200)
	if strings.Contains(scrape(t, b), "bulletin_fetches_total{") {
		t.Error("a fetch counted in one registry shows in another")
	}
}
