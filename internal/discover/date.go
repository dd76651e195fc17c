package discover

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	// GovDelivery writes dates month first: "03/21/2024", "03/21/2024 10:05 AM GMT".
	slashDate = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})\s*([AaPp][Mm])?(?:\s+([A-Z]{3,4})\b)?)?`)
	isoDate   = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	dayMonth  = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(` + monthAlt + `)\.?,?\s+(\d{4})\b`)
	monthDay  = regexp.MustCompile(`(?i)\b(` + monthAlt + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
)

const monthAlt = `jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?`

// zoneOffset is the UTC offset in hours of a time-zone abbreviation that
// GovDelivery datelines use; the abbreviation fixes the offset, so no tz
// database is needed. Unknown abbreviations count as UTC.
func zoneOffset(abbr string) int {
	switch abbr {
	case "BST", "CET":
		return 1
	case "CEST":
		return 2
	case "EDT":
		return -4
	case "EST", "CDT":
		return -5
	case "CST", "MDT":
		return -6
	case "MST", "PDT":
		return -7
	case "PST":
		return -8
	}
	return 0 // GMT, UTC and the unknown
}

// parseDate finds the first date written in s; zero when there is none.
// A date without a time is midnight UTC.
func parseDate(s string) time.Time {
	type found struct {
		at int
		t  time.Time
	}
	var best *found
	consider := func(at int, t time.Time) {
		if !t.IsZero() && (best == nil || at < best.at) {
			best = &found{at, t}
		}
	}
	if m := slashDate.FindStringSubmatchIndex(s); m != nil {
		consider(m[0], slash(s, m))
	}
	if m := isoDate.FindStringSubmatchIndex(s); m != nil {
		consider(m[0], ymd(atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])))
	}
	if m := dayMonth.FindStringSubmatchIndex(s); m != nil {
		consider(m[0], ymd(atoi(s[m[6]:m[7]]), month(s[m[4]:m[5]]), atoi(s[m[2]:m[3]])))
	}
	if m := monthDay.FindStringSubmatchIndex(s); m != nil {
		consider(m[0], ymd(atoi(s[m[6]:m[7]]), month(s[m[2]:m[3]]), atoi(s[m[4]:m[5]])))
	}
	if best == nil {
		return time.Time{}
	}
	return best.t
}

func slash(s string, m []int) time.Time {
	group := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return s[m[2*i]:m[2*i+1]]
	}
	d := ymd(atoi(group(3)), atoi(group(1)), atoi(group(2)))
	if d.IsZero() || group(4) == "" {
		return d
	}
	hour, minute := atoi(group(4)), atoi(group(5))
	if ampm := strings.ToUpper(group(6)); ampm != "" {
		if hour < 1 || hour > 12 {
			return d
		}
		hour %= 12
		if ampm == "PM" {
			hour += 12
		}
	}
	if hour > 23 || minute > 59 {
		return d
	}
	loc := time.FixedZone(group(7), zoneOffset(group(7))*3600)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, loc).UTC()
}

// ymd is the date at midnight UTC, or zero when it does not exist.
func ymd(y, m, d int) time.Time {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31 April and the like
		return time.Time{}
	}
	return t
}

func month(s string) int {
	s = strings.ToLower(s)
	for i, name := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if strings.HasPrefix(s, name) {
			return i + 1
		}
	}
	return 0
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
