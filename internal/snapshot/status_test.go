package snapshot_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/internal/snapshot"
)

// TestLegacyStatus reads meta files written before statuses were typed
// (testdata/legacy-meta: the status was one free-text string) and checks
// each reads as a typed status and a note, by Get and by List, and is
// written back in the new form.
func TestLegacyStatus(t *testing.T) {
	want := map[string]struct {
		status snapshot.Status
		note   string
	}{
		"parse-error":   {snapshot.StatusParseError, "parse: no article found in the body"},
		"skipped":       {snapshot.StatusSkipped, "subject and masthead do not match"},
		"imported":      {snapshot.StatusFetched, "imported from bulletin-25.eml"},
		"list-complete": {snapshot.StatusListComplete, "every listed edition handled"},
		"indexed":       {snapshot.StatusIndexed, ""},
		"fetched":       {snapshot.StatusFetched, ""},
		"head":          {snapshot.StatusHead, ""},
		// A status no version of bulletin wrote stays as it is: no
		// predicate takes it for done, so the crawl works on the page again.
		"unknown": {"some status of a later version: with words", ""},
	}
	files, err := filepath.Glob("testdata/legacy-meta/*.json")
	if err != nil || len(files) != len(want) {
		t.Fatalf("%d legacy meta files (%v), want %d", len(files), err, len(want))
	}
	ctx := t.Context()
	s, dir := open(t)
	urls := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var raw struct{ Source, URL, SHA256 string }
		if err := json.Unmarshal(b, &raw); err != nil {
			t.Fatal(err)
		}
		p := metaFile(dir, raw.Source, raw.URL)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		urls[raw.URL] = strings.TrimSuffix(filepath.Base(f), ".json")
		// The blob the meta names, for UpdateMeta to find.
		blob := filepath.Join(dir, "blobs", raw.SHA256[:2], raw.SHA256)
		if err := os.MkdirAll(filepath.Dir(blob), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(blob, []byte("page"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for url, name := range urls {
		t.Run(name, func(t *testing.T) {
			m, ok, err := s.Get(ctx, "lga-cdt", url)
			if err != nil || !ok {
				t.Fatalf("Get: %v, %v", ok, err)
			}
			if w := want[name]; m.Status != w.status || m.Note != w.note {
				t.Errorf("status %q, note %q; want %q, %q", m.Status, m.Note, w.status, w.note)
			}
			// Written again, it takes the new form, and reads the same.
			if err := s.UpdateMeta(ctx, m); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(metaFile(dir, "lga-cdt", url))
			if err != nil {
				t.Fatal(err)
			}
			var onDisk struct{ Status, Note string }
			if err := json.Unmarshal(b, &onDisk); err != nil || onDisk.Status != string(m.Status) || onDisk.Note != m.Note {
				t.Errorf("written as %s", b)
			}
			again, _, err := s.Get(ctx, "lga-cdt", url)
			if err != nil || again.Status != m.Status || again.Note != m.Note {
				t.Errorf("after UpdateMeta: %q, %q, %v", again.Status, again.Note, err)
			}
		})
	}
	list, err := s.List(ctx, "lga-cdt", "")
	if err != nil || len(list) != len(want) {
		t.Fatalf("List: %d, %v", len(list), err)
	}
	for _, m := range list {
		if w := want[urls[m.URL]]; m.Status != w.status || m.Note != w.note {
			t.Errorf("List: %s: status %q, note %q; want %q, %q", urls[m.URL], m.Status, m.Note, w.status, w.note)
		}
	}
}
