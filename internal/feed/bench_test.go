package feed_test

import (
	"fmt"
	"html"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/feed"
	"github.com/lga-digital/bulletin/internal/model"
)

// realisticFeed builds a feed of n entries from the text of a real edition
// (testdata/articles.txt: headings are the short lines, paragraphs the long
// ones), cycling through its articles.
func realisticFeed(tb testing.TB, n int) feed.Feed {
	tb.Helper()
	data, err := os.ReadFile("testdata/articles.txt")
	if err != nil {
		tb.Fatal(err)
	}
	type article struct {
		title string
		paras []string
	}
	var arts []article
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if len(line) < 100 || len(arts) == 0 {
			arts = append(arts, article{title: line})
			continue
		}
		arts[len(arts)-1].paras = append(arts[len(arts)-1].paras, line)
	}
	f := feed.Feed{
		ID:       "https://bulletin.example/feeds/lga.atom",
		Title:    "LGA Cyber, Digital and Technology Bulletin",
		HomeURL:  "https://content.govdelivery.com/accounts/UKLGA/bulletins",
		SelfURL:  "https://bulletin.example/feeds/lga.atom",
		Author:   "Local Government Association",
		Language: "en-GB",
		Links:    []feed.Link{{Rel: "next", Href: "https://bulletin.example/feeds/lga.atom?page=2"}},
	}
	base := time.Date(2024, 3, 21, 10, 5, 0, 0, time.UTC)
	for i := range n {
		a := arts[i%len(arts)]
		var h strings.Builder
		for _, p := range a.paras {
			fmt.Fprintf(&h, "<p>%s <a href=\"https://www.local.gov.uk/doc-%d.pdf\">Read more</a></p>\n", html.EscapeString(p), i)
		}
		edition := fmt.Sprintf("lga-%07x", 0x392f025+i/10)
		it := model.Item{
			ID:         model.ItemID(edition, a.title),
			EditionID:  edition,
			EditionURL: "https://content.govdelivery.com/accounts/UKLGA/bulletins/" + edition[4:],
			Anchor:     fmt.Sprintf("item-%d", i%10+1),
			Published:  base.AddDate(0, -i/10, 0),
			Section:    "Monthly Highlights",
			Title:      a.title,
			Text:       strings.Join(a.paras, "\n\n"),
			HTML:       h.String(),
			Links:      []model.Link{{URL: fmt.Sprintf("https://www.local.gov.uk/doc-%d.pdf", i), Length: 123456}},
			Orgs:       []string{"NCSC", "DSIT"},
		}
		f.Entries = append(f.Entries, feed.FromItem(feed.Site{Base: "https://bulletin.example"}, it, false))
	}
	return f
}

func benchmarkWriter(b *testing.B, write func(io.Writer, feed.Feed) error) {
	f := realisticFeed(b, 50)
	var size countWriter
	if err := write(&size, f); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if err := write(io.Discard, f); err != nil {
			b.Fatal(err)
		}
	}
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

func BenchmarkWriteRSS(b *testing.B)  { benchmarkWriter(b, feed.WriteRSS) }
func BenchmarkWriteAtom(b *testing.B) { benchmarkWriter(b, feed.WriteAtom) }
func BenchmarkWriteJSON(b *testing.B) { benchmarkWriter(b, feed.WriteJSON) }

// TestRealisticFeed checks the benchmark's input is what it claims to be.
func TestRealisticFeed(t *testing.T) {
	f := realisticFeed(t, 50)
	if len(f.Entries) != 50 {
		t.Fatalf("%d entries", len(f.Entries))
	}
	e := f.Entries[0]
	if e.Title == "" || len(e.ContentHTML) < 200 || len(e.Enclosures) != 1 {
		t.Errorf("first entry too thin: %+v", e)
	}
}
