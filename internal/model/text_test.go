package model

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Cyber “Essentials” 🎉", "Cyber “Essentials” 🎉"},
		{"whitespace kept", "a\tb\nc\rd", "a\tb\nc\rd"},
		{"C0 controls", "a\x00b\x01\x08c\x0b\x0c\x1fd", "abcd"},
		{"DEL", "a\x7fb", "ab"},
		{"invalid UTF-8", "a\xffb\xc3\x28c", "ab(c"},
		{"truncated sequence", "a\xe2\x82", "a"},
		{"lone surrogate", "a\xed\xa0\x80b\xed\xbf\xbfc", "abc"},
		{"non-characters", "a\uFFFEb\uFFFFc", "abc"},
		{"replacement char kept", "a\uFFFDb", "a\uFFFDb"},
		{"C1 and private use kept", "a\u0085b\ue000c", "a\u0085b\ue000c"},
		{"markup untouched", "<script>]]>&", "<script>]]>&"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CleanText(tc.in); got != tc.want {
				t.Errorf("CleanText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzCleanText(f *testing.F) {
	f.Add("Cyber “Essentials”\x00\x7f\xff and more text than eight bytes")
	f.Fuzz(func(t *testing.T, s string) {
		var want []rune
		for i, r := range s {
			if _, n := utf8.DecodeRuneInString(s[i:]); !(r == utf8.RuneError && n == 1) && xmlSafe(r) {
				want = append(want, r)
			}
		}
		if got := CleanText(s); got != string(want) {
			t.Errorf("CleanText(%q) = %q, want %q", s, got, string(want))
		}
	})
}

// foldPlain is the statement of fold that it keeps: the text lowered by
// strings.ToLower, its letters and digits kept in runs joined by sep.
func foldPlain(s string, sep byte) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if gap && b.Len() > 0 {
				b.WriteByte(sep)
			}
			b.WriteRune(r)
			gap = false
			continue
		}
		gap = true
	}
	return b.String()
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Cyber “Essentials”: 2024!", "ÀÉ ΣΑΣ İstanbul", "a\xffb", "Health & Care", " x "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := NormaliseTitle(s), foldPlain(s, ' '); got != want {
			t.Errorf("NormaliseTitle(%q) = %q, want %q", s, got, want)
		}
		if got, want := Slug(s), foldPlain(s, '-'); got != want {
			t.Errorf("Slug(%q) = %q, want %q", s, got, want)
		}
	})
}
