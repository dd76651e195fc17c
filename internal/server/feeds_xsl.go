package server

import (
	_ "embed"
	"net/http"
)

// feedXSLPath is where the feeds' XSL stylesheet is served.
const feedXSLPath = "/feed.xsl"

// feedXSLDoc is the stylesheet RSS and Atom feeds name in <?xml-stylesheet?>,
// so that a feed opened in a browser reads as a page.
//
//go:embed feed.xsl
var feedXSLDoc []byte

// feedXSL serves the stylesheet. It changes only with the binary.
func (s *Server) feedXSL(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/xsl; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(feedXSLDoc)
}
