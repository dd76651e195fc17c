package feed

import (
	"fmt"
	"html"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lga-digital/bulletin/internal/dates"
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

// Paths of bulletin's own pages of one item and one edition; the server
// registers its routes with them.
const (
	ItemPagePath    = "/items/"
	EditionPagePath = "/editions/"
)

// Site is where bulletin's own pages live, so that entries link to them: an
// item's entry opens its item page, an edition's its edition page, and the
// original edition page goes along as the entry's Via. A zero Site links
// entries to the original pages instead.
type Site struct {
	Base string // absolute base URL (the server's base_url), may have a path
}

// ItemURL is the absolute URL of an item's page, or "" for a zero Site.
func (s Site) ItemURL(id string) string { return s.page(ItemPagePath, id) }

// EditionURL is the absolute URL of an edition's page, or "" for a zero Site.
func (s Site) EditionURL(id string) string { return s.page(EditionPagePath, id) }

func (s Site) page(prefix, id string) string {
	if s.Base == "" || id == "" {
		return ""
	}
	return strings.TrimRight(s.Base, "/") + prefix + url.PathEscape(id)
}

// itemSlots is the number of articles of one edition that get distinct
// times (one second apart); later ones share the edition's own time.
const itemSlots = 100

// ItemTime is the time an item's entry carries: its edition's send time
// plus (100 − position) seconds, so that the articles of one edition have
// distinct times, newest first in the bulletin's order, in any reader that
// sorts by date. It is a function of the edition's time and the item's
// position alone, so it stays the same across re-crawls, reindexing and
// restarts; it never leaves the edition's day unless the edition was sent
// in the last two minutes of one. The index keeps the send time itself:
// searches by date and the item's own page are unaffected.
func ItemTime(it model.Item) time.Time {
	if it.Published.IsZero() {
		return it.Published
	}
	pos := min(max(it.Position, 1), itemSlots)
	return it.Published.Add(time.Duration(itemSlots-pos) * time.Second)
}

// FromItem converts an item to an entry: the GUID is "urn:bulletin:item:"
// plus the item's stable id, the link is the item's page on site (its
// original edition page is Via), the time is ItemTime, the categories are
// its section and organisations, the enclosures are its links to documents
// (PDF, Word, Excel, OpenDocument, PowerPoint, CSV, by extension or by
// Link.Type), and the summary is the start of its text cut at a word
// boundary, its paragraphs and lines kept. ContentHTML is the item's HTML
// unless summaryOnly.
func FromItem(site Site, it model.Item, summaryOnly bool) Entry {
	id := it.ID
	if id == "" {
		id = model.ItemID(it.EditionID, it.Title)
	}
	when := ItemTime(it)
	e := Entry{
		ID:          itemURN + url.PathEscape(id),
		Title:       it.Title,
		URL:         site.ItemURL(id),
		Via:         it.URL(),
		ViaTitle:    it.EditionTitle,
		Summary:     Summarize(it.Text, summaryRunes),
		ContentHTML: it.HTML,
		Published:   when,
		Updated:     when,
		Categories:  dedupe(append([]string{it.Section}, it.Orgs...)),
		Enclosures:  enclosures(it.Links),
	}
	if e.URL == "" {
		e.URL, e.Via, e.ViaTitle = e.Via, "", ""
	}
	if summaryOnly {
		e.ContentHTML = ""
	}
	return e
}

// FromEdition converts an edition to an entry: its editorial HTML followed
// by a list of its articles, each title linking to the item's page on site,
// in position order. The entry links to the edition's page on site, its
// original page being Via. Items of other editions are ignored. The
// categories are the sections of its items.
func FromEdition(site Site, ed model.Edition, items []model.Item, summaryOnly bool) Entry {
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
		URL:       site.EditionURL(id),
		Via:       ed.URL,
		ViaTitle:  strings.TrimSpace(ed.Title),
		Summary:   Summarize(ed.Editorial, summaryRunes),
		Published: ed.Published,
		Updated:   ed.Published,
	}
	if e.URL == "" {
		e.URL, e.Via, e.ViaTitle = ed.URL, "", ""
	}
	var sections, titles []string
	for _, it := range own {
		sections = append(sections, it.Section)
		titles = append(titles, strings.TrimSpace(it.Title))
	}
	e.Categories = dedupe(sections)
	if e.Summary == "" && len(titles) > 0 {
		e.Summary = Summarize(fmt.Sprintf("%d articles:\n%s", len(titles), strings.Join(titles, "\n")), summaryRunes)
	}
	if summaryOnly {
		return e
	}
	var b strings.Builder
	b.WriteString(ed.EditorialHTML)
	if len(own) > 0 {
		b.WriteString("\n<h2>In this edition</h2>\n<ul>\n")
		for _, it := range own {
			itID := it.ID
			if itID == "" {
				itID = model.ItemID(id, it.Title)
			}
			href := site.ItemURL(itID)
			if href == "" {
				href = it.URL()
			}
			fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", html.EscapeString(href), html.EscapeString(it.Title))
		}
		b.WriteString("</ul>\n")
	}
	e.ContentHTML = strings.TrimPrefix(b.String(), "\n")
	return e
}

// EventsFromItem lists the calendar events of an item: each of its events
// (timed or all-day, titled by the event or else the item) and each of its
// deadlines as an all-day "Deadline: <title>" event whose description starts
// with the deadline as a sentence ("Closes Monday 25 September."). Events
// link to the item's page on site (a zero Site: the original edition). UIDs
// are stable: the item id, the kind and the date, with "-2", "-3" … for a
// second and third event on one day; a deadline date given twice yields one
// event.
func EventsFromItem(site Site, it model.Item) []CalEvent {
	id := it.ID
	if id == "" {
		id = model.ItemID(it.EditionID, it.Title)
	}
	link := site.ItemURL(id)
	if link == "" {
		link = it.URL()
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
			URL:         link,
			Location:    place,
			Start:       ev.Start,
			End:         ev.End,
			AllDay:      ev.AllDay,
			Updated:     it.Published,
		})
	}
	for _, d := range it.Deadlines {
		day, err := dates.ParseDay(strings.TrimSpace(d.Date))
		if err != nil {
			continue
		}
		uid := id + "-deadline-" + day.Format(icalDate)
		if seen[uid]++; seen[uid] > 1 {
			continue
		}
		desc := sentence(d.Text)
		if summary != "" {
			if desc != "" {
				desc += "\n\n"
			}
			desc += summary
		}
		out = append(out, CalEvent{
			UID:         uid + "@bulletin",
			Summary:     "Deadline: " + strings.TrimSpace(it.Title),
			Description: desc,
			URL:         link,
			Start:       day,
			AllDay:      true,
			Updated:     it.Published,
		})
	}
	return out
}

// sentence makes a phrase ("closes Monday 25 September") read as a
// sentence: white space collapsed, the first letter upper-case and a full
// stop at the end unless it ends in punctuation already.
func sentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[size:]
	if last, _ := utf8.DecodeLastRuneInString(s); !strings.ContainsRune(".!?…", last) {
		s += "."
	}
	return s
}

// Summarize makes the plain-text summary of a text: paragraphs (separated
// by blank lines) and lines (list items, line breaks) are kept, white space
// within a line is collapsed, and the result is cut to at most n runes at a
// word boundary, a cut marked with an ellipsis.
func Summarize(text string, n int) string {
	var paras []string
	for _, p := range paragraphs(text) {
		paras = append(paras, strings.Join(p, "\n"))
	}
	s := strings.Join(paras, "\n\n")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	// Byte offset of rune n, and the last break at or before it.
	cut := len(s)
	for i := range s {
		if n == 0 {
			cut = i
			break
		}
		n--
	}
	if sp := strings.LastIndexAny(s[:cut+1], " \n"); sp > 0 {
		cut = sp
	}
	return strings.TrimRight(s[:cut], " \n,;:.-–—") + "…"
}

// paragraphs splits a plain text into paragraphs (at blank lines) of
// non-empty lines, white space within each line collapsed.
func paragraphs(text string) [][]string {
	var out [][]string
	var cur []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// TextHTML renders a plain text as HTML that shows the same text: every
// character escaped once, each paragraph a <p>, line breaks <br>. It is how
// a plain-text summary goes into a field that readers take as HTML (RSS
// description).
func TextHTML(text string) string {
	var b strings.Builder
	for _, p := range paragraphs(text) {
		b.WriteString("<p>")
		for i, line := range p {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(html.EscapeString(line))
		}
		b.WriteString("</p>")
	}
	return b.String()
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
		byExt, declared := model.DocumentType(u), strings.TrimSpace(l.Type)
		if byExt == "" && !model.IsDocumentType(declared) {
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
