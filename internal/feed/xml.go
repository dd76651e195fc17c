package feed

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// Namespaces used by the XML formats.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
)

// rfc1123GMT is RFC 1123 (via RFC 822) as RSS 2.0 wants it; Go's
// time.RFC1123 would print "UTC", which strict readers reject.
const rfc1123GMT = "Mon, 02 Jan 2006 15:04:05 GMT"

func rssDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(rfc1123GMT)
}

func atomDate(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// writeXML writes the XML declaration, an optional xml-stylesheet processing
// instruction and v as an indented document.
func writeXML(w io.Writer, stylesheet string, v any) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	if stylesheet != "" {
		fmt.Fprintf(bw, "<?xml-stylesheet type=%q href=\"%s\"?>\n", stylesheetType(stylesheet), attrEscape(stylesheet))
	}
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	bw.WriteByte('\n')
	return bw.Flush()
}

// stylesheetType guesses the stylesheet's media type from its extension.
func stylesheetType(href string) string {
	p := strings.ToLower(href)
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if strings.HasSuffix(p, ".css") {
		return "text/css"
	}
	return "text/xsl"
}

// attrEscape escapes s for a double-quoted pseudo-attribute; escaping ">"
// also keeps "?>" from ending the processing instruction early.
func attrEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// xmlLink is an Atom link, used in Atom documents and as atom:link in RSS.
type xmlLink struct {
	Href   string `xml:"href,attr"`
	Rel    string `xml:"rel,attr,omitempty"`
	Type   string `xml:"type,attr,omitempty"`
	Length int64  `xml:"length,attr,omitempty"`
	Title  string `xml:"title,attr,omitempty"`
}

// feedLinks lists the feed-level links: self, alternate, then f.Links.
func feedLinks(f Feed, selfType string) []xmlLink {
	var links []xmlLink
	if f.SelfURL != "" {
		links = append(links, xmlLink{Href: f.SelfURL, Rel: "self", Type: selfType})
	}
	if f.HomeURL != "" {
		links = append(links, xmlLink{Href: f.HomeURL, Rel: "alternate", Type: "text/html"})
	}
	for _, l := range f.Links {
		links = append(links, xmlLink{Href: l.Href, Rel: l.Rel, Type: l.Type})
	}
	return links
}
