package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/lga-digital/bulletin/internal/testsite"
)

// shared holds what tests share for the whole run, released by TestMain.
var shared struct {
	mu       sync.Mutex
	cleanups []func()
}

// atExit registers f to run when every test has run.
func atExit(f func()) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	shared.cleanups = append(shared.cleanups, f)
}

var build struct {
	once sync.Once
	bin  string
	err  error
}

// TestMain removes the binary that the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range shared.cleanups {
		f()
	}
	if build.bin != "" {
		os.RemoveAll(filepath.Dir(build.bin))
	}
	os.Exit(code)
}

// e2e marks a test of the built binary: skipped under -short (why says
// what it does), and run in parallel with the others, each in a directory,
// on a port and with a site of its own.
func e2e(t *testing.T, why string) {
	t.Helper()
	if testing.Short() {
		t.Skip(why)
	}
	t.Parallel()
}

// binary builds cmd/bulletin once per test run.
func binary(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		dir, err := os.MkdirTemp("", "bulletin-e2e-")
		if err != nil {
			build.err = err
			return
		}
		build.bin = filepath.Join(dir, "bulletin")
		cmd := exec.Command("go", "build", "-o", build.bin, ".")
		cmd.Stderr = os.Stderr
		build.err = cmd.Run()
	})
	if build.err != nil {
		t.Fatalf("build: %v", build.err)
	}
	return build.bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	handedOut.Lock()
	defer handedOut.Unlock()
	for {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		// The port is free again once closed, and the kernel may hand it
		// out again: two tests given the same one would start their
		// servers on it, and one would talk to the other's.
		if !handedOut.addrs[addr] {
			handedOut.addrs[addr] = true
			return addr
		}
	}
}

// handedOut are the addresses freeAddr has returned in this process.
var handedOut = struct {
	sync.Mutex
	addrs map[string]bool
}{addrs: map[string]bool{}}

// env is one bulletin installation: a config pointing at the fixture site.
type env struct {
	t      *testing.T
	bin    string
	config string
	addr   string
	path   string // the path of base_url, if set (setBaseURL)
	site   *testsite.Site
}

func newEnv(t *testing.T) *env {
	site := testsite.Start(t)
	return newEnvAt(t, site, "\n"+lgaSource(site.URL+testsite.FeedPath, site.URL+testsite.ListPath)+
		fmt.Sprintf("home = %q\neditions = [%q]\n", site.URL+testsite.ListPath, site.URL+"/accounts/UKLGA/bulletins/392f025"))
}

// lgaSource is the config of the LGA series crawled from a feed and a list
// on a local site, with no delay; more keys of the source may follow it.
func lgaSource(feed, list string) string {
	return fmt.Sprintf(`[[source]]
id = "lga-cdt"
title = "LGA Cyber, Digital and Technology Bulletin"
schedule = "@daily"
feeds = [%q]
lists = [%q]
match = '(?i)cyber,?\s+digital\s+(and|&)\s+technology'
allow_private = true
delay = "0s"
`, feed, list)
}

// newEnvAt is an installation in a new directory whose config is its
// data_dir and listen address, then rest (more top-level keys, sources);
// site is the fixture site it crawls, if any.
func newEnvAt(t *testing.T, site *testsite.Site, rest string) *env {
	t.Helper()
	dir := t.TempDir()
	e := &env{t: t, bin: binary(t), config: filepath.Join(dir, "bulletin.toml"), addr: freeAddr(t), site: site}
	cfg := fmt.Sprintf("data_dir = %q\nlisten = %q\n", filepath.Join(dir, "data"), e.addr) + rest
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

// run runs the binary with the env's config and returns stdout, stderr and the exit code.
// setBaseURL puts base_url = http://ADDR+path at the top of the config
// and returns it, for tests that serve under a path.
func (e *env) setBaseURL(path string) string {
	e.t.Helper()
	cfg, err := os.ReadFile(e.config)
	if err != nil {
		e.t.Fatal(err)
	}
	base := "http://" + e.addr + path
	e.path = path
	if err := os.WriteFile(e.config, append([]byte(fmt.Sprintf("base_url = %q\n", base)), cfg...), 0o644); err != nil {
		e.t.Fatal(err)
	}
	return base
}

func (e *env) run(args ...string) (string, string, int) {
	e.t.Helper()
	return e.runRaw(append([]string{"--config", e.config}, args...)...)
}

// runRaw runs the binary with exactly these arguments.
func (e *env) runRaw(args ...string) (string, string, int) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

func (e *env) mustRun(args ...string) string {
	e.t.Helper()
	out, errs, code := e.run(args...)
	if code != 0 {
		e.t.Fatalf("bulletin %v: exit %d\nstdout:\n%s\nstderr:\n%s", args, code, out, errs)
	}
	return out
}

// serve starts `bulletin serve` and returns a stop function, which fails
// the test if serve does not exit 0.
func (e *env) serve() (stop func()) {
	e.t.Helper()
	s := startServedCmd(e.t, exec.Command(e.bin, "--config", e.config, "serve"), e.addr, strings.TrimSuffix(e.path, "/")+"/healthz")
	return func() {
		if err := s.stop(); err != nil {
			e.t.Errorf("serve exited with %v\n%s", err, s.logs)
		}
	}
}

func (e *env) get(path string) (int, http.Header, []byte) {
	e.t.Helper()
	resp, err := http.Get("http://" + e.addr + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// feeds reads every feed of the source with gofeed and returns, per feed
// path, the entries' GUIDs and titles.
func (e *env) feeds() map[string][][2]string {
	e.t.Helper()
	out := map[string][][2]string{}
	for _, p := range []string{"/feeds/lga-cdt", "/feeds/lga-cdt/editions", "/search"} {
		for _, ext := range []string{".rss", ".atom", ".json"} {
			path := p + ext
			if p == "/search" {
				path += "?q=cyber"
			}
			code, h, body := e.get(path)
			if code != 200 {
				e.t.Fatalf("GET %s: %d %s", path, code, body)
			}
			f, err := gofeed.NewParser().ParseString(string(body))
			if err != nil {
				e.t.Fatalf("gofeed %s: %v\n%s", path, err, body)
			}
			if h.Get("ETag") == "" || h.Get("Last-Modified") == "" {
				e.t.Errorf("%s: no validators: %v", path, h)
			}
			var entries [][2]string
			for _, it := range f.Items {
				entries = append(entries, [2]string{it.GUID, it.Title})
			}
			if len(entries) == 0 {
				e.t.Errorf("%s: no entries", path)
			}
			out[path] = entries
		}
	}
	return out
}

func TestEndToEnd(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e := newEnv(t)
	var want []string // every fixture edition of the series
	for _, f := range testsite.Editions() {
		if f.Series {
			want = append(want, f.Title)
		}
	}

	start := time.Now()
	defer func() { t.Logf("total %v", time.Since(start)) }()
	out := e.mustRun("crawl")
	t.Logf("crawl %v", time.Since(start))
	if !strings.Contains(out, "lga-cdt") {
		t.Errorf("crawl summary: %s", out)
	}
	editionHits := func() int {
		n := 0
		for _, f := range testsite.Editions() {
			n += e.site.Hits(f.Path)
		}
		return n
	}
	firstHits := editionHits()
	if firstHits == 0 {
		t.Fatal("crawl fetched no edition page")
	}

	stop := e.serve()
	t.Logf("serve up %v", time.Since(start))
	first := e.feeds()
	t.Logf("feeds %v", time.Since(start))
	code, _, body := e.get("/api/editions")
	var eds struct {
		Editions []struct {
			Title     string
			ItemCount int `json:"item_count"`
		}
	}
	if code != 200 || json.Unmarshal(body, &eds) != nil {
		t.Fatalf("/api/editions: %d %s", code, body)
	}
	var got []string
	for _, ed := range eds.Editions {
		got = append(got, ed.Title)
		if ed.ItemCount == 0 {
			t.Errorf("edition %q has no items", ed.Title)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("editions:\n got %q\nwant %q (the foreign series must be skipped)", got, want)
	}
	checkSearch(t, e)
	// The CLI crawl is in the history that /status shows.
	code, _, body = e.get("/api/status")
	var status struct {
		Sources []struct {
			LastCrawl *struct {
				Outcome  string
				Editions int
			} `json:"last_crawl"`
		}
	}
	if code != 200 || json.Unmarshal(body, &status) != nil || len(status.Sources) != 1 || status.Sources[0].LastCrawl == nil ||
		status.Sources[0].LastCrawl.Outcome != "ok" || status.Sources[0].LastCrawl.Editions != len(want) {
		t.Errorf("/api/status does not show the crawl: %d %s", code, body)
	}
	t.Logf("search %v", time.Since(start))
	stop()
	t.Logf("stopped %v", time.Since(start))

	// A second crawl with nothing new downloads no edition page and changes nothing.
	e.mustRun("crawl")
	if n := editionHits(); n != firstHits {
		t.Errorf("second crawl fetched edition pages again: %d requests, want %d", n, firstHits)
	}
	stop = e.serve()
	if second := e.feeds(); !equalFeeds(first, second) {
		t.Errorf("feeds changed after a second crawl")
	}
	stop()

	// Reindex rebuilds the same index from the snapshots, offline.
	e.site.Close()
	e.mustRun("reindex")
	stop = e.serve()
	if third := e.feeds(); !equalFeeds(first, third) {
		t.Errorf("feeds changed after reindex")
	}
	stop()

	out = e.mustRun("search", "digital inclusion")
	if !strings.Contains(out, "Minimum Digital Living Standard") {
		t.Errorf("search output lacks an expected item:\n%s", out)
	}
}

func equalFeeds(a, b map[string][][2]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func checkSearch(t *testing.T, e *env) {
	t.Helper()
	type hit struct {
		ID, Title string
		Edition   struct{ Number int }
	}
	search := func(q string) []hit {
		code, _, body := e.get("/api/search?q=" + strings.ReplaceAll(q, " ", "+"))
		var res struct {
			Total uint64
			Hits  []hit
		}
		if code != 200 || json.Unmarshal(body, &res) != nil {
			t.Fatalf("/api/search?q=%s: %d %s", q, code, body)
		}
		return res.Hits
	}
	// "Cyber 360" appears in edition 19's volunteer article; "Ofcom" in 25.
	for q, title := range map[string]string{
		`"Cyber 360"`:   "LGA Bespoke Cyber Support – Volunteer Opportunity",
		"ofcom":         "Empowering the Next Generation: Ofcom's Media Literacy Strategy",
		"councils":      "",
		"microsoft MOU": "Microsoft MOU (Memorandum of Understanding) negotiations",
	} {
		hits := search(q)
		if len(hits) == 0 {
			t.Errorf("search %s: no hits", q)
			continue
		}
		if title == "" {
			continue
		}
		found := false
		for _, h := range hits {
			found = found || strings.EqualFold(normQuote(h.Title), normQuote(title))
		}
		if !found {
			t.Errorf("search %s: %q not among %d hits", q, title, len(hits))
		}
	}
	code, _, body := e.get("/api/search?q=%28unclosed")
	if code != 400 || !bytes.Contains(body, []byte(`"error"`)) {
		t.Errorf("bad query: %d %s", code, body)
	}
}

func normQuote(s string) string {
	return strings.NewReplacer("’", "'", "‘", "'").Replace(s)
}
