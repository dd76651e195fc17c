package corpus

import (
	"html"
	"strings"

	"github.com/lga-digital/bulletin/internal/seedpage"
)

// renderer writes one page; it numbers the links as GovDelivery does.
type renderer struct {
	p *plan
	b strings.Builder
	n int // links so far
}

func render(p plan) string {
	r := &renderer{p: &p}
	r.page()
	return r.b.String()
}

func (r *renderer) w(parts ...string) {
	for _, s := range parts {
		r.b.WriteString(s)
	}
}

var esc = html.EscapeString

// href returns the link as the mail tracker left it.
func (r *renderer) href(target string) string {
	r.n++
	return seedpage.Link(r.p.st.links, target, r.n, "2024."+r.p.meta.ID)
}

// inline renders paragraph text with its link and e-mail addresses.
func (r *renderer) inline(p paragraph) string {
	var out string
	if p.linkAt < 0 {
		out = esc(p.text)
	} else {
		words := strings.Fields(p.text)
		end := p.linkAt + p.linkLen
		out = esc(strings.Join(words[:p.linkAt], " "))
		if out != "" {
			out += " "
		}
		out += `<a href="` + esc(r.href(p.target)) + `" target="_blank">` + esc(strings.Join(words[p.linkAt:end], " ")) + "</a>"
		if end < len(words) {
			out += " " + esc(strings.Join(words[end:], " "))
		}
	}
	if r.p.st.mailto {
		out = seedpage.Mailto(out)
	}
	return out
}

func (r *renderer) body(ps []paragraph) {
	for _, p := range ps {
		switch {
		case p.list != nil:
			r.w(`<ul style="margin-top:0">`)
			for _, it := range p.list {
				r.w("<li>", r.inline(paragraph{text: it, linkAt: -1}), "</li>")
			}
			r.w("</ul>\n")
		case p.em:
			r.w(`<p class="gd_p"><em>`, r.inline(p), "</em></p>\n")
		default:
			r.w(`<p class="gd_p">`, r.inline(p), "</p>\n")
		}
	}
}

// heading writes an article heading of a kind (see seedpage.Heading).
func heading(kind, title string) string { return seedpage.Heading(kind, esc(title)) }

func divider(kind string) string { return seedpage.Divider(kind) }

// article writes an article's heading and body (not its group heading).
func (r *renderer) article(a article) {
	if a.brFirst {
		r.w(`<p class="gd_p"><strong>`, esc(a.title), "</strong><br>", r.inline(a.body[0]), "</p>\n")
		r.body(a.body[1:])
		return
	}
	r.w(heading(r.p.st.heading, a.title), "\n")
	r.body(a.body)
}

// groupHeading is an h2 in every style: above h3 or bold-paragraph headings
// it is the more prominent one, and above h2 headings its name marks it.
func groupHeading(name string) string { return heading("h2", name) }

// articles writes the rows of the main table that hold the articles.
func (r *renderer) articles() {
	st := r.p.st
	const cell = `<tr><td class="gd_combo_text_cell" style="padding:8px 12px">` + "\n"
	switch {
	case st.heading == "b": // edition 27: a gd_combo_table per article, bold cells, divider rows
		for _, a := range r.p.articles {
			r.w(`<tr><td><table class="gd_combo_table" width="100%" role="presentation"><tbody>`)
			if a.group != "" {
				r.w(`<tr><td class="gd_combo_text_cell" style="font-size:20px"><b>`, esc(a.group), "</b></td></tr>")
			}
			r.w(`<tr><td class="gd_combo_text_cell">`, heading("b", a.title), "</td></tr>")
			r.w(`<tr><td class="gd_combo_text_cell">`)
			r.body(a.body)
			r.w("</td></tr></tbody></table></td></tr>\n", divider("tr"), "\n")
		}
	case st.divider == "tr": // edition 25: a cell per article between divider rows
		for i, a := range r.p.articles {
			if i > 0 {
				r.w(divider("tr"), "\n")
			}
			r.w(cell)
			if a.group != "" {
				r.w(groupHeading(a.group), "\n")
			}
			r.article(a)
			r.w("</td></tr>\n")
		}
	default: // one cell, articles separated by a divider element or by nothing
		r.w(cell)
		for i, a := range r.p.articles {
			if i > 0 && st.divider != "" {
				r.w(divider(st.divider), "\n")
			}
			if a.group != "" {
				r.w(groupHeading(a.group), "\n")
			}
			r.article(a)
		}
		r.w("</td></tr>\n")
	}
}

func (r *renderer) page() {
	p, st := r.p, r.p.st
	id := p.meta.ID
	meta := `<meta charset="utf-8">`
	if p.meta.Charset == "windows-1252" {
		meta = `<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">`
	}
	masthead, banner := "LGA Cyber, Digital and Technology Bulletin", "Cyber and digital banner"
	if !p.meta.Series {
		masthead, banner = "LGA Workforce Bulletin", "Workforce banner"
	}
	r.w("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n", meta, "\n<title>", esc(p.meta.Subject), "</title>\n",
		`<meta name="viewport" content="width=device-width, initial-scale=1">`, "\n",
		`<link rel="alternate" type="application/rss+xml" title="Local Government Association" href="`, Base, FeedPath, `">`, "\n",
		`<link rel="stylesheet" href="/assets/bulletin.css">`, "\n",
		"<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>\n</head>\n<body>\n",
		`<div id="bulletin_header"><a href="`, Base, ListPath, `">Local Government Association</a></div>`, "\n",
		`<div id="bulletin_detail" class="bulletin_detail">`, "\n")
	if st.subject != 3 {
		r.w(`<h1 class="bulletin_subject">`, esc(p.meta.Subject), "</h1>\n")
	}
	if st.dateline {
		r.w(`<div class="bulletin_dateline"><span class="dateline gd_dateline">Local Government Association sent this bulletin at `, p.dateline, "</span></div>\n")
	}
	r.w(`<div id="share_box" class="share_box"><span class="share_text">Share Bulletin</span> <a href="https://www.facebook.com/sharer/sharer.php?u=`, Base, pagesPath, id, `">Facebook</a></div>`, "\n")
	if st.heading == "b" {
		r.w(`<div class="bulletin_body">`, "\n")
	} else {
		r.w(`<div id="bulletin_body" class="bulletin_body">`, "\n")
	}
	r.w(`<table class="gd_tbl_wrap" width="100%" cellpadding="0" cellspacing="0" border="0" role="presentation"><tbody><tr><td align="center">`, "\n",
		`<table class="main-table" width="600" cellpadding="0" cellspacing="0" border="0" style="background:#ffffff"><tbody>`, "\n",
		`<tr><td id="main-headline" style="padding:6px;font-size:11px;text-align:center"><p class="gd_p">Having trouble viewing this email? <a href="`, Base, pagesPath, id, `">View it as a webpage</a>.</p></td></tr>`, "\n",
		`<tr><td style="padding:0"><img alt="`, banner, `" src="https://content.govdelivery.com/attachments/fancy_images/UKLGA/2023/03/7123456/cyber-banner_original.png" width="600" height="150" style="display:block"></td></tr>`, "\n",
		`<tr><td id="sub-headline-body" style="padding:12px"><p class="gd_p" style="text-align:center"><span style="font-size:26px;font-weight:bold;color:#00a9a4">`, masthead, "</span></p>")
	if st.issue {
		r.w(`<p class="gd_p" style="text-align:center;font-size:14px">`, esc(p.issueLine), "</p>")
	}
	r.w("</td></tr>\n",
		`<tr><td class="gd_social" style="text-align:center"><a href="https://twitter.com/LGAcomms"><img alt="Twitter" src="https://content.govdelivery.com/attachments/fancy_images/UKLGA/icons/twitter.png" width="32" height="32"></a> <a href="https://www.linkedin.com/company/local-government-association"><img alt="LinkedIn" src="https://content.govdelivery.com/attachments/fancy_images/UKLGA/icons/linkedin.png" width="32" height="32"></a></td></tr>`, "\n",
		`<tr><td style="text-align:center"><p class="gd_p"><a href="https://twitter.com/LGAcomms">Join us on Twitter</a></p></td></tr>`, "\n",
		`<tr><td class="gd_combo_text_cell" style="padding:12px">`)
	r.body(p.editorial)
	sign := make([]string, len(p.signOff))
	for i, s := range p.signOff {
		sign[i] = esc(s)
	}
	r.w(`<p class="gd_p">`, strings.Join(sign, "<br>"), "</p></td></tr>\n", divider("tr"), "\n", divider("tr"), "\n")
	r.articles()
	if p.meta.Series {
		r.w(`<tr><td class="gd_combo_text_cell" style="padding:12px"><p class="gd_p">Cyber, Digital and Technology Team: `,
			r.inline(paragraph{text: "cyberanddigital@local.gov.uk", linkAt: -1}), "</p>\n",
			`<p class="gd_p">For more information visit our <a href="`, esc(r.href("https://www.local.gov.uk/our-support/cyber-digital-and-technology")), `">Cyber and Digital hub</a></p></td></tr>`, "\n")
	} else {
		r.w(`<tr><td class="gd_combo_text_cell" style="padding:12px"><p class="gd_p">Workforce team: workforce@local.gov.uk</p></td></tr>`, "\n")
	}
	r.w("</tbody></table>\n</td></tr></tbody></table>\n",
		`<table class="gd_tbl_wrap" width="100%" role="presentation"><tbody><tr><td style="font-size:11px;color:#666">`, "\n")
	if st.forward {
		r.w(`<p class="gd_p">Did someone forward you this email? <a href="https://public.govdelivery.com/accounts/UKLGA/subscriber/new">Subscribe here</a>.</p>`, "\n")
	}
	r.w(`<p class="gd_p"><strong>SUBSCRIBER SERVICES:</strong> <a href="https://public.govdelivery.com/accounts/UKLGA/subscriber/edit?preferences=true#tab1">Manage Preferences</a> | <a href="https://public.govdelivery.com/accounts/UKLGA/subscriber/one_click_unsubscribe?verification=1.abc">Unsubscribe</a> | <a href="https://subscriberhelp.granicus.com/">Help</a></p>`, "\n",
		`<p class="gd_p">This email was sent to subscriber@example.org using GovDelivery Communications Cloud on behalf of: Local Government Association &middot; 18 Smith Square &middot; London SW1P 3HZ</p>`, "\n",
		`<img src="https://links.govdelivery.com/track?type=open&amp;enid=ZWFzPTEmYnVsbGV0aW5faWQ9`, id, `" width="1" height="1" alt="" style="display:none">`, "\n",
		"</td></tr></tbody></table>\n</div>\n</div>\n",
		`<div id="mail_footer"><p>Powered by GovDelivery</p><p><a href="https://granicus.com/privacy-policy/">Privacy Policy</a></p></div>`, "\n</body>\n</html>\n")
}
