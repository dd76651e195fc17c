package server_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/api"
	"github.com/lga-digital/bulletin/internal/metrics"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/schedule"
	"github.com/lga-digital/bulletin/internal/server"
	"github.com/lga-digital/bulletin/internal/testenv"
)

const opsToken = "s3cret-token-0123456789"

// opsScheduler is a scheduler whose state the test sets.
type opsScheduler struct {
	mu      sync.Mutex
	status  []schedule.Status
	runs    []string
	opts    []run.Options
	running bool
}

func (s *opsScheduler) Status() []schedule.Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]schedule.Status(nil), s.status...)
}

func (s *opsScheduler) RunWith(id string, opt run.Options) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		return schedule.ErrRunning
	}
	s.runs = append(s.runs, id)
	s.opts = append(s.opts, opt)
	s.running = true
	return nil
}

type opsEnv struct {
	srv   *server.Server
	h     http.Handler
	idx   *index.Index
	sched *opsScheduler
	logs  *testenv.LogBuffer
}

// newOpsEnv serves a config with two sources (and the admin token unless
// token is ""), an index in a temporary data directory and opsScheduler.
func newOpsEnv(t *testing.T, token, baseURL string) *opsEnv {
	t.Helper()
	dir := t.TempDir()
	text := `data_dir = "` + dir + `"
base_url = "` + baseURL + `"
[[source]]
id = "lga-cdt"
title = "LGA Cyber, Digital and Technology Bulletin"
schedule = "30 7 * * *"
editions = ["https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025"]
[[source]]
id = "other"
title = "Other <Bulletin>"
editions = ["https://example.org/b/1"]
`
	if token != "" {
		text = "admin_token = \"" + token + "\"\n" + text
	}
	cfg, err := config.Parse([]byte(text), "test.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := index.Open(dir + "/index")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	logs := &testenv.LogBuffer{}
	sched := &opsScheduler{status: []schedule.Status{{Source: "lga-cdt"}, {Source: "other"}}}
	srv, err := server.New(cfg, idx, sched, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	return &opsEnv{srv: srv, h: srv.Handler(), idx: idx, sched: sched, logs: logs}
}

func (e *opsEnv) do(method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

func TestReadyz(t *testing.T) {
	e := newOpsEnv(t, "", "http://127.0.0.1:8080")
	steps := []struct {
		set  *bool
		code int
	}{
		{nil, http.StatusServiceUnavailable}, // before the CLI says so
		{ptr(true), http.StatusOK},
		{ptr(false), http.StatusServiceUnavailable}, // shutting down
	}
	for _, st := range steps {
		if st.set != nil {
			e.srv.SetReady(*st.set)
		}
		if rec := e.do("GET", "/readyz", nil); rec.Code != st.code {
			t.Errorf("ready=%v: /readyz %d, want %d", st.set, rec.Code, st.code)
		}
	}
	if rec := e.do("GET", "/healthz", nil); rec.Code != http.StatusOK {
		t.Errorf("/healthz %d", rec.Code)
	}
}

func ptr[T any](v T) *T { return &v }

func TestCrawlAPI(t *testing.T) {
	const localToken = "local-token-for-the-cli-0123456789"
	bearer := map[string]string{"Authorization": "Bearer " + opsToken}
	localBearer := map[string]string{"Authorization": "Bearer " + localToken}
	tests := []struct {
		name    string
		token   string // configured
		method  string
		target  string
		hdr     map[string]string
		running bool
		code    int
		body    string
		runs    int
	}{
		{"off without a token", "", "POST", "/api/crawl?source=lga-cdt", bearer, false, 404, "crawl API is off", 0},
		{"no Authorization", opsToken, "POST", "/api/crawl?source=lga-cdt", nil, false, 401, "missing or wrong bearer token", 0},
		{"wrong token", opsToken, "POST", "/api/crawl?source=lga-cdt", map[string]string{"Authorization": "Bearer " + opsToken + "x"}, false, 401, "wrong bearer token", 0},
		{"token prefix", opsToken, "POST", "/api/crawl?source=lga-cdt", map[string]string{"Authorization": "Bearer " + opsToken[:8]}, false, 401, "wrong bearer token", 0},
		{"basic scheme", opsToken, "POST", "/api/crawl?source=lga-cdt", map[string]string{"Authorization": "Basic " + opsToken}, false, 401, "wrong bearer token", 0},
		{"no source", opsToken, "POST", "/api/crawl", bearer, false, 400, "source is required", 0},
		{"unknown source", opsToken, "POST", "/api/crawl?source=nope", bearer, false, 404, "unknown source: nope", 0},
		{"started", opsToken, "POST", "/api/crawl?source=lga-cdt", bearer, false, 202, `"status": "started"`, 1},
		{"scheme case-insensitive", opsToken, "POST", "/api/crawl?source=other", map[string]string{"Authorization": "bearer " + opsToken}, false, 202, `"source": "other"`, 1},
		{"already running", opsToken, "POST", "/api/crawl?source=lga-cdt", bearer, true, 409, "already running", 0},
		{"GET is not a crawl", opsToken, "GET", "/api/crawl?source=lga-cdt", bearer, false, 404, "error", 0},
		// serve's token for the CLI (SetLocalToken) works with or without an admin token
		{"local token alone", "", "POST", "/api/crawl?source=lga-cdt", localBearer, false, 202, `"status": "started"`, 1},
		{"local token beside the admin token", opsToken, "POST", "/api/crawl?source=lga-cdt", localBearer, false, 202, `"status": "started"`, 1},
		{"only a local token: still off to others", "", "POST", "/api/crawl?source=lga-cdt", bearer, false, 404, "crawl API is off", 0},
		{"only a local token: still off without one", "", "POST", "/api/crawl?source=lga-cdt", nil, false, 404, "crawl API is off", 0},
		// bulletin crawl --refetch --max-new N beside the server
		{"refetch and max_new", opsToken, "POST", "/api/crawl?source=lga-cdt&refetch=1&max_new=3", bearer, false, 202, `"status": "started"`, 1},
		{"bad refetch", opsToken, "POST", "/api/crawl?source=lga-cdt&refetch=maybe", bearer, false, 400, "refetch must be 1 or 0", 0},
		{"bad max_new", opsToken, "POST", "/api/crawl?source=lga-cdt&max_new=-1", bearer, false, 400, "max_new must be a positive integer", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newOpsEnv(t, tt.token, "http://127.0.0.1:8080")
			if strings.HasPrefix(tt.name, "local") || strings.HasPrefix(tt.name, "only a local") {
				e.srv.SetLocalToken(localToken)
			}
			e.sched.running = tt.running
			rec := e.do(tt.method, tt.target, tt.hdr)
			if rec.Code != tt.code || !strings.Contains(rec.Body.String(), tt.body) {
				t.Errorf("%s %s: %d %s; want %d with %q", tt.method, tt.target, rec.Code, rec.Body, tt.code, tt.body)
			}
			if got := len(e.sched.runs); got != tt.runs {
				t.Errorf("%d crawls started, want %d", got, tt.runs)
			}
			if want := (run.Options{Refetch: true, MaxNew: 3}); tt.name == "refetch and max_new" && (len(e.sched.opts) != 1 || e.sched.opts[0] != want) {
				t.Errorf("crawl options %+v, want %+v", e.sched.opts, want)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if tt.code == 401 && rec.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if strings.Contains(e.logs.String(), opsToken[:8]) {
				t.Errorf("the token reached the log:\n%s", e.logs)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	e := newOpsEnv(t, "", "http://127.0.0.1:8080")
	e.srv.SetReady(true)
	ed := model.Edition{ID: "ed1", Source: "lga-cdt", URL: "https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025",
		Title: "LGA Cyber, Digital and Technology Bulletin - 19", Number: 19, Published: time.Date(2024, 3, 21, 10, 5, 0, 0, time.UTC)}
	items := []model.Item{{ID: "i1", EditionID: "ed1", Source: "lga-cdt", Title: "One"}, {ID: "i2", EditionID: "ed1", Source: "lga-cdt", Title: "Two"}}
	if err := e.idx.PutEdition(context.Background(), ed, items); err != nil {
		t.Fatal(err)
	}
	started := time.Date(2024, 7, 1, 6, 30, 0, 0, time.UTC) // 07:30 in London (BST)
	next := time.Date(2024, 7, 2, 6, 30, 0, 0, time.UTC)
	retry := started.Add(4 * time.Minute)
	e.sched.status = []schedule.Status{
		{Source: "lga-cdt", Outcome: run.OutcomeFailed, LastErr: "source lga-cdt: 1 failure(s); first: <boom> & co",
			Next: next, LastSuccess: started.Add(-24 * time.Hour), RetryAt: retry, Retries: 2,
			Last: &run.Summary{Source: "lga-cdt", Started: started, Duration: 2500 * time.Millisecond, Discovered: 9, Fetched: 3,
				Editions: 2, Items: 31, Failed: 1, Deferred: 7, Disallowed: 4, Unreachable: []string{"content.govdelivery.com"},
				Errors: []string{"<boom> & co"}}},
		{Source: "other", Running: true, RunningSince: started},
	}

	rec := e.do("GET", "/api/status", nil)
	if rec.Code != 200 {
		t.Fatalf("/api/status %d %s", rec.Code, rec.Body)
	}
	var got api.StatusResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if !got.Ready || got.Index.Editions != 1 || got.Index.Items != 2 || got.Index.SizeBytes <= 0 || len(got.Sources) != 2 {
		t.Fatalf("status %+v", got)
	}
	a, b := got.Sources[0], got.Sources[1]
	if a.ID != "lga-cdt" || a.Editions != 1 || a.Items != 2 || a.Timezone != "Europe/London" || a.Schedule != "30 7 * * *" ||
		!a.Next.Equal(next) || a.LastError == "" || a.LastCrawl == nil {
		t.Fatalf("source %+v", a)
	}
	if c := a.LastCrawl; !c.Started.Equal(started) || c.DurationSeconds != 2.5 || c.Outcome != "failed" || c.Editions != 2 ||
		c.Items != 31 || c.Fetched != 3 || c.Failed != 1 || len(c.Errors) != 1 || c.Deferred != 7 || c.Disallowed != 4 ||
		len(c.Unreachable) != 1 || !a.RetryAt.Equal(retry) || a.Retries != 2 {
		t.Errorf("last crawl %+v", c)
	}
	if !b.Running || !b.RunningSince.Equal(started) || b.LastCrawl != nil {
		t.Errorf("running source %+v", b)
	}
	if !strings.Contains(rec.Body.String(), `"next_run"`) || strings.Contains(rec.Body.String(), `"last_success": "0001`) {
		t.Errorf("JSON field names: %s", rec.Body)
	}

	rec = e.do("GET", "/status", nil)
	html := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("/status %d %s", rec.Code, rec.Header())
	}
	for _, want := range []string{
		"<caption>Crawls by source</caption>",
		`<th scope="col">Started</th>`,
		`<th scope="row">LGA Cyber, Digital and Technology Bulletin <span class="id">(lga-cdt)</span></th>`,
		"<strong>Failed</strong>",
		`<time datetime="2024-07-01T06:30:00Z">1 Jul 2024 07:30 BST</time>`, // in the source's zone
		"<td>2.5s</td>",
		"<td>31</td>",
		"Running since 1 Jul 2024 07:30 BST",
		"Other &lt;Bulletin&gt;", // escaped
		"&lt;boom&gt; &amp; co",  // escaped
		"1 editions, 2 articles", // index per source
		"<td>1 <span class=\"meta\">(and 7 not tried: host unreachable)</span></td>", // the failure, and the URLs it held up
		"<td>4</td>", // refused by robots.txt
		`Retry at <time datetime="2024-07-01T06:34:00Z">1 Jul 2024 07:34 BST</time>`, // the retry comes before the next run
		"not scheduled", // the source without a schedule
		"The server is ready",
		`<html lang="en-GB">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("/status lacks %q:\n%s", want, html)
		}
	}
}

func TestMetricsRoutes(t *testing.T) {
	for _, base := range []string{"http://127.0.0.1:8080", "https://intranet.example/bulletins"} {
		t.Run(base, func(t *testing.T) {
			e := newOpsEnv(t, "", base)
			prefix := strings.TrimPrefix(base, "https://intranet.example")
			if strings.HasPrefix(prefix, "http") {
				prefix = ""
			}
			if rec := e.do("GET", prefix+"/metrics", nil); rec.Code != 404 {
				t.Errorf("/metrics without metrics: %d", rec.Code)
			}
			e.srv.SetMetrics(metrics.New(t.TempDir()))
			e.do("GET", prefix+"/healthz", nil)
			e.do("GET", prefix+"/healthz", nil)
			e.do("GET", prefix+"/readyz", nil)
			e.do("GET", prefix+"/no/such/page", nil)
			e.do("GET", prefix+"/api/status", nil)
			rec := e.do("GET", prefix+"/metrics", nil)
			if rec.Code != 200 {
				t.Fatalf("/metrics %d", rec.Code)
			}
			out := rec.Body.String()
			for _, want := range []string{
				`bulletin_http_requests_total{code="200",route="GET /healthz"} 2`,
				`bulletin_http_requests_total{code="503",route="GET /readyz"} 1`,
				`bulletin_http_requests_total{code="404",route="/"} 1`, // the catch-all, not the path
				`bulletin_http_requests_total{code="200",route="GET /api/status"} 1`,
				`bulletin_http_request_duration_seconds_count{route="GET /healthz"} 2`,
				`bulletin_index_size_bytes `,
			} {
				if !strings.Contains(out, want) {
					t.Errorf("/metrics lacks %q", want)
				}
			}
			if strings.Contains(out, "/no/such/page") {
				t.Error("a raw path became a label")
			}
		})
	}
}
