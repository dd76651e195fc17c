package main_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/testsite"
)

// TestTopicFeedEndToEnd: a source configured by a GovDelivery topic code
// alone crawls the topic feed, whose items carry their bulletins' whole
// bodies: those are editions without any request for their pages, titled
// and dated by their feed items; the item with only a summary leads to its
// page. A second crawl changes nothing, and a reindex from the snapshots,
// offline, gives the same editions and articles.
func TestTopicFeedEndToEnd(t *testing.T) {
	e2e(t, "builds and runs the binary")
	site := testsite.Start(t)
	e := newEnvAt(t, site, fmt.Sprintf(`
[[source]]
id = "hbc"
title = "Harbourside Borough Council news"
govdelivery = "HBCUK_12"
govdelivery_base = %q
allow_private = true
delay = "0s"
`, site.URL))
	fixtures := testsite.TopicEditions()

	out := e.mustRun("config", "check")
	if !strings.Contains(out, site.URL+testsite.TopicFeedPath) {
		t.Errorf("config check does not show the topic feed URL:\n%s", out)
	}

	out = e.mustRun("crawl")
	if got, want := summaryRow(t, out, "hbc"), []int{4, 1, 3, 0, 4}; !slices.Equal(got, want) {
		t.Errorf("first crawl: discovered, fetched, from feed, restored, editions = %v, want %v\n%s", got, want, out)
	}
	hits := func() map[string]int {
		m := map[string]int{}
		for _, f := range fixtures {
			m[f.ID] = site.Hits(f.Path)
		}
		return m
	}
	firstHits := hits()
	for _, f := range fixtures {
		if want := map[bool]int{true: 0, false: 1}[f.FeedBody]; firstHits[f.ID] != want {
			t.Errorf("edition %s (body in the feed: %v): page requested %d times, want %d", f.ID, f.FeedBody, firstHits[f.ID], want)
		}
	}

	first := topicState(t, e)
	var wantTitles []string
	for _, f := range fixtures {
		wantTitles = append(wantTitles, f.Title)
		ed, ok := first.editions[f.Title]
		if !ok {
			t.Errorf("edition %q missing; have %v", f.Title, first.order)
			continue
		}
		if !ed.Published.Equal(f.Published) {
			t.Errorf("edition %q published %v, want %v", f.Title, ed.Published, f.Published)
		}
		for _, title := range f.Items {
			if !slices.Contains(first.items[f.Title], title) {
				t.Errorf("edition %q lacks the article %q; has %q", f.Title, title, first.items[f.Title])
			}
		}
	}
	if !slices.Equal(first.order, wantTitles) {
		t.Errorf("editions in order %q, want newest first %q", first.order, wantTitles)
	}

	// A second crawl requests no edition page and changes nothing.
	out = e.mustRun("crawl")
	if got, want := summaryRow(t, out, "hbc"), []int{4, 0, 0, 0, 0}; !slices.Equal(got, want) {
		t.Errorf("second crawl: %v, want %v\n%s", got, want, out)
	}
	if got := hits(); !maps2Equal(got, firstHits) {
		t.Errorf("second crawl requested edition pages: %v, before %v", got, firstHits)
	}
	if second := topicState(t, e); second.raw != first.raw {
		t.Errorf("second crawl changed the index:\n%s\nwas\n%s", second.raw, first.raw)
	}

	// Reindex, offline, parses the kept bodies with the same titles and dates.
	site.Close()
	e.mustRun("reindex")
	if third := topicState(t, e); third.raw != first.raw {
		t.Errorf("reindex changed the index:\n%s\nwas\n%s", third.raw, first.raw)
	}
}

// summaryRow reads the DISCOVERED, FETCHED, FROM_FEED, RESTORED and
// EDITIONS columns of a source's row of the crawl summary.
func summaryRow(t *testing.T, out, source string) []int {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 6 && f[0] == source {
			var n []int
			for _, s := range f[1:6] {
				var v int
				fmt.Sscan(s, &v)
				n = append(n, v)
			}
			return n
		}
	}
	t.Fatalf("no summary row for %s in %q", source, out)
	return nil
}

func maps2Equal(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// topicEdition is what the API says of an edition.
type topicEdition struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Published time.Time `json:"published"`
	ItemCount int       `json:"item_count"`
}

// topicIndex is what the served API shows of the hbc source.
type topicIndex struct {
	raw      string // the editions and articles as the API gives them
	order    []string
	editions map[string]topicEdition
	items    map[string][]string // article titles by edition title
}

// topicState serves the index and reads the source's editions and articles.
func topicState(t *testing.T, e *env) topicIndex {
	t.Helper()
	stop := e.serve()
	defer stop()
	st := topicIndex{editions: map[string]topicEdition{}, items: map[string][]string{}}
	code, _, body := e.get("/api/editions?source=hbc")
	var eds struct{ Editions []topicEdition }
	if code != 200 || json.Unmarshal(body, &eds) != nil {
		t.Fatalf("/api/editions: %d %s", code, body)
	}
	var raw strings.Builder
	raw.Write(body)
	for _, ed := range eds.Editions {
		st.order = append(st.order, ed.Title)
		st.editions[ed.Title] = ed
	}
	code, _, body = e.get("/api/search?source=hbc&sort=date&size=100")
	var res struct {
		Hits []struct {
			ID, Title string
			Edition   struct{ Title string }
		}
	}
	if code != 200 || json.Unmarshal(body, &res) != nil {
		t.Fatalf("/api/search: %d %s", code, body)
	}
	for _, h := range res.Hits {
		st.items[h.Edition.Title] = append(st.items[h.Edition.Title], h.Title)
		fmt.Fprintf(&raw, "\n%s %s", h.ID, h.Title)
	}
	st.raw = raw.String()
	return st
}
