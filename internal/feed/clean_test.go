package feed

import (
	"testing"
	"time"
)

func TestIsAbsURI(t *testing.T) {
	for in, want := range map[string]bool{
		"https://example.org/a#b":          true,
		"urn:bulletin:item:lga-3bf5353-aa": true,
		"tag:example.org,2024:x":           true,
		"mailto:a@b":                       true,
		"":                                 false,
		"abc":                              false,
		":abc":                             false,
		"1http://x":                        false,
		"http:":                            false,
		"urn:a b":                          false,
		"urn:a<b>":                         false,
		"urn:a\nb":                         false,
		"c:\\windows":                      false,
		"urn:a%2Fb":                        true,
		"urn:a%2":                          false,
		"urn:a%zz":                         false,
	} {
		if got := isAbsURI(in); got != want {
			t.Errorf("isAbsURI(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestEntryGUID(t *testing.T) {
	pub := time.Date(2024, 3, 21, 10, 5, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		e    Entry
		want string
	}{
		{"urn kept", Entry{ID: "urn:bulletin:item:x"}, "urn:bulletin:item:x"},
		{"url kept", Entry{ID: "https://example.org/a"}, "https://example.org/a"},
		{"trimmed", Entry{ID: "  urn:x:y \n"}, "urn:x:y"},
		{"cleaned first", Entry{ID: "\x00urn:x:\xffy"}, "urn:x:y"},
		{"scheme lower-cased", Entry{ID: "HTTPS://Example.org/A"}, "https://Example.org/A"},
		{"non-ASCII encoded", Entry{ID: "https://example.org/café"}, "https://example.org/caf%C3%A9"},
		{"bad escape", Entry{ID: "urn:x:%zz"}, "urn:bulletin:entry:urn:x:%25zz"},
		{"not a uri", Entry{ID: "a b/c"}, "urn:bulletin:entry:a%20b%2Fc"},
		{"empty falls back to URL", Entry{URL: "https://example.org/b"}, "https://example.org/b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := entryGUID(tc.e); got != tc.want {
				t.Errorf("entryGUID = %q, want %q", got, tc.want)
			}
		})
	}
	// Nothing to go on: derived from title and time, stable, a URI, distinct.
	e := Entry{Title: "t", Published: pub}
	got := entryGUID(e)
	if again := entryGUID(e); got != again || !isAbsURI(got) || len(got) != len("urn:bulletin:entry:")+20 {
		t.Errorf("entryGUID = %q then %q", got, again)
	}
	e.Title = "u"
	if entryGUID(e) == got {
		t.Errorf("different entries share the GUID %q", got)
	}
}

func TestICalEscape(t *testing.T) {
	for in, want := range map[string]string{
		`a\b`:          `a\\b`,
		"a;b,c":        `a\;b\,c`,
		"a\r\nb\rc\nd": `a\nb\nc\nd`,
		"a\x00b\tc":    "ab\tc",
		"“é” 🎉":        "“é” 🎉",
		"":             "",
	} {
		if got := icalEscape(in); got != want {
			t.Errorf("icalEscape(%q) = %q, want %q", in, got, want)
		}
	}
}
