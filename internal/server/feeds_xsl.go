package server

import (
	_ "embed"
	"net/http"
)

// Paths of the stylesheets that show a feed opened in a browser as a page.
const (
	feedXSLPath = "/feed.xsl"
	feedCSSPath = "/feed.css"
)

// feedXSLDoc is the XSLT stylesheet RSS and Atom feeds name in
// <?xml-stylesheet?>; feedCSSDoc is the CSS of the page it makes (linked,
// not inline, as the Content-Security-Policy forbids inline style).
var (
	//go:embed feed.xsl
	feedXSLDoc []byte
	//go:embed feed.css
	feedCSSDoc []byte
)

// feedXSL serves the XSLT stylesheet. It changes only with the binary.
func (s *Server) feedXSL(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, "text/xsl; charset=utf-8", feedXSLDoc)
}

// feedCSS serves the CSS of a feed shown as a page.
func (s *Server) feedCSS(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, "text/css; charset=utf-8", feedCSSDoc)
}

func serveAsset(w http.ResponseWriter, typ string, b []byte) {
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(b)
}
