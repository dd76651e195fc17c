package feed_test

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lga-digital/bulletin/internal/feed"
	"github.com/lga-digital/bulletin/internal/model"
)

const edURL = "https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025"

func sampleItem() model.Item {
	return model.Item{
		ID:           "lga-392f025-0a1b2c3d4e",
		Source:       "lga",
		EditionID:    "lga-392f025",
		EditionURL:   edURL,
		EditionTitle: "LGA Cyber, Digital and Technology Bulletin - 19",
		Published:    published1,
		Position:     2,
		Anchor:       "skills-framework",
		Section:      "Monthly Highlights",
		Title:        "A cyber, digital, data and technology skills framework for local government",
		Text:         "Last week, we launched a draft framework of the cyber, digital, data, and technology skills.\n\nPlease submit your views by 29 March 2024.",
		HTML:         "<p>Last week, we launched a <a href=\"https://www.local.gov.uk/framework.pdf\">draft framework</a>.</p>",
		Links: []model.Link{
			{URL: "https://www.local.gov.uk/framework.pdf", Text: "draft framework", Length: 2048},
			{URL: "https://www.local.gov.uk/framework.pdf", Text: "again"},
			{URL: "https://www.local.gov.uk/page"},
			{URL: "https://example.org/Data.XLSX?download=1#sheet"},
			{URL: "https://example.org/download?id=7", Type: "application/pdf", Length: 99},
			{URL: "https://example.org/slides.pptx", Type: "application/octet-stream"},
			{URL: "https://example.org/notes.odt", Type: "application/vnd.oasis.opendocument.text; charset=binary"},
			{URL: "https://example.org/image.png", Type: "image/png"},
			{URL: "https://example.org/blob", Type: "application/octet-stream"},
			{URL: "  "},
		},
		Orgs: []string{"DSIT", "Monthly Highlights", "", "CCS"},
	}
}

// site is bulletin's own pages, under a base URL with a path.
var site = feed.Site{Base: "https://bulletin.example/news/"}

func TestFromItem(t *testing.T) {
	it := sampleItem()
	e := feed.FromItem(site, it, false)
	if e.ID != "urn:bulletin:item:lga-392f025-0a1b2c3d4e" {
		t.Errorf("ID = %q", e.ID)
	}
	if e.URL != "https://bulletin.example/news/items/lga-392f025-0a1b2c3d4e" || e.Title != it.Title || e.ContentHTML != it.HTML {
		t.Errorf("URL %q, title %q, content %q", e.URL, e.Title, e.ContentHTML)
	}
	if e.Via != edURL+"#skills-framework" || e.ViaTitle != it.EditionTitle {
		t.Errorf("via %q %q", e.Via, e.ViaTitle)
	}
	// Position 2 of its edition: 98 seconds after the send time.
	if want := published1.Add(98 * time.Second); !e.Published.Equal(want) || !e.Updated.Equal(want) {
		t.Errorf("published %v, updated %v, want %v", e.Published, e.Updated, want)
	}
	if want := []string{"Monthly Highlights", "DSIT", "CCS"}; !slices.Equal(e.Categories, want) {
		t.Errorf("categories = %q, want %q", e.Categories, want)
	}
	want := []feed.Enclosure{
		{URL: "https://www.local.gov.uk/framework.pdf", Type: "application/pdf", Length: 2048},
		{URL: "https://example.org/Data.XLSX?download=1#sheet", Type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{URL: "https://example.org/download?id=7", Type: "application/pdf", Length: 99},
		{URL: "https://example.org/slides.pptx", Type: "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
		{URL: "https://example.org/notes.odt", Type: "application/vnd.oasis.opendocument.text; charset=binary"},
	}
	if !slices.Equal(e.Enclosures, want) {
		t.Errorf("enclosures =\n%+v\nwant\n%+v", e.Enclosures, want)
	}
	if want := "Last week, we launched a draft framework of the cyber, digital, data, and technology skills.\n\nPlease submit your views by 29 March 2024."; e.Summary != want {
		t.Errorf("summary = %q, want %q", e.Summary, want)
	}

	short := feed.FromItem(site, it, true)
	if short.ContentHTML != "" || short.ID != e.ID || short.Summary != e.Summary {
		t.Errorf("summary-only: content %q, id %q", short.ContentHTML, short.ID)
	}

	// No id yet: the model's stable derivation, never an empty GUID.
	it.ID = ""
	if got, want := feed.FromItem(site, it, false).ID, "urn:bulletin:item:"+model.ItemID("lga-392f025", it.Title); got != want {
		t.Errorf("derived ID = %q, want %q", got, want)
	}
	// A zero Site links to the original edition and has no via.
	if z := feed.FromItem(feed.Site{}, sampleItem(), false); z.URL != edURL+"#skills-framework" || z.Via != "" {
		t.Errorf("zero site: URL %q, via %q", z.URL, z.Via)
	}
}

// TestItemTime: the articles of one edition get distinct times in the
// bulletin's order, the same for the same edition time and position, never
// before the edition's own time.
func TestItemTime(t *testing.T) {
	it := sampleItem()
	var prev time.Time
	for pos := 1; pos <= 100; pos++ {
		it.Position = pos
		got := feed.ItemTime(it)
		if got.Before(it.Published) || got.After(it.Published.Add(99*time.Second)) {
			t.Fatalf("position %d: %v outside the edition's 100 seconds", pos, got)
		}
		if pos > 1 && !got.Before(prev) {
			t.Fatalf("position %d: %v not before position %d's %v", pos, got, pos-1, prev)
		}
		if !feed.ItemTime(it).Equal(got) {
			t.Fatal("not stable")
		}
		prev = got
	}
	it.Position = 0
	if got := feed.ItemTime(it); !got.Equal(it.Published.Add(99 * time.Second)) {
		t.Errorf("position 0: %v", got)
	}
	it.Published = time.Time{}
	if !feed.ItemTime(it).IsZero() {
		t.Error("undated item got a time")
	}
}

func TestFromEdition(t *testing.T) {
	ed := model.Edition{
		ID:            "lga-392f025",
		Source:        "lga",
		URL:           edURL,
		Number:        19,
		Title:         "LGA Cyber, Digital and Technology Bulletin - 19",
		IssueLine:     "March 2024 No.19",
		Published:     published1,
		Editorial:     "Dear colleague\n\nWelcome to the nineteenth edition of the LGA’s Cyber, Digital and Technology Bulletin.",
		EditorialHTML: "<p>Dear colleague</p><p>Welcome to the nineteenth edition.</p>",
	}
	first := sampleItem()
	first.Position, first.Anchor, first.Title, first.Section = 1, "ai", "Pro-innovation approach to AI regulation <policy> brief & more", ""
	other := sampleItem()
	other.EditionID, other.Title = "lga-3bf5353", "From another edition"
	items := []model.Item{sampleItem(), other, first}

	e := feed.FromEdition(site, ed, items, false)
	if e.ID != "urn:bulletin:edition:lga-392f025" || e.URL != "https://bulletin.example/news/editions/lga-392f025" || e.Via != edURL {
		t.Errorf("ID %q, URL %q, via %q", e.ID, e.URL, e.Via)
	}
	if e.Title != "LGA Cyber, Digital and Technology Bulletin - 19 (March 2024 No.19)" {
		t.Errorf("title = %q", e.Title)
	}
	if e.Summary != "Dear colleague\n\nWelcome to the nineteenth edition of the LGA’s Cyber, Digital and Technology Bulletin." {
		t.Errorf("summary = %q", e.Summary)
	}
	wantHTML := `<p>Dear colleague</p><p>Welcome to the nineteenth edition.</p>
<h2>In this edition</h2>
<ul>
<li><a href="https://bulletin.example/news/items/lga-392f025-0a1b2c3d4e">Pro-innovation approach to AI regulation &lt;policy&gt; brief &amp; more</a></li>
<li><a href="https://bulletin.example/news/items/lga-392f025-0a1b2c3d4e">A cyber, digital, data and technology skills framework for local government</a></li>
</ul>
`
	if e.ContentHTML != wantHTML {
		t.Errorf("content =\n%s\nwant\n%s", e.ContentHTML, wantHTML)
	}
	if !slices.Equal(e.Categories, []string{"Monthly Highlights"}) {
		t.Errorf("categories = %q", e.Categories)
	}
	if !e.Published.Equal(published1) {
		t.Errorf("published = %v", e.Published)
	}
	if s := feed.FromEdition(site, ed, items, true); s.ContentHTML != "" || s.Summary != e.Summary {
		t.Errorf("summary-only: content %q", s.ContentHTML)
	}

	// No editorial: the summary lists the articles; a title that already
	// holds the issue line is left alone.
	ed.Editorial, ed.EditorialHTML, ed.Title = "", "", "Bulletin March 2024 No.19"
	e = feed.FromEdition(site, ed, items, false)
	if e.Title != "Bulletin March 2024 No.19" {
		t.Errorf("title = %q", e.Title)
	}
	if !strings.HasPrefix(e.Summary, "2 articles:\nPro-innovation") {
		t.Errorf("summary = %q", e.Summary)
	}
	if !strings.HasPrefix(e.ContentHTML, "<h2>In this edition</h2>") {
		t.Errorf("content = %q", e.ContentHTML)
	}
}

func TestSummarize(t *testing.T) {
	long := strings.Repeat("word ", 60) // 299 runes once trimmed
	for _, tc := range []struct {
		name, in string
		n        int
		want     string
	}{
		{"empty", "", 10, ""},
		{"short", "  a  b\n\nc ", 10, "a b\n\nc"},
		{"structure kept", "Day 1:  13 June\nDay 2: 14 June\n\n\n\n  cyber@local.gov.uk  ", 100, "Day 1: 13 June\nDay 2: 14 June\n\ncyber@local.gov.uk"},
		{"cut at a line break", "abcde\nfghij", 8, "abcde…"},
		{"crlf", "a\r\nb", 10, "a\nb"},
		{"exact", "abcde fghij", 11, "abcde fghij"},
		{"word boundary", "abcde fghij", 8, "abcde…"},
		{"boundary on a space", "abcde fghij", 5, "abcde…"},
		{"trailing punctuation", "Hello, world again", 8, "Hello…"},
		{"one long word", "abcdefghij", 4, "abcd…"},
		{"multibyte", "ééééé ééééé", 8, "ééééé…"},
		{"long", long, 300, strings.TrimSpace(long)},
		{"longer", long + long, 300, strings.TrimSpace(strings.Repeat("word ", 60)) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := feed.Summarize(tc.in, tc.n)
			if got != tc.want {
				t.Errorf("Summarize(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
			}
			if utf8.RuneCountInString(strings.TrimSuffix(got, "…")) > tc.n {
				t.Errorf("longer than %d runes: %q", tc.n, got)
			}
		})
	}
}

func TestTextHTML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"a & b", "<p>a &amp; b</p>"},
		{"one\ntwo\n\nthree", "<p>one<br>two</p><p>three</p>"},
		{`<img src=x onerror="alert(1)">`, "<p>&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</p>"},
		{"&lt;script&gt;", "<p>&amp;lt;script&amp;gt;</p>"},
	} {
		if got := feed.TextHTML(tc.in); got != tc.want {
			t.Errorf("TextHTML(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSentenceOfDeadline(t *testing.T) {
	it := sampleItem()
	for _, tc := range []struct{ text, want string }{
		{"closes Monday 25 September", "Closes Monday 25 September."},
		{"by 29 March 2024.", "By 29 March 2024."},
		{"  deadline:   1 May ", "Deadline: 1 May."},
	} {
		it.Deadlines = []model.Date{{Date: "2024-03-29", Text: tc.text}}
		evs := feed.EventsFromItem(site, it)
		if len(evs) != 1 || !strings.HasPrefix(evs[0].Description, tc.want+"\n\n") {
			t.Errorf("%q: description %q, want it to start %q", tc.text, evs[0].Description, tc.want)
		}
	}
}
