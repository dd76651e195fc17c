// Package urlclean removes mail-campaign tracking (utm_* parameters) from a
// URL's query. The parser (links in items) and discovery (edition
// addresses) share it so that both agree on what an address is.
//
// It imports nothing of this module.
package urlclean

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// StripUTM returns rawQuery without its utm_* parameters, keeping the others
// in their order, with white space left raw in it percent-encoded.
func StripUTM(rawQuery string) string {
	if rawQuery == "" {
		return ""
	}
	var keep []string
	for _, kv := range strings.Split(rawQuery, "&") {
		if kv == "" {
			continue
		}
		key, _, _ := strings.Cut(kv, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if strings.HasPrefix(strings.ToLower(key), "utm_") {
			continue
		}
		keep = append(keep, escapeSpaces(kv))
	}
	return strings.Join(keep, "&")
}

// escapeSpaces percent-encodes white space left raw in a query, so that the
// result neither ends in nor contains bare blanks.
func escapeSpaces(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) {
			for _, c := range []byte(string(r)) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
