package crawl_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/testenv"
)

// longList serves an archive list of n pages at site.test, one edition a
// page, newest first (page i lists edition n-i), each page linking to the
// next with rel="next"; loopAt > 0 makes page loopAt link back to page 1.
func longList(h *host, n int) {
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("%x", 0x100000+n-i)
		h.Handle(listURL(i), func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, `<html><body><ul><li><a href="/accounts/A/bulletins/%s">Bulletin %s</a></li></ul>`, id, id)
			if i < n {
				fmt.Fprintf(w, `<a rel="next" href="%s">Next</a>`, listURL(i+1))
			}
			fmt.Fprint(w, "</body></html>")
		})
		h.Handle("/accounts/A/bulletins/"+id, tinyEdition(id))
	}
}

// tinyEdition answers with a small edition page of its own, so that every
// edition has a snapshot blob of its own.
func tinyEdition(id string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><body><h1 class="bulletin_subject">Bulletin %s</h1><div class="bulletin_body">`+
			`<h2>News of %s</h2><p>The news of bulletin %s, in a sentence.</p></div></body></html>`, id, id, id)
	}
}

func editionURL(id string) string { return "http://site.test/accounts/A/bulletins/" + id }

// metaFile is where the snapshot store keeps the meta of a URL (see the
// layout in package snapshot).
func metaFile(dir, source, u string) string {
	sum := sha256.Sum256([]byte(u))
	return filepath.Join(dir, "meta", source, hex.EncodeToString(sum[:8])+".json")
}

// TestLongArchive: the first pass walks a list of a few hundred pages to its
// end; the next stops at page 1.
func TestLongArchive(t *testing.T) {
	t.Parallel() // a world, a store and an index of its own
	testArchive(t, 300, false)
}

// TestLostSnapshots: an edition whose snapshot is lost (its meta deleted
// or garbled, its blob damaged) is taken again by the next pass, whatever
// list page it is on, and nothing else is; --refetch walks the whole list
// again.
func TestLostSnapshots(t *testing.T) {
	t.Parallel()
	testArchive(t, 40, true)
}

func testArchive(t *testing.T, pages int, lose bool) {
	w := newWorld(t, "site.test")
	site := w.hosts["site.test"]
	longList(site, pages)
	var logs testenv.LogBuffer
	log := textLogger(&logs)
	dir := t.TempDir()
	c, _ := newCrawlerAt(t, dir, fetch.New(fastFetch(w, log, nil)), log)
	st := c.Store
	src := source(t, `lists = ["http://site.test`+listURL(1)+`"]`)
	ctx := context.Background()
	// listHits counts the requests for each list page. A request the
	// fetch client retried (its time cap is short, and a loaded machine
	// under -race can miss it) counts twice, so passes are compared by the
	// pages they read, not by the number of requests.
	listHits := func() []int {
		hits := make([]int, pages+1)
		for i := 1; i <= pages; i++ {
			hits[i] = site.Hits(listURL(i))
		}
		return hits
	}
	pagesRead := func(before, after []int) (n int) {
		for i := 1; i <= pages; i++ {
			if after[i] > before[i] {
				n++
			}
		}
		return n
	}

	none := make([]int, pages+1)
	sum, err := c.Run(ctx, src, run.Options{})
	first := listHits()
	if n := pagesRead(none, first); err != nil || sum.Fetched != pages || sum.Editions != pages || n != pages {
		t.Fatalf("first pass: %+v, err %v, list pages read %d; want %d of each", sum, err, n, pages)
	}
	sum, err = c.Run(ctx, src, run.Options{})
	second := listHits()
	if n := pagesRead(first, second); err != nil || sum.Fetched != 0 || n != 1 || second[1] == first[1] {
		t.Fatalf("second pass: fetched %d, list pages read %d (want 0, only page 1), err %v", sum.Fetched, n, err)
	}
	if !lose {
		return
	}

	// Lose three snapshots deep in the archive: one meta deleted, one meta
	// garbled, one blob damaged.
	deleted, garbled, damaged := fmt.Sprintf("%x", 0x100000+20), fmt.Sprintf("%x", 0x100000+pages/2+3), fmt.Sprintf("%x", 0x100000+1)
	if err := os.Remove(metaFile(dir, "s", editionURL(deleted))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(metaFile(dir, "s", editionURL(garbled)), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, _, err := st.Get(ctx, "s", editionURL(damaged))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "blobs", m.SHA256[:2], m.SHA256), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := map[string]int{}
	for _, id := range []string{deleted, garbled, damaged} {
		before[id] = site.Hits("/accounts/A/bulletins/" + id)
	}
	sum, err = c.Run(ctx, src, run.Options{})
	if err != nil || sum.Fetched != 3 || sum.Restored != 3 {
		t.Errorf("pass after the loss: %+v, err %v; want 3 fetched and restored", sum, err)
	}
	for id, n := range before {
		if got := site.Hits("/accounts/A/bulletins/" + id); got != n+1 {
			t.Errorf("edition %s fetched %d times after the loss, want once", id, got-n)
		}
		m, ok, err := st.Get(ctx, "s", editionURL(id))
		if err != nil || !ok {
			t.Errorf("edition %s: snapshot not restored: %v", id, err)
			continue
		}
		if _, err := st.Body(ctx, m); err != nil {
			t.Errorf("edition %s: body not restored: %v", id, err)
		}
	}
	third := listHits()
	if n := pagesRead(second, third); n != 1 {
		t.Errorf("list pages read %d, want only page 1: lost editions need no walk of the list", n)
	}
	if logs.Line("snapshot is lost or damaged", "url="+editionURL(deleted)) == "" {
		t.Errorf("no log line names the lost edition %s", deleted)
	}
	sum, err = c.Run(ctx, src, run.Options{})
	if err != nil || sum.Fetched != 0 || sum.Restored != 0 {
		t.Errorf("pass after the repair: %+v, err %v; want nothing to do", sum, err)
	}

	beforeRefetch := listHits()
	sum, err = c.Run(ctx, src, run.Options{Refetch: true})
	if n := pagesRead(beforeRefetch, listHits()); err != nil || sum.Fetched != pages || n != pages {
		t.Errorf("--refetch: fetched %d, list pages read %d; want %d of each", sum.Fetched, n, pages)
	}
	if t.Failed() {
		t.Log(lastLines(logs.String(), 40))
	}
}

// TestLoopingList: a list whose pages lead back to an earlier page, or on
// and on to pages listing nothing new, ends; its editions are all crawled.
func TestLoopingList(t *testing.T) {
	w := newWorld(t, "site.test")
	site := w.hosts["site.test"]
	for i := 1; i <= 3; i++ {
		next := listURL(i + 1)
		if i == 3 {
			next = listURL(1) // back to the start
		}
		id := fmt.Sprintf("%x", 0x200000+i)
		site.Handle(listURL(i), listPage([]string{id}, next))
		site.Handle("/accounts/A/bulletins/"+id, tinyEdition(id))
	}
	// From page 10 on, every page repeats the same edition and links on.
	for i := 10; i <= 60; i++ {
		site.Handle(listURL(i), listPage([]string{"300000"}, listURL(i+1)))
	}
	site.Handle("/accounts/A/bulletins/300000", tinyEdition("300000"))
	var logs testenv.LogBuffer
	log := textLogger(&logs)
	c, ix := newCrawler(t, fetch.New(fastFetch(w, log, nil)), log)
	for _, tt := range []struct {
		start string
		want  int // editions indexed so far
		read  int // list pages read from the start
	}{{listURL(1), 3, 3}, {listURL(10), 4, 2}} {
		src := source(t, `lists = ["http://site.test`+tt.start+`"]`)
		sum, err := c.Run(context.Background(), src, run.Options{})
		if err != nil || ix.Len() != tt.want {
			t.Errorf("list from %s: %+v, err %v, %d editions; want %d", tt.start, sum, err, ix.Len(), tt.want)
		}
		if got := site.Hits(tt.start); got != 1 {
			t.Errorf("list from %s: first page read %d times", tt.start, got)
		}
	}
	if n := site.Hits(listURL(12)); n != 0 {
		t.Errorf("page 12 of a list that repeats itself from page 10 was read %d times", n)
	}
}

// listPage answers with a list page of the given editions and a next link.
func listPage(ids []string, next string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><ul>")
		for _, id := range ids {
			fmt.Fprintf(w, `<li><a href="/accounts/A/bulletins/%s">Bulletin %s</a></li>`, id, id)
		}
		fmt.Fprintf(w, `</ul><a rel="next" href="%s">Next</a></body></html>`, next)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// TestLostSnapshotNotFetchable: an indexed edition whose snapshot is lost
// and which cannot be fetched from the source's hosts (an e-mail's mid:
// address, a web copy elsewhere) is named in the log, not requested, and
// fails nothing.
func TestLostSnapshotNotFetchable(t *testing.T) {
	w := newWorld(t, "site.test", "other.test")
	site := w.hosts["site.test"]
	site.Handle("/feed.rss", rss())
	var logs testenv.LogBuffer
	log := textLogger(&logs)
	c, ix := newCrawler(t, fetch.New(fastFetch(w, log, nil)), log)
	src := source(t, `feeds = ["http://site.test/feed.rss"]`)
	for _, u := range []string{"mid:1234@mail.example", "http://other.test/accounts/A/bulletins/1"} {
		ix.PutEdition(context.Background(), model.Edition{ID: model.EditionID("s", u), Source: "s", URL: u}, nil)
	}
	sum, err := c.Run(context.Background(), src, run.Options{})
	if err != nil || sum.Failed != 0 || sum.Restored != 0 {
		t.Errorf("pass: %+v, err %v", sum, err)
	}
	if w.hosts["other.test"].Hits("/accounts/A/bulletins/1") != 0 {
		t.Error("a page off the source's hosts was requested")
	}
	for _, u := range []string{"mid:1234@mail.example", "http://other.test/accounts/A/bulletins/1"} {
		if logs.Line("not on the source's hosts; import its file again", "url="+u) == "" {
			t.Errorf("no log line names %s", u)
		}
	}
}
