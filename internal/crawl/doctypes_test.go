package crawl

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/feed"
	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/parse"
	"github.com/lga-digital/bulletin/internal/snapshot"
)

// headRecorder answers every HEAD with a length and records its URL.
type headRecorder struct {
	mu   sync.Mutex
	urls []string
}

func (h *headRecorder) Do(_ context.Context, req fetch.Request) (*fetch.Response, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.urls = append(h.urls, req.URL)
	return &fetch.Response{URL: req.URL, Status: 200, Length: 1234, FetchedAt: time.Now()}, nil
}

// TestHeadsAreEnclosures checks that the crawl asks the length of exactly
// the links the feeds enclose: one media-type table (model.DocumentType)
// decides both, so no HEAD request is spent on a link no feed uses.
func TestHeadsAreEnclosures(t *testing.T) {
	const host = "https://content.govdelivery.com/attachments/UKLGA/"
	// At most MaxHeadsPerEdition documents, so that the cap sends none away.
	links := []string{"report.pdf", "DATA.ZIP", "form.docx", "sheet.xlsx", "slides.pptx", "table.csv",
		"notes.odt", "old.ppt", "page.html", "photo.jpg", "readme.txt", "folder/", "report.pdf?download=1"}
	page := `<html><head><title>Bulletin</title></head><body><div id="bulletin_body"><h2>Downloads</h2><p>Read these:`
	for _, l := range links {
		page += ` <a href="` + host + l + `">` + l + `</a>`
	}
	page += `</p></div></body></html>`
	res, err := parse.Parse([]byte(page), "text/html", "https://content.govdelivery.com/accounts/UKLGA/bulletins/1a", parse.Options{Source: "s"})
	if err != nil || len(res.Items) != 1 {
		t.Fatalf("parse: %v, %d items", err, len(res.Items))
	}
	store, err := snapshot.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rec := &headRecorder{}
	p := &pass{Crawler: &Crawler{Fetch: rec, Store: store, Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
		src:  &config.Source{ID: "s", Hosts: []string{"content.govdelivery.com"}},
		down: map[string]bool{}}
	items := res.Items
	p.documentLengths(context.Background(), items)

	var enclosed []string
	for _, e := range feed.FromItem(feed.Site{}, items[0], false).Enclosures {
		enclosed = append(enclosed, e.URL)
		if e.Length != 1234 {
			t.Errorf("enclosure %s has length %d, want the HEAD's 1234", e.URL, e.Length)
		}
	}
	sort.Strings(enclosed)
	heads := slices.Clone(rec.urls)
	sort.Strings(heads)
	if !slices.Equal(heads, enclosed) {
		t.Errorf("HEAD requests\n  %v\nenclosures\n  %v", heads, enclosed)
	}
	if !slices.Contains(enclosed, host+"DATA.ZIP") || slices.Contains(enclosed, host+"page.html") {
		t.Errorf("enclosures %v: want the .zip, not the .html", enclosed)
	}
}
