package discover

import (
	"net/url"
	"strings"

	"github.com/lga-digital/bulletin/internal/urlclean"
)

// Merge merges candidate lists, deduplicating by normalised URL (see
// NormaliseURL). Order is first appearance; the URL and From of the first
// occurrence win, and Title, Published and Body are the first non-empty ones
// seen.
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
			if out[i].Body == nil {
				out[i].Body = c.Body
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
	u.RawQuery = urlclean.StripUTM(u.RawQuery)
	u.ForceQuery = false
	return u.String()
}
