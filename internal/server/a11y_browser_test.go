package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// axeTags are the axe-core rule tags of WCAG 2.2 levels A and AA (axe files
// each rule under the version of WCAG that introduced it).
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeSource reads axe-core from test/js (npm ci there installs it). Without
// it the test skips, unless CI or BULLETIN_REQUIRE_BROWSER is set.
func axeSource(t *testing.T) string {
	t.Helper()
	path := filepath.Join("..", "..", "test", "js", "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(path)
	if err == nil {
		return string(b)
	}
	msg := fmt.Sprintf("read axe-core: %v (run npm ci in test/js)", err)
	if os.Getenv("CI") != "" || os.Getenv("BULLETIN_REQUIRE_BROWSER") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// browserTab is one Chromium tab that a test drives; every call fails the
// test on an error, and has its own deadline so that a missing element
// fails fast.
type browserTab struct {
	t   *testing.T
	ctx context.Context
}

func (b browserTab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, 20*time.Second)
}

func (b browserTab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// load navigates to url and returns the HTTP status of the page.
func (b browserTab) load(url string) int64 {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(url))
	if err != nil {
		b.t.Fatalf("load %s: %v", url, err)
	}
	return resp.Status
}

// evalIn evaluates a script in the tab's page and decodes its result; a
// promise is awaited.
func evalIn[T any](b browserTab, expr string) T {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise, chromedp.EvalAsValue))
	if err != nil {
		short := expr
		if len(short) > 80 {
			short = short[:80] + "…"
		}
		b.t.Fatalf("evaluate %s: %v", short, err)
	}
	return v
}

// screenshot saves what the screen shows as dir/name.
func (b browserTab) screenshot(dir, name string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}

// axeResult is what runAxe brings back from the page: the violations, and
// how many rules passed, so that a run that checked nothing is seen.
type axeResult struct {
	Violations []axeViolation `json:"violations"`
	Incomplete []axeViolation `json:"incomplete"`
	Passes     int            `json:"passes"`
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target  string `json:"target"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s <%s>", v.ID, v.Impact, v.Help, v.URL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n\t%s\n\t\t%s", n.Target, strings.ReplaceAll(n.Summary, "\n", "\n\t\t"))
	}
	return b.String()
}

// runAxe runs axe-core's WCAG 2.2 A and AA rules on the tab's page. axe is
// put into the page through DevTools, which the page's Content Security
// Policy does not govern.
func runAxe(b browserTab, axe string) axeResult {
	b.t.Helper()
	if !evalIn[bool](b, `typeof axe === "object"`) {
		evalIn[chromedp.Void](b, axe)
	}
	tags, _ := json.Marshal(axeTags)
	return evalIn[axeResult](b, `(async () => {
	const shape = v => ({id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.map(String).join(" >>> "), summary: n.failureSummary || ""}))});
	const r = await axe.run(document, {runOnly: {type: "tag", values: `+string(tags)+`}, resultTypes: ["violations"]});
	return {violations: r.violations.map(shape), incomplete: r.incomplete.map(shape), passes: r.passes.length};
})()`)
}

// TestAccessibleInBrowser runs axe-core's WCAG 2.2 A and AA rules in
// headless Chromium on every kind of HTML page, on a desktop screen and at
// 320 CSS pixels wide (400% zoom of a 1280 pixel screen, WCAG 1.4.10), where
// no page may scroll sideways; then it tabs through the search page with
// real key events and checks the focus order and that every focused element
// shows a focus indicator.
func TestAccessibleInBrowser(t *testing.T) {
	t.Parallel() // a browser of its own; the server on the shared read-only index
	exe := browserPath(t)
	if testing.Short() && os.Getenv("CI") == "" && os.Getenv("BULLETIN_REQUIRE_BROWSER") == "" {
		t.Skip("browser test skipped in -short mode")
	}
	axe := axeSource(t)
	l, base := listen(t)
	f := newSearchFixture(t, base)
	serveOn(t, l, f.srv.Handler())
	edition, item := richestRecords(t, f)
	b := browserTab{t: t, ctx: browserContext(t, exe)}
	shots := artifactDir(t)
	// The first action starts the browser, under the test's overall deadline.
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[chromedp.Void](`1`)); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}

	pages := []struct {
		name, target string
		status       int64
	}{
		{"home", "/", http.StatusOK},
		{"search-empty", "/search", http.StatusOK},
		{"search-results", "/search?q=council", http.StatusOK},
		{"search-filtered", "/search?q=council+date%3A2024&page=2&sort=date", http.StatusOK},
		{"search-no-results", "/search?q=zzzzqqq", http.StatusOK},
		{"search-error", "/search?q=council+AND", http.StatusBadRequest},
		{"embed", "/embed?q=council&limit=5", http.StatusOK},
		{"edition", "/editions/" + edition, http.StatusOK},
		{"item", "/items/" + item, http.StatusOK},
		{"status", "/status", http.StatusOK},
		{"not-found", "/editions/no-such-edition", http.StatusNotFound},
	}
	widths := []struct {
		name          string
		width, height int64
	}{{"desktop", 1280, 900}, {"320", 320, 720}}
	for _, p := range pages {
		for _, w := range widths {
			t.Run(p.name+"/"+w.name, func(t *testing.T) {
				b := browserTab{t: t, ctx: b.ctx}
				b.do("viewport", chromedp.EmulateViewport(w.width, w.height))
				if status := b.load(base + p.target); status != p.status {
					t.Errorf("status %d, want %d", status, p.status)
				}
				r := runAxe(b, axe)
				if r.Passes == 0 {
					t.Error("axe passed no rule: it did not check the page")
				}
				for _, v := range r.Violations {
					t.Errorf("axe: %s", v)
				}
				for _, v := range r.Incomplete {
					t.Logf("axe needs a person to review: %s", v)
				}
				// Reflow: nothing wider than the screen, so nobody scrolls
				// in two directions to read a line.
				if wide := evalIn[string](b, wideElements); wide != "" {
					t.Errorf("at %d CSS px the page scrolls sideways; too wide:\n%s", w.width, wide)
				}
				b.screenshot(shots, "a11y-"+p.name+"-"+w.name+".png")
			})
		}
	}

	t.Run("keyboard", func(t *testing.T) {
		b := browserTab{t: t, ctx: b.ctx}
		b.do("viewport", chromedp.EmulateViewport(1280, 900))
		checkFocusOrder(b, base+"/search?q=council&size=5")
		checkSkipLink(b, base+"/search?q=council")
	})
}

// wideElements lists the elements that stick out of the screen on the
// right, or "" when the page does not scroll sideways.
const wideElements = `(() => {
	const doc = document.documentElement;
	if (doc.scrollWidth <= doc.clientWidth) return "";
	const out = [doc.scrollWidth + " > " + doc.clientWidth];
	for (const el of document.body.querySelectorAll("*")) {
		const r = el.getBoundingClientRect();
		if (r.right > doc.clientWidth + 1 && !el.closest(".visually-hidden, .skip")) {
			out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + el.className : "") + " right=" + Math.round(r.right));
			if (out.length > 10) break;
		}
	}
	return out.join("\n");
})()`

// focused describes document.activeElement after a key press.
type focused struct {
	Desc      string `json:"desc"`      // tag, id, class and text, for messages
	Region    string `json:"region"`    // which part of the page holds it
	Following bool   `json:"following"` // it comes after the previous focus in the document
	Indicator string `json:"indicator"` // the computed outline or box shadow; "" when none
	OnScreen  bool   `json:"onScreen"`
}

// describeFocus reads the focused element and remembers it, so that the
// next call can tell whether focus moved forward through the document.
const describeFocus = `(() => {
	const el = document.activeElement;
	const prev = window.__lastFocus;
	window.__lastFocus = el;
	const cs = getComputedStyle(el);
	let indicator = "";
	if (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0) indicator = "outline " + cs.outlineWidth + " " + cs.outlineStyle + " " + cs.outlineColor;
	else if (cs.boxShadow !== "none") indicator = "box-shadow " + cs.boxShadow;
	const r = el.getBoundingClientRect();
	const region =
		el.matches("a.skip") ? "skip" :
		el.closest("header nav") ? "nav" :
		el.matches("#q") ? "query" :
		el.matches("#sort") ? "sort" :
		el.matches("form.search button[type=submit]") ? "submit" :
		el.closest("ol.hits") ? "hits" :
		el.closest("aside.facets") ? "facets" :
		el.closest("nav.pager") ? "pager" :
		el.closest("section.follow") ? "follow" :
		el.closest("form.search") ? "form" :
		el.closest("main") ? "main" :
		el.closest("footer") ? "footer" : el.tagName.toLowerCase();
	const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ").slice(0, 40);
	return {
		desc: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + el.className : "") + " " + JSON.stringify(text),
		region,
		following: !prev || prev === document.body || !!(prev.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
		indicator,
		onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
	};
})()`

// checkFocusOrder tabs through a search page of results, from the top to
// past the footer: focus must go skip link, site navigation, search box,
// sort, submit, then on down the page in document order through the
// results, the pager, the facets, the feed and embed links and the footer,
// and reach every element that can take focus; each focused element must be
// on screen with a visible focus indicator.
func checkFocusOrder(b browserTab, url string) {
	b.t.Helper()
	if status := b.load(url); status != http.StatusOK {
		b.t.Fatalf("%s: status %d", url, status)
	}
	tabbable := evalIn[int](b, `[...document.querySelectorAll(
		"a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])")]
		.filter(e => e.checkVisibility() && !e.closest("details:not([open]) > :not(summary)")).length`)
	var regions []string
	for i := 1; ; i++ {
		if i > 300 {
			b.t.Fatalf("300 Tabs did not leave the page; focus went:\n%s", strings.Join(regions, "\n"))
		}
		b.do("Tab", chromedp.KeyEvent(kb.Tab))
		f := evalIn[focused](b, describeFocus)
		if f.Region == "body" || i > 1 && f.Region == "skip" {
			break // past the last element: focus left the page, or came round
		}
		regions = append(regions, f.Region+": "+f.Desc)
		if f.Indicator == "" {
			b.t.Errorf("Tab %d: %s shows no focus indicator", i, f.Desc)
		}
		if !f.OnScreen {
			b.t.Errorf("Tab %d: %s is not on the screen", i, f.Desc)
		}
		if !f.Following {
			b.t.Errorf("Tab %d: focus went back up the page to %s", i, f.Desc)
		}
	}
	b.t.Logf("focus order (%d stops):\n%s", len(regions), strings.Join(regions, "\n"))
	if len(regions) != tabbable {
		b.t.Errorf("Tab reached %d elements; the page has %d that can take focus", len(regions), tabbable)
	}
	region := func(i int) string { r, _, _ := strings.Cut(regions[i], ":"); return r }
	want := []string{"skip", "nav", "nav", "query", "sort", "submit"}
	if len(regions) < len(want) {
		b.t.Fatalf("only %d stops", len(regions))
	}
	for i, w := range want {
		if region(i) != w {
			b.t.Fatalf("Tab %d focuses %s, want the %s; focus went:\n%s", i+1, regions[i], w, strings.Join(regions, "\n"))
		}
	}
	// Then the parts of the page in this order, each reached; between the
	// form and the first result only what the page shows there (the help,
	// the summary's sort link, the matching editions).
	order := []string{"hits", "pager", "facets", "follow", "footer"}
	next := 0
	for i := len(want); i < len(regions); i++ {
		r := region(i)
		switch {
		case next < len(order) && r == order[next]:
			next++
		case next > 0 && r == order[next-1]:
		case next == 0 && (r == "form" || r == "main"):
		default:
			b.t.Errorf("Tab %d reaches %s out of order", i+1, regions[i])
		}
	}
	if next < len(order) {
		b.t.Errorf("Tab never reached the %s", order[next])
	}
}

// checkSkipLink follows the skip link with the keyboard: focus lands on
// the main content, and the next Tab reaches the search box, past the
// site navigation.
func checkSkipLink(b browserTab, url string) {
	b.t.Helper()
	b.load(url)
	b.do("Tab, Enter", chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter))
	if got := evalIn[string](b, `document.activeElement.id`); got != "main" {
		b.t.Errorf("after the skip link focus is on %q, want main", got)
	}
	b.do("Tab", chromedp.KeyEvent(kb.Tab))
	if got := evalIn[string](b, `document.activeElement.id`); got != "q" {
		b.t.Errorf("the Tab after the skip link focuses %q, want the search box", got)
	}
}

// richestRecords picks the edition with the most articles and an editorial,
// and the article with the most facts (events, deadlines, organisations,
// contacts), so that their pages show every part of their templates.
func richestRecords(t *testing.T, f *searchFixture) (edition, item string) {
	t.Helper()
	ctx := context.Background()
	eds, err := f.idx.Editions(ctx, "lga-cdt")
	if err != nil {
		t.Fatal(err)
	}
	bestEd, bestItem := -1, -1
	for _, ed := range eds {
		items, err := f.idx.EditionItems(ctx, ed.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(items); ed.EditorialHTML != "" && n > bestEd {
			edition, bestEd = ed.ID, n
		}
		for _, it := range items {
			n := min(len(it.Events), 1) + min(len(it.Deadlines), 1) + min(len(it.Orgs), 1) + min(len(it.Contacts), 1)
			if n > bestItem {
				item, bestItem = it.ID, n
			}
		}
	}
	if edition == "" || item == "" {
		t.Fatal("the fixture index has no edition with an editorial, or no items")
	}
	return edition, item
}
