package parse

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/lga-digital/bulletin/internal/dates"
)

// The shapes of GovDelivery's template families that the walker must know
// by name: preheaders and footers (boilerplate cells of the "Advanced
// Designer", gd_ab and block-editor templates), end markers, lone date
// lines, and paragraphs or list items that open with a bold title and a
// colon.

// maxPreheaderFont is the largest font (px or pt) of text set too small to
// read, which mail clients show only as the inbox preview.
const maxPreheaderFont = 2

// preheader reports the preheader of a template: a cell or box named so
// (td#preheader-left, td#preheader-right, .preheader), or text set in a
// font too small to read (maxPreheaderFont), which mail clients show only as the
// inbox preview.
func preheader(n *html.Node) bool {
	id, class := strings.ToLower(attr(n, "id")), strings.ToLower(attr(n, "class"))
	if strings.HasPrefix(id, "preheader") || strings.Contains(class, "preheader") {
		return true
	}
	if num, unit, ok := fontSize(attr(n, "style")); ok {
		v, err := strconv.ParseFloat(num, 64)
		if err == nil && (strings.EqualFold(unit, "px") || strings.EqualFold(unit, "pt")) && v <= maxPreheaderFont && !isEmptyBox(n) {
			return true
		}
	}
	return false
}

// headerIDs name the header cells of GovDelivery's templates: banner and
// masthead, no article.
var headerIDs = map[string]bool{"main-header": true, "header-bg": true, "gd_ab_header": true, "header-left": true, "header-right": true}

// footerIDs name the footer cells and boxes of GovDelivery's templates:
// legal text, addresses, subscription links.
var footerIDs = map[string]bool{"gd_ab_footer": true, "main-footer": true, "tagline": true, "footer": true}

// footerBox reports a template's footer (td#main-footer, table.main-footer,
// td#gd_ab_footer, div#tagline): boilerplate, never article text.
func footerBox(n *html.Node) bool {
	if footerIDs[strings.ToLower(attr(n, "id"))] {
		return true
	}
	return hasClass(n, "main-footer") || hasClass(n, "mobile-footer") || hasClass(n, "mobile-tagline")
}

// hasClass reports whether n has class c.
func hasClass(n *html.Node, c string) bool {
	for f := range strings.FieldsSeq(attr(n, "class")) {
		if strings.EqualFold(f, c) {
			return true
		}
	}
	return false
}

// endMarkerRe matches the lines that end a press release or an article:
// "###", "# # #", "- END -", "-30-".
var endMarkerRe = regexp.MustCompile(`(?i)^(?:#\s*#\s*#|\*\s*\*\s*\*|-+\s*end\s*-+|end|-\s*30\s*-)$`)

// marker handles an end marker: a divider, not text. It reports whether
// line (a text as oneLine leaves it) was one.
func (w *walker) marker(line string) bool {
	if !isEndMarker(line) {
		return false
	}
	w.divider()
	return true
}

// isEndMarker reports what endMarkerRe.MatchString(line) reports, for a line
// (no line breaks, no white space at its ends). The regexp is tried only
// on a line that starts as one of its alternatives does: a paragraph costs
// the regexp time in proportion to its length even when its first
// character rules it out.
func isEndMarker(line string) bool {
	return line != "" && strings.IndexByte("#*-eE", line[0]) >= 0 && endMarkerRe.MatchString(line)
}

// dateLineRe is a whole line that is only a date with a year: "September 18,
// 2023", "Monday, 18 September 2023", "18th September 2023".
var dateLineRe = regexp.MustCompile(`^(?:` + weekdayPat + `,?\s+)?(?:(\d{1,2})(?:st|nd|rd|th)?\s+` + monthPat + `|` + monthPat + `\s+(\d{1,2})(?:st|nd|rd|th)?,?)\s+(\d{4})\.?$`)

// maxDateLine is the length of the longest line dateLineRe matches in a
// text collapsed by oneLine (where \s+ is one space): "Wednesday.,
// September. 18th, 2023." is 34 bytes; dateLineRe is not run on longer lines.
const maxDateLine = 34

// isDateLine reports a line (a text as oneLine leaves it) that is a date
// and nothing else.
func isDateLine(line string) bool {
	return !lineDay(line).IsZero()
}

// dateLineDay returns the day of a date line at midnight, London time, in
// UTC; zero when text is no date line.
func dateLineDay(text string) time.Time { return lineDay(oneLine(text)) }

// lineDay is dateLineDay of a text as oneLine leaves it.
func lineDay(line string) time.Time {
	if len(line) > maxDateLine {
		return time.Time{}
	}
	m := dateLineRe.FindStringSubmatch(line)
	if m == nil {
		return time.Time{}
	}
	day, mon := m[1], m[2]
	if day == "" {
		mon, day = m[3], m[4]
	}
	d, _ := strconv.Atoi(day)
	y, _ := strconv.Atoi(m[5])
	t, _ := dates.Day(y, dates.Month(mon), d, nil)
	return t
}

// labels is the vocabulary of label lines ("Name:", "When:", "Where:"):
// a bold run that names a field of an article, never the article itself;
// favouriteRe adds the open-ended "Favourite <thing>".
var (
	labels      = newPhraseSet(`(?i)^(?:name|full name|title|job title|role|position|organi[sz]ation|department|team|company|when|where|what|who|why|how|date|dates|day|days|time|times|date and time|date & time|location|venue|place|address|cost|costs|price|fee|fees|tickets|contact|contacts|email|e-mail|phone|telephone|tel|mobile|website|web|link|links|about|about me|about us|bio|biography|note|notes|please note|important|important note|nb|n\.b\.|deadline|closing date|register|registration|agenda|speaker|speakers|host|hosts|hosted by|presenter|presenters|format|audience|who should attend|eligibility|how to apply|apply|more information|more info|further information|details|summary|background|source|category|topic|theme|ps|p\.s\.|tip|reminder|status|question|answer|q|a|update|fun fact|hobbies|years of service|education|responsibilities)$`)
	favouriteRe = anchored(`(?i)^favou?rite \w+$`)
)

// isLabel reports a label: a bold run such as "Name" or "When".
func isLabel(s string) bool {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ":"))
	return labels.MatchString(t) || favouriteRe.MatchString(t)
}

// maxLabelRunes is the longest label of a label line.
const maxLabelRunes = 40

// isLabelLine reports a line of the form "Name: Mikhail" with a known label:
// `^([^:]{1,40}):\s*\S` read by hand (the label is all before the first
// colon; after it, something other than white space), and isLabel.
func isLabelLine(s string) bool {
	i := strings.IndexByte(s, ':')
	if i < 1 || !runesAtMost(s[:i], maxLabelRunes) || strings.TrimLeftFunc(s[i+1:], perlSpaceRune) == "" {
		return false
	}
	return isLabel(s[:i])
}

var (
	// clockRe is a time or a range of times: "6 p.m.", "9:30", "6–8pm",
	// "10:00am-3:00pm"; a bare number is none.
	clockRe   = regexp.MustCompile(`(?i)\b\d{1,2}(?:(?:[:.]\d{2})\s*(?:a\.?m\.?|p\.?m\.?)?|\s*(?:a\.?m\.?|p\.?m\.?))(?:\s*(?:-|–|—|to|until)\s*\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?)?|\b\d{1,2}\s*(?:-|–|—|to)\s*\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)|\b(?:noon|midnight)\b`)
	weekdayRe = regexp.MustCompile(`(?i)\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b\.?`)
	dayWordRe = regexp.MustCompile(`(?i)\b(?:` + dates.Months + `)\b\.?`)
	wordRe    = regexp.MustCompile(`[\p{L}]{2,}`)
)

// maxDetailWords is how many words besides dates, times and weekdays an
// event's detail line may hold (a place, "online"); more make a sentence.
const maxDetailWords = 2

// isDetailLine reports an event's detail line — a date, a time, a weekday,
// with at most maxDetailWords other words ("Tuesday, October 10 | 6–8 p.m."), which is
// never an article's title.
func isDetailLine(s string) bool {
	if !strings.ContainsAny(s, "0123456789") {
		return false // the regexps are costly; a detail line has a number
	}
	if keptWords(s) > maxDetailWords {
		return false // a title with a number: too many words the regexps cannot take
	}
	return detailLineRe(s)
}

// detailLineRe is isDetailLine as its regexps say it: a date, a weekday or
// a time, and no more than maxDetailWords words besides.
func detailLineRe(s string) bool {
	if !dayWordRe.MatchString(s) && !weekdayRe.MatchString(s) && !clockRe.MatchString(s) {
		return false
	}
	rest := clockRe.ReplaceAllString(s, " ")
	rest = weekdayRe.ReplaceAllString(rest, " ")
	rest = dayWordRe.ReplaceAllString(rest, " ")
	return len(wordRe.FindAllString(rest, -1)) <= maxDetailWords
}

// detailWords are the words the regexps of isDetailLine may take out of
// a line whole (weekdays, months, "noon", "to"), in lower case.
var detailWords = func() map[string]bool {
	set := map[string]bool{"am": true, "pm": true, "to": true, "until": true, "noon": true, "midnight": true}
	for _, re := range []*regexp.Regexp{weekdayRe, dayWordRe} {
		t, err := syntax.Parse(re.String(), syntax.Perl)
		if err != nil || t.Op != syntax.OpConcat || len(t.Sub) < 2 || t.Sub[0].Op != syntax.OpWordBoundary {
			panic(fmt.Sprintf("parse: %v is not \\b(…)", re))
		}
		forms, err := language(t.Sub[1])
		if err != nil {
			panic(fmt.Sprintf("parse: %v: %v", re, err))
		}
		for _, f := range forms {
			set[f] = true
		}
	}
	return set
}()

// keptWords counts the words of s that isDetailLine's regexps cannot take
// out: no more than the words it counts after them. A word here is a run of
// two or more ASCII letters with an ASCII byte on each side that is no
// letter; it is left out when it is one of detailWords (ASCII case folded)
// or follows a digit or a dot, across white space (the "am" of "10 am",
// which clockRe takes out with the time before it, even from "10 amazing").
// A run beside a byte outside ASCII is left out too: it may be part of a
// longer word ("café") or a folded letter (ſ, K).
func keptWords(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if !isASCIILetter(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isASCIILetter(s[j]) {
			j++
		}
		if j-i >= 2 && (j == len(s) || s[j] < utf8.RuneSelf) && !afterTime(s, i) && !detailWords[asciiLower(s[i:j])] {
			n++
		}
		i = j
	}
	return n
}

// afterTime reports whether the byte before i, past white space, is a
// digit, a dot or outside ASCII (where a time or a run may end).
func afterTime(s string, i int) bool {
	for i > 0 {
		i--
		switch c := s[i]; {
		case perlSpace(c):
			continue
		case c >= '0' && c <= '9', c == '.', c >= utf8.RuneSelf:
			return true
		default:
			return false
		}
	}
	return false
}

// splitLead splits an inline run that opens with a bold run ending in a
// colon ("<strong>TITLE:</strong> text", "<b>TITLE</b>: text") followed by
// text; nil when the run has no such opening.
func splitLead(nodes []*html.Node, parent *html.Node) *lead {
	// Leading white space and line breaks are skipped.
	i := 0
	for i < len(nodes) && isBlank(nodes[i]) {
		i++
	}
	for k := i + 1; k <= len(nodes); k++ {
		head := nodes[i:k]
		if n := head[len(head)-1]; n.Type == html.TextNode {
			// A text node may carry the colon after the bold run, and
			// the start of the rest.
			if k-1 == i {
				return nil
			}
			if isBlank(n) {
				continue
			}
			before, after, ok := strings.Cut(n.Data, ":")
			if !ok || strings.TrimSpace(strings.ReplaceAll(before, "\u00a0", " ")) != "" {
				return nil
			}
			return makeLead(nodes[i:k-1], parent, append([]*html.Node{{Type: html.TextNode, Data: after}}, nodes[k:]...))
		}
		if _, ok := emphasised(head, parent); !ok {
			return nil
		}
		if strings.HasSuffix(strings.TrimSpace(inlineText(head)), ":") {
			return makeLead(head, parent, nodes[k:])
		}
	}
	return nil
}

func makeLead(head []*html.Node, parent *html.Node, rest []*html.Node) *lead {
	title := joinLines(inlineText(head))
	title = strings.TrimSpace(strings.TrimSuffix(title, ":"))
	if title == "" || !runesAtMost(title, maxHeadingRunes) || !hasLetter(title) || strings.Contains(title, "\n") {
		return nil
	}
	if _, ok := emphasised(head, parent); !ok {
		return nil
	}
	for len(rest) > 0 && isBlank(rest[0]) {
		rest = rest[1:]
	}
	if len(rest) > 0 && rest[0].Type == html.TextNode {
		// The text starts after the colon's space.
		rest = append([]*html.Node{{Type: html.TextNode, Data: strings.TrimLeft(rest[0].Data, " \t\r\n\u00a0")}}, rest[1:]...)
	}
	text := inlineText(rest)
	if text == "" {
		return nil
	}
	return &lead{title: title, head: head, rest: rest, text: text}
}

// isBlank reports white space and line breaks.
func isBlank(n *html.Node) bool {
	switch n.Type {
	case html.TextNode:
		return strings.TrimSpace(strings.ReplaceAll(n.Data, "\u00a0", " ")) == ""
	case html.ElementNode:
		return n.DataAtom == atom.Br
	}
	return true
}

// listLeads splits each item of a list at its bold opening run; nil when no
// item has one.
func listLeads(list *html.Node) []*lead {
	var out []*lead
	found := false
	for li := list.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || li.DataAtom != atom.Li || hidden(li) {
			continue
		}
		own := childNodes(li)
		parent := li
		// <li><p>…</p></li>: the paragraph holds the run.
		var inner []*html.Node
		for _, c := range own {
			if !isBlank(c) {
				inner = append(inner, c)
			}
		}
		if len(inner) == 1 && inner[0].Type == html.ElementNode && (inner[0].DataAtom == atom.P || inner[0].DataAtom == atom.Div) {
			parent = inner[0]
			own = childNodes(inner[0])
		}
		l := splitLead(own, parent)
		if l != nil {
			found = true
		} else {
			if inlineText(childNodes(li)) == "" {
				continue
			}
			l = &lead{rest: childNodes(li), text: inlineText(childNodes(li))}
		}
		out = append(out, l)
	}
	if !found {
		return nil
	}
	return out
}
