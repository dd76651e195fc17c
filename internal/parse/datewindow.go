package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lga-digital/bulletin/internal/dates"
)

// Words a date phrase can have before its day number ("Wednesday, the 16th",
// "Monday, December 2nd") and after it ("16th of April, 2024"), with room
// to spare.
const (
	dateWordsBefore = 4
	dateWordsAfter  = 5
)

// dateMatches returns what dateRe.FindAllStringSubmatchIndex(s, -1) returns,
// but runs the expression only on a few words around each run of digits:
// every date has a day number, and scanning the whole text of an item with
// dateRe (an alternation with submatches, run by the NFA) was most of the
// cost of Parse. Windows start and end at white space, where \b means what
// it means in the whole text.
func dateMatches(s string) [][]int {
	var out [][]int
	done := 0 // end of the last match: matches never overlap
	for i := 0; i < len(s); {
		j := strings.IndexAny(s[i:], "0123456789")
		if j < 0 {
			break
		}
		d := i + j
		k := d
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		lo := max(wordsBack(s, d, dateWordsBefore), done)
		hi := wordsForward(s, k, dateWordsAfter)
		if !hasMonthPrefix(s[lo:hi]) {
			i = k
			continue
		}
		for _, m := range dateRe.FindAllStringSubmatchIndex(s[lo:hi], -1) {
			if m[0]+lo < done {
				continue
			}
			for x := range m {
				if m[x] >= 0 {
					m[x] += lo
				}
			}
			out = append(out, m)
			done = m[1]
		}
		i = max(k, done)
	}
	return out
}

// monthPrefixes are the first three letters of every month name dateRe
// knows (monthPat: "Jan", "January", "Sept", …): a window without one of
// them holds no date.
var monthPrefixes = func() (p []string) {
	for _, name := range strings.Split(dates.MonthNames, "|") {
		p = append(p, name[:3])
	}
	return p
}()

// hasMonthPrefix reports whether s holds the start of a month name.
func hasMonthPrefix(s string) bool {
	for i := 0; i+3 <= len(s); i++ {
		switch s[i] {
		case 'J', 'F', 'M', 'A', 'S', 'O', 'N', 'D':
			for _, p := range monthPrefixes {
				if s[i:i+3] == p {
					return true
				}
			}
		}
	}
	return false
}

// wordsBack returns a position at least n words before p (the word holding
// p counts as one), at the start of a word: after white space, or 0.
func wordsBack(s string, p, n int) int {
	for ; n > 0 && p > 0; n-- {
		for p > 0 { // to the start of this word
			r, size := utf8.DecodeLastRuneInString(s[:p])
			if unicode.IsSpace(r) {
				break
			}
			p -= size
		}
		for p > 0 { // over the white space before it
			r, size := utf8.DecodeLastRuneInString(s[:p])
			if !unicode.IsSpace(r) {
				break
			}
			p -= size
		}
	}
	for p > 0 { // back to the start of the word reached
		r, size := utf8.DecodeLastRuneInString(s[:p])
		if unicode.IsSpace(r) {
			break
		}
		p -= size
	}
	return p
}

// wordsForward returns a position at least n words after p (the rest of
// the word holding p counts as one), at the end of a word: before white
// space, or len(s).
func wordsForward(s string, p, n int) int {
	for ; n > 0 && p < len(s); n-- {
		for p < len(s) { // to the end of this word
			r, size := utf8.DecodeRuneInString(s[p:])
			if unicode.IsSpace(r) {
				break
			}
			p += size
		}
		for p < len(s) { // over the white space after it
			r, size := utf8.DecodeRuneInString(s[p:])
			if !unicode.IsSpace(r) {
				break
			}
			p += size
		}
	}
	for p < len(s) {
		r, size := utf8.DecodeRuneInString(s[p:])
		if unicode.IsSpace(r) {
			break
		}
		p += size
	}
	return p
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
