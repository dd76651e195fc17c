package parse

import (
	"bytes"
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// The white-space functions as first written: each line split out and
// collapsed rune by rune. tidy must answer what they answer.

func collapseRef(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u00ad':
			continue
		case unicode.IsSpace(r) || r == '\u00a0':
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func tidyLinesRef(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = collapseRef(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func oneLineRef(s string) string { return collapseRef(strings.ReplaceAll(s, "\n", " ")) }

func collapseKeepEdgesRef(s string) string {
	c := collapseRef(s)
	if c == "" {
		if s != "" {
			return " "
		}
		return ""
	}
	if s != "" && strings.ContainsRune(" \t\n\r\f\u00a0", []rune(s)[0]) {
		c = " " + c
	}
	if r := []rune(s); len(r) > 0 && strings.ContainsRune(" \t\n\r\f\u00a0", r[len(r)-1]) {
		c += " "
	}
	return c
}

var spaceCases = []string{
	"", " ", "\n", "a", " a", "a ", "a  b", "a\nb", "a\n\nb", "\na\n", "a \n b", "a\u00a0b", "\u00a0a\u00a0",
	"a\u200bb", "\u200b", "x\u00ad", " <a href=\"x\">&amp;'</a> ", "\u00a0&\u00a0", "'\"", "a\tb\rc\fd\ve", "a\u0085b", "a\u2028b\u3000c", "\xff", "a\xe2\x80", "\xe2\x80\xa0",
	"\xc2\xa0", "\xe2\xc2\xa0", "a \xff b", "ü  é\n\n ß ", "a\x00b", " \n \n ", "a\r\nb",
	"eight by eight words", "12345678 abcdefg", "1234567  abcdefgh", "abcdefgh abcdefg ", "abcdefg  bcdefgh", "abcdefgh\nabcdefgh",
	"abcdefgh  bcdefgh", "abc defg hij klm~\x7f", " abcdefgh", "abcdefgh abcdefgh\n", "abcdefg\n abcdefgh", "abcdefgh \nabcdefgh",
}

// written is what writeText writes.
func written(s string) string {
	var b bytes.Buffer
	writeText(&b, s)
	return b.String()
}

func checkSpaces(t *testing.T, s string) {
	t.Helper()
	for _, c := range []struct {
		name      string
		got, want string
	}{
		{"collapse", collapse(s), collapseRef(s)},
		{"tidyLines", tidyLines(s), tidyLinesRef(s)},
		{"oneLine", oneLine(s), oneLineRef(s)},
		{"collapseKeepEdges", collapseKeepEdges(s), collapseKeepEdgesRef(s)},
		{"joinLines of tidyLines", joinLines(tidyLines(s)), oneLineRef(tidyLinesRef(s))},
		{"oneLine of oneLine", oneLine(oneLine(s)), oneLineRef(s)},
		{"writeText", written(s), html.EscapeString(collapseKeepEdgesRef(s))},
	} {
		if c.got != c.want {
			t.Errorf("%s(%q) = %q, want %q", c.name, s, c.got, c.want)
		}
	}
	if got, want := isTidy(s, false), collapseRef(s) == s; got != want {
		t.Errorf("isTidy(%q, false) = %v, want %v", s, got, want)
	}
	if got, want := isTidy(s, true), tidyLinesRef(s) == s; got != want {
		t.Errorf("isTidy(%q, true) = %v, want %v", s, got, want)
	}
}

func TestSpacesEqualFirstVersion(t *testing.T) {
	for _, s := range append(sampleTexts(t, spaceCases...), "a"+strings.Repeat(" \n", 100)+"b") {
		checkSpaces(t, s)
	}
}

func FuzzSpaces(f *testing.F) {
	fuzzStrings(f, spaceCases, checkSpaces)
}

func checkBlank(t *testing.T, body string) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	s := doc.Find("body")
	if got, want := blank(s.Get(0)), strings.TrimSpace(s.Text()) == ""; got != want {
		t.Errorf("blank(%q) = %v, want %v", body, got, want)
	}
}

func TestBlankEqualsText(t *testing.T) {
	for _, b := range []string{"", " ", "<p> \n</p>", "<p>\u00a0</p>", "<p>x</p>", "<script>x</script>", "<b>\xc2</b><i>\xa0</i>",
		"<p>\u3000</p><p> y</p>", "<table><tr><td>\t</td></tr></table>", "\x85", "<p>\xe2\x80</p>\xa8"} {
		checkBlank(t, b)
	}
}

func FuzzBlank(f *testing.F) {
	f.Add("<b>\xc2</b><i>\xa0</i>")
	f.Fuzz(checkBlank)
}
