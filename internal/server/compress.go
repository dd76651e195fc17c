package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// etagSuffixes are what the compression wrapper appends inside the quotes of
// an ETag when it compresses a response: the compressed bytes are another
// representation, so they need another validator.
var etagSuffixes = []string{"-gzip", "-zstd"}

// compress encodes responses with gzip (or zstd, when the client prefers
// it) for clients whose Accept-Encoding asks for it, through
// github.com/klauspost/compress/gzhttp: bodies under 1 KiB and formats
// already compressed are sent as they are, and every response says
// Vary: Accept-Encoding. The ETag of a compressed response gets a suffix
// ("abc" becomes "abc-gzip"); a client that sends that ETag back in
// If-None-Match is answered as if it had sent the plain one, so conditional
// requests keep working with or without compression, and its 304 carries
// the ETag the client holds.
func compress(next http.Handler) (http.Handler, error) {
	wrap, err := gzhttp.NewWrapper(gzhttp.SuffixETag(etagSuffixes[0]))
	if err != nil {
		return nil, fmt.Errorf("compression: %w", err)
	}
	h := wrap(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if inm := r.Header.Get("If-None-Match"); inm != "" {
			if plain, suffix := plainETags(inm); plain != inm {
				r = r.Clone(r.Context())
				r.Header.Set("If-None-Match", plain)
				w = &suffixed304{ResponseWriter: w, suffix: suffix}
			}
		}
		h.ServeHTTP(w, r)
	}), nil
}

// plainETags removes the compression suffixes from the ETags of an
// If-None-Match list, and says which one it found (the last).
func plainETags(list string) (plain, suffix string) {
	for _, suf := range etagSuffixes {
		if strings.Contains(list, suf+`"`) {
			list, suffix = strings.ReplaceAll(list, suf+`"`, `"`), suf
		}
	}
	return list, suffix
}

// suffixed304 puts a compression suffix back on the ETag of a 304, which
// answers a client that holds the compressed representation.
type suffixed304 struct {
	http.ResponseWriter
	suffix string
}

func (w *suffixed304) WriteHeader(code int) {
	if etag := w.Header().Get("ETag"); code == http.StatusNotModified && strings.HasSuffix(etag, `"`) && !strings.HasSuffix(etag, w.suffix+`"`) {
		w.Header().Set("ETag", strings.TrimSuffix(etag, `"`)+w.suffix+`"`)
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *suffixed304) Unwrap() http.ResponseWriter { return w.ResponseWriter }
