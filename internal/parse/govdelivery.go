package parse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/lga-digital/bulletin/internal/dates"
	"github.com/lga-digital/bulletin/internal/model"
)

// govDelivery parses a GovDelivery bulletin page.
func (p *parser) govDelivery() error {
	p.edition.Title = subject(p.doc)
	body := firstMatch(p.doc.Get(0), bodySels...)
	if body == nil || blank(body) {
		return ErrNoBody
	}
	p.layout(flatten(body))
	p.edition.Published = dates.Dateline(nodeText(cascadia.Query(p.doc.Get(0), datelineSel)), nil)
	p.fillDate()
	return nil
}

// The parts of GovDelivery's page anatomy that are found by selector,
// compiled once. Each is looked up with cascadia.Query, which stops at the
// first match in document order; goquery's Find(…).First() gathers every
// match on the page first.
var (
	subjectSel  = cascadia.MustCompile("h1.bulletin_subject")
	titleSel    = cascadia.MustCompile("title")
	datelineSel = cascadia.MustCompile("span.dateline")
	// bodySels are tried in order: the body's id, its class, the page's body.
	bodySels = []cascadia.Selector{
		cascadia.MustCompile("#bulletin_body"), cascadia.MustCompile(".bulletin_body"), cascadia.MustCompile("body"),
	}
)

// nodeText is goquery's Text of n: its text nodes, as they are; "" for nil.
func nodeText(n *html.Node) string {
	if n == nil {
		return ""
	}
	return goquery.NewDocumentFromNode(n).Text()
}

// fillDate gives an edition without a dateline the best date it has: the
// carrier's (a feed item's pubDate, an e-mail's Date), else a lone date line
// in the body, else the first of the issue line's month.
func (p *parser) fillDate() {
	switch {
	case !p.edition.Published.IsZero():
	case !p.carrier.Published.IsZero():
		p.edition.Published = p.carrier.Published.UTC()
	case !p.bodyDate.IsZero():
		p.edition.Published = p.bodyDate
	default:
		p.dateFromIssueLine()
	}
}

// subject is the page subject: h1.bulletin_subject, else <title>.
func subject(doc *goquery.Document) string {
	if s := oneLine(nodeText(cascadia.Query(doc.Get(0), subjectSel))); s != "" {
		return s
	}
	return oneLine(nodeText(cascadia.Query(doc.Get(0), titleSel)))
}

// firstMatch returns the first element under root matching one of the
// selectors, tried in order, or nil.
func firstMatch(root *html.Node, selectors ...cascadia.Selector) *html.Node {
	for _, sel := range selectors {
		if m := cascadia.Query(root, sel); m != nil {
			return m
		}
	}
	return nil
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
	year, _ := strconv.Atoi(m[2])
	first, ok := dates.Day(year, dates.Month(m[1]), 1, nil)
	if !ok {
		return
	}
	p.edition.Published = first
	p.edition.DateFromIssueLine = true
}

var (
	// Issue lines are looked for only in texts naming a month.
	issueLineRe = keyed(`(?i)\b(`+dates.MonthNames+`)\s+(\d{4})\s+No\.?\s*(\d+)\b`, monthKeys...).and("no").given(yearThenNo)
	monthYearRe = regexp.MustCompile(`(?i)\b(` + dates.MonthNames + `)\s+(\d{4})\b`)
	monthOnlyRe = keyed(`(?i)^(`+dates.MonthNames+`)\s+(\d{4})$`, monthKeys...)
	ordinalRe   = regexp.MustCompile(`(?i)\bwelcome to (?:the|our|this) (\d{1,4}(?:st|nd|rd|th)|[a-z]+(?:[- ][a-z]+){0,4}) (?:edition|issue)\b`)
	// subjectNumberRe is an edition number at the end of a subject:
	// "… Bulletin - 52", "… No. 52", "… Issue 52", "… #52".
	subjectNumberRe = regexp.MustCompile(`(?i)(?:\s[-–—]\s*|\bno\.?\s*|\bnumber\s+|\bissue\s+|\bedition\s+|#)(\d{1,4})\s*$`)
	// greetingRe opens a letter: "Dear colleague", "Hello everyone",
	// "Happy Fall, Columbus!", "Good morning".
	greetingRe = anchored(`(?i)^(?:dear\b|hello\b|hi\b|hey\b|greetings\b|season'?s greetings|good (?:morning|afternoon|evening|day)\b|happy [\p{L}' -]{2,30}[,!])`)
	mastheadRe = keyed(`(?i)\b(bulletin|newsletter|update|briefing)\b`, "bulletin", "newsletter", "update", "briefing")

	// boilerplate lines, wherever they are
	// Boilerplate lines are matched with keywords that each alternative holds.
	preheaderRe = keyed(`(?i)^(having trouble viewing this (e-?mail|message)|view (it |this (e-?mail|message) )?(as|in) a web ?page|view (this (e-?mail|message) )?(in|on) (your|a|the) (web )?browser|view (it )?online|e-?mail not displaying correctly)`, "view", "mail")
	socialRe    = keyed(`(?i)^(join us on|follow us on|find us on|connect with us on) (twitter|x|linkedin|facebook|youtube|instagram|bluesky|social media)\b`, "us on")
	// closingRe is the closing contact line of a team ("Digital Team:
	// digital@example.gov.uk"); a source's own closing lines come from
	// Options.SignOff.
	closingRe = keyed(`(?i)^[\w ,&'’-]{3,60} team\s*:\s*\S+@\S+$`, "team").holding("@:")
	footerRe  = anchored(`(?i)^(did someone forward you this e-?mail|subscriber services|powered by\b|update your subscriptions|this e-?mail was sent to|manage preferences|unsubscribe\b)`)

	// the sign-off: a role line after a name
	roleRe        = anchored(`(?i)^(head|director|deputy director|assistant director|chief executive|executive director|programme (manager|director|lead)|chair|chairman|chairwoman|policy adviser|senior adviser|mayor|councilmember|councillor|council member)\b`)
	valedictionRe = anchored(`(?i)^(best wishes|with best wishes|kind regards|best regards|warm regards|warmest regards|warm wishes|many thanks|with thanks|thanks|thanks again|thank you|regards|sincerely|yours sincerely|yours faithfully|yours truly|respectfully|warmly|cheers|all the best|best|take care|stay safe|stay well|with gratitude|in partnership)[,.!]?$`)
)

// monthKeys are the month names as keywords of a keyedRe.
var monthKeys = strings.Split(strings.ToLower(dates.MonthNames), "|")

// DefaultGroups are headings that gather articles ("Events", "News") rather
// than start one, when they stand directly above another heading. A source
// adds its own with Options.Groups.
func DefaultGroups() []string {
	return []string{"Highlights", "Events", "Upcoming events", "Events and webinars", "Webinars",
		"News", "Latest news", "Other news", "News and updates", "Updates", "Opportunities", "Funding",
		"Funding opportunities", "Resources", "Surveys", "Consultations", "Jobs", "Vacancies", "Training",
		"In this issue", "And finally", "Policy", "Policy updates", "Announcements", "Reminders"}
}

// groupKey is the form group names are compared in.
func groupKey(s string) string {
	return strings.ToLower(strings.TrimRight(model.NormaliseTitle(s), " "))
}

// layout cuts the flattened body into header, editorial and items.
func (p *parser) layout(blocks []*block) {
	blocks = cutFooter(blocks)
	kept := blocks[:0:0]
	for _, b := range blocks {
		switch {
		case b.kind == kindImage || p.boilerplate(b):
			continue
		case b.kind == kindDate:
			if p.bodyDate.IsZero() {
				p.bodyDate = dateLineDay(b.text)
			}
			continue
		}
		kept = append(kept, b)
	}
	start := p.header(kept)
	body := demoteWeak(kept[start:])
	if !p.hasArticles(body) {
		// No article heading at all: the body is one article, titled by
		// the subject (see result).
		var d draft
		for _, b := range body {
			if b.kind != kindDivider {
				d.blocks = append(d.blocks, b)
			}
		}
		if len(d.blocks) > 0 {
			p.items = []draft{d}
		}
		p.number()
		return
	}
	letter, rest := p.letter(body)
	intro, items := p.articles(rest)
	p.setEditorial(append(letter, intro...))
	p.items = items
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
// links, and the closing contact lines (the built-in ones and the source's
// Options.SignOff).
func (p *parser) boilerplate(b *block) bool {
	if b.kind != kindPara && b.kind != kindHeading {
		return false
	}
	for l := range b.lineSeq() {
		if !(preheaderRe.MatchString(l) || socialRe.MatchString(l) || closingRe.MatchString(l) || p.signOffLine(l)) {
			return false
		}
	}
	return true
}

func (p *parser) signOffLine(l string) bool {
	for _, re := range p.signOff {
		if re.MatchString(l) {
			return true
		}
	}
	return false
}

// header finds where the header (banner, masthead, issue line, social icons)
// ends, notes the masthead and issue line, and returns the index of the first
// block after it.
func (p *parser) header(blocks []*block) int {
	end := headerEnd(blocks)
	// A template's header cell is header, whatever it says.
	for end < len(blocks) && blocks[end].header {
		end++
	}
	p.readHeader(blocks[:end])
	return end
}

// Where the header may end, counted in blocks from the top of the body.
const (
	// greetingReach: a greeting this far down opens the editorial; later
	// ones ("Hello from the team…") are article text.
	greetingReach = 10
	// issueLineReach: the issue line ("March 2024 No. 12") is among the
	// header's first blocks; a month and year further down is a date in text.
	issueLineReach = 8
	// mastheadReach: a masthead ("Cyber, digital and technology bulletin")
	// is one of the very first blocks.
	mastheadReach = 4
	// maxMastheadLen: a masthead or series line is a title, not a sentence;
	// a longer line that says "bulletin" is text about one.
	maxMastheadLen = 150
)

// headerEnd is the index of the first block after the header: the
// greeting that opens the editorial, else the block after the issue line,
// else the block after the masthead, else 0.
func headerEnd(blocks []*block) int {
	for i, b := range blocks {
		if i >= greetingReach || b.kind == kindHeading && !b.weak {
			break
		}
		if b.kind == kindPara && greetingRe.MatchString(b.text) {
			return i
		}
	}
	// No editorial: the header runs to the issue line, else the masthead,
	// if one of the first few blocks is such.
	end := -1
	for i := 0; i < len(blocks) && i < issueLineReach; i++ {
		if issueLineRe.MatchString(blocks[i].text) || monthOnlyRe.MatchString(blocks[i].text) {
			end = i + 1
		}
	}
	if end >= 0 {
		return end
	}
	for i := 0; i < len(blocks) && i < mastheadReach; i++ {
		if len(blocks[i].text) <= maxMastheadLen && mastheadRe.MatchString(blocks[i].text) && blocks[i].kind != kindList {
			return i + 1
		}
		if blocks[i].kind == kindHeading && !blocks[i].weak {
			// An article heading before any masthead: the body starts
			// with its articles, and a later line that names a
			// "bulletin" is their text, not a masthead.
			break
		}
	}
	return 0
}

// readHeader takes the issue line and the masthead from the header's
// lines; without a masthead line, the first short line stands for it.
func (p *parser) readHeader(header []*block) {
	var other string
	for _, b := range header {
		for l := range b.lineSeq() {
			switch {
			case p.edition.IssueLine == "" && issueLineRe.MatchString(l):
				p.edition.IssueLine = issueLineRe.FindString(l)
			case p.edition.IssueLine == "" && monthOnlyRe.MatchString(l):
				p.edition.IssueLine = l
			case issueLineRe.MatchString(l) || monthOnlyRe.MatchString(l):
			case p.masthead == "" && len(l) <= maxMastheadLen && mastheadRe.MatchString(l):
				p.masthead = l
			case other == "" && len(l) <= maxMastheadLen:
				other = l
			}
		}
	}
	if p.masthead == "" {
		p.masthead = other
	}
}

// demoteWeak turns back into paragraphs the bold lines that only look like
// headings: a bold sentence inside an article ("Remember to enroll by
// January 15."), a label line ("Name: …", "When: …"), an event's detail
// line, a valediction, a closing line after the last article, and the one
// bold line of a body that has no other heading.
func demoteWeak(blocks []*block) []*block {
	out := make([]*block, len(blocks))
	copy(out, blocks)
	demote := func(i int) {
		b := out[i]
		out[i] = &block{kind: kindPara, nodes: b.nodes, text: b.text, elem: "p"}
	}
	lastHeading := -1
	for i, b := range out {
		if b.kind == kindHeading {
			lastHeading = i
		}
	}
	for i, b := range out {
		if b.kind != kindHeading {
			continue
		}
		if isLabelLine(b.text) || b.weak && isDetailLine(b.text) {
			demote(i)
			continue
		}
		if !b.weak {
			continue
		}
		if sentence(b.text) || valedictionRe.MatchString(b.text) || i == lastHeading && closingOnly(out[i+1:]) {
			demote(i)
		}
	}
	strong, weak, firstContent, weakAt := 0, 0, -1, -1
	for i, b := range out {
		switch {
		case b.kind == kindHeading && b.weak:
			weak++
			weakAt = i
		case b.kind == kindHeading:
			strong++
		}
		if firstContent < 0 && b.kind != kindDivider {
			firstContent = i
		}
	}
	if strong == 0 && weak == 1 && weakAt != firstContent {
		demote(weakAt)
	}
	return out
}

// sentence reports a bold line that ends as a sentence does.
func sentence(s string) bool {
	s = strings.TrimSpace(s)
	return (strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "...")) || strings.HasSuffix(s, ",") || strings.HasSuffix(s, ";")
}

// maxClosingOnlyLines: what follows the last bold line is a sign-off (and
// the bold line no article's title) when it is at most this many short
// lines ("The HealthCare.gov Team").
const maxClosingOnlyLines = 4

// closingOnly reports blocks that are only a short sign-off: at most
// maxClosingOnlyLines short lines, or nothing.
func closingOnly(blocks []*block) bool {
	lines := 0
	for _, b := range blocks {
		switch b.kind {
		case kindDivider:
			continue
		case kindPara:
			for l := range b.lineSeq() {
				if !isShortLine(l) {
					return false
				}
				lines++
			}
		default:
			return false
		}
	}
	return lines <= maxClosingOnlyLines
}

// hasArticles reports whether the body has an article heading, or
// paragraphs or list items that open with a title (see articles).
func (p *parser) hasArticles(blocks []*block) bool {
	paras := leadParas(blocks)
	for _, b := range blocks {
		if b.kind == kindHeading || leadArticles(b, paras) {
			return true
		}
	}
	return false
}

// leadParas reports whether paragraphs that open with a bold title and a
// colon repeat: at least two whose title is no label.
func leadParas(blocks []*block) bool {
	n := 0
	for _, b := range blocks {
		if b.kind == kindPara && b.lead != nil && !isLabel(b.lead.title) {
			n++
		}
	}
	return n >= 2
}

// leadArticles reports whether a block is made of articles that open with a
// bold title and a colon: a list with two or more such items, or such a
// paragraph when they repeat (paras).
func leadArticles(b *block, paras bool) bool {
	switch b.kind {
	case kindPara:
		return paras && b.lead != nil && !isLabel(b.lead.title)
	case kindList:
		n := 0
		for _, l := range b.leads {
			if l.title != "" && !isLabel(l.title) {
				n++
			}
		}
		return n >= 2
	}
	return false
}

// letter takes the letter that opens the body — from a greeting ("Dear
// colleague", "Happy Fall, Columbus!") to the sign-off — and returns it and
// the blocks after it. A greeting in a heading opens a letter only when a
// valediction follows before the next heading.
func (p *parser) letter(blocks []*block) (letter, rest []*block) {
	i := 0
	for i < len(blocks) && blocks[i].kind == kindDivider {
		i++
	}
	if i == len(blocks) {
		return nil, blocks
	}
	b := blocks[i]
	switch {
	case b.kind == kindPara && greetingRe.MatchString(b.text):
	case b.kind == kindHeading && greetingRe.MatchString(b.text) && valedictionBefore(blocks[i+1:]):
	default:
		return nil, blocks
	}
	body, after := signOff(blocks[i:])
	return body, blocks[i+after:]
}

// valedictionBefore reports a valediction line before the next heading.
func valedictionBefore(blocks []*block) bool {
	for _, b := range blocks {
		if b.kind == kindHeading {
			return false
		}
		if b.kind == kindPara {
			for l := range b.lineSeq() {
				if valedictionRe.MatchString(l) {
					return true
				}
			}
		}
	}
	return false
}

// setEditorial makes the edition's editorial of blocks.
func (p *parser) setEditorial(blocks []*block) {
	var texts []string
	b := &p.html
	b.Reset()
	for _, blk := range blocks {
		if blk.kind == kindDivider || blk.text == "" {
			continue
		}
		texts = append(texts, blk.text)
		p.blockHTML(b, blk)
	}
	p.edition.Editorial = strings.Join(texts, "\n\n")
	p.edition.EditorialHTML = b.String()
}

// signOff splits the editorial blocks (starting at "Dear colleague") into the
// letter itself, without valediction and signature, and the index of the
// first block after the signature.
func signOff(blocks []*block) (body []*block, after int) {
	if body, after, ok := signature(blocks); ok {
		return body, after
	}
	// No signature: end at the valediction and the short lines after it,
	// or else at the first divider, or else at the first heading after the
	// greeting.
	if body, after, ok := valediction(blocks); ok {
		return body, after
	}
	for j, b := range blocks {
		if b.kind == kindDivider {
			return blocks[:j], j
		}
	}
	for j, b := range blocks {
		if j > 0 && b.kind == kindHeading {
			return blocks[:j], j
		}
	}
	return blocks, len(blocks)
}

// The shape of a signature: a name, a role line, perhaps an organisation.
const (
	// maxRoleLineLen: a role line ("Head of Digital, Anytown Council") is
	// short; a longer line with a role word is a sentence about the role.
	maxRoleLineLen = 100
	// maxSignatureBlockLines: a signature block holds a few lines (the
	// last of the letter's text, valediction, name, role, organisation);
	// a block of more lines is letter text that names a role.
	maxSignatureBlockLines = 6
	// maxClosingLines: after a valediction without a role line, the name,
	// role and organisation take at most three short lines, in its block or
	// in each of up to maxClosingBlocks blocks after it.
	maxClosingLines  = 3
	maxClosingBlocks = 3
)

// signature finds the signature that ends a letter — a role line after a
// name on its own line — and returns the letter before it, without the
// valediction, and the index of the first block after it.
func signature(blocks []*block) (body []*block, after int, ok bool) {
	for j, b := range blocks {
		if b.kind != kindPara && b.kind != kindHeading {
			continue
		}
		lines := b.lines()
		for k, l := range lines {
			if !roleRe.MatchString(l) || len(l) > maxRoleLineLen || len(lines) > maxSignatureBlockLines {
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
				lead.nodes = []*html.Node{{Type: html.TextNode, Data: lead.text}}
				if !valedictionRe.MatchString(lead.text) {
					body = append(body, lead)
				}
			}
			return body, end, true
		}
	}
	return nil, 0, false
}

// valediction finds the valediction ("Best wishes") that ends a letter
// without a role line, before the first heading after the greeting, and
// returns the letter before it and the index of the first block after it
// and the short lines that follow it.
func valediction(blocks []*block) (body []*block, after int, ok bool) {
	for j, b := range blocks {
		if j > 0 && b.kind == kindHeading {
			break // a valediction further on closes an article, not the letter
		}
		if b.kind != kindPara {
			continue
		}
		lines := b.lines()
		for k, l := range lines {
			if !valedictionRe.MatchString(l) || len(lines)-k-1 > maxClosingLines {
				continue
			}
			end := j + 1
			for end < len(blocks) && end <= j+maxClosingBlocks && blocks[end].kind == kindPara &&
				isShortLine(blocks[end].text) && len(blocks[end].lines()) <= maxClosingLines {
				end++
			}
			body := blocks[:j:j]
			if k > 0 {
				body = append(body, textBlock(strings.Join(lines[:k], "\n")))
			}
			return trimValediction(body), end, true
		}
	}
	return nil, 0, false
}

func textBlock(text string) *block {
	return &block{kind: kindPara, text: text, elem: "p", nodes: []*html.Node{{Type: html.TextNode, Data: text}}}
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
			blocks = append(blocks[:len(blocks)-1:len(blocks)-1], textBlock(strings.Join(lines[:len(lines)-1], "\n")))
		}
		break
	}
	return blocks
}

// A short line is a line of a signature or a closing, not a sentence.
const (
	maxShortLineRunes = 80 // longer is prose
	maxShortLineWords = 10 // a name, a role, an organisation: a few words each
	maxNameWords      = 5  // "Cllr Dr Jane Mary Smith" at the most
)

// isShortLine reports a line that may be part of a signature: short, of few
// words, not ending as a sentence does.
func isShortLine(s string) bool {
	return s != "" && runesAtMost(s, maxShortLineRunes) && !strings.HasSuffix(s, ".") && fieldCount(s) <= maxShortLineWords
}

// isNameLine reports a block that is one short line of a few words: a
// signatory's name.
func isNameLine(b *block) bool {
	return b.kind == kindPara && !strings.Contains(b.text, "\n") && isShortLine(b.text) && fieldCount(b.text) <= maxNameWords
}

// group is a heading that gathers the articles under it.
type group struct {
	title  string
	rank   int
	byName bool // a known group name at the rank of its articles
}

// articles cuts blocks into an introduction (content before the first
// article) and items. A heading starts an item; so does each paragraph or
// list item that opens with a bold title and a colon ("<strong>TITLE:</strong>
// text") when that pattern repeats and no article with text of its own is
// open. A heading directly followed by another heading (or by such titled
// paragraphs) is a group heading (Item.Section of the items below it) when
// it is more prominent than what follows or is a known group name
// ("Monthly Highlights", "Events"); otherwise it is an item with a title
// only — as "Invest 2035: Industrial Strategy Green Paper" in edition 25,
// whose article is a linked heading. A group ends at the next heading of
// its own rank or above; a group known by name only (at the rank of its
// articles) also ends at a divider. Content after a divider with no heading
// stays in the article before it.
func (p *parser) articles(blocks []*block) (intro []*block, items []draft) {
	var g *group
	section := func() string {
		if g == nil {
			return ""
		}
		return g.title
	}
	cur := -1
	paras := leadParas(blocks)
	for i, b := range blocks {
		switch {
		case b.kind == kindHeading:
			if ng := p.groupAt(blocks, i, paras); ng != nil {
				g, cur = ng, -1
				continue
			}
			if g != nil && (b.rank < g.rank || !g.byName && b.rank <= g.rank) {
				g = nil
			}
			items = append(items, draft{title: b.text, section: section(), head: b})
			cur = len(items) - 1
		case b.kind == kindDivider:
			if g != nil && g.byName {
				g = nil
			}
		case leadArticles(b, paras) && (cur < 0 || items[cur].fromLead || len(items[cur].blocks) == 0):
			ls := b.leads
			if b.kind == kindPara {
				ls = []*lead{b.lead}
			}
			for _, l := range ls {
				rest := &block{kind: kindPara, nodes: l.rest, text: l.text, elem: "p"}
				if l.title == "" || isLabel(l.title) {
					if l.title != "" {
						rest = &block{kind: kindPara, nodes: append(append([]*html.Node(nil), l.head...), l.rest...), text: l.title + ": " + l.text, elem: "p"}
					}
					if cur < 0 {
						intro = append(intro, rest)
					} else {
						items[cur].blocks = append(items[cur].blocks, rest)
					}
					continue
				}
				head := &block{kind: kindHeading, nodes: l.head, text: l.title, rank: weakRank + 1, elem: "p"}
				items = append(items, draft{title: l.title, section: section(), head: head, blocks: []*block{rest}, fromLead: true})
				cur = len(items) - 1
			}
		default:
			if cur < 0 && len(items) > 0 {
				cur = len(items) - 1 // after a divider: the article before it
			}
			if cur < 0 {
				intro = append(intro, b)
				continue
			}
			items[cur].blocks = append(items[cur].blocks, b)
		}
	}
	return intro, items
}

// groupAt returns the group that the heading at i opens, or nil: a
// heading directly followed by another heading, or by paragraphs that open
// with a title, is a group heading when it is more prominent than what
// follows or is a known group name.
func (p *parser) groupAt(blocks []*block, i int, paras bool) *group {
	b, next := blocks[i], nextContent(blocks, i+1)
	if next == nil {
		return nil
	}
	nextRank := 0
	switch {
	case next.kind == kindHeading:
		nextRank = next.rank
	case leadArticles(next, paras):
		nextRank = weakRank + 1
	}
	if nextRank > 0 && (b.rank < nextRank || p.groups[groupKey(b.text)]) {
		return &group{title: b.text, rank: b.rank, byName: b.rank >= nextRank}
	}
	return nil
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
	texts := []string{p.edition.Editorial}
	if len(p.items) > 0 {
		for _, b := range p.items[0].blocks {
			texts = append(texts, b.text)
		}
	}
	for _, t := range texts {
		if m := ordinalRe.FindStringSubmatch(t); m != nil {
			if n := ordinal(m[1]); n > 0 {
				p.edition.Number = n
				return
			}
		}
	}
}

// lastYearLike is the last number at the end of a subject read as a year
// ("Round-up 2024") rather than an edition number; from dates.MinYear.
const lastYearLike = 2100

// subjectNumber reads an edition number at the end of a subject ("… - 52",
// "… No. 52"); 0 when there is none. A year is no number.
func subjectNumber(subject string) int {
	m := subjectNumberRe.FindStringSubmatch(subject)
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n <= 0 || n >= dates.MinYear && n <= lastYearLike {
		return 0
	}
	return n
}

var (
	cardinalUnits = []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	ordinalUnits  = []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"}
	ordinalTeens  = []string{"tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
		"sixteenth", "seventeenth", "eighteenth", "nineteenth"}
	tensCardinal  = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	tensOrdinal   = []string{"", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"}
	ordinalDigits = regexp.MustCompile(`^(\d{1,4})(?:st|nd|rd|th)$`)
)

// maxOrdinal is the largest ordinal word read.
const maxOrdinal = 999

// ordinal returns the number of an English ordinal, in words from first to
// nine hundred and ninety-ninth ("twenty-fifth", "one hundred and fifth") or
// in digits ("52nd"), or 0.
func ordinal(word string) int {
	if m := ordinalDigits.FindStringSubmatch(strings.ToLower(word)); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	w := strings.ToLower(strings.Join(strings.FieldsFunc(word, func(r rune) bool { return r == '-' || r == ' ' }), " "))
	w = strings.ReplaceAll(w, " and ", " ")
	for n := 1; n <= maxOrdinal; n++ {
		if ordinalWord(n) == w {
			return n
		}
	}
	return 0
}

// ordinalWord spells n (1–999) as an ordinal, words joined by single spaces
// and without "and": "one hundred fifth".
func ordinalWord(n int) string {
	if n >= 100 {
		h := cardinalUnits[n/100] + " hundred"
		if n%100 == 0 {
			return h + "th"
		}
		return h + " " + ordinalWord(n%100)
	}
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

// yearThenNo reports whether s holds what every match of issueLineRe
// holds, in ASCII that no case folding reaches: white space, a run of
// exactly four digits, white space, then "no" in any case.
func yearThenNo(s string) bool {
	for i := 0; ; {
		j := indexDigit(s, i)
		if j < 0 {
			return false
		}
		k := j
		for k < len(s) && '0' <= s[k] && s[k] <= '9' {
			k++
		}
		if k-j == 4 && j > 0 && perlSpace(s[j-1]) && k < len(s) && perlSpace(s[k]) {
			if m := skipSpaces(s, k); hasPrefixFold(s[m:], "no") {
				return true
			}
		}
		i = k
	}
}
