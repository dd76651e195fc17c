package crawl_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/testenv"
)

// feedEntry is one item of a topic feed: a body when it carries the whole
// bulletin, else a summary.
type feedEntry struct {
	id, title string
	published time.Time
	body      string
}

// topicFeed serves entries as a GovDelivery topic feed at path.
type topicFeed struct {
	mu      sync.Mutex
	entries []feedEntry
}

func (f *topicFeed) set(entries ...feedEntry) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.entries = entries
}

func (f *topicFeed) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Topic</title><link>http://site.test/</link><description>d</description>`)
	for _, e := range f.entries {
		desc := e.body
		if desc == "" {
			desc = "<p>" + e.title + ": a short summary.</p>"
		}
		fmt.Fprintf(w, "<item><title>%s</title><link>%s</link><pubDate>%s</pubDate><description>%s</description></item>",
			html.EscapeString(e.title), editionURL(e.id), e.published.Format(time.RFC1123Z), html.EscapeString(desc))
	}
	fmt.Fprint(w, "</channel></rss>")
}

// gdBody is a body in the legacy gd_ab family with no subject or date of
// its own, whose articles are the given h2 headings.
func gdBody(heads ...string) string {
	var b strings.Builder
	b.WriteString(`<table id="gd_ab_main_tab" width="100%"><tr><td id="gd_ab_header"><p>Harbourside Borough Council</p></td></tr><tr><td id="gd_ab_main_body">`)
	for _, h := range heads {
		fmt.Fprintf(&b, "<h2>%s</h2><p>Members heard about %s and agreed the next steps with the officers who will carry them out this spring.</p>", h, strings.ToLower(h))
	}
	b.WriteString(`</td></tr></table>`)
	return b.String()
}

// TestFeedBodies: a feed entry that carries the whole bulletin is the
// edition, with no request for its page; its title and date come from the
// entry and survive a reindex; an entry with a summary leads to its page;
// the match pattern is tried on the entry's title; a second pass changes
// nothing, and a changed body is taken again.
func TestFeedBodies(t *testing.T) {
	w := newWorld(t, "site.test")
	site := w.hosts["site.test"]
	feed := &topicFeed{}
	site.Handle("/accounts/A/topics/A_1/feed.rss", feed.ServeHTTP)
	mar := time.Date(2025, 3, 4, 23, 45, 0, 0, time.UTC)
	feb := time.Date(2025, 2, 18, 19, 10, 0, 0, time.UTC)
	feed.set(
		feedEntry{"3a0c1f2", "March 4, 2025 Council Highlights", mar, gdBody("Harbour wall repairs", "Library hours")},
		feedEntry{"3a0b9e4", "February 25, 2025 Council Highlights", feb.AddDate(0, 0, 7), ""},
		feedEntry{"3a0a771", "February 18, 2025 Council Highlights", feb, gdBody("Bus shelters", "Allotments")},
		feedEntry{"3a0a002", "Spring clean volunteers", feb, gdBody("Beach clean", "Park clean")},
	)
	site.Handle("/accounts/A/bulletins/3a0b9e4", tinyEdition("Council Highlights 3a0b9e4"))
	for _, id := range []string{"3a0c1f2", "3a0a771", "3a0a002"} {
		site.Handle("/accounts/A/bulletins/"+id, tinyEdition(id))
	}
	var logs testenv.LogBuffer
	log := textLogger(&logs)
	dir := t.TempDir()
	c, ix := newCrawlerAt(t, dir, fetch.New(fastFetch(w, log, nil)), log)
	src := source(t, "feeds = [\"http://site.test/accounts/A/topics/A_1/feed.rss\"]\nmatch = \"Council Highlights\"")
	ctx := context.Background()

	sum, err := c.Run(ctx, src, run.Options{})
	if err != nil || sum.FromFeed != 3 || sum.Fetched != 1 || sum.Editions != 3 || sum.Skipped != 1 {
		t.Fatalf("first pass: %+v, err %v; want 3 from the feed, 1 fetched, 3 indexed, 1 skipped", sum, err)
	}
	for _, id := range []string{"3a0c1f2", "3a0a771", "3a0a002"} {
		if n := site.Hits("/accounts/A/bulletins/" + id); n != 0 {
			t.Errorf("page of %s requested %d times; its body was in the feed", id, n)
		}
	}
	if site.Hits("/accounts/A/bulletins/3a0b9e4") != 1 {
		t.Error("the page of the entry with a summary was not fetched")
	}
	check := func(ix *testenv.MemIndex, when string) {
		for _, want := range []struct {
			id, title string
			published time.Time
		}{{"3a0c1f2", "March 4, 2025 Council Highlights", mar}, {"3a0a771", "February 18, 2025 Council Highlights", feb}} {
			ed, ok, _ := ix.Edition(ctx, model.EditionID("s", editionURL(want.id)))
			if !ok || ed.Title != want.title || !ed.Published.Equal(want.published) || ed.ItemCount != 2 {
				t.Errorf("%s: edition %s = %q %v %d items (found %v); want %q %v 2 items", when, want.id, ed.Title, ed.Published, ed.ItemCount, ok, want.title, want.published)
			}
			if ed.Order != 0x3a0c1f2 && ed.Order != 0x3a0a771 {
				t.Errorf("%s: edition %s order %x", when, want.id, ed.Order)
			}
		}
		if ix.Has("s", editionURL("3a0a002")) {
			t.Errorf("%s: the bulletin of another series was indexed", when)
		}
	}
	check(ix, "crawl")
	m, ok, err := c.Store.Get(ctx, "s", editionURL("3a0c1f2"))
	if err != nil || !ok || m.Carrier == nil || m.Carrier.Subject != "March 4, 2025 Council Highlights" || !m.Carrier.Published.Equal(mar) {
		t.Errorf("snapshot meta %+v (%v, %v): want the entry's title and date as its carrier", m, ok, err)
	}

	// Reindex from the snapshots alone gives the same editions.
	re := &crawl.Crawler{Store: c.Store, Index: testenv.NewMemIndex(), Log: log}
	if _, err := re.Reindex(ctx, src, nil); err != nil {
		t.Fatal(err)
	}
	check(re.Index.(*testenv.MemIndex), "reindex")

	puts := ix.Puts()
	sum, err = c.Run(ctx, src, run.Options{})
	if err != nil || sum.FromFeed != 0 || sum.Fetched != 0 || sum.Editions != 0 || ix.Puts() != puts {
		t.Errorf("second pass: %+v, err %v, %d puts; want nothing done", sum, err, ix.Puts()-puts)
	}

	// A corrected body in the feed is taken again, still with no request.
	feed.set(feedEntry{"3a0c1f2", "March 4, 2025 Council Highlights", mar, gdBody("Harbour wall repairs", "Library hours", "Correction")})
	sum, err = c.Run(ctx, src, run.Options{})
	if err != nil || sum.FromFeed != 1 || sum.Editions != 1 || sum.Fetched != 0 {
		t.Errorf("pass with a changed body: %+v, err %v", sum, err)
	}
	if ed, _, _ := ix.Edition(ctx, model.EditionID("s", editionURL("3a0c1f2"))); ed.ItemCount != 3 {
		t.Errorf("changed body: %d items, want 3", ed.ItemCount)
	}

	// A lost snapshot of an edition taken from the feed is taken from the
	// feed again.
	if err := os.Remove(metaFile(dir, "s", editionURL("3a0c1f2"))); err != nil {
		t.Fatal(err)
	}
	sum, err = c.Run(ctx, src, run.Options{})
	if err != nil || sum.FromFeed != 1 || sum.Restored != 1 || sum.Fetched != 0 {
		t.Errorf("pass after losing a snapshot: %+v, err %v", sum, err)
	}
	if n := site.Hits("/accounts/A/bulletins/3a0c1f2"); n != 0 {
		t.Errorf("page requested %d times", n)
	}
	if t.Failed() {
		t.Log(lastLines(logs.String(), 30))
	}
}
