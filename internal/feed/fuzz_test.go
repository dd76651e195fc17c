package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// FuzzWriters puts arbitrary strings in every field of a feed, a calendar
// and an OPML list. Every document must still parse (gofeed for the feeds,
// encoding/xml and encoding/json for the syntax, go-ical for the calendar),
// carry the same GUIDs in all three feed formats, and give back the cleaned
// strings unchanged.
func FuzzWriters(f *testing.F) {
	for _, seed := range [][4]string{
		{"Cyber “Essentials”", "plain summary", "<p>html</p>", "NCSC"},
		{"<script>alert(1)</script>", "]]>", "<![CDATA[ ]]> ]]]]><![CDATA[>", "a&b"},
		{"\x00\x0b\x1f\x7f", "\xff\xfe\xed\xa0\x80", "\uFFFE\uFFFF", "\r\n\r"},
		{"🎉🛡️", "é;,\\\\n", strings.Repeat("€", 100), " "},
		{"urn:x:y", "https://example.org/a b", "http://example.org/?a=1&b=2", "?>"},
		{"", "", "", ""},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	pub := time.Date(2024, 3, 21, 10, 5, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, title, summary, content, category string) {
		fd := Feed{
			ID: title, Title: title, Description: summary, Author: category, Language: category,
			HomeURL: content, SelfURL: summary, Stylesheet: title,
			Links: []Link{{Rel: category, Href: title, Type: summary}},
			Entries: []Entry{
				{
					ID: title, Title: title, URL: summary, Summary: summary, ContentHTML: content,
					Published: pub, Author: category, Categories: []string{category, title},
					Enclosures: []Enclosure{{URL: content, Type: category, Length: int64(len(title))}},
				},
				{ID: category, Title: content, Summary: content, Updated: pub},
			},
		}
		var guids [][]string
		for _, w := range []struct {
			name  string
			write func(io.Writer, Feed) error
		}{{"rss", WriteRSS}, {"atom", WriteAtom}, {"json", WriteJSON}} {
			var buf bytes.Buffer
			if err := w.write(&buf, fd); err != nil {
				t.Fatalf("%s: %v", w.name, err)
			}
			out := buf.Bytes()
			var gotTitle string
			switch w.name {
			case "rss":
				var doc struct {
					Title string `xml:"channel>title"`
				}
				if err := strictXML(out, &doc); err != nil {
					t.Fatalf("rss: %v\n%s", err, out)
				}
				gotTitle = doc.Title
			case "atom":
				var doc struct {
					Title string `xml:"title"`
				}
				if err := strictXML(out, &doc); err != nil {
					t.Fatalf("atom: %v\n%s", err, out)
				}
				gotTitle = doc.Title
			case "json":
				var doc struct {
					Title string `json:"title"`
				}
				if err := json.Unmarshal(out, &doc); err != nil {
					t.Fatalf("json: %v\n%s", err, out)
				}
				gotTitle = doc.Title
			}
			if gotTitle != model.CleanText(title) {
				t.Errorf("%s: title %q, want %q", w.name, gotTitle, model.CleanText(title))
			}
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("%s: gofeed: %v\n%s", w.name, err, out)
			}
			if len(parsed.Items) != 2 {
				t.Fatalf("%s: %d items, want 2", w.name, len(parsed.Items))
			}
			guids = append(guids, []string{parsed.Items[0].GUID, parsed.Items[1].GUID})
		}
		for i := 1; i < len(guids); i++ {
			if guids[i][0] != guids[0][0] || guids[i][1] != guids[0][1] {
				t.Errorf("GUIDs differ between formats: %q", guids)
			}
		}

		cal := Calendar{Name: title, URL: content, Events: []CalEvent{
			{UID: category, Summary: title, Description: summary, URL: content, Location: category, Start: pub, End: pub.Add(time.Hour)},
			{UID: title, Summary: content, Start: pub, AllDay: true},
		}}
		var buf bytes.Buffer
		if err := WriteICal(&buf, cal); err != nil {
			t.Fatal(err)
		}
		for i, l := range bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\r\n")), []byte("\r\n")) {
			if len(l) > icalLineOctets || bytes.ContainsAny(l, "\r\n") {
				t.Fatalf("ical line %d: %q", i+1, l)
			}
		}
		parsedCal, err := ical.NewDecoder(bytes.NewReader(buf.Bytes())).Decode()
		if err != nil {
			t.Fatalf("go-ical: %v\n%s", err, buf.Bytes())
		}
		events := parsedCal.Events()
		if len(events) != 2 {
			t.Fatalf("%d events, want 2", len(events))
		}
		uid := strings.TrimSpace(model.CleanText(category))
		if uid == "" {
			uid = "<derived>"
		}
		for name, want := range map[string]string{"SUMMARY": title, "DESCRIPTION": summary, "UID": uid} {
			if want == "" && name == "DESCRIPTION" {
				continue
			}
			p := events[0].Props.Get(name)
			if p == nil {
				t.Fatalf("no %s", name)
			}
			got, err := p.Text()
			if want == "<derived>" && strings.HasSuffix(got, "@bulletin") {
				continue
			}
			if err != nil || got != icalText(want) {
				t.Errorf("%s = %q (%v), want %q", name, got, err, icalText(want))
			}
		}

		buf.Reset()
		o := OPML{Title: summary, Outlines: []Outline{{Text: title, XMLURL: content, Children: []Outline{{Title: category}}}}}
		if err := WriteOPML(&buf, o); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Title string `xml:"head>title"`
		}
		if err := strictXML(buf.Bytes(), &doc); err != nil {
			t.Fatalf("opml: %v\n%s", err, buf.Bytes())
		}
		if doc.Title != model.CleanText(summary) {
			t.Errorf("opml title %q, want %q", doc.Title, model.CleanText(summary))
		}
	})
}

// strictXML checks that data is well-formed and unmarshals it into v.
func strictXML(data []byte, v any) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	return xml.Unmarshal(data, v)
}

// icalText is what a TEXT value reads back as: cleaned, with every line
// break a single newline.
func icalText(s string) string {
	s = model.CleanText(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// FuzzSummary: whatever the text, a summary is at most the asked length
// (plus the ellipsis), and its HTML form (RSS description) parses to
// paragraphs and line breaks only, whose text is the summary's words.
func FuzzSummary(f *testing.F) {
	f.Add("Day 1: 13 June\nDay 2: 14 June\n\ncyber@local.gov.uk", 40)
	f.Add(`<img src=x onerror="alert(1)"> &lt;script&gt; ]]>`, 300)
	f.Add("a\r\n\r\n\r\nb  c", 2)
	f.Fuzz(func(t *testing.T, text string, n int) {
		n = max(0, min(n, 1000))
		s := Summarize(text, n)
		if got := utf8.RuneCountInString(strings.TrimSuffix(s, "…")); got > n {
			t.Fatalf("Summarize(%q, %d) has %d runes: %q", text, n, got, s)
		}
		s = model.CleanText(s) // as the writers do before TextHTML
		nodes, err := html.ParseFragment(strings.NewReader(TextHTML(s)), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
		if err != nil {
			t.Fatal(err)
		}
		var words []string
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && (n.Data != "p" && n.Data != "br" || len(n.Attr) > 0) {
				t.Fatalf("TextHTML(%q) holds <%s %v>", s, n.Data, n.Attr)
			}
			if n.Type == html.TextNode {
				words = append(words, strings.Fields(n.Data)...)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		for _, n := range nodes {
			walk(n)
		}
		if want := strings.Fields(s); !slices.Equal(words, want) {
			t.Fatalf("TextHTML(%q) reads %q, want %q", s, words, want)
		}
	})
}
