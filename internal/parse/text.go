package parse

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// inlineText renders inline nodes as plain text: white space collapsed, <br>
// as a line break, lines trimmed, empty lines dropped.
func inlineText(nodes []*html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			if skipAtoms[n.DataAtom] || hidden(n) {
				return
			}
			switch n.DataAtom {
			case atom.Br:
				b.WriteByte('\n')
				return
			case atom.P, atom.Div, atom.Li, atom.Tr, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Table, atom.Ul, atom.Ol:
				// block content inside inline content (malformed mail HTML): keep it apart
				b.WriteByte('\n')
				defer b.WriteByte('\n')
			case atom.Td, atom.Th:
				b.WriteByte(' ')
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
		}
	}
	for _, n := range nodes {
		visit(n)
	}
	return tidyLines(b.String())
}

// tidyLines collapses white space within lines and drops empty lines.
func tidyLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = collapse(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// collapse replaces runs of white space (including no-break spaces and
// zero-width characters) with one space and trims the ends.
func collapse(s string) string {
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

// oneLine joins the lines of a text with spaces.
func oneLine(s string) string { return collapse(strings.ReplaceAll(s, "\n", " ")) }

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
				if t := oneLine(inlineText(own)); t != "" {
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
						if t := oneLine(inlineText(childNodes(d))); t != "" {
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
