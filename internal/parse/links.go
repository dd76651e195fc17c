package parse

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/lga-digital/bulletin/internal/urlclean"
)

// maxUnwrap bounds how many tracking wrappers (lnks.gd, safelinks…) one
// link may have peeled off: a wrapper may wrap another, never endlessly.
const maxUnwrap = 3

// CleanURL resolves href against base and returns the absolute address a
// reader should see: mail-tracker wrappers (lnks.gd, links.govdelivery.com)
// unwrapped to their target, utm_* parameters removed. It returns "" for
// links that are not http(s) or mailto, or do not parse.
func CleanURL(base *url.URL, href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	u, ok := simpleURL(href)
	if !ok {
		var err error
		if u, err = url.Parse(href); err != nil {
			return ""
		}
		if base != nil {
			u = base.ResolveReference(u)
		}
	}
	switch strings.ToLower(u.Scheme) {
	case "mailto":
		if addr := mailtoAddress(u); addr != "" {
			return "mailto:" + addr
		}
		return ""
	case "http", "https":
	default:
		return ""
	}
	if u.Host == "" {
		return ""
	}
	for range maxUnwrap { // a wrapped link may itself be wrapped
		t := unwrapTracker(u)
		if t == nil {
			break
		}
		u = t
	}
	stripUTM(u)
	return u.String()
}

// unwrapTracker returns the target of a mail-tracker link, or nil.
//
// GovDelivery's current tracker is https://lnks.gd/l/<JWT>/s/…: the JWT's
// payload (base64url JSON) carries the target as "url". The older one is
// https://links.govdelivery.com/track?type=click&…&url=<target>.
func unwrapTracker(u *url.URL) *url.URL {
	host := strings.ToLower(u.Hostname())
	var target string
	switch {
	case host == "lnks.gd" || strings.HasSuffix(host, ".lnks.gd"):
		rest, ok := strings.CutPrefix(u.EscapedPath(), "/l/")
		if !ok {
			return nil
		}
		jwt, _, _ := strings.Cut(rest, "/")
		_, payload, ok := strings.Cut(jwt, ".")
		if !ok {
			return nil
		}
		payload, _, _ = strings.Cut(payload, ".")
		raw, err := decodeSegment(payload)
		if err != nil {
			return nil
		}
		if target, ok = claimURL(raw); !ok {
			return nil
		}
	case host == "links.govdelivery.com" || strings.HasSuffix(host, ".govdelivery.com") && strings.HasSuffix(u.Path, "/track"):
		target = u.Query().Get("url")
	default:
		return nil
	}
	target = strings.TrimSpace(target)
	t, ok := simpleURL(target)
	if !ok {
		var err error
		if t, err = url.Parse(target); err != nil {
			return nil
		}
	}
	if (t.Scheme != "http" && t.Scheme != "https") || t.Host == "" {
		return nil
	}
	return t
}

// simpleURL returns what url.Parse returns for an address of the plainest
// shape, the shape of most links in mail: "http://" or "https://", a host
// of letters, digits, dots and hyphens, a path of unreserved characters
// and slashes with no dot segments, and perhaps a non-empty query of
// printable ASCII other than '#' and '?'. For such an address url.Parse
// has nothing to unescape, resolving it against a base leaves it as it is,
// and the URL's String is the address again, so the URL is built directly;
// ok is false for any other address (FuzzSimpleURL holds it to url.Parse).
func simpleURL(s string) (u *url.URL, ok bool) {
	rest, ok := strings.CutPrefix(s, "https://")
	scheme := "https"
	if !ok {
		if rest, ok = strings.CutPrefix(s, "http://"); !ok {
			return nil, false
		}
		scheme = "http"
	}
	rest, query, hasQuery := strings.Cut(rest, "?")
	if hasQuery && query == "" {
		return nil, false // url.Parse keeps a lone '?' (ForceQuery)
	}
	for i := 0; i < len(query); i++ {
		if !simpleQueryByte[query[i]] {
			return nil, false
		}
	}
	host, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		host, path = rest[:i], rest[i:]
	}
	if host == "" {
		return nil, false
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; !isASCIIAlnum(c) && c != '.' && c != '-' {
			return nil, false
		}
	}
	for i := 0; i < len(path); i++ {
		if !simplePathByte[path[i]] {
			return nil, false
		}
	}
	for seg := range strings.SplitSeq(path, "/") {
		if seg == "." || seg == ".." {
			return nil, false
		}
	}
	return &url.URL{Scheme: scheme, Host: host, Path: path, RawQuery: query}, true
}

// simplePathByte and simpleQueryByte are the bytes of a simpleURL's path
// (the unreserved characters and '/') and of its query (printable ASCII
// other than space and '"', '#', '<', '>', '?', '\', '^', '`', '{', '|', '}').
var simplePathByte, simpleQueryByte = func() (path, query [256]bool) {
	for c := byte('!'); c <= '~'; c++ {
		path[c] = isASCIIAlnum(c) || strings.IndexByte("-._~/", c) >= 0
		query[c] = strings.IndexByte(`"#<>?\^`+"`{|}", c) < 0
	}
	return path, query
}()

// claimURL returns the "url" claim of a JWT payload, as json.Unmarshal into
// a struct with a URL field tagged "url" reads it (the last key that equals
// "url" in any case); ok is false for a payload that is not a JSON object.
// The usual payload, a flat object of plain strings, is read by hand
// (FuzzClaimURL holds flatClaimURL to json.Unmarshal).
func claimURL(raw []byte) (target string, ok bool) {
	if target, ok := flatClaimURL(raw); ok {
		return target, true
	}
	var claims struct {
		URL string `json:"url"`
	}
	if json.Unmarshal(raw, &claims) != nil {
		return "", false
	}
	return claims.URL, true
}

// flatClaimURL reads the "url" claim of a payload that is a JSON object
// whose keys and values are all strings of printable ASCII without
// escapes, with JSON white space around them; ok is false for any other.
func flatClaimURL(raw []byte) (string, bool) {
	var target string
	i := skipJSONSpace(raw, 0)
	if i == len(raw) || raw[i] != '{' {
		return "", false
	}
	i = skipJSONSpace(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return "", skipJSONSpace(raw, i+1) == len(raw)
	}
	for {
		key, next, ok := plainJSONString(raw, i)
		if !ok {
			return "", false
		}
		if i = skipJSONSpace(raw, next); i == len(raw) || raw[i] != ':' {
			return "", false
		}
		val, next, ok := plainJSONString(raw, skipJSONSpace(raw, i+1))
		if !ok {
			return "", false
		}
		if len(key) == 3 && equalFoldASCII(string(key), "url") {
			target = string(val)
		}
		if i = skipJSONSpace(raw, next); i == len(raw) {
			return "", false
		}
		switch raw[i] {
		case ',':
			i = skipJSONSpace(raw, i+1)
		case '}':
			return target, skipJSONSpace(raw, i+1) == len(raw)
		default:
			return "", false
		}
	}
}

// plainJSONString returns the contents of the JSON string at raw[i] when it
// holds only printable ASCII other than the backslash, and the offset after
// it.
func plainJSONString(raw []byte, i int) (s []byte, next int, ok bool) {
	if i >= len(raw) || raw[i] != '"' {
		return nil, 0, false
	}
	for j := i + 1; j < len(raw); j++ {
		switch c := raw[j]; {
		case c == '"':
			return raw[i+1 : j], j + 1, true
		case c < ' ' || c > '~' || c == '\\':
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// skipJSONSpace returns the offset of the first byte from i that is not
// JSON white space.
func skipJSONSpace(raw []byte, i int) int {
	for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r') {
		i++
	}
	return i
}

// decodeSegment decodes a JWT segment, with or without padding.
func decodeSegment(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// stripUTM removes utm_* query parameters, keeping the others in their order.
func stripUTM(u *url.URL) {
	u.RawQuery = urlclean.StripUTM(u.RawQuery)
	u.ForceQuery = false
}

// mailtoAddress returns the lowercased address of a mailto URL.
func mailtoAddress(u *url.URL) string {
	addr := u.Opaque
	if addr == "" {
		addr = u.Path
	}
	addr, _, _ = strings.Cut(addr, "?")
	if a, err := url.PathUnescape(addr); err == nil {
		addr = a
	}
	addr = strings.ToLower(strings.TrimSpace(addr))
	if !emailRe.MatchString(addr) || emailRe.FindString(addr) != addr {
		return ""
	}
	return addr
}
