// Package swar tests eight bytes of a string at a time in one 64-bit word
// (SIMD within a register): the scans of text that the parser and the
// model's cleaning run over every byte read eight at a time with Load,
// little-endian, and set the high bit of each byte they look for;
// FirstFlagged is the offset of the first.
package swar

import "math/bits"

// The repeated bytes the tests are made of.
const (
	Ones  = 0x0101010101010101
	Lows  = 0x7f7f7f7f7f7f7f7f
	Highs = 0x8080808080808080
)

// Load reads the eight bytes of s from i, the first in the lowest byte.
// The bytes are indexed in the eight-byte slice, so that one bounds check
// stands for the eight and the compiler makes them one load.
func Load(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// FirstFlagged is the offset of the lowest byte of m with its high bit set.
func FirstFlagged(m uint64) int { return bits.TrailingZeros64(m) / 8 }

// Printable reports whether the eight bytes of x are all printable ASCII,
// space to '~'.
func Printable(x uint64) bool {
	below := (x - Ones*' ') &^ x & Highs // some byte under ' ' (the lowest is flagged exactly)
	above := (x + Ones*(0x80-0x7f) | x) & Highs
	return below|above == 0
}

// Spaces sets the high bit of each byte of x that is a space, exactly.
func Spaces(x uint64) uint64 {
	y := x ^ Ones*' '
	return ^((y&Lows + Lows) | y) & Highs
}

// Between sets the high bit of each byte of x from lo to hi, exactly; both
// must be ASCII. The low seven bits of each byte are added and subtracted
// without carries into the next: below hi+1, at or above lo, and ASCII.
func Between(x uint64, lo, hi byte) uint64 {
	below := Ones*(0x7f+uint64(hi)+1) - x&Lows
	above := x&Lows + Ones*(0x80-uint64(lo))
	return below &^ x & above & Highs
}
