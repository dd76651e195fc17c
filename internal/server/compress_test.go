package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestCompression: feeds, calendars, the OPML list and pages are gzipped
// when the client asks, to the same bytes as uncompressed; the ETag of the
// compressed form differs from the plain one, and either answers
// If-None-Match with 304.
func TestCompression(t *testing.T) {
	s, _ := feedsTestServer(t, nil)
	for _, target := range []string{"/feeds/lga-cdt.rss", "/feeds/lga-cdt.atom", "/feeds/lga-cdt.json", "/feeds/lga-cdt/editions.rss",
		"/events.ics", "/opml", "/", "/search?q=cyber", "/api/search?q=cyber"} {
		t.Run(target, func(t *testing.T) {
			plain := do(t, s, http.MethodGet, target, nil)
			if plain.Code != 200 || plain.Header().Get("Content-Encoding") != "" {
				t.Fatalf("plain: %d, Content-Encoding %q", plain.Code, plain.Header().Get("Content-Encoding"))
			}
			gz := do(t, s, http.MethodGet, target, map[string]string{"Accept-Encoding": "gzip"})
			if gz.Code != 200 || gz.Header().Get("Content-Encoding") != "gzip" {
				t.Fatalf("gzip: %d, Content-Encoding %q", gz.Code, gz.Header().Get("Content-Encoding"))
			}
			if !strings.Contains(strings.Join(gz.Header().Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("Vary %q lacks Accept-Encoding", gz.Header().Values("Vary"))
			}
			zr, err := gzip.NewReader(gz.Body)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if gz.Body.Len() >= len(body) {
				t.Errorf("compressed %d bytes, plain %d", gz.Body.Len(), len(body))
			}
			if !strings.HasPrefix(target, "/api/") && !strings.HasPrefix(target, "/search") && !bytes.Equal(body, plain.Body.Bytes()) {
				t.Errorf("decompressed body differs from the plain one")
			}
			etag, gzETag := plain.Header().Get("ETag"), gz.Header().Get("ETag")
			if etag == "" {
				return // pages and the API carry no validators
			}
			if gzETag == etag || !strings.HasSuffix(gzETag, `-gzip"`) {
				t.Errorf("ETag %s compressed, %s plain: want a -gzip suffix", gzETag, etag)
			}
			for _, c := range []struct{ enc, inm string }{{"gzip", gzETag}, {"gzip", etag}, {"", etag}, {"", gzETag}} {
				hdr := map[string]string{"If-None-Match": c.inm}
				if c.enc != "" {
					hdr["Accept-Encoding"] = c.enc
				}
				rec := do(t, s, http.MethodGet, target, hdr)
				if rec.Code != 304 {
					t.Errorf("Accept-Encoding %q, If-None-Match %s: %d, want 304", c.enc, c.inm, rec.Code)
				}
				if got := rec.Header().Get("ETag"); got != c.inm {
					t.Errorf("Accept-Encoding %q, If-None-Match %s: 304 with ETag %s, want the one the client holds", c.enc, c.inm, got)
				}
			}
			if rec := do(t, s, http.MethodGet, target, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": `"other-gzip"`}); rec.Code != 200 {
				t.Errorf("another ETag: %d, want 200", rec.Code)
			}
		})
	}
}
