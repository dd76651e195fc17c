package model

import (
	"strings"
	"unicode/utf8"

	"github.com/lga-digital/bulletin/internal/swar"
)

// xmlSafe reports whether r may appear in an XML 1.0 document (and in
// iCalendar TEXT). DEL is excluded too: XML allows it, iCalendar does not,
// and it never carries meaning in a bulletin.
func xmlSafe(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20 || r == 0x7f:
		return false
	case r <= 0xd7ff:
		return true
	case r >= 0xe000 && r <= 0xfffd:
		return true
	case r >= 0x10000 && r <= utf8.MaxRune:
		return true
	}
	return false
}

// CleanText removes from s every character that XML 1.0 cannot carry and
// every byte that is not part of valid UTF-8 (which includes encoded lone
// surrogates), so that every string the parser gives and every feed writes
// can go into XML, JSON and iCalendar as is. It returns s itself when there
// is nothing to remove.
func CleanText(s string) string {
	bad := -1
	for i := 0; i < len(s); {
		if i+8 <= len(s) && swar.Printable(swar.Load(s, i)) {
			i += 8
			continue
		}
		if c := s[i]; c < utf8.RuneSelf { // ASCII: no decoding
			if c >= 0x20 && c != 0x7f || c == '\t' || c == '\n' || c == '\r' {
				i++
				continue
			}
			bad = i
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !xmlSafe(r) {
			bad = i
			break
		}
		i += size
	}
	if bad < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:bad])
	for i := bad; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !(r == utf8.RuneError && size == 1) && xmlSafe(r) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
