package index_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/index"
)

// builtIndex writes the corpus into a new index, one edition per batch, and
// closes it; it returns the index directory.
func builtIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, ce := range loadCorpus(t) {
		if err := ix.PutEdition(ctx, ce.Edition, ce.Items); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// segments lists the segment files of the index's current state.
func segments(t *testing.T, dir string) []string {
	t.Helper()
	files, err := index.CurrentFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var zaps []string
	for _, f := range files {
		if strings.HasSuffix(f, ".zap") {
			zaps = append(zaps, f)
		}
	}
	if len(zaps) == 0 {
		t.Fatalf("no segment files in %s", dir)
	}
	return zaps
}

// TestOpenDamaged damages one file of a real index in each of the ways a
// disk, a crash or a careless operator does; Open must then fail with a
// *DamagedError naming that file, never open an older state of the index
// or panic. Every other file of the directory is left as it was.
func TestOpenDamaged(t *testing.T) {
	truncate := func(n int64) func(t *testing.T, p string) {
		return func(t *testing.T, p string) {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(p, min(n, fi.Size()/2)); err != nil {
				t.Fatal(err)
			}
		}
	}
	garbleN := func(from, n int) func(t *testing.T, p string) {
		return func(t *testing.T, p string) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			for j := from; j < min(from+n, len(b)); j++ {
				b[j] ^= 0x5a
			}
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	garble := func(at float64) func(t *testing.T, p string) {
		return func(t *testing.T, p string) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			i := int(float64(len(b)) * at)
			for j := i; j < min(i+64, len(b)); j++ {
				b[j] ^= 0x5a
			}
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	remove := func(t *testing.T, p string) {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name   string
		file   func(t *testing.T, dir string) string
		damage func(t *testing.T, p string)
	}{
		{"segment truncated", func(t *testing.T, d string) string { return segments(t, d)[0] }, truncate(1 << 30)},
		{"segment cut to nothing", func(t *testing.T, d string) string { return segments(t, d)[0] }, truncate(0)},
		{"segment garbled", func(t *testing.T, d string) string { return segments(t, d)[0] }, garble(0.3)},
		{"segment footer garbled", func(t *testing.T, d string) string { return segments(t, d)[0] }, garble(0.999)},
		{"segment deleted", func(t *testing.T, d string) string { return segments(t, d)[0] }, remove},
		{"root.bolt truncated", func(t *testing.T, d string) string { return filepath.Join(d, "store", "root.bolt") }, truncate(3 * 4096)},
		{"root.bolt header garbled", func(t *testing.T, d string) string { return filepath.Join(d, "store", "root.bolt") }, garble(0)},
		{"root.bolt meta pages garbled", func(t *testing.T, d string) string { return filepath.Join(d, "store", "root.bolt") }, garbleN(0, 8192)},
		{"root.bolt deleted", func(t *testing.T, d string) string { return filepath.Join(d, "store", "root.bolt") }, remove},
		{"mapping garbled", func(t *testing.T, d string) string { return filepath.Join(d, "index_meta.json") }, garble(0.2)},
		{"mapping deleted", func(t *testing.T, d string) string { return filepath.Join(d, "index_meta.json") }, remove},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := builtIndex(t)
			p := c.file(t, dir)
			c.damage(t, p)
			ix, err := index.Open(dir)
			if err == nil {
				ix.Close()
				t.Fatalf("Open of an index with %s succeeded", c.name)
			}
			var de *index.DamagedError
			if !errors.As(err, &de) || !errors.Is(err, index.ErrDamaged) {
				t.Fatalf("Open: %v, want a *DamagedError", err)
			}
			if de.File != p {
				t.Errorf("DamagedError names %s, want %s (%v)", de.File, p, err)
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name %s", err, p)
			}
			if errors.Is(err, index.ErrLocked) {
				t.Errorf("a damaged index reported as locked: %v", err)
			}
		})
	}
}

// TestOpenChecksAreNotFooled: an index that was only opened, written and
// closed many times (segments merged, old ones removed) passes the check.
func TestOpenChecksHealthyIndex(t *testing.T) {
	dir := builtIndex(t)
	for range 3 {
		ix, err := index.Open(dir)
		if err != nil {
			t.Fatalf("reopen a healthy index: %v", err)
		}
		for _, ce := range loadCorpus(t)[:1] {
			ce.Edition.Title += " (again)"
			if err := ix.PutEdition(ctx, ce.Edition, ce.Items); err != nil {
				t.Fatal(err)
			}
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
