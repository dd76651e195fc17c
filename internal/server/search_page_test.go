package server

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// page fetches an HTML page of the fixture server and parses it.
func (f *searchFixture) page(tb testing.TB, target string, wantStatus int) *goquery.Document {
	tb.Helper()
	resp := f.get(tb, target)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus {
		tb.Fatalf("GET %s: status %d, want %d\n%s", target, resp.StatusCode, wantStatus, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		tb.Fatalf("GET %s: Content-Type %q", target, ct)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

// local turns an absolute link of the fixture server into a request target.
func local(tb testing.TB, href string) string {
	tb.Helper()
	u, err := url.Parse(href)
	if err != nil || u.Host != "bulletin.test" {
		tb.Fatalf("link %q is not an absolute link to the server", href)
	}
	return u.RequestURI()
}

func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

func TestSearchPageResults(t *testing.T) {
	f := newSearchFixture(t, "")
	doc := f.page(t, "/search?q=%22digital+inclusion%22", http.StatusOK)

	if got := doc.Find("input#q").AttrOr("value", ""); got != `"digital inclusion"` {
		t.Errorf("search box holds %q", got)
	}
	if got := text(doc.Find("[role=status]")); !strings.HasPrefix(got, "Results 1–") || !strings.Contains(got, `for "digital inclusion"`) {
		t.Errorf("summary %q", got)
	}
	hits := doc.Find("ol.hits > li")
	if hits.Length() == 0 {
		t.Fatal("no hits")
	}
	hits.Each(func(i int, li *goquery.Selection) {
		title := li.Find("h3 a")
		if href := title.AttrOr("href", ""); !strings.HasPrefix(href, "http://bulletin.test/items/") || text(title) == "" {
			t.Errorf("hit %d: title link %q, want the item's page", i, href)
		}
		meta := li.Find(".meta")
		if !regexp.MustCompile(`^No\. \d+, \d{1,2} [A-Z][a-z]+ \d{4}`).MatchString(text(meta)) {
			t.Errorf("hit %d: meta %q, want the edition number and date", i, text(meta))
		}
		if ed := meta.Find("a").AttrOr("href", ""); !strings.HasPrefix(ed, "http://bulletin.test/editions/lga-cdt-") {
			t.Errorf("hit %d: edition link %q", i, ed)
		}
		if meta.Find("time[datetime]").Length() != 1 {
			t.Errorf("hit %d: no <time>", i)
		}
		if li.Find(".snippet mark").Length() == 0 {
			t.Errorf("hit %d: snippet has no <mark>: %s", i, text(li.Find(".snippet")))
		}
	})
	// The matching editions show beside the items.
	eds := doc.Find("section.matching-editions li")
	if eds.Length() == 0 {
		t.Error("no matching editions shown")
	}
	eds.Each(func(i int, li *goquery.Selection) {
		if !regexp.MustCompile(`^No\. \d+: `).MatchString(text(li.Find("a").First())) || li.Find("time").Length() != 1 {
			t.Errorf("edition %d: %q", i, text(li))
		}
	})
	// Links to the same search as feeds, JSON and an embeddable page.
	for _, want := range []string{
		"http://bulletin.test/search.rss?q=%22digital+inclusion%22",
		"http://bulletin.test/search.atom?q=%22digital+inclusion%22",
		"http://bulletin.test/search.json?q=%22digital+inclusion%22",
	} {
		if doc.Find(`head link[rel=alternate][href="`+want+`"]`).Length() != 1 {
			t.Errorf("no autodiscovery link %s", want)
		}
		if doc.Find(`section.follow a[href="`+want+`"]`).Length() != 1 {
			t.Errorf("no visible link %s", want)
		}
	}
	if doc.Find(`section.follow a[href="http://bulletin.test/api/search?q=%22digital+inclusion%22"]`).Length() != 1 {
		t.Error("no JSON link")
	}
	code := doc.Find("textarea#embed-code").Text()
	if !strings.HasPrefix(code, `<iframe src="http://bulletin.test/embed?q=%22digital+inclusion%22&amp;size=5"`) {
		t.Errorf("embed code %q", code)
	}
	script := doc.Find("textarea#script-code").Text()
	if want := `<div data-bulletin-q="&#34;digital inclusion&#34;" data-bulletin-limit="5"></div>` + "\n" +
		`<script src="http://bulletin.test/embed.js" defer></script>`; script != want {
		t.Errorf("script code\n%s\nwant\n%s", script, want)
	}
}

func TestSearchPageFacets(t *testing.T) {
	f := newSearchFixture(t, "")
	doc := f.page(t, "/search?q=cyber", http.StatusOK)
	groups := map[string]bool{}
	doc.Find("aside.facets section.facet h3").Each(func(_ int, h *goquery.Selection) { groups[text(h)] = true })
	for _, g := range []string{"Section", "Year", "Edition", "Organisation"} {
		if !groups[g] {
			t.Errorf("no %s facet in %v", g, groups)
		}
	}
	if groups["Source"] {
		t.Error("a source facet with one source configured")
	}
	total := text(doc.Find("[role=status]"))

	// Follow the edition facet "No. 19": the query narrows and the filter
	// shows as removable.
	link := doc.Find(`#facet-edition ~ ul a`).FilterFunction(func(_ int, a *goquery.Selection) bool { return text(a) == "No. 19" })
	if link.Length() != 1 {
		t.Fatal("no facet link No. 19")
	}
	target := local(t, link.AttrOr("href", ""))
	if want := "/search?q=cyber+edition%3A19"; target != want {
		t.Errorf("facet link %s, want %s", target, want)
	}
	doc = f.page(t, target, http.StatusOK)
	if got := doc.Find("input#q").AttrOr("value", ""); got != "cyber edition:19" {
		t.Errorf("narrowed query %q", got)
	}
	if got := text(doc.Find("[role=status]")); got == total || !strings.HasPrefix(got, "Results 1–4 of 4") {
		t.Errorf("narrowed summary %q (before: %q)", got, total)
	}
	filter := doc.Find(".active-filters li")
	if filter.Length() != 1 || !strings.HasPrefix(text(filter), "Edition: 19") {
		t.Fatalf("active filters %q", text(filter))
	}
	// The applied facet value links to the search without it, as does the
	// filter's Remove link.
	active := doc.Find("#facet-edition ~ ul a.active")
	if active.Length() != 1 || local(t, active.AttrOr("href", "")) != "/search?q=cyber" {
		t.Errorf("applied facet value %q → %q", text(active), active.AttrOr("href", ""))
	}
	remove := local(t, filter.Find("a").AttrOr("href", ""))
	if remove != "/search?q=cyber" {
		t.Errorf("remove link %s", remove)
	}
	if got := text(f.page(t, remove, http.StatusOK).Find("[role=status]")); got != total {
		t.Errorf("after removing the filter: %q, want %q", got, total)
	}

	// A section with spaces is quoted; under a top-level OR the query is
	// grouped first.
	doc = f.page(t, "/search?q=budget+OR+cyber", http.StatusOK)
	link = doc.Find(`#facet-section ~ ul a`).FilterFunction(func(_ int, a *goquery.Selection) bool { return text(a) == "Monthly Highlights" })
	if got, want := local(t, link.AttrOr("href", "")), "/search?q=%28budget+OR+cyber%29+section%3A%22Monthly+Highlights%22"; got != want {
		t.Errorf("section facet link %s, want %s", got, want)
	}
}

func TestSearchPagePaging(t *testing.T) {
	f := newSearchFixture(t, "")
	doc := f.page(t, "/search?sort=date", http.StatusOK)
	if got := text(doc.Find("[role=status]")); !strings.HasPrefix(got, "Results 1–20 of 60.") {
		t.Errorf("summary %q", got)
	}
	if doc.Find("nav.pager a[rel=prev]").Length() != 0 {
		t.Error("a previous link on page 1")
	}
	if got := text(doc.Find("nav.pager p")); got != "Page 1 of 3" {
		t.Errorf("pager says %q", got)
	}
	if got := doc.Find(`nav.pager a[aria-current=page]`).Text(); got != "1" {
		t.Errorf("current page %q", got)
	}
	next := local(t, doc.Find("nav.pager a[rel=next]").AttrOr("href", ""))
	if next != "/search?page=2&sort=date" {
		t.Errorf("next link %s", next)
	}
	doc = f.page(t, next, http.StatusOK)
	if got := text(doc.Find("[role=status]")); !strings.HasPrefix(got, "Results 21–40 of 60.") {
		t.Errorf("page 2 summary %q", got)
	}
	if got := doc.Find("ol.hits").AttrOr("start", ""); got != "21" {
		t.Errorf("list starts at %q", got)
	}
	if prev := local(t, doc.Find("nav.pager a[rel=prev]").AttrOr("href", "")); prev != "/search?sort=date" {
		t.Errorf("previous link %s", prev)
	}
	if got := doc.Find("select#sort option[selected]").AttrOr("value", ""); got != "date" {
		t.Errorf("sort shows %q", got)
	}
	doc = f.page(t, "/search?sort=date&page=3", http.StatusOK)
	if doc.Find("nav.pager a[rel=next]").Length() != 0 {
		t.Error("a next link on the last page")
	}
}

func TestPagerOf(t *testing.T) {
	tests := []struct {
		cur, pages int
		want       string // page numbers, 0 for a gap
	}{
		{1, 0, ""},
		{1, 1, ""},
		{1, 2, "1 2"},
		{1, 10, "1 2 3 0 10"},
		{5, 10, "1 0 3 4 5 6 7 0 10"},
		{10, 10, "1 0 8 9 10"},
		{4, 4, "1 2 3 4"},
		{12, 3, "1 2 3"}, // past the last: every page, previous leads to the last
	}
	for _, tt := range tests {
		p := pagerOf(tt.cur, tt.pages, func(n int) string { return "?page=" + strconv.Itoa(n) })
		var ns []string
		for _, l := range p.Links {
			ns = append(ns, strconv.Itoa(l.N))
			if l.N != 0 && l.Href != "?page="+strconv.Itoa(l.N) {
				t.Errorf("pagerOf(%d, %d): page %d links %q", tt.cur, tt.pages, l.N, l.Href)
			}
		}
		if got := strings.Join(ns, " "); got != tt.want {
			t.Errorf("pagerOf(%d, %d) = %q, want %q", tt.cur, tt.pages, got, tt.want)
		}
		if (p.Next != "") != (tt.cur < tt.pages) || (p.Prev != "") != (tt.cur > 1 && tt.pages > 0) {
			t.Errorf("pagerOf(%d, %d): prev %q next %q", tt.cur, tt.pages, p.Prev, p.Next)
		}
	}
}

func TestSearchPageSyntaxError(t *testing.T) {
	f := newSearchFixture(t, "")
	tests := []struct {
		q, msg, caret string
		column        string
	}{
		{"cyber AND", `expected a term after "AND"`, "         ^", "10"},
		{"café (cyber", `expected ")"`, "           ^", "12"}, // the caret counts characters, not bytes
		{"digital foo:bar", "unknown field", "        ^", "9"},
	}
	for _, tt := range tests {
		doc := f.page(t, "/search?q="+url.QueryEscape(tt.q), http.StatusBadRequest)
		alert := doc.Find("[role=alert]")
		if !strings.Contains(alert.Text(), tt.msg) {
			t.Errorf("%q: alert %q, want %q", tt.q, text(alert), tt.msg)
		}
		if !strings.Contains(text(alert), "at character "+tt.column) {
			t.Errorf("%q: alert %q, want character %s", tt.q, text(alert), tt.column)
		}
		if got, want := alert.Find("pre").Text(), tt.q+"\n"+tt.caret; got != want {
			t.Errorf("%q: caret block\n%s\nwant\n%s", tt.q, got, want)
		}
		in := doc.Find("input#q")
		if in.AttrOr("aria-invalid", "") != "true" || !strings.Contains(in.AttrOr("aria-describedby", ""), "q-error") {
			t.Errorf("%q: the search box is not marked invalid", tt.q)
		}
		if in.AttrOr("value", "") != tt.q {
			t.Errorf("%q: the search box lost the query", tt.q)
		}
	}
	// A bad parameter is a 400 too, without a caret.
	doc := f.page(t, "/search?q=cyber&size=1000", http.StatusBadRequest)
	if alert := doc.Find("[role=alert]"); !strings.Contains(alert.Text(), "size must be at most 100") || alert.Find("pre").Length() != 0 {
		t.Errorf("bad size: %q", text(alert))
	}
}

func TestSearchPageEscapes(t *testing.T) {
	f := newSearchFixture(t, "")
	for _, target := range []string{
		"/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
		"/search?q=%3Cscript%3E+(",
		"/embed?q=%3Cscript%3Ealert(1)%3C/script%3E",
	} {
		resp := f.get(t, target)
		body, _ := io.ReadAll(resp.Body)
		if strings.Contains(string(body), "<script") {
			t.Errorf("%s: the query reaches the page unescaped", target)
		}
	}
}

func TestEmbedPage(t *testing.T) {
	f := newSearchFixture(t, "")
	doc := f.page(t, "/embed?q=budget&size=1", http.StatusOK)
	if doc.Find("form, header, nav, aside").Length() != 0 {
		t.Error("the embedded page has the site's chrome")
	}
	if n := doc.Find("ol.hits > li").Length(); n != 1 {
		t.Errorf("%d hits, want 1", n)
	}
	doc.Find("a").Each(func(_ int, a *goquery.Selection) {
		if a.AttrOr("target", "") != "_top" {
			t.Errorf("link %q opens inside the frame", a.AttrOr("href", ""))
		}
	})
	if full := doc.Find(`a[href="http://bulletin.test/search?q=budget"]`); full.Length() != 1 {
		t.Error("no link to the full search page")
	}
}

func TestHomePage(t *testing.T) {
	f := newSearchFixture(t, "")
	doc := f.page(t, "/", http.StatusOK)
	src := doc.Find("section#src-lga-cdt, section[aria-labelledby=src-lga-cdt]")
	if got := text(src.Find("h2")); got != "LGA Cyber, Digital and Technology Bulletin" {
		t.Errorf("source heading %q", got)
	}
	rows := src.Find("table.editions tbody tr")
	if rows.Length() != 8 {
		t.Fatalf("%d editions listed, want the fixture's 8", rows.Length())
	}
	first := rows.First().Find("td")
	if got := text(first.Eq(0)); got != "27" {
		t.Errorf("newest edition number %q", got)
	}
	if got := text(first.Eq(1)); got != "12 December 2024" {
		t.Errorf("newest edition date %q", got)
	}
	if got := first.Eq(2).Find("a").AttrOr("href", ""); got != "http://bulletin.test/editions/lga-cdt-3c83877" {
		t.Errorf("newest edition link %q", got)
	}
	if got := local(t, first.Eq(3).Find("a").AttrOr("href", "")); got != "/search?q=edition%3A27+source%3Alga-cdt" {
		t.Errorf("edition search link %q", got)
	}
	for _, feed := range []string{"/feeds/lga-cdt.rss", "/feeds/lga-cdt.atom", "/feeds/lga-cdt.json",
		"/feeds/lga-cdt/editions.rss", "/feeds/lga-cdt/editions.atom", "/feeds/lga-cdt/editions.json"} {
		if src.Find(`a[href="http://bulletin.test`+feed+`"]`).Length() != 1 {
			t.Errorf("no link to %s", feed)
		}
		if doc.Find(`head link[rel=alternate][href="http://bulletin.test`+feed+`"]`).Length() != 1 {
			t.Errorf("no autodiscovery link to %s", feed)
		}
	}
	// Every link the home page gives on this server answers.
	doc.Find("a[href^='http://bulletin.test/']").Each(func(_ int, a *goquery.Selection) {
		target := local(t, a.AttrOr("href", ""))
		if resp := f.get(t, target); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", target, resp.StatusCode)
		}
	})
}
