package feed

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

type atomFeed struct {
	XMLName   xml.Name    `xml:"feed"`
	NS        string      `xml:"xmlns,attr"`
	Lang      string      `xml:"xml:lang,attr,omitempty"`
	ID        string      `xml:"id"`
	Title     atomText    `xml:"title"`
	Subtitle  *atomText   `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Author    *atomPerson `xml:"author,omitempty"`
	Generator string      `xml:"generator"`
	Links     []xmlLink   `xml:"link"`
	Entries   []atomEntry `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Text string `xml:",chardata"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Author     *atomPerson    `xml:"author,omitempty"`
	Links      []xmlLink      `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
}

// WriteAtom writes f as an Atom 1.0 document: feed and entry ids, updated
// and published times, authors, links rel="self" and "alternate" (plus
// f.Links, e.g. paging), categories, summaries, HTML content and
// rel="enclosure" links, and an entry's Via as rel="via". Atom requires an
// author of every entry: f.Author is the feed's, an entry's Author its own;
// an entry with neither gets the feed's generator ("bulletin") as its
// author, never the feed's title. A feed with no times at all is dated at
// the Unix epoch rather than at the request time.
func WriteAtom(w io.Writer, f Feed) error {
	f = f.sanitized()
	updated := f.Updated
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	doc := atomFeed{
		NS:        nsAtom,
		Lang:      f.Language,
		ID:        f.ID,
		Title:     atomText{Type: "text", Text: f.Title},
		Updated:   atomDate(updated),
		Generator: generator,
		Links:     feedLinks(f, "application/atom+xml"),
		Entries:   make([]atomEntry, 0, len(f.Entries)),
	}
	if f.Author != "" {
		doc.Author = &atomPerson{Name: f.Author}
	}
	if f.Description != "" {
		doc.Subtitle = &atomText{Type: "text", Text: f.Description}
	}
	for _, e := range f.Entries {
		ae := atomEntry{
			ID:      e.ID,
			Title:   atomText{Type: "text", Text: e.Title},
			Updated: atomDate(updated),
		}
		if !e.Updated.IsZero() {
			ae.Updated = atomDate(e.Updated)
		}
		if !e.Published.IsZero() {
			ae.Published = atomDate(e.Published)
		}
		switch {
		case e.Author != "":
			ae.Author = &atomPerson{Name: e.Author}
		case f.Author == "":
			ae.Author = &atomPerson{Name: generator}
		}
		if e.URL != "" {
			ae.Links = append(ae.Links, xmlLink{Href: e.URL, Rel: "alternate", Type: "text/html"})
		}
		if e.Via != "" {
			ae.Links = append(ae.Links, xmlLink{Href: e.Via, Rel: "via", Type: "text/html", Title: e.ViaTitle})
		}
		for _, enc := range e.Enclosures {
			ae.Links = append(ae.Links, xmlLink{Href: enc.URL, Rel: "enclosure", Type: enc.Type, Length: enc.Length})
		}
		for _, c := range e.Categories {
			ae.Categories = append(ae.Categories, atomCategory{Term: c})
		}
		if e.Summary != "" {
			ae.Summary = &atomText{Type: "text", Text: e.Summary}
		}
		switch {
		case e.ContentHTML != "":
			ae.Content = &atomText{Type: "html", Text: e.ContentHTML}
		case e.URL == "":
			// An entry without an alternate link must have content.
			ae.Content = &atomText{Type: "text", Text: e.Summary}
		}
		doc.Entries = append(doc.Entries, ae)
	}
	if err := writeXML(w, f.Stylesheet, doc); err != nil {
		return fmt.Errorf("write atom %s: %w", f.ID, err)
	}
	return nil
}
