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
			if m := uint64(0x80) << (8 * pos); FirstFlagged(m|m<<8) != pos {
				t.Fatalf("FirstFlagged(%#x) = %d, want %d", m, FirstFlagged(m), pos)
			}
		}
	}
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
