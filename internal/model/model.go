// Package model holds the plain values that flow between the stages of the
// pipeline: an Edition of a bulletin and the Items (articles) it contains,
// and the rules every stage applies to them alike: their ids, the folding of
// titles into ids and slugs, the media types of the documents items link to
// (DocumentType) and the text they may hold (CleanText).
// It imports nothing from this module; every other package may import it.
package model

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Edition is one issue of a bulletin as published on the web.
type Edition struct {
	ID        string `json:"id"`     // stable: see EditionID
	Source    string `json:"source"` // source id from the config
	URL       string `json:"url"`
	Number    int    `json:"number,omitempty"` // 0 when the page does not say
	Title     string `json:"title"`            // the page subject
	IssueLine string `json:"issue_line,omitempty"`
	// Published is the send time in UTC. When the page has no dateline it is
	// the carrier's date (feed item, e-mail), else a date line of the body,
	// else the first day of the issue line's month and DateFromIssueLine is
	// set; zero (absent from JSON) when nothing states a date.
	Published         time.Time `json:"published,omitzero"`
	DateFromIssueLine bool      `json:"date_from_issue_line,omitempty"`
	Editorial         string    `json:"editorial,omitempty"`      // plain text
	EditorialHTML     string    `json:"editorial_html,omitempty"` // sanitised
	ItemCount         int       `json:"item_count"`
	// Order is the edition's place in its archive, larger for later
	// editions (GovDelivery's bulletin id); 0 when unknown. Editions of one
	// month are listed in this order, so that those dated by their issue
	// line's month alone fall in place among the others.
	Order int64 `json:"order,omitempty"`
}

// Item is one article of an edition.
type Item struct {
	ID            string    `json:"id"` // stable: see ItemID
	Source        string    `json:"source"`
	EditionID     string    `json:"edition_id"`
	EditionURL    string    `json:"edition_url"`
	EditionNumber int       `json:"edition_number,omitempty"`
	EditionTitle  string    `json:"edition_title"`
	Published     time.Time `json:"published,omitzero"`      // the edition's send time, UTC; zero when unknown
	EditionOrder  int64     `json:"edition_order,omitempty"` // the edition's Order
	Position      int       `json:"position"`                // 1-based order within the edition
	Anchor        string    `json:"anchor"`                  // fragment that names the item on its edition page
	Section       string    `json:"section,omitempty"`
	Title         string    `json:"title"`
	Text          string    `json:"text"` // plain text, paragraphs separated by blank lines
	HTML          string    `json:"html"` // sanitised, every URL absolute
	Links         []Link    `json:"links,omitempty"`
	Contacts      []string  `json:"contacts,omitempty"` // e-mail addresses
	Dates         []Date    `json:"dates,omitempty"`    // dates mentioned
	Deadlines     []Date    `json:"deadlines,omitempty"`
	Events        []Event   `json:"events,omitempty"`
	Orgs          []string  `json:"orgs,omitempty"` // organisations mentioned, canonical short names
}

// URL is the item's address: its edition page with the item's anchor.
func (it Item) URL() string {
	if it.Anchor == "" {
		return it.EditionURL
	}
	return it.EditionURL + "#" + it.Anchor
}

// Link is a hyperlink found in an item.
type Link struct {
	URL    string `json:"url"`
	Text   string `json:"text,omitempty"`
	Type   string `json:"type,omitempty"`   // media type when the link is a document (PDF, …)
	Length int64  `json:"length,omitempty"` // bytes, when known
}

// Date is a calendar date mentioned in a text, with the words it came from.
type Date struct {
	Date string `json:"date"` // YYYY-MM-DD
	Text string `json:"text"` // as written, e.g. "by 29 March 2024"
}

// Event is a webinar, workshop, conference or other dated happening.
type Event struct {
	Title  string    `json:"title"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end,omitzero"`
	AllDay bool      `json:"all_day,omitempty"`
	Place  string    `json:"place,omitempty"`
	Online bool      `json:"online,omitempty"`
}

// EditionID derives the stable id of an edition from its source and URL:
// the source id and the last path segment of the URL (GovDelivery's bulletin
// id), or a short hash of the URL when the last segment is not a usable key.
func EditionID(source, pageURL string) string {
	key := ""
	if u, err := url.Parse(pageURL); err == nil {
		key = strings.TrimSuffix(path.Base(strings.TrimRight(u.Path, "/")), path.Ext(u.Path))
	}
	if !isKey(key) {
		sum := sha256.Sum256([]byte(pageURL))
		key = hex.EncodeToString(sum[:6])
	}
	return source + "-" + strings.ToLower(key)
}

func isKey(s string) bool {
	if s == "" || s == "." || s == "/" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_')) {
			return false
		}
	}
	return true
}

// ItemID derives the stable id of an item from its edition id and title, so
// that the same article keeps its id across re-crawls and parser versions.
// The caller appends a suffix ("-2", "-3") only to break ties within an edition.
func ItemID(editionID, title string) string {
	sum := sha256.Sum256([]byte(editionID + "\x00" + NormaliseTitle(title)))
	return editionID + "-" + hex.EncodeToString(sum[:5])
}

// NormaliseTitle folds case, punctuation and spacing so that cosmetic changes
// to a heading (curly quotes, double spaces, a trailing colon) keep its id.
func NormaliseTitle(s string) string { return fold(s, ' ') }

// Slug is NormaliseTitle with a dash between the words: the path segment of
// a section's or an organisation's feed ("Health & Care" → "health-care").
func Slug(s string) string { return fold(s, '-') }

// fold lower-cases s and keeps its runs of letters and digits, joined by sep.
// ASCII is classified and lowered by byte; other runes as unicode does (a
// byte that is not UTF-8 is a gap).
func fold(s string, sep byte) string {
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		var keep bool
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			keep = 'a' <= r && r <= 'z' || '0' <= r && r <= '9'
		} else {
			r, n = utf8.DecodeRuneInString(s[i:])
			r = unicode.ToLower(r)
			keep = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		i += n
		if !keep {
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(sep)
		}
		b.WriteRune(r)
		gap = false
	}
	return b.String()
}
