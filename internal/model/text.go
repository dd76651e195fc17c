package model

import (
	"strings"
	"unicode/utf8"
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

// printable8 reports whether the 8 bytes of s are all printable ASCII
// (0x20 to 0x7e), testing them together.
func printable8(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	below := (x - ones*0x20) &^ x & highs         // a byte under 0x20 (or over 0x7f)
	above := ((x + ones*(0x7f-0x7e)) | x) & highs // a byte over 0x7e
	return below|above == 0
}

// CleanText removes from s every character that XML 1.0 cannot carry and
// every byte that is not part of valid UTF-8 (which includes encoded lone
// surrogates), so that every string the parser gives and every feed writes
// can go into XML, JSON and iCalendar as is. It returns s itself when there
// is nothing to remove.
func CleanText(s string) string {
	bad := -1
	for i := 0; i < len(s); {
		if i+8 <= len(s) && printable8(s[i:i+8]) {
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
