#!/usr/bin/env python3
"""Generates the GovDelivery-like fixture site for internal/testsite from the seed texts."""
import base64, html, json, os, re, sys

SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../parse/testdata/seeds")
OUT = sys.argv[1] if len(sys.argv) > 1 else "/work/main/internal/testsite/site"

H19 = [
    "A cyber, digital, data and technology skills framework for local government",
    "Pro-innovation approach to AI regulation policy brief",
    "LGA Bespoke Cyber Support \u2013 Volunteer Opportunity",
    "Microsoft MOU (Memorandum of Understanding) negotiations",
    "Minimum Digital Living Standard for households with children",
    "iNetwork Innovation Awards 2023",
    "Digital Inclusion Triage Tool in Salford and Essex",
    "DSIT (Department of Science, Innovation and Technology) Secure Connected Places Beta Playbook",
    "National Cyber Security Centre (NCSC) Publish Supplementary Secure Connected Places Infographic",
    "Driving adoption of Open Referral UK to deliver millions in annual savings for councils",
    "Building a connected digital inclusion ecosystem: Lessons from Leeds City Council",
    "Crown Commercial Service DDaT Community of Practice Event",
]
H25 = [
    "The Local Government Centre for Digital Technology",
    "Budget 2024",
    "Digital Communities All Party Parliamentary Group (APPG)",
    "Update on the LGA\u2019s research into GDS\u2019s Service Standard",
    "Sign up for the LGA Technology Innovation Showcase, Thursday 14 November, Hybrid",
    "LGA Cyber, Digital & Technology Sector-Led Consultancy",
    "St. Helens Borough Council Cyber Incident Case Study",
    "Unlocking Digital Excellence Training Programme with Apolitical",
    "LGA Vacancy \u2013 Senior Adviser, Digital Transformation \u2013 Partners in Care and Health (PCH)",
    "Ada Lovelace: Local Government and AI Procurement Report",
    "Empowering the Next Generation: Ofcom's Media Literacy Strategy",
    "AI@Cam: AI and the Missions for Government: insights from a public dialogue",
    "Schools\u2019 workforce policy and employment law conference resources",
    "Invest 2035: Industrial Strategy Green Paper",
    "Department for Education (DfE) call for evidence ahead of a review of the curriculum and assessment system in schools from Key Stage 1 to Key Stage 6 (ages 5-19)",
    "ONS Local Workshop: data maturity assessments in local government, Thursday 7 November, 9:30-10:30am",
    "ONS Local Workshop: Every Cloud has a silver lining. Thursday 21 November, 9:30-11am",
    "techUK\u2019s procurement survey: SMEs want to hear from colleagues",
]
CLOSING = ("Cyber, Digital and Technology Team:", "For more information visit our", "Head of Programme:")

# phrase -> target, per article heading (targets carry no tracking parameters)
LINKS = {
    # editorial 19
    "ed19": [("full collection here", "https://www.gov.uk/government/collections/defending-democracy"),
             ("LinkedIn page", "https://www.linkedin.com/showcase/lga-cyber-digital-and-technology/")],
    "ed25": [("CCS website", "https://www.crowncommercial.gov.uk/news/spa24"),
             ("register", "https://www.local.gov.uk/events/lga-technology-innovation-showcase")],
    H19[0]: [("draft framework", "https://www.local.gov.uk/our-support/cyber-digital-and-technology/skills-framework"),
             ("submit your views", "https://www.smartsurvey.co.uk/s/cdt-skills-framework/")],
    H19[1]: [("full brief on our website", "https://www.local.gov.uk/publications/pro-innovation-approach-ai-regulation-policy-brief")],
    H19[3]: [("online questionnaire", "https://www.smartsurvey.co.uk/s/microsoft-mou-2024/")],
    H19[4]: [("available to view online", "https://www.goodthingsfoundation.org/insights/minimum-digital-living-standard/")],
    H19[5]: [("iNetwork website", "https://www.inetwork.org.uk/innovation-awards-2023")],
    H19[6]: [("on their website", "https://www.bbc.co.uk/news/uk-england-manchester-68400000")],
    H19[7]: [("Playbook", "https://www.gov.uk/government/collections/secure-connected-places-playbook")],
    H19[8]: [("new visual guide", "https://www.ncsc.gov.uk/collection/connected-places-security-principles")],
    H19[9]: [("recent blog post", "https://localdigital.gov.uk/blog/open-referral-uk-three-year-plan/")],
    H19[10]: [("Register now for free", "https://www.bcs.org/events-calendar/2024/april/webinar-building-a-connected-digital-inclusion-ecosystem/")],
    H19[11]: [("register your place", "https://www.crowncommercial.gov.uk/events/ddat-community-of-practice-april-2024")],
    H25[0]: [("Local Government White Paper", "https://www.local.gov.uk/publications/local-government-white-paper"),
             ("Digitalisation Framework", "/attachments/UKLGA/2024/11/05/file_attachments/3021/Digitalisation-Framework.pdf")],
    H25[1]: [("full LGA submission on our website", "https://www.local.gov.uk/parliament/briefings-and-responses/budget-2024")],
    H25[3]: [("please sign up", "https://www.smartsurvey.co.uk/s/service-design-cop/")],
    H25[4]: [("Register for the showcase", "https://www.local.gov.uk/events/lga-technology-innovation-showcase")],
    H25[5]: [("Express your interest now", "https://www.local.gov.uk/our-support/cyber-digital-and-technology/sector-led-consultancy")],
    H25[6]: [("this case study", "/attachments/UKLGA/2024/11/05/file_attachments/3022/St-Helens-case-study.pdf")],
    H25[8]: [("Find out more about this vacancy", "https://www.local.gov.uk/about/jobs/senior-adviser-digital-transformation")],
    H25[9]: [("Get the report and recommendations", "https://www.adalovelaceinstitute.org/report/buying-ai-procurement/")],
    H25[10]: [("Read the full strategy", "https://www.ofcom.org.uk/media-use-and-attitudes/media-literacy/three-year-strategy")],
    H25[11]: [("public dialogue workshops", "https://ai.cam.ac.uk/projects/ai-and-the-missions-for-government")],
    H25[12]: [("access all these resources on our website", "https://www.local.gov.uk/events/schools-workforce-conference-2024")],
    H25[13]: [("__heading__", "https://www.gov.uk/government/consultations/invest-2035-the-uks-modern-industrial-strategy")],
    H25[14]: [("call for evidence", "https://www.gov.uk/government/calls-for-evidence/curriculum-and-assessment-review")],
    H25[15]: [("__heading__", "https://www.eventbrite.co.uk/e/ons-local-workshop-data-maturity-tickets-1000001")],
    H25[16]: [("Register for this workshop", "https://www.eventbrite.co.uk/e/ons-local-workshop-every-cloud-tickets-1000002")],
    H25[17]: [("short Local Government Procurement Survey", "https://www.smartsurvey.co.uk/s/techuk-lg-procurement/"),
              ("techUK's website", "https://www.techuk.org/local-public-services.html")],
}


def read_seed(n, heads):
    lines = [l.rstrip("\n") for l in open(f"{SEEDS}/lga-cdt-bulletin-{n}.txt", encoding="utf-8")]
    ed, arts, cur = [], {}, None
    stage = "pre"
    for l in lines:
        s = l.strip()
        if l == "Dear colleague":
            stage = "ed"
        if s in heads:
            stage, cur = "art", s
            arts[cur] = []
            continue
        if stage == "ed":
            ed.append(l)
        elif stage == "art":
            if s in ("|", "") or s.startswith(CLOSING):
                continue
            arts[cur].append(l)
    assert list(arts) == heads, (list(arts), heads)
    return ed, arts


ED19, A19 = read_seed(19, H19)
ED25, A25 = read_seed(25, H25)


def lnks(url, n):
    hdr = base64.urlsafe_b64encode(b'{"alg":"HS256"}').rstrip(b"=").decode()
    target = url + ("&" if "?" in url else "?") + "utm_medium=email&utm_source=govdelivery"
    payload = json.dumps({"bulletin_link_id": str(100 + n), "uri": "bp2:click", "url": target,
                          "bulletin_id": "20240321.9214491"}, separators=(",", ":"))
    p = base64.urlsafe_b64encode(payload.encode()).rstrip(b"=").decode()
    return f"https://lnks.gd/l/{hdr}.{p}.sIgnAtUrE{n:03d}/s/2131547017/br/2384{n:02d}43-l"


class Style:
    def __init__(self, heading="strong", links="plain", divider=None, enc="utf-8", mailto=True):
        self.heading, self.links, self.divider, self.enc, self.mailto = heading, links, divider, enc, mailto
        self.n = 0

    def href(self, url):
        self.n += 1
        if url.startswith("/"):
            return url
        if self.links == "lnks":
            return lnks(url, self.n)
        if self.links == "utm":
            return url + ("&" if "?" in url else "?") + "utm_source=govdelivery&utm_medium=email&utm_campaign=cdt_bulletin&utm_content=link" + str(self.n)
        if self.links == "mixed":
            return lnks(url, self.n) if self.n % 2 else url + "?utm_source=govdelivery&utm_medium=email"
        return url


def esc(s):
    return html.escape(s, quote=False)


EMAIL = re.compile(r"[A-Za-z0-9._-]+@[A-Za-z0-9.-]+\.[a-z]{2,}")


def inline(text, links, st):
    out = esc(text)
    for phrase, url in links:
        p = esc(phrase)
        if phrase != "__heading__" and p in out:
            out = out.replace(p, f'<a href="{esc(st.href(url))}" target="_blank">{p}</a>', 1)
    if st.mailto:
        out = EMAIL.sub(lambda m: f'<a href="mailto:{m.group(0)}">{m.group(0)}</a>', out)
    return out


def body_html(lines, links, st, table_days=False):
    """Article or editorial lines -> HTML paragraphs and lists."""
    out, i = [], 0
    while i < len(lines):
        l = lines[i].strip()
        if l.startswith("- ") or l == "-":
            items = []
            while i < len(lines) and (lines[i].strip().startswith("- ") or lines[i].strip() == "-"):
                if lines[i].strip() == "-":
                    items.append(("p", lines[i + 1].strip()))
                    i += 2
                else:
                    items.append(("", lines[i].strip()[2:]))
                    i += 1
            if table_days and items and items[0][1].startswith("Day 1"):
                rows = "".join(f"<tr><td>{esc(t.split(': ')[0])}</td><td>{esc(t.split(': ')[1])}</td></tr>" for _, t in items)
                out.append(f'<table border="1" cellpadding="4" style="border-collapse:collapse"><tr><th>Day</th><th>Date</th></tr>{rows}</table>')
            else:
                lis = "".join(f'<li><p class="gd_p">{inline(t, links, st)}</p></li>' if k == "p" else f"<li>{inline(t, links, st)}</li>" for k, t in items)
                out.append(f'<ul style="margin-top:0">{lis}</ul>')
            continue
        if re.match(r"^(Webinar|20 Cavendish)", l) or l.startswith("London Borough Cyber 360"):
            out.append(f'<p class="gd_p"><em>{inline(l, links, st)}</em></p>')
        else:
            out.append(f'<p class="gd_p">{inline(l, links, st)}</p>')
        i += 1
    return "\n".join(out)


def heading_html(title, st, links, level=None):
    url = next((u for p, u in links if p == "__heading__"), None)
    t = esc(title)
    if url:
        t = f'<a href="{esc(st.href(url))}">{t}</a>'
    kind = level or st.heading
    if kind in ("h2", "h3", "h4"):
        return f'<{kind} style="color:#00a9a4">{t}</{kind}>'
    if kind == "strong":
        return f'<p class="gd_p"><strong>{t}</strong></p>'
    if kind == "span":
        return f'<p class="gd_p"><span style="font-weight:bold;font-size:18px;color:#00a9a4">{t}</span></p>'
    if kind == "b":
        return f'<b>{t}</b>'
    raise ValueError(kind)


def divider(kind):
    if kind == "tr":
        return '<tr><td class="gd_divider" style="border-top:1px solid #cccccc;font-size:1px;line-height:1px;">&nbsp;</td></tr>'
    if kind == "div":
        return '<div style="border-top:2px solid #00a9a4;margin:12px 0;">&nbsp;</div>'
    if kind == "hr":
        return '<hr style="border:0;border-top:1px solid #ccc">'
    return ""


def editorial_html(lines, st, links, subheads=None, split=False):
    """Editorial from 'Dear colleague' to the sign-off (name, role, organisation with <br>).
    With split the sign-off goes into its own row after a divider row, as in edition 25."""
    subheads = subheads or {}
    body, sign = [], []
    for l in lines:
        if l.strip() == "|":
            continue
        if l in ("Owen Pritchard", "Head of Cyber, Digital and Technology", "Local Government Association") or l.startswith("Jane Ashworth") or l.startswith("Head of Workforce"):
            sign.append(esc(l))
            continue
        for prefix, sh in subheads.items():
            if l.startswith(prefix):
                body.append(heading_html(sh, st, [], level="h3"))
        body.append(f'<p class="gd_p">{inline(l, links, st)}</p>')
    if split:
        body.append('</td></tr>' + divider("tr") + '<tr><td class="gd_combo_text_cell" style="padding:12px">')
    body.append(f'<p class="gd_p">{"<br>".join(sign)}</p>')
    return "\n".join(body)


def page(ed):
    st = ed["style"]
    enc = st.enc
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">' if enc == "cp1252" else '<meta charset="utf-8">'
    subject_h1 = f'<h1 class="bulletin_subject">{esc(ed["subject"])}</h1>' if ed.get("h1", True) else ""
    dateline = f'<div class="bulletin_dateline"><span class="dateline gd_dateline">Local Government Association sent this bulletin at {ed["dateline"]}</span></div>' if ed.get("dateline") else ""
    pre = ed.get("preheader", "Having trouble viewing this email? <a href=\"{{BASE}}/accounts/UKLGA/bulletins/%s\">View it as a webpage</a>.") 
    pre = pre.replace("%s", ed["id"])
    masthead = ed.get("masthead", "LGA Cyber, Digital and Technology Bulletin")
    issue = f'<p class="gd_p" style="text-align:center;font-size:14px">{esc(ed["issue"])}</p>' if ed.get("issue") else ""
    rows = []
    rows.append(f'<tr><td id="main-headline" style="padding:6px;font-size:11px;text-align:center"><p class="gd_p">{pre}</p></td></tr>')
    rows.append(f'<tr><td style="padding:0"><img alt="{ed.get("banner", "Cyber and digital banner")}" src="https://content.govdelivery.com/attachments/fancy_images/UKLGA/2023/03/7123456/cyber-banner_original.png" width="600" height="150" style="display:block"></td></tr>')
    rows.append(f'<tr><td id="sub-headline-body" style="padding:12px"><p class="gd_p" style="text-align:center"><span style="font-size:26px;font-weight:bold;color:#00a9a4">{esc(masthead)}</span></p>{issue}</td></tr>')
    rows.append('<tr><td class="gd_social" style="text-align:center">'
                '<a href="https://twitter.com/LGAcomms"><img alt="Twitter" src="https://content.govdelivery.com/attachments/fancy_images/UKLGA/icons/twitter.png" width="32" height="32"></a> '
                '<a href="https://www.linkedin.com/company/local-government-association"><img alt="LinkedIn" src="https://content.govdelivery.com/attachments/fancy_images/UKLGA/icons/linkedin.png" width="32" height="32"></a> '
                '<a href="https://www.youtube.com/user/LGAvideo"><img alt="YouTube" src="https://content.govdelivery.com/attachments/fancy_images/UKLGA/icons/youtube.png" width="32" height="32"></a>'
                '</td></tr>')
    rows.append('<tr><td style="text-align:center"><p class="gd_p"><a href="https://twitter.com/LGAcomms">Join us on Twitter</a></p></td></tr>')
    rows.append(f'<tr><td class="gd_combo_text_cell" style="padding:12px">{ed["editorial"]}</td></tr>')
    rows.append(divider("tr"))
    rows.append(divider("tr"))
    rows.extend(ed["articles"])
    rows.append(f'<tr><td class="gd_combo_text_cell" style="padding:12px">{ed["closing"]}</td></tr>')
    if ed.get("join_bottom"):
        rows.append('<tr><td><p class="gd_p">Join us on Twitter <a href="https://twitter.com/LGAcomms">@LGAcomms</a></p></td></tr>')
    body_attr = 'class="bulletin_body"' if ed.get("class_body") else 'id="bulletin_body" class="bulletin_body"'
    share_inside = ed.get("share_inside", "")
    footer_first = ed.get("footer_first", "")
    doc = f"""<!DOCTYPE html>
<html lang="en">
<head>
{meta}
<title>{esc(ed["title_tag"])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="alternate" type="application/rss+xml" title="Local Government Association" href="{{{{BASE}}}}/accounts/UKLGA/bulletins.rss">
<link rel="stylesheet" href="/assets/bulletin.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</head>
<body>
<div id="bulletin_header"><a href="{{{{BASE}}}}/accounts/UKLGA/bulletins">Local Government Association</a></div>
<div id="bulletin_detail" class="bulletin_detail">
{subject_h1}
{dateline}
<div id="share_box" class="share_box"><span class="share_text">Share Bulletin</span> <a href="https://www.facebook.com/sharer/sharer.php?u={{{{BASE}}}}/accounts/UKLGA/bulletins/{ed["id"]}">Facebook</a> <a href="https://twitter.com/intent/tweet?url={{{{BASE}}}}/accounts/UKLGA/bulletins/{ed["id"]}">Twitter</a></div>
<div {body_attr}>
<table class="gd_tbl_wrap" width="100%" cellpadding="0" cellspacing="0" border="0" role="presentation"><tbody><tr><td align="center">
<table class="main-table" width="600" cellpadding="0" cellspacing="0" border="0" style="background:#ffffff"><tbody>
{chr(10).join(rows)}
</tbody></table>
</td></tr></tbody></table>
{share_inside}
<table class="gd_tbl_wrap" width="100%" role="presentation"><tbody><tr><td style="font-size:11px;color:#666">
{footer_first}
<p class="gd_p"><strong>SUBSCRIBER SERVICES:</strong> <a href="https://public.govdelivery.com/accounts/UKLGA/subscriber/edit?preferences=true#tab1">Manage Preferences</a> | <a href="https://public.govdelivery.com/accounts/UKLGA/subscriber/one_click_unsubscribe?verification=1.abc">Unsubscribe</a> | <a href="https://subscriberhelp.granicus.com/">Help</a></p>
<p class="gd_p">Update your subscriptions, modify your password or email address, or stop subscriptions at any time on your <a href="https://public.govdelivery.com/accounts/UKLGA/subscriber/edit?preferences=true">Subscriber Preferences Page</a>. You will need to use your email address to log in.</p>
<p class="gd_p">This email was sent to subscriber@example.org using GovDelivery Communications Cloud on behalf of: Local Government Association &middot; 18 Smith Square &middot; London SW1P 3HZ</p>
<p class="gd_p"><a href="https://granicus.com"><img alt="Powered by GovDelivery" src="https://content.govdelivery.com/attachments/fancy_images/govd-footer.png" width="160" height="30"></a></p>
<img src="https://links.govdelivery.com/track?type=open&amp;enid=ZWFzPTEmYnVsbGV0aW5faWQ9{ed["id"]}" width="1" height="1" alt="" style="display:none">
</td></tr></tbody></table>
</div>
</div>
<div id="mail_footer"><p>Powered by GovDelivery</p><p><a href="https://granicus.com/privacy-policy/">Privacy Policy</a> | <a href="https://subscriberhelp.granicus.com/">Help</a></p></div>
</body>
</html>
"""
    return doc


def closing(st, head_of=False):
    parts = []
    if head_of:
        parts.append(f'<p class="gd_p">Head of Programme: {inline("owen.pritchard@local.gov.uk", [], st)}</p>')
    parts.append(f'<p class="gd_p">Cyber, Digital and Technology Team: {inline("cyberanddigital@local.gov.uk", [], st)}</p>')
    parts.append(f'<p class="gd_p">For more information visit our <a href="{esc(st.href("https://www.local.gov.uk/our-support/cyber-digital-and-technology"))}">Cyber and Digital hub</a></p>')
    return "\n".join(parts)


def article(title, lines, st, level=None, table_days=False, br_first=False):
    links = LINKS.get(title, [])
    if br_first:
        # heading and first line in one paragraph, split by <br>
        h = heading_html(title, st, links, level="strong")[len('<p class="gd_p">'):-len("</p>")]
        first = f'<p class="gd_p">{h}<br>{inline(lines[0], links, st)}</p>'
        return first + "\n" + body_html(lines[1:], links, st, table_days)
    return heading_html(title, st, links, level) + "\n" + body_html(lines, links, st, table_days)


def cell(h):
    return f'<tr><td class="gd_combo_text_cell" style="padding:8px 12px">\n{h}\n</td></tr>'


def replace_ordinal(lines, word):
    return [l.replace("nineteenth", word).replace("twenty-fifth", word) for l in lines]


editions = []

# A: No.19 — strong-paragraph headings, lnks.gd links, one cell, <br>-split heading
st = Style(heading="strong", links="lnks")
arts = []
for h in H19:
    arts.append(article(h, A19[h], st, br_first=(h == H19[11])))
editions.append(dict(id="392f025", subject="LGA Cyber, Digital and Technology Bulletin - 19", title_tag="LGA Cyber, Digital and Technology Bulletin - 19",
                     dateline="03/21/2024 10:05 AM GMT", issue="March 2024 No.19", style=st,
                     editorial=editorial_html(ED19, st, LINKS["ed19"]),
                     articles=[cell("\n".join(arts))], closing=closing(st), number=19, items=H19, date="2024-03-21T10:05:00Z"))

# B: No.25 — h2 group headings over h3 articles, divider rows, utm links, relative PDFs, editorial sub-headings
st = Style(heading="h3", links="utm", divider="tr")
groups = {0: "Monthly Highlights", 4: "Upcoming events", 5: "Opportunities", 9: "Research and resources", 15: "Events", 17: "Surveys"}
rows = []
for i, h in enumerate(H25):
    g = heading_html(groups[i], st, [], level="h2") + "\n" if i in groups else ""
    if i > 0:
        rows.append(divider("tr"))
    if i == 14:  # Invest 2035 heading directly followed by the DfE heading: same row
        continue
    if i == 13:
        rows.append(cell(g + article(h, [], st) + "\n" + article(H25[14], A25[H25[14]], st)))
        continue
    rows.append(cell(g + article(h, A25[h], st)))
editions.append(dict(id="3bf5353", subject="LGA Cyber, Digital and Technology Bulletin - 25", title_tag="LGA Cyber, Digital and Technology Bulletin - 25",
                     dateline="11/05/2024 11:30 AM GMT", issue="November 2024 No. 25", style=st,
                     editorial=editorial_html(ED25, st, LINKS["ed25"], {"Last week, we were in Harrogate": "LGA Annual Conference", "On 14 November": "Technology Innovation Showcase"}, split=True),
                     articles=rows, closing=closing(st, head_of=True), number=25, items=H25, date="2024-11-05T11:30:00Z"))

# C: No.27 — .bulletin_body class only, each article its own gd_combo_table with a <td><b> heading,
# group heading in the same style (recognised by name), mixed lnks.gd/utm links
st = Style(heading="b", links="mixed")
sel = [H25[0], H25[5], H25[6], H25[9], H25[10], H25[17]]
rows = []
for i, h in enumerate(sel):
    inner = ""
    if i == 0:
        inner += f'<tr><td class="gd_combo_text_cell" style="font-size:20px"><b>Monthly Highlights</b></td></tr>'
    inner += f'<tr><td class="gd_combo_text_cell">{heading_html(h, st, LINKS.get(h, []))}</td></tr>'
    inner += f'<tr><td class="gd_combo_text_cell">{body_html(A25[h], LINKS.get(h, []), st)}</td></tr>'
    rows.append(f'<tr><td><table class="gd_combo_table" width="100%" role="presentation"><tbody>{inner}</tbody></table></td></tr>')
    rows.append(divider("tr"))
ed27 = [ED25[0], "Welcome to the twenty-seventh edition of the LGA\u2019s Cyber, Digital and Technology Bulletin."] + [l for l in ED25[2:] if l.startswith(("This month", "Owen", "Head of", "Local Gov"))]
editions.append(dict(id="3c83877", subject="Cyber, digital and technology in 2024", title_tag="Cyber, digital and technology in 2024",
                     dateline="12/12/2024 09:00 AM GMT", issue="December 2024 No. 27", style=st, class_body=True,
                     editorial=editorial_html(ed27, st, LINKS["ed25"]),
                     articles=rows, closing=closing(st), number=27, items=sel, date="2024-12-12T09:00:00Z"))

# D: Sept 2023 — no issue line (number from "thirteenth"), BST dateline, bold 18px span headings,
# div dividers, bare e-mail addresses (no mailto)
st = Style(heading="span", links="plain", mailto=False)
sel = [H19[1], H19[4], H19[6], H19[9], H19[10]]
arts = []
for i, h in enumerate(sel):
    if i:
        arts.append(divider("div"))
    arts.append(article(h, A19[h], st))
ed = replace_ordinal(ED19, "thirteenth")
editions.append(dict(id="371d957", subject="LGA Cyber, Digital and Technology Bulletin - September 2023", title_tag="LGA Cyber, Digital and Technology Bulletin - September 2023",
                     dateline="09/14/2023 02:30 PM BST", issue=None, style=st,
                     editorial=editorial_html(ed, st, LINKS["ed19"]),
                     articles=[cell("\n".join(arts))], closing=closing(st), number=13, items=sel, date="2023-09-14T13:30:00Z"))

# E: No.9 — no dateline (date from the issue line), h2 headings, "View as a webpage" preheader
st = Style(heading="h2", links="plain")
sel = [H25[1], H25[2], H25[3], H25[11], H25[12]]
ed = replace_ordinal(ED25, "ninth")
editions.append(dict(id="35c7dbc", subject="LGA Cyber, Digital and Technology Bulletin - 9", title_tag="LGA Cyber, Digital and Technology Bulletin - 9",
                     dateline=None, issue="May 2023 No.9", style=st,
                     preheader='<a href="{{BASE}}/accounts/UKLGA/bulletins/%s">View as a webpage</a>',
                     editorial=editorial_html(ed, st, []),
                     articles=[cell("\n".join(article(h, A25[h], st) for h in sel))], closing=closing(st), number=9, items=sel, date="2023-04-30T23:00:00Z"))

# F: No.10 — windows-1252 with curly quotes, declared only in <meta http-equiv>, h3 headings
st = Style(heading="h3", links="plain", enc="cp1252")
sel = [H25[0], H25[8], H25[10], H25[12], H19[9]]
ed = replace_ordinal(ED19, "tenth")
editions.append(dict(id="3615c15", subject="LGA Cyber, Digital and Technology Bulletin \u2013 10", title_tag="LGA Cyber, Digital and Technology Bulletin \u2013 10",
                     dateline="06/15/2023 10:00 AM BST", issue="June 2023 No.10", style=st,
                     editorial=editorial_html(ed, st, []),
                     articles=[cell("\n".join(article(h, A25.get(h) or A19[h], st) for h in sel))], closing=closing(st), number=10, items=sel, date="2023-06-15T09:00:00Z"))

# G: No.8 — h2 group headings over strong-paragraph articles, table inside an article, relative and
# lnks.gd links, div dividers, a share box inside the body, "Join us on Twitter" at the bottom
st = Style(heading="strong", links="lnks")
sel = [H19[2], H19[3], H19[7], H19[8], H19[10], H19[11]]
arts = []
for i, h in enumerate(sel):
    if i == 0:
        arts.append(heading_html("Monthly Highlights", st, [], level="h2"))
    elif i == 4:
        arts.append(divider("div"))
        arts.append(heading_html("Events", st, [], level="h2"))
    else:
        arts.append(divider("div"))
    arts.append(article(h, A19[h], st, table_days=True))
ed = replace_ordinal(ED19, "eighth")
editions.append(dict(id="356f089", subject="LGA Cyber, Digital and Technology Bulletin - 8", title_tag="LGA Cyber, Digital and Technology Bulletin - 8",
                     dateline="04/20/2023 03:15 PM BST", issue="April 2023 No.8", style=st, join_bottom=True,
                     share_inside='<div class="gd_share_box"><p class="gd_p">Share this bulletin: <a href="https://www.linkedin.com/shareArticle?url={{BASE}}/accounts/UKLGA/bulletins/356f089">LinkedIn</a></p></div>',
                     editorial=editorial_html(ed, st, LINKS["ed19"]),
                     articles=[cell("\n".join(arts))], closing=closing(st), number=8, items=sel, date="2023-04-20T14:15:00Z"))

# H: No.1 — no h1.bulletin_subject (title from <title>), hr dividers, "Did someone forward you this email?"
st = Style(heading="h2", links="plain")
sel = [H19[0], H19[5], H19[11]]
ed = replace_ordinal(ED19, "first")
arts = []
for i, h in enumerate(sel):
    if i:
        arts.append(divider("hr"))
    arts.append(article(h, A19[h], st))
editions.append(dict(id="32f28b4", subject=None, h1=False, title_tag="LGA Cyber, Digital and Technology Bulletin - 1",
                     dateline="10/27/2022 09:30 AM BST", issue="October 2022 No. 1", style=st,
                     footer_first='<p class="gd_p">Did someone forward you this email? <a href="https://public.govdelivery.com/accounts/UKLGA/subscriber/new">Subscribe here</a>.</p>',
                     editorial=editorial_html(ed, st, LINKS["ed19"]),
                     articles=[cell("\n".join(arts))], closing=closing(st), number=1, items=sel, date="2022-10-27T08:30:00Z"))

# Foreign: another LGA bulletin series on the same account
st = Style(heading="h3", links="plain")
wf_ed = ["Dear colleague", "Welcome to the November edition of the LGA Workforce Bulletin, with the latest on pay, pensions and the local government workforce.",
         "Jane Ashworth", "Head of Workforce", "Local Government Association"]
wf = [("Pay negotiations 2025/26", ["The National Employers have opened consultation with councils on the 2025/26 pay round. Regional briefings take place during November and responses are due by 13 December 2024."]),
      ("Apprenticeship levy changes", ["The Government has announced changes to the apprenticeship levy. Our briefing explains what they mean for councils as employers."]),
      ("Workforce survey 2024", ["The annual local government workforce survey is open until 29 November. Please ask your HR team to complete it."])]
arts = "\n".join(heading_html(t, st, []) + "\n" + body_html(b, [], st) for t, b in wf)
editions.append(dict(id="3c1b8a2", subject="LGA Workforce Bulletin - November 2024", title_tag="LGA Workforce Bulletin - November 2024",
                     dateline="11/20/2024 10:00 AM GMT", issue="November 2024", style=st, masthead="LGA Workforce Bulletin", banner="Workforce banner",
                     editorial=editorial_html(wf_ed, st, []),
                     articles=[cell(arts)], closing='<p class="gd_p">Workforce team: workforce@local.gov.uk</p>', number=0, items=[t for t, _ in wf],
                     date="2024-11-20T10:00:00Z", foreign=True))

os.makedirs(f"{OUT}/accounts/UKLGA/bulletins", exist_ok=True)
meta = []
for ed in editions:
    doc = page(ed)
    if ed["id"] == "32f28b4":  # malformed: unclosed paragraphs and cells, stray end tags
        doc = doc.replace("</p>\n<p class=\"gd_p\">Welcome", "\n<p class=\"gd_p\">Welcome").replace("</td></tr>\n<tr><td style=\"text-align:center\">", "\n<tr><td style=\"text-align:center\">", 1).replace("</tbody></table>\n</td></tr></tbody></table>", "</tbody></table></span></div>\n</td></tr></tbody></table>", 1)
    data = doc.encode(ed["style"].enc)
    with open(f"{OUT}/accounts/UKLGA/bulletins/{ed['id']}.html", "wb") as f:
        f.write(data)
    meta.append(ed)

# sanity: cp1252 file contains curly quote bytes
raw = open(f"{OUT}/accounts/UKLGA/bulletins/3615c15.html", "rb").read()
assert all(bytes([b]) in raw for b in (0x92, 0x93, 0x94)), "curly quotes missing"

from datetime import datetime, timezone
from email.utils import format_datetime


def rfc822(s):
    return format_datetime(datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc), usegmt=True)


def subj(ed):
    return ed["subject"] or ed["title_tag"]


by_date = sorted(meta, key=lambda e: e["date"], reverse=True)
rss_ids = ["3c83877", "3c1b8a2", "3bf5353", "392f025", "371d957"]
items = []
for ed in by_date:
    if ed["id"] not in rss_ids:
        continue
    items.append(f"""  <item>
    <title>{esc(subj(ed))}</title>
    <link>{{{{BASE}}}}/accounts/UKLGA/bulletins/{ed["id"]}</link>
    <description>{esc(subj(ed))}</description>
    <pubDate>{rfc822(ed["date"])}</pubDate>
    <guid isPermaLink="true">{{{{BASE}}}}/accounts/UKLGA/bulletins/{ed["id"]}</guid>
  </item>""")
rss = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Local Government Association</title>
  <link>{{{{BASE}}}}/accounts/UKLGA/bulletins</link>
  <atom:link href="{{{{BASE}}}}/accounts/UKLGA/bulletins.rss" rel="self" type="application/rss+xml"/>
  <description>Recent bulletins from the Local Government Association</description>
  <language>en-gb</language>
{chr(10).join(items)}
</channel>
</rss>
"""
open(f"{OUT}/accounts/UKLGA/bulletins.rss", "w").write(rss)

lis = []
for ed in by_date:
    d = datetime.strptime(ed["date"], "%Y-%m-%dT%H:%M:%SZ").strftime("%m/%d/%Y")
    lis.append(f'<li><a href="/accounts/UKLGA/bulletins/{ed["id"]}">{esc(subj(ed))}</a> <span class="date">{d}</span></li>')
lst = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Local Government Association - Bulletins</title>
<link rel="alternate" type="application/rss+xml" href="{{{{BASE}}}}/accounts/UKLGA/bulletins.rss"></head>
<body>
<div id="bulletin_header"><a href="{{{{BASE}}}}/accounts/UKLGA/bulletins">Local Government Association</a></div>
<h1>Bulletins</h1>
<div class="bulletins">
<ul class="bulletin_list">
{chr(10).join(lis)}
</ul>
</div>
<div id="mail_footer"><p>Powered by GovDelivery</p></div>
</body>
</html>
"""
open(f"{OUT}/accounts/UKLGA/bulletins.html", "w").write(lst)
open(f"{OUT}/robots.txt", "w").write("User-agent: *\nAllow: /\n")

# Go metadata
def gostr(s):
    return json.dumps(s, ensure_ascii=False)

go = []
for ed in by_date:
    go.append("\t\t{\n\t\t\tID: %s, Path: %s, Title: %s, Number: %d, Series: %s,\n\t\t\tPublished: date(%s), InFeed: %s,\n\t\t\tItems: []string{\n%s\t\t\t},\n\t\t}," % (
        gostr(ed["id"]), gostr("/accounts/UKLGA/bulletins/" + ed["id"]), gostr(subj(ed)), ed["number"],
        "false" if ed.get("foreign") else "true", gostr(ed["date"]), "true" if ed["id"] in rss_ids else "false",
        "".join("\t\t\t\t%s,\n" % gostr(t) for t in ed["items"])))
GO = """// Code generated by gen/gen.py from the seed texts; DO NOT EDIT.

package testsite

// Editions returns the metadata of the fixture editions, newest first: the
// expected subject, number and item titles of each edition page, for tests
// of the packages that discover, fetch and parse them.
func Editions() []Fixture {
\treturn []Fixture{
%s
\t}
}
"""
open(os.path.join(OUT, "..", "editions.go"), "w").write(GO % "\n".join(go))
print("ok", [e["id"] for e in by_date])
