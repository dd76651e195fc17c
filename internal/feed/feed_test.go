package feed_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/lga-digital/bulletin/internal/feed"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

var (
	published1 = time.Date(2024, 3, 21, 10, 5, 0, 0, time.UTC)
	updated1   = time.Date(2024, 3, 22, 8, 30, 0, 0, time.UTC)
	// A BST time: every format must write it as the same instant.
	published2 = time.Date(2024, 7, 18, 9, 0, 0, 0, time.FixedZone("BST", 3600))
	published3 = time.Date(2023, 5, 11, 14, 0, 0, 0, time.UTC)
)

// trickyFeed is the fixed feed of the golden files: markup, "]]>", control
// characters, invalid UTF-8, a lone surrogate, emoji and curly quotes.
func trickyFeed() feed.Feed {
	return feed.Feed{
		ID:          "https://bulletin.example/feeds/lga",
		Title:       "LGA “Cyber” bulletin <script>alert(1)</script>\x00\x0b",
		Description: "Articles ]]> & more 🎉 \xff\xfeinvalid \xed\xa0\x80surrogate",
		HomeURL:     "https://content.govdelivery.com/accounts/UKLGA/bulletins",
		SelfURL:     "https://bulletin.example/feeds/lga.rss",
		Author:      "Local Government Association",
		Language:    "en-GB",
		Links: []feed.Link{
			{Rel: "first", Href: "https://bulletin.example/feeds/lga.rss"},
			{Rel: "next", Href: "https://bulletin.example/feeds/lga.rss?page=2&size=20"},
			{Rel: "prev-archive", Href: "https://bulletin.example/feeds/lga/archive/1.rss"},
		},
		Stylesheet: "https://bulletin.example/static/feed.xsl?v=1&x=\"?>",
		Entries: []feed.Entry{
			{
				ID:          "urn:bulletin:item:lga-3bf5353-0a1b2c3d4e",
				Title:       "Cyber “Essentials” ]]> <script>alert('x')</script>\x00",
				URL:         "https://content.govdelivery.com/accounts/UKLGA/bulletins/3bf5353#cyber-essentials",
				Via:         "https://content.govdelivery.com/accounts/UKLGA/bulletins/3bf5353",
				ViaTitle:    "Bulletin <19> & “more”",
				Summary:     "Plain text with a \x0b control, emoji 🛡️ and invalid \xc3\x28 UTF-8; commas, semicolons\nand a newline.",
				ContentHTML: "<p>Read the <a href=\"https://www.ncsc.gov.uk/?a=1&amp;b=2\">NCSC</a> guidance]]>now</p>\n<script>evil()</script><![CDATA[x]]>",
				Published:   published1,
				Updated:     updated1,
				Author:      "Owen Pritchard",
				Categories:  []string{"Monthly Highlights", "NCSC", "  ", "DSIT\x07"},
				Enclosures: []feed.Enclosure{
					{URL: "https://www.local.gov.uk/sites/default/files/guide.pdf", Type: "application/pdf", Length: 123456},
					{URL: "https://www.local.gov.uk/data.csv", Type: "text/csv"},
				},
			},
			{
				ID:        "https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025",
				Title:     "LGA Cyber, Digital and Technology Bulletin - 19",
				URL:       "https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025",
				Summary:   "Summary-only entry: it has no HTML.",
				Published: published2,
			},
			{
				ID:          "not a uri",
				Title:       "An entry whose id is not a URI",
				Summary:     "It has no URL either.",
				ContentHTML: "<p>Only content.</p>",
				Updated:     published3,
			},
		},
	}
}

// Expected values after cleaning, in entry order.
var (
	wantFeedTitle = "LGA “Cyber” bulletin <script>alert(1)</script>"
	wantTitles    = []string{
		"Cyber “Essentials” ]]> <script>alert('x')</script>",
		"LGA Cyber, Digital and Technology Bulletin - 19",
		"An entry whose id is not a URI",
	}
	wantGUIDs = []string{
		"urn:bulletin:item:lga-3bf5353-0a1b2c3d4e",
		"https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025",
		"urn:bulletin:entry:not%20a%20uri",
	}
	wantLinks = []string{
		"https://content.govdelivery.com/accounts/UKLGA/bulletins/3bf5353#cyber-essentials",
		"https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025",
		"",
	}
	wantPublished = []time.Time{published1, published2, published3}
	wantContent1  = "<p>Read the <a href=\"https://www.ncsc.gov.uk/?a=1&amp;b=2\">NCSC</a> guidance]]>now</p>\n<script>evil()</script><![CDATA[x]]>"
)

type writer struct {
	name  string
	ext   string
	write func(io.Writer, feed.Feed) error
}

var writers = []writer{
	{"rss", "rss", feed.WriteRSS},
	{"atom", "atom", feed.WriteAtom},
	{"json", "json", feed.WriteJSON},
}

func render(t testing.TB, w writer, f feed.Feed) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := w.write(&buf, f); err != nil {
		t.Fatalf("%s: %v", w.name, err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/golden/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func TestGoldenFeeds(t *testing.T) {
	for _, w := range writers {
		t.Run(w.name, func(t *testing.T) {
			golden(t, "tricky."+w.ext, render(t, w, trickyFeed()))
		})
	}
}

// wellFormed tokenises data with encoding/xml in strict mode.
func wellFormed(t testing.TB, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, data)
		}
	}
}

// TestGofeedRoundTrip reads every format back with an independent parser:
// titles, GUIDs (the same in all three formats), links, dates, content.
func TestGofeedRoundTrip(t *testing.T) {
	for _, w := range writers {
		t.Run(w.name, func(t *testing.T) {
			out := render(t, w, trickyFeed())
			if w.name != "json" {
				wellFormed(t, out)
			}
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("gofeed: %v\n%s", err, out)
			}
			if got := strings.TrimSpace(parsed.Title); got != wantFeedTitle {
				t.Errorf("feed title = %q, want %q", got, wantFeedTitle)
			}
			if parsed.Language != "en-GB" {
				t.Errorf("language = %q", parsed.Language)
			}
			if parsed.Link != "https://content.govdelivery.com/accounts/UKLGA/bulletins" {
				t.Errorf("feed link = %q", parsed.Link)
			}
			if parsed.FeedLink != "https://bulletin.example/feeds/lga.rss" {
				t.Errorf("feed self link = %q", parsed.FeedLink)
			}
			if len(parsed.Items) != len(wantTitles) {
				t.Fatalf("%d items, want %d", len(parsed.Items), len(wantTitles))
			}
			for i, it := range parsed.Items {
				if got := strings.TrimSpace(it.Title); got != wantTitles[i] {
					t.Errorf("item %d title = %q, want %q", i, got, wantTitles[i])
				}
				if it.GUID != wantGUIDs[i] {
					t.Errorf("item %d GUID = %q, want %q", i, it.GUID, wantGUIDs[i])
				}
				if it.Link != wantLinks[i] {
					t.Errorf("item %d link = %q, want %q", i, it.Link, wantLinks[i])
				}
				if it.PublishedParsed == nil || !it.PublishedParsed.Equal(wantPublished[i]) {
					t.Errorf("item %d published = %v, want %v", i, it.PublishedParsed, wantPublished[i])
				}
			}
			first := parsed.Items[0]
			if first.Content != wantContent1 {
				t.Errorf("content = %q, want %q", first.Content, wantContent1)
			}
			if !slices.Contains(first.Categories, "NCSC") || !slices.Contains(first.Categories, "DSIT") || slices.Contains(first.Categories, "") {
				t.Errorf("categories = %q", first.Categories)
			}
			if len(first.Enclosures) == 0 || first.Enclosures[0].URL != "https://www.local.gov.uk/sites/default/files/guide.pdf" || first.Enclosures[0].Length != "123456" {
				t.Errorf("enclosures = %+v", first.Enclosures)
			}
			if w.name != "rss" && (first.UpdatedParsed == nil || !first.UpdatedParsed.Equal(updated1)) {
				t.Errorf("updated = %v, want %v", first.UpdatedParsed, updated1)
			}
			if len(first.Authors) == 0 || first.Authors[0].Name != "Owen Pritchard" {
				t.Errorf("authors = %+v", first.Authors)
			}
		})
	}
}

// rssCheck reads the parts of RSS the contract pins, namespace-aware.
type rssCheck struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		// Before Link: a field without a namespace matches atom:link too.
		AtomLinks []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
			Type string `xml:"type,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
		Link          string `xml:"link"`
		LastBuildDate string `xml:"lastBuildDate"`
		Items         []struct {
			GUID struct {
				IsPermaLink string `xml:"isPermaLink,attr"`
				Value       string `xml:",chardata"`
			} `xml:"guid"`
			Description string   `xml:"description"`
			Content     string   `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
			Creator     string   `xml:"http://purl.org/dc/elements/1.1/ creator"`
			PubDate     string   `xml:"pubDate"`
			Categories  []string `xml:"category"`
			Enclosures  []struct {
				URL    string `xml:"url,attr"`
				Length string `xml:"length,attr"`
				Type   string `xml:"type,attr"`
			} `xml:"enclosure"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestRSSDetails(t *testing.T) {
	out := render(t, writers[0], trickyFeed())
	var doc rssCheck
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2.0" {
		t.Errorf("version = %q", doc.Version)
	}
	rels := map[string]string{}
	for _, l := range doc.Channel.AtomLinks {
		rels[l.Rel] = l.Href
	}
	wantRels := map[string]string{
		"self":         "https://bulletin.example/feeds/lga.rss",
		"first":        "https://bulletin.example/feeds/lga.rss",
		"next":         "https://bulletin.example/feeds/lga.rss?page=2&size=20",
		"prev-archive": "https://bulletin.example/feeds/lga/archive/1.rss",
	}
	for rel, href := range wantRels {
		if rels[rel] != href {
			t.Errorf("atom:link rel=%q href = %q, want %q", rel, rels[rel], href)
		}
	}
	if doc.Channel.AtomLinks[0].Rel != "self" || doc.Channel.AtomLinks[0].Type != "application/rss+xml" {
		t.Errorf("first atom:link = %+v, want the self link typed application/rss+xml", doc.Channel.AtomLinks[0])
	}
	if want := "Thu, 18 Jul 2024 08:00:00 GMT"; doc.Channel.LastBuildDate != want {
		t.Errorf("lastBuildDate = %q, want %q (the newest entry's update)", doc.Channel.LastBuildDate, want)
	}
	items := doc.Channel.Items
	wantPerma := []string{"false", "true", "false"}
	wantDates := []string{"Thu, 21 Mar 2024 10:05:00 GMT", "Thu, 18 Jul 2024 08:00:00 GMT", "Thu, 11 May 2023 14:00:00 GMT"}
	for i, it := range items {
		if it.GUID.IsPermaLink != wantPerma[i] {
			t.Errorf("item %d isPermaLink = %q, want %q", i, it.GUID.IsPermaLink, wantPerma[i])
		}
		if it.PubDate != wantDates[i] {
			t.Errorf("item %d pubDate = %q, want %q", i, it.PubDate, wantDates[i])
		}
		if _, err := time.Parse(time.RFC1123, it.PubDate); err != nil {
			t.Errorf("item %d pubDate not RFC 1123: %v", i, err)
		}
	}
	if items[0].Content != wantContent1 {
		t.Errorf("content:encoded = %q", items[0].Content)
	}
	if items[1].Content != "" {
		t.Errorf("summary-only entry has content:encoded %q", items[1].Content)
	}
	if items[0].Creator != "Owen Pritchard" {
		t.Errorf("dc:creator = %q", items[0].Creator)
	}
	if want := []string{"Monthly Highlights", "NCSC", "DSIT"}; !slices.Equal(items[0].Categories, want) {
		t.Errorf("categories = %q, want %q", items[0].Categories, want)
	}
	if len(items[0].Enclosures) != 1 || items[0].Enclosures[0].Length != "123456" || items[0].Enclosures[0].Type != "application/pdf" {
		t.Errorf("enclosures = %+v, want only the first", items[0].Enclosures)
	}
	// The description is HTML: the plain-text summary escaped once as HTML.
	if want := "<p>Plain text with a control, emoji 🛡️ and invalid ( UTF-8; commas, semicolons<br>and a newline.</p>"; items[0].Description != want {
		t.Errorf("description = %q, want %q", items[0].Description, want)
	}
}

// stylesheetPI returns the data of the xml-stylesheet instruction, if any.
func stylesheetPI(t *testing.T, data []byte) (string, bool) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("no root element: %v", err)
		}
		switch tok := tok.(type) {
		case xml.ProcInst:
			if tok.Target == "xml-stylesheet" {
				return string(tok.Inst), true
			}
		case xml.StartElement:
			return "", false
		}
	}
}

func TestStylesheet(t *testing.T) {
	for _, w := range writers[:2] {
		t.Run(w.name, func(t *testing.T) {
			inst, ok := stylesheetPI(t, render(t, w, trickyFeed()))
			if want := `type="text/xsl" href="https://bulletin.example/static/feed.xsl?v=1&amp;x=&#34;?&gt;"`; !ok || inst != want {
				t.Errorf("xml-stylesheet = %q (present %v), want %q", inst, ok, want)
			}
			f := trickyFeed()
			f.Stylesheet = "/static/feed.css"
			inst, _ = stylesheetPI(t, render(t, w, f))
			if want := `type="text/css" href="/static/feed.css"`; inst != want {
				t.Errorf("xml-stylesheet = %q, want %q", inst, want)
			}
			f.Stylesheet = ""
			if inst, ok := stylesheetPI(t, render(t, w, f)); ok {
				t.Errorf("xml-stylesheet %q written without a stylesheet", inst)
			}
		})
	}
}

// atomCheck reads the parts of Atom the contract pins.
type atomCheck struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Author  string   `xml:"author>name"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
		Type string `xml:"type,attr"`
	} `xml:"link"`
	Entries []struct {
		ID        string `xml:"id"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Links     []struct {
			Rel    string `xml:"rel,attr"`
			Href   string `xml:"href,attr"`
			Type   string `xml:"type,attr"`
			Length string `xml:"length,attr"`
		} `xml:"link"`
		Categories []struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
		Summary struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"summary"`
		Content struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func TestAtomDetails(t *testing.T) {
	out := render(t, writers[1], trickyFeed())
	var doc atomCheck
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Lang != "en-GB" || doc.ID != "https://bulletin.example/feeds/lga" || doc.Author != "Local Government Association" {
		t.Errorf("lang, id, author = %q, %q, %q", doc.Lang, doc.ID, doc.Author)
	}
	if doc.Updated != "2024-07-18T08:00:00Z" {
		t.Errorf("updated = %q, want the newest entry's", doc.Updated)
	}
	links := map[string]string{}
	for _, l := range doc.Links {
		links[l.Rel] = l.Href + " " + l.Type
	}
	for rel, want := range map[string]string{
		"self":         "https://bulletin.example/feeds/lga.rss application/atom+xml",
		"alternate":    "https://content.govdelivery.com/accounts/UKLGA/bulletins text/html",
		"next":         "https://bulletin.example/feeds/lga.rss?page=2&size=20 ",
		"first":        "https://bulletin.example/feeds/lga.rss ",
		"prev-archive": "https://bulletin.example/feeds/lga/archive/1.rss ",
	} {
		if links[rel] != want {
			t.Errorf("link rel=%q = %q, want %q", rel, links[rel], want)
		}
	}
	e := doc.Entries[0]
	if e.Updated != "2024-03-22T08:30:00Z" || e.Published != "2024-03-21T10:05:00Z" {
		t.Errorf("entry updated, published = %q, %q", e.Updated, e.Published)
	}
	var encl []string
	for _, l := range e.Links {
		if l.Rel == "enclosure" {
			encl = append(encl, l.Href+" "+l.Type+" "+l.Length)
		}
	}
	wantEncl := []string{"https://www.local.gov.uk/sites/default/files/guide.pdf application/pdf 123456", "https://www.local.gov.uk/data.csv text/csv "}
	if !slices.Equal(encl, wantEncl) {
		t.Errorf("enclosure links = %q, want %q", encl, wantEncl)
	}
	if len(e.Categories) != 3 || e.Categories[2].Term != "DSIT" {
		t.Errorf("categories = %+v", e.Categories)
	}
	if e.Content.Type != "html" || e.Content.Text != wantContent1 || e.Summary.Type != "text" {
		t.Errorf("content = %+v, summary = %+v", e.Content, e.Summary)
	}
	if e := doc.Entries[1]; e.Published != "2024-07-18T08:00:00Z" || e.Updated != e.Published || e.Content.Type != "" {
		t.Errorf("summary-only entry: published %q updated %q content %+v", e.Published, e.Updated, e.Content)
	}
	// No alternate link: the entry must carry content.
	if e := doc.Entries[2]; len(e.Links) != 0 || e.Content.Text == "" || e.Published != "2023-05-11T14:00:00Z" {
		t.Errorf("entry without URL: %+v", e)
	}
}

func TestJSONDetails(t *testing.T) {
	out := render(t, writers[2], trickyFeed())
	var doc struct {
		Version     string `json:"version"`
		FeedURL     string `json:"feed_url"`
		HomePageURL string `json:"home_page_url"`
		NextURL     string `json:"next_url"`
		Language    string `json:"language"`
		Authors     []struct {
			Name string `json:"name"`
		} `json:"authors"`
		Items []struct {
			ID            string   `json:"id"`
			ContentHTML   *string  `json:"content_html"`
			ContentText   *string  `json:"content_text"`
			Summary       string   `json:"summary"`
			DatePublished string   `json:"date_published"`
			DateModified  string   `json:"date_modified"`
			Tags          []string `json:"tags"`
			Attachments   []struct {
				URL      string `json:"url"`
				MimeType string `json:"mime_type"`
				Size     int64  `json:"size_in_bytes"`
			} `json:"attachments"`
		} `json:"items"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "https://jsonfeed.org/version/1.1" {
		t.Errorf("version = %q", doc.Version)
	}
	if doc.FeedURL != "https://bulletin.example/feeds/lga.rss" || doc.NextURL != "https://bulletin.example/feeds/lga.rss?page=2&size=20" || doc.Language != "en-GB" {
		t.Errorf("feed_url, next_url, language = %q, %q, %q", doc.FeedURL, doc.NextURL, doc.Language)
	}
	if len(doc.Authors) != 1 || doc.Authors[0].Name != "Local Government Association" {
		t.Errorf("authors = %+v", doc.Authors)
	}
	first := doc.Items[0]
	if first.DatePublished != "2024-03-21T10:05:00Z" || first.DateModified != "2024-03-22T08:30:00Z" {
		t.Errorf("dates = %q, %q", first.DatePublished, first.DateModified)
	}
	if len(first.Attachments) != 2 || first.Attachments[0].Size != 123456 || first.Attachments[1].MimeType != "text/csv" {
		t.Errorf("attachments = %+v", first.Attachments)
	}
	if !slices.Equal(first.Tags, []string{"Monthly Highlights", "NCSC", "DSIT"}) {
		t.Errorf("tags = %q", first.Tags)
	}
	// Every item needs content_html or content_text.
	if second := doc.Items[1]; second.ContentHTML != nil || second.ContentText == nil || *second.ContentText != "Summary-only entry: it has no HTML." {
		t.Errorf("summary-only item: content_html %v, content_text %v", second.ContentHTML, second.ContentText)
	}
}

func TestEmptyFeed(t *testing.T) {
	f := feed.Feed{Title: "Empty", SelfURL: "https://bulletin.example/feeds/empty.json"}
	t.Run("json", func(t *testing.T) {
		out := render(t, writers[2], f)
		var doc map[string]any
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		items, ok := doc["items"].([]any)
		if !ok || len(items) != 0 {
			t.Errorf("items = %#v, want an empty array", doc["items"])
		}
		if !bytes.Contains(out, []byte(`"items": []`)) {
			t.Errorf("no `\"items\": []` in\n%s", out)
		}
	})
	for _, w := range writers {
		t.Run("gofeed-"+w.name, func(t *testing.T) {
			out := render(t, w, f)
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if parsed.Title != "Empty" || len(parsed.Items) != 0 {
				t.Errorf("title %q, %d items", parsed.Title, len(parsed.Items))
			}
		})
	}
	t.Run("atom-dates", func(t *testing.T) {
		var doc atomCheck
		if err := xml.Unmarshal(render(t, writers[1], f), &doc); err != nil {
			t.Fatal(err)
		}
		// No entries, no times: a fixed date, never the time of the request.
		// The feed's title is never made its author.
		if doc.Updated != "1970-01-01T00:00:00Z" || doc.Author != "" || doc.ID != f.SelfURL {
			t.Errorf("updated %q, author %q, id %q", doc.Updated, doc.Author, doc.ID)
		}
	})
}

func TestExplicitUpdatedWins(t *testing.T) {
	f := trickyFeed()
	f.Updated = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	var doc atomCheck
	if err := xml.Unmarshal(render(t, writers[1], f), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Updated != "2025-01-02T03:04:05Z" {
		t.Errorf("updated = %q", doc.Updated)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	for _, w := range writers {
		if err := w.write(failWriter{}, trickyFeed()); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: err = %v, want the writer's error wrapped", w.name, err)
		}
	}
	if err := feed.WriteICal(failWriter{}, feed.Calendar{}); err == nil {
		t.Error("ical: no error from a failing writer")
	}
	if err := feed.WriteOPML(failWriter{}, feed.OPML{}); err == nil {
		t.Error("opml: no error from a failing writer")
	}
}
