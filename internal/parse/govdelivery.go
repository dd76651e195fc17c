package parse

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/London must load on hosts without zoneinfo

	"github.com/PuerkitoBio/goquery"

	"github.com/lga-digital/bulletin/internal/model"
)

// london is the zone of GovDelivery's UK datelines ("GMT"/"BST").
var london = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(fmt.Sprintf("parse: load Europe/London from embedded tzdata: %v", err))
	}
	return loc
})

// govDelivery parses a GovDelivery bulletin page.
func (p *parser) govDelivery() error {
	p.edition.Title = subject(p.doc)
	body := firstMatch(p.doc.Selection, "#bulletin_body", ".bulletin_body", "body")
	if body == nil || strings.TrimSpace(body.Text()) == "" {
		return ErrNoBody
	}
	p.layout(flatten(body.Get(0)))
	p.edition.Published = dateline(p.doc.Find("span.dateline").First().Text())
	p.dateFromIssueLine()
	return nil
}

// subject is the page subject: h1.bulletin_subject, else <title>.
func subject(doc *goquery.Document) string {
	if s := oneLine(doc.Find("h1.bulletin_subject").First().Text()); s != "" {
		return s
	}
	return oneLine(doc.Find("title").First().Text())
}

// firstMatch returns the first element matching one of the selectors, tried
// in order, or nil.
func firstMatch(s *goquery.Selection, selectors ...string) *goquery.Selection {
	for _, sel := range selectors {
		if sel == "" {
			continue
		}
		if m := s.Find(sel).First(); m.Length() > 0 {
			return m
		}
	}
	return nil
}

var datelineRe = regexp.MustCompile(`(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})\s*([AaPp])\.?[Mm]`)

// dateline reads GovDelivery's "… sent this bulletin at 03/21/2024 10:05 AM
// GMT" (month first) as London time and returns it in UTC; zero if absent.
func dateline(s string) time.Time {
	m := datelineRe.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}
	}
	mon, _ := strconv.Atoi(m[1])
	day, _ := strconv.Atoi(m[2])
	year, _ := strconv.Atoi(m[3])
	hour, _ := strconv.Atoi(m[4])
	min, _ := strconv.Atoi(m[5])
	if mon < 1 || mon > 12 || day < 1 || day > daysIn(time.Month(mon), year) || hour < 1 || hour > 12 || min > 59 {
		return time.Time{}
	}
	hour %= 12
	if strings.EqualFold(m[6], "p") {
		hour += 12
	}
	return time.Date(year, time.Month(mon), day, hour, min, 0, 0, london()).UTC()
}

// dateFromIssueLine sets Published to the first of the issue line's month
// (midnight, London) when the page has no dateline.
func (p *parser) dateFromIssueLine() {
	if !p.edition.Published.IsZero() || p.edition.IssueLine == "" {
		return
	}
	m := monthYearRe.FindStringSubmatch(p.edition.IssueLine)
	if m == nil {
		return
	}
	mon := monthNumber(m[1])
	year, _ := strconv.Atoi(m[2])
	if mon == 0 || year < 1900 || year > 9999 {
		return
	}
	p.edition.Published = time.Date(year, mon, 1, 0, 0, 0, 0, london()).UTC()
	p.edition.DateFromIssueLine = true
}

const monthNames = `January|February|March|April|May|June|July|August|September|October|November|December`

var (
	issueLineRe = regexp.MustCompile(`(?i)\b(` + monthNames + `)\s+(\d{4})\s+No\.?\s*(\d+)\b`)
	monthYearRe = regexp.MustCompile(`(?i)\b(` + monthNames + `)\s+(\d{4})\b`)
	monthOnlyRe = regexp.MustCompile(`(?i)^(` + monthNames + `)\s+(\d{4})$`)
	ordinalRe   = regexp.MustCompile(`(?i)\bwelcome to (?:the|our|this) ([a-z]+(?:[- ][a-z]+)?) (?:edition|issue)\b`)
	dearRe      = regexp.MustCompile(`(?i)^dear (colleague|colleagues|all|friends|subscriber)\b`)
	mastheadRe  = regexp.MustCompile(`(?i)\b(bulletin|newsletter|update|briefing)\b`)

	// boilerplate lines, wherever they are
	preheaderRe = regexp.MustCompile(`(?i)^(having trouble viewing this (e-?mail|message)|view (it |this (e-?mail )?)?(as|in) a web ?page|view this (e-?mail|message) in (your|a) browser|e-?mail not displaying correctly)`)
	socialRe    = regexp.MustCompile(`(?i)^(join us on|follow us on|find us on|connect with us on) (twitter|x|linkedin|facebook|youtube|instagram|bluesky|social media)\b`)
	closingRe   = regexp.MustCompile(`(?i)^(cyber, digital (and|&) technology team\s*:|for more information,? visit our cyber and digital hub|head of programme\s*:|[\w ,&'’-]{3,60} team\s*:\s*\S+@\S+$)`)
	footerRe    = regexp.MustCompile(`(?i)^(did someone forward you this e-?mail|subscriber services|powered by\b|update your subscriptions|this e-?mail was sent to|manage preferences|unsubscribe\b)`)

	// the sign-off: a role line after a name
	roleRe        = regexp.MustCompile(`(?i)^(head|director|deputy director|assistant director|chief executive|executive director|programme (manager|director|lead)|chair|chairman|chairwoman|policy adviser|senior adviser)\b`)
	valedictionRe = regexp.MustCompile(`(?i)^(best wishes|kind regards|best regards|warm regards|warmest regards|many thanks|with thanks|thanks|thank you|regards|yours sincerely|yours faithfully|all the best)[,.!]?$`)
)

// groupNames are headings that gather articles ("Monthly Highlights") rather
// than start one, when they stand directly above another heading.
var groupNames = map[string]bool{
	"monthly highlights": true, "highlights": true, "events": true, "upcoming events": true,
	"events and webinars": true, "webinars": true, "news": true, "latest news": true, "other news": true,
	"news and updates": true, "updates": true, "opportunities": true, "funding": true,
	"funding opportunities": true, "resources": true, "research and resources": true,
	"surveys": true, "consultations": true, "jobs": true, "vacancies": true, "training": true,
	"in this issue": true, "and finally": true, "policy": true, "policy updates": true,
	"programme updates": true, "sector news": true, "government news": true,
}

// layout cuts the flattened body into header, editorial and items.
func (p *parser) layout(blocks []*block) {
	blocks = cutFooter(blocks)
	kept := blocks[:0:0]
	for _, b := range blocks {
		if b.kind == kindImage || boilerplate(b) {
			continue
		}
		kept = append(kept, b)
	}
	start := p.header(kept)
	rest := p.editorial(kept[start:])
	p.items = articles(rest)
	p.number()
}

// cutFooter drops everything from the first footer marker.
func cutFooter(blocks []*block) []*block {
	for i, b := range blocks {
		if b.kind == kindFooter {
			return blocks[:i]
		}
		if (b.kind == kindPara || b.kind == kindHeading) && footerRe.MatchString(b.text) {
			return blocks[:i]
		}
	}
	return blocks
}

// boilerplate reports blocks that are never content: the preheader, social
// links, and the closing contact lines.
func boilerplate(b *block) bool {
	if b.kind != kindPara && b.kind != kindHeading {
		return false
	}
	for _, l := range b.lines() {
		if !(preheaderRe.MatchString(l) || socialRe.MatchString(l) || closingRe.MatchString(l)) {
			return false
		}
	}
	return true
}

// header finds where the header (banner, masthead, issue line, social icons)
// ends, notes the masthead and issue line, and returns the index of the first
// block after it.
func (p *parser) header(blocks []*block) int {
	end := -1
	for i, b := range blocks {
		if b.kind == kindPara && dearRe.MatchString(b.text) {
			end = i
			break
		}
	}
	if end < 0 {
		// No editorial: the header runs to the issue line, else the masthead,
		// if one of the first few blocks is such.
		for i := 0; i < len(blocks) && i < 8; i++ {
			if issueLineRe.MatchString(blocks[i].text) || monthOnlyRe.MatchString(blocks[i].text) {
				end = i + 1
			}
		}
		if end < 0 {
			for i := 0; i < len(blocks) && i < 4; i++ {
				if len(blocks[i].text) <= 150 && mastheadRe.MatchString(blocks[i].text) && blocks[i].kind != kindList {
					end = i + 1
					break
				}
			}
		}
		if end < 0 {
			end = 0
		}
	}
	var other string
	for _, b := range blocks[:end] {
		for _, l := range b.lines() {
			switch {
			case p.edition.IssueLine == "" && issueLineRe.MatchString(l):
				p.edition.IssueLine = issueLineRe.FindString(l)
			case p.edition.IssueLine == "" && monthOnlyRe.MatchString(l):
				p.edition.IssueLine = l
			case issueLineRe.MatchString(l) || monthOnlyRe.MatchString(l):
			case p.masthead == "" && len(l) <= 150 && mastheadRe.MatchString(l):
				p.masthead = l
			case other == "" && len(l) <= 150:
				other = l
			}
		}
	}
	if p.masthead == "" {
		p.masthead = other
	}
	return end
}

// editorial takes the introduction from "Dear colleague" to the sign-off, if
// blocks start with it, and returns the blocks after it.
func (p *parser) editorial(blocks []*block) []*block {
	if len(blocks) == 0 || blocks[0].kind != kindPara || !dearRe.MatchString(blocks[0].text) {
		return blocks
	}
	body, after := signOff(blocks)
	var texts []string
	var b strings.Builder
	for _, blk := range body {
		if blk.kind == kindDivider {
			continue
		}
		texts = append(texts, blk.text)
		p.blockHTML(&b, blk)
	}
	p.edition.Editorial = strings.Join(texts, "\n\n")
	p.edition.EditorialHTML = sanitizer().Sanitize(b.String())
	return blocks[after:]
}

// signOff splits the editorial blocks (starting at "Dear colleague") into the
// letter itself, without valediction and signature, and the index of the
// first block after the signature.
func signOff(blocks []*block) (body []*block, after int) {
	for j, b := range blocks {
		if b.kind != kindPara && b.kind != kindHeading {
			continue
		}
		lines := b.lines()
		for k, l := range lines {
			if !roleRe.MatchString(l) || len(l) > 100 || len(lines) > 6 {
				continue
			}
			start, end := j, j+1
			if k == 0 {
				// The name stands alone in the block before.
				if j > 0 && isNameLine(blocks[j-1]) {
					start = j - 1
				} else {
					continue
				}
			} else if !isShortLine(lines[k-1]) {
				continue
			}
			if k == len(lines)-1 && end < len(blocks) && blocks[end].kind == kindPara &&
				len(blocks[end].lines()) == 1 && isShortLine(blocks[end].text) {
				end++ // the organisation on its own line
			}
			body = trimValediction(blocks[:start])
			if k > 1 {
				// Lines before the name in the signature block are letter text.
				lead := &block{kind: kindPara, text: strings.Join(lines[:k-1], "\n"), elem: "p"}
				if !valedictionRe.MatchString(lead.text) {
					body = append(body, lead)
				}
			}
			return body, end
		}
	}
	// No signature: end at the valediction and the short lines after it, or
	// else at the first divider, or else at the first heading.
	for j, b := range blocks {
		if b.kind == kindPara && valedictionRe.MatchString(b.lines()[len(b.lines())-1]) {
			end := j + 1
			for end < len(blocks) && end < j+4 && blocks[end].kind == kindPara && isShortLine(blocks[end].text) {
				end++
			}
			return trimValediction(blocks[:j+1]), end
		}
	}
	for j, b := range blocks {
		if b.kind == kindDivider {
			return blocks[:j], j
		}
	}
	for j, b := range blocks {
		if b.kind == kindHeading {
			return blocks[:j], j
		}
	}
	return blocks, len(blocks)
}

// trimValediction drops a trailing "Best wishes," (a block, or the last line
// of one) and trailing dividers.
func trimValediction(blocks []*block) []*block {
	for len(blocks) > 0 {
		last := blocks[len(blocks)-1]
		if last.kind == kindDivider {
			blocks = blocks[:len(blocks)-1]
			continue
		}
		lines := last.lines()
		if last.kind == kindPara && valedictionRe.MatchString(lines[len(lines)-1]) {
			if len(lines) == 1 {
				blocks = blocks[:len(blocks)-1]
				continue
			}
			cp := *last
			cp.text = strings.Join(lines[:len(lines)-1], "\n")
			cp.nodes = nil
			blocks = append(blocks[:len(blocks)-1:len(blocks)-1], &cp)
		}
		break
	}
	return blocks
}

func isShortLine(s string) bool {
	return s != "" && len([]rune(s)) <= 80 && !strings.HasSuffix(s, ".") && len(strings.Fields(s)) <= 10
}

func isNameLine(b *block) bool {
	return b.kind == kindPara && len(b.lines()) == 1 && isShortLine(b.text) && len(strings.Fields(b.text)) <= 5
}

// articles cuts blocks into items: a heading starts an item, a divider ends
// it. A heading directly followed by another heading is a group heading
// (Item.Section of the items below it) when it is more prominent than the
// next heading or is a known group name ("Monthly Highlights", "Events");
// otherwise it is an item with a title only — as "Invest 2035: Industrial
// Strategy Green Paper" in edition 25, whose article is a linked heading.
// Content before any heading, or between a divider and the next heading,
// belongs to no article and is dropped.
func articles(blocks []*block) []draft {
	var items []draft
	section := ""
	cur := -1
	for i, b := range blocks {
		switch b.kind {
		case kindHeading:
			if next := nextContent(blocks, i+1); next != nil && next.kind == kindHeading &&
				(b.rank < next.rank || groupNames[strings.ToLower(strings.TrimRight(model.NormaliseTitle(b.text), " "))]) {
				section = b.text
				cur = -1
				continue
			}
			items = append(items, draft{title: b.text, section: section, head: b})
			cur = len(items) - 1
		case kindDivider:
			cur = -1
		default:
			if cur >= 0 {
				items[cur].blocks = append(items[cur].blocks, b)
			}
		}
	}
	return items
}

// nextContent returns the next block after dividers, or nil.
func nextContent(blocks []*block, i int) *block {
	for ; i < len(blocks); i++ {
		if blocks[i].kind != kindDivider {
			return blocks[i]
		}
	}
	return nil
}

// number sets the edition number from the issue line, else from the ordinal
// in "Welcome to the nineteenth edition"; otherwise it stays 0.
func (p *parser) number() {
	if m := issueLineRe.FindStringSubmatch(p.edition.IssueLine); m != nil {
		if n, err := strconv.Atoi(m[3]); err == nil && n > 0 && n < 100000 {
			p.edition.Number = n
			return
		}
	}
	if m := ordinalRe.FindStringSubmatch(p.edition.Editorial); m != nil {
		p.edition.Number = ordinal(m[1])
	}
}

var ordinalUnits = []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"}
var ordinalTeens = []string{"tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
	"sixteenth", "seventeenth", "eighteenth", "nineteenth"}
var tensCardinal = []string{"", "", "twenty", "thirty", "forty", "fifty"}
var tensOrdinal = []string{"", "", "twentieth", "thirtieth", "fortieth", "fiftieth"}

// ordinal returns the number of an English ordinal word from first to
// fiftieth ("twenty-fifth", "twenty fifth"), or 0.
func ordinal(word string) int {
	w := strings.ToLower(strings.Join(strings.FieldsFunc(word, func(r rune) bool { return r == '-' || r == ' ' }), " "))
	for n := 1; n <= 50; n++ {
		if ordinalWord(n) == w {
			return n
		}
	}
	return 0
}

func ordinalWord(n int) string {
	switch {
	case n < 10:
		return ordinalUnits[n]
	case n < 20:
		return ordinalTeens[n-10]
	case n%10 == 0:
		return tensOrdinal[n/10]
	default:
		return tensCardinal[n/10] + " " + ordinalUnits[n%10]
	}
}
