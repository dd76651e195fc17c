package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/internal/cli"
	"github.com/lga-digital/bulletin/internal/corpus"
)

func TestGenCorpus(t *testing.T) {
	getenv := func(string) string { return "" }
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no out", []string{"gen-corpus", "--editions", "3"}, 2, "--out DIR is required"},
		{"too many", []string{"gen-corpus", "--out", "x", "--editions", "100001"}, 2, "editions must be 1 to 100000"},
		{"argument", []string{"gen-corpus", "--out", "x", "extra"}, 2, "takes no arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := cli.Main(tc.args, &out, &errb, getenv); code != tc.code || !strings.Contains(errb.String(), tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errb.String(), tc.code, tc.stderr)
			}
		})
	}

	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := cli.Main([]string{"gen-corpus", "--out", dir, "--editions", "60", "--seed", "4", "--per-page", "25"}, &out, &errb, getenv); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m corpus.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	c, _ := corpus.New(corpus.Options{Editions: 60, Seed: 4})
	if m.Editions != 61 || m.Series != 60 || m.Items != c.Items() || !strings.Contains(out.String(), "wrote 61 editions (60 of the series") {
		t.Errorf("manifest %+v, stdout %q", m, out.String())
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "accounts", "UKLGA", "bulletins", "*.html"))
	lists, _ := filepath.Glob(filepath.Join(dir, "accounts", "UKLGA", "bulletins*.html"))
	if len(pages) != 61 || len(lists) != 3 {
		t.Errorf("%d edition pages, %d list pages; want 61 and 3", len(pages), len(lists))
	}
}
