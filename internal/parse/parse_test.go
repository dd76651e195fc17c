package parse_test

import (
	"errors"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/parse"
	"github.com/lga-digital/bulletin/internal/seedpage"
	"github.com/lga-digital/bulletin/internal/testenv/lgafixtures"
)

func parseFixture(t *testing.T, p page) parse.Result {
	t.Helper()
	res, err := parse.Parse(p.body, p.contentType, p.url, lgafixtures.ParseOptions(t))
	if err != nil {
		t.Fatalf("%s: %v", p.ID, err)
	}
	return res
}

// TestFixtures checks each fixture edition against its metadata in testsite.
func TestFixtures(t *testing.T) {
	for _, p := range fixturePages(t) {
		t.Run(p.ID, func(t *testing.T) {
			res := parseFixture(t, p)
			ed := res.Edition
			if ed.ID != "lga-cdt-"+p.ID || ed.Source != "lga-cdt" || ed.URL != p.url {
				t.Errorf("edition id/source/url = %q %q %q", ed.ID, ed.Source, ed.URL)
			}
			if ed.Title != p.Title {
				t.Errorf("Title = %q, want %q", ed.Title, p.Title)
			}
			if ed.Number != p.Number {
				t.Errorf("Number = %d, want %d", ed.Number, p.Number)
			}
			if !ed.Published.Equal(p.Published) || ed.Published.Location() != time.UTC {
				t.Errorf("Published = %v, want %v (UTC)", ed.Published, p.Published)
			}
			var titles []string
			for i, it := range res.Items {
				titles = append(titles, it.Title)
				if it.Position != i+1 {
					t.Errorf("item %d has Position %d", i+1, it.Position)
				}
				if it.EditionID != ed.ID || it.EditionURL != ed.URL || it.EditionNumber != ed.Number ||
					it.EditionTitle != ed.Title || !it.Published.Equal(ed.Published) || it.Source != "lga-cdt" {
					t.Errorf("item %d does not carry its edition's fields: %+v", i+1, it)
				}
			}
			if !reflect.DeepEqual(titles, p.Items) {
				t.Errorf("item titles:\n%s\nwant:\n%s", strings.Join(titles, "\n"), strings.Join(p.Items, "\n"))
			}
			if ed.ItemCount != len(res.Items) {
				t.Errorf("ItemCount = %d, want %d", ed.ItemCount, len(res.Items))
			}
			wantSeries := regexp.MustCompile(`(?i)cyber,? digital (and|&) technology`).MatchString(res.Masthead)
			if wantSeries != p.Series {
				t.Errorf("Masthead %q: matches the series pattern = %v, want %v", res.Masthead, wantSeries, p.Series)
			}
			if !strings.HasPrefix(ed.Editorial, "Dear colleague") {
				t.Errorf("Editorial starts %.40q", ed.Editorial)
			}
		})
	}
}

// boilerplate must never reach an item.
var boilerplate = []string{
	"Having trouble viewing", "View as a webpage", "View it as a webpage", "Cyber and digital banner",
	"LGA Cyber, Digital and Technology Bulletin", "Join us on Twitter", "Dear colleague", "Best wishes",
	"Owen Pritchard", "Head of Cyber, Digital and Technology", "SUBSCRIBER SERVICES", "Powered by",
	"Update your subscriptions", "This email was sent to", "Did someone forward", "Share Bulletin",
	"Share this bulletin", "sent this bulletin", "Cyber, Digital and Technology Team", "Cyber and Digital hub",
	"Head of Programme", "Manage Preferences", "govdelivery.com/track", "lnks.gd", "utm_", "Privacy Policy",
	"Monthly Highlights", "No.19", "No. 25", "No. 27", "Jane Ashworth",
}

func TestNoBoilerplateInItems(t *testing.T) {
	for _, p := range fixturePages(t) {
		res := parseFixture(t, p)
		for _, it := range res.Items {
			fields := []string{it.Title, it.Text, it.HTML}
			for _, l := range it.Links {
				fields = append(fields, l.URL, l.Text)
			}
			for _, f := range fields {
				for _, b := range boilerplate {
					if strings.Contains(f, b) {
						t.Errorf("%s item %d %q contains boilerplate %q", p.ID, it.Position, it.Title, b)
					}
				}
			}
			for _, l := range it.Links {
				if !strings.HasPrefix(l.URL, "https://") && !strings.HasPrefix(l.URL, "http://") {
					t.Errorf("%s item %d: link %q is not absolute http(s)", p.ID, it.Position, l.URL)
				}
			}
			if strings.Contains(it.HTML, "<img") || strings.Contains(it.HTML, "style=") || strings.Contains(it.HTML, "class=") {
				t.Errorf("%s item %d: HTML not sanitised: %.200s", p.ID, it.Position, it.HTML)
			}
		}
	}
}

// TestSeeds checks the two full fixtures against the seed texts they were
// built from: every article heading of the seed is an item title, in order,
// and every line of the seed's articles is in the text of the item it
// belongs to; every line of the editorial is in Edition.Editorial.
func TestSeeds(t *testing.T) {
	seeds := map[string]int{"392f025": 19, "3bf5353": 25}
	closing := regexp.MustCompile(`^(Cyber, Digital and Technology Team:|For more information visit our|Head of Programme:)`)
	pages := fixturePages(t)
	for id, n := range seeds {
		t.Run(id, func(t *testing.T) {
			var raw string
			for _, s := range seedpage.Seeds() {
				if s.Number == n {
					raw = s.Text
				}
			}
			var res parse.Result
			for _, p := range pages {
				if p.ID == id {
					res = parseFixture(t, p)
				}
			}
			if len(res.Items) == 0 {
				t.Fatal("no items")
			}
			lines := strings.Split(raw, "\n")
			// The editorial runs to the sign-off's last line.
			signed := -1
			for i, l := range lines {
				if strings.TrimSpace(l) == "Local Government Association" && i > 0 && strings.HasPrefix(lines[i-1], "Head of") {
					signed = i
					break
				}
			}
			if signed < 0 {
				t.Fatal("seed has no sign-off")
			}
			for _, l := range lines[:signed-2] {
				l = strings.TrimSpace(l)
				if l == "" || l == "|" || l == "Best wishes," {
					continue
				}
				if !strings.Contains(res.Edition.Editorial, l) {
					t.Errorf("editorial line missing: %.80q", l)
				}
			}
			next, cur := 0, -1
			for _, l := range lines[signed+1:] {
				l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- "))
				if l == "" || l == "|" || l == "-" || closing.MatchString(l) {
					continue
				}
				if next < len(res.Items) && l == res.Items[next].Title {
					cur, next = next, next+1
					continue
				}
				if cur < 0 {
					t.Fatalf("seed line before the first item: %.80q", l)
				}
				if !strings.Contains(res.Items[cur].Text, l) {
					t.Errorf("line %.60q not in the text of item %d %q", l, cur+1, res.Items[cur].Title)
				}
			}
			if next != len(res.Items) {
				t.Errorf("matched %d of %d item titles in the seed, in order", next, len(res.Items))
			}
			// And nothing in the items that the seed does not say.
			for _, it := range res.Items {
				for _, l := range strings.Split(it.Text, "\n") {
					if l != "" && !strings.Contains(raw, l) {
						t.Errorf("item %d has text not in the seed: %.80q", it.Position, l)
					}
				}
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, p := range fixturePages(t) {
		a := parseFixture(t, p)
		body := append([]byte(nil), p.body...)
		b := parseFixture(t, page{Fixture: p.Fixture, body: body, contentType: p.contentType, url: p.url})
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: two parses of the same bytes differ", p.ID)
		}
	}
}

func TestCharset(t *testing.T) {
	// The windows-1252 fixture declares its charset only in <meta http-equiv>.
	var p page
	for _, q := range fixturePages(t) {
		if q.ID == "3615c15" {
			p = q
		}
	}
	if strings.Contains(p.contentType, "charset") || utf8.Valid(p.body) {
		t.Fatalf("fixture 3615c15 should be windows-1252 bytes served without a charset (Content-Type %q)", p.contentType)
	}
	res := parseFixture(t, p)
	want := map[string]string{
		"Schools\u2019 workforce policy and employment law conference resources":                             "for the Schools\u2019 workforce",
		"LGA Vacancy \u2013 Senior Adviser, Digital Transformation \u2013 Partners in Care and Health (PCH)": "\u2018hit the ground running\u2019",
		"The Local Government Centre for Digital Technology":                                                 "\u201ca Local Government Centre for Digital Technology",
		"Driving adoption of Open Referral UK to deliver millions in annual savings for councils":            "\u00a3600k",
	}
	found := 0
	for _, it := range res.Items {
		if frag, ok := want[it.Title]; ok {
			found++
			if !strings.Contains(it.Text, frag) || !strings.Contains(it.HTML, frag) {
				t.Errorf("item %q lacks %q", it.Title, frag)
			}
		}
	}
	if found != len(want) {
		t.Errorf("found %d of %d items with curly quotes", found, len(want))
	}
	if res.Edition.Title != "LGA Cyber, Digital and Technology Bulletin \u2013 10" {
		t.Errorf("Title = %q", res.Edition.Title)
	}

	// The Content-Type header wins over sniffing, and a BOM over both.
	const body = "<html><head><meta charset=\"utf-8\"></head><body><div id=\"bulletin_body\"><h2>Caf\xe9 \x93news\x94</h2><p>Text</p></div></body></html>"
	tests := []struct {
		name, ctype, body, want string
	}{
		{"header charset", "text/html; charset=windows-1252", body, "Café “news”"},
		{"sniffed latin", "text/html", strings.Replace(body, `<meta charset="utf-8">`, "", 1), "Café “news”"},
		{"utf-8 meta honoured", "text/html", "<meta charset=utf-8><div id=bulletin_body><h2>Caf\u00e9 \u201cnews\u201d</h2><p>Text</p></div>", "Café “news”"},
		{"meta after the first 1024 bytes", "text/html", "<html><head>" + strings.Repeat(" ", 2000) + "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"></head><body><div id=bulletin_body><h2>Caf\xe9 \x93news\x94</h2><p>Text \xe9</p></div></body></html>", "Café “news”"},
		{"bom", "", "\xef\xbb\xbf<div id=bulletin_body><h2>Caf\u00e9</h2><p>Text</p></div>", "Café"},
		{"utf-16 bom over a meta", "text/html", utf16LE("\ufeff<meta charset=windows-1252><div id=bulletin_body><h2>Caf\u00e9 \u201cnews\u201d</h2><p>Text</p></div>"), "Café “news”"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parse.Parse([]byte(tt.body), tt.ctype, "https://example.org/b/1", parse.Options{Source: "s"})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Items) != 1 || res.Items[0].Title != tt.want {
				t.Fatalf("items %+v, want one titled %q", res.Items, tt.want)
			}
		})
	}
}

// utf16LE encodes s as UTF-16, little-endian.
func utf16LE(s string) string {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, body string
		opt        parse.Options
	}{
		{"empty", "", parse.Options{}},
		{"no text", "<html><body><img src=x></body></html>", parse.Options{}},
		{"unknown profile", "<p>x</p>", parse.Options{Profile: "rss"}},
		{"bad selector", "<p>x</p>", parse.Options{Profile: "generic", Selectors: parse.Selectors{Item: "div[["}}},
		{"bad sign-off pattern", "<p>x</p>", parse.Options{SignOff: []string{"(unclosed"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parse.Parse([]byte(tt.body), "text/html", "https://example.org/x", tt.opt); err == nil {
				t.Fatal("no error")
			}
		})
	}
	_, err := parse.Parse(nil, "", "https://example.org/x", parse.Options{})
	if !errors.Is(err, parse.ErrNoBody) {
		t.Errorf("error %v is not ErrNoBody", err)
	}
}

// TestParserConcurrent parses the fixture pages with one Parser from
// several goroutines (run it with -race); each result is Parse's.
func TestParserConcurrent(t *testing.T) {
	opt := lgafixtures.ParseOptions(t)
	ps, err := parse.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	pages := fixturePages(t)
	want := make([]parse.Result, len(pages))
	for i, p := range pages {
		want[i] = parseFixture(t, p)
	}
	const workers = 4
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			for i, p := range pages {
				got, err := ps.Parse(p.body, p.contentType, p.url, parse.Carrier{})
				if err != nil {
					t.Errorf("%s: %v", p.ID, err)
					continue
				}
				if !reflect.DeepEqual(got, want[i]) {
					t.Errorf("%s: the Parser's result differs from Parse's", p.ID)
				}
			}
		})
	}
	wg.Wait()
	if _, err := parse.New(parse.Options{Profile: "rss"}); err == nil {
		t.Error("New accepted an unknown profile")
	}
}

// TestMarkupVariants parses small pages that exercise one layout rule each.
func TestMarkupVariants(t *testing.T) {
	wrap := func(body string) string {
		return `<html><head><title>T</title></head><body><div id="bulletin_body"><table class="gd_tbl_wrap"><tr><td>` +
			`<p>LGA Cyber, Digital and Technology Bulletin</p><p>May 2023 No.9</p>` + body + `</td></tr></table></div></body></html>`
	}
	tests := []struct {
		name     string
		body     string
		titles   []string
		sections []string
		texts    []string
	}{
		{
			name:   "bold paragraph headings",
			body:   `<p><strong>First</strong></p><p>One.</p><p><b>Second</b></p><p>Two.</p>`,
			titles: []string{"First", "Second"}, sections: []string{"", ""}, texts: []string{"One.", "Two."},
		},
		{
			name:   "bold line then br",
			body:   `<p><strong>First</strong><br>One.<br>More.</p>`,
			titles: []string{"First"}, sections: []string{""}, texts: []string{"One.\nMore."},
		},
		{
			name:   "bold run ending in a colon is not a heading",
			body:   `<h3>First</h3><p><strong>Note:</strong></p><p>One.</p>`,
			titles: []string{"First"}, sections: []string{""}, texts: []string{"Note:\n\nOne."},
		},
		{
			name:   "large span heading",
			body:   `<p><span style="font-size:20px">Big</span></p><p>One.</p>`,
			titles: []string{"Big"}, sections: []string{""}, texts: []string{"One."},
		},
		{
			name:   "text after a divider stays in the article before it",
			body:   `<h3>First</h3><p>One.</p><hr><p>After the rule.</p><h3>Second</h3><p>Two.</p>`,
			titles: []string{"First", "Second"}, sections: []string{"", ""}, texts: []string{"One.\n\nAfter the rule.", "Two."},
		},
		{
			name:   "group heading by rank",
			body:   `<h2>News</h2><h3>First</h3><p>One.</p><h3>Second</h3><p>Two.</p>`,
			titles: []string{"First", "Second"}, sections: []string{"News", "News"}, texts: []string{"One.", "Two."},
		},
		{
			name:   "group heading by name at the same rank",
			body:   `<h3>Events</h3><h3>First</h3><p>One.</p>`,
			titles: []string{"First"}, sections: []string{"Events"}, texts: []string{"One."},
		},
		{
			name:   "heading directly above a heading of the same rank is an item",
			body:   `<h3>Invest 2035</h3><h3>Second</h3><p>Two.</p>`,
			titles: []string{"Invest 2035", "Second"}, sections: []string{"", ""}, texts: []string{"", "Two."},
		},
		{
			name:   "long bold paragraph is text",
			body:   `<h3>First</h3><p><strong>` + strings.Repeat("word ", 60) + `</strong></p>`,
			titles: []string{"First"}, sections: []string{""}, texts: []string{strings.TrimSpace(strings.Repeat("word ", 60))},
		},
		{
			name:   "nested list items on their own lines",
			body:   `<h3>First</h3><ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>`,
			titles: []string{"First"}, sections: []string{""}, texts: []string{"a\nb\nc"},
		},
		{
			name:   "a bold label line is no heading, and the heading above it no group",
			body:   `<h2>Staff Spotlight</h2><p><strong>Name: Ada Byron</strong></p><p><strong>Title:</strong> Analyst</p><h2>Next</h2><p>Two.</p>`,
			titles: []string{"Staff Spotlight", "Next"}, sections: []string{"", ""}, texts: []string{"Name: Ada Byron\n\nTitle: Analyst", "Two."},
		},
		{
			name:   "a group ends at the next heading of its own level",
			body:   `<h2>News</h2><h3>First</h3><p>One.</p><hr><h3>Second</h3><p>Two.</p><h2>Third</h2><p>Three.</p>`,
			titles: []string{"First", "Second", "Third"}, sections: []string{"News", "News", ""}, texts: []string{"One.", "Two.", "Three."},
		},
		{
			name:   "a group known by name ends at a divider",
			body:   `<h3>Events</h3><h3>First</h3><p>One.</p><hr><h3>Second</h3><p>Two.</p>`,
			titles: []string{"First", "Second"}, sections: []string{"Events", ""}, texts: []string{"One.", "Two."},
		},
		{
			name:   "a bold closing sentence and the sign-off stay in the article",
			body:   `<h3>First</h3><p>One.</p><p><strong>Remember to apply by Friday.</strong></p><p>The Grants Team</p>`,
			titles: []string{"First"}, sections: []string{""}, texts: []string{"One.\n\nRemember to apply by Friday.\n\nThe Grants Team"},
		},
		{
			name:   "list items that open with a bold title and a colon",
			body:   `<ul><li><strong>FIRST NEWS:</strong> one.</li><li><b>SECOND NEWS</b>: two.</li><li><strong>THIRD NEWS: </strong><br>three.</li></ul>`,
			titles: []string{"FIRST NEWS", "SECOND NEWS", "THIRD NEWS"}, sections: []string{"", "", ""}, texts: []string{"one.", "two.", "three."},
		},
		{
			name:   "one such paragraph is text, not a title",
			body:   `<h3>First</h3><p><strong>Venue hire:</strong> ask the office.</p>`,
			titles: []string{"First"}, sections: []string{""}, texts: []string{"Venue hire: ask the office."},
		},
		{
			name:   "end markers and date lines are no text",
			body:   `<p>September 18, 2023</p><h3>First</h3><p>One.</p><p>###</p><h3>Second</h3><p>Two.</p><p>- END -</p>`,
			titles: []string{"First", "Second"}, sections: []string{"", ""}, texts: []string{"One.", "Two."},
		},
		{
			name:   "hidden and tracking content ignored",
			body:   `<h3>First</h3><p style="display:none">secret</p><p>One.<img src="https://x/track?id=1" width="1" height="1"></p>`,
			titles: []string{"First"}, sections: []string{""}, texts: []string{"One."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parse.Parse([]byte(wrap(tt.body)), "text/html; charset=utf-8", "https://example.org/b/1", parse.Options{Source: "s"})
			if err != nil {
				t.Fatal(err)
			}
			var titles, sections, texts []string
			for _, it := range res.Items {
				titles = append(titles, it.Title)
				sections = append(sections, it.Section)
				texts = append(texts, it.Text)
			}
			if !reflect.DeepEqual(titles, tt.titles) || !reflect.DeepEqual(sections, tt.sections) || !reflect.DeepEqual(texts, tt.texts) {
				t.Errorf("got titles %q sections %q texts %q\nwant titles %q sections %q texts %q", titles, sections, texts, tt.titles, tt.sections, tt.texts)
			}
			if res.Edition.Number != 9 || res.Masthead != "LGA Cyber, Digital and Technology Bulletin" {
				t.Errorf("number %d masthead %q", res.Edition.Number, res.Masthead)
			}
		})
	}
}

func TestItemIDsAndAnchors(t *testing.T) {
	body := `<div id="bulletin_body"><h3>Same title</h3><p>a</p><h3>Same  title!</h3><p>b</p><h3>Café ☕ news</h3><p>c</p><h3>☕</h3><p>d</p></div>`
	res, err := parse.Parse([]byte(body), "text/html; charset=utf-8", "https://content.govdelivery.com/accounts/UKLGA/bulletins/3bf5353", parse.Options{Source: "lga"})
	if err != nil {
		t.Fatal(err)
	}
	base := model.ItemID("lga-3bf5353", "Same title")
	want := []struct{ id, anchor string }{
		{base, "same-title"},
		{base + "-2", "same-title-2"},
		{model.ItemID("lga-3bf5353", "Café ☕ news"), "cafe-news"},
		{model.ItemID("lga-3bf5353", "☕"), "item-4"},
	}
	if len(res.Items) != len(want) {
		t.Fatalf("%d items", len(res.Items))
	}
	for i, w := range want {
		if res.Items[i].ID != w.id || res.Items[i].Anchor != w.anchor {
			t.Errorf("item %d: id %q anchor %q, want %q %q", i+1, res.Items[i].ID, res.Items[i].Anchor, w.id, w.anchor)
		}
	}
}

func TestContactsAndLinks(t *testing.T) {
	body := `<div id="bulletin_body"><h3>Contacts</h3>
<p>Write to <a href="mailto:Team@Example.GOV.uk?subject=Hi">the team</a> or Team@example.gov.uk, or jo.bloggs@council.gov.uk.</p>
<p><a href="/docs/report.PDF">Report</a>, <a href="https://example.org/a?utm_source=x&amp;id=2#top">A</a>, <a href="https://example.org/a?id=2#top">again</a>,
<a href="javascript:alert(1)">bad</a>, <a href="#frag">frag</a>, <a href="ftp://example.org/x">ftp</a></p></div>`
	res, err := parse.Parse([]byte(body), "text/html; charset=utf-8", "https://example.org/news/1", parse.Options{Source: "s"})
	if err != nil {
		t.Fatal(err)
	}
	it := res.Items[0]
	if want := []string{"team@example.gov.uk", "jo.bloggs@council.gov.uk"}; !reflect.DeepEqual(it.Contacts, want) {
		t.Errorf("Contacts = %q, want %q", it.Contacts, want)
	}
	want := []model.Link{
		{URL: "https://example.org/docs/report.PDF", Text: "Report", Type: "application/pdf"},
		{URL: "https://example.org/a?id=2#top", Text: "A"},
	}
	if !reflect.DeepEqual(it.Links, want) {
		t.Errorf("Links = %+v, want %+v", it.Links, want)
	}
	if strings.Contains(it.HTML, "javascript") || strings.Contains(it.HTML, "ftp:") {
		t.Errorf("HTML keeps unsafe links: %s", it.HTML)
	}
}

func TestInvalidCharactersRemoved(t *testing.T) {
	body := "<div id=\"bulletin_body\"><h3>Bad\x01 title\x0b</h3><p>Text \x00with\x1f controls \xef\xbf\xbe and \xff bytes.</p></div>"
	res, err := parse.Parse([]byte(body), "text/html; charset=utf-8", "https://example.org/x", parse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	it := res.Items[0]
	for _, s := range []string{it.Title, it.Text, it.HTML} {
		if !utf8.ValidString(s) || !xmlValid(s) {
			t.Errorf("invalid characters remain in %q", s)
		}
	}
}

func xmlValid(s string) bool {
	for _, r := range s {
		if !(r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)) {
			return false
		}
	}
	return true
}

func TestGenericProfile(t *testing.T) {
	page := `<html><head><title>Digital news – issue 4</title></head><body>
<header><p class="issue">Issue 4</p><time datetime="2024-05-02T09:00:00+01:00">2 May 2024</time></header>
<main>
<article class="story"><h2 class="headline">First story</h2><p>Register <a href="https://lnks.gd/l/eyJhbGciOiJIUzI1NiJ9.eyJ1cmwiOiJodHRwczovL2V4YW1wbGUub3JnL3JlZz91dG1fbWVkaXVtPWVtYWlsIn0.sig/s/1/br/2-l">here</a> by 20 May 2024.</p></article>
<article class="story"><h2 class="headline">Second story</h2><p>Webinar, Tuesday 14 May, 2-3pm, with the NCSC.</p><p>More.</p></article>
<article class="story"><p>No headline: skipped.</p></article>
</main></body></html>`
	opt := parse.Options{Source: "news", Profile: "generic", Selectors: parse.Selectors{
		Body: "main", Item: "article.story", Title: ".headline", Date: "time", Number: ".issue",
	}}
	res, err := parse.Parse([]byte(page), "text/html; charset=utf-8", "https://example.org/issues/4", opt)
	if err != nil {
		t.Fatal(err)
	}
	ed := res.Edition
	if ed.Title != "Digital news – issue 4" || ed.Number != 4 || !ed.Published.Equal(time.Date(2024, 5, 2, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("edition %+v", ed)
	}
	if len(res.Items) != 2 {
		t.Fatalf("%d items, want 2", len(res.Items))
	}
	first, second := res.Items[0], res.Items[1]
	if first.Title != "First story" || first.Text != "Register here by 20 May 2024." {
		t.Errorf("first item %q %q", first.Title, first.Text)
	}
	if len(first.Links) != 1 || first.Links[0].URL != "https://example.org/reg" {
		t.Errorf("first links %+v", first.Links)
	}
	if len(first.Deadlines) != 1 || first.Deadlines[0].Date != "2024-05-20" {
		t.Errorf("first deadlines %+v", first.Deadlines)
	}
	if second.Title != "Second story" || second.Text != "Webinar, Tuesday 14 May, 2-3pm, with the NCSC.\n\nMore." {
		t.Errorf("second item %q %q", second.Title, second.Text)
	}
	wantEv := model.Event{Title: "Second story", Start: time.Date(2024, 5, 14, 13, 0, 0, 0, time.UTC), End: time.Date(2024, 5, 14, 14, 0, 0, 0, time.UTC), Online: true}
	if len(second.Events) != 1 || !reflect.DeepEqual(second.Events[0], wantEv) {
		t.Errorf("second events %+v, want %+v", second.Events, wantEv)
	}
	if !reflect.DeepEqual(second.Orgs, []string{"NCSC"}) {
		t.Errorf("orgs %q", second.Orgs)
	}

	// Without an item selector the generic profile finds articles by headings.
	opt.Selectors = parse.Selectors{Body: "main"}
	res, err = parse.Parse([]byte(page), "text/html; charset=utf-8", "https://example.org/issues/4", opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 2 || res.Items[1].Title != "Second story" {
		t.Errorf("heading-based generic items: %+v", res.Items)
	}
}

// TestCarrier: a body without page chrome takes its title and date from the
// carrier (feed item or e-mail); a page's own subject and dateline win.
func TestCarrier(t *testing.T) {
	sent := time.Date(2023, 9, 18, 21, 5, 0, 0, time.UTC)
	carrier := parse.Carrier{Subject: "Final Meeting Highlights", Published: sent}
	tests := []struct {
		name, page, wantTitle string
		wantDate              time.Time
	}{
		{"bare body", `<table><tr><td><h2>Road works</h2><p>The bridge reopens on Monday.</p></td></tr></table>`,
			"Final Meeting Highlights", sent},
		{"page wins", `<html><head><title>x</title></head><body><h1 class="bulletin_subject">Own subject</h1>
<span class="dateline">09/01/2023 10:00 AM BST</span><div id="bulletin_body"><h2>Road works</h2><p>The bridge reopens.</p></div></body></html>`,
			"Own subject", time.Date(2023, 9, 1, 9, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parse.Parse([]byte(tt.page), "text/html", "https://example.org/bulletins/1", parse.Options{Source: "s", Carrier: carrier})
			if err != nil {
				t.Fatal(err)
			}
			if res.Edition.Title != tt.wantTitle || !res.Edition.Published.Equal(tt.wantDate) {
				t.Errorf("title, date = %q, %v; want %q, %v", res.Edition.Title, res.Edition.Published, tt.wantTitle, tt.wantDate)
			}
			for _, it := range res.Items {
				if it.EditionTitle != tt.wantTitle {
					t.Errorf("item %q EditionTitle = %q", it.Title, it.EditionTitle)
				}
			}
		})
	}
}
