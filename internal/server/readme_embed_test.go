package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/lga-digital/bulletin/internal/api"
)

// readmeEmbedding is the README's "Subscribing and embedding" section,
// whose snippets intranet editors copy as they are.
func readmeEmbedding(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "### Subscribing and embedding")
	if start < 0 {
		t.Fatal(`README.md has no "### Subscribing and embedding" section`)
	}
	s = s[start:]
	if end := strings.Index(s, "\n## "); end > 0 {
		s = s[:end]
	}
	return s
}

// codeBlocks returns the fenced blocks of one language in markdown.
func codeBlocks(md, lang string) []string {
	var out []string
	for _, m := range regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(md, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestReadmeEmbedSnippets takes the README's iframe, script and
// frame_ancestors snippets and its SharePoint feed URLs, with HOST the
// fixture server, and checks that each does what the README says.
func TestReadmeEmbedSnippets(t *testing.T) {
	md := readmeEmbedding(t)
	const host = "https://HOST"
	local := func(u string) string { // the README's URL on the fixture server
		t.Helper()
		if !strings.HasPrefix(u, host+"/") {
			t.Fatalf("README URL %q is not on %s", u, host)
		}
		return strings.TrimPrefix(u, host)
	}

	var frameAncestors string
	for _, b := range codeBlocks(md, "toml") {
		if strings.HasPrefix(b, "frame_ancestors") {
			frameAncestors = strings.TrimSpace(b)
		}
	}
	if frameAncestors == "" {
		t.Fatal("the README shows no frame_ancestors setting")
	}
	// The fixture loads the README's line as config: an origin the config
	// refuses fails here.
	f := newSearchFixture(t, "", frameAncestors)

	var iframe, div *goquery.Selection
	for _, b := range codeBlocks(md, "html") {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if s := doc.Find("iframe[src]"); s.Length() > 0 {
			iframe = s
		}
		if s := doc.Find("div[data-bulletin-q]"); s.Length() > 0 {
			div = s
			if src := doc.Find("script[src]").AttrOr("src", ""); src != host+"/embed.js" {
				t.Errorf("the script snippet loads %q", src)
			}
		}
	}
	if iframe == nil || div == nil {
		t.Fatal("the README lacks the iframe or the data-bulletin-q snippet")
	}

	t.Run("iframe", func(t *testing.T) {
		if iframe.AttrOr("title", "") == "" {
			t.Error("the iframe has no title, which names it for screen readers")
		}
		target := local(iframe.AttrOr("src", ""))
		u, _ := url.Parse(target)
		resp := f.get(t, target)
		if resp.StatusCode != http.StatusOK || u.Path != "/embed" {
			t.Fatalf("%s: status %d", target, resp.StatusCode)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		var ancestors []string
		for _, d := range strings.Split(csp, ";") {
			if fs := strings.Fields(d); len(fs) > 0 && fs[0] == "frame-ancestors" {
				ancestors = fs[1:]
			}
		}
		if len(f.cfg.FrameAncestors) == 0 {
			t.Error("the README's frame_ancestors line set no origin")
		}
		for _, origin := range f.cfg.FrameAncestors {
			if !slices.Contains(ancestors, origin) {
				t.Errorf("CSP %q does not let %s frame /embed", csp, origin)
			}
		}
		doc, err := goquery.NewDocumentFromReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if n, want := doc.Find("ol.hits > li").Length(), u.Query().Get("limit"); want == "" || n == 0 || want != strconv.Itoa(n) {
			t.Errorf("the frame shows %d results; the README asks for limit=%q", n, want)
		}
	})

	t.Run("script", func(t *testing.T) {
		// What embed.js asks the API for, from the div's attributes.
		q := url.Values{"q": {div.AttrOr("data-bulletin-q", "")}, "sort": {"date"},
			"size": {div.AttrOr("data-bulletin-limit", "")}, "source": {div.AttrOr("data-bulletin-source", "")}}
		resp := f.get(t, "/api/search?"+q.Encode())
		if resp.StatusCode != http.StatusOK {
			body, _ := io.ReadAll(resp.Body)
			t.Fatalf("/api/search?%s: status %d: %s", q.Encode(), resp.StatusCode, body)
		}
		var res api.SearchResponse
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || strconv.Itoa(len(res.Hits)) != q.Get("size") {
			t.Errorf("the script would draw %d results; the README asks for %s", len(res.Hits), q.Get("size"))
		}
	})

	t.Run("rss", func(t *testing.T) {
		at := strings.Index(md, "RSS web part")
		if at < 0 {
			t.Fatal("the README does not say which feed to give SharePoint's RSS web part")
		}
		feeds := regexp.MustCompile("`(https://HOST/[^`]*\\.rss[^`]*)`").FindAllStringSubmatch(md[at:], -1)
		if len(feeds) < 2 {
			t.Fatalf("the SharePoint paragraph gives %d RSS URLs, want the article feed and a search feed", len(feeds))
		}
		for _, m := range feeds {
			target := local(m[1])
			resp := f.get(t, target)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/rss+xml") {
				t.Errorf("%s: status %d, %s", target, resp.StatusCode, resp.Header.Get("Content-Type"))
				continue
			}
			if n := strings.Count(string(body), "<item>"); n == 0 {
				t.Errorf("%s has no items", target)
			}
		}
	})
}
