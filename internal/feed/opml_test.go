package feed_test

import (
	"bytes"
	"encoding/xml"
	"testing"

	"github.com/lga-digital/bulletin/internal/feed"
)

func trickyOPML() feed.OPML {
	return feed.OPML{
		Title: "bulletin feeds <&> \x00",
		Outlines: []feed.Outline{
			{
				Text: "LGA Cyber, Digital and Technology Bulletin",
				Children: []feed.Outline{
					{Text: "Articles “RSS”", Title: "LGA articles", XMLURL: "https://bulletin.example/feeds/lga.rss?a=1&b=2", HTMLURL: "https://content.govdelivery.com/accounts/UKLGA/bulletins"},
					{Title: "Editions only", Type: "atom", XMLURL: "https://bulletin.example/feeds/lga/editions.atom"},
					{XMLURL: "https://bulletin.example/feeds/lga.json"},
				},
			},
		},
	}
}

type opmlCheck struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Title   string   `xml:"head>title"`
	Body    []struct {
		Text     string `xml:"text,attr"`
		Children []struct {
			Text    string `xml:"text,attr"`
			Title   string `xml:"title,attr"`
			Type    string `xml:"type,attr"`
			XMLURL  string `xml:"xmlUrl,attr"`
			HTMLURL string `xml:"htmlUrl,attr"`
		} `xml:"outline"`
	} `xml:"body>outline"`
}

func TestWriteOPML(t *testing.T) {
	var buf bytes.Buffer
	if err := feed.WriteOPML(&buf, trickyOPML()); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	golden(t, "tricky.opml", out)
	wellFormed(t, out)
	var doc opmlCheck
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2.0" || doc.Title != "bulletin feeds <&> " {
		t.Errorf("version %q, title %q", doc.Version, doc.Title)
	}
	if len(doc.Body) != 1 || len(doc.Body[0].Children) != 3 {
		t.Fatalf("outlines = %+v", doc.Body)
	}
	if doc.Body[0].Text != "LGA Cyber, Digital and Technology Bulletin" {
		t.Errorf("folder text = %q", doc.Body[0].Text)
	}
	c := doc.Body[0].Children
	if c[0].Text != "Articles “RSS”" || c[0].Type != "rss" || c[0].XMLURL != "https://bulletin.example/feeds/lga.rss?a=1&b=2" || c[0].HTMLURL == "" {
		t.Errorf("outline 0 = %+v", c[0])
	}
	if c[1].Text != "Editions only" || c[1].Type != "atom" {
		t.Errorf("outline 1 = %+v, want text from title and type kept", c[1])
	}
	if c[2].Text != "https://bulletin.example/feeds/lga.json" || c[2].Type != "rss" {
		t.Errorf("outline 2 = %+v, want text from xmlUrl", c[2])
	}
}
