package model

import "testing"

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
