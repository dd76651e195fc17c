package swar

import (
	"strings"
	"testing"
)

// TestEveryByte puts each byte value at each position of a word of 'a's
// and checks every test against the byte-by-byte statement.
func TestEveryByte(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := range 8 {
			b := []byte(strings.Repeat("a", 8))
			b[pos] = byte(c)
			x := Load(string(b), 0)
			if got, want := Printable(x), c >= ' ' && c <= '~'; got != want {
				t.Fatalf("Printable with %#x at %d = %v, want %v", c, pos, got, want)
			}
			want := uint64(0)
			if c == ' ' {
				want = 0x80 << (8 * pos)
			}
			if got := Spaces(x); got != want {
				t.Fatalf("Spaces with %#x at %d = %#x, want %#x", c, pos, got, want)
			}
			for _, r := range betweenCases {
				want := uint64(0)
				for i := range 8 {
					if r.lo <= b[i] && b[i] <= r.hi {
						want |= 0x80 << (8 * i)
					}
				}
				if got := Between(x, r.lo, r.hi); got != want {
					t.Fatalf("Between(%#x at %d, %q, %q) = %#x, want %#x", c, pos, r.lo, r.hi, got, want)
				}
			}
			if m := uint64(0x80) << (8 * pos); FirstFlagged(m|m<<8) != pos {
				t.Fatalf("FirstFlagged(%#x) = %d, want %d", m, FirstFlagged(m), pos)
			}
		}
	}
}

// betweenCases are ranges for Between: the edges of ASCII, one byte, and
// the parser's.
var betweenCases = []struct{ lo, hi byte }{{0, 0x7f}, {0, 0}, {0x7f, 0x7f}, {'a', 'a'}, {'0', '9'}, {'"', '\''}, {'<', '>'}, {1, 0x7e}}

// FuzzBetween checks Between on any eight bytes and ASCII range.
func FuzzBetween(f *testing.F) {
	f.Add("09/:\x80\xb0\xff\x00", byte('0'), byte('9'))
	f.Fuzz(func(t *testing.T, s string, lo, hi byte) {
		lo, hi = min(lo&0x7f, hi&0x7f), max(lo&0x7f, hi&0x7f)
		if len(s) < 8 {
			return
		}
		var want uint64
		for i := range 8 {
			if lo <= s[i] && s[i] <= hi {
				want |= 0x80 << (8 * i)
			}
		}
		if got := Between(Load(s, 0), lo, hi); got != want {
			t.Errorf("Between(%q, %#x, %#x) = %#x, want %#x", s[:8], lo, hi, got, want)
		}
	})
}

// FuzzSpaces checks Spaces and Printable on any eight bytes.
func FuzzSpaces(f *testing.F) {
	f.Add("a  b\x00 ~\x7f")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) < 8 {
			return
		}
		x := Load(s, 0)
		var want uint64
		printable := true
		for i := range 8 {
			if s[i] == ' ' {
				want |= 0x80 << (8 * i)
			}
			printable = printable && s[i] >= ' ' && s[i] <= '~'
		}
		if got := Spaces(x); got != want {
			t.Errorf("Spaces(%q) = %#x, want %#x", s[:8], got, want)
		}
		if got := Printable(x); got != printable {
			t.Errorf("Printable(%q) = %v, want %v", s[:8], got, printable)
		}
	})
}
