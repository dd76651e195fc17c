package index_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/model"
)

// TestArchiveOrder: editions whose only date is their issue line's month
// (the 1st, midnight London) are listed in the archive's order among the
// editions of that month, not all after them; items of editions sharing a
// date never interleave; the order holds after the index is closed and
// opened again.
func TestArchiveOrder(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2024, time.June, d, 9, 30, 0, 0, london).UTC() }
	first := time.Date(2024, time.June, 1, 0, 0, 0, 0, london).UTC() // 2024-05-31T23:00Z
	eds := []struct {
		n         int
		published time.Time
		monthOnly bool
	}{
		{55, time.Date(2024, time.May, 30, 9, 0, 0, 0, london).UTC(), false},
		{56, day(3), false},
		{57, day(4), false},
		{58, first, true},
		{59, first, true},
		{60, day(7), false},
		{61, time.Date(2024, time.July, 1, 0, 0, 0, 0, london).UTC(), true},
	}
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Put in an order unlike the archive's, as a reindex (by URL) may.
	for _, i := range []int{3, 0, 6, 4, 1, 5, 2} {
		e := eds[i]
		url := fmt.Sprintf("https://content.govdelivery.com/accounts/X/bulletins/%x", 0x3000000+e.n)
		ed := model.Edition{ID: model.EditionID("s", url), Source: "s", URL: url, Number: e.n, Title: fmt.Sprintf("Bulletin %d", e.n),
			Published: e.published, DateFromIssueLine: e.monthOnly, Order: int64(0x3000000 + e.n), ItemCount: 2}
		var items []model.Item
		for pos := 1; pos <= 2; pos++ {
			title := fmt.Sprintf("Article %d of %d", pos, e.n)
			items = append(items, model.Item{ID: model.ItemID(ed.ID, title), Source: "s", EditionID: ed.ID, EditionURL: url,
				EditionNumber: e.n, EditionTitle: ed.Title, Published: ed.Published, EditionOrder: ed.Order, Position: pos,
				Title: title, Text: "Shared words of every article."})
		}
		if err := ix.PutEdition(ctx, ed, items); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		t.Helper()
		all, err := ix.Editions(ctx, "s")
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, ed := range all {
			got = append(got, ed.Number)
		}
		if want := []int{61, 60, 59, 58, 57, 56, 55}; !slices.Equal(got, want) {
			t.Errorf("%s: Editions = %v, want %v", when, got, want)
		}
		latest, _, err := ix.LatestEditions(ctx, "s", 5)
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, ed := range latest {
			got = append(got, ed.Number)
		}
		if want := []int{61, 60, 59, 58, 57}; !slices.Equal(got, want) {
			t.Errorf("%s: LatestEditions = %v, want %v", when, got, want)
		}
		// Items by date: 59's and 58's share a date and must not interleave.
		for _, q := range []string{"", "shared"} {
			for _, sort := range []string{"date", "relevance"} {
				res, err := ix.Search(ctx, index.Request{Query: q, Sort: sort, Size: 50})
				if err != nil {
					t.Fatal(err)
				}
				var titles []string
				for _, h := range res.Hits {
					if h.Item.EditionNumber == 58 || h.Item.EditionNumber == 59 {
						titles = append(titles, h.Item.Title)
					}
				}
				want := []string{"Article 1 of 59", "Article 2 of 59", "Article 1 of 58", "Article 2 of 58"}
				if !slices.Equal(titles, want) {
					t.Errorf("%s: search %q by %s: %q, want %q", when, q, sort, titles, want)
				}
			}
		}
	}
	check("after put")
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if ix, err = index.Open(dir); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	check("after reopening")
}
