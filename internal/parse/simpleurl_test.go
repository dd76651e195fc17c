package parse

import (
	"encoding/json"
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

// FuzzClaimURL holds flatClaimURL to json.Unmarshal: where it reads a
// payload, Unmarshal reads the same claim from it.
func FuzzClaimURL(f *testing.F) {
	fuzzStrings(f, []string{
		`{"bulletin_link_id":"115","uri":"bp2:click","url":"https://www.gov.uk/x?utm_medium=email","bulletin_id":"20240321.9214491"}`,
		`{}`, ` { } `, `{"url":"a","URL":"b"}`, `{"Url" : "c" , "x":"y"}`, `{"url":"a",}`, `{"url":"a"}x`, `{"url":1}`,
		`{"url":"a\"b"}`, `{"url":"\u0041"}`, "{\"url\":\"\xff\"}", `{"url":"a"`, `{"url"}`, `{"ur l":"a"}`, "{\"url\":\"a\"}\n",
		`["url"]`, `{"u\u0072l":"a"}`, `{"url":null}`, `{"uRl":"x","url":"y","x":"z"}`,
	}, func(t *testing.T, s string) {
		got, ok := flatClaimURL([]byte(s))
		if !ok {
			return
		}
		var claims struct {
			URL string `json:"url"`
		}
		if err := json.Unmarshal([]byte(s), &claims); err != nil {
			t.Fatalf("flatClaimURL(%q) read a payload json.Unmarshal refuses: %v", s, err)
		}
		if got != claims.URL {
			t.Errorf("flatClaimURL(%q) = %q, json.Unmarshal reads %q", s, got, claims.URL)
		}
	})
}
