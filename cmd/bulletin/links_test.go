package main_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	ical "github.com/emersion/go-ical"
	"github.com/mmcdole/gofeed"
)

// linkedEntry is one entry, hit, event or row that links to a page showing
// it: where it was found, the title a reader sees, its link and (where the
// format has one) the original edition page.
type linkedEntry struct {
	where, title, link, original string
}

// TestEntryLinks runs the real binary under a base URL with a path, as
// behind a reverse proxy, and follows every link of every entry of every
// feed (RSS, Atom and JSON Feed of the articles, the editions, a section
// and a search), every calendar event, every search hit (the page, /embed,
// /api/search) and every row of the home page: each must open a 200 page of
// bulletin whose heading is the entry's title (an event's page: the article
// that lists it), and each original edition
// link must open on the source's site. From every article's page the
// links to its edition, its original edition and its neighbours must open
// too. Then a Miniflux-like reader sorts each feed's entries by date: the
// order must be the feed's own (the bulletin's order), with no two times
// equal.
func TestEntryLinks(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e := newEnv(t)
	base := e.setBaseURL("/news/")
	e.mustRun("crawl")
	stop := e.serve()
	defer stop()

	get := func(u string) (int, string, []byte) {
		t.Helper()
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), b.Bytes()
	}

	var entries []linkedEntry
	feedOrder := map[string][]*gofeed.Item{}
	section := ""
	for _, target := range []string{"feeds/lga-cdt", "feeds/lga-cdt/editions", "search", "SECTION"} {
		if target == "SECTION" {
			if section == "" {
				t.Fatal("no section feed found in the OPML list")
			}
			target = section
		}
		for _, ext := range []string{".rss", ".atom", ".json"} {
			u := base + target + ext + "?limit=500"
			if target == "search" {
				u += "&q=cyber+OR+digital"
			}
			code, _, body := get(u)
			if code != 200 {
				t.Fatalf("%s: %d", u, code)
			}
			f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", u, err)
			}
			if len(f.Items) == 0 {
				t.Fatalf("%s: no entries", u)
			}
			feedOrder[u] = f.Items
			for _, it := range f.Items {
				le := linkedEntry{where: u, title: it.Title, link: it.Link}
				switch ext {
				case ".rss":
					var doc struct {
						Items []struct {
							GUID   string `xml:"guid"`
							Source struct {
								URL string `xml:"url,attr"`
							} `xml:"source"`
						} `xml:"channel>item"`
					}
					if err := xml.Unmarshal(body, &doc); err != nil {
						t.Fatal(err)
					}
					for _, x := range doc.Items {
						if x.GUID == it.GUID {
							le.original = x.Source.URL
						}
					}
				case ".atom":
					le.original = atomVia(t, body, it.GUID)
				case ".json":
					le.original = jsonExternal(t, body, it.GUID)
				}
				entries = append(entries, le)
			}
		}
		if section == "" {
			// A section feed from the OPML list.
			_, _, body := get(base + "opml")
			i := bytes.Index(body, []byte("/feeds/lga-cdt/sections/"))
			if i < 0 {
				t.Fatal("no section feed in /opml")
			}
			rest := body[i+1:]
			section = string(rest[:bytes.Index(rest, []byte(".rss"))])
		}
	}
	// Calendar events.
	for _, target := range []string{"events.ics", "feeds/lga-cdt/events.ics"} {
		_, _, body := get(base + target)
		cal, err := ical.NewDecoder(bytes.NewReader(body)).Decode()
		if err != nil {
			t.Fatal(err)
		}
		if len(cal.Events()) == 0 {
			t.Fatalf("%s: no events", target)
		}
		for _, ev := range cal.Events() {
			title, _ := ev.Props.Text(ical.PropSummary)
			title = strings.TrimPrefix(title, "Deadline: ")
			u := ev.Props.Get(ical.PropURL)
			if u == nil {
				t.Errorf("%s: event %q has no URL", target, title)
				continue
			}
			entries = append(entries, linkedEntry{where: target, title: title, link: u.Value})
			if end := ev.Props.Get(ical.PropDateTimeEnd); end == nil {
				t.Errorf("%s: event %q has no end", target, title)
			}
		}
	}
	// Search hits: the API, the page and the compact page.
	_, _, body := get(base + "api/search?q=cyber&size=100")
	var api struct {
		Hits []struct {
			Title, URL string
			Original   string `json:"original_url"`
			Edition    struct {
				Title, URL string
				Original   string `json:"original_url"`
			}
		}
	}
	if err := json.Unmarshal(body, &api); err != nil || len(api.Hits) == 0 {
		t.Fatalf("/api/search: %v %s", err, body)
	}
	for _, h := range api.Hits {
		entries = append(entries, linkedEntry{where: "api/search", title: h.Title, link: h.URL, original: h.Original},
			linkedEntry{where: "api/search edition", title: h.Edition.Title, link: h.Edition.URL, original: h.Edition.Original})
	}
	for _, target := range []string{"search?q=cyber&size=100", "embed?q=cyber&limit=100"} {
		_, _, body := get(base + target)
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		doc.Find("ol.hits > li h3 a, .hits h2 a").Each(func(_ int, a *goquery.Selection) {
			n++
			entries = append(entries, linkedEntry{where: target, title: strings.TrimSpace(a.Text()), link: a.AttrOr("href", "")})
		})
		if n == 0 {
			t.Errorf("%s: no hits found", target)
		}
	}
	// Home page rows.
	_, _, body = get(base)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	doc.Find("table.editions tbody tr").Each(func(_ int, tr *goquery.Selection) {
		a := tr.Find("td").Eq(2).Find("a").First()
		entries = append(entries, linkedEntry{where: "home", title: strings.TrimSpace(a.Text()), link: a.AttrOr("href", "")})
	})

	// Follow every link once; the page's heading must be the entry's title.
	pages := map[string]*goquery.Document{}
	open := func(where, link string) *goquery.Document {
		t.Helper()
		if d, ok := pages[link]; ok {
			return d
		}
		code, typ, body := get(link)
		if code != 200 || !strings.HasPrefix(typ, "text/html") {
			t.Errorf("%s: %s: %d %s", where, link, code, typ)
			pages[link] = nil
			return nil
		}
		d, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		pages[link] = d
		return d
	}
	originals := map[string]bool{}
	kinds := map[string]int{}
	for _, le := range entries {
		if !strings.HasPrefix(le.link, base+"items/") && !strings.HasPrefix(le.link, base+"editions/") {
			t.Errorf("%s: %q links to %q, not to bulletin's own page under %s", le.where, le.title, le.link, base)
			continue
		}
		kinds[strings.Split(strings.TrimPrefix(le.link, base), "/")[0]]++
		d := open(le.where, le.link)
		if d == nil {
			continue
		}
		h1 := strings.TrimSpace(d.Find("h1").First().Text())
		// An edition's entry may add its issue line: "Title (March 2024 No.19)".
		// An event of an article may have its own title, which the
		// article's page lists under its events.
		if strings.HasSuffix(le.where, ".ics") && h1 != "" && strings.Contains(d.Find("main").Text(), le.title) {
			continue
		}
		if h1 == "" || !(le.title == h1 || strings.HasPrefix(le.title, h1+" (")) {
			t.Errorf("%s: %s shows %q, the entry is %q", le.where, le.link, h1, le.title)
		}
		if le.original != "" {
			originals[le.original] = true
		} else if !strings.HasPrefix(le.where, "search") && !strings.HasPrefix(le.where, "embed") && le.where != "home" && !strings.HasSuffix(le.where, ".ics") {
			t.Errorf("%s: %q has no original edition link", le.where, le.title)
		}
	}
	for u := range originals {
		if !strings.HasPrefix(u, e.site.URL+"/accounts/UKLGA/bulletins/") {
			t.Errorf("original link %q is not the source's edition page", u)
			continue
		}
		ref, _ := url.Parse(u)
		ref.Fragment = ""
		if code, _, _ := get(ref.String()); code != 200 {
			t.Errorf("original %s: %d", u, code)
		}
	}
	// Every article page links on: its edition, its original, its
	// neighbours (each of which links back).
	items := 0
	for link, d := range pages {
		if d == nil || !strings.HasPrefix(link, base+"items/") {
			continue
		}
		items++
		if ed := d.Find(`p.meta a[href^="` + base + `editions/"]`); ed.Length() != 1 || open(link, ed.AttrOr("href", "")) == nil {
			t.Errorf("%s: no working link to its edition's page", link)
		}
		if orig := d.Find("p.meta a").Last().AttrOr("href", ""); !strings.HasPrefix(orig, e.site.URL) {
			t.Errorf("%s: no link to the original edition (%q)", link, orig)
		}
		for _, rel := range []string{"prev", "next"} {
			a := d.Find(`nav.neighbours a[rel="` + rel + `"]`)
			if a.Length() == 0 {
				continue
			}
			back := map[string]string{"prev": "next", "next": "prev"}[rel]
			nd := open(link+" "+rel, a.AttrOr("href", ""))
			if nd != nil && nd.Find(`nav.neighbours a[rel="`+back+`"]`).AttrOr("href", "") != link {
				t.Errorf("%s: its %s does not link back", link, rel)
			}
		}
	}
	t.Logf("followed %d entry links (%v) to %d pages, %d article pages, %d original pages", len(entries), kinds, len(pages), items, len(originals))
	if kinds["items"] == 0 || kinds["editions"] == 0 || len(originals) == 0 {
		t.Errorf("too little checked")
	}

	// A reader that sorts by date (Miniflux: newest first, by published
	// date) shows each feed in the bulletin's order.
	for u, items := range feedOrder {
		sorted := slices.Clone(items)
		sort.SliceStable(sorted, func(i, j int) bool { return when(sorted[i]).After(when(sorted[j])) })
		for i := range items {
			if sorted[i].GUID != items[i].GUID {
				t.Errorf("%s: sorted by date, entry %d is %q; the feed has %q", u, i, sorted[i].Title, items[i].Title)
				break
			}
			if i > 0 && !when(items[i]).Before(when(items[i-1])) {
				t.Errorf("%s: entries %d and %d have times %v and %v: not strictly newest first", u, i-1, i, when(items[i-1]), when(items[i]))
				break
			}
		}
	}
}

// when is an entry's date as a reader takes it: published, else updated.
func when(it *gofeed.Item) time.Time {
	if it.PublishedParsed != nil {
		return *it.PublishedParsed
	}
	if it.UpdatedParsed != nil {
		return *it.UpdatedParsed
	}
	return time.Time{}
}

// atomVia is the rel="via" link of the Atom entry with id.
func atomVia(t *testing.T, body []byte, id string) string {
	t.Helper()
	var doc struct {
		Entries []struct {
			ID    string `xml:"id"`
			Links []struct {
				Rel  string `xml:"rel,attr"`
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	for _, e := range doc.Entries {
		if e.ID != id {
			continue
		}
		for _, l := range e.Links {
			if l.Rel == "via" {
				return l.Href
			}
		}
	}
	return ""
}

// jsonExternal is the external_url of the JSON Feed item with id.
func jsonExternal(t *testing.T, body []byte, id string) string {
	t.Helper()
	var doc struct {
		Items []struct {
			ID          string `json:"id"`
			ExternalURL string `json:"external_url"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	for _, it := range doc.Items {
		if it.ID == id {
			return it.ExternalURL
		}
	}
	return ""
}
