package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// browserPath finds Chromium: $BULLETIN_CHROMIUM, else chromium on $PATH.
// Without one the test skips, unless CI or BULLETIN_REQUIRE_BROWSER is set:
// there a missing browser fails the test.
func browserPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("BULLETIN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" || os.Getenv("BULLETIN_REQUIRE_BROWSER") != "" {
		t.Fatal("no Chromium found (apt-get install chromium, or set BULLETIN_CHROMIUM); CI requires the browser test")
	}
	t.Skip("no Chromium found: install it (apt-get install chromium) or set BULLETIN_CHROMIUM to run the browser test")
	return ""
}

// artifactDir is where screenshots go: $BULLETIN_ARTIFACTS, else the test's
// temporary directory.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("BULLETIN_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// browserContext starts headless Chromium with a fresh profile and no
// network of its own beyond what the test serves.
func browserContext(t *testing.T, exe string) context.Context {
	t.Helper()
	profile, err := os.MkdirTemp("", "bulletin-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Chromium's children may still write there for a moment after it stops.
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
	)
	// One deadline for the whole test, browser start included. It is a
	// backstop against a hung browser, not a measure: each step has its own
	// deadline, and the accessibility test's two dozen axe runs need more
	// than 90 s under -race on a loaded machine.
	ctx, cancelTimeout := context.WithTimeout(alloc, 4*time.Minute)
	ctx, cancelCtx := chromedp.NewContext(ctx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelCtx()
		cancelTimeout()
		cancelAlloc()
	})
	return ctx
}

// serveOn serves h on l, which the caller opened to know the address first.
func serveOn(t *testing.T, l net.Listener, h http.Handler) {
	t.Helper()
	hs := httptest.NewUnstartedServer(h)
	hs.Listener.Close()
	hs.Listener = l
	hs.Start()
	t.Cleanup(hs.Close)
}

func listen(t *testing.T) (net.Listener, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return l, "http://" + l.Addr().String()
}

// intranetPage is a page of another site that holds what a person pasted
// from the search page.
type intranetPage struct {
	mu    sync.Mutex
	paste string
}

func (p *intranetPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title><link rel="icon" href="data:,"></head>`+
		`<body><h1>Council intranet</h1>`+p.paste+`</body></html>`)
}

// TestSearchInBrowser drives the search page in real headless Chromium:
// type a query and submit it with the keyboard, follow a facet, follow the
// next page, read the autodiscovery links, look at the page on a phone, and
// see a syntax error with its caret. Screenshots are saved for people to look at.
func TestSearchInBrowser(t *testing.T) {
	t.Parallel() // a browser of its own; the server on the shared read-only index
	exe := browserPath(t)
	if testing.Short() && os.Getenv("CI") == "" && os.Getenv("BULLETIN_REQUIRE_BROWSER") == "" {
		t.Skip("browser test skipped in -short mode")
	}
	// The search server, and another origin for an intranet page that
	// embeds it; the config lets that origin frame /embed.
	bl, base := listen(t)
	il, intranet := listen(t)
	f := newSearchFixture(t, base, `frame_ancestors = ["`+intranet+`"]`)
	serveOn(t, bl, f.srv.Handler())
	var paste intranetPage
	serveOn(t, il, &paste)
	ctx := browserContext(t, exe)
	shots := artifactDir(t)

	// Collect what the pages write to the console (CSP violations included).
	var mu sync.Mutex
	var console []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleWarning {
				mu.Lock()
				console = append(console, string(m.Type)+": "+m.Text)
				mu.Unlock()
			}
		}
	}()

	// Each step has its own deadline, so that a missing element fails fast.
	step := func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, 20*time.Second) }
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := step()
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// navigate runs steps that load a page and waits for it; it returns the
	// HTTP status of the page.
	navigate := func(what string, steps ...chromedp.Action[chromedp.Void]) int64 {
		t.Helper()
		sctx, cancel := step()
		defer cancel()
		resp, err := chromedp.RunResponse(sctx, steps...)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return resp.Status
	}
	eval := func(expr string) string {
		t.Helper()
		sctx, cancel := step()
		defer cancel()
		v, err := chromedp.Run(sctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	text := func(sel string) string {
		t.Helper()
		sctx, cancel := step()
		defer cancel()
		v, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.Join(strings.Fields(v), " ")
	}
	// screenshot saves the whole page, or only what the screen shows.
	screenshot := func(name string, full bool) {
		t.Helper()
		sctx, cancel := step()
		defer cancel()
		shot := chromedp.CaptureScreenshot()
		if full {
			shot = chromedp.FullScreenshot(100) // 100: PNG
		}
		png, err := chromedp.Run(sctx, shot)
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		path := filepath.Join(shots, name)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}

	// The empty search page; the first Tab reaches the skip link, with a
	// visible focus ring.
	// The first action starts the browser, under the test's overall deadline.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`1`)); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	// The home page lists the source's editions and feeds.
	if status := navigate("load /", chromedp.Navigate(base+"/")); status != http.StatusOK {
		t.Fatalf("/: status %d", status)
	}
	if n := eval(`String(document.querySelectorAll("table.editions tbody tr").length)`); n != "8" {
		t.Errorf("the home page lists %s editions, want 8", n)
	}
	screenshot("home.png", true)

	if status := navigate("load /search", chromedp.Navigate(base+"/search")); status != http.StatusOK {
		t.Fatalf("/search: status %d", status)
	}
	if n := eval(`String(document.scripts.length)`); n != "0" {
		t.Errorf("the page has %s scripts; it must work without JavaScript", n)
	}
	run("tab", chromedp.KeyEvent(kb.Tab))
	if got := eval(`document.activeElement.className`); got != "skip" {
		t.Errorf("first Tab focuses %q, want the skip link", got)
	}
	if got := eval(`getComputedStyle(document.activeElement).outlineStyle`); got == "none" {
		t.Error("the focused skip link has no outline")
	}

	// Type a query and submit it with Enter.
	navigate("type a query and press Enter",
		chromedp.SendKeys(chromedp.CSS("#q"), "council"),
		chromedp.KeyEvent(kb.Enter),
	)
	if loc := eval(`location.href`); loc != base+"/search?q=council&sort=relevance" {
		t.Errorf("the form went to %s", loc)
	}
	if got := text("[role=status]"); !strings.HasPrefix(got, `Results 1–20 of 35 for council`) {
		t.Errorf("summary %q", got)
	}
	if n := eval(`String(document.querySelectorAll("ol.hits > li").length)`); n != "20" {
		t.Errorf("%s hits shown", n)
	}
	if n := eval(`String(document.querySelectorAll("ol.hits .snippet mark").length)`); n == "0" {
		t.Error("no highlighted words in the snippets")
	}
	if got := eval(`document.querySelector("ol.hits .meta").innerText`); !strings.HasPrefix(got, "No. ") {
		t.Errorf("a hit's edition line is %q", got)
	}
	// Autodiscovery: the same search as RSS, Atom and JSON Feed.
	alts := eval(`Array.from(document.querySelectorAll('link[rel=alternate]')).map(l => l.type + " " + l.href).join("\n")`)
	for _, want := range []string{
		"application/rss+xml " + base + "/search.rss?q=council",
		"application/atom+xml " + base + "/search.atom?q=council",
		"application/feed+json " + base + "/search.json?q=council",
	} {
		if !strings.Contains(alts+"\n", want+"\n") {
			t.Errorf("no autodiscovery link %q in\n%s", want, alts)
		}
	}
	screenshot("search-results.png", true)

	// Follow the year facet 2024.
	navigate("follow the facet 2024", chromedp.Click(chromedp.CSS(`#facet-year ~ ul a[href*="q=council+date%3A2024"]`)))
	if got := eval(`document.querySelector("#q").value`); got != "council date:2024" {
		t.Errorf("after the facet the search box holds %q", got)
	}
	if got := text("[role=status]"); !strings.HasPrefix(got, `Results 1–20 of 23 for council date:2024`) {
		t.Errorf("after the facet: %q", got)
	}
	if got := text(".active-filters li"); !strings.HasPrefix(got, "Published in: 2024") {
		t.Errorf("active filter %q", got)
	}

	// Follow the next page.
	navigate("follow the next page", chromedp.Click(chromedp.CSS(`nav.pager a[rel=next]`)))
	if got := eval(`document.querySelector("ol.hits").getAttribute("start")`); got != "21" {
		t.Errorf("page 2 numbers its hits from %q", got)
	}
	if got := text("[role=status]"); !strings.HasPrefix(got, "Results 21–23 of 23") {
		t.Errorf("page 2: %q", got)
	}
	if loc := eval(`location.href`); loc != base+"/search?page=2&q=council+date%3A2024&sort=relevance" {
		t.Errorf("page 2 is at %s", loc)
	}
	screenshot("search-page-2.png", true)

	// On a phone: nothing wider than the screen.
	run("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	navigate("load on a phone", chromedp.Navigate(base+"/search?q=council"))
	if got := eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); got != "true" {
		t.Errorf("on a phone the page scrolls sideways: %s", eval(`document.documentElement.scrollWidth + " > " + window.innerWidth`))
	}
	screenshot("search-phone.png", false)
	// A syntax error, still on the phone: HTTP 400, the message and a caret under the query.
	if status := navigate("load a syntax error", chromedp.Navigate(base+"/search?q=council+AND")); status != http.StatusBadRequest {
		t.Errorf("syntax error: status %d", status)
	}
	if got := eval(`document.querySelector("[role=alert] pre").innerText`); got != "council AND\n           ^" {
		t.Errorf("caret block %q", got)
	}
	screenshot("search-error.png", false)

	// Paste both embed snippets of a search into an intranet page: the frame
	// shows the compact page, and the script draws the newest five results.
	run("desktop viewport", chromedp.EmulateViewport(1280, 900))
	navigate("load the search to embed", chromedp.Navigate(base+"/search?q=council"))
	frame, script := eval(`document.querySelector("#embed-code").value`), eval(`document.querySelector("#script-code").value`)
	if !strings.Contains(frame, `src="`+base+`/embed?q=council&amp;size=5"`) || !strings.Contains(script, `data-bulletin-q="council"`) {
		t.Errorf("embed snippets:\n%s\n%s", frame, script)
	}
	paste.mu.Lock()
	paste.paste = frame + "\n<h2>Latest</h2>\n" + script
	paste.mu.Unlock()
	if status := navigate("load the intranet page", chromedp.Navigate(intranet+"/")); status != http.StatusOK {
		t.Fatalf("intranet page: status %d", status)
	}
	run("the script draws the results", chromedp.WaitVisible(chromedp.CSS("div[data-bulletin-q] ul.bulletin-results li")))
	if n := eval(`String(document.querySelectorAll("div[data-bulletin-q] ul.bulletin-results li").length)`); n != "5" {
		t.Errorf("the script drew %s results, want 5", n)
	}
	run("the frame loads", chromedp.WaitVisible(chromedp.CSS("iframe")), chromedp.Sleep(500*time.Millisecond))
	screenshot("intranet.png", true)

	mu.Lock()
	defer mu.Unlock()
	for _, m := range console { // The 400 of the error page is logged as a failed resource; anything
		// else (a CSP violation, a frame refused, a missing file) is a fault.
		if strings.Contains(m, "status of 400") {
			continue
		}
		t.Errorf("console: %s", m)
	}
}
