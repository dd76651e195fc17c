package discover_test

import (
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/internal/discover"
)

// checkCandidates holds for any output of Feed or List: absolute, normalised,
// unique http(s) URLs and UTC dates.
func checkCandidates(t *testing.T, cands []discover.Candidate, from string) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range cands {
		u, err := url.Parse(c.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Fatalf("candidate URL %q is not absolute http(s)", c.URL)
		}
		if n := discover.NormaliseURL(c.URL); n != c.URL {
			t.Fatalf("candidate URL %q not normalised (%q)", c.URL, n)
		}
		if seen[c.URL] {
			t.Fatalf("duplicate candidate %q", c.URL)
		}
		seen[c.URL] = true
		if c.From != from {
			t.Fatalf("From = %q, want %q", c.From, from)
		}
		if !c.Published.IsZero() && c.Published.Location().String() != "UTC" {
			t.Fatalf("Published %v not UTC", c.Published)
		}
		if strings.TrimSpace(c.Title) != c.Title || strings.Contains(c.Title, "  ") {
			t.Fatalf("title %q not collapsed", c.Title)
		}
	}
}

// FuzzFeed covers feeds whose entries carry whole bulletin bodies (the
// topic feed of testdata) as well as plain ones: a body is only ever kept
// when WholeBody accepts it.
func FuzzFeed(f *testing.F) {
	topic, err := os.ReadFile("testdata/topic-feed.rss")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(topic), feedURL)
	for _, s := range []string{
		govDeliveryRSS, atomFeed, "", "<rss", "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><link href=\"x\"/></entry></feed>",
		`{"version":"https://jsonfeed.org/version/1.1","items":[{"url":"/a"}]}`,
		`<rss version="2.0"><channel><item><link>javascript:alert(1)</link></item></channel></rss>`,
	} {
		f.Add(s, feedURL)
	}
	f.Add(govDeliveryRSS, "")
	f.Add(atomFeed, "relative/base")
	f.Fuzz(func(t *testing.T, body, base string) {
		cands, err := discover.Feed([]byte(body), base)
		if err != nil {
			if cands != nil {
				t.Fatalf("candidates %v with error %v", cands, err)
			}
			return
		}
		checkCandidates(t, cands, "feed")
		for _, c := range cands {
			if c.Body != nil && !discover.WholeBody(string(c.Body)) {
				t.Fatalf("candidate %q carries a body WholeBody rejects: %.100q", c.URL, c.Body)
			}
		}
	})
}

func FuzzList(f *testing.F) {
	for _, s := range []string{
		govDeliveryList, "", "<a href=/accounts/X/bulletins/1>1</a> 01/02/2024",
		`<base href="https://x.example/accounts/A/"><a href="bulletins/ab">t</a><a rel="next" href="?p=2">n</a>`,
		`<table><tr><td><a href="/accounts/A/bulletins/1">x</a></td><td><time datetime="2024-03-21">d</time></td></tr></table>`,
	} {
		f.Add(s, listURL)
	}
	f.Add(govDeliveryList, "")
	pat := discover.GovDeliveryPattern()
	f.Fuzz(func(t *testing.T, body, base string) {
		cands, next, err := discover.List([]byte(body), base, pat)
		if err != nil {
			return
		}
		checkCandidates(t, cands, "list")
		for _, c := range cands {
			u, _ := url.Parse(c.URL)
			if !pat.MatchString(u.Path) {
				t.Fatalf("candidate %q does not match the pattern", c.URL)
			}
		}
		if next != "" {
			u, err := url.Parse(next)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Fatalf("next %q is not absolute http(s)", next)
			}
		}
	})
}

func FuzzNormaliseURL(f *testing.F) {
	for _, s := range []string{ed19, "HTTPS://A.example:443/x?utm_a=1&b=2#f", "http://[::1]:80/", "https://h/a%2Fb?x=%zz", "/rel", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := discover.NormaliseURL(s)
		if nn := discover.NormaliseURL(n); nn != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, nn)
		}
	})
}
