package server

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	ical "github.com/emersion/go-ical"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/parse"
	"github.com/lga-digital/bulletin/internal/testenv"
	"github.com/lga-digital/bulletin/internal/testsite"
)

// Hostile text put into a real edition page before it is parsed: markup the
// sanitiser must drop, and entities that decode to markup, which the page
// shows as text and which must stay text in every feed field.
const (
	// hostileBody starts every paragraph of the page.
	hostileBody = `<script>alert(1)</script><img src=x onerror="alert(2)"><svg onload="alert(3)"></svg>` +
		`<a href="javascript:alert(4)">js link</a> &lt;img src=x onerror=alert(5)&gt; ` +
		`&lt;script&gt;alert(6)&lt;/script&gt; &amp;lt;svg onload=alert(7)&amp;gt; ` +
		`<a href="jav&#x09;ascript:alert(8)">tab link</a><iframe src="javascript:alert(9)"></iframe> &#x3C;svg/onload=alert(10)&#x3E; `
	// hostileTitle starts every article title.
	hostileTitle = `&lt;img src=x onerror=alert(12)&gt;<img src=x onerror=alert(13)> `
)

// Texts the hostile page must show as text, wherever a field of an entry
// holds the start of the article.
var (
	hostileTitleText = "<img src=x onerror=alert(12)>"
	hostileBodyTexts = []string{"<img src=x onerror=alert(5)>", "<script>alert(6)</script>"}
	// hostileShownEntity starts text the page shows that looks like an
	// entity ("&lt;svg onload=alert(7)&gt;", perhaps cut short in a snippet).
	hostileShownEntity = "&lt;svg onload=alert"
)

// hostileServer is a server over one edition parsed from the fixture page
// of edition 19 with hostile text in every paragraph and title.
func hostileServer(t *testing.T) *Server {
	t.Helper()
	rec := httptest.NewRecorder()
	const path = "/accounts/UKLGA/bulletins/392f025"
	testsite.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, searchFixtureSite+path, nil))
	page := rec.Body.String()
	page = strings.ReplaceAll(page, `<p class="gd_p"><strong>`, `<p class="gd_p"><strong>`+hostileTitle)
	page = strings.ReplaceAll(page, `<p class="gd_p">`, `<p class="gd_p">`+hostileBody)
	page = strings.ReplaceAll(page, `<p class="gd_p">`+hostileBody+`<strong>`, `<p class="gd_p"><strong>`)
	res, err := parse.Parse([]byte(page), rec.Header().Get("Content-Type"), searchFixtureSite+path, parse.Options{Source: "lga-cdt"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) < 3 || !strings.Contains(res.Items[0].Title, hostileTitleText) {
		t.Fatalf("the hostile page parsed to %d items, first titled %q", len(res.Items), res.Items[0].Title)
	}
	cfgFile := testenv.WriteConfig(t, `base_url = "http://bulletin.test"

[[source]]
id = "lga-cdt"
title = "LGA <b>Cyber</b> & Digital"
lists = ["`+searchFixtureSite+testsite.ListPath+`"]
`)
	cfg, err := config.Load(cfgFile, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	idx, err := index.Open(filepath.Join(cfg.DataDir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if err := idx.PutEdition(context.Background(), res.Edition, res.Items); err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, idx, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// htmlCheck parses s as an HTML fragment, as a reader renders a field it
// takes as HTML, and reports what must never survive there: a script,
// style, iframe, object, embed, svg, math or form element, an event-handler
// attribute, or a URL attribute whose scheme is not http, https or mailto.
func htmlCheck(s string) []string { return markupCheck(s, false) }

// markupCheck is htmlCheck; for a whole page of the site, its head's meta
// and link elements, its forms and its own relative links are expected,
// and only script, embedded content, event handlers and script URLs count.
func markupCheck(s string, page bool) []string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return []string{err.Error()}
	}
	var bad []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "iframe", "object", "embed", "svg", "math", "base", "frame", "applet":
				bad = append(bad, "<"+n.Data+">")
			case "form", "meta", "link":
				if !page {
					bad = append(bad, "<"+n.Data+">")
				}
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				if strings.HasPrefix(k, "on") {
					bad = append(bad, n.Data+" "+k)
				}
				if k == "href" || k == "src" || k == "action" || k == "formaction" || k == "xlink:href" {
					v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
					scriptURL := strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:text")
					if scriptURL || !page && !(strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "mailto:")) {
						bad = append(bad, n.Data+" "+k+"="+a.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return bad
}

// textAsHTML parses a field that readers take as HTML and returns its text
// and the elements in it, for fields that should hold text only; the
// contents of skip elements are left out of the text.
func textAsHTML(s string, skip ...string) (text string, elements []string) {
	nodes, _ := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			el := n.Data
			for _, a := range n.Attr {
				el += " " + a.Key
			}
			elements = append(elements, el)
			if slices.Contains(skip, n.Data) {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return b.String(), elements
}

// xmlFields decodes an XML document into (path, text) pairs: element text
// and attribute values, each unescaped once as an XML parser does.
type xmlField struct{ path, text string }

func xmlFields(t *testing.T, body []byte) []xmlField {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	var out []xmlField
	var stack []string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tk.Name.Local)
			text.Reset()
			for _, a := range tk.Attr {
				out = append(out, xmlField{strings.Join(stack, "/") + "@" + a.Name.Local, a.Value})
			}
		case xml.CharData:
			text.Write(tk)
		case xml.EndElement:
			out = append(out, xmlField{strings.Join(stack, "/"), text.String()})
			text.Reset()
			stack = stack[:len(stack)-1]
		}
	}
}

// TestHostileTextInEveryFormat feeds the sanitiser's hardest inputs through
// a real parse into every format and field, and reads each result as a
// reader would: the XML or JSON parsed, then every field that readers take
// as HTML parsed as HTML. Plain-text fields (RSS titles, Atom text, JSON
// titles and summaries, iCalendar text, OPML attributes) must hold the
// page's text exactly, escaped once: "<img src=x onerror=alert(5)>" as
// text, never as an element and never as "&lt;img". Fields that readers
// take as HTML (RSS description, content:encoded, Atom type="html", JSON
// content_html, the HTML pages) must parse to no script, no event handler
// and no javascript: URL; the RSS description, a plain-text summary, must
// parse to text in paragraphs only.
func TestHostileTextInEveryFormat(t *testing.T) {
	s := hostileServer(t)
	get := func(target string) []byte {
		t.Helper()
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://bulletin.test"+target, nil))
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		return rec.Body.Bytes()
	}
	// plain checks a plain-text field: no escaping left in it, and the
	// hostile text there as text when the field holds it.
	sawTitle, sawBody := map[string]bool{}, map[string]bool{}
	plain := func(format, where, v string) {
		t.Helper()
		// The page itself shows "&lt;svg onload=alert(7)&gt;" (it wrote
		// &amp;lt;): that is its text. Any other entity is escaping left over.
		w := strings.ReplaceAll(strings.ReplaceAll(v, hostileShownEntity+"(7)&gt;", ""), hostileShownEntity, "")
		for _, ent := range []string{"&lt;", "&gt;", "&amp;", "&#", "&quot;"} {
			if i := strings.Index(w, ent); i >= 0 {
				t.Errorf("%s %s: escaped twice: …%q…", format, where, w[max(0, i-60):min(len(w), i+60)])
				break
			}
		}
		if strings.Contains(v, hostileTitleText) {
			sawTitle[format] = true
		}
		for _, h := range hostileBodyTexts {
			if strings.Contains(v, h) {
				sawBody[format] = true
			}
		}
	}
	asHTML := func(format, where, v string) {
		t.Helper()
		if bad := htmlCheck(v); len(bad) > 0 {
			t.Errorf("%s %s: markup survives: %q in %.300q", format, where, bad, v)
		}
	}
	// summaryHTML checks a plain-text summary written as HTML.
	summaryHTML := func(format, where, v string) {
		t.Helper()
		text, elements := textAsHTML(v)
		for _, el := range elements {
			if el != "p" && el != "br" {
				t.Errorf("%s %s: element <%s> in a plain-text summary: %.300q", format, where, el, v)
			}
		}
		plain(format, where+" (as HTML)", text)
	}

	for _, target := range []string{"/feeds/lga-cdt.rss", "/feeds/lga-cdt.rss?summary=1", "/feeds/lga-cdt/editions.rss", "/search.rss?q=alert"} {
		for _, f := range xmlFields(t, get(target)) {
			switch {
			case strings.HasSuffix(f.path, "item/description"):
				summaryHTML("rss", target+" "+f.path, f.text)
			case strings.HasSuffix(f.path, "item/encoded"):
				asHTML("rss", target+" "+f.path, f.text)
			case strings.HasSuffix(f.path, "@href") || strings.HasSuffix(f.path, "@url") || strings.HasSuffix(f.path, "item/link"):
				if !strings.HasPrefix(f.text, "http") {
					t.Errorf("rss %s %s: URL %q", target, f.path, f.text)
				}
			default:
				plain("rss", target+" "+f.path, f.text)
			}
		}
	}
	for _, target := range []string{"/feeds/lga-cdt.atom", "/feeds/lga-cdt/editions.atom", "/search.atom?q=alert"} {
		for _, f := range xmlFields(t, get(target)) {
			switch {
			case strings.HasSuffix(f.path, "entry/content"):
				asHTML("atom", target+" "+f.path, f.text)
			case strings.HasSuffix(f.path, "@href"):
				if !strings.HasPrefix(f.text, "http") {
					t.Errorf("atom %s %s: URL %q", target, f.path, f.text)
				}
			default:
				plain("atom", target+" "+f.path, f.text)
			}
		}
	}
	for _, target := range []string{"/feeds/lga-cdt.json", "/feeds/lga-cdt.json?summary=1", "/feeds/lga-cdt/editions.json"} {
		var doc struct {
			Title string
			Items []struct {
				Title       string  `json:"title"`
				URL         string  `json:"url"`
				ExternalURL string  `json:"external_url"`
				Summary     string  `json:"summary"`
				ContentText *string `json:"content_text"`
				ContentHTML string  `json:"content_html"`
				Tags        []string
				Authors     []struct{ Name string }
			}
		}
		if err := json.Unmarshal(get(target), &doc); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		plain("json", target+" title", doc.Title)
		for _, it := range doc.Items {
			plain("json", target+" item title", it.Title)
			plain("json", target+" summary", it.Summary)
			if it.ContentText != nil {
				plain("json", target+" content_text", *it.ContentText)
			}
			asHTML("json", target+" content_html", it.ContentHTML)
			for _, tag := range it.Tags {
				plain("json", target+" tag", tag)
			}
			for _, a := range it.Authors {
				plain("json", target+" author", a.Name)
			}
			if !strings.HasPrefix(it.URL, "http://bulletin.test/") || (it.ExternalURL != "" && !strings.HasPrefix(it.ExternalURL, "http")) {
				t.Errorf("json %s: url %q, external_url %q", target, it.URL, it.ExternalURL)
			}
		}
	}
	for _, target := range []string{"/events.ics", "/feeds/lga-cdt/events.ics"} {
		cal, err := ical.NewDecoder(bytes.NewReader(get(target))).Decode()
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		if len(cal.Events()) == 0 {
			t.Errorf("%s: no events", target)
		}
		for _, ev := range cal.Events() {
			for _, p := range []string{ical.PropSummary, ical.PropDescription, ical.PropLocation} {
				if prop := ev.Props.Get(p); prop != nil {
					v, err := prop.Text()
					if err != nil {
						t.Errorf("%s %s: %v", target, p, err)
					}
					plain("ical", target+" "+p, v)
				}
			}
			if u := ev.Props.Get(ical.PropURL); u == nil || !strings.HasPrefix(u.Value, "http://bulletin.test/items/") {
				t.Errorf("%s: URL %+v", target, u)
			}
		}
	}
	for _, f := range xmlFields(t, get("/opml")) {
		if strings.HasSuffix(f.path, "@xmlUrl") || strings.HasSuffix(f.path, "@htmlUrl") {
			if !strings.HasPrefix(f.text, "http") {
				t.Errorf("opml %s: URL %q", f.path, f.text)
			}
			continue
		}
		plain("opml", f.path, f.text)
	}
	// The HTML pages: the whole page parsed, nothing hostile in it, and
	// the hostile text shown as text.
	items, err := s.idx.EditionItems(context.Background(), "lga-cdt-392f025")
	if err != nil || len(items) == 0 {
		t.Fatalf("items: %v", err)
	}
	for _, target := range []string{"/", "/editions/lga-cdt-392f025", "/items/" + items[0].ID, "/items/" + items[1].ID, "/search?q=alert", "/embed?q=alert"} {
		body := string(get(target))
		if bad := markupCheck(body, true); len(bad) > 0 {
			t.Errorf("html %s: markup survives: %q", target, bad)
		}
		// The page's text, but for the HTML snippets it shows to copy.
		text, _ := textAsHTML(body, "pre", "code", "textarea")
		plain("html", target+" (text)", text)
		if target != "/" && !strings.Contains(text, hostileTitleText) && !strings.Contains(text, hostileBodyTexts[0]) {
			t.Errorf("html %s: the hostile text is not shown as text", target)
		}
	}

	// Every format carried the hostile text somewhere, as text.
	for _, format := range []string{"rss", "atom", "json", "ical", "html"} {
		if !sawTitle[format] || !sawBody[format] {
			t.Errorf("%s: the hostile title (%v) or body (%v) text never appeared as text: the test checked nothing", format, sawTitle[format], sawBody[format])
		}
	}
}
