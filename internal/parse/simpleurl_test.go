package parse

import (
	"net/url"
	"reflect"
	"testing"
)

// FuzzSimpleURL holds simpleURL to what it stands for: where it takes an
// address, url.Parse gives the same URL, resolving it against a base
// leaves it as it is, and its String is the address again.
func FuzzSimpleURL(f *testing.F) {
	base, err := url.Parse("https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025")
	if err != nil {
		f.Fatal(err)
	}
	fuzzStrings(f, []string{
		"https://lnks.gd/l/eyJhbGciOiJIUzI1NiJ9.eyJ1cmwiOiJodHRwczovL3gudWsvIn0.c2ln/s/2131547017/br/238443-l",
		"https://www.local.gov.uk/a?utm_medium=email&utm_source=govdelivery",
		"http://example.org", "https://example.org?", "https://example.org/?q=a%20b",
		"https://example.org/a/../b", "https://example.org/./b", "https://example.org//x/", "https://Example.ORG/x",
		"https://example.org:443/x", "https://u@example.org/x", "https://example.org/a b", "https://example.org/a#f",
		"HTTPS://example.org/", "https:///x", "https://example.org/p?x=1?y", "https://example.org/%41",
	}, func(t *testing.T, s string) {
		got, ok := simpleURL(s)
		if !ok {
			return
		}
		want, err := url.Parse(s)
		if err != nil {
			t.Fatalf("simpleURL(%q) took an address url.Parse refuses: %v", s, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("simpleURL(%q) = %#v, url.Parse gives %#v", s, got, want)
		}
		if r := base.ResolveReference(want); !reflect.DeepEqual(r, want) {
			t.Errorf("%q resolves to %#v", s, r)
		}
		if got.String() != s {
			t.Errorf("simpleURL(%q).String() = %q", s, got.String())
		}
	})
}
