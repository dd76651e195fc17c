package model

import "testing"

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
