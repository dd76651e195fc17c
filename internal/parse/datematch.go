package parse

import (
	"strings"

	"github.com/lga-digital/bulletin/internal/dates"
	"github.com/lga-digital/bulletin/internal/swar"
)

// dateMatches returns what dateRe.FindAllStringSubmatchIndex(s, -1)
// returns, without running the expression: dateRe (an alternation with
// submatches and backtracking, run by Go's backtracker or NFA) over the text
// of every item was most of the cost of Parse. dateAt tries the expression's
// choices in the order the backtracker does, so that the first match found at
// a position is the one dateRe reports; TestDateMatchesEqualsRegexp and
// FuzzDateMatches compare the two. dateRe stays the definition.
//
// Every match holds its day's digits, and before them at most two words
// of ASCII letters (a weekday and "the", or a weekday and a month) apart
// only by dots, commas and white space. So only three places before each
// digit can start one: the digit itself and the starts of the two words
// before it (dateStarts).
func dateMatches(s string) [][]int {
	var out [][]int
	for p := 0; p < len(s); {
		d := indexDigit(s, p)
		if d < 0 {
			break
		}
		matched := false
		starts, n := dateStarts(s, p, d)
		for _, q := range starts[:n] {
			// Every match starts at \b with a digit or a capital letter.
			c := s[q]
			if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z') || q > 0 && isWordByte(s[q-1]) {
				continue
			}
			if m := dateAt(s, q); m != nil {
				out = append(out, m)
				p, matched = m[1], true
				break
			}
		}
		if !matched {
			p = d + 1
		}
	}
	return out
}

// indexDigit returns the index of the first ASCII digit of s at or after
// p, or -1.
func indexDigit(s string, p int) int {
	for ; p+8 <= len(s); p += 8 {
		if m := swar.Between(swar.Load(s, p), '0', '9'); m != 0 {
			return p + swar.FirstFlagged(m)
		}
	}
	for ; p < len(s); p++ {
		if '0' <= s[p] && s[p] <= '9' {
			return p
		}
	}
	return -1
}

// dateStarts returns, in order, the n places at or after p where a match
// whose day begins at the digit d may start: the starts of the (at most)
// two runs of ASCII letters before d that only dots, commas and white
// space separate from it and each other, then d.
func dateStarts(s string, p, d int) (starts [3]int, n int) {
	var words [2]int // the words' starts, nearest first
	i := d
	for n < len(words) {
		j := i
		for j > p && isDateSep(s[j-1]) {
			j--
		}
		k := j
		for k > p && isASCIILetter(s[k-1]) {
			k--
		}
		if k == j {
			break
		}
		words[n] = k
		n++
		i = k
	}
	for w := range n {
		starts[w] = words[n-1-w]
	}
	starts[n] = d
	return starts, n + 1
}

// isDateSep reports the bytes between the words of a date before its day:
// the dots and commas after a name, the white space of \s.
func isDateSep(c byte) bool {
	return c == '.' || c == ',' || perlSpace(c)
}

// Submatches of dateRe: the day, month and year of its first branch ("16th
// of April, 2024") and the month, day and year of its second ("April 16th,
// 2024"), after the whole match.
const (
	dateSubs      = 14
	dateDay1      = 2
	dateMonth1    = 4
	dateYear1     = 6
	dateMonth2    = 8
	dateDay2      = 10
	dateYear2     = 12
	dateWeekdays  = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun"
	dateMonthsAll = dates.Months
)

// weekdayNames and monthNames are weekdayPat's and monthPat's alternatives
// in their order of preference.
var (
	weekdayNames = strings.Split(dateWeekdays, "|")
	monthNames   = strings.Split(dateMonthsAll, "|")
)

// dateAt returns dateRe's match starting at p (where \b holds), or nil.
func dateAt(s string, p int) []int {
	if m := dateFirst(s, p); m != nil {
		return m
	}
	return dateSecond(s, p)
}

// weekdayAt returns the end of weekdayPat and ",?\s+" at p: the weekday
// names are letters and what follows them is not, so only the name spelling
// the whole run of letters at p can be followed by the rest; -1 when none.
func weekdayAt(s string, p int) int {
	q := p
	for q < len(s) && isASCIILetter(s[q]) {
		q++
	}
	if q == p || !isWeekday(s[p:q]) {
		return -1
	}
	if q < len(s) && s[q] == '.' { // \.? (not taking it leaves '.' for ,?\s+)
		q++
	}
	if q < len(s) && s[q] == ',' { // ,?
		q++
	}
	r := skipSpaces(s, q) // \s+, greedy: what follows it is never space
	if r == q {
		return -1
	}
	return r
}

// isMonthInitial reports the first letters of monthNames.
func isMonthInitial(c byte) bool {
	switch c {
	case 'J', 'F', 'M', 'A', 'S', 'O', 'N', 'D':
		return true
	}
	return false
}

func isWeekday(w string) bool {
	for _, n := range weekdayNames {
		if w == n {
			return true
		}
	}
	return false
}

// dateFirst matches dateRe's first branch at p:
// \b(?:W,?\s+(?:the\s+)?)?(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+M\.?(?:,?\s+(\d{4}))?\b
func dateFirst(s string, p int) []int {
	if q := weekdayAt(s, p); q >= 0 {
		if strings.HasPrefix(s[q:], "the") {
			if r := skipSpaces(s, q+3); r > q+3 {
				if m := dateFirstDay(s, p, r); m != nil {
					return m
				}
			}
		}
		if m := dateFirstDay(s, p, q); m != nil {
			return m
		}
	}
	return dateFirstDay(s, p, p)
}

// dateFirstDay matches the first branch from its day number at q.
func dateFirstDay(s string, p, q int) []int {
	for dl := digitsUpTo(s, q, 2); dl >= 1; dl-- {
		d := q + dl
		for _, e := range suffixOptions(s, d).ends() {
			for _, f := range ofOptions(s, e).ends() {
				u := skipSpaces(s, f)
				if u == f {
					continue
				}
				if u >= len(s) || !isMonthInitial(s[u]) {
					continue
				}
				for _, mon := range monthNames {
					if !strings.HasPrefix(s[u:], mon) {
						continue
					}
					v := u + len(mon)
					for _, w := range dotOptions(s, v).ends() {
						m := make([]int, dateSubs)
						for i := range m {
							m[i] = -1
						}
						m[0], m[dateDay1], m[dateDay1+1], m[dateMonth1], m[dateMonth1+1] = p, q, d, u, v
						if y := yearAt(s, w); y >= 0 { // (?:,?\s+(\d{4}))?\b
							m[1], m[dateYear1], m[dateYear1+1] = y+4, y, y+4
							return m
						}
						if wordBoundary(s, w) {
							m[1] = w
							return m
						}
					}
				}
			}
		}
	}
	return nil
}

// dateSecond matches dateRe's second branch at p:
// \b(?:W,?\s+)?M\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?
func dateSecond(s string, p int) []int {
	starts := [2]int{weekdayAt(s, p), p}
	for _, q := range starts {
		if q < 0 {
			continue
		}
		if q >= len(s) || !isMonthInitial(s[q]) {
			continue
		}
		for _, mon := range monthNames {
			if !strings.HasPrefix(s[q:], mon) {
				continue
			}
			v := q + len(mon)
			for _, w := range dotOptions(s, v).ends() {
				u := skipSpaces(s, w)
				if u == w {
					continue
				}
				for dl := digitsUpTo(s, u, 2); dl >= 1; dl-- {
					d := u + dl
					for _, e := range suffixOptions(s, d).ends() {
						if !wordBoundary(s, e) {
							continue
						}
						m := make([]int, dateSubs)
						for i := range m {
							m[i] = -1
						}
						m[0], m[1], m[dateMonth2], m[dateMonth2+1], m[dateDay2], m[dateDay2+1] = p, e, q, v, u, d
						if y := yearAt(s, e); y >= 0 { // (?:,?\s+(\d{4})\b)?
							m[1], m[dateYear2], m[dateYear2+1] = y+4, y, y+4
						}
						return m
					}
				}
			}
		}
	}
	return nil
}

// yearAt returns the start of the year of ",?\s+(\d{4})\b" at p, or -1.
// Not taking the comma leaves it for \s+, and \s+ is followed by a digit,
// so each has one way to match.
func yearAt(s string, p int) int {
	if p < len(s) && s[p] == ',' {
		p++
	}
	y := skipSpaces(s, p)
	if y == p || digitsUpTo(s, y, 4) != 4 || !wordBoundary(s, y+4) {
		return -1
	}
	return y
}

// options are the ends of an optional part of the expression, preferred
// first: the end with it, then without (p), or only p.
type options struct {
	end [2]int
	n   int
}

func (o options) ends() []int { return o.end[:o.n] }

func optional(p, with int, ok bool) options {
	if ok {
		return options{[2]int{with, p}, 2}
	}
	return options{[2]int{p}, 1}
}

// suffixOptions returns the ends of "(?:st|nd|rd|th)?" at p.
func suffixOptions(s string, p int) options {
	ok := false
	if p+2 <= len(s) {
		switch s[p : p+2] {
		case "st", "nd", "rd", "th":
			ok = true
		}
	}
	return optional(p, p+2, ok)
}

// ofOptions returns the ends of "(?:\s+of)?" at p.
func ofOptions(s string, p int) options {
	q := skipSpaces(s, p)
	return optional(p, q+2, q > p && strings.HasPrefix(s[q:], "of"))
}

// dotOptions returns the ends of "\.?" at p.
func dotOptions(s string, p int) options {
	return optional(p, p+1, p < len(s) && s[p] == '.')
}

// digitsUpTo returns how many ASCII digits (at most n) start s[p:].
func digitsUpTo(s string, p, n int) int {
	k := 0
	for k < n && p+k < len(s) && '0' <= s[p+k] && s[p+k] <= '9' {
		k++
	}
	return k
}

// skipSpaces returns the end of the run of \s (RE2's [\t\n\f\r ]) at p.
func skipSpaces(s string, p int) int {
	for p < len(s) && perlSpace(s[p]) {
		p++
	}
	return p
}

func isASCIILetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// emailMatches returns what emailRe.FindAllString(s, -1) returns, running
// the expression only on the words that hold an "@": an address holds one
// and no white space.
func emailMatches(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '@')
		if j < 0 {
			break
		}
		at := i + j
		lo, hi := at, at+1
		for lo > i && !isASCIISpace(s[lo-1]) {
			lo--
		}
		for hi < len(s) && !isASCIISpace(s[hi]) {
			hi++
		}
		out = append(out, emailRe.FindAllString(s[lo:hi], -1)...)
		i = hi
	}
	return out
}

func isASCIISpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}
