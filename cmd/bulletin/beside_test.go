package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/lga-digital/bulletin/internal/testenv"
	"github.com/lga-digital/bulletin/internal/testsite"
)

// serveCrawled starts `bulletin serve` with the env's config and waits until
// its start-up crawl has ended; stop ends it and returns its log.
func (e *env) serveCrawled() (stop func() string) {
	e.t.Helper()
	s := startServed(e.t, e.bin, e.config, e.addr)
	stop = func() string {
		if err := s.stop(); err != nil {
			e.t.Errorf("serve exited with %v\n%s", err, s.logs)
		}
		return s.logs.String()
	}
	waitFor(e.t, "the start-up crawl", func() bool {
		code, body := httpDo(e.t, "GET", "http://"+e.addr+"/api/status", "")
		return code == 200 && bytes.Contains(body, []byte(`"outcome": "ok"`)) && bytes.Contains(body, []byte(`"running": false`))
	})
	return stop
}

// TestSearchAndCrawlBesideServe: while serve holds the index, `bulletin
// search` answers through its API with the same results as /api/search and
// says so; a syntax error prints once, and as JSON with --json; `bulletin
// crawl` runs the crawl in the server, waits for it and prints its summary.
// Once serve stops, search opens the index itself again.
func TestSearchAndCrawlBesideServe(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e := newEnv(t)
	stop := e.serveCrawled()
	base := "http://" + e.addr

	out, errs, code := e.run("search", "--json", "--size", "5", "digital", "inclusion")
	if code != 0 || !strings.Contains(errs, "searched through the running server at "+base) {
		t.Fatalf("search --json beside serve: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	type hits struct {
		Total uint64 `json:"total"`
		Hits  []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	var cli, api hits
	if err := json.Unmarshal([]byte(out), &cli); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	_, body := httpDo(t, "GET", base+"/api/search?"+url.Values{"q": {"digital inclusion"}, "size": {"5"}}.Encode(), "")
	if err := json.Unmarshal(body, &api); err != nil {
		t.Fatal(err)
	}
	if cli.Total == 0 || fmt.Sprint(cli) != fmt.Sprint(api) {
		t.Errorf("search beside serve: %+v, /api/search: %+v", cli, api)
	}

	out, errs, code = e.run("search", "digital", "inclusion")
	if code != 0 || !strings.Contains(out, "(searched through the running server at "+base) || !strings.Contains(out, "result(s)") {
		t.Errorf("search beside serve: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}

	// A syntax error: once on stderr with a caret; with --json, also a JSON object.
	out, errs, code = e.run("search", "cyber", "AND")
	if code != 1 || strings.Count(errs, "invalid query") != 1 || !strings.Contains(errs, "  cyber AND\n           ^") {
		t.Errorf("syntax error beside serve: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	out, errs, code = e.run("search", "--json", "cyber", "AND")
	var jerr struct {
		Error string `json:"error"`
		Pos   *int   `json:"pos"`
	}
	if code != 1 || json.Unmarshal([]byte(out), &jerr) != nil || !strings.Contains(jerr.Error, "invalid query") ||
		jerr.Pos == nil || *jerr.Pos != 9 || strings.Count(errs, "invalid query") != 1 {
		t.Errorf("search --json syntax error: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}

	// crawl: through the server, which finds nothing new.
	out, errs, code = e.run("crawl")
	if code != 0 || !strings.HasPrefix(out, "SOURCE") || !strings.Contains(out, "(crawled by the server at "+base) ||
		!strings.Contains(errs, "crawling through it") {
		t.Errorf("crawl beside serve: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	// --refetch and --max-new reach the server's crawl: one edition page downloaded again.
	out, errs, code = e.run("crawl", "--refetch", "--max-new", "1")
	if lines := strings.Split(out, "\n"); code != 0 || len(lines) < 2 || len(strings.Fields(lines[1])) < 3 || strings.Fields(lines[1])[2] != "1" {
		t.Errorf("crawl --refetch --max-new 1 beside serve: exit %d, want 1 page fetched\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(e.config), "data", "serve.json")); err != nil {
		t.Errorf("serve left no address for the CLI: %v", err)
	}
	log := stop()
	if !strings.Contains(log, "crawl started on request") || !strings.Contains(log, "refetch=true max_new=1") {
		t.Errorf("the server did not run the crawl:\n%s", log)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(e.config), "data", "serve.json")); !os.IsNotExist(err) {
		t.Errorf("serve.json left behind: %v", err)
	}
	// Without the server, search reads the index itself and says nothing of a server.
	out, errs, code = e.run("search", "--json", "--size", "5", "digital", "inclusion")
	var local hits
	if code != 0 || strings.Contains(errs+out, "running server") || json.Unmarshal([]byte(out), &local) != nil || fmt.Sprint(local) != fmt.Sprint(api) {
		t.Errorf("search after serve stopped: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
}

// TestStartupCrawlRetried: serve starts while the source's site is down;
// the start-up crawl fails with one error line for the host, the home page
// and /status say so and when it is tried again, and the retry succeeds
// once the site comes up.
func TestStartupCrawlRetried(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	siteAddr := freeAddr(t) // nothing listens there yet
	site := "http://" + siteAddr
	e := newEnvAt(t, nil, "retry_backoff = \"2s\"\n\n"+lgaSource(site+testsite.FeedPath, site+testsite.ListPath))

	served := startServed(t, e.bin, e.config, e.addr)
	base := served.base
	type status struct {
		Sources []struct {
			Running   bool      `json:"running"`
			RetryAt   time.Time `json:"retry_at"`
			Retries   int       `json:"retries"`
			LastCrawl *struct {
				Outcome     string   `json:"outcome"`
				Failed      int      `json:"failed"`
				Deferred    int      `json:"deferred"`
				Unreachable []string `json:"unreachable"`
				Editions    int      `json:"editions"`
			} `json:"last_crawl"`
		} `json:"sources"`
	}
	var st status
	get := func() bool {
		st = status{}
		code, body := httpDo(t, "GET", base+"/api/status", "")
		return code == 200 && json.Unmarshal(body, &st) == nil && len(st.Sources) == 1
	}
	waitFor(t, "the failed start-up crawl", func() bool {
		return get() && len(st.Sources) == 1 && st.Sources[0].LastCrawl != nil && !st.Sources[0].RetryAt.IsZero()
	})
	s := st.Sources[0]
	if c := s.LastCrawl; c.Outcome != "failed" || c.Failed != 1 || c.Deferred != 1 || len(c.Unreachable) != 1 || s.Retries != 1 {
		t.Errorf("after the failed start-up crawl: %+v, crawl %+v", s, *c)
	}
	_, home := httpDo(t, "GET", base+"/", "")
	if !bytes.Contains(home, []byte("No editions yet: the last crawl, at ")) || !bytes.Contains(home, []byte(siteAddr+" did not answer")) ||
		!bytes.Contains(home, []byte("It is tried again at ")) {
		t.Errorf("the home page does not say what happened:\n%s", home)
	}
	_, page := httpDo(t, "GET", base+"/status", "")
	if !bytes.Contains(page, []byte("Retry at <time")) || !bytes.Contains(page, []byte("(and 1 not tried: host unreachable)")) {
		t.Errorf("/status does not show the retry:\n%s", page)
	}

	// The site comes up; the retry (or the one after it) crawls it.
	ln, err := net.Listen("tcp", siteAddr)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: testsite.Handler()}
	go srv.Serve(ln)
	defer srv.Close()
	waitFor(t, "the retried crawl", func() bool {
		if !get() {
			return false
		}
		c := st.Sources[0].LastCrawl
		return c != nil && c.Outcome == "ok" && !st.Sources[0].Running
	})
	if s := st.Sources[0]; s.LastCrawl.Editions == 0 || s.Retries != 0 || !s.RetryAt.IsZero() {
		t.Errorf("after the site came up: %+v, crawl %+v", s, *s.LastCrawl)
	}
	_, home = httpDo(t, "GET", base+"/", "")
	if bytes.Contains(home, []byte("No editions yet")) || !bytes.Contains(home, []byte("LGA Cyber, Digital and Technology Bulletin - 25")) {
		t.Errorf("home page after the retry:\n%s", home)
	}
	// One error line per failed crawl for the unreachable host, and no warnings.
	log := served.logs.String()
	failedCrawls := strings.Count(log, `outcome=failed`)
	if n := strings.Count(log, "level=ERROR"); failedCrawls == 0 || n != failedCrawls || strings.Contains(log, "level=WARN") {
		t.Errorf("%d failed crawls, %d ERROR lines, want one each and no WARN:\n%s", failedCrawls, n, log)
	}
}

// TestDemo runs `bulletin demo` on a small generated archive: it prints the
// address to open, crawls the archive, serves pages and feeds on it, and
// stops on SIGINT.
func TestDemo(t *testing.T) {
	e2e(t, "builds and runs the binary")
	addr := freeAddr(t)
	dir := filepath.Join(t.TempDir(), "demo")
	cmd := exec.Command(binary(t), "demo", "--listen", addr, "--editions", "6", "--dir", dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb testenv.LogBuffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			cmd.Process.Kill()
			cmd.Wait()
		}
		if t.Failed() {
			t.Logf("demo log:\n%s", errb.String())
		}
	}()
	lines := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var first string
	select {
	case first = <-lines:
	case <-time.After(60 * time.Second):
		t.Fatal("demo printed no address")
	}
	want := "bulletin demo: open http://" + addr + "/"
	if first != want {
		t.Fatalf("demo printed %q, want %q", first, want)
	}
	base := "http://" + addr
	waitFor(t, "the demo's crawl", func() bool {
		code, body := httpDo(t, "GET", base+"/api/status", "")
		return code == 200 && bytes.Contains(body, []byte(`"outcome": "ok"`)) && bytes.Contains(body, []byte(`"running": false`))
	})
	code, home := httpDo(t, "GET", base+"/", "")
	if code != 200 || !regexp.MustCompile(`6 editions held`).Match(home) {
		t.Errorf("demo home page %d:\n%s", code, home)
	}
	code, atom := httpDo(t, "GET", base+"/feeds/lga-cdt.atom", "")
	f, err := gofeed.NewParser().ParseString(string(atom))
	if code != 200 || err != nil || len(f.Items) == 0 {
		t.Errorf("demo feed %d, %v", code, err)
	}
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		stopped = true
		if err != nil {
			t.Errorf("demo exited with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not stop on SIGINT")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still serving after SIGINT")
	}
	if !strings.Contains(errb.String(), `msg="shutting down`) || !strings.Contains(errb.String(), `msg=listening addr=`+addr) {
		t.Errorf("demo log lacks listening/shutdown lines:\n%s", errb.String())
	}
}
