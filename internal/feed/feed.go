// Package feed writes feed documents: RSS 2.0, Atom 1.0 and JSON Feed 1.1
// from one format-independent Feed, plus iCalendar (RFC 5545) calendars of
// events and deadlines and OPML 2.0 subscription lists. It knows nothing of
// HTTP or the index: callers build a Feed (usually with FromItem and
// FromEdition) and hand it to a writer together with an io.Writer.
// Every writer accepts any strings: characters that XML cannot carry (C0
// controls other than tab, newline and carriage return, DEL, U+FFFE, U+FFFF,
// lone surrogates and invalid UTF-8) are removed before writing, and all text
// is escaped rather than wrapped in CDATA, so "]]>" and "<script>" are inert.
// The documents are built from this package's own encoding/xml and
// encoding/json structs rather than github.com/gorilla/feeds, because that
// library lacks what these feeds need: JSON Feed 1.1 (it writes 1.0), an Atom
// rel="self" link, several links per feed (RFC 5005 paging), RSS atom:link,
// isPermaLink="false" GUIDs chosen per entry, several categories per entry,
// Atom categories as term attributes, and an xml-stylesheet instruction.
package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/lga-digital/bulletin/internal/model"
)

// Media types of the three feed formats, for the Content-Type header.
const (
	RSSType  = "application/rss+xml; charset=utf-8"
	AtomType = "application/atom+xml; charset=utf-8"
	JSONType = "application/feed+json; charset=utf-8"
	// ICalType and OPMLType are the media types of WriteICal and WriteOPML output.
	ICalType = "text/calendar; charset=utf-8"
	OPMLType = "text/x-opml; charset=utf-8"
)

// Feed is one feed document, independent of format.
type Feed struct {
	ID          string // stable feed id (normally SelfURL); empty means SelfURL, and a non-URI becomes a urn:bulletin:feed: URN
	Title       string
	Description string
	HomeURL     string    // rel="alternate" / home_page_url
	SelfURL     string    // rel="self" / feed_url
	Updated     time.Time // newest entry's time (not the request time); zero means the newest entry's Updated
	Author      string
	Language    string // e.g. "en-GB"
	Links       []Link // extra links, e.g. RFC 5005 paging: {Rel: "next", Href}, {Rel: "prev-archive"}, {Rel: "first"}
	Stylesheet  string // optional URL of an XSL or CSS stylesheet, written as <?xml-stylesheet?> in RSS and Atom
	Entries     []Entry
}

// Link is an extra feed-level link such as an RFC 5005 paging link.
type Link struct {
	Rel, Href, Type string
}

// Entry is one entry (item) of a feed.
type Entry struct {
	// ID is the GUID, identical in all three formats. An ID that is not an
	// absolute URI is written as "urn:bulletin:entry:" plus its escaped
	// form; an empty ID falls back to URL.
	ID    string
	Title string
	URL   string // the page that shows the entry: bulletin's own item or edition page
	// Via is the page the entry was taken from (the original edition), and
	// ViaTitle its title: Atom rel="via", JSON Feed external_url, RSS source.
	Via, ViaTitle string
	Summary       string // plain text; paragraphs separated by blank lines, list items one a line
	ContentHTML   string // full sanitised HTML; empty for summary-only feeds
	Published     time.Time
	Updated       time.Time
	Author        string
	Categories    []string
	Enclosures    []Enclosure
}

// Enclosure is a document attached to an entry (RSS enclosure, Atom
// rel="enclosure" link, JSON Feed attachment).
type Enclosure struct {
	URL, Type string
	Length    int64 // bytes; 0 when unknown
}

// generator names this software in the documents that have a place for it.
const generator = "bulletin"

// cleanAll cleans a slice of strings, dropping those left empty.
func cleanAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(model.CleanText(s)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// isAbsURI reports whether s looks like an absolute URI: a scheme, a colon
// and a non-empty rest free of spaces, controls, malformed percent escapes
// and the characters RFC 3986 never allows unescaped. Atom ids must be such
// IRIs.
func isAbsURI(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon < 1 || colon == len(s)-1 {
		return false
	}
	for i := 0; i < colon; i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !(letter || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	rest := s[colon+1:]
	for i, r := range rest {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("<>\"{}|\\^`", r) {
			return false
		}
		if r == '%' && (i+2 >= len(rest) || !isHex(rest[i+1]) || !isHex(rest[i+2])) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// isHTTPURL reports whether s is an absolute http or https URL, the only
// kind of RSS GUID that may be a permalink.
func isHTTPURL(s string) bool {
	l := strings.ToLower(s)
	return (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")) && isAbsURI(s)
}

// uriOr returns id when it is an absolute URI, in the canonical form of
// net/url (scheme lower-cased, non-ASCII percent-encoded), because Atom
// readers such as gofeed put ids through a URL parser and a GUID must read
// the same in every format; otherwise it returns a URN of the given kind
// built from id, so the result is always a valid Atom id.
func uriOr(kind, id string) string {
	if isAbsURI(id) {
		if u, err := url.Parse(id); err == nil && isAbsURI(u.String()) {
			return u.String()
		}
	}
	return "urn:bulletin:" + kind + ":" + url.PathEscape(id)
}

// entryGUID is the GUID written for e in every format.
func entryGUID(e Entry) string {
	id := strings.TrimSpace(model.CleanText(e.ID))
	if id == "" {
		id = strings.TrimSpace(model.CleanText(e.URL))
	}
	if id == "" {
		// Nothing stable to go on: derive the id from what the entry says.
		sum := sha256.Sum256([]byte(e.Title + "\x00" + e.Published.UTC().Format(time.RFC3339Nano)))
		return "urn:bulletin:entry:" + hex.EncodeToString(sum[:10])
	}
	return uriOr("entry", id)
}

// feedID is the id of f: ID, else SelfURL, else HomeURL, as a URI.
func feedID(f Feed) string {
	for _, id := range []string{f.ID, f.SelfURL, f.HomeURL} {
		if id = strings.TrimSpace(model.CleanText(id)); id != "" {
			return uriOr("feed", id)
		}
	}
	sum := sha256.Sum256([]byte(f.Title))
	return "urn:bulletin:feed:" + hex.EncodeToString(sum[:10])
}

// published is e's publication time, falling back to its update time.
func (e Entry) published() time.Time {
	if e.Published.IsZero() {
		return e.Updated
	}
	return e.Published
}

// updated is e's update time, falling back to its publication time.
func (e Entry) updated() time.Time {
	if e.Updated.IsZero() {
		return e.Published
	}
	return e.Updated
}

// updated is f.Updated or, when zero, the newest entry's update time.
func (f Feed) updated() time.Time {
	if !f.Updated.IsZero() {
		return f.Updated
	}
	var t time.Time
	for _, e := range f.Entries {
		if u := e.updated(); u.After(t) {
			t = u
		}
	}
	return t
}

// sanitized returns a copy of f whose every string is XML-safe, whose entry
// ids are final GUIDs and whose Updated is resolved, so that the writers need
// not repeat those rules.
func (f Feed) sanitized() Feed {
	out := Feed{
		ID:          feedID(f),
		Title:       model.CleanText(f.Title),
		Description: model.CleanText(f.Description),
		HomeURL:     strings.TrimSpace(model.CleanText(f.HomeURL)),
		SelfURL:     strings.TrimSpace(model.CleanText(f.SelfURL)),
		Updated:     f.updated(),
		Author:      model.CleanText(f.Author),
		Language:    strings.TrimSpace(model.CleanText(f.Language)),
		Stylesheet:  strings.TrimSpace(model.CleanText(f.Stylesheet)),
	}
	for _, l := range f.Links {
		l = Link{Rel: strings.TrimSpace(model.CleanText(l.Rel)), Href: strings.TrimSpace(model.CleanText(l.Href)), Type: strings.TrimSpace(model.CleanText(l.Type))}
		if l.Href != "" {
			out.Links = append(out.Links, l)
		}
	}
	out.Entries = make([]Entry, 0, len(f.Entries))
	for _, e := range f.Entries {
		c := Entry{
			ID:          entryGUID(e),
			Title:       model.CleanText(e.Title),
			URL:         strings.TrimSpace(model.CleanText(e.URL)),
			Via:         strings.TrimSpace(model.CleanText(e.Via)),
			ViaTitle:    strings.TrimSpace(model.CleanText(e.ViaTitle)),
			Summary:     model.CleanText(e.Summary),
			ContentHTML: model.CleanText(e.ContentHTML),
			Published:   e.published(),
			Updated:     e.updated(),
			Author:      model.CleanText(e.Author),
			Categories:  cleanAll(e.Categories),
		}
		for _, enc := range e.Enclosures {
			enc = Enclosure{URL: strings.TrimSpace(model.CleanText(enc.URL)), Type: strings.TrimSpace(model.CleanText(enc.Type)), Length: max(enc.Length, 0)}
			if enc.Type == "" {
				enc.Type = "application/octet-stream"
			}
			if enc.URL != "" {
				c.Enclosures = append(c.Enclosures, enc)
			}
		}
		out.Entries = append(out.Entries, c)
	}
	return out
}
