package server

import (
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/audits"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// TestFeedsInBrowser opens every feed format in headless Chromium as a
// person clicking a feed link would: RSS and Atom must read as a page (laid
// out by /feed.css: the note on how to subscribe, the feed's title and one
// block per entry with its title, date and address) with no XSLT involved,
// and JSON Feed must show as JSON rather than download. Any console warning
// or error and any deprecation issue that the browser reports fails the
// test: it is how Chromium announces the features it is removing (XSLT).
func TestFeedsInBrowser(t *testing.T) {
	t.Parallel() // a browser of its own; the server on the shared read-only index
	exe := browserPath(t)
	if testing.Short() && os.Getenv("CI") == "" && os.Getenv("BULLETIN_REQUIRE_BROWSER") == "" {
		t.Skip("browser test skipped in -short mode")
	}
	l, base := listen(t)
	f := newSearchFixture(t, base)
	serveOn(t, l, f.srv.Handler())
	b := browserTab{t: t, ctx: browserContext(t, exe)}
	shots := artifactDir(t)
	// The first action starts the browser, before anything listens to it.
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[chromedp.Void](`1`)); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}

	var mu sync.Mutex
	var reports []string
	report := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		reports = append(reports, s)
	}
	go func() {
		for m, err := range chromedp.Console(b.ctx) {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleWarning || m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Source == "deprecation" {
				report("console " + string(m.Type) + ": " + m.Text + " " + m.URL)
			}
		}
	}()
	go func() {
		for ev, err := range chromedp.Events(b.ctx, audits.IssueAdded) {
			if err != nil {
				return
			}
			detail, _ := json.Marshal(ev.Issue.Details)
			report("issue " + string(ev.Issue.Code) + ": " + string(detail))
		}
	}()
	if _, err := chromedp.Call(b.ctx, audits.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("Audits.enable: %v", err)
	}

	for _, tc := range []struct {
		name, target string
		root         string // the document element: rss, feed, or html for JSON shown as text
	}{
		{"rss", "/feeds/lga-cdt.rss", "rss"},
		{"atom", "/feeds/lga-cdt.atom", "feed"},
		{"json", "/feeds/lga-cdt.json", "html"},
		{"editions-rss", "/feeds/lga-cdt/editions.rss", "rss"},
		{"editions-atom", "/feeds/lga-cdt/editions.atom", "feed"},
		{"search-atom", "/search.atom?q=council", "feed"},
		{"search-rss-summary", "/search.rss?q=council&summary=1", "rss"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := browserTab{t: t, ctx: b.ctx}
			if status := b.load(base + tc.target); status != 200 {
				t.Fatalf("status %d", status)
			}
			if got := evalIn[string](b, `document.documentElement.localName`); got != tc.root {
				t.Fatalf("document element <%s>, want <%s> (contentType %s)", got, tc.root, evalIn[string](b, `document.contentType`))
			}
			if tc.root == "html" {
				// JSON Feed: shown as text, the feed's own bytes.
				var feed struct {
					Items []struct{ URL string } `json:"items"`
				}
				text := evalIn[string](b, `document.body.innerText`)
				if err := json.Unmarshal([]byte(text), &feed); err != nil || len(feed.Items) == 0 {
					t.Errorf("the page is not the JSON Feed (%v): %.200s", err, text)
				}
				b.screenshot(shots, "feed-"+tc.name+".png")
				return
			}
			// Never XSLT: the document stays the feed, no HTML made of it.
			if ns := evalIn[string](b, `document.documentElement.namespaceURI || ""`); ns == "http://www.w3.org/1999/xhtml" {
				t.Errorf("the feed was transformed into HTML")
			}
			type pageView struct {
				Note, Title, SelfText string
				Entries, Shown        int
				EntryTitles           int
				Addresses             int
			}
			view := evalIn[pageView](b, `(() => {
	const root = document.documentElement;
	const shown = el => el && getComputedStyle(el).display !== "none" && el.getBoundingClientRect().height > 0;
	const kids = (el, name) => Array.from(el.children).filter(c => c.localName === name);
	const channel = root.localName === "rss" ? kids(root, "channel")[0] : root;
	const entries = kids(channel, root.localName === "rss" ? "item" : "entry");
	const title = kids(channel, "title")[0];
	const self = Array.from(channel.children).find(c => c.localName === "link" && c.getAttribute("rel") === "self");
	return {
		note: getComputedStyle(root, "::before").content,
		title: shown(title) ? title.textContent : "",
		selfText: self && shown(self) ? getComputedStyle(self, "::after").content : "",
		entries: entries.length,
		shown: entries.filter(shown).length,
		entryTitles: entries.filter(e => shown(kids(e, "title")[0])).length,
		addresses: entries.filter(e => {
			const l = Array.from(e.children).find(c => c.localName === "link" && (!c.hasAttribute("rel") || c.getAttribute("rel") === "alternate"));
			return shown(l);
		}).length,
	};
})()`)
			if !strings.Contains(view.Note, "web feed") || view.Title == "" || !strings.Contains(view.SelfText, base+"/") {
				t.Errorf("the page lacks its note, title or address: %+v", view)
			}
			if view.Entries == 0 || view.Shown != view.Entries || view.EntryTitles != view.Entries || view.Addresses != view.Entries {
				t.Errorf("%d entries, %d shown, %d with a title, %d with an address", view.Entries, view.Shown, view.EntryTitles, view.Addresses)
			}
			// Nothing hidden shows: no GUIDs, no HTML content as text.
			if text := evalIn[string](b, `document.documentElement.innerText || ""`); strings.Contains(text, "urn:bulletin:") || strings.Contains(text, "<p>") {
				t.Errorf("the page shows ids or markup: %.300s", text)
			}
			if wide := evalIn[bool](b, `document.documentElement.scrollWidth > document.documentElement.clientWidth`); wide {
				t.Errorf("the page scrolls sideways")
			}
			b.screenshot(shots, "feed-"+tc.name+".png")
		})
	}
	// Let late reports arrive before reading them.
	b.do("settle", chromedp.Sleep(300*time.Millisecond))
	mu.Lock()
	defer mu.Unlock()
	for _, r := range reports {
		t.Errorf("browser reported: %s", r)
	}
}
