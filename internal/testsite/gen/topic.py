#!/usr/bin/env python3
"""Generates the fixture site's topic feed (accounts/HBCUK/topics/HBCUK_12/feed.rss):
the bulletins of an invented council, Harbourside Borough Council, whose items carry each
bulletin's whole body in <description>, as GovDelivery's topic feeds do, and the archive
page of the one item that carries only a summary. The text is the project's own.
Usage: topic.py [SITE_DIR]   (default: the site/ directory beside gen/)."""
import html, os, sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "../site")
ACCT = "{{BASE}}/accounts/HBCUK"


def gd_ab(date_line, intro, articles):
    """A body in the legacy gd_ab family: header, main body with h2 articles, a divider, footer."""
    parts = ['<table id="gd_ab_main_tab" width="100%" cellpadding="0" cellspacing="0"><tr>',
             '<td id="gd_ab_header"><p><img src="{{BASE}}/img/hbc-logo.png" alt="Harbourside Borough Council"></p></td></tr>',
             '<tr><td id="gd_ab_main_body">',
             '<p>%s</p>' % date_line,
             '<p><strong>%s</strong></p>' % intro]
    for i, (title, paras) in enumerate(articles):
        if i:
            parts.append('<table class="govd_hr" width="100%"><tr><td><hr></td></tr></table>')
        parts.append('<h2>%s</h2>' % title)
        parts += ['<p>%s</p>' % p for p in paras]
    parts += ['<p>###</p></td></tr>',
              '<tr><td id="gd_ab_footer"><p>Update your subscriptions, modify your password or email address, or stop subscriptions at any time on your '
              '<a href="https://public.govdelivery.com/accounts/HBCUK/subscriber/edit">Subscriber Preferences Page</a>.</p>'
              '<p>This service is provided to you at no charge by Harbourside Borough Council.</p></td></tr></table>']
    return "\n".join(parts)


def abe(articles):
    """A body in GovDelivery's block editor ("ABE") family: section blocks with govd_header headings."""
    parts = ['<table id="flexible-abe-main-table" width="100%"><tr><td>',
             '<!--[if mso]><table width="600"><tr><td><![endif]-->']
    for i, (title, paras) in enumerate(articles):
        if i:
            parts.append('<table class="govd_hr" width="100%"><tr><td style="border-top:1px solid #ccc"></td></tr></table>')
        parts.append('<div class="abe-section-block"><div class="abe-column-block">')
        parts.append('<h2 class="govd_header">%s</h2>' % title)
        parts += ['<p>%s</p>' % p for p in paras]
        parts.append('</div></div>')
    parts += ['<!--[if mso]></td></tr></table><![endif]-->', '</td></tr></table>']
    return "\n".join(parts)


ITEMS = [
    dict(id="3a0c1f2", title="March 4, 2025 Council Meeting Highlights", date="Tue, 04 Mar 2025 18:45:00 -0500",
         body=gd_ab("March 4, 2025", "Council met on Tuesday evening and passed the following measures.", [
             ("Harbour wall repairs", ["Members approved a contract for the repair of the north harbour wall. Works begin in April and finish before the summer season, "
                                       "with the promenade open throughout."]),
             ("Library opening hours", ["From the first of April the central library will stay open until eight in the evening on Thursdays, "
                                        "after a survey in which most residents asked for later opening."]),
         ])),
    dict(id="3a0b9e4", title="Spring clean volunteers wanted", date="Fri, 28 Feb 2025 09:00:00 -0500", body=None,
         summary="<p>Join your neighbours for the spring clean of the beach and the parks. Read more</p>"),
    dict(id="3a0a771", title="Harbourside Green News - February 2025", date="Wed, 19 Feb 2025 10:30:00 -0500",
         body=abe([
             ("Tool library opens at the depot", ["Residents can now borrow ladders, drills and garden tools for a week at a time from the old depot, "
                                                  "free of charge with a library card."]),
             ("Cycle routes survey", ["Tell us which streets you would cycle on if they felt safer. The survey closes on the thirty-first of March "
                                      "and takes five minutes."]),
             ("Meet the team", ["Our new energy officer helps households apply for insulation grants and answers questions at the town hall every Monday."]),
         ])),
    dict(id="3a09d10", title="February 11, 2025 Council Meeting Highlights", date="Tue, 11 Feb 2025 19:05:00 -0500",
         body=gd_ab("February 11, 2025", "Council met on Tuesday and passed two measures.", [
             ("New bus shelters on the coast road", ["Twelve bus shelters with seats and timetables will go up along the coast road this spring, "
                                                     "paid for by the transport grant."]),
             ("Allotment waiting list", ["The waiting list for allotments has closed while the council lays out thirty new plots on the old depot site."]),
         ])),
]

PAGE = """<!DOCTYPE html>
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
"""


def main():
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
           '<channel>',
           '<title>Harbourside Borough Council: Council news</title>',
           '<link>%s/bulletins</link>' % ACCT,
           '<atom:link href="%s/topics/HBCUK_12/feed.rss" rel="self" type="application/rss+xml"/>' % ACCT,
           '<description>Bulletins of the topic Council news</description>',
           '<language>en-us</language>']
    for it in ITEMS:
        link = "%s/bulletins/%s" % (ACCT, it["id"])
        desc = it["body"] if it["body"] is not None else it["summary"]
        out += ['<item>',
                '<title>%s</title>' % html.escape(it["title"], quote=False),
                '<link>%s</link>' % link,
                '<pubDate>%s</pubDate>' % it["date"],
                '<guid isPermaLink="true">%s</guid>' % link,
                '<description>%s</description>' % html.escape(desc, quote=False),
                '</item>']
    out += ['</channel>', '</rss>', '']
    with open(os.path.join(OUT, "accounts/HBCUK/topics/HBCUK_12/feed.rss"), "w") as f:
        f.write("\n".join(out))
    with open(os.path.join(OUT, "accounts/HBCUK/bulletins/3a0b9e4.html"), "w") as f:
        f.write(PAGE)


main()
