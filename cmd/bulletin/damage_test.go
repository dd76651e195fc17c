package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/index"
)

// damageFixture is a data directory built by crawling the synthetic site
// with the real binary, and what its index holds: the subtests damage
// copies of it.
type damageFixture struct {
	site  *synthetic
	data  string
	want  map[string][]string
	items int
}

// damageEditions is the size of the damage tests' site: two list pages.
const damageEditions = 14

var damaged struct {
	once sync.Once
	fx   *damageFixture
	err  string
}

// damageData crawls the synthetic site once per test binary run, into a
// directory that lives until every test has run.
func damageData(t *testing.T) *damageFixture {
	t.Helper()
	bin := binary(t)
	damaged.once.Do(func() {
		site := startSynthetic(damageEditions)
		atExit(site.Close)
		dir, err := os.MkdirTemp("", "bulletin-damage-")
		if err != nil {
			damaged.err = err.Error()
			return
		}
		atExit(func() { os.RemoveAll(dir) })
		data := filepath.Join(dir, "data")
		cfg := writeSynConfig(t, dir, data, site.URL, "127.0.0.1:0")
		if out, errs, code := runBin(t, bin, "--config", cfg, "crawl"); code != 0 {
			damaged.err = fmt.Sprintf("reference crawl: exit %d\n%s\n%s", code, out, errs)
			return
		}
		want, items := indexState(t, data)
		damaged.fx = &damageFixture{site: site, data: data, want: want, items: items}
	})
	if damaged.fx == nil {
		t.Fatal(damaged.err)
	}
	return damaged.fx
}

// writeSynConfig writes dir/bulletin.toml for the synthetic site at siteURL
// with the given data directory and listen address.
func writeSynConfig(t *testing.T, dir, data, siteURL, listen string) string {
	t.Helper()
	cfg := filepath.Join(dir, "bulletin.toml")
	body := fmt.Sprintf(`data_dir = %q
listen = %q
[[source]]
id = "syn"
title = "LGA Cyber, Digital and Technology Bulletin"
schedule = "@daily"
lists = ["%s%s"]
match = '(?i)cyber,?\s+digital\s+(and|&)\s+technology'
allow_private = true
delay = "1ms"
`, data, listen, siteURL, synAccount)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// copyData copies the fixture's data directory and writes a config that
// uses the copy; it returns the config path and the copy.
func (fx *damageFixture) copyData(t *testing.T) (cfg, data string) {
	t.Helper()
	cfg, data, _ = fx.copyServe(t)
	return cfg, data
}

// copyServe is copyData, and the address the config's serve listens on.
func (fx *damageFixture) copyServe(t *testing.T) (cfg, data, addr string) {
	t.Helper()
	dir := t.TempDir()
	data = filepath.Join(dir, "data")
	if out, err := exec.Command("cp", "-a", fx.data, data).CombinedOutput(); err != nil {
		t.Fatalf("copy data: %v\n%s", err, out)
	}
	addr = freeAddr(t)
	cfg = writeSynConfig(t, dir, data, fx.site.URL, addr)
	return cfg, data, addr
}

// editionMeta returns the meta file and the blob of the snapshot of an
// indexed edition (the n-th in URL order), with its URL and the URLs of
// every indexed edition whose page is the same blob (the synthetic site
// serves each fixture under several addresses), its own included.
func editionMeta(t *testing.T, data string, n int) (meta, blob, url string, sharing []string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(data, "snapshots", "meta", "syn", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	type snap struct{ meta, blob, url string }
	var eds []snap
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m struct{ Kind, URL, SHA256, Status string }
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if m.Kind == "edition" && m.Status == "indexed" {
			eds = append(eds, snap{f, filepath.Join(data, "snapshots", "blobs", m.SHA256[:2], m.SHA256), m.URL})
		}
	}
	slices.SortFunc(eds, func(a, b snap) int { return strings.Compare(a.url, b.url) })
	if n >= len(eds) {
		t.Fatalf("only %d indexed edition snapshots", len(eds))
	}
	for _, e := range eds {
		if e.blob == eds[n].blob {
			sharing = append(sharing, e.url)
		}
	}
	return eds[n].meta, eds[n].blob, eds[n].url, sharing
}

func garbleFile(t *testing.T, p string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(b) / 3; i < min(len(b)/3+48, len(b)); i++ {
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// currentSegment is a segment file the index's current state uses.
func currentSegment(t *testing.T, data string) string {
	t.Helper()
	files, err := index.CurrentFiles(filepath.Join(data, "index"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range slices.Backward(files) {
		if strings.HasSuffix(f, ".zap") {
			return f
		}
	}
	t.Fatal("no segment file")
	return ""
}

// logLinesWith returns the lines of a log that contain every string.
func logLinesWith(log string, subs ...string) []string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		ok := true
		for _, s := range subs {
			ok = ok && strings.Contains(l, s)
		}
		if ok {
			out = append(out, l)
		}
	}
	return out
}

// TestReindexDamagedSnapshots damages the kept pages of a real data
// directory; reindex then names each damaged file in one log line (file,
// edition URL, what is wrong), counts them, keeps the old index (which
// held more) and says what to run; --force swaps the smaller index in.
func TestReindexDamagedSnapshots(t *testing.T) {
	e2e(t, "builds the binary and crawls")
	fx := damageData(t)
	bin := binary(t)
	cases := []struct {
		name   string
		damage func(t *testing.T, data string) (file string, urls []string)
		what   string // in the log line
	}{
		{"meta garbled", func(t *testing.T, data string) (string, []string) {
			m, _, u, _ := editionMeta(t, data, 3)
			garbleFile(t, m)
			return m, []string{u}
		}, "meta file"},
		{"meta not JSON", func(t *testing.T, data string) (string, []string) {
			m, _, u, _ := editionMeta(t, data, 4)
			if err := os.WriteFile(m, []byte(`{"source": "syn", "ur`), 0o644); err != nil {
				t.Fatal(err)
			}
			return m, []string{u}
		}, "not valid JSON"},
		{"meta deleted", func(t *testing.T, data string) (string, []string) {
			m, _, u, _ := editionMeta(t, data, 5)
			if err := os.Remove(m); err != nil {
				t.Fatal(err)
			}
			return m, []string{u}
		}, "meta file missing"},
		{"blob garbled", func(t *testing.T, data string) (string, []string) {
			_, b, _, us := editionMeta(t, data, 7)
			garbleFile(t, b)
			return b, us
		}, "does not match its hash"},
		{"blob deleted", func(t *testing.T, data string) (string, []string) {
			_, b, _, us := editionMeta(t, data, 9)
			if err := os.Remove(b); err != nil {
				t.Fatal(err)
			}
			return b, us
		}, "no such file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cfg, data := fx.copyData(t)
			file, urls := c.damage(t, data)
			out, errs, code := runBin(t, bin, "--config", cfg, "reindex")
			if code != 1 {
				t.Fatalf("reindex: exit %d, want 1\n%s\n%s", code, out, errs)
			}
			for _, u := range urls {
				if lines := logLinesWith(errs, "file="+file, "url="+u+" ", c.what); len(lines) != 1 {
					t.Errorf("want one log line naming %s, %s and %q; stderr:\n%s", file, u, c.what, errs)
				}
			}
			if n := len(logLinesWith(errs, "level=ERROR", "cannot rebuild from snapshot")); n != len(urls) {
				t.Errorf("%d log lines about unreadable snapshots, want %d", n, len(urls))
			}
			if !strings.Contains(out, fmt.Sprintf("; %d unreadable snapshot(s)", len(urls))) {
				t.Errorf("the summary does not count %d damaged snapshot(s):\n%s", len(urls), out)
			}
			if !strings.Contains(errs, "kept the old index") || !strings.Contains(errs, "bulletin crawl --refetch") ||
				!strings.Contains(errs, "reindex --force") {
				t.Errorf("the error does not say the old index was kept and what to run:\n%s", errs)
			}
			if got, items := indexState(t, data); !maps.EqualFunc(got, fx.want, slices.Equal) || items != fx.items {
				t.Fatalf("the old index changed: %d editions, %d items; want %d, %d", len(got), items, len(fx.want), fx.items)
			}
			if _, err := os.Stat(filepath.Join(data, "index.new")); err == nil {
				t.Error("index.new left behind")
			}

			// --force swaps in the index without the damaged editions.
			out, errs, code = runBin(t, bin, "--config", cfg, "reindex", "--force")
			if code != 1 || !strings.Contains(errs, "the rebuilt index is in place") {
				t.Fatalf("reindex --force: exit %d\n%s\n%s", code, out, errs)
			}
			if got, _ := indexState(t, data); len(got) != len(fx.want)-len(urls) {
				t.Errorf("after reindex --force: %d editions, want %d", len(got), len(fx.want)-len(urls))
			}
		})
	}
}

// TestIndexDamage damages the index files of a real data directory: every
// command that opens the index then fails with a message naming the file
// and `bulletin reindex`, never a panic, and reindex brings every item back
// exactly once.
func TestIndexDamage(t *testing.T) {
	e2e(t, "builds the binary and crawls")
	fx := damageData(t)
	bin := binary(t)
	truncate := func(t *testing.T, p string) {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(p, fi.Size()/2); err != nil {
			t.Fatal(err)
		}
	}
	rootBolt := func(t *testing.T, data string) string { return filepath.Join(data, "index", "store", "root.bolt") }
	// Bolt keeps free pages in its file: damage that only hits them harms
	// nothing, so these hit the pages in use (the meta pages first).
	truncatePages := func(t *testing.T, p string) {
		if err := os.Truncate(p, 3*4096); err != nil {
			t.Fatal(err)
		}
	}
	garbleMeta := func(t *testing.T, p string) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := range min(len(b), 2*4096) {
			b[i] ^= 0x5a
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name   string
		file   func(t *testing.T, data string) string
		damage func(t *testing.T, p string)
	}{
		{"segment truncated", currentSegment, truncate},
		{"segment garbled", currentSegment, garbleFile},
		{"root.bolt truncated", rootBolt, truncatePages},
		{"root.bolt garbled", rootBolt, garbleMeta},
		{"mapping garbled", func(t *testing.T, data string) string { return filepath.Join(data, "index", "index_meta.json") }, garbleFile},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cfg, data := fx.copyData(t)
			p := c.file(t, data)
			c.damage(t, p)
			for _, args := range [][]string{{"search", "cyber"}, {"crawl"}} {
				out, errs, code := runBin(t, bin, append([]string{"--config", cfg}, args...)...)
				if code != 1 || !strings.Contains(errs, p) || !strings.Contains(errs, "bulletin reindex") ||
					strings.Contains(errs, "panic") || strings.Contains(errs, "stop it first") {
					t.Errorf("%s on a damaged index: exit %d, want 1 and a message naming %s and `bulletin reindex`\n%s\n%s", args[0], code, p, out, errs)
				}
			}
			out, errs, code := runBin(t, bin, "--config", cfg, "reindex")
			if code != 0 || !strings.Contains(errs, "damaged and will be replaced") {
				t.Fatalf("reindex of a damaged index: exit %d\n%s\n%s", code, out, errs)
			}
			if got, items := indexState(t, data); !maps.EqualFunc(got, fx.want, slices.Equal) || items != fx.items {
				t.Fatalf("after reindex: %d editions, %d items; want %d, %d\n%s", len(got), items, len(fx.want), fx.items, diffState(got, fx.want))
			}
		})
	}
}

// TestReindexLockedAndKilled: a reindex while another command holds the
// index says so without blaming a server that does not run; a reindex
// killed with SIGKILL at any point leaves an index holding every item
// exactly once, and the next reindex completes.
func TestReindexLockedAndKilled(t *testing.T) {
	e2e(t, "builds the binary and crawls")
	fx := damageData(t)
	bin := binary(t)
	t.Run("locked", func(t *testing.T) {
		t.Parallel()
		cfg, data := fx.copyData(t)
		ix, err := index.Open(filepath.Join(data, "index"))
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		out, errs, code := runBin(t, bin, "--config", cfg, "reindex")
		if code != 1 || !strings.Contains(errs, "in use by another process") || strings.Contains(errs, "serve") {
			t.Errorf("reindex of a held index: exit %d\n%s\n%s", code, out, errs)
		}
	})
	for i, delay := range []time.Duration{20 * time.Millisecond, 80 * time.Millisecond, 150 * time.Millisecond, 250 * time.Millisecond, 400 * time.Millisecond} {
		t.Run(fmt.Sprintf("kill%d_after_%s", i, delay), func(t *testing.T) {
			t.Parallel()
			cfg, data := fx.copyData(t)
			cmd := exec.Command(bin, "--config", cfg, "reindex")
			var errb bytes.Buffer
			cmd.Stderr = &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay)
			cmd.Process.Kill()
			cmd.Wait()
			if got, items := indexState(t, data); !maps.EqualFunc(got, fx.want, slices.Equal) || items != fx.items {
				t.Fatalf("after a killed reindex: %d editions, %d items; want %d, %d", len(got), items, len(fx.want), fx.items)
			}
			if out, errs, code := runBin(t, bin, "--config", cfg, "reindex"); code != 0 {
				t.Fatalf("reindex after the kill: exit %d\n%s\n%s", code, out, errs)
			}
			if got, items := indexState(t, data); !maps.EqualFunc(got, fx.want, slices.Equal) || items != fx.items {
				t.Fatalf("after the next reindex: %d editions, %d items; want %d, %d", len(got), items, len(fx.want), fx.items)
			}
		})
	}
}
