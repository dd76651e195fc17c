package parse

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/lga-digital/bulletin/internal/dates"
)

// Defaults of the generic profile's selectors.
const (
	defaultBody  = "#bulletin_body, .bulletin_body, main, article, body"
	defaultTitle = "h1, h2, h3, h4, strong, b"
	defaultDate  = "span.dateline"
)

// generic parses a page laid out as the configured selectors say.
func (p *parser) generic(sel Selectors) error {
	for _, s := range []string{sel.Body, sel.Item, sel.Title, sel.Date, sel.Number} {
		if s == "" {
			continue
		}
		if _, err := cascadia.ParseGroup(s); err != nil {
			return fmt.Errorf("selector %q: %w", s, err)
		}
	}
	p.edition.Title = subject(p.doc)
	if p.edition.Title == "" {
		p.edition.Title = oneLine(p.doc.Find("h1").First().Text())
	}
	bodySel := sel.Body
	if bodySel == "" {
		bodySel = defaultBody
	}
	body := p.doc.Find(bodySel).First()
	if body.Length() == 0 || blank(body.Get(0)) {
		return ErrNoBody
	}

	if sel.Item == "" {
		p.layout(flatten(body.Get(0)))
	} else {
		blocks := cutFooter(flatten(body.Get(0)))
		p.header(blocks)
		p.itemsBySelector(body, sel)
	}

	if sel.Number != "" {
		// The selected element decides: an issue line, else its first integer.
		text := oneLine(p.doc.Find(sel.Number).First().Text())
		p.edition.Number = 0
		if m := issueLineRe.FindString(text); m != "" {
			p.edition.IssueLine = m
			p.number()
		} else if n, err := strconv.Atoi(firstIntRe.FindString(text)); err == nil {
			p.edition.Number = n
		}
	} else if p.edition.Number == 0 {
		p.number()
	}

	dateSel := sel.Date
	if dateSel == "" {
		dateSel = defaultDate
	}
	if d := p.doc.Find(dateSel).First(); d.Length() > 0 {
		p.edition.Published = looseDate(d)
	}
	p.fillDate()
	return nil
}

var firstIntRe = regexp.MustCompile(`\d{1,6}`)

// itemsBySelector makes one item of each element matching sel.Item.
func (p *parser) itemsBySelector(body *goquery.Selection, sel Selectors) {
	titleSel := sel.Title
	if titleSel == "" {
		titleSel = defaultTitle
	}
	body.Find(sel.Item).Each(func(_ int, s *goquery.Selection) {
		t := s.Find(titleSel).First()
		title := oneLine(t.Text())
		if title == "" {
			return
		}
		d := draft{title: title}
		var titleNode = t.Get(0)
		for _, b := range flatten(s.Get(0)) {
			switch {
			case b.kind == kindDivider || b.kind == kindImage || b.kind == kindFooter || p.boilerplate(b):
				continue
			case d.head == nil && (b.text == title || containsNode(b.nodes, titleNode)):
				d.head = b
				continue
			}
			d.blocks = append(d.blocks, b)
		}
		p.items = append(p.items, d)
	})
}

// containsNode reports whether n is one of nodes, inside one, or holds one.
func containsNode(nodes []*html.Node, n *html.Node) bool {
	if n == nil {
		return false
	}
	for _, m := range nodes {
		for a := n; a != nil; a = a.Parent {
			if a == m {
				return true
			}
		}
		for a := m; a != nil; a = a.Parent {
			if a == n {
				return true
			}
		}
	}
	return false
}

// looseDate reads a send date from an element: its datetime or content
// attribute, or its text as a GovDelivery dateline, an ISO date, or a date
// such as "21 March 2024" (read as midnight London time).
func looseDate(s *goquery.Selection) time.Time {
	for _, a := range []string{"datetime", "content"} {
		if v, ok := s.Attr(a); ok {
			if t, ok := dates.ISO(v, nil); ok {
				return t
			}
		}
	}
	text := oneLine(s.Text())
	if t := dates.Dateline(text, nil); !t.IsZero() {
		return t
	}
	return dates.Find(text, nil)
}
