package feed

import (
	"fmt"
	"html"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lga-digital/bulletin/internal/model"
)

// summaryRunes is the length a summary is cut to, at a word boundary.
const summaryRunes = 300

// Prefixes of the GUIDs made from items and editions. A URN rather than the
// item's URL: the URL (edition page plus anchor) could change with the
// parser while the id must not, or readers would show the item again.
const (
	itemURN    = "urn:bulletin:item:"
	editionURN = "urn:bulletin:edition:"
)

// documentTypes maps the extensions of the documents that become enclosures
// to their media types.
var documentTypes = map[string]string{
	".pdf":  "application/pdf",
	".doc":  "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls":  "application/vnd.ms-excel",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".ppt":  "application/vnd.ms-powerpoint",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".csv":  "text/csv",
}

// FromItem converts an item to an entry: the GUID is "urn:bulletin:item:"
// plus the item's stable id, the categories are its section and
// organisations, the enclosures are its links to documents (PDF, Word,
// Excel, OpenDocument, PowerPoint, CSV, by extension or by Link.Type), and
// the summary is the start of its text cut at a word boundary. ContentHTML
// is the item's HTML unless summaryOnly.
func FromItem(it model.Item, summaryOnly bool) Entry {
	id := it.ID
	if id == "" {
		id = model.ItemID(it.EditionID, it.Title)
	}
	e := Entry{
		ID:          itemURN + url.PathEscape(id),
		Title:       it.Title,
		URL:         it.URL(),
		Summary:     Summarize(it.Text, summaryRunes),
		ContentHTML: it.HTML,
		Published:   it.Published,
		Updated:     it.Published,
		Categories:  dedupe(append([]string{it.Section}, it.Orgs...)),
		Enclosures:  enclosures(it.Links),
	}
	if summaryOnly {
		e.ContentHTML = ""
	}
	return e
}

// FromEdition converts an edition to an entry: its editorial HTML followed
// by a list of its articles, each title linking to the item's URL, in
// position order. Items of other editions are ignored. The categories are
// the sections of its items.
func FromEdition(ed model.Edition, items []model.Item, summaryOnly bool) Entry {
	id := ed.ID
	if id == "" {
		id = model.EditionID(ed.Source, ed.URL)
	}
	var own []model.Item
	for _, it := range items {
		if it.EditionID == "" || it.EditionID == id {
			own = append(own, it)
		}
	}
	slices.SortStableFunc(own, func(a, b model.Item) int { return a.Position - b.Position })

	title := strings.TrimSpace(ed.Title)
	if issue := strings.TrimSpace(ed.IssueLine); issue != "" && !strings.Contains(title, issue) {
		if title == "" {
			title = issue
		} else {
			title += " (" + issue + ")"
		}
	}
	e := Entry{
		ID:        editionURN + url.PathEscape(id),
		Title:     title,
		URL:       ed.URL,
		Summary:   Summarize(ed.Editorial, summaryRunes),
		Published: ed.Published,
		Updated:   ed.Published,
	}
	var sections, titles []string
	for _, it := range own {
		sections = append(sections, it.Section)
		titles = append(titles, strings.TrimSpace(it.Title))
	}
	e.Categories = dedupe(sections)
	if e.Summary == "" && len(titles) > 0 {
		e.Summary = Summarize(fmt.Sprintf("%d articles: %s.", len(titles), strings.Join(titles, "; ")), summaryRunes)
	}
	if summaryOnly {
		return e
	}
	var b strings.Builder
	b.WriteString(ed.EditorialHTML)
	if len(own) > 0 {
		b.WriteString("\n<h2>In this edition</h2>\n<ul>\n")
		for _, it := range own {
			fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", html.EscapeString(it.URL()), html.EscapeString(it.Title))
		}
		b.WriteString("</ul>\n")
	}
	e.ContentHTML = strings.TrimPrefix(b.String(), "\n")
	return e
}

// EventsFromItem lists the calendar events of an item: each of its events
// (timed or all-day, titled by the event or else the item) and each of its
// deadlines as an all-day "Deadline: <title>" event. UIDs are stable: the
// item id, the kind and the date, with "-2", "-3" … for a second and third
// event on one day; a deadline date given twice yields one event.
func EventsFromItem(it model.Item) []CalEvent {
	id := it.ID
	if id == "" {
		id = model.ItemID(it.EditionID, it.Title)
	}
	summary := Summarize(it.Text, summaryRunes)
	seen := map[string]int{}
	var out []CalEvent
	for _, ev := range it.Events {
		if ev.Start.IsZero() {
			continue
		}
		key := ev.Start.Format(icalDate)
		if !ev.AllDay {
			key = ev.Start.UTC().Format(icalDate)
		}
		uid := id + "-event-" + key
		seen[uid]++
		if n := seen[uid]; n > 1 {
			uid = fmt.Sprintf("%s-%d", uid, n)
		}
		title := strings.TrimSpace(ev.Title)
		if title == "" {
			title = it.Title
		}
		place := ev.Place
		if place == "" && ev.Online {
			place = "Online"
		}
		out = append(out, CalEvent{
			UID:         uid + "@bulletin",
			Summary:     title,
			Description: summary,
			URL:         it.URL(),
			Location:    place,
			Start:       ev.Start,
			End:         ev.End,
			AllDay:      ev.AllDay,
			Updated:     it.Published,
		})
	}
	for _, d := range it.Deadlines {
		day, err := time.Parse("2006-01-02", strings.TrimSpace(d.Date))
		if err != nil {
			continue
		}
		uid := id + "-deadline-" + day.Format(icalDate)
		if seen[uid]++; seen[uid] > 1 {
			continue
		}
		desc := strings.TrimSpace(d.Text)
		if summary != "" {
			if desc != "" {
				desc += "\n\n"
			}
			desc += summary
		}
		out = append(out, CalEvent{
			UID:         uid + "@bulletin",
			Summary:     "Deadline: " + it.Title,
			Description: desc,
			URL:         it.URL(),
			Start:       day,
			AllDay:      true,
			Updated:     it.Published,
		})
	}
	return out
}

// Summarize collapses the white space of text and cuts it to at most n runes
// at a word boundary, marking a cut with an ellipsis.
func Summarize(text string, n int) string {
	s := strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	// Byte offset of rune n, and the last space at or before it.
	cut := len(s)
	for i := range s {
		if n == 0 {
			cut = i
			break
		}
		n--
	}
	if sp := strings.LastIndexByte(s[:cut+1], ' '); sp > 0 {
		cut = sp
	}
	return strings.TrimRight(s[:cut], " ,;:.-–—") + "…"
}

// enclosures picks the document links of an item, once each.
func enclosures(links []model.Link) []Enclosure {
	var out []Enclosure
	seen := map[string]bool{}
	for _, l := range links {
		u := strings.TrimSpace(l.URL)
		if u == "" || seen[u] {
			continue
		}
		// A document by its extension or by its declared type; the declared
		// type names it unless it says no more than "some bytes".
		byExt, declared := documentType(u), strings.TrimSpace(l.Type)
		if byExt == "" && !isDocumentType(declared) {
			continue
		}
		typ := declared
		if byExt != "" && (declared == "" || isGeneric(declared)) {
			typ = byExt
		}
		seen[u] = true
		out = append(out, Enclosure{URL: u, Type: typ, Length: l.Length})
	}
	return out
}

// documentType is the media type of a document URL, by the extension of its
// path, or "" when it is not a document.
func documentType(u string) string {
	p := u
	if pu, err := url.Parse(u); err == nil {
		p = pu.Path
	}
	return documentTypes[strings.ToLower(path.Ext(p))]
}

func isDocumentType(t string) bool {
	t = mediaType(t)
	for _, v := range documentTypes {
		if v == t {
			return true
		}
	}
	return false
}

func isGeneric(t string) bool {
	t = mediaType(t)
	return t == "application/octet-stream" || t == "binary/octet-stream" || t == "application/download"
}

// mediaType is t without parameters, lower-cased.
func mediaType(t string) string {
	t, _, _ = strings.Cut(t, ";")
	return strings.ToLower(strings.TrimSpace(t))
}

// dedupe drops empty and repeated strings, keeping the first of each.
func dedupe(ss []string) []string {
	var out []string
	for _, s := range ss {
		s = strings.TrimSpace(s)
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
