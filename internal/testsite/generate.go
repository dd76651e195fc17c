package testsite

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lga-digital/bulletin/internal/seedpage"
)

// This file writes the UKLGA part of the site: nine edition pages built
// from the seed texts of internal/seedpage, each in a markup GovDelivery
// has used, bulletins.rss, the HTML list and robots.txt; topic.go writes
// the HBCUK part. Editions and TopicEditions are derived from the same
// definitions, so the expectations cannot drift from the pages.
//
// The committed files under site/ are its output (go generate; a test
// keeps them equal). Change the definitions here, run go generate, and
// review the diff of site/ like any other change.

//go:generate go run ./cmd/gensite site

// Files returns every file of the fixture site, keyed by its path under
// site/ (slash-separated), as go generate writes them.
func Files() map[string][]byte {
	files := map[string][]byte{"robots.txt": []byte("User-agent: *\nAllow: /\n")}
	eds := uklgaEditions()
	for _, ed := range eds {
		files["accounts/UKLGA/bulletins/"+ed.meta.ID+".html"] = ed.page
	}
	files["accounts/UKLGA/bulletins.rss"] = []byte(feedRSS(eds))
	files["accounts/UKLGA/bulletins.html"] = []byte(listHTML(eds))
	for name, b := range topicFiles() {
		files[name] = b
	}
	return files
}

// WriteSite writes Files under dir, replacing files of the same name.
func WriteSite(dir string) error {
	for name, b := range Files() {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("write fixture site: %w", err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return fmt.Errorf("write fixture site: %w", err)
		}
	}
	return nil
}

// Editions returns the metadata of the fixture editions, newest first: the
// expected subject, number and item titles of each edition page, for tests
// of the packages that discover, fetch and parse them.
func Editions() []Fixture {
	eds := uklgaEditions()
	out := make([]Fixture, len(eds))
	for i, ed := range eds {
		out[i] = ed.meta
	}
	return out
}

// genEdition is one generated edition page and what it must parse to.
type genEdition struct {
	meta Fixture
	page []byte
}

// link is a phrase of an article that links to a target (a heading links
// when the phrase is headingLink).
type link struct{ phrase, target string }

const headingLink = "__heading__"

// gdStyle is the markup of one page: the kind of its article headings, the
// tracker's link style (see seedpage.Link), whether e-mail addresses are
// mailto links; n counts the page's links, as the tracker numbers them.
type gdStyle struct {
	heading string
	links   string
	noMail  bool
	n       int
}

// href numbers a link and returns it as the tracker left it; links to the
// site's own attachments stay relative.
func (st *gdStyle) href(target string) string {
	st.n++
	if strings.HasPrefix(target, "/") {
		return target
	}
	return seedpage.Link(st.links, target, st.n, "20240321.9214491")
}

// esc escapes text as the pages do: &, < and >, quotes left alone.
var esc = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

// inline writes a line of text with its links and e-mail addresses.
func (st *gdStyle) inline(text string, links []link) string {
	out := esc(text)
	for _, l := range links {
		p := esc(l.phrase)
		if l.phrase != headingLink && strings.Contains(out, p) {
			out = strings.Replace(out, p, `<a href="`+esc(st.href(l.target))+`" target="_blank">`+p+"</a>", 1)
		}
	}
	if !st.noMail {
		out = seedpage.Mailto(out)
	}
	return out
}

var emLine = regexp.MustCompile(`^(Webinar|20 Cavendish)|^London Borough Cyber 360`)

// body writes article or editorial lines as paragraphs and lists; with
// tableDays a list of "Day 1: …" lines becomes a table.
func (st *gdStyle) body(lines []string, links []link, tableDays bool) string {
	var out []string
	isItem := func(l string) bool { return strings.HasPrefix(l, "- ") || l == "-" }
	for i := 0; i < len(lines); {
		l := strings.TrimSpace(lines[i])
		if isItem(l) {
			type item struct {
				para bool
				text string
			}
			var items []item
			for i < len(lines) && isItem(strings.TrimSpace(lines[i])) {
				if strings.TrimSpace(lines[i]) == "-" {
					items = append(items, item{true, strings.TrimSpace(lines[i+1])})
					i += 2
				} else {
					items = append(items, item{false, strings.TrimSpace(lines[i])[2:]})
					i++
				}
			}
			var b strings.Builder
			if tableDays && strings.HasPrefix(items[0].text, "Day 1") {
				b.WriteString(`<table border="1" cellpadding="4" style="border-collapse:collapse"><tr><th>Day</th><th>Date</th></tr>`)
				for _, it := range items {
					parts := strings.Split(it.text, ": ")
					b.WriteString("<tr><td>" + esc(parts[0]) + "</td><td>" + esc(parts[1]) + "</td></tr>")
				}
				b.WriteString("</table>")
			} else {
				b.WriteString(`<ul style="margin-top:0">`)
				for _, it := range items {
					if it.para {
						b.WriteString(`<li><p class="gd_p">` + st.inline(it.text, links) + "</p></li>")
					} else {
						b.WriteString("<li>" + st.inline(it.text, links) + "</li>")
					}
				}
				b.WriteString("</ul>")
			}
			out = append(out, b.String())
			continue
		}
		if emLine.MatchString(l) {
			out = append(out, `<p class="gd_p"><em>`+st.inline(l, links)+"</em></p>")
		} else {
			out = append(out, `<p class="gd_p">`+st.inline(l, links)+"</p>")
		}
		i++
	}
	return strings.Join(out, "\n")
}

// headingHTML writes a heading of the page's kind, or of kind when given.
func (st *gdStyle) headingHTML(title string, links []link, kind string) string {
	t := esc(title)
	for _, l := range links {
		if l.phrase == headingLink {
			t = `<a href="` + esc(st.href(l.target)) + `">` + t + "</a>"
			break
		}
	}
	if kind == "" {
		kind = st.heading
	}
	return seedpage.Heading(kind, t)
}

// subhead is an editorial sub-heading, written before the line it starts.
type subhead struct{ prefix, title string }

// editorial writes the editorial from "Dear colleague" to the sign-off
// (its lines joined by <br>). With split the sign-off goes into a row of
// its own after a divider row, as in edition 25.
func (st *gdStyle) editorial(lines []string, links []link, subheads []subhead, split bool) string {
	var body, sign []string
	for _, l := range lines {
		if slices.Contains(seedpage.SignOff, l) || strings.HasPrefix(l, "Jane Ashworth") || strings.HasPrefix(l, "Head of Workforce") {
			sign = append(sign, esc(l))
			continue
		}
		for _, sh := range subheads {
			if strings.HasPrefix(l, sh.prefix) {
				body = append(body, st.headingHTML(sh.title, nil, "h3"))
			}
		}
		body = append(body, `<p class="gd_p">`+st.inline(l, links)+"</p>")
	}
	if split {
		body = append(body, "</td></tr>"+seedpage.Divider("tr")+`<tr><td class="gd_combo_text_cell" style="padding:12px">`)
	}
	body = append(body, `<p class="gd_p">`+strings.Join(sign, "<br>")+"</p>")
	return strings.Join(body, "\n")
}

// article writes a heading and its body; brFirst puts the heading and the
// first line in one paragraph, split by <br>.
func (st *gdStyle) article(title string, lines []string, kind string, tableDays, brFirst bool) string {
	links := articleLinks[title]
	if brFirst {
		h := st.headingHTML(title, links, "strong")
		h = strings.TrimSuffix(strings.TrimPrefix(h, `<p class="gd_p">`), "</p>")
		return `<p class="gd_p">` + h + "<br>" + st.inline(lines[0], links) + "</p>\n" + st.body(lines[1:], links, tableDays)
	}
	return st.headingHTML(title, links, kind) + "\n" + st.body(lines, links, tableDays)
}

// closing writes the team's contact lines after the last article.
func (st *gdStyle) closing(headOf bool) string {
	var parts []string
	if headOf {
		parts = append(parts, `<p class="gd_p">Head of Programme: `+st.inline("owen.pritchard@local.gov.uk", nil)+"</p>")
	}
	parts = append(parts, `<p class="gd_p">Cyber, Digital and Technology Team: `+st.inline("cyberanddigital@local.gov.uk", nil)+"</p>")
	parts = append(parts, `<p class="gd_p">For more information visit our <a href="`+esc(st.href("https://www.local.gov.uk/our-support/cyber-digital-and-technology"))+`">Cyber and Digital hub</a></p>`)
	return strings.Join(parts, "\n")
}

func cell(h string) string {
	return `<tr><td class="gd_combo_text_cell" style="padding:8px 12px">` + "\n" + h + "\n</td></tr>"
}

// pageSpec is everything one page states besides its articles.
type pageSpec struct {
	id, subject, titleTag, dateline, issue string // subject "": no h1.bulletin_subject; titleTag "": the subject
	cp1252                                 bool   // windows-1252, declared only in <meta http-equiv>
	preheader                              string // "" for "Having trouble viewing this email?"
	masthead, banner                       string // "" for the Cyber, Digital and Technology ones
	classBody, joinBottom                  bool   // .bulletin_body without id; "Join us on Twitter" at the bottom
	shareInside, footerFirst               string // a share box inside the body; the footer's first line
	editorial, closing                     string
	articles                               []string // rows of the main table
}

func (p pageSpec) html() string {
	if p.titleTag == "" {
		p.titleTag = p.subject
	}
	meta := `<meta charset="utf-8">`
	if p.cp1252 {
		meta = `<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">`
	}
	subjectH1 := ""
	if p.subject != "" {
		subjectH1 = `<h1 class="bulletin_subject">` + esc(p.subject) + "</h1>"
	}
	dateline := ""
	if p.dateline != "" {
		dateline = `<div class="bulletin_dateline"><span class="dateline gd_dateline">Local Government Association sent this bulletin at ` + p.dateline + "</span></div>"
	}
	pre := p.preheader
	if pre == "" {
		pre = `Having trouble viewing this email? <a href="{{BASE}}/accounts/UKLGA/bulletins/%s">View it as a webpage</a>.`
	}
	pre = strings.ReplaceAll(pre, "%s", p.id)
	masthead, banner := "LGA Cyber, Digital and Technology Bulletin", "Cyber and digital banner"
	if p.masthead != "" {
		masthead, banner = p.masthead, p.banner
	}
	issue := ""
	if p.issue != "" {
		issue = `<p class="gd_p" style="text-align:center;font-size:14px">` + esc(p.issue) + "</p>"
	}
	rows := []string{
		`<tr><td id="main-headline" style="padding:6px;font-size:11px;text-align:center"><p class="gd_p">` + pre + "</p></td></tr>",
		`<tr><td style="padding:0"><img alt="` + banner + `" src="https://content.govdelivery.com/attachments/fancy_images/UKLGA/2023/03/7123456/cyber-banner_original.png" width="600" height="150" style="display:block"></td></tr>`,
		`<tr><td id="sub-headline-body" style="padding:12px"><p class="gd_p" style="text-align:center"><span style="font-size:26px;font-weight:bold;color:#00a9a4">` + esc(masthead) + "</span></p>" + issue + "</td></tr>",
		`<tr><td class="gd_social" style="text-align:center">` +
			`<a href="https://twitter.com/LGAcomms"><img alt="Twitter" src="https://content.govdelivery.com/attachments/fancy_images/UKLGA/icons/twitter.png" width="32" height="32"></a> ` +
			`<a href="https://www.linkedin.com/company/local-government-association"><img alt="LinkedIn" src="https://content.govdelivery.com/attachments/fancy_images/UKLGA/icons/linkedin.png" width="32" height="32"></a> ` +
			`<a href="https://www.youtube.com/user/LGAvideo"><img alt="YouTube" src="https://content.govdelivery.com/attachments/fancy_images/UKLGA/icons/youtube.png" width="32" height="32"></a>` +
			"</td></tr>",
		`<tr><td style="text-align:center"><p class="gd_p"><a href="https://twitter.com/LGAcomms">Join us on Twitter</a></p></td></tr>`,
		`<tr><td class="gd_combo_text_cell" style="padding:12px">` + p.editorial + "</td></tr>",
		seedpage.Divider("tr"),
		seedpage.Divider("tr"),
	}
	rows = append(rows, p.articles...)
	rows = append(rows, `<tr><td class="gd_combo_text_cell" style="padding:12px">`+p.closing+"</td></tr>")
	if p.joinBottom {
		rows = append(rows, `<tr><td><p class="gd_p">Join us on Twitter <a href="https://twitter.com/LGAcomms">@LGAcomms</a></p></td></tr>`)
	}
	bodyAttr := `id="bulletin_body" class="bulletin_body"`
	if p.classBody {
		bodyAttr = `class="bulletin_body"`
	}
	page := `<!DOCTYPE html>
<html lang="en">
<head>
` + meta + `
<title>` + esc(p.titleTag) + `</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="alternate" type="application/rss+xml" title="Local Government Association" href="{{BASE}}/accounts/UKLGA/bulletins.rss">
<link rel="stylesheet" href="/assets/bulletin.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>
</head>
<body>
<div id="bulletin_header"><a href="{{BASE}}/accounts/UKLGA/bulletins">Local Government Association</a></div>
<div id="bulletin_detail" class="bulletin_detail">
` + subjectH1 + `
` + dateline + `
<div id="share_box" class="share_box"><span class="share_text">Share Bulletin</span> <a href="https://www.facebook.com/sharer/sharer.php?u={{BASE}}/accounts/UKLGA/bulletins/` + p.id + `">Facebook</a> <a href="https://twitter.com/intent/tweet?url={{BASE}}/accounts/UKLGA/bulletins/` + p.id + `">Twitter</a></div>
<div ` + bodyAttr + `>
<table class="gd_tbl_wrap" width="100%" cellpadding="0" cellspacing="0" border="0" role="presentation"><tbody><tr><td align="center">
<table class="main-table" width="600" cellpadding="0" cellspacing="0" border="0" style="background:#ffffff"><tbody>
` + strings.Join(rows, "\n") + `
</tbody></table>
</td></tr></tbody></table>
` + p.shareInside + `
<table class="gd_tbl_wrap" width="100%" role="presentation"><tbody><tr><td style="font-size:11px;color:#666">
` + p.footerFirst + `
<p class="gd_p"><strong>SUBSCRIBER SERVICES:</strong> <a href="https://public.govdelivery.com/accounts/UKLGA/subscriber/edit?preferences=true#tab1">Manage Preferences</a> | <a href="https://public.govdelivery.com/accounts/UKLGA/subscriber/one_click_unsubscribe?verification=1.abc">Unsubscribe</a> | <a href="https://subscriberhelp.granicus.com/">Help</a></p>
<p class="gd_p">Update your subscriptions, modify your password or email address, or stop subscriptions at any time on your <a href="https://public.govdelivery.com/accounts/UKLGA/subscriber/edit?preferences=true">Subscriber Preferences Page</a>. You will need to use your email address to log in.</p>
<p class="gd_p">This email was sent to subscriber@example.org using GovDelivery Communications Cloud on behalf of: Local Government Association &middot; 18 Smith Square &middot; London SW1P 3HZ</p>
<p class="gd_p"><a href="https://granicus.com"><img alt="Powered by GovDelivery" src="https://content.govdelivery.com/attachments/fancy_images/govd-footer.png" width="160" height="30"></a></p>
<img src="https://links.govdelivery.com/track?type=open&amp;enid=ZWFzPTEmYnVsbGV0aW5faWQ9` + p.id + `" width="1" height="1" alt="" style="display:none">
</td></tr></tbody></table>
</div>
</div>
<div id="mail_footer"><p>Powered by GovDelivery</p><p><a href="https://granicus.com/privacy-policy/">Privacy Policy</a> | <a href="https://subscriberhelp.granicus.com/">Help</a></p></div>
</body>
</html>
`
	return page
}

// replaceOrdinal makes a seed's editorial welcome another edition.
func replaceOrdinal(lines []string, word string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.ReplaceAll(strings.ReplaceAll(l, "nineteenth", word), "twenty-fifth", word)
	}
	return out
}

// uklgaEditions builds the nine UKLGA editions, newest first. The order in
// which each builds its parts is the order in which its links are numbered.
func uklgaEditions() []genEdition {
	seeds := seedpage.Seeds()
	s19, s25 := seeds[0], seeds[1]
	h19 := func(i int) string { return s19.Articles[i].Title }
	h25 := func(i int) string { return s25.Articles[i].Title }
	lines := func(title string) []string {
		for _, s := range seeds {
			for _, a := range s.Articles {
				if a.Title == title {
					return a.Lines
				}
			}
		}
		panic("testsite: no seed article " + title)
	}
	titles := func(sel ...string) []string { return sel }
	var eds []genEdition
	add := func(p pageSpec, number int, published string, items []string, series bool) {
		title := p.subject
		if title == "" {
			title = p.titleTag
		}
		eds = append(eds, genEdition{
			meta: Fixture{ID: p.id, Path: pagesPath + p.id, Title: title, Number: number, Series: series,
				Published: date(published), Items: items},
			page: []byte(p.html()),
		})
	}
	cdt := func(n string) string { return "LGA Cyber, Digital and Technology Bulletin " + n }

	// A: No.19 — strong-paragraph headings, lnks.gd links, one cell, <br>-split heading.
	{
		st := &gdStyle{heading: "strong", links: "lnks"}
		var arts []string
		for i, a := range s19.Articles {
			arts = append(arts, st.article(a.Title, a.Lines, "", false, i == 11))
		}
		p := pageSpec{id: "392f025", subject: cdt("- 19"), dateline: "03/21/2024 10:05 AM GMT", issue: "March 2024 No.19"}
		p.articles = []string{cell(strings.Join(arts, "\n"))}
		p.editorial = st.editorial(s19.Editorial, articleLinks["ed19"], nil, false)
		p.closing = st.closing(false)
		var items []string
		for _, a := range s19.Articles {
			items = append(items, a.Title)
		}
		add(p, 19, "2024-03-21T10:05:00Z", items, true)
	}

	// B: No.25 — h2 group headings over h3 articles, divider rows, utm links,
	// relative PDFs, editorial sub-headings; "Invest 2035" and the DfE
	// heading share a row.
	{
		st := &gdStyle{heading: "h3", links: "utm"}
		groups := map[int]string{0: "Monthly Highlights", 4: "Upcoming events", 5: "Opportunities", 9: "Research and resources", 15: "Events", 17: "Surveys"}
		var rows, items []string
		for i, a := range s25.Articles {
			items = append(items, a.Title)
			g := ""
			if name, ok := groups[i]; ok {
				g = st.headingHTML(name, nil, "h2") + "\n"
			}
			if i > 0 {
				rows = append(rows, seedpage.Divider("tr"))
			}
			switch i {
			case 14:
				continue
			case 13:
				rows = append(rows, cell(g+st.article(a.Title, nil, "", false, false)+"\n"+st.article(h25(14), lines(h25(14)), "", false, false)))
				continue
			}
			rows = append(rows, cell(g+st.article(a.Title, a.Lines, "", false, false)))
		}
		p := pageSpec{id: "3bf5353", subject: cdt("- 25"), dateline: "11/05/2024 11:30 AM GMT", issue: "November 2024 No. 25", articles: rows}
		p.editorial = st.editorial(s25.Editorial, articleLinks["ed25"], []subhead{
			{"Last week, we were in Harrogate", "LGA Annual Conference"},
			{"On 14 November", "Technology Innovation Showcase"},
		}, true)
		p.closing = st.closing(true)
		add(p, 25, "2024-11-05T11:30:00Z", items, true)
	}

	// C: No.27 — .bulletin_body class only, each article its own
	// gd_combo_table with a <td><b> heading, a group heading in the same
	// style (recognised by name), mixed lnks.gd/utm links.
	{
		st := &gdStyle{heading: "b", links: "mixed"}
		sel := titles(h25(0), h25(5), h25(6), h25(9), h25(10), h25(17))
		var rows []string
		for i, h := range sel {
			inner := ""
			if i == 0 {
				inner += `<tr><td class="gd_combo_text_cell" style="font-size:20px"><b>Monthly Highlights</b></td></tr>`
			}
			inner += `<tr><td class="gd_combo_text_cell">` + st.headingHTML(h, articleLinks[h], "") + "</td></tr>"
			inner += `<tr><td class="gd_combo_text_cell">` + st.body(lines(h), articleLinks[h], false) + "</td></tr>"
			rows = append(rows, `<tr><td><table class="gd_combo_table" width="100%" role="presentation"><tbody>`+inner+"</tbody></table></td></tr>", seedpage.Divider("tr"))
		}
		ed := []string{s25.Editorial[0], "Welcome to the twenty-seventh edition of the LGA’s Cyber, Digital and Technology Bulletin."}
		for _, l := range s25.Editorial[2:] {
			if hasAnyPrefix(l, "This month", "Owen", "Head of", "Local Gov") {
				ed = append(ed, l)
			}
		}
		p := pageSpec{id: "3c83877", subject: "Cyber, digital and technology in 2024", dateline: "12/12/2024 09:00 AM GMT",
			issue: "December 2024 No. 27", classBody: true, articles: rows}
		p.editorial = st.editorial(ed, articleLinks["ed25"], nil, false)
		p.closing = st.closing(false)
		add(p, 27, "2024-12-12T09:00:00Z", sel, true)
	}

	// D: Sept 2023 — no issue line (the number from "thirteenth"), a BST
	// dateline, bold 18px span headings, div dividers, bare e-mail addresses.
	{
		st := &gdStyle{heading: "span", links: "plain", noMail: true}
		sel := titles(h19(1), h19(4), h19(6), h19(9), h19(10))
		var arts []string
		for i, h := range sel {
			if i > 0 {
				arts = append(arts, seedpage.Divider("div"))
			}
			arts = append(arts, st.article(h, lines(h), "", false, false))
		}
		p := pageSpec{id: "371d957", subject: cdt("- September 2023"), dateline: "09/14/2023 02:30 PM BST", articles: []string{cell(strings.Join(arts, "\n"))}}
		p.editorial = st.editorial(replaceOrdinal(s19.Editorial, "thirteenth"), articleLinks["ed19"], nil, false)
		p.closing = st.closing(false)
		add(p, 13, "2023-09-14T13:30:00Z", sel, true)
	}

	// E: No.9 — no dateline (the date from the issue line), h2 headings, a
	// "View as a webpage" preheader.
	{
		st := &gdStyle{heading: "h2", links: "plain"}
		sel := titles(h25(1), h25(2), h25(3), h25(11), h25(12))
		p := pageSpec{id: "35c7dbc", subject: cdt("- 9"), issue: "May 2023 No.9",
			preheader: `<a href="{{BASE}}/accounts/UKLGA/bulletins/%s">View as a webpage</a>`}
		p.editorial = st.editorial(replaceOrdinal(s25.Editorial, "ninth"), nil, nil, false)
		var arts []string
		for _, h := range sel {
			arts = append(arts, st.article(h, lines(h), "", false, false))
		}
		p.articles = []string{cell(strings.Join(arts, "\n"))}
		p.closing = st.closing(false)
		add(p, 9, "2023-04-30T23:00:00Z", sel, true)
	}

	// F: No.10 — windows-1252 with curly quotes, declared only in
	// <meta http-equiv>, h3 headings.
	{
		st := &gdStyle{heading: "h3", links: "plain"}
		sel := titles(h25(0), h25(8), h25(10), h25(12), h19(9))
		p := pageSpec{id: "3615c15", subject: cdt("– 10"), dateline: "06/15/2023 10:00 AM BST", issue: "June 2023 No.10", cp1252: true}
		p.editorial = st.editorial(replaceOrdinal(s19.Editorial, "tenth"), nil, nil, false)
		var arts []string
		for _, h := range sel {
			arts = append(arts, st.article(h, lines(h), "", false, false))
		}
		p.articles = []string{cell(strings.Join(arts, "\n"))}
		p.closing = st.closing(false)
		add(p, 10, "2023-06-15T09:00:00Z", sel, true)
	}

	// G: No.8 — h2 group headings over strong-paragraph articles, a table
	// inside an article, relative and lnks.gd links, div dividers, a share
	// box inside the body, "Join us on Twitter" at the bottom.
	{
		st := &gdStyle{heading: "strong", links: "lnks"}
		sel := titles(h19(2), h19(3), h19(7), h19(8), h19(10), h19(11))
		var arts []string
		for i, h := range sel {
			switch i {
			case 0:
				arts = append(arts, st.headingHTML("Monthly Highlights", nil, "h2"))
			case 4:
				arts = append(arts, seedpage.Divider("div"), st.headingHTML("Events", nil, "h2"))
			default:
				arts = append(arts, seedpage.Divider("div"))
			}
			arts = append(arts, st.article(h, lines(h), "", true, false))
		}
		p := pageSpec{id: "356f089", subject: cdt("- 8"), dateline: "04/20/2023 03:15 PM BST", issue: "April 2023 No.8", joinBottom: true,
			shareInside: `<div class="gd_share_box"><p class="gd_p">Share this bulletin: <a href="https://www.linkedin.com/shareArticle?url={{BASE}}/accounts/UKLGA/bulletins/356f089">LinkedIn</a></p></div>`,
			articles:    []string{cell(strings.Join(arts, "\n"))}}
		p.editorial = st.editorial(replaceOrdinal(s19.Editorial, "eighth"), articleLinks["ed19"], nil, false)
		p.closing = st.closing(false)
		add(p, 8, "2023-04-20T14:15:00Z", sel, true)
	}

	// H: No.1 — no h1.bulletin_subject (the title from <title>), hr
	// dividers, "Did someone forward you this email?", and malformed: an
	// unclosed paragraph and cell, stray end tags.
	{
		st := &gdStyle{heading: "h2", links: "plain"}
		sel := titles(h19(0), h19(5), h19(11))
		var arts []string
		for i, h := range sel {
			if i > 0 {
				arts = append(arts, seedpage.Divider("hr"))
			}
			arts = append(arts, st.article(h, lines(h), "", false, false))
		}
		p := pageSpec{id: "32f28b4", titleTag: cdt("- 1"), dateline: "10/27/2022 09:30 AM BST", issue: "October 2022 No. 1",
			footerFirst: `<p class="gd_p">Did someone forward you this email? <a href="https://public.govdelivery.com/accounts/UKLGA/subscriber/new">Subscribe here</a>.</p>`,
			articles:    []string{cell(strings.Join(arts, "\n"))}}
		p.editorial = st.editorial(replaceOrdinal(s19.Editorial, "first"), articleLinks["ed19"], nil, false)
		p.closing = st.closing(false)
		add(p, 1, "2022-10-27T08:30:00Z", sel, true)
		ed := &eds[len(eds)-1]
		doc := string(ed.page)
		doc = strings.ReplaceAll(doc, "</p>\n<p class=\"gd_p\">Welcome", "\n<p class=\"gd_p\">Welcome")
		doc = strings.Replace(doc, "</td></tr>\n<tr><td style=\"text-align:center\">", "\n<tr><td style=\"text-align:center\">", 1)
		doc = strings.Replace(doc, "</tbody></table>\n</td></tr></tbody></table>", "</tbody></table></span></div>\n</td></tr></tbody></table>", 1)
		ed.page = []byte(doc)
	}

	// The bulletin of another LGA series on the same account.
	{
		st := &gdStyle{heading: "h3", links: "plain"}
		wf := []seedpage.Article{
			{Title: "Pay negotiations 2025/26", Lines: []string{"The National Employers have opened consultation with councils on the 2025/26 pay round. Regional briefings take place during November and responses are due by 13 December 2024."}},
			{Title: "Apprenticeship levy changes", Lines: []string{"The Government has announced changes to the apprenticeship levy. Our briefing explains what they mean for councils as employers."}},
			{Title: "Workforce survey 2024", Lines: []string{"The annual local government workforce survey is open until 29 November. Please ask your HR team to complete it."}},
		}
		var arts, items []string
		for _, a := range wf {
			arts = append(arts, st.headingHTML(a.Title, nil, "")+"\n"+st.body(a.Lines, nil, false))
			items = append(items, a.Title)
		}
		p := pageSpec{id: "3c1b8a2", subject: "LGA Workforce Bulletin - November 2024", dateline: "11/20/2024 10:00 AM GMT", issue: "November 2024",
			masthead: "LGA Workforce Bulletin", banner: "Workforce banner", articles: []string{cell(strings.Join(arts, "\n"))},
			closing: `<p class="gd_p">Workforce team: workforce@local.gov.uk</p>`}
		p.editorial = st.editorial([]string{"Dear colleague",
			"Welcome to the November edition of the LGA Workforce Bulletin, with the latest on pay, pensions and the local government workforce.",
			"Jane Ashworth", "Head of Workforce", "Local Government Association"}, nil, nil, false)
		add(p, 0, "2024-11-20T10:00:00Z", items, false)
	}

	for i := range eds {
		if eds[i].meta.ID == "3615c15" {
			eds[i].page = seedpage.Windows1252(string(eds[i].page))
		}
		if p := eds[i].meta.ID; p == "3c83877" || p == "3c1b8a2" || p == "3bf5353" || p == "392f025" || p == "371d957" {
			eds[i].meta.InFeed = true
		}
	}
	sort.SliceStable(eds, func(i, j int) bool { return eds[i].meta.Published.After(eds[j].meta.Published) })
	return eds
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// feedRSS writes bulletins.rss: the editions InFeed, newest first.
func feedRSS(eds []genEdition) string {
	var items []string
	for _, ed := range eds {
		if !ed.meta.InFeed {
			continue
		}
		items = append(items, `  <item>
    <title>`+esc(ed.meta.Title)+`</title>
    <link>{{BASE}}`+ed.meta.Path+`</link>
    <description>`+esc(ed.meta.Title)+`</description>
    <pubDate>`+ed.meta.Published.UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")+`</pubDate>
    <guid isPermaLink="true">{{BASE}}`+ed.meta.Path+`</guid>
  </item>`)
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Local Government Association</title>
  <link>{{BASE}}/accounts/UKLGA/bulletins</link>
  <atom:link href="{{BASE}}/accounts/UKLGA/bulletins.rss" rel="self" type="application/rss+xml"/>
  <description>Recent bulletins from the Local Government Association</description>
  <language>en-gb</language>
` + strings.Join(items, "\n") + `
</channel>
</rss>
`
}

// listHTML writes the account's HTML list of every edition, newest first.
func listHTML(eds []genEdition) string {
	var lis []string
	for _, ed := range eds {
		lis = append(lis, `<li><a href="`+ed.meta.Path+`">`+esc(ed.meta.Title)+`</a> <span class="date">`+
			ed.meta.Published.UTC().Format("01/02/2006")+"</span></li>")
	}
	return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Local Government Association - Bulletins</title>
<link rel="alternate" type="application/rss+xml" href="{{BASE}}/accounts/UKLGA/bulletins.rss"></head>
<body>
<div id="bulletin_header"><a href="{{BASE}}/accounts/UKLGA/bulletins">Local Government Association</a></div>
<h1>Bulletins</h1>
<div class="bulletins">
<ul class="bulletin_list">
` + strings.Join(lis, "\n") + `
</ul>
</div>
<div id="mail_footer"><p>Powered by GovDelivery</p></div>
</body>
</html>
`
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// articleLinks holds the linked phrases of each seed article (by heading)
// and of the two editorials ("ed19", "ed25"); the targets carry no
// tracking parameters.
var articleLinks = map[string][]link{
	"ed19": {{"full collection here", "https://www.gov.uk/government/collections/defending-democracy"},
		{"LinkedIn page", "https://www.linkedin.com/showcase/lga-cyber-digital-and-technology/"}},
	"ed25": {{"CCS website", "https://www.crowncommercial.gov.uk/news/spa24"},
		{"register", "https://www.local.gov.uk/events/lga-technology-innovation-showcase"}},
	// edition 19
	"A cyber, digital, data and technology skills framework for local government": {
		{"draft framework", "https://www.local.gov.uk/our-support/cyber-digital-and-technology/skills-framework"},
		{"submit your views", "https://www.smartsurvey.co.uk/s/cdt-skills-framework/"}},
	"Pro-innovation approach to AI regulation policy brief":                                           {{"full brief on our website", "https://www.local.gov.uk/publications/pro-innovation-approach-ai-regulation-policy-brief"}},
	"Microsoft MOU (Memorandum of Understanding) negotiations":                                        {{"online questionnaire", "https://www.smartsurvey.co.uk/s/microsoft-mou-2024/"}},
	"Minimum Digital Living Standard for households with children":                                    {{"available to view online", "https://www.goodthingsfoundation.org/insights/minimum-digital-living-standard/"}},
	"iNetwork Innovation Awards 2023":                                                                 {{"iNetwork website", "https://www.inetwork.org.uk/innovation-awards-2023"}},
	"Digital Inclusion Triage Tool in Salford and Essex":                                              {{"on their website", "https://www.bbc.co.uk/news/uk-england-manchester-68400000"}},
	"DSIT (Department of Science, Innovation and Technology) Secure Connected Places Beta Playbook":   {{"Playbook", "https://www.gov.uk/government/collections/secure-connected-places-playbook"}},
	"National Cyber Security Centre (NCSC) Publish Supplementary Secure Connected Places Infographic": {{"new visual guide", "https://www.ncsc.gov.uk/collection/connected-places-security-principles"}},
	"Driving adoption of Open Referral UK to deliver millions in annual savings for councils":         {{"recent blog post", "https://localdigital.gov.uk/blog/open-referral-uk-three-year-plan/"}},
	"Building a connected digital inclusion ecosystem: Lessons from Leeds City Council":               {{"Register now for free", "https://www.bcs.org/events-calendar/2024/april/webinar-building-a-connected-digital-inclusion-ecosystem/"}},
	"Crown Commercial Service DDaT Community of Practice Event":                                       {{"register your place", "https://www.crowncommercial.gov.uk/events/ddat-community-of-practice-april-2024"}},
	// edition 25
	"The Local Government Centre for Digital Technology": {
		{"Local Government White Paper", "https://www.local.gov.uk/publications/local-government-white-paper"},
		{"Digitalisation Framework", "/attachments/UKLGA/2024/11/05/file_attachments/3021/Digitalisation-Framework.pdf"}},
	"Budget 2024": {{"full LGA submission on our website", "https://www.local.gov.uk/parliament/briefings-and-responses/budget-2024"}},
	"Update on the LGA’s research into GDS’s Service Standard":                                 {{"please sign up", "https://www.smartsurvey.co.uk/s/service-design-cop/"}},
	"Sign up for the LGA Technology Innovation Showcase, Thursday 14 November, Hybrid":         {{"Register for the showcase", "https://www.local.gov.uk/events/lga-technology-innovation-showcase"}},
	"LGA Cyber, Digital & Technology Sector-Led Consultancy":                                   {{"Express your interest now", "https://www.local.gov.uk/our-support/cyber-digital-and-technology/sector-led-consultancy"}},
	"St. Helens Borough Council Cyber Incident Case Study":                                     {{"this case study", "/attachments/UKLGA/2024/11/05/file_attachments/3022/St-Helens-case-study.pdf"}},
	"LGA Vacancy – Senior Adviser, Digital Transformation – Partners in Care and Health (PCH)": {{"Find out more about this vacancy", "https://www.local.gov.uk/about/jobs/senior-adviser-digital-transformation"}},
	"Ada Lovelace: Local Government and AI Procurement Report":                                 {{"Get the report and recommendations", "https://www.adalovelaceinstitute.org/report/buying-ai-procurement/"}},
	"Empowering the Next Generation: Ofcom's Media Literacy Strategy":                          {{"Read the full strategy", "https://www.ofcom.org.uk/media-use-and-attitudes/media-literacy/three-year-strategy"}},
	"AI@Cam: AI and the Missions for Government: insights from a public dialogue":              {{"public dialogue workshops", "https://ai.cam.ac.uk/projects/ai-and-the-missions-for-government"}},
	"Schools’ workforce policy and employment law conference resources":                        {{"access all these resources on our website", "https://www.local.gov.uk/events/schools-workforce-conference-2024"}},
	"Invest 2035: Industrial Strategy Green Paper":                                             {{headingLink, "https://www.gov.uk/government/consultations/invest-2035-the-uks-modern-industrial-strategy"}},
	"Department for Education (DfE) call for evidence ahead of a review of the curriculum and assessment system in schools from Key Stage 1 to Key Stage 6 (ages 5-19)": {{"call for evidence", "https://www.gov.uk/government/calls-for-evidence/curriculum-and-assessment-review"}},
	"ONS Local Workshop: data maturity assessments in local government, Thursday 7 November, 9:30-10:30am":                                                              {{headingLink, "https://www.eventbrite.co.uk/e/ons-local-workshop-data-maturity-tickets-1000001"}},
	"ONS Local Workshop: Every Cloud has a silver lining. Thursday 21 November, 9:30-11am":                                                                              {{"Register for this workshop", "https://www.eventbrite.co.uk/e/ons-local-workshop-every-cloud-tickets-1000002"}},
	"techUK’s procurement survey: SMEs want to hear from colleagues": {
		{"short Local Government Procurement Survey", "https://www.smartsurvey.co.uk/s/techuk-lg-procurement/"},
		{"techUK's website", "https://www.techuk.org/local-public-services.html"}},
}
