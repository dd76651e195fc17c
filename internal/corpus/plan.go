package corpus

import (
	"fmt"
	"strings"
	"time"

	"github.com/lga-digital/bulletin/internal/dates"
	"github.com/lga-digital/bulletin/internal/seedpage"
)

// style is the markup of one page, chosen per page as the real archive's
// templates changed over the years.
type style struct {
	heading  string // "h2", "h3", "strong", "span" or "b" (a bold cell per article, as edition 27)
	links    string // "plain", "lnks" (lnks.gd wrapped), "utm" or "mixed"
	divider  string // between articles: "" (none), "tr" (rows), "div" or "hr"
	mailto   bool   // e-mail addresses as mailto links
	dateline bool   // span.dateline present
	issue    bool   // issue line "May 2023 No.9" present
	subject  int    // 0 "… Bulletin - N", 1 "… Bulletin – N", 2 "Cyber, digital and technology in YYYY", 3 no h1 (subject from <title>)
	forward  bool   // footer starts with "Did someone forward you this email?"
}

// paragraph is one block of an article body.
type paragraph struct {
	text    string
	list    []string // a list instead of text
	em      bool     // a line wholly in <em> (a place and time line)
	linkAt  int      // first word of the linked phrase; -1 for none
	linkLen int      // words in the linked phrase
	target  string   // link target, without tracking parameters
}

type article struct {
	group   string // group heading written above this article ("" for none)
	title   string
	brFirst bool // heading and first line in one paragraph, split by <br>
	body    []paragraph
}

// plan is everything drawn for one page; render turns it into HTML.
type plan struct {
	meta      Edition
	j         int
	st        style
	issueLine string
	dateline  string // London time, "03/21/2024 10:05 AM GMT"
	editorial []paragraph
	signOff   []string
	articles  []article
}

var (
	councils = []string{"Leeds", "Salford", "Essex", "Kent", "Camden", "Bristol", "Cornwall", "Norfolk", "Derby",
		"Hackney", "Sheffield", "Durham", "Suffolk", "Wigan", "Swindon", "Hull", "York", "Luton", "Torbay", "Dorset"}
	groupHeadings = []string{"Monthly Highlights", "Events", "Opportunities", "Research and resources", "Surveys",
		"Funding", "News and updates", "Consultations", "Training"}
	targets = []string{
		"https://www.local.gov.uk/our-support/cyber-digital-and-technology/skills-framework",
		"https://www.gov.uk/government/collections/secure-connected-places-playbook",
		"https://www.ncsc.gov.uk/collection/connected-places-security-principles",
		"https://localdigital.gov.uk/blog/open-referral-uk-three-year-plan/",
		"https://www.crowncommercial.gov.uk/events/ddat-community-of-practice",
		"https://www.smartsurvey.co.uk/s/cdt-survey/",
		"https://www.adalovelaceinstitute.org/report/buying-ai-procurement/",
		"https://www.ofcom.org.uk/media-use-and-attitudes/media-literacy/three-year-strategy",
		"https://www.eventbrite.co.uk/e/ons-local-workshop-tickets",
		"https://www.techuk.org/local-public-services.html",
	}
)

// plan draws page j. Every draw happens here, in a fixed order, so the
// metadata and the page agree and both depend only on (seed, j).
func (c *Corpus) plan(j int) plan {
	g := newRNG(c.opt.Seed, j)
	day := firstDay.AddDate(0, 0, j)
	sent := time.Date(day.Year(), day.Month(), day.Day(), 7+g.intn(11), 5*g.intn(12), 0, 0, dates.London())
	id := fmt.Sprintf("%x", 0x1000000+j*0x1000+g.intn(0x1000))
	p := plan{j: j, meta: Edition{ID: id, Path: pagesPath + id, Series: !isForeign(j), Charset: "utf-8"}}
	if g.chance(10) {
		p.meta.Charset = "windows-1252"
	}
	st := style{
		heading: pick(g, []string{"h2", "h3", "strong", "strong", "span", "b"}),
		links:   pick(g, []string{"plain", "lnks", "utm", "mixed"}),
		divider: pick(g, []string{"", "tr", "div", "hr"}),
		mailto:  g.chance(70),
		forward: g.chance(30),
	}
	switch r := g.intn(100); {
	case r < 10: // no dateline: the date comes from the issue line
		st.issue = true
	case r < 20: // no issue line: the number comes from "Welcome to the nth edition", if any
		st.dateline = true
	default:
		st.dateline, st.issue = true, true
	}
	st.subject = pick(g, []int{0, 0, 0, 0, 0, 0, 1, 2, 3})
	p.st = st
	p.dateline = sent.Format("01/02/2006 03:04 PM MST")
	month := sent.Format("January 2006")
	if st.dateline {
		p.meta.Published = sent.UTC()
	} else {
		p.meta.Published, _ = dates.Day(sent.Year(), sent.Month(), 1, nil)
	}
	if !p.meta.Series {
		c.planForeign(&p, month)
		return p
	}
	n := seriesNumber(j)
	if st.issue {
		p.issueLine = fmt.Sprintf("%s No.%s%d", month, pick(g, []string{"", " "}), n)
		p.meta.Number = n
	}
	switch st.subject {
	case 1:
		p.meta.Subject = fmt.Sprintf("LGA Cyber, Digital and Technology Bulletin – %d", n)
	case 2:
		p.meta.Subject = fmt.Sprintf("Cyber, digital and technology in %d", sent.Year())
	default:
		p.meta.Subject = fmt.Sprintf("LGA Cyber, Digital and Technology Bulletin - %d", n)
	}
	if st.subject != 2 && p.meta.Number == 0 {
		// The parser reads a number that ends the subject ("… - 54").
		p.meta.Number = n
	}

	sd := seeds()
	// The editorial: a seed's, welcoming the nth edition when n has an
	// English ordinal the parser knows, "this edition" otherwise.
	ed := sd.editorials[g.intn(len(sd.editorials))]
	which := "this"
	if w := ordinalWord(n); w != "" {
		which = "the " + w
		if p.meta.Number == 0 {
			p.meta.Number = n
		}
	}
	for _, l := range ed {
		if strings.HasPrefix(l, "Welcome to the ") {
			l = "Welcome to " + which + " edition of the LGA’s Cyber, Digital and Technology Bulletin."
		}
		if isSignOff(l) {
			continue
		}
		p.editorial = append(p.editorial, c.para(g, l, st))
	}
	p.signOff = seedpage.SignOff

	// About 20 articles (16 to 24), each a seed article under a title that
	// varies between editions, its seed text, and sentences drawn from the
	// whole seed.
	k := 16 + g.intn(9)
	groups := g.chance(40)
	for i, ai := range g.perm(len(sd.articles), k) {
		sa := sd.articles[ai]
		a := article{title: sa.Title}
		switch r := g.intn(10); {
		case r < 2:
			a.title = sa.Title + " – " + pick(g, councils) + " update"
		case r < 4:
			a.title = pick(g, councils) + ": " + sa.Title
		}
		if groups && (i == 0 || g.chance(15)) {
			a.group = pick(g, groupHeadings)
		}
		a.body = c.body(g, sa.Lines, st)
		a.brFirst = st.heading == "strong" && a.body[0].list == nil && !a.body[0].em && g.chance(10)
		p.articles = append(p.articles, a)
		p.meta.Items = append(p.meta.Items, a.title)
	}
	return p
}

// body turns seed lines into paragraphs and adds up to two paragraphs of
// sentences drawn from the whole seed.
func (c *Corpus) body(g rng, lines []string, st style) []paragraph {
	var out []paragraph
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l == "-" || strings.HasPrefix(l, "- ") {
			var items []string
			for ; i < len(lines) && (lines[i] == "-" || strings.HasPrefix(lines[i], "- ")); i++ {
				if lines[i] == "-" && i+1 < len(lines) {
					i++
					items = append(items, lines[i])
				} else {
					items = append(items, strings.TrimPrefix(lines[i], "- "))
				}
			}
			i--
			out = append(out, paragraph{list: items, linkAt: -1})
			continue
		}
		pp := c.para(g, l, st)
		pp.em = len(l) < 70 && !strings.HasSuffix(l, ".") && !strings.HasSuffix(l, ":") && g.chance(50)
		if pp.em {
			pp.linkAt = -1
		}
		out = append(out, pp)
	}
	sd := seeds()
	for range g.intn(3) {
		n := 2 + g.intn(3)
		ss := make([]string, n)
		for k := range ss {
			ss[k] = pick(g, sd.sentences)
		}
		out = append(out, c.para(g, strings.Join(ss, " "), st))
	}
	return out
}

// para makes a text paragraph, linking a phrase of it in about half the
// paragraphs long enough to hold one.
func (c *Corpus) para(g rng, text string, st style) paragraph {
	p := paragraph{text: text, linkAt: -1}
	words := strings.Fields(text)
	if len(words) >= 12 && g.chance(50) {
		p.linkLen = 2 + g.intn(3)
		p.linkAt = g.intn(len(words) - p.linkLen)
		p.target = pick(g, targets)
		if g.chance(30) {
			p.target = fmt.Sprintf("https://www.local.gov.uk/publications/briefing-%d", g.intn(5000))
		}
	}
	return p
}

// planForeign draws a bulletin of another series on the same account.
func (c *Corpus) planForeign(p *plan, month string) {
	p.st.heading, p.st.divider, p.st.issue = "h3", "", true
	if p.st.subject == 3 {
		p.st.subject = 0
	}
	p.issueLine = month
	p.meta.Subject = "LGA Workforce Bulletin - " + month
	p.editorial = []paragraph{
		{text: "Dear colleague", linkAt: -1},
		{text: "Welcome to the " + month + " edition of the LGA Workforce Bulletin, with the latest on pay, pensions and the local government workforce.", linkAt: -1},
	}
	p.signOff = []string{"Jane Ashworth", "Head of Workforce", "Local Government Association"}
	for _, a := range []article{
		{title: "Pay negotiations", body: []paragraph{{text: "The National Employers have opened consultation with councils on the pay round. Regional briefings take place this month.", linkAt: -1}}},
		{title: "Apprenticeship levy changes", body: []paragraph{{text: "The Government has announced changes to the apprenticeship levy. Our briefing explains what they mean for councils as employers.", linkAt: -1}}},
		{title: "Workforce survey", body: []paragraph{{text: "The annual local government workforce survey is open. Please ask your HR team to complete it.", linkAt: -1}}},
	} {
		p.articles = append(p.articles, a)
		p.meta.Items = append(p.meta.Items, a.title)
	}
}

func isSignOff(l string) bool {
	for _, s := range seedpage.SignOff {
		if l == s {
			return true
		}
	}
	return false
}

var (
	ordinalUnits = []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"}
	ordinalTeens = []string{"tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
		"sixteenth", "seventeenth", "eighteenth", "nineteenth"}
	tensCardinal = []string{"", "", "twenty", "thirty", "forty"}
	tensOrdinal  = []string{"", "", "twentieth", "thirtieth", "fortieth"}
)

// ordinalWord spells 1..49 as an ordinal ("twenty-fifth"); "" otherwise.
func ordinalWord(n int) string {
	switch {
	case n < 1 || n >= 50:
		return ""
	case n < 10:
		return ordinalUnits[n]
	case n < 20:
		return ordinalTeens[n-10]
	case n%10 == 0:
		return tensOrdinal[n/10]
	}
	return tensCardinal[n/10] + "-" + ordinalUnits[n%10]
}
