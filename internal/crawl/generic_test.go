package crawl_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/run"
)

// TestGenericSource crawls a bulletin that is not on GovDelivery: its list
// page is read with the source's list_pattern and its pages with the
// source's selectors.
func TestGenericSource(t *testing.T) {
	w := newWorld(t, "news.test")
	h := w.hosts["news.test"]
	h.Handle("/robots.txt", func(rw http.ResponseWriter, _ *http.Request) { fmt.Fprint(rw, "User-agent: *\nAllow: /\n") })
	h.Handle("/news/", func(rw http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(rw, `<html><body><ul>
<li><a href="/news/2024-03.html">March news</a></li>
<li><a href="/news/2024-04.html">April news</a></li>
<li><a href="/about.html">About us</a></li></ul></body></html>`)
	})
	for _, month := range []string{"2024-03", "2024-04"} {
		h.Handle("/news/"+month+".html", func(rw http.ResponseWriter, _ *http.Request) {
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(rw, `<html><head><title>Digital news %[1]s</title></head><body>
<nav>Home | Contact</nav>
<main><p class="issue">Issue %[1]s</p><time datetime="%[1]s-05T09:00:00Z">5</time>
<article><h2>Cloud migration in %[1]s</h2><p>The NCSC published guidance. Write to team@news.test.</p></article>
<article><h2>Data skills</h2><p>Register by 29 March 2024.</p></article>
</main><footer>Unsubscribe</footer></body></html>`, month)
		})
	}
	src := source(t, `profile = "generic"
lists = ["http://news.test/news/"]
list_pattern = '^/news/\d{4}-\d{2}\.html$'
[source.selectors]
body = "main"
item = "article"
title = "h2"
date = "time"
`)
	var logs bytes.Buffer
	c, ix := newCrawler(t, fetch.New(fastFetch(w, textLogger(&logs), nil)), textLogger(&logs))
	sum, err := c.Run(context.Background(), src, run.Options{})
	if err != nil {
		t.Fatalf("crawl: %v\n%s", err, logs.String())
	}
	if sum.Editions != 2 || sum.Items != 4 || h.Hits("/about.html") != 0 {
		t.Errorf("summary %+v, /about.html fetched %d times\n%s", sum, h.Hits("/about.html"), logs.String())
	}
	for _, u := range []string{"http://news.test/news/2024-03.html", "http://news.test/news/2024-04.html"} {
		if !ix.Has("s", u) {
			t.Errorf("edition %s not indexed", u)
		}
	}
}
