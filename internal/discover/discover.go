// Package discover finds the edition URLs of a source: in its RSS or Atom
// feed, on its HTML list pages, and among URLs the config already knows.
// It only reads bodies it is given; fetching is the crawler's job.
package discover

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/lga-digital/bulletin/internal/dates"
)

// Candidate is a URL that may be an edition of a source.
type Candidate struct {
	URL       string    // absolute and normalised (see NormaliseURL)
	Title     string    // the feed entry's title or the link text; may be empty
	Published time.Time // UTC; zero when unknown
	From      string    // "feed", "list" or "known"
	// Body is the whole bulletin as HTML when the feed entry carries it
	// (see WholeBody), so that the edition needs no request for its page;
	// nil otherwise.
	Body []byte
}

// Where a candidate was found.
const (
	FromFeed  = "feed"
	FromList  = "list"
	FromKnown = "known"
)

var govDelivery = regexp.MustCompile(`^/accounts/[^/]+/bulletins/[0-9a-z]+$`)

// GovDeliveryPattern matches GovDelivery bulletin paths, such as
// /accounts/UKLGA/bulletins/392f025.
func GovDeliveryPattern() *regexp.Regexp { return govDelivery }

// ArchiveOrder is a bulletin's place in its GovDelivery archive: the
// bulletin id of a GovDelivery bulletin URL (/accounts/ACCT/bulletins/ID),
// read as the hexadecimal number it is. GovDelivery hands out ids in
// increasing order as bulletins are sent, so a larger id is a later
// bulletin. It is 0 for any other URL.
func ArchiveOrder(pageURL string) int64 {
	u, err := url.Parse(pageURL)
	if err != nil || !govDelivery.MatchString(u.Path) {
		return 0
	}
	id := u.Path[strings.LastIndexByte(u.Path, '/')+1:]
	if len(id) > 15 {
		return 0
	}
	n, err := strconv.ParseInt(id, 16, 64)
	if err != nil {
		return 0
	}
	return n
}

// Feed reads an RSS or Atom feed (github.com/mmcdole/gofeed) and returns its
// entries' links resolved against base, in feed order, without duplicates.
// Entries without an http(s) link are left out.
func Feed(body []byte, base string) (cands []Candidate, err error) {
	baseURL, err := parseBase(base)
	if err != nil {
		return nil, err
	}
	// gofeed is third-party code fed with untrusted bytes: a panic in it must
	// end as an error for this feed, not take the crawl down.
	defer func() {
		if r := recover(); r != nil {
			cands, err = nil, fmt.Errorf("parse feed %s: parser panic: %v", base, r)
		}
	}()
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse feed %s: %w", base, err)
	}
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		links := append([]string{it.Link}, it.Links...)
		if strings.HasPrefix(it.GUID, "http://") || strings.HasPrefix(it.GUID, "https://") {
			links = append(links, it.GUID)
		}
		u := ""
		for _, l := range links {
			if u = resolve(baseURL, l); u != "" {
				break
			}
		}
		if u == "" {
			continue
		}
		c := Candidate{URL: u, Title: feedTitle(it.Title), From: FromFeed}
		for _, b := range []string{it.Content, it.Description} {
			if WholeBody(b) {
				c.Body = []byte(b)
				break
			}
		}
		switch {
		case it.PublishedParsed != nil:
			c.Published = it.PublishedParsed.UTC()
		case it.UpdatedParsed != nil:
			c.Published = it.UpdatedParsed.UTC()
		}
		cands = append(cands, c)
	}
	return Merge(cands), nil
}

// Thresholds of WholeBody.
const (
	minBodyWords  = 40
	minBodyBlocks = 3
)

// blockTags are the elements counted as blocks by WholeBody.
var blockTags = map[string]bool{"p": true, "div": true, "table": true, "tr": true, "li": true, "blockquote": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true}

// truncated matches the end of a summary cut short ("…", "...", "[…]",
// "Read more").
var truncated = regexp.MustCompile(`(?i)(?:…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading)\s*$`)

// WholeBody reports whether a feed entry's description (or content) is the
// whole bulletin rather than a summary: HTML with at least 3 block elements
// (paragraphs, table rows, list items, headings…) and at least 40 words of
// text that does not end as a cut-short summary does ("…", "Read more").
// GovDelivery's topic and account feeds carry each bulletin's e-mail body,
// tables and all; a plain-text or one-paragraph teaser is a summary, and
// its entry leads to the edition's page instead.
func WholeBody(s string) bool {
	if len(s) < minBodyWords*2 || !strings.Contains(s, "<") {
		return false
	}
	z := html.NewTokenizer(strings.NewReader(s))
	blocks, words := 0, 0
	var last string
	skip := 0 // inside <script> or <style>
	for {
		switch z.Next() {
		case html.ErrorToken:
			return blocks >= minBodyBlocks && words >= minBodyWords && !truncated.MatchString(last)
		case html.StartTagToken:
			name, _ := z.TagName()
			switch tag := string(name); {
			case tag == "script" || tag == "style":
				skip++
			case blockTags[tag]:
				blocks++
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); (string(name) == "script" || string(name) == "style") && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip == 0 {
				if t := strings.TrimSpace(string(z.Text())); t != "" {
					words += len(strings.Fields(t))
					last = t
				}
			}
		}
	}
}

// feedTitle is a feed entry's title as plain text. Feeds often carry HTML
// in titles (Atom type="html", entities escaped twice in RSS), so markup is
// read as HTML and reduced to its text.
func feedTitle(s string) string {
	if strings.ContainsAny(s, "<&") {
		if doc, err := goquery.NewDocumentFromReader(strings.NewReader(s)); err == nil {
			s = doc.Text()
		}
	}
	return collapse(s)
}

// List reads an HTML list page and returns the links whose path matches
// pattern, resolved against base (or the page's <base href>) and
// deduplicated, with the link text as Title and any date written next to the
// link. next is the URL of the following page when the list paginates
// (rel="next", or a "Next"/"Older" link), else "".
func List(body []byte, base string, pattern *regexp.Regexp) (cands []Candidate, next string, err error) {
	if pattern == nil {
		return nil, "", errors.New("parse list: nil pattern")
	}
	baseURL, err := parseBase(base)
	if err != nil {
		return nil, "", err
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, "", fmt.Errorf("parse list %s: %w", base, err)
	}
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b := resolve(baseURL, href); b != "" {
			baseURL, _ = url.Parse(b)
		}
	}

	// First find every matching link, so that the date search can tell a
	// row holding one link from a block holding many.
	links := doc.Find("a[href]")
	isCand := make(map[*html.Node]string)
	links.Each(func(_ int, a *goquery.Selection) {
		u := resolve(baseURL, a.AttrOr("href", ""))
		if u == "" {
			return
		}
		if pu, err := url.Parse(u); err == nil && pattern.MatchString(pu.Path) {
			isCand[a.Get(0)] = u
		}
	})
	links.Each(func(_ int, a *goquery.Selection) {
		u, ok := isCand[a.Get(0)]
		if !ok {
			return
		}
		title := collapse(a.Text())
		if title == "" {
			title = collapse(a.AttrOr("title", a.AttrOr("aria-label", "")))
		}
		cands = append(cands, Candidate{URL: u, Title: title, Published: dateNear(a, isCand), From: FromList})
	})
	return Merge(cands), nextPage(doc, baseURL, isCand), nil
}

// nextPage finds the link to the following page of a list.
func nextPage(doc *goquery.Document, base *url.URL, isCand map[*html.Node]string) string {
	self := ""
	if base != nil {
		self = NormaliseURL(base.String())
	}
	accept := func(href string) string {
		u := resolve(base, href)
		if u == "" || u == self {
			return ""
		}
		return u
	}
	var found string
	doc.Find(`link[rel], a[rel]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if hasToken(s.AttrOr("rel", ""), "next") {
			found = accept(s.AttrOr("href", ""))
		}
		return found == ""
	})
	if found != "" {
		return found
	}
	doc.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		if _, ok := isCand[a.Get(0)]; ok {
			return true
		}
		label := collapse(a.Text())
		if label == "" {
			label = collapse(a.AttrOr("aria-label", a.AttrOr("title", "")))
		}
		if nextLabel.MatchString(label) {
			found = accept(a.AttrOr("href", ""))
		}
		return found == ""
	})
	return found
}

// nextLabel matches the text of a pagination link to older entries.
var nextLabel = regexp.MustCompile(`(?i)^(?:next|older)(?:\s+(?:page|bulletins|entries|posts|items))?\s*[›»>→]*$|^[›»→]$`)

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(strings.ToLower(list)) {
		if f == tok {
			return true
		}
	}
	return false
}

// dateNear looks for a date beside link a: in the enclosing elements (up to
// three levels) that hold no link to another candidate, outside a's text.
func dateNear(a *goquery.Selection, isCand map[*html.Node]string) time.Time {
	if t := dateIn(a.Find("time")); !t.IsZero() {
		return t
	}
	own := isCand[a.Get(0)]
	row := a
	for range 3 {
		parent := row.Parent()
		if parent.Length() == 0 || goquery.NodeName(parent) == "body" {
			break
		}
		// Several links to one edition (an image and a title) still make
		// one row; links to two editions make a block.
		mixed := false
		parent.Find("a[href]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
			if u, ok := isCand[s.Get(0)]; ok && u != own {
				mixed = true
			}
			return !mixed
		})
		if mixed {
			break
		}
		row = parent
		if t := dateIn(row.Find("time")); !t.IsZero() {
			return t
		}
		if t := dates.Find(textOutside(row, a), nil); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// dateIn reads the first <time> element's datetime attribute or text.
func dateIn(s *goquery.Selection) time.Time {
	if s.Length() == 0 {
		return time.Time{}
	}
	s = s.First()
	if dt, ok := s.Attr("datetime"); ok {
		if t, ok := dates.ISO(dt, nil); ok {
			return t
		}
	}
	return dates.Find(s.Text(), nil)
}

// textOutside is the text of row without the text of the link a.
func textOutside(row, a *goquery.Selection) string {
	skip := a.Get(0)
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n == skip {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range row.Nodes {
		walk(n)
	}
	return b.String()
}

func parseBase(base string) (*url.URL, error) {
	if base == "" {
		return nil, nil
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("bad base URL %q: %w", base, err)
	}
	return u, nil
}

// resolve makes href absolute against base and normalises it; "" when the
// result is not an http(s) URL with a host.
func resolve(base *url.URL, href string) string {
	href = strings.TrimSpace(href)
	if href == "" {
		return ""
	}
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if s := strings.ToLower(u.Scheme); (s != "http" && s != "https") || u.Host == "" {
		return ""
	}
	return NormaliseURL(u.String())
}

// collapse trims s and folds runs of white space into one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
