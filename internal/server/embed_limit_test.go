package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestEmbedLimit checks that /embed takes limit= (the and embed.js's
// name) as well as size= for the number of results, and that its links
// carry neither into the full search page.
func TestEmbedLimit(t *testing.T) {
	f := newSearchFixture(t, "")
	tests := []struct {
		target string
		status int
		hits   int
	}{
		{"/embed?q=council", http.StatusOK, 20}, // the search page's default
		{"/embed?q=council&limit=5", http.StatusOK, 5},
		{"/embed?q=council&limit=1", http.StatusOK, 1},
		{"/embed?q=council&size=3", http.StatusOK, 3},
		{"/embed?q=council&size=3&limit=5", http.StatusOK, 3}, // size wins
		{"/embed?q=council&limit=0", http.StatusBadRequest, 0},
		{"/embed?q=council&limit=many", http.StatusBadRequest, 0},
		{"/embed?q=council&limit=101", http.StatusBadRequest, 0},
		{"/search?q=council&limit=5", http.StatusOK, 20}, // only /embed knows limit
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			doc := f.page(t, tt.target, tt.status)
			if n := doc.Find("ol.hits > li").Length(); n != tt.hits {
				t.Errorf("%d hits, want %d", n, tt.hits)
			}
			if tt.status != http.StatusOK || !strings.HasPrefix(tt.target, "/embed") {
				return
			}
			full := doc.Find(`a[href^="http://bulletin.test/search?"]`).First().AttrOr("href", "")
			if got := local(t, full); got != "/search?q=council" {
				t.Errorf("the link to all results is %s", got)
			}
		})
	}
}
