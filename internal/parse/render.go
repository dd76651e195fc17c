package parse

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/lga-digital/bulletin/internal/model"
)

// sanitizer is the allow-list every HTML fragment passes through last. A
// bluemonday policy is safe for concurrent use once built.
var sanitizer = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th",
		"strong", "em", "b", "i", "h2", "h3", "h4")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	return p
})

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
	html   string
	links  []model.Link
	mailto []string // addresses of mailto links, in order
}

// render produces the text, sanitised HTML and links of an item's blocks.
func (p *parser) render(d draft) rendered {
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
	var texts []string
	var b strings.Builder
	for _, blk := range d.blocks {
		if blk.text != "" {
			texts = append(texts, blk.text)
		}
		p.blockHTML(&b, blk)
		addLinks(blk.nodes)
	}
	r.text = model.CleanText(strings.Join(texts, "\n\n"))
	r.html = model.CleanText(sanitizer().Sanitize(b.String()))
	return r
}

// blockHTML writes one block as HTML.
func (p *parser) blockHTML(b *strings.Builder, blk *block) {
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
func (p *parser) writeNode(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(html.EscapeString(collapseKeepEdges(n.Data)))
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
		href := p.cleanURL(attr(n, "href"))
		if href == "" {
			ok = false
		} else {
			b.WriteString(`<a href="`)
			b.WriteString(html.EscapeString(href))
			b.WriteString(`">`)
		}
	} else if ok {
		b.WriteString("<" + tag + ">")
	}
	if tag == "br" {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		p.writeNode(b, c)
	}
	if ok {
		b.WriteString("</" + tag + ">")
	}
}

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

// cleanURL is CleanURL against the page's address, each link once: the
// renderer and collectLinks both ask, and mail repeats its links.
func (p *parser) cleanURL(href string) string {
	c, ok := p.hrefs[href]
	if !ok {
		c = CleanURL(p.base, href)
		if p.hrefs == nil {
			p.hrefs = map[string]string{}
		}
		p.hrefs[href] = c
	}
	return c
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
		if href := p.cleanURL(attr(n, "href")); href != "" {
			if addr, ok := strings.CutPrefix(href, "mailto:"); ok {
				r.mailto = append(r.mailto, addr)
			} else if !seen[href] {
				seen[href] = true
				r.links = append(r.links, model.Link{
					URL:  model.CleanText(href),
					Text: model.CleanText(oneLine(inlineText(childNodes(n)))),
					Type: model.DocumentType(href),
				})
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		p.collectLinks(c, r, seen)
	}
}
