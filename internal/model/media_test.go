package model

import (
	"net/url"
	"path"
	"strings"
	"testing"
)

func TestDocumentType(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.org/a/report.pdf":             "application/pdf",
		"https://example.org/a/REPORT.PDF?x=1#p2":      "application/pdf",
		"https://example.org/data.zip":                 "application/zip",
		"/files/table.csv":                             "text/csv",
		"https://example.org/page.html":                "",
		"https://example.org/pdf":                      "",
		"https://example.org/a.pdf/view":               "",
		"https://example.org/%zz.pdf":                  "",
		"https://example.org/download?file=report.pdf": "",
	} {
		if got := DocumentType(in); got != want {
			t.Errorf("DocumentType(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{
		"application/pdf":          true,
		"Application/PDF; name=a":  true,
		" application/zip ":        true,
		"text/html":                false,
		"application/octet-stream": false,
		"":                         false,
	} {
		if got := IsDocumentType(in); got != want {
			t.Errorf("IsDocumentType(%q) = %v, want %v", in, got, want)
		}
	}
}

// documentTypeRef is DocumentType as first written: every URL parsed.
func documentTypeRef(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return documentTypes[strings.ToLower(path.Ext(u.Path))]
}

func FuzzDocumentType(f *testing.F) {
	for _, s := range []string{"https://example.org/a/REPORT.PDF?x=1#p2", "/files/table.csv", "a.pdf:x", "https://files.pdf",
		"report.pdf", "https://x/a%2Epdf", "https://x/a.pdf%3Fq", "https://x/a?b.pdf", "https://x/a#b.pdf", "x:/a.csv", "//h/a.zip?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := DocumentType(s), documentTypeRef(s); got != want {
			t.Errorf("DocumentType(%q) = %q, want %q", s, got, want)
		}
	})
}
