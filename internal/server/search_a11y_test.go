package server

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestPagesAccessible checks, on the HTML of every kind of page, the rules
// that a machine can check: a language, a viewport, landmarks, one h1 and no
// skipped heading level, a label for every control, names for every link,
// references to ids that exist, unique ids, and nothing the Content Security
// Policy would block (scripts, inline styles, event handlers).
func TestPagesAccessible(t *testing.T) {
	f := newSearchFixture(t, "")
	pages := []struct {
		target string
		status int
		embed  bool
	}{
		{"/", http.StatusOK, false},
		{"/search", http.StatusOK, false},
		{"/search?q=cyber", http.StatusOK, false},
		{"/search?q=cyber+edition%3A19&sort=date", http.StatusOK, false},
		{"/search?q=zzzzqqq", http.StatusOK, false},
		{"/search?q=cyber+AND", http.StatusBadRequest, false},
		{"/search?size=0", http.StatusBadRequest, false},
		{"/search?page=2&size=5", http.StatusOK, false},
		{"/embed?q=cyber", http.StatusOK, true},
	}
	for _, p := range pages {
		t.Run(p.target, func(t *testing.T) {
			doc := f.page(t, p.target, p.status)
			checkAccessible(t, doc, p.embed)
		})
	}
}

func checkAccessible(t *testing.T, doc *goquery.Document, embed bool) {
	t.Helper()
	if lang := doc.Find("html").AttrOr("lang", ""); lang == "" {
		t.Error("no lang on <html>")
	}
	if !strings.Contains(doc.Find(`meta[name=viewport]`).AttrOr("content", ""), "width=device-width") {
		t.Error("no viewport meta")
	}
	if strings.TrimSpace(doc.Find("title").Text()) == "" {
		t.Error("no title")
	}
	if doc.Find("main").Length() != 1 {
		t.Errorf("%d <main>, want 1", doc.Find("main").Length())
	}
	if !embed {
		for _, sel := range []string{"body > header", "header nav[aria-label]", "body > footer", `a.skip[href="#main"]`, "main#main"} {
			if doc.Find(sel).Length() != 1 {
				t.Errorf("no %s", sel)
			}
		}
		if n := doc.Find("h1").Length(); n != 1 {
			t.Errorf("%d h1, want 1", n)
		}
		if n := doc.Find(`[aria-current=page]`).Length(); n == 0 {
			t.Error("the site navigation does not mark the current page")
		}
	}
	// Heading levels go down one at a time.
	last := 0
	doc.Find("h1, h2, h3, h4, h5, h6").Each(func(_ int, h *goquery.Selection) {
		level, _ := strconv.Atoi(goquery.NodeName(h)[1:])
		if last != 0 && level > last+1 || last == 0 && !embed && level != 1 {
			t.Errorf("heading %q is an h%d after an h%d", strings.TrimSpace(h.Text()), level, last)
		}
		last = level
	})
	ids := map[string]int{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) { ids[s.AttrOr("id", "")]++ })
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q used %d times", id, n)
		}
	}
	// Every reference names an id that exists.
	for _, attr := range []string{"for", "aria-labelledby", "aria-describedby"} {
		doc.Find("[" + attr + "]").Each(func(_ int, s *goquery.Selection) {
			for _, id := range strings.Fields(s.AttrOr(attr, "")) {
				if ids[id] == 0 {
					t.Errorf("%s %q names no element", attr, id)
				}
			}
		})
	}
	// Every control has a label.
	doc.Find("input, select, textarea").Each(func(_ int, c *goquery.Selection) {
		if c.AttrOr("type", "") == "hidden" {
			return
		}
		id := c.AttrOr("id", "")
		if id == "" || doc.Find(`label[for="`+id+`"]`).Length() == 0 && c.AttrOr("aria-label", "") == "" {
			t.Errorf("<%s id=%q> has no label", goquery.NodeName(c), id)
		}
	})
	// Every link has a target and a name.
	doc.Find("a").Each(func(_ int, a *goquery.Selection) {
		if a.AttrOr("href", "") == "" {
			t.Errorf("link %q has no href", a.Text())
		}
		if strings.TrimSpace(a.Text()) == "" && a.AttrOr("aria-label", "") == "" {
			t.Errorf("link %q has no name", a.AttrOr("href", ""))
		}
	})
	// Nothing the Content Security Policy blocks.
	if n := doc.Find("script").Length(); n > 0 {
		t.Errorf("%d scripts", n)
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s %s=%q>: inline styles and handlers are blocked by the CSP", s.Nodes[0].Data, a.Key, a.Val)
			}
		}
	})
}
