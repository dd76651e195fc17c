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
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
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
		parts := strings.Split(jwt, ".")
		if len(parts) < 2 {
			return nil
		}
		raw, err := decodeSegment(parts[1])
		if err != nil {
			return nil
		}
		var claims struct {
			URL string `json:"url"`
		}
		if json.Unmarshal(raw, &claims) != nil {
			return nil
		}
		target = claims.URL
	case host == "links.govdelivery.com" || strings.HasSuffix(host, ".govdelivery.com") && strings.HasSuffix(u.Path, "/track"):
		target = u.Query().Get("url")
	default:
		return nil
	}
	t, err := url.Parse(strings.TrimSpace(target))
	if err != nil || (t.Scheme != "http" && t.Scheme != "https") || t.Host == "" {
		return nil
	}
	return t
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
