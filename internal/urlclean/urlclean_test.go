package urlclean

import "testing"

func TestStripUTM(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"utm_source=govdelivery&utm_medium=email", ""},
		{"id=7&utm_source=x&page=2", "id=7&page=2"},
		{"UTM_Campaign=x&a=1", "a=1"},
		{"utm%5Fsource=x&b=2", "b=2"},
		{"a=1&&b=2&", "a=1&b=2"},
		{"q=two words", "q=two%20words"},
		{"utm=keep", "utm=keep"},
	}
	for _, tt := range tests {
		if got := StripUTM(tt.in); got != tt.want {
			t.Errorf("StripUTM(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := StripUTM(StripUTM(tt.in)); again != StripUTM(tt.in) {
			t.Errorf("StripUTM not idempotent on %q", tt.in)
		}
	}
}
