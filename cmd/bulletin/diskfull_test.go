package main_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// mountTmpfs mounts a tmpfs of the given size at a new directory, or skips
// the test where mounting is impossible (not root, no mount permission).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s): the full-disk test needs root", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// fill writes a file until the file system is full.
func fill(t *testing.T, p string) {
	t.Helper()
	f, err := os.Create(p)
	if err != nil && !errors.Is(err, syscall.ENOSPC) {
		t.Fatal(err)
	}
	if f == nil {
		return
	}
	defer f.Close()
	buf := make([]byte, 1<<16)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}

// TestDiskFull runs serve on a data directory in a small tmpfs, fills the
// file system, and asks for a crawl: /readyz turns 503 saying the disk is
// full while /healthz stays 200 and pages are still served; once space is
// freed, the server is ready again by itself, with every item once.
func TestDiskFull(t *testing.T) {
	e2e(t, "builds the binary and crawls")
	fx := damageData(t)
	mnt := mountTmpfs(t, "48m")
	cfg, data, addr := fx.copyServe(t)
	// Move the copy into the tmpfs and point the config at it.
	small := filepath.Join(mnt, "data")
	if out, err := exec.Command("cp", "-a", data, small).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), data, small, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServed(t, binary(t), cfg, addr)
	waitFor(t, "ready", func() bool { code, _ := s.get("/readyz"); return code == 200 })
	before := len(s.allItemIDs())

	filler := filepath.Join(mnt, "filler")
	fill(t, filler)
	waitFor(t, "/readyz 503 on a full disk", func() bool {
		code, body := s.get("/readyz")
		return code == 503 && strings.Contains(string(body), "no space left")
	})
	if code, _ := s.get("/healthz"); code != 200 {
		t.Errorf("/healthz on a full disk: %d", code)
	}
	if code, body := s.get("/api/status"); code != 200 || !strings.Contains(string(body), "no space left") {
		t.Errorf("/api/status on a full disk: %d %s", code, body)
	}
	for _, p := range []string{"/", "/search?q=cyber", "/feeds/syn.rss", "/events.ics", "/api/search?q=council"} {
		if code, body := s.get(p); code != 200 {
			t.Errorf("GET %s on a full disk: %d %s", p, code, body)
		}
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "ready once space is back", func() bool { code, _ := s.get("/readyz"); return code == 200 })
	if after := len(s.allItemIDs()); after != before || after != fx.items {
		t.Errorf("%d items after the disk was full, %d before, want %d", after, before, fx.items)
	}
	if n := len(logLinesWith(s.logs.String(), "not ready: no space left")); n != 1 {
		t.Errorf("%d log lines saying the disk is full, want 1:\n%s", n, s.logs)
	}
}
