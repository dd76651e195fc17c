package parse_test

import (
	"encoding/base64"
	"net/url"
	"testing"

	"github.com/lga-digital/bulletin/internal/parse"
)

func lnks(payload string) string {
	return "https://lnks.gd/l/eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2ln/s/2131547017/br/238443-l"
}

func TestCleanURL(t *testing.T) {
	base, _ := url.Parse("https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025")
	tests := []struct {
		name, href, want string
	}{
		{"lnks.gd unwrapped and utm stripped",
			lnks(`{"bulletin_link_id":"101","uri":"bp2:click","url":"https://www.local.gov.uk/a?utm_medium=email&utm_source=govdelivery","bulletin_id":"20240321.9214491"}`),
			"https://www.local.gov.uk/a"},
		{"lnks.gd keeps other parameters and fragment",
			lnks(`{"url":"https://example.org/p?id=7&utm_campaign=x&q=a%20b#sec"}`),
			"https://example.org/p?id=7&q=a%20b#sec"},
		{"lnks.gd padded base64", "https://lnks.gd/l/x." + base64.URLEncoding.EncodeToString([]byte(`{"url":"https://example.org/x"}`)) + ".s",
			"https://example.org/x"},
		{"lnks.gd with a bad payload stays", "https://lnks.gd/l/x.!!!.s/s/1", "https://lnks.gd/l/x.!!!.s/s/1"},
		{"lnks.gd payload to a javascript URL stays wrapped", lnks(`{"url":"javascript:alert(1)"}`), lnks(`{"url":"javascript:alert(1)"}`)},
		{"old GovDelivery tracker", "https://links.govdelivery.com:443/track?type=click&enid=ZW&url=https%3A%2F%2Fwww.ncsc.gov.uk%2Fguidance%3Futm_source%3Dgd", "https://www.ncsc.gov.uk/guidance"},
		{"utm only", "https://example.org/?utm_source=a&utm_medium=b", "https://example.org/"},
		{"UTM upper case", "https://example.org/x?UTM_Source=a&k=v", "https://example.org/x?k=v"},
		{"relative", "/attachments/UKLGA/file.pdf", "https://content.govdelivery.com/attachments/UKLGA/file.pdf"},
		{"relative dot", "../bulletins/3bf5353", "https://content.govdelivery.com/accounts/UKLGA/bulletins/3bf5353"},
		{"protocol relative", "//www.gov.uk/x", "https://www.gov.uk/x"},
		{"mailto lowercased", "mailto:CyberAndDigital@Local.gov.uk?subject=Hi", "mailto:cyberanddigital@local.gov.uk"},
		{"mailto not an address", "mailto:nobody", ""},
		{"javascript", "javascript:void(0)", ""},
		{"fragment only", "#top", ""},
		{"empty", "  ", ""},
		{"unparseable", "http://[::1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parse.CleanURL(base, tt.href); got != tt.want {
				t.Errorf("CleanURL(%q) = %q, want %q", tt.href, got, tt.want)
			}
		})
	}
}
