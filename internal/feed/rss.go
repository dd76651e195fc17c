package feed

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
)

type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	NSAtom    string     `xml:"xmlns:atom,attr"`
	NSContent string     `xml:"xmlns:content,attr"`
	NSDC      string     `xml:"xmlns:dc,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Generator     string    `xml:"generator"`
	Creator       string    `xml:"dc:creator,omitempty"`
	AtomLinks     []xmlLink `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link,omitempty"`
	Description string        `xml:"description"`
	Content     string        `xml:"content:encoded,omitempty"`
	Creator     string        `xml:"dc:creator,omitempty"`
	Categories  []string      `xml:"category"`
	Enclosure   *rssEnclosure `xml:"enclosure"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate,omitempty"`
	Source      *rssSource    `xml:"source"`
}

type rssSource struct {
	URL   string `xml:"url,attr"`
	Title string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length string `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	ID          string `xml:",chardata"`
}

// WriteRSS writes f as an RSS 2.0 document with content:encoded, an
// atom:link rel="self" (plus f.Links, e.g. paging), GUIDs marked
// isPermaLink="false" unless they are http(s) URLs, RFC 1123 dates in GMT and
// each entry's first enclosure (RSS allows only one). Readers take an item's
// description as HTML, so the plain-text summary is written as HTML
// (TextHTML: escaped once as HTML, then once as XML), never as markup of its
// own; titles are plain text, as RSS 2.0 and its readers have them. An
// entry's Via is its source element (the page it was taken from). Authors,
// which are names rather than the e-mail addresses RSS's author element
// wants, are written as dc:creator.
func WriteRSS(w io.Writer, f Feed) error {
	f = f.sanitized()
	doc := rssDoc{
		Version:   "2.0",
		NSAtom:    nsAtom,
		NSContent: nsContent,
		NSDC:      nsDC,
		Channel: rssChannel{
			Title:         f.Title,
			Link:          f.HomeURL,
			Description:   f.Description,
			Language:      f.Language,
			LastBuildDate: rssDate(f.Updated),
			Generator:     generator,
			Creator:       f.Author,
			Items:         make([]rssItem, 0, len(f.Entries)),
		},
	}
	for _, l := range feedLinks(f, "application/rss+xml") {
		if l.Rel != "alternate" { // the channel's <link> says that already
			doc.Channel.AtomLinks = append(doc.Channel.AtomLinks, l)
		}
	}
	for _, e := range f.Entries {
		it := rssItem{
			Title:       e.Title,
			Link:        e.URL,
			Description: TextHTML(e.Summary),
			Content:     e.ContentHTML,
			Creator:     e.Author,
			Categories:  e.Categories,
			GUID:        rssGUID{ID: e.ID, IsPermaLink: strconv.FormatBool(isHTTPURL(e.ID))},
			PubDate:     rssDate(e.Published),
		}
		if e.Via != "" {
			title := e.ViaTitle
			if title == "" {
				title = e.Via
			}
			it.Source = &rssSource{URL: e.Via, Title: title}
		}
		if len(e.Enclosures) > 0 {
			enc := e.Enclosures[0]
			it.Enclosure = &rssEnclosure{URL: enc.URL, Type: enc.Type, Length: strconv.FormatInt(enc.Length, 10)}
		}
		doc.Channel.Items = append(doc.Channel.Items, it)
	}
	if err := writeXML(w, f.Stylesheet, doc); err != nil {
		return fmt.Errorf("write rss %s: %w", f.ID, err)
	}
	return nil
}
