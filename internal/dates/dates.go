// Package dates reads dates and times written in bulletins, list pages and
// their envelopes: month names, GovDelivery's month-first dateline
// ("03/21/2024 10:05 AM GMT", abbreviation-aware), ISO dates and times, and
// dates such as "5 November 2024" found in running text. A date written
// without a zone is read in the zone the caller gives (the source's; nil means
// Europe/London, loaded from the tz database embedded in the binary), and
// every time returned is in UTC.
//
// The package is the one owner of the month table, of the zone
// abbreviations, of the Europe/London loader and of the dateline reading, so
// that the parser and discovery read one text the same way. The query
// language's period literals (index) and an e-mail's Date header (net/mail)
// are read by their own grammars.
package dates

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/London must load on hosts without zoneinfo
)

// London is Europe/London, the zone of GovDelivery's UK datelines ("GMT",
// "BST") and the default zone of a source; read from the embedded tz
// database, so it loads on every host.
var London = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(fmt.Sprintf("dates: load Europe/London from embedded tzdata: %v", err))
	}
	return loc
})

// orLondon is loc, or London when loc is nil.
func orLondon(loc *time.Location) *time.Location {
	if loc == nil {
		return London()
	}
	return loc
}

// MonthNames is a regular-expression alternation of the months' English
// names, capitalised as written: "January|…|December".
const MonthNames = `January|February|March|April|May|June|July|August|September|October|November|December`

// MonthAbbrs is an alternation of the months' abbreviations as bulletins
// write them, without the dot ("Sept" before "Sep"; May has none).
const MonthAbbrs = `Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec`

// Months is an alternation of the months' names and abbreviations.
const Months = MonthNames + `|` + MonthAbbrs

// Month returns the month a name or an abbreviation of MonthNames or
// MonthAbbrs names, in any case and with or without a trailing dot; 0 when s
// names none.
func Month(s string) time.Month {
	s = strings.TrimSuffix(s, ".")
	if len(s) < 3 {
		return 0
	}
	// Compared in ASCII lower case, without making the lower-case strings:
	// no character that is not ASCII lowers to a letter of a month's name.
	for m := time.January; m <= time.December; m++ {
		if name := m.String(); equalFoldASCII(s[:3], name[:3]) {
			if len(s) == len(name) && equalFoldASCII(s, name) || len(s) <= 4 && len(s) <= len(name) && equalFoldASCII(s, name[:len(s)]) {
				return m
			}
			return 0
		}
	}
	return 0
}

// equalFoldASCII reports whether s and t are equal with their ASCII
// letters lower-cased.
func equalFoldASCII(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lowerASCII(s[i]) != lowerASCII(t[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// DaysIn is the number of days of month m of year.
func DaysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// The years a date read from text may fall in; others are misreadings.
const (
	MinYear = 1900
	MaxYear = 2200
)

// Day returns midnight of the day y-m-d in loc (nil: London), in UTC, or
// false when that day does not exist (31 April) or its year is outside
// MinYear–MaxYear.
func Day(y int, m time.Month, d int, loc *time.Location) (time.Time, bool) {
	if y < MinYear || y > MaxYear || m < time.January || m > time.December || d < 1 || d > DaysIn(m, y) {
		return time.Time{}, false
	}
	return time.Date(y, m, d, 0, 0, 0, 0, orLondon(loc)).UTC(), true
}

// At returns the time min minutes after midnight (as Clock gives it) on
// day's calendar date (its year, month and day, whatever its zone) in loc
// (nil: London), in UTC: a day and a clock time written in the source's zone.
func At(day time.Time, min int, loc *time.Location) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d, min/60, min%60, 0, 0, orLondon(loc)).UTC()
}

// zones are the offsets, in hours east of UTC, of the time-zone
// abbreviations datelines use (GovDelivery writes the sender's zone).
var zones = map[string]int{
	"GMT": 0, "UTC": 0, "UT": 0, "Z": 0, "WET": 0,
	"BST": 1, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
	"PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
}

// Zone returns the fixed zone a time-zone abbreviation ("GMT", "BST",
// "EST", "CEST"…, in any case) names, or false when it is not known.
func Zone(abbr string) (*time.Location, bool) {
	abbr = strings.ToUpper(abbr)
	h, ok := zones[abbr]
	if !ok {
		return nil, false
	}
	return time.FixedZone(abbr, h*3600), true
}

// Clock returns the minutes since midnight of a clock time: hour and minute
// as written and a meridiem ("a", "am", "p", "pm", any case, or "" for a
// 24-hour clock); false when it is no time of day.
func Clock(hour, minute int, meridiem string) (int, bool) {
	switch strings.ToLower(meridiem) {
	case "":
		if hour < 0 || hour > 23 {
			return 0, false
		}
	case "a", "am":
		if hour < 1 || hour > 12 {
			return 0, false
		}
		hour %= 12
	case "p", "pm":
		if hour < 1 || hour > 12 {
			return 0, false
		}
		hour = hour%12 + 12
	default:
		return 0, false
	}
	if minute < 0 || minute > 59 {
		return 0, false
	}
	return hour*60 + minute, true
}

// datelineRe is GovDelivery's month-first date with an optional time and
// zone: "03/21/2024", "03/21/2024 10:05 AM GMT", "03/21/2024 16:05".
var datelineRe = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})\s*(?:([AaPp])\.?[Mm]\b\.?)?(?:\s*\b([A-Za-z]{1,5})\b)?)?`)

// Dateline reads the first date GovDelivery writes month first in s, as in
// "… sent this bulletin at 03/21/2024 10:05 AM GMT", and returns it in UTC;
// zero when s has none. A known zone abbreviation (Zone) gives the offset;
// without one, or with one not known, the time is read in loc (nil: London),
// so "09:00 AM EST" is 14:00 UTC and "09:00 AM" in June is 08:00 UTC. A date
// without a time, or with one that is no time of day ("13:00 PM"), is
// midnight in loc.
func Dateline(s string, loc *time.Location) time.Time {
	m := datelineRe.FindStringSubmatchIndex(s)
	if m == nil {
		return time.Time{}
	}
	return dateline(s, m, loc)
}

// dateline reads the match m of datelineRe in s.
func dateline(s string, m []int, loc *time.Location) time.Time {
	g := groups(s, m)
	clock := loc
	if z, ok := Zone(g(7)); ok {
		clock = z
	}
	return dayTime(atoi(g(3)), time.Month(atoi(g(1))), atoi(g(2)), g(4), g(5), "", g(6), loc, clock)
}

// dayTime is the day y-mo-d at a clock time (hour, minute and second as
// written, "" when absent, and a meridiem as Clock takes it) in clock, in
// UTC; midnight in loc when there is no time or it is no time of day; zero
// when the day does not exist.
func dayTime(y int, mo time.Month, d int, hour, minute, second, meridiem string, loc, clock *time.Location) time.Time {
	day, ok := Day(y, mo, d, loc)
	if !ok || hour == "" {
		return day
	}
	min, ok := Clock(atoi(hour), atoi(minute), meridiem)
	sec := 0
	if second != "" {
		sec = atoi(second)
	}
	if !ok || sec < 0 || sec > 59 {
		return day
	}
	return time.Date(y, mo, d, min/60, min%60, sec, 0, orLondon(clock)).UTC()
}

// groups returns the i-th group of the match m in s, "" when it took no part.
func groups(s string, m []int) func(i int) string {
	return func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return s[m[2*i]:m[2*i+1]]
	}
}

var (
	// isoRe is an ISO 8601 date with an optional time and offset:
	// "2024-03-21", "2024-03-21T10:05", "2024-03-21T10:05:00Z".
	isoRe = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?\b`)
	// dayMonthRe and monthDayRe are dates written with the month's name and
	// a year: "5 November 2024", "5th of Nov. 2024", "November 5th, 2024".
	dayMonthRe = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(` + Months + `)\.?,?\s+(\d{4})\b`)
	monthDayRe = regexp.MustCompile(`(?i)\b(` + Months + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
)

// isoOffsetLayouts are the layouts of an ISO time with an offset.
var isoOffsetLayouts = []string{"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02T15:04Z0700"}

// ISO reads a machine-readable date or time, such as an HTML datetime or
// content attribute: RFC 3339, or an ISO date with a time without offset, or
// an ISO date alone (midnight), the last two in loc (nil: London). The
// result is in UTC; false when s is none of these.
func ISO(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	m := isoRe.FindStringSubmatchIndex(s)
	if m == nil || m[0] != 0 || m[1] != len(s) {
		return time.Time{}, false
	}
	t := iso(s, m, loc)
	return t, !t.IsZero()
}

// iso reads the match m of isoRe in s; zero when the date does not exist.
func iso(s string, m []int, loc *time.Location) time.Time {
	g := groups(s, m)
	y, mo, d := atoi(g(1)), time.Month(atoi(g(2))), atoi(g(3))
	if g(7) == "" {
		return dayTime(y, mo, d, g(4), g(5), g(6), "", loc, loc)
	}
	for _, layout := range isoOffsetLayouts {
		if t, err := time.Parse(layout, s[m[0]:m[1]]); err == nil {
			return t.UTC()
		}
	}
	return dayTime(y, mo, d, "", "", "", "", loc, loc)
}

// Find returns the first date written in s — a dateline (Dateline), an ISO
// date or time, or a date with the month's name and a year ("5 November
// 2024", "Nov. 5th, 2024") — in UTC; zero when s has none. A date without a
// time is midnight in loc (nil: London).
func Find(s string, loc *time.Location) time.Time {
	at, best := -1, time.Time{}
	consider := func(m []int, t time.Time) {
		if !t.IsZero() && (at < 0 || m[0] < at) {
			at, best = m[0], t
		}
	}
	if m := datelineRe.FindStringSubmatchIndex(s); m != nil {
		consider(m, dateline(s, m, loc))
	}
	if m := isoRe.FindStringSubmatchIndex(s); m != nil {
		consider(m, iso(s, m, loc))
	}
	if m := dayMonthRe.FindStringSubmatchIndex(s); m != nil {
		t, _ := Day(atoi(s[m[6]:m[7]]), Month(s[m[4]:m[5]]), atoi(s[m[2]:m[3]]), loc)
		consider(m, t)
	}
	if m := monthDayRe.FindStringSubmatchIndex(s); m != nil {
		t, _ := Day(atoi(s[m[6]:m[7]]), Month(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), loc)
		consider(m, t)
	}
	return best
}

// ParseDay reads a calendar day written YYYY-MM-DD (an API parameter, a
// stored model.Date) as its midnight in UTC.
func ParseDay(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("dates: %q is no YYYY-MM-DD day: %w", s, err)
	}
	return t, nil
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
