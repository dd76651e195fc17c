package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/lga-digital/bulletin/internal/swar"
)

// inlineText renders inline nodes as plain text: white space collapsed, <br>
// as a line break, lines trimmed, empty lines dropped.
func inlineText(nodes []*html.Node) string {
	t := textWriter{nodes: nodes}
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			t.write(n.Data)
		case html.ElementNode:
			if skipAtoms[n.DataAtom] || hidden(n) {
				return
			}
			switch n.DataAtom {
			case atom.Br:
				t.write("\n")
				return
			case atom.P, atom.Div, atom.Li, atom.Tr, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Table, atom.Ul, atom.Ol:
				// block content inside inline content (malformed mail HTML): keep it apart
				t.write("\n")
				defer t.write("\n")
			case atom.Td, atom.Th:
				t.write(" ")
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
		}
	}
	for _, n := range nodes {
		visit(n)
	}
	return tidyLines(t.String())
}

// textWriter gathers inlineText's pieces. The first is kept as it is, and
// a builder is made (once, of textSize) only for a second: most runs are a
// single text node, whose text is then not copied.
type textWriter struct {
	nodes  []*html.Node // what is written from, for textSize
	first  string
	pieces int
	b      strings.Builder
}

func (t *textWriter) write(s string) {
	switch t.pieces {
	case 0:
		t.first, t.pieces = s, 1
		return
	case 1:
		t.b.Grow(textSize(t.nodes))
		t.b.WriteString(t.first)
		t.pieces = 2
	}
	t.b.WriteString(s)
}

// String is what was written.
func (t *textWriter) String() string {
	if t.pieces < 2 {
		return t.first
	}
	return t.b.String()
}

// textSize bounds what inlineText writes for nodes: their text and two
// bytes for every element, so that its builder is allocated once.
func textSize(nodes []*html.Node) int {
	size := 0
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode {
			size += len(n.Data)
			return
		}
		size += 2
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	for _, n := range nodes {
		visit(n)
	}
	return size
}

// blank reports whether the text of n (goquery's Text) is only white
// space, without building it: the first ASCII character that is not white
// space in a text node answers. Only when there is none but there are
// non-ASCII bytes (which decode together across nodes) is the text built.
func blank(n *html.Node) bool {
	nonASCII := false
	var visit func(*html.Node) bool
	visit = func(n *html.Node) bool {
		if n.Type == html.TextNode {
			for i := 0; i < len(n.Data); i++ {
				switch c := n.Data[i]; {
				case c >= utf8.RuneSelf:
					nonASCII = true
				case !asciiSpace(c):
					return true
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if visit(c) {
				return true
			}
		}
		return false
	}
	if visit(n) {
		return false
	}
	return !nonASCII || strings.TrimSpace(nodeText(n)) == ""
}

// asciiSpace reports the ASCII white space of unicode.IsSpace.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// tidyLines collapses white space within lines and drops empty lines.
func tidyLines(s string) string { return tidy(s, true) }

// collapse replaces runs of white space (including no-break spaces and
// zero-width characters) with one space and trims the ends.
func collapse(s string) string { return tidy(s, false) }

// oneLine joins the lines of a text with spaces (it is collapse, a line
// break being white space).
func oneLine(s string) string {
	if isTidy(s, true) {
		return strings.ReplaceAll(s, "\n", " ") // the lines of inlineText
	}
	return collapse(s)
}

// joinLines is oneLine of a text that tidyLines made (inlineText's): that
// text is tidy, so its lines need only be joined, without the scan that
// oneLine makes to find out.
func joinLines(t string) string { return strings.ReplaceAll(t, "\n", " ") }

// tidy is collapse, or with lines tidyLines: one pass over s, and s itself
// when it is tidy already. Invalid UTF-8 becomes U+FFFD.
func tidy(s string, lines bool) string {
	if isTidy(s, lines) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space, newline, content := false, false, false // content: the line has some
	for _, r := range s {
		switch {
		case zeroWidth(r):
			continue
		case r == '\n' && lines:
			newline = newline || b.Len() > 0
			space, content = false, false
			continue
		case unicode.IsSpace(r) || r == '\u00a0':
			space = true
			continue
		}
		if newline {
			b.WriteByte('\n')
		} else if space && content {
			b.WriteByte(' ')
		}
		space, newline, content = false, false, true
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isTidy reports whether tidy(s, lines) is s: valid UTF-8 with no zero-width
// characters, and single spaces (or, with lines, single line breaks) only
// between other characters.
func isTidy(s string, lines bool) bool {
	sep := true // at the start, or after a space or line break
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			// Eight bytes of printable ASCII with no two spaces side by
			// side, the first no space after a separator, are tidy.
			x := swar.Load(s, i)
			sp := swar.Spaces(x)
			if swar.Printable(x) && sp&(sp<<8) == 0 && !(sep && sp&0x80 != 0) {
				sep, i = sp>>63 != 0, i+8
				continue
			}
		}
		if j := graphicRun(s, i); j > i { // a run of printable ASCII
			sep, i = false, j
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case ' ':
				if sep {
					return false
				}
				sep = true
			case '\n':
				if sep || !lines {
					return false
				}
				sep = true
			case '\t', '\v', '\f', '\r':
				return false
			default:
				sep = false
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || zeroWidth(r) || unicode.IsSpace(r) || r == '\u00a0' {
			return false
		}
		sep = false
		i += n
	}
	return !sep || s == ""
}

// graphicRun returns the end of the run of bytes from i that are ASCII and
// not white space or control characters below it ('!' to DEL), testing
// eight at a time.
func graphicRun(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		x := swar.Load(s, i)
		// The high bit of each byte under '!' or over DEL; the lowest set
		// is exact (a borrow only flags bytes above a flagged one).
		if m := ((x-swar.Ones*'!')&^x | x) & swar.Highs; m != 0 {
			return i + swar.FirstFlagged(m)
		}
	}
	for i < len(s) && s[i] > ' ' && s[i] < utf8.RuneSelf {
		i++
	}
	return i
}

// runesAtMost reports whether s has at most n runes (a byte that is not
// UTF-8 counting as one, as utf8.RuneCountInString counts), counting them
// only when its length in bytes does not answer, and only until there are
// more than n (a paragraph is no heading well before its end).
func runesAtMost(s string, n int) bool {
	switch {
	case len(s) <= n:
		return true
	case len(s) > n*utf8.UTFMax:
		return false
	}
	for i := 0; i < len(s); n-- {
		if n == 0 {
			return false
		}
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return true
}

// zeroWidth reports the characters collapse drops: zero-width spaces and
// joiners, the byte order mark, the soft hyphen.
func zeroWidth(r rune) bool {
	return r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u00ad'
}

// listText renders a list with one item per line (nested items too).
func listText(list *html.Node) string {
	var lines []string
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Li {
				var own []*html.Node
				var nested []*html.Node
				for d := c.FirstChild; d != nil; d = d.NextSibling {
					if d.Type == html.ElementNode && (d.DataAtom == atom.Ul || d.DataAtom == atom.Ol) {
						nested = append(nested, d)
						continue
					}
					own = append(own, d)
				}
				if t := joinLines(inlineText(own)); t != "" {
					lines = append(lines, t)
				}
				for _, l := range nested {
					visit(l)
				}
				continue
			}
			visit(c)
		}
	}
	visit(list)
	return strings.Join(lines, "\n")
}

// tableText renders a data table one row per line, cells separated by " | ".
func tableText(t *html.Node) string {
	var lines []string
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Tr {
				var cells []string
				for d := c.FirstChild; d != nil; d = d.NextSibling {
					if d.Type == html.ElementNode && (d.DataAtom == atom.Td || d.DataAtom == atom.Th) {
						if t := joinLines(inlineText(childNodes(d))); t != "" {
							cells = append(cells, t)
						}
					}
				}
				if len(cells) > 0 {
					lines = append(lines, strings.Join(cells, " | "))
				}
				continue
			}
			visit(c)
		}
	}
	visit(t)
	return strings.Join(lines, "\n")
}

func isLetter(r rune) bool { return unicode.IsLetter(r) }
