package server

import (
	"io"
	"strings"
	"testing"
)

func TestEmbedScript(t *testing.T) {
	f := newSearchFixture(t, "https://intranet.example/bulletins")
	resp := f.get(t, "/bulletins/embed.js")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") ||
		resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("embed.js: %d %v", resp.StatusCode, resp.Header)
	}
	for _, want := range []string{"data-bulletin-q", "/api/search?", "textContent"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("embed.js lacks %q", want)
		}
	}
	if strings.Contains(string(body), "innerHTML") {
		t.Error("embed.js must not insert HTML")
	}
	// The script's API call works cross-origin under the base path.
	api := f.get(t, "/bulletins/api/search?q=cyber&sort=date&size=5")
	if api.StatusCode != 200 || api.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("api for embed.js: %d %v", api.StatusCode, api.Header)
	}
}
