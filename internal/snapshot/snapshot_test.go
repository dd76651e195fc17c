package snapshot_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/snapshot"
)

const base = "https://content.govdelivery.com/accounts/UKLGA/bulletins/"

func open(t *testing.T) (*snapshot.Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "snapshots")
	s, err := snapshot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func hash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func metaFile(dir, source, url string) string {
	sum := sha256.Sum256([]byte(url))
	return filepath.Join(dir, "meta", source, hex.EncodeToString(sum[:8])+".json")
}

func edition(url string) snapshot.Meta {
	return snapshot.Meta{
		Source:       "lga-cdt",
		Kind:         snapshot.KindEdition,
		URL:          url,
		ContentType:  "text/html; charset=utf-8",
		ETag:         `"abc"`,
		LastModified: "Thu, 21 Mar 2024 10:05:00 GMT",
		FetchedAt:    time.Date(2024, 3, 21, 10, 6, 0, 0, time.UTC),
		Status:       "indexed",
	}
}

func TestPutGetBody(t *testing.T) {
	ctx := t.Context()
	s, dir := open(t)
	body := []byte("<html><h1 class=bulletin_subject>LGA Cyber, Digital and Technology Bulletin - 19</h1></html>")
	in := edition(base + "392f025")

	got, err := s.Put(ctx, in, body)
	if err != nil {
		t.Fatal(err)
	}
	want := in
	want.SHA256 = hash(body)
	if got != want {
		t.Errorf("Put returned %+v, want %+v", got, want)
	}
	for _, p := range []string{
		filepath.Join(dir, "blobs", want.SHA256[:2], want.SHA256),
		metaFile(dir, "lga-cdt", in.URL),
	} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("layout: %v", err)
		}
	}

	m, ok, err := s.Get(ctx, "lga-cdt", in.URL)
	if err != nil || !ok {
		t.Fatalf("Get = %v, %v", ok, err)
	}
	if !m.FetchedAt.Equal(want.FetchedAt) {
		t.Errorf("FetchedAt %v, want %v", m.FetchedAt, want.FetchedAt)
	}
	m.FetchedAt = want.FetchedAt
	if m != want {
		t.Errorf("Get = %+v, want %+v", m, want)
	}
	b, err := s.Body(ctx, m)
	if err != nil || string(b) != string(body) {
		t.Errorf("Body = %q, %v", b, err)
	}

	// Other URL, other source: not found.
	for _, q := range [][2]string{{"lga-cdt", base + "3bf5353"}, {"other", in.URL}} {
		if _, ok, err := s.Get(ctx, q[0], q[1]); ok || err != nil {
			t.Errorf("Get(%q, %q) = %v, %v; want not found", q[0], q[1], ok, err)
		}
	}
}

func TestSameBodyOneBlob(t *testing.T) {
	ctx := t.Context()
	s, dir := open(t)
	body := []byte("same page")
	for _, id := range []string{"392f025", "3bf5353"} {
		if _, err := s.Put(ctx, edition(base+id), body); err != nil {
			t.Fatal(err)
		}
	}
	var blobs int
	filepath.WalkDir(filepath.Join(dir, "blobs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			blobs++
		}
		return nil
	})
	if blobs != 1 {
		t.Errorf("%d blobs, want 1", blobs)
	}
}

func TestEmptyBody(t *testing.T) {
	s, _ := open(t)
	m, err := s.Put(t.Context(), edition(base+"dead"), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Body(t.Context(), m)
	if err != nil || len(b) != 0 {
		t.Errorf("Body = %q, %v", b, err)
	}
}

func TestUpdateMeta(t *testing.T) {
	ctx := t.Context()
	s, _ := open(t)
	m, err := s.Put(ctx, edition(base+"392f025"), []byte("page"))
	if err != nil {
		t.Fatal(err)
	}
	m.Status, m.Note = snapshot.StatusSkipped, "does not match"
	m.ETag = `"new"`
	if err := s.UpdateMeta(ctx, m); err != nil {
		t.Fatal(err)
	}
	got, _, err := s.Get(ctx, m.Source, m.URL)
	if err != nil || got.Status != m.Status || got.Note != m.Note || got.ETag != m.ETag || got.SHA256 != m.SHA256 {
		t.Errorf("after UpdateMeta: %+v, %v", got, err)
	}

	bad := []struct {
		name string
		mod  func(*snapshot.Meta)
	}{
		{"no blob", func(m *snapshot.Meta) { m.SHA256 = hash([]byte("never stored")) }},
		{"bad sha", func(m *snapshot.Meta) { m.SHA256 = "../../etc/passwd" }},
		{"no sha", func(m *snapshot.Meta) { m.SHA256 = "" }},
		{"bad source", func(m *snapshot.Meta) { m.Source = "../x" }},
		{"no URL", func(m *snapshot.Meta) { m.URL = "" }},
		{"no kind", func(m *snapshot.Meta) { m.Kind = "" }},
	}
	for _, tt := range bad {
		mm := m
		tt.mod(&mm)
		if err := s.UpdateMeta(ctx, mm); err == nil {
			t.Errorf("%s: UpdateMeta accepted %+v", tt.name, mm)
		}
	}
}

func TestInvalidInput(t *testing.T) {
	ctx := t.Context()
	s, dir := open(t)
	for _, src := range []string{"", ".", "..", "../up", "a/b", `a\b`, ".hidden", strings.Repeat("x", 101)} {
		m := edition(base + "1")
		m.Source = src
		if _, err := s.Put(ctx, m, []byte("x")); err == nil {
			t.Errorf("Put accepted source %q", src)
		}
		if _, _, err := s.Get(ctx, src, m.URL); err == nil {
			t.Errorf("Get accepted source %q", src)
		}
		if src != "" {
			if _, err := s.List(ctx, src, ""); err == nil {
				t.Errorf("List accepted source %q", src)
			}
		}
	}
	if _, err := s.Body(ctx, snapshot.Meta{URL: "x", SHA256: "../../../etc/passwd"}); err == nil {
		t.Error("Body accepted a path as hash")
	}
	if _, err := os.Stat(filepath.Join(dir, "up")); err == nil {
		t.Error("a write escaped the store")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Put(cancelled, edition(base+"1"), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with cancelled context: %v", err)
	}
}

func TestList(t *testing.T) {
	ctx := t.Context()
	s, _ := open(t)
	puts := []snapshot.Meta{
		{Source: "lga-cdt", Kind: snapshot.KindEdition, URL: base + "3bf5353"},
		{Source: "lga-cdt", Kind: snapshot.KindFeed, URL: "https://content.govdelivery.com/accounts/UKLGA/bulletins.rss"},
		{Source: "lga-cdt", Kind: snapshot.KindEdition, URL: base + "392f025"},
		{Source: "lga-cdt", Kind: snapshot.KindList, URL: "https://content.govdelivery.com/accounts/UKLGA/bulletins"},
		{Source: "other", Kind: snapshot.KindEdition, URL: base + "356f089"},
		{Source: "other", Kind: snapshot.KindEdition, URL: base + "392f025"},
	}
	for i, m := range puts {
		if _, err := s.Put(ctx, m, fmt.Appendf(nil, "body %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	key := func(ms []snapshot.Meta) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Source+" "+strings.TrimPrefix(m.URL, "https://content.govdelivery.com/accounts/UKLGA/"))
		}
		return out
	}
	tests := []struct {
		source string
		kind   snapshot.Kind
		want   []string
	}{
		{"lga-cdt", snapshot.KindEdition, []string{"lga-cdt bulletins/392f025", "lga-cdt bulletins/3bf5353"}},
		{"lga-cdt", "", []string{"lga-cdt bulletins", "lga-cdt bulletins.rss", "lga-cdt bulletins/392f025", "lga-cdt bulletins/3bf5353"}},
		{"lga-cdt", snapshot.KindFeed, []string{"lga-cdt bulletins.rss"}},
		{"", snapshot.KindEdition, []string{"other bulletins/356f089", "lga-cdt bulletins/392f025", "other bulletins/392f025", "lga-cdt bulletins/3bf5353"}},
		{"nobody", "", nil},
	}
	for _, tt := range tests {
		got, err := s.List(ctx, tt.source, tt.kind)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(key(got), tt.want) {
			t.Errorf("List(%q, %q) = %q, want %q", tt.source, tt.kind, key(got), tt.want)
		}
		for _, m := range got {
			if _, err := s.Body(ctx, m); err != nil {
				t.Errorf("Body(%s): %v", m.URL, err)
			}
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.List(cancelled, "", ""); !errors.Is(err, context.Canceled) {
		t.Errorf("List with cancelled context: %v", err)
	}
}

func TestCorruptBlob(t *testing.T) {
	ctx := t.Context()
	s, dir := open(t)
	body := []byte("the original page")
	m, err := s.Put(ctx, edition(base+"392f025"), body)
	if err != nil {
		t.Fatal(err)
	}
	blob := filepath.Join(dir, "blobs", m.SHA256[:2], m.SHA256)
	for name, damage := range map[string][]byte{
		"flipped": []byte("the 0riginal page"),
		"short":   []byte("the orig"),
		"empty":   nil,
	} {
		if err := os.WriteFile(blob, damage, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Body(ctx, m); !errors.Is(err, snapshot.ErrCorrupt) {
			t.Errorf("%s blob: Body err = %v, want ErrCorrupt", name, err)
		}
	}
	os.Remove(blob)
	if _, err := s.Body(ctx, m); err == nil || errors.Is(err, snapshot.ErrCorrupt) {
		t.Errorf("missing blob: %v, want a not-found error", err)
	}
	// Storing the same page again repairs the blob.
	os.WriteFile(blob, []byte("junk"), 0o644)
	if _, err := s.Put(ctx, edition(base+"3bf5353"), body); err != nil {
		t.Fatal(err)
	}
	if b, err := s.Body(ctx, m); err != nil || string(b) != string(body) {
		t.Errorf("after repair: %q, %v", b, err)
	}
}

func TestCorruptMeta(t *testing.T) {
	ctx := t.Context()
	s, dir := open(t)
	good, bad := edition(base+"392f025"), edition(base+"3bf5353")
	for _, m := range []snapshot.Meta{good, bad} {
		if _, err := s.Put(ctx, m, []byte(m.URL)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(metaFile(dir, bad.Source, bad.URL), []byte(`{"source":"lga-cdt","ur`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get(ctx, bad.Source, bad.URL); !errors.Is(err, snapshot.ErrCorrupt) {
		t.Errorf("Get of damaged meta: %v, want ErrCorrupt", err)
	}
	got, err := s.List(ctx, "", "")
	if !errors.Is(err, snapshot.ErrCorrupt) {
		t.Errorf("List err = %v, want ErrCorrupt", err)
	}
	if len(got) != 1 || got[0].URL != good.URL {
		t.Errorf("List kept %+v, want the sound meta", got)
	}
}

// A crashed writer leaves a temporary file holding part of a meta or blob.
// Readers must not see it; Open and List remove it once stale.
func TestCrashLeftovers(t *testing.T) {
	ctx := t.Context()
	s, dir := open(t)
	m, err := s.Put(ctx, edition(base+"392f025"), []byte("old page"))
	if err != nil {
		t.Fatal(err)
	}
	newer := m
	newer.Status, newer.Note = snapshot.StatusParseError, "no body"
	full, _ := os.ReadFile(metaFile(dir, m.Source, m.URL))
	torn := full[:len(full)/2]

	metaDir := filepath.Dir(metaFile(dir, m.Source, m.URL))
	old := time.Now().Add(-time.Hour)
	leftovers := map[string]bool{ // path → stale
		filepath.Join(metaDir, ".tmp-123"):                        true,
		filepath.Join(metaDir, ".tmp-456"):                        false,
		filepath.Join(dir, "blobs", m.SHA256[:2], ".tmp-789"):     true,
		filepath.Join(dir, "blobs", "ff", ".tmp-000"):             true,
		filepath.Join(metaDir, ".tmp-stale-but-named.json"):       true,
		filepath.Join(dir, "meta", "other", ".tmp-in-new-source"): true,
	}
	for p, stale := range leftovers {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, torn, 0o644); err != nil {
			t.Fatal(err)
		}
		if stale {
			os.Chtimes(p, old, old)
		}
	}

	check := func(stage string) {
		t.Helper()
		got, ok, err := s.Get(ctx, m.Source, m.URL)
		if err != nil || !ok || got.Status != m.Status {
			t.Errorf("%s: Get = %+v, %v, %v; want the old meta", stage, got, ok, err)
		}
		list, err := s.List(ctx, "", "")
		if err != nil || len(list) != 1 || list[0].URL != m.URL {
			t.Errorf("%s: List = %+v, %v", stage, list, err)
		}
	}
	check("before reopen")
	for p, stale := range leftovers {
		if strings.Contains(p, string(filepath.Separator)+"blobs"+string(filepath.Separator)) {
			stale = false // List reads only meta directories
		}
		if _, err := os.Stat(p); (err == nil) == stale {
			t.Errorf("after List: %s exists=%v, stale=%v", p, err == nil, stale)
		}
	}

	// Open sweeps every directory, blobs included.
	for p, stale := range leftovers {
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, torn, 0o644)
		if stale {
			os.Chtimes(p, old, old)
		}
	}
	s, err = snapshot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	check("after reopen")
	for p, stale := range leftovers {
		if _, err := os.Stat(p); (err == nil) == stale {
			t.Errorf("after Open: %s exists=%v, stale=%v", p, err == nil, stale)
		}
	}

	// And a real update still lands.
	if err := s.UpdateMeta(ctx, newer); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Get(ctx, m.Source, m.URL); got.Status != newer.Status {
		t.Errorf("after UpdateMeta: %q", got.Status)
	}
}

// Readers racing a writer see either the old or the new meta, never a
// partial one.
func TestConcurrentUpdatesAreAtomic(t *testing.T) {
	ctx := t.Context()
	s, _ := open(t)
	m, err := s.Put(ctx, edition(base+"392f025"), []byte("page"))
	if err != nil {
		t.Fatal(err)
	}
	statuses := []snapshot.Meta{{Status: snapshot.StatusIndexed}, {Status: snapshot.StatusSkipped, Note: "does not match " + strings.Repeat("long ", 2000)},
		{Status: snapshot.StatusParseError, Note: "x"}}
	valid := map[string]bool{}
	for _, st := range append(statuses, m) {
		valid[string(st.Status)+"\x00"+st.Note] = true
	}

	const rounds = 200
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range rounds {
			mm := m
			mm.Status, mm.Note = statuses[i%len(statuses)].Status, statuses[i%len(statuses)].Note
			if err := s.UpdateMeta(ctx, mm); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for range 4 {
		wg.Go(func() {
			for range rounds {
				got, ok, err := s.Get(ctx, m.Source, m.URL)
				if err != nil || !ok || !valid[string(got.Status)+"\x00"+got.Note] {
					t.Errorf("torn read: %v %v %.40q", ok, err, got.Status)
					return
				}
				list, err := s.List(ctx, m.Source, "")
				if err != nil || len(list) != 1 {
					t.Errorf("List during writes: %d metas, %v", len(list), err)
					return
				}
			}
		})
	}
	wg.Wait()
}
