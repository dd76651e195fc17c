package server

import (
	_ "embed"
	"net/http"
)

// feedCSSPath is the stylesheet RSS and Atom feeds name in
// <?xml-stylesheet type="text/css"?>, so that a browser shows a feed as a
// page. CSS on XML is a plain, long-standing browser feature (not XSLT,
// which browsers are removing): the browser lays out the feed's own
// elements, so readers and browsers get the same bytes.
const feedCSSPath = "/feed.css"

// feedCSSDoc is feed.css.
//
//go:embed feed.css
var feedCSSDoc []byte

// feedCSS serves the feeds' stylesheet. It changes only with the binary.
func (s *Server) feedCSS(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, "text/css; charset=utf-8", feedCSSDoc)
}

func serveAsset(w http.ResponseWriter, typ string, b []byte) {
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(b)
}
