package corpus_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/corpus"
	"github.com/lga-digital/bulletin/internal/discover"
	"github.com/lga-digital/bulletin/internal/parse"
	"github.com/lga-digital/bulletin/internal/testenv/lgafixtures"
)

// TestParse generates a corpus of 55 editions (and one bulletin of another
// series) and checks that the parser finds in each of the newest 16 pages,
// the foreign one among them, what the generator put there: subject,
// number, send time and article titles. (Parsing all 56 costs 20 s under
// -race; the seed gives these 16 every heading style and link style.)
func TestParse(t *testing.T) {
	c, err := corpus.New(corpus.Options{Editions: 55, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	eds := c.Editions()
	if len(eds) != 56 {
		t.Fatalf("%d pages, want 55 editions + 1 of another series", len(eds))
	}
	opt := lgafixtures.ParseOptions(t) // the LGA's closing lines and group headings
	items, foreign, cp1252 := 0, 0, 0
	for _, ed := range eds[:16] {
		t.Run(ed.ID, func(t *testing.T) {
			page, ok := c.Page(ed.ID)
			if !ok {
				t.Fatal("no page")
			}
			page = bytes.ReplaceAll(page, []byte(corpus.Base), []byte("https://content.govdelivery.com"))
			res, err := parse.Parse(page, "text/html", "https://content.govdelivery.com"+ed.Path, opt)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range res.Items {
				got = append(got, it.Title)
			}
			if !slices.Equal(got, ed.Items) {
				t.Errorf("items:\n got %q\nwant %q", got, ed.Items)
			}
			if res.Edition.Title != ed.Subject {
				t.Errorf("title %q, want %q", res.Edition.Title, ed.Subject)
			}
			if res.Edition.Number != ed.Number {
				t.Errorf("number %d, want %d", res.Edition.Number, ed.Number)
			}
			if !res.Edition.Published.Equal(ed.Published) {
				t.Errorf("published %s, want %s", res.Edition.Published, ed.Published)
			}
		})
		if ed.Series {
			items += len(ed.Items)
		} else {
			foreign++
		}
		if ed.Charset == "windows-1252" {
			cp1252++
		}
	}
	if foreign != 1 || cp1252 == 0 {
		t.Errorf("foreign %d, windows-1252 %d; want 1 and some", foreign, cp1252)
	}
	all := 0
	for _, ed := range eds {
		if ed.Series {
			all += len(ed.Items)
		}
	}
	if all != c.Items() {
		t.Errorf("Items() = %d, editions hold %d", c.Items(), all)
	}
	if avg := float64(items) / 15; avg < 17 || avg > 23 {
		t.Errorf("%.1f items per edition, want about 20", avg)
	}
}

// TestDeterministic checks that a seed fixes every byte and that another
// seed gives another corpus.
func TestDeterministic(t *testing.T) {
	sum := func(seed uint64) string {
		c, err := corpus.New(corpus.Options{Editions: 30, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		for _, ed := range c.Editions() {
			p, _ := c.Page(ed.ID)
			h.Write(p)
			fmt.Fprintln(h, ed.ID, ed.Items)
		}
		return fmt.Sprintf("%x", h.Sum(nil))
	}
	a, b, other := sum(1), sum(1), sum(2)
	if a != b {
		t.Error("the same seed gave different corpora")
	}
	if a == other {
		t.Error("different seeds gave the same corpus")
	}
}

func TestOptions(t *testing.T) {
	for _, n := range []int{0, -1, corpus.MaxEditions + 1} {
		if _, err := corpus.New(corpus.Options{Editions: n}); err == nil {
			t.Errorf("Editions %d: no error", n)
		}
	}
}

// TestSite writes a corpus, serves it and walks it as a crawler would:
// the feed, every list page through its next links, and each edition.
func TestSite(t *testing.T) {
	c, err := corpus.New(corpus.Options{Editions: 120, Seed: 3, PerPage: 50, FeedItems: 10})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	m, err := c.Write(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Editions != 122 || m.Series != 120 || m.Items != c.Items() || m.Bytes == 0 {
		t.Errorf("manifest %+v", m)
	}
	site := corpus.NewSite(dir)
	srv := httptest.NewServer(site)
	defer srv.Close()
	get := func(path string, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}

	resp, body := get(corpus.FeedPath)
	cands, err := discover.Feed(body, srv.URL+corpus.FeedPath)
	if err != nil || len(cands) != 10 {
		t.Fatalf("feed: %d candidates, %v", len(cands), err)
	}
	var feed struct {
		Items []struct {
			Link    string `xml:"link"`
			PubDate string `xml:"pubDate"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(body, &feed); err != nil {
		t.Fatal(err)
	}
	for i, it := range feed.Items {
		ed := c.Editions()[i]
		when, err := time.Parse(time.RFC1123Z, it.PubDate)
		if err != nil || !when.Equal(ed.Published) || it.Link != srv.URL+ed.Path {
			t.Errorf("feed item %d: link %q, pubDate %q (%v); want %s at %s", i, it.Link, it.PubDate, err, ed.Path, ed.Published)
		}
	}
	if resp, _ := get(corpus.FeedPath, "If-None-Match", resp.Header.Get("ETag")); resp.StatusCode != http.StatusNotModified {
		t.Errorf("conditional feed request: %s", resp.Status)
	}
	var all []discover.Candidate
	pages := 0
	for u := srv.URL + corpus.ListPath; u != ""; pages++ {
		_, body := get(strings.TrimPrefix(u, srv.URL))
		cs, next, err := discover.List(body, u, discover.GovDeliveryPattern())
		if err != nil {
			t.Fatal(err)
		}
		all, u = append(all, cs...), next
	}
	if pages != 3 || len(all) != 122 {
		t.Fatalf("%d list pages, %d editions; want 3 and 122", pages, len(all))
	}
	eds := c.Editions()
	for i, cand := range all[:3] {
		if cand.URL != srv.URL+eds[i].Path {
			t.Errorf("list entry %d: %s, want %s", i, cand.URL, eds[i].Path)
		}
		resp, body := get(eds[i].Path)
		want, _ := os.ReadFile(filepath.Join(dir, "accounts", "UKLGA", "bulletins", eds[i].ID+".html"))
		want = bytes.ReplaceAll(want, []byte(corpus.Base), []byte(srv.URL))
		if resp.StatusCode != 200 || !bytes.Equal(body, want) || resp.Header.Get("Content-Type") != "text/html" {
			t.Errorf("edition %s: %s %q", eds[i].ID, resp.Status, resp.Header.Get("Content-Type"))
		}
	}
	if resp, _ := get(corpus.ListPath + "/../x"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown path: %s", resp.Status)
	}
	got := site.Counts()
	if got.Editions != 3 || got.Lists != 3 || got.Feeds != 2 || got.NotMod != 1 {
		t.Errorf("counts %+v", got)
	}
}
