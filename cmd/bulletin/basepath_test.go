package main_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"
)

// TestBasePath serves under a path (as behind a reverse proxy at
// https://intranet.example/bulletins/) and follows every link of every page
// and feed it reaches: each link to this server carries the path and answers.
func TestBasePath(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e := newEnv(t)
	base := e.setBaseURL("/bulletins/")
	e.mustRun("crawl")
	stop := e.serve()
	defer stop()

	if code, _, _ := e.get("/search"); code != http.StatusNotFound {
		t.Errorf("/search outside the base path: %d, want 404", code)
	}
	seen := map[string]bool{}
	queue := []string{base, base + "opml", base + "feeds/lga-cdt.atom", base + "search?q=cyber"}
	kinds := map[string]int{}
	for len(queue) > 0 && len(seen) < 400 {
		u := queue[0]
		queue = queue[1:]
		if seen[u] {
			continue
		}
		seen[u] = true
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", u, resp.StatusCode)
			continue
		}
		ctype := resp.Header.Get("Content-Type")
		var links []string
		switch {
		case strings.HasPrefix(ctype, "text/html"):
			kinds["html"]++
			links = htmlLinks(t, u, body)
		case strings.Contains(ctype, "rss") || strings.Contains(ctype, "atom") || strings.Contains(ctype, "feed+json"):
			kinds["feed"]++
			links = feedLinks(t, u, body)
		case strings.Contains(ctype, "opml"):
			kinds["opml"]++
			links = opmlLinks(t, body)
		default:
			kinds[ctype]++
		}
		for _, l := range links {
			abs, err := url.Parse(u)
			if err != nil {
				t.Fatal(err)
			}
			ref, err := abs.Parse(l)
			if err != nil {
				t.Errorf("%s: bad link %q", u, l)
				continue
			}
			ref.Fragment = ""
			if ref.Host != e.addr {
				continue // the bulletin's own pages and the articles' links
			}
			if !strings.HasPrefix(ref.Path, "/bulletins/") {
				t.Errorf("%s links to %s, outside the base path", u, ref)
				continue
			}
			queue = append(queue, ref.String())
		}
	}
	if kinds["html"] < 3 || kinds["feed"] < 6 {
		t.Errorf("walked too little: %v (%d URLs)", kinds, len(seen))
	}
	t.Logf("checked %d URLs: %v", len(seen), kinds)
}

func htmlLinks(t *testing.T, u string, body []byte) []string {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("%s: %v", u, err)
	}
	var out []string
	doc.Find("a[href], link[href], script[src], img[src], form[action], iframe[src]").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"href", "src", "action"} {
			if v, ok := s.Attr(attr); ok {
				out = append(out, v)
			}
		}
	})
	// URLs shown for copying (embed snippets) count too.
	out = append(out, ownURLs.FindAllString(doc.Find("code, pre, textarea").Text(), -1)...)
	return out
}

var ownURLs = regexp.MustCompile(`https?://[^\s"'<>]+`)

func feedLinks(t *testing.T, u string, body []byte) []string {
	f, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		t.Fatalf("%s: %v", u, err)
	}
	out := []string{f.FeedLink, f.Link}
	out = append(out, f.Links...)
	if strings.Contains(string(body), "xml-stylesheet") {
		if m := regexp.MustCompile(`<\?xml-stylesheet[^>]*href="([^"]+)"`).FindSubmatch(body); m != nil {
			out = append(out, string(m[1]))
		}
	}
	var filtered []string
	for _, l := range out {
		if l != "" {
			filtered = append(filtered, l)
		}
	}
	return filtered
}

func opmlLinks(t *testing.T, body []byte) []string {
	var doc struct {
		Outlines []struct {
			XMLURL   string `xml:"xmlUrl,attr"`
			HTMLURL  string `xml:"htmlUrl,attr"`
			Children []struct {
				XMLURL  string `xml:"xmlUrl,attr"`
				HTMLURL string `xml:"htmlUrl,attr"`
			} `xml:"outline"`
		} `xml:"body>outline"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("opml: %v", err)
	}
	var out []string
	for _, o := range doc.Outlines {
		out = append(out, o.XMLURL, o.HTMLURL)
		for _, c := range o.Children {
			out = append(out, c.XMLURL, c.HTMLURL)
		}
	}
	var filtered []string
	for _, l := range out {
		if l != "" {
			filtered = append(filtered, l)
		}
	}
	return filtered
}
