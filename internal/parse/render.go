package parse

import (
	"bytes"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/swar"
)

// The renderer writes an item's HTML once, from the nodes, through an
// allow-list: the elements of keptAtoms and no attribute but a link's href
// (http, https or mailto; see safeHref), its text escaped. That is the
// policy of an allow-list sanitiser (bluemonday: p, br, ul, ol, li, table,
// thead, tbody, tr, td, th, strong, em, b, i, h2–h4, a with a parseable
// href of those schemes), which would leave the output as it is: the tests
// pass every rendered item and editorial through it (Sanitize in
// export_test.go), so the HTML is not parsed a second time to be cleaned.

// keptAtoms are the elements the renderer writes out; all others are
// replaced by their content.
var keptAtoms = map[atom.Atom]string{
	atom.P: "p", atom.Br: "br", atom.Ul: "ul", atom.Ol: "ol", atom.Li: "li",
	atom.Table: "table", atom.Thead: "thead", atom.Tbody: "tbody", atom.Tr: "tr", atom.Td: "td", atom.Th: "th",
	atom.Strong: "strong", atom.Em: "em", atom.B: "b", atom.I: "i", atom.A: "a",
	atom.H1: "h2", atom.H2: "h2", atom.H3: "h3", atom.H4: "h4", atom.H5: "h4", atom.H6: "h4",
}

// rendered is an item's content in its output forms.
type rendered struct {
	text   string
	titled string // the title render was given, "\n" and text: what extract reads
	html   string
	links  []model.Link
	mailto []string // addresses of mailto links, in order
}

// render produces the text, allow-listed HTML and links of an item's blocks;
// the text is built after title and a line break, so that extract reads
// both without another copy.
func (p *parser) render(d draft, title string) rendered {
	var r rendered
	seen := map[string]bool{}
	addLinks := func(nodes []*html.Node) {
		for _, n := range nodes {
			p.collectLinks(n, &r, seen)
		}
	}
	if d.head != nil {
		addLinks(d.head.nodes)
	}
	size := len(title) + 1
	for _, blk := range d.blocks {
		size += len(blk.text) + 2
	}
	var t strings.Builder
	t.Grow(size)
	t.WriteString(title)
	t.WriteByte('\n')
	b := &p.html
	b.Reset()
	for _, blk := range d.blocks {
		if blk.text != "" {
			if t.Len() > len(title)+1 {
				t.WriteString("\n\n")
			}
			t.WriteString(blk.text)
		}
		p.blockHTML(b, blk)
		addLinks(blk.nodes)
	}
	r.titled = t.String()
	text := r.titled[len(title)+1:]
	if r.text = model.CleanText(text); r.text != text {
		r.titled = title + "\n" + r.text
	}
	r.html = model.CleanText(b.String())
	return r
}

// blockHTML writes one block as HTML.
func (p *parser) blockHTML(b *bytes.Buffer, blk *block) {
	switch blk.kind {
	case kindPara:
		b.WriteString("<p>")
		for _, n := range blk.nodes {
			p.writeNode(b, n)
		}
		b.WriteString("</p>")
	case kindHeading:
		b.WriteString("<h3>")
		b.WriteString(html.EscapeString(blk.text))
		b.WriteString("</h3>")
	case kindList, kindTable:
		for _, n := range blk.nodes {
			p.writeNode(b, n)
		}
	}
	b.WriteByte('\n')
}

// writeNode writes n keeping only allowed elements, no attributes but a
// cleaned absolute href, and collapsed white space.
func (p *parser) writeNode(b *bytes.Buffer, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		writeText(b, n.Data)
		return
	case html.ElementNode:
	default:
		return
	}
	if skipAtoms[n.DataAtom] || hidden(n) || n.DataAtom == atom.Img {
		return
	}
	tag, ok := keptAtoms[n.DataAtom]
	if tag == "a" {
		href := p.link(attr(n, "href")).href
		if href == "" {
			ok = false
		} else {
			b.WriteString(`<a href="`)
			b.WriteString(html.EscapeString(href))
			b.WriteString(`">`)
		}
	} else if ok {
		b.WriteByte('<')
		b.WriteString(tag)
		b.WriteByte('>')
	}
	if tag == "br" {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		p.writeNode(b, c)
	}
	if ok {
		b.WriteString("</")
		b.WriteString(tag)
		b.WriteByte('>')
	}
}

// writeText writes html.EscapeString(collapseKeepEdges(s)) to b in one pass
// over s, without making either string: text nodes are mostly indented
// source, which collapse would copy.
func writeText(b *bytes.Buffer, s string) {
	if s == "" {
		return
	}
	space := isSpaceStart(s) // a space is due before the next character
	wrote := false
	for i := 0; i < len(s); {
		if j := plainRun(s, i); j > i { // most of a text: written as it is
			if space {
				b.WriteByte(' ')
			}
			space, wrote = false, true
			b.WriteString(s[i:j])
			i = j
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if asciiSpace(c) {
				space = wrote || space
				continue
			}
			if space {
				b.WriteByte(' ')
			}
			space, wrote = false, true
			if c == '&' || c == '\'' || c == '<' || c == '>' || c == '"' {
				b.WriteString(html.EscapeString(s[i-1 : i])) // the escapes are html's
			} else {
				b.WriteByte(c)
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case zeroWidth(r):
			continue
		case unicode.IsSpace(r) || r == '\u00a0':
			space = wrote || space
			continue
		}
		if space {
			b.WriteByte(' ')
		}
		space, wrote = false, true
		b.WriteRune(r) // U+FFFD for a byte that is not UTF-8, as collapse
	}
	if !wrote || isSpaceEnd(s) {
		b.WriteByte(' ')
	}
}

// plainRun returns the end of the run of bytes from i that writeText
// writes as they are: printable ASCII other than space and the characters
// html.EscapeString escapes, and single spaces between them (collapsing
// leaves a space between two words as it is). Eight bytes are passed at
// once where they are plainly such: printable ASCII outside 0x22–0x27 and
// 0x3c–0x3e (html's five escaped characters and four more), with no two
// spaces side by side, none last, and none first at the start of the run.
func plainRun(s string, i int) int {
	start := i
	for i < len(s) {
		if i+8 <= len(s) {
			x := swar.Load(s, i)
			sp := swar.Spaces(x)
			if swar.Printable(x) && swar.Between(x, '"', '\'')|swar.Between(x, '<', '>') == 0 &&
				sp&(sp<<8) == 0 && sp>>56 == 0 && (i > start || sp&0x80 == 0) {
				i += 8
				continue
			}
		}
		if plainByte[s[i]] {
			i++
			continue
		}
		if s[i] == ' ' && i > start && i+1 < len(s) && plainByte[s[i+1]] {
			i += 2
			continue
		}
		break
	}
	return i
}

// plainByte marks the bytes of a plain run: printable ASCII other than
// space that html.EscapeString leaves as they are.
var plainByte = func() (t [256]bool) {
	for c := '!'; c <= '~'; c++ {
		t[c] = html.EscapeString(string(c)) == string(c)
	}
	return t
}()

// collapseKeepEdges collapses white space but keeps one space at either end
// when there was any, so that inline elements stay apart.
func collapseKeepEdges(s string) string {
	c := collapse(s)
	if c == "" {
		if s != "" {
			return " "
		}
		return ""
	}
	if isSpaceStart(s) {
		c = " " + c
	}
	if isSpaceEnd(s) {
		c += " "
	}
	return c
}

func isSpaceStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && edgeSpace(r)
}

func isSpaceEnd(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return s != "" && edgeSpace(r)
}

// edgeSpace reports the white space collapseKeepEdges keeps one space for.
func edgeSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0'
}

// cleanLink is what a link's href attribute becomes.
type cleanLink struct {
	url  string // CleanURL against the page's address
	href string // the href written in item HTML (safeHref of url), "" for none
}

// link cleans an href attribute, each distinct one once: the renderer and
// collectLinks both ask, and mail repeats its links.
func (p *parser) link(attrVal string) cleanLink {
	l, ok := p.links[attrVal]
	if !ok {
		l.url = CleanURL(p.base, attrVal)
		l.href = safeHref(l.url)
		if p.links == nil {
			p.links = map[string]cleanLink{}
		}
		p.links[attrVal] = l
	}
	return l
}

// safeHref returns the form of an absolute URL that the renderer's
// allow-list writes (what a sanitiser requiring parseable URLs writes: the
// URL parsed and written again), or "" when the URL has white space in it,
// does not parse, or is not http, https or mailto.
func safeHref(u string) string {
	u = strings.TrimSpace(u)
	if u == "" || strings.ContainsAny(u, " \t\n") {
		return ""
	}
	if _, ok := simpleURL(u); ok {
		return u // what url.Parse and String would make of it
	}
	parsed, err := url.Parse(u)
	if err != nil {
		return ""
	}
	switch parsed.Scheme {
	case "http", "https", "mailto":
		return parsed.String()
	}
	return ""
}

// collectLinks appends the links under n to r: web links once each (with
// their text and, for documents, media type), mailto addresses as contacts.
func (p *parser) collectLinks(n *html.Node, r *rendered, seen map[string]bool) {
	if n.Type != html.ElementNode {
		return
	}
	if skipAtoms[n.DataAtom] || hidden(n) {
		return
	}
	if n.DataAtom == atom.A {
		if href := p.link(attr(n, "href")).url; href != "" {
			if addr, ok := strings.CutPrefix(href, "mailto:"); ok {
				r.mailto = append(r.mailto, addr)
			} else if !seen[href] {
				seen[href] = true
				r.links = append(r.links, model.Link{
					URL:  model.CleanText(href),
					Text: model.CleanText(joinLines(inlineText(childNodes(n)))),
					Type: model.DocumentType(href),
				})
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		p.collectLinks(c, r, seen)
	}
}
