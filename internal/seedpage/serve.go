package seedpage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

// Base stands in a generated page for the origin that serves it.
const Base = "{{BASE}}"

// AllowRead answers a request that is neither GET nor HEAD with 405 and
// reports whether the request may go on.
func AllowRead(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

// ServePage answers a GET or HEAD with a generated file as a GovDelivery
// archive does: Base in raw becomes the request's scheme and host, with a
// strong ETag of the result, Last-Modified modTime, a five-minute
// Cache-Control, and 304 to a conditional request that matches. It
// reports whether the request's If-None-Match named the ETag.
func ServePage(w http.ResponseWriter, r *http.Request, raw []byte, ctype string, modTime time.Time) (notModified bool) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	body := bytes.ReplaceAll(raw, []byte(Base), []byte(scheme+"://"+r.Host))
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "max-age=300")
	// ServeContent answers If-None-Match / If-Modified-Since with 304 and HEAD without a body.
	http.ServeContent(w, r, "", modTime, bytes.NewReader(body))
	return strings.Contains(r.Header.Get("If-None-Match"), etag)
}
