package parse

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html/charset"
)

var (
	headEndRe = regexp.MustCompile(`(?i)</head\s*>|<body\b`)
	metaRe    = regexp.MustCompile(`(?is)<meta\b[^>]*>`)
)

// metaCharsetRe is the plain statement of metaCharset: the head ends at
// headEndRe's first match, and each of metaRe's matches in it is read.
func metaCharsetRe(page []byte) string {
	head := page[:min(len(page), maxHeadBytes)]
	if loc := headEndRe.FindIndex(head); loc != nil {
		head = head[:loc[0]]
	}
	for _, m := range metaRe.FindAll(head, -1) {
		if c := metaCharsRe.FindSubmatch(m); c != nil {
			if e, name := charset.Lookup(string(c[1])); e != nil {
				return name
			}
		}
	}
	return ""
}

func FuzzMetaCharset(f *testing.F) {
	fuzzStrings(f, []string{
		`<html><head><meta charset="utf-8"></head>`,
		`<HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=windows-1252"></HEAD>`,
		`<meta name=x><meta charset=latin1>`, `<metadata charset=utf-8><meta charset=koi8-r>`,
		`<head></head ><meta charset=koi8-r>`, `</head	x><meta charset=koi8-r>`, `<bodyx><meta charset=koi8-r>`,
		`<body><meta charset=koi8-r>`, `<meta charset=nonsense><meta charset=utf-8>`, `<meta charset=utf-8`,
		`<meta`, `<</head>`, `<meta<meta charset=utf-16le>>`, "<meta\ncharset=iso-8859-2>",
		strings.Repeat("x", maxHeadBytes-10) + "<meta charset=koi8-r>",
	}, func(t *testing.T, s string) {
		if got, want := metaCharset([]byte(s)), metaCharsetRe([]byte(s)); got != want {
			t.Errorf("metaCharset(%q) = %q, the regexps give %q", s, got, want)
		}
	})
}
