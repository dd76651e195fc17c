package crawl

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/snapshot"
	"github.com/lga-digital/bulletin/internal/testenv"
	"github.com/lga-digital/bulletin/internal/testsite"
)

// lengths maps every document link of the indexed items to its length.
func lengths(ix *testenv.MemIndex) map[string]int64 {
	out := map[string]int64{}
	for _, it := range ix.AllItems() {
		for _, l := range it.Links {
			if l.Type != "" {
				out[l.URL] = l.Length
			}
		}
	}
	return out
}

// encSite is the fixture site plus its attachments: one PDF with a
// Content-Length, one that is missing. It counts HEAD requests per path.
type encSite struct {
	*httptest.Server
	heads testenv.Hits
}

const (
	encPDF     = "/attachments/UKLGA/2024/11/05/file_attachments/3021/Digitalisation-Framework.pdf"
	encMissing = "/attachments/UKLGA/2024/11/05/file_attachments/3022/St-Helens-case-study.pdf"
	encPDFSize = 123456
)

func newEncSite(t *testing.T) *encSite {
	s := &encSite{}
	site := testsite.Handler()
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			s.heads.Add(r.URL.Path)
		}
		if r.URL.Path == encPDF {
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Length", strconv.Itoa(encPDFSize))
			if r.Method == http.MethodGet {
				w.Write(make([]byte, encPDFSize))
			}
			return
		}
		site.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func encSource(site *encSite) *config.Source {
	src := &config.Source{ID: "lga-cdt", Title: "LGA", Hosts: []string{"127.0.0.1"}, AllowPrivate: true}
	for _, fx := range testsite.Editions() {
		if fx.Series {
			src.Editions = append(src.Editions, site.URL+fx.Path)
		}
	}
	return src
}

func TestDocumentLengthsFromHEAD(t *testing.T) {
	site := newEncSite(t)
	store, err := snapshot.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ix := testenv.NewMemIndex()
	log := slog.New(slog.DiscardHandler)
	c := &Crawler{Fetch: fetch.New(fetch.Options{Retries: -1}), Store: store, Index: ix, Log: log}
	src := encSource(site)
	ctx := context.Background()

	if _, err := c.Run(ctx, src, run.Options{}); err != nil {
		t.Fatalf("crawl: %v (a failed HEAD must not fail the crawl)", err)
	}
	got := lengths(ix)
	pdf, missing := site.URL+encPDF, site.URL+encMissing
	if got[pdf] != encPDFSize {
		t.Errorf("length of %s = %d, want %d (lengths %v)", pdf, got[pdf], encPDFSize, got)
	}
	if l, ok := got[missing]; !ok || l != 0 {
		t.Errorf("length of the missing document = %d (listed %v), want 0", l, ok)
	}
	if n := site.heads.Of(encPDF); n != 1 {
		t.Errorf("%d HEADs of a document linked from several editions, want 1", n)
	}

	// A refetch reads the kept answer; it does not ask again.
	if _, err := c.Run(ctx, src, run.Options{Refetch: true}); err != nil {
		t.Fatal(err)
	}
	if n := site.heads.Of(encPDF); n != 1 {
		t.Errorf("a second crawl sent HEAD again: %d", n)
	}

	// A reindex, with no network at all, gives the same lengths.
	site.Close()
	ix2 := testenv.NewMemIndex()
	r := &Crawler{Store: store, Index: ix2, Log: log}
	if _, err := r.Reindex(ctx, src, nil); err != nil {
		t.Fatal(err)
	}
	if l := lengths(ix2)[pdf]; l != encPDFSize {
		t.Errorf("after reindex the length is %d, want %d", l, encPDFSize)
	}
}

func TestDocumentLengthsBounds(t *testing.T) {
	site := newEncSite(t)
	store, err := snapshot.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	src := encSource(site)
	p := &pass{Crawler: &Crawler{Fetch: fetch.New(fetch.Options{Retries: -1}), Store: store, Log: slog.New(slog.DiscardHandler)},
		src: src, down: map[string]bool{}}
	var links []model.Link
	for i := range MaxHeadsPerEdition + 5 {
		links = append(links, model.Link{URL: site.URL + "/attachments/doc-" + strconv.Itoa(i) + ".pdf", Type: "application/pdf"})
	}
	links = append(links,
		model.Link{URL: "https://www.local.gov.uk/sites/default/files/report.pdf", Type: "application/pdf"}, // another host
		model.Link{URL: site.URL + "/accounts/UKLGA/bulletins", Text: "not a document"},
		model.Link{URL: site.URL + encPDF, Type: "application/pdf", Length: 42}, // already known
	)
	items := []model.Item{{Links: links}}
	p.documentLengths(context.Background(), items)
	if n := site.heads.Total(); n != MaxHeadsPerEdition {
		t.Errorf("%d HEADs for one edition, want the bound %d", n, MaxHeadsPerEdition)
	}
	for _, l := range items[0].Links {
		if l.URL == site.URL+encPDF && l.Length != 42 {
			t.Errorf("a known length was changed to %d", l.Length)
		}
	}
	for _, tt := range []struct {
		url  string
		want bool
	}{
		{site.URL + "/a.pdf", true},
		{strings.Replace(site.URL, "127.0.0.1", "localhost", 1) + "/a.pdf", false},
		{"https://www.local.gov.uk/a.pdf", false},
		{"ftp://127.0.0.1/a.pdf", false},
		{"::", false},
	} {
		if got := p.ownHost(tt.url); got != tt.want {
			t.Errorf("ownHost(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}
