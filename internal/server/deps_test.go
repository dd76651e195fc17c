package server

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoIngestDeps: the server speaks of crawls through run and schedule,
// never through the ingest pipeline or its libraries.
func TestNoIngestDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	banned := []string{"/internal/crawl", "/internal/fetch", "/internal/parse", "/internal/discover", "/internal/snapshot",
		"/internal/mailpage", "goquery", "bluemonday", "gofeed"}
	for _, dep := range strings.Fields(string(out)) {
		for _, b := range banned {
			if strings.HasSuffix(dep, b) || (strings.Contains(dep, b) && !strings.Contains(dep, "/internal/")) {
				t.Errorf("server depends on %s", dep)
			}
		}
	}
}
