package testsite

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
)

// TestSiteIsGenerated keeps the committed site equal to what go generate
// writes: every file generated, byte for byte, and no file left over.
// After changing generate.go or topic.go, run go generate ./internal/testsite.
func TestSiteIsGenerated(t *testing.T) {
	want := Files()
	seen := map[string]bool{}
	err := fs.WalkDir(siteFS, "site", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := strings.TrimPrefix(p, "site/")
		seen[name] = true
		got, err := fs.ReadFile(siteFS, p)
		if err != nil {
			return err
		}
		w, ok := want[name]
		switch {
		case !ok:
			t.Errorf("site/%s is not generated: delete it", name)
		case !bytes.Equal(got, w):
			t.Errorf("site/%s differs from what go generate writes: run go generate ./internal/testsite", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("site/%s is generated but not committed: run go generate ./internal/testsite", name)
		}
	}
}

// TestFixturesMatchPages checks the metadata against the pages it came
// with: the windows-1252 page has its curly quotes as single bytes, and
// every item title stands in its page.
func TestFixturesMatchPages(t *testing.T) {
	files := Files()
	page := files["accounts/UKLGA/bulletins/3615c15.html"]
	for _, b := range []byte{0x92, 0x93, 0x94} {
		if !bytes.Contains(page, []byte{b}) {
			t.Errorf("3615c15: no windows-1252 byte %#x", b)
		}
	}
	for _, f := range Editions() {
		p := string(files["accounts/UKLGA/bulletins/"+f.ID+".html"])
		if f.ID == "3615c15" {
			continue // windows-1252
		}
		for _, it := range f.Items {
			if !strings.Contains(p, esc(it)) {
				t.Errorf("%s: item %q not in the page", f.ID, it)
			}
		}
	}
}
