package server

import (
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/internal/testenv"
)

// TestNoIngestDeps: the server speaks of crawls through run and schedule,
// never through the ingest pipeline or its libraries.
func TestNoIngestDeps(t *testing.T) {
	banned := []string{"/internal/crawl", "/internal/fetch", "/internal/parse", "/internal/discover", "/internal/snapshot",
		"/internal/mailpage", "goquery", "bluemonday", "gofeed"}
	for _, dep := range testenv.Deps(t, ".") {
		for _, b := range banned {
			if strings.HasSuffix(dep, b) || (strings.Contains(dep, b) && !strings.Contains(dep, "/internal/")) {
				t.Errorf("server depends on %s", dep)
			}
		}
	}
}
