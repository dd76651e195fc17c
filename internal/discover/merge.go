package discover

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// Merge merges candidate lists, deduplicating by normalised URL (see
// NormaliseURL). Order is first appearance; the URL and From of the first
// occurrence win, and Title and Published are the first non-empty ones seen.
func Merge(lists ...[]Candidate) []Candidate {
	var out []Candidate
	at := map[string]int{}
	for _, list := range lists {
		for _, c := range list {
			c.URL = NormaliseURL(c.URL)
			if c.URL == "" {
				continue
			}
			i, seen := at[c.URL]
			if !seen {
				at[c.URL] = len(out)
				out = append(out, c)
				continue
			}
			if out[i].Title == "" {
				out[i].Title = c.Title
			}
			if out[i].Published.IsZero() {
				out[i].Published = c.Published
			}
		}
	}
	return out
}

// NormaliseURL gives the form of a URL used to compare and store it: scheme
// and host lower-case, no default port, no fragment, no utm_* parameters,
// "/" for an empty path. A string that does not parse is returned trimmed.
func NormaliseURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if port := u.Port(); (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		u.Host = strings.TrimSuffix(u.Host, ":"+port)
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" && u.RawPath == "" && u.Opaque == "" {
		u.Path = "/"
	}
	if u.RawQuery != "" {
		var keep []string
		for _, kv := range strings.Split(u.RawQuery, "&") {
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
		u.RawQuery = strings.Join(keep, "&")
	}
	u.ForceQuery = false
	return u.String()
}

// escapeSpaces percent-encodes white space left raw in a query, so that the
// normalised form neither ends in nor contains bare blanks.
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
