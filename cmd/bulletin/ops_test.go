package main_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const e2eToken = "e2e-admin-token-0123456789"

// TestServeBadSchedule: serve with a bad cron spec fails at start-up with
// the config error, not a panic.
func TestServeBadSchedule(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e := &env{t: t, bin: binary(t)}
	bad := filepath.Join(t.TempDir(), "bad.toml")
	os.WriteFile(bad, []byte("[[source]]\nid = \"x\"\ntitle = \"X\"\nschedule = \"61 * * * *\"\neditions = [\"https://example.org/b/1\"]\n"), 0o644)
	out, errs, code := e.runRaw("--config", bad, "serve")
	if code != 1 || !strings.Contains(errs, bad+": source[x].schedule: invalid cron spec") || strings.Contains(errs, "goroutine ") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
}

// TestOperations runs serve against the fixture site with the admin token
// in the environment: it becomes ready, crawls the empty index at start-up,
// shows that crawl on /status, /api/status and /metrics, and runs another
// on POST /api/crawl with the token, never without it.
func TestOperations(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e := newEnv(t)
	cmd := exec.Command(e.bin, "--config", e.config, "--log-format", "json", "serve")
	cmd.Env = append(os.Environ(), "BULLETIN_ADMIN_TOKEN="+e2eToken)
	srv := startServedCmd(t, cmd, e.addr, "/healthz")
	defer func() {
		srv.stop()
		if strings.Contains(srv.logs.String(), e2eToken) {
			t.Error("the admin token reached the log")
		}
	}()
	base := "http://" + e.addr
	waitFor(t, "ready", func() bool { code, _ := httpDo(t, "GET", base+"/readyz", ""); return code == 200 })

	// The start-up crawl of the empty index shows on /api/status.
	var st struct {
		Ready   bool `json:"ready"`
		Sources []struct {
			ID        string `json:"id"`
			Running   bool   `json:"running"`
			LastCrawl *struct {
				Outcome  string `json:"outcome"`
				Editions int    `json:"editions"`
				Items    int    `json:"items"`
			} `json:"last_crawl"`
			Items int `json:"items"`
		} `json:"sources"`
		Index struct {
			Items     int   `json:"items"`
			SizeBytes int64 `json:"size_bytes"`
		} `json:"index"`
	}
	status := func() {
		code, body := httpDo(t, "GET", base+"/api/status", "")
		if code != 200 {
			t.Fatalf("/api/status %d %s", code, body)
		}
		if err := json.Unmarshal(body, &st); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the start-up crawl", func() bool {
		status()
		return len(st.Sources) == 1 && !st.Sources[0].Running && st.Sources[0].LastCrawl != nil
	})
	first := *st.Sources[0].LastCrawl
	if !st.Ready || first.Outcome != "ok" || first.Editions == 0 || first.Items == 0 || st.Index.Items != first.Items ||
		st.Sources[0].Items != first.Items || st.Index.SizeBytes == 0 {
		t.Fatalf("status after the start-up crawl: %+v, last crawl %+v", st, first)
	}

	code, page := httpDo(t, "GET", base+"/status", "")
	if code != 200 || !bytes.Contains(page, []byte("<caption>Crawls by source</caption>")) || !bytes.Contains(page, []byte("<td>OK</td>")) {
		t.Errorf("/status %d:\n%s", code, page)
	}

	// Without the token, nothing starts.
	for _, auth := range []string{"", "Bearer wrong-token-0123456789"} {
		if code, body := httpDo(t, "POST", base+"/api/crawl?source=lga-cdt", auth); code != 401 {
			t.Errorf("POST /api/crawl with %q: %d %s", auth, code, body)
		}
	}
	// With it, a crawl runs; it has nothing new to index.
	code, body := httpDo(t, "POST", base+"/api/crawl?source=lga-cdt", "Bearer "+e2eToken)
	if code != 202 {
		t.Fatalf("POST /api/crawl: %d %s", code, body)
	}
	// At once again: 409 while it runs (or 202 if it was already over).
	crawls := 2
	switch code, _ := httpDo(t, "POST", base+"/api/crawl?source=lga-cdt", "Bearer "+e2eToken); code {
	case 409:
	case 202:
		crawls++
	default:
		t.Errorf("second POST /api/crawl: %d", code)
	}
	waitFor(t, "the requested crawl", func() bool {
		status()
		return !st.Sources[0].Running && st.Sources[0].LastCrawl != nil && st.Sources[0].LastCrawl.Editions == 0
	})
	if got := st.Sources[0].LastCrawl; got.Outcome != "ok" || st.Index.Items != first.Items {
		t.Errorf("after the requested crawl: %+v, index items %d", got, st.Index.Items)
	}

	code, metrics := httpDo(t, "GET", base+"/metrics", "")
	if code != 200 {
		t.Fatalf("/metrics %d", code)
	}
	// serve sets a soft memory limit only for a large live heap (64 MiB and
	// more: internal/cli's TestHeapLimit); this small index runs without,
	// as Go's default, and /metrics says so.
	if os.Getenv("GOMEMLIMIT") == "" {
		if v, ok := promValue(metrics, "go_gc_gomemlimit_bytes"); !ok || v < 1<<62 {
			t.Errorf("go_gc_gomemlimit_bytes = %g (found %v), want no limit (math.MaxInt64) for a small index", v, ok)
		}
	}
	for _, want := range []string{
		`bulletin_fetches_total{host="` + strings.TrimPrefix(e.site.URL, "http://") + `",status="200"}`,
		`bulletin_fetches_total{host="` + strings.TrimPrefix(e.site.URL, "http://") + `",status="304"}`,
		`bulletin_crawl_duration_seconds_count{outcome="ok",source="lga-cdt"} ` + itoa(crawls),
		`bulletin_items_indexed_total{source="lga-cdt"} ` + itoa(first.Items),
		`bulletin_http_requests_total{code="401",route="POST /api/crawl"} 2`,
		`bulletin_http_requests_total{code="200",route="GET /readyz"}`,
		`bulletin_index_size_bytes `,
	} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestCrawlNotOnATerminal: with stderr not a terminal, crawl writes plain
// log lines, no progress bar, and the summary table on stdout.
func TestCrawlNotOnATerminal(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e := newEnv(t)
	out, errs, code := e.run("crawl")
	if code != 0 || !strings.HasPrefix(out, "SOURCE") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if strings.ContainsAny(errs, "\r\x1b") {
		t.Errorf("terminal control characters in a log that is not a terminal: %q", errs)
	}
	if !strings.Contains(errs, `msg="crawl: indexed edition"`) {
		t.Errorf("log: %s", errs)
	}
}

func httpDo(t *testing.T, method, url, auth string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// waitFor polls cond until it holds, for up to 30 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// promValue returns the value of the unlabelled metric name in a
// Prometheus text exposition.
func promValue(exposition []byte, name string) (float64, bool) {
	for _, line := range strings.Split(string(exposition), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f, err == nil
		}
	}
	return 0, false
}
