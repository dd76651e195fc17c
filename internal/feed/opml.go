package feed

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/lga-digital/bulletin/internal/model"
)

// OPML is an OPML 2.0 subscription list.
type OPML struct {
	Title    string
	Outlines []Outline
}

// Outline is one OPML outline: a feed (Type "rss", XMLURL set) or a folder
// of Children.
type Outline struct {
	Text, Title, Type, XMLURL, HTMLURL string
	Children                           []Outline
}

type opmlDoc struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Title   string   `xml:"head>title"`
	Body    opmlBody `xml:"body"`
}

type opmlBody struct {
	Outlines []opmlOutline `xml:"outline"`
}

type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr,omitempty"`
	Type     string        `xml:"type,attr,omitempty"`
	XMLURL   string        `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string        `xml:"htmlUrl,attr,omitempty"`
	Children []opmlOutline `xml:"outline"`
}

// WriteOPML writes o as an OPML 2.0 document. Every outline gets the text
// attribute OPML requires (Text, else Title, else a URL), and an outline
// with an XMLURL (a feed) but no Type is typed "rss" and one with no Title
// takes its text as title, as OPML 2.0 and its validators expect of feeds.
func WriteOPML(w io.Writer, o OPML) error {
	doc := opmlDoc{Version: "2.0", Title: model.CleanText(o.Title), Body: opmlBody{Outlines: opmlOutlines(o.Outlines)}}
	if err := writeXML(w, "", doc); err != nil {
		return fmt.Errorf("write opml %q: %w", doc.Title, err)
	}
	return nil
}

func opmlOutlines(in []Outline) []opmlOutline {
	var out []opmlOutline
	for _, o := range in {
		x := opmlOutline{
			Text:     model.CleanText(o.Text),
			Title:    model.CleanText(o.Title),
			Type:     strings.TrimSpace(model.CleanText(o.Type)),
			XMLURL:   strings.TrimSpace(model.CleanText(o.XMLURL)),
			HTMLURL:  strings.TrimSpace(model.CleanText(o.HTMLURL)),
			Children: opmlOutlines(o.Children),
		}
		for _, alt := range []string{x.Title, x.XMLURL, x.HTMLURL} {
			if strings.TrimSpace(x.Text) != "" {
				break
			}
			x.Text = alt
		}
		if x.XMLURL != "" {
			if x.Type == "" {
				x.Type = "rss"
			}
			if strings.TrimSpace(x.Title) == "" {
				x.Title = x.Text
			}
		}
		out = append(out, x)
	}
	return out
}
