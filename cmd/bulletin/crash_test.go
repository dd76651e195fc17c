package main_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/testsite"
)

// synthetic serves a GovDelivery-like account of many editions: each
// edition id serves one of the fixture pages (in turn, the bulletin of
// another series among them), listed on a paginated list page. It counts
// the edition pages it has served.
type synthetic struct {
	*httptest.Server
	ids    []string
	served atomic.Int64
}

const (
	synEditions = 40
	synPerPage  = 10
	synAccount  = "/accounts/SYN/bulletins"
)

func newSynthetic(t *testing.T) *synthetic {
	t.Helper()
	s := startSynthetic(synEditions)
	t.Cleanup(s.Close)
	return s
}

// startSynthetic starts a synthetic site of n editions; the caller closes it.
func startSynthetic(n int) *synthetic {
	fixtures := testsite.Editions()
	s := &synthetic{}
	byID := map[string]string{}
	for i := range n {
		id := fmt.Sprintf("4%06x", 0xa000+i)
		s.ids = append(s.ids, id)
		byID[id] = fixtures[i%len(fixtures)].Path
	}
	site := testsite.Handler()
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == synAccount:
			page := 1
			fmt.Sscan(r.URL.Query().Get("page"), &page)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<!doctype html><html><body><ul>")
			for _, id := range s.ids[min((page-1)*synPerPage, n):min(page*synPerPage, n)] {
				fmt.Fprintf(w, `<li><a href="%s/%s">Bulletin %s</a></li>`, synAccount, id, id)
			}
			fmt.Fprint(w, "</ul>")
			if page*synPerPage < n {
				fmt.Fprintf(w, `<a rel="next" href="%s?page=%d">Older</a>`, synAccount, page+1)
			}
			fmt.Fprint(w, "</body></html>")
		case strings.HasPrefix(r.URL.Path, synAccount+"/"):
			fixture, ok := byID[strings.TrimPrefix(r.URL.Path, synAccount+"/")]
			if !ok {
				http.NotFound(w, r)
				return
			}
			s.served.Add(1)
			r2 := r.Clone(r.Context())
			r2.URL.Path = fixture
			r2.Header.Del("If-None-Match")
			r2.Header.Del("If-Modified-Since")
			site.ServeHTTP(w, r2)
		default:
			http.NotFound(w, r)
		}
	}))
	return s
}

// config writes a config for the synthetic site with its own data directory.
func (s *synthetic) config(t *testing.T) (cfgPath, dataDir string) {
	t.Helper()
	dir := t.TempDir()
	cfgPath, dataDir = filepath.Join(dir, "bulletin.toml"), filepath.Join(dir, "data")
	cfg := fmt.Sprintf(`data_dir = %q
[[source]]
id = "syn"
title = "LGA Cyber, Digital and Technology Bulletin"
lists = ["%s%s"]
match = '(?i)cyber,?\s+digital\s+(and|&)\s+technology'
allow_private = true
delay = "5ms"
`, dataDir, s.URL, synAccount)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfgPath, dataDir
}

// indexState is what an index holds: per edition id, its item ids and
// titles in order; it is read after the process that wrote it has exited.
func indexState(t *testing.T, dataDir string) (map[string][]string, int) {
	t.Helper()
	idx, err := index.Open(filepath.Join(dataDir, "index"))
	if err != nil {
		t.Fatalf("open index after the crawl: %v", err)
	}
	defer idx.Close()
	ctx := context.Background()
	eds, err := idx.Editions(ctx, "syn")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, ed := range eds {
		items, err := idx.EditionItems(ctx, ed.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			out[ed.ID] = append(out[ed.ID], it.ID+" "+it.Title)
		}
		if len(items) != ed.ItemCount {
			t.Errorf("edition %s: %d items indexed, its record says %d", ed.ID, len(items), ed.ItemCount)
		}
	}
	st, err := idx.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Editions != len(eds) {
		t.Errorf("stats count %d editions, the list %d", st.Editions, len(eds))
	}
	return out, st.Items
}

func countItems(state map[string][]string) int {
	n := 0
	for _, items := range state {
		n += len(items)
	}
	return n
}

// runBin runs the binary to completion with these arguments.
func runBin(t *testing.T, bin string, args ...string) (string, string, int) {
	t.Helper()
	return (&env{t: t, bin: bin}).runRaw(args...)
}

// TestCrashSafety kills `bulletin crawl` with SIGKILL at random points of a
// crawl of 40 editions (after a random number of edition pages were served,
// plus a random few milliseconds, so that kills land in fetching, in
// writing snapshots and in indexing), each time on a fresh data directory,
// then crawls again. Every time the index then holds exactly what an
// uninterrupted crawl indexes — the same editions, the same item ids and
// titles, no duplicates — and `reindex` rebuilds the same from the
// snapshots. The seed is fixed, so a failure replays.
func TestCrashSafety(t *testing.T) {
	e2e(t, "builds the binary and crawls 40 editions many times")
	bin := binary(t)
	// The reference: one crawl that nobody interrupts.
	cfg, data := newSynthetic(t).config(t)
	if out, errs, code := runBin(t, bin, "--config", cfg, "crawl"); code != 0 {
		t.Fatalf("reference crawl: exit %d\n%s\n%s", code, out, errs)
	}
	want, wantItems := indexState(t, data)
	fixtures := testsite.Editions()
	wantEditions, wantFromFixtures := 0, 0
	for i := range synEditions {
		if f := fixtures[i%len(fixtures)]; f.Series {
			wantEditions++
			wantFromFixtures += len(f.Items)
		}
	}
	if len(want) != wantEditions || wantItems != wantFromFixtures || countItems(want) != wantItems {
		t.Fatalf("reference crawl indexed %d editions, %d items (%d listed); want %d and %d", len(want), wantItems, countItems(want), wantEditions, wantFromFixtures)
	}

	// The runs are drawn first, so that the seed decides them whatever the
	// order the parallel runs finish in.
	const runs = 24
	type plan struct {
		after int           // kill once this many edition pages were served,
		extra time.Duration // and this much later
	}
	rng := rand.New(rand.NewPCG(20240321, 1005))
	plans := make([]plan, runs)
	for i := range plans {
		plans[i] = plan{after: rng.IntN(synEditions - 2), extra: time.Duration(rng.IntN(25)) * time.Millisecond}
	}
	// Parallel subtests (go test's -parallel bounds how many at once), each
	// on a site and a data directory of its own; the group returns once all
	// have ended.
	var killed atomic.Int64
	t.Run("runs", func(t *testing.T) {
		for run, pl := range plans {
			t.Run(fmt.Sprintf("run%02d_after%d_plus%s", run, pl.after, pl.extra), func(t *testing.T) {
				t.Parallel()
				crashRun(t, bin, pl.after, pl.extra, want, wantItems, &killed)
			})
		}
	})
	t.Logf("%d of %d crawls killed mid-way", killed.Load(), runs)
	if killed.Load() < 20 {
		t.Errorf("only %d of %d crawls were killed before they ended, want at least 20", killed.Load(), runs)
	}
}

// crashRun is one run of TestCrashSafety, on a site and a data directory
// of its own.
func crashRun(t *testing.T, bin string, after int, extra time.Duration, want map[string][]string, wantItems int, killed *atomic.Int64) {
	site := newSynthetic(t)
	cfg, data := site.config(t)
	// A crawl, killed at the planned point.
	cmd := exec.Command(bin, "--config", cfg, "crawl")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// A backstop only: the crawl reaches its kill point in well under a
	// second on an idle machine, but far later on a loaded one under -race.
	const backstop = 2 * time.Minute
	deadline := time.After(backstop)
wait:
	for site.served.Load() < int64(after) {
		select {
		case <-exited:
			exited <- nil
			break wait
		case <-deadline:
			cmd.Process.Kill()
			<-exited // Wait has copied the last of stderr: errb is ours to read
			t.Fatalf("crawl served only %d pages in %s\n%s", site.served.Load(), backstop, errb.String())
		case <-time.After(time.Millisecond):
		}
	}
	time.Sleep(extra)
	if err := cmd.Process.Kill(); err == nil {
		if err := <-exited; err != nil && strings.Contains(err.Error(), "killed") {
			killed.Add(1)
		}
	} else {
		<-exited
	}

	// The next crawl finishes the work.
	if out, errs, code := runBin(t, bin, "--config", cfg, "crawl"); code != 0 {
		t.Fatalf("crawl after the kill: exit %d\n%s\n%s", code, out, errs)
	}
	got, items := indexState(t, data)
	if !maps.EqualFunc(got, want, slices.Equal) || items != wantItems {
		t.Fatalf("after the kill and a crawl: %d editions, %d items; want %d, %d\n%s", len(got), items, len(want), wantItems, diffState(got, want))
	}
	// A third crawl has nothing to do.
	if out, errs, code := runBin(t, bin, "--config", cfg, "crawl"); code != 0 || !strings.Contains(out, "syn") {
		t.Fatalf("third crawl: exit %d\n%s\n%s", code, out, errs)
	} else if f := fetchedColumn(t, out); f != 0 {
		t.Errorf("third crawl fetched %d edition pages, want 0\n%s", f, out)
	}
	// reindex agrees.
	if out, errs, code := runBin(t, bin, "--config", cfg, "reindex"); code != 0 {
		t.Fatalf("reindex: exit %d\n%s\n%s", code, out, errs)
	}
	got, items = indexState(t, data)
	if !maps.EqualFunc(got, want, slices.Equal) || items != wantItems {
		t.Fatalf("after reindex: %d editions, %d items; want %d, %d\n%s", len(got), items, len(want), wantItems, diffState(got, want))
	}
}

// fetchedColumn reads the FETCHED column of the summary table's row.
func fetchedColumn(t *testing.T, out string) int {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == "syn" {
			var n int
			fmt.Sscan(f[2], &n)
			return n
		}
	}
	t.Fatalf("no summary row in %q", out)
	return 0
}

func diffState(got, want map[string][]string) string {
	var b strings.Builder
	for id, w := range want {
		if g, ok := got[id]; !ok {
			fmt.Fprintf(&b, "missing edition %s\n", id)
		} else if !slices.Equal(g, w) {
			fmt.Fprintf(&b, "edition %s: items %q, want %q\n", id, g, w)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			fmt.Fprintf(&b, "unexpected edition %s\n", id)
		}
	}
	return b.String()
}
