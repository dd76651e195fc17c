package testsite

import (
	"strings"
	"time"
)

// Paths of the HBCUK topic feed and of its account's bulletins.
const (
	TopicFeedPath  = "/accounts/HBCUK/topics/HBCUK_12/feed.rss"
	topicPagesPath = "/accounts/HBCUK/bulletins/"
)

// The HBCUK part of the site: the topic feed of an invented council,
// Harbourside Borough Council, whose items carry each bulletin's whole body
// in <description>, as GovDelivery's topic feeds do, and the archive page of
// the one item that carries only a summary. The text is the project's own.

const topicAccount = "{{BASE}}/accounts/HBCUK"

// topicArticle is an article of a topic bulletin: an h2 and its paragraphs.
type topicArticle struct {
	title string
	paras []string
}

// topicItem is one item of the topic feed. An item with a body (gd_ab or
// abe) carries it whole; the one with a summary leads to its page.
type topicItem struct {
	id, title, date string // date as the feed states it (RFC 1123, the sender's zone)
	family          string // "gd_ab", "abe", or "" for a summary
	dateLine, intro string // gd_ab only
	articles        []topicArticle
	summary         string
}

var topicItems = []topicItem{
	{id: "3a0c1f2", title: "March 4, 2025 Council Meeting Highlights", date: "Tue, 04 Mar 2025 18:45:00 -0500", family: "gd_ab",
		dateLine: "March 4, 2025", intro: "Council met on Tuesday evening and passed the following measures.",
		articles: []topicArticle{
			{"Harbour wall repairs", []string{"Members approved a contract for the repair of the north harbour wall. Works begin in April and finish before the summer season, " +
				"with the promenade open throughout."}},
			{"Library opening hours", []string{"From the first of April the central library will stay open until eight in the evening on Thursdays, " +
				"after a survey in which most residents asked for later opening."}},
		}},
	{id: "3a0b9e4", title: "Spring clean volunteers wanted", date: "Fri, 28 Feb 2025 09:00:00 -0500",
		summary: "<p>Join your neighbours for the spring clean of the beach and the parks. Read more</p>",
		// The articles of its page (topicPage).
		articles: []topicArticle{{"Beach clean on Saturday", nil}, {"Parks clean on Sunday", nil}}},
	{id: "3a0a771", title: "Harbourside Green News - February 2025", date: "Wed, 19 Feb 2025 10:30:00 -0500", family: "abe",
		articles: []topicArticle{
			{"Tool library opens at the depot", []string{"Residents can now borrow ladders, drills and garden tools for a week at a time from the old depot, " +
				"free of charge with a library card."}},
			{"Cycle routes survey", []string{"Tell us which streets you would cycle on if they felt safer. The survey closes on the thirty-first of March " +
				"and takes five minutes."}},
			{"Meet the team", []string{"Our new energy officer helps households apply for insulation grants and answers questions at the town hall every Monday."}},
		}},
	{id: "3a09d10", title: "February 11, 2025 Council Meeting Highlights", date: "Tue, 11 Feb 2025 19:05:00 -0500", family: "gd_ab",
		dateLine: "February 11, 2025", intro: "Council met on Tuesday and passed two measures.",
		articles: []topicArticle{
			{"New bus shelters on the coast road", []string{"Twelve bus shelters with seats and timetables will go up along the coast road this spring, " +
				"paid for by the transport grant."}},
			{"Allotment waiting list", []string{"The waiting list for allotments has closed while the council lays out thirty new plots on the old depot site."}},
		}},
}

// topicPage is the archive page of the item with a summary. (Its table's
// width "100%%" is as the first generator wrote it; the fixture keeps it.)
const topicPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Spring clean volunteers wanted</title></head>
<body>
<div class="bulletin_header"><h1 class="bulletin_subject">Spring clean volunteers wanted</h1>
<div class="bulletin_dateline"><span class="dateline gd_dateline">Harbourside Borough Council sent this bulletin at 02/28/2025 02:00 PM GMT</span></div></div>
<div class="bulletin_body" id="bulletin_body">
<table width="100%%"><tr><td>
<h2>Beach clean on Saturday</h2>
<p>Meet at the lifeboat station at ten o'clock on Saturday the fifteenth of March. Gloves, bags and litter pickers are provided.</p>
<h2>Parks clean on Sunday</h2>
<p>Volunteers gather at the bandstand in Victoria Park at eleven o'clock. Children are welcome with an adult.</p>
</td></tr></table>
</div>
</body></html>
`

// body writes an item's whole bulletin in its family's markup.
func (it topicItem) body() string {
	var parts []string
	switch it.family {
	case "gd_ab": // the legacy family: header, main body with h2 articles, a divider, footer
		parts = append(parts, `<table id="gd_ab_main_tab" width="100%" cellpadding="0" cellspacing="0"><tr>`,
			`<td id="gd_ab_header"><p><img src="{{BASE}}/img/hbc-logo.png" alt="Harbourside Borough Council"></p></td></tr>`,
			`<tr><td id="gd_ab_main_body">`,
			"<p>"+it.dateLine+"</p>",
			"<p><strong>"+it.intro+"</strong></p>")
		for i, a := range it.articles {
			if i > 0 {
				parts = append(parts, `<table class="govd_hr" width="100%"><tr><td><hr></td></tr></table>`)
			}
			parts = append(parts, "<h2>"+a.title+"</h2>")
			for _, p := range a.paras {
				parts = append(parts, "<p>"+p+"</p>")
			}
		}
		parts = append(parts, "<p>###</p></td></tr>",
			`<tr><td id="gd_ab_footer"><p>Update your subscriptions, modify your password or email address, or stop subscriptions at any time on your `+
				`<a href="https://public.govdelivery.com/accounts/HBCUK/subscriber/edit">Subscriber Preferences Page</a>.</p>`+
				`<p>This service is provided to you at no charge by Harbourside Borough Council.</p></td></tr></table>`)
	case "abe": // GovDelivery's block editor: section blocks with govd_header headings
		parts = append(parts, `<table id="flexible-abe-main-table" width="100%"><tr><td>`,
			`<!--[if mso]><table width="600"><tr><td><![endif]-->`)
		for i, a := range it.articles {
			if i > 0 {
				parts = append(parts, `<table class="govd_hr" width="100%"><tr><td style="border-top:1px solid #ccc"></td></tr></table>`)
			}
			parts = append(parts, `<div class="abe-section-block"><div class="abe-column-block">`, `<h2 class="govd_header">`+a.title+"</h2>")
			for _, p := range a.paras {
				parts = append(parts, "<p>"+p+"</p>")
			}
			parts = append(parts, "</div></div>")
		}
		parts = append(parts, `<!--[if mso]></td></tr></table><![endif]-->`, "</td></tr></table>")
	default:
		return it.summary
	}
	return strings.Join(parts, "\n")
}

// topicFiles writes the topic feed and the summary item's page.
func topicFiles() map[string][]byte {
	out := []string{`<?xml version="1.0" encoding="UTF-8"?>`,
		`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">`,
		"<channel>",
		"<title>Harbourside Borough Council: Council news</title>",
		"<link>" + topicAccount + "/bulletins</link>",
		`<atom:link href="` + topicAccount + `/topics/HBCUK_12/feed.rss" rel="self" type="application/rss+xml"/>`,
		"<description>Bulletins of the topic Council news</description>",
		"<language>en-us</language>"}
	for _, it := range topicItems {
		link := topicAccount + "/bulletins/" + it.id
		out = append(out, "<item>",
			"<title>"+esc(it.title)+"</title>",
			"<link>"+link+"</link>",
			"<pubDate>"+it.date+"</pubDate>",
			`<guid isPermaLink="true">`+link+"</guid>",
			"<description>"+esc(it.body())+"</description>",
			"</item>")
	}
	out = append(out, "</channel>", "</rss>", "")
	return map[string][]byte{
		strings.TrimPrefix(TopicFeedPath, "/"):                   []byte(strings.Join(out, "\n")),
		strings.TrimPrefix(topicPagesPath, "/") + "3a0b9e4.html": []byte(topicPage),
	}
}

// TopicEditions returns the bulletins of the topic feed at TopicFeedPath,
// newest first. The feed items whose description holds the whole bulletin
// (FeedBody) have no archive page on the site: a crawler must take them
// from the feed. The item with a summary leads to its page. Items lists
// the article headings (h2) of each.
func TopicEditions() []Fixture {
	var out []Fixture
	for _, it := range topicItems {
		sent, err := time.Parse(time.RFC1123Z, it.date)
		if err != nil {
			panic(err) // the dates above are constants
		}
		f := Fixture{ID: it.id, Path: topicPagesPath + it.id, Title: it.title, Series: true,
			Published: sent.UTC(), InFeed: true, FeedBody: it.family != ""}
		for _, a := range it.articles {
			f.Items = append(f.Items, a.title)
		}
		out = append(out, f)
	}
	return out
}
