package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lga-digital/bulletin/internal/model"
)

// Calendar is an iCalendar feed of events and deadlines.
type Calendar struct {
	Name string // calendar name (NAME, X-WR-CALNAME)
	URL  string // where the calendar itself lives
	// Stamp is when this calendar's content came to be: with METHOD:PUBLISH,
	// RFC 5545 makes every DTSTAMP the time the iCalendar object was
	// created, one time for the whole object. Zero means the newest Updated
	// of its events (the newest article it was made from; else their newest
	// Start): the object as of its newest data, so that the same events
	// give the same bytes whenever they are written.
	Stamp  time.Time
	Events []CalEvent
}

// DefaultEventLength is the length given to a timed event whose end is not
// known, rather than a zero-length event that calendars draw as a line.
const DefaultEventLength = time.Hour

// CalEvent is one VEVENT. For AllDay events only the dates of Start and End
// count, in their own locations: Start is the first day and End the last
// (inclusive; zero means a one-day event). Timed events are written in UTC;
// a zero End (or one not after Start) means Start plus DefaultEventLength.
// Events with a zero Start are skipped; an empty UID is replaced by one
// derived from Summary and Start.
type CalEvent struct {
	UID, Summary, Description, URL, Location string
	Start, End                               time.Time
	AllDay                                   bool
	Updated                                  time.Time // LAST-MODIFIED; zero: none
}

// prodID identifies this software in PRODID.
const prodID = "-//lga-digital//bulletin//EN"

// icalLineOctets is the longest content line RFC 5545 allows, CRLF excluded.
const icalLineOctets = 75

// icalWriter accumulates content lines, folded and CRLF-terminated.
type icalWriter struct {
	buf bytes.Buffer
}

// line writes one content line, folding it after at most 75 octets without
// splitting a UTF-8 sequence; continuation lines start with a space.
func (w *icalWriter) line(s string) {
	limit := icalLineOctets
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.buf.WriteString(s[:cut])
		w.buf.WriteString("\r\n ")
		s = s[cut:]
		limit = icalLineOctets - 1 // the leading space counts
	}
	w.buf.WriteString(s)
	w.buf.WriteString("\r\n")
}

// text writes a property whose value is TEXT, escaped.
func (w *icalWriter) text(name, value string) {
	w.line(name + ":" + icalEscape(value))
}

// uri writes a property whose value is a URI; URIs are not TEXT-escaped but
// may hold no line breaks or tabs.
func (w *icalWriter) uri(name, value string) {
	w.line(name + ":" + strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, model.CleanText(value)))
}

// icalEscape escapes TEXT as RFC 5545 §3.3.11 says: backslash, semicolon,
// comma and newlines (CRLF, CR or LF all become \n).
func icalEscape(s string) string {
	s = model.CleanText(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

const (
	icalDateTime = "20060102T150405Z"
	icalDate     = "20060102"
)

// WriteICal writes cal as an iCalendar (RFC 5545) document with CRLF line
// endings, folded lines and escaped text. Every DTSTAMP is cal's Stamp (see
// Calendar), not the time of writing, so that the same calendar gives the
// same bytes. An empty calendar is written without components.
func WriteICal(w io.Writer, cal Calendar) error {
	stamp := cal.Stamp
	if stamp.IsZero() {
		for _, ev := range cal.Events {
			if ev.Updated.After(stamp) {
				stamp = ev.Updated
			}
		}
	}
	if stamp.IsZero() {
		for _, ev := range cal.Events {
			if ev.Start.After(stamp) {
				stamp = ev.Start
			}
		}
	}
	var iw icalWriter
	iw.line("BEGIN:VCALENDAR")
	iw.line("VERSION:2.0")
	iw.line("PRODID:" + prodID)
	iw.line("CALSCALE:GREGORIAN")
	iw.line("METHOD:PUBLISH")
	if name := strings.TrimSpace(cal.Name); name != "" {
		iw.text("NAME", name)
		iw.text("X-WR-CALNAME", name)
	}
	if u := strings.TrimSpace(cal.URL); u != "" {
		iw.uri("URL", u)
	}
	for _, ev := range cal.Events {
		if ev.Start.IsZero() {
			continue
		}
		uid := strings.TrimSpace(model.CleanText(ev.UID))
		if uid == "" {
			// UID is required; derive one from what the event says.
			sum := sha256.Sum256([]byte(ev.Summary + "\x00" + ev.Start.UTC().Format(time.RFC3339Nano)))
			uid = hex.EncodeToString(sum[:10]) + "@bulletin"
		}
		iw.line("BEGIN:VEVENT")
		iw.text("UID", uid)
		iw.line("DTSTAMP:" + stamp.UTC().Format(icalDateTime))
		if ev.AllDay {
			y, m, d := ev.Start.Date()
			start := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
			last := start
			if !ev.End.IsZero() {
				y, m, d := ev.End.Date()
				if end := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); end.After(start) {
					last = end
				}
			}
			iw.line("DTSTART;VALUE=DATE:" + start.Format(icalDate))
			iw.line("DTEND;VALUE=DATE:" + last.AddDate(0, 0, 1).Format(icalDate)) // DTEND is exclusive
			iw.line("TRANSP:TRANSPARENT")
		} else {
			end := ev.End
			if !end.After(ev.Start) {
				end = ev.Start.Add(DefaultEventLength)
			}
			iw.line("DTSTART:" + ev.Start.UTC().Format(icalDateTime))
			iw.line("DTEND:" + end.UTC().Format(icalDateTime))
		}
		if !ev.Updated.IsZero() {
			iw.line("LAST-MODIFIED:" + ev.Updated.UTC().Format(icalDateTime))
		}
		iw.text("SUMMARY", ev.Summary)
		if ev.Description != "" {
			iw.text("DESCRIPTION", ev.Description)
		}
		if ev.Location != "" {
			iw.text("LOCATION", ev.Location)
		}
		if u := strings.TrimSpace(ev.URL); u != "" {
			iw.uri("URL", u)
		}
		iw.line("END:VEVENT")
	}
	iw.line("END:VCALENDAR")
	if _, err := iw.buf.WriteTo(w); err != nil {
		return fmt.Errorf("write icalendar %s: %w", cal.URL, err)
	}
	return nil
}
