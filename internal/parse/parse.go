// Package parse turns the HTML page of one bulletin edition into a
// model.Edition and its model.Items.
//
// Two profiles are offered. The "govdelivery" profile reads the pages that
// GovDelivery archives for e-mail bulletins: the e-mail as sent, in nested
// layout tables with no per-article markup, so articles are found from the
// headings and divider rows that separate them (see /work/shared/design.md §3).
// It reads every GovDelivery template family — the "Advanced Designer"
// main-table, legacy gd_ab, the yahoo main-table, the block editor (ABE),
// gd_combo_table cells — whether the page is an archive page, a feed item's
// body or an e-mail's HTML part: headings are h1–h4, govd_header, wholly
// bold paragraphs and cells, or bold runs ending in a colon that open
// repeated paragraphs or list items; a letter or introduction before the
// first article is the editorial; a body without headings is one article.
// The "generic" profile is driven by CSS selectors from the configuration.
//
// Parsing is a pure function of the page bytes and options; a source's
// options are prepared once by New, whose Parser parses its pages. Per-item
// extraction of dates, deadlines, events, organisations and contacts is
// exported separately as Extract.
package parse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"

	"github.com/lga-digital/bulletin/internal/model"
)

// Profiles understood by Parse.
const (
	ProfileGovDelivery = "govdelivery"
	ProfileGeneric     = "generic"
)

// ErrNoBody is returned (wrapped) when a page has nothing recognisable as a
// bulletin body.
var ErrNoBody = errors.New("no bulletin body")

// Options control one call of Parse.
type Options struct {
	Source    string    // source id from config; used for model.EditionID / ItemID
	Profile   string    // "govdelivery" (default when empty) or "generic"
	Orgs      []Org     // organisations to recognise; nil means DefaultOrgs()
	Selectors Selectors // for the generic profile
	// Carrier is what the envelope the page came in says of it: a feed
	// item's <title> and <pubDate>, an e-mail's Subject and Date headers.
	// It fills the edition's title and date when the page itself (a body
	// without page chrome) does not state them.
	Carrier Carrier
	// SignOff are a source's own closing lines, never article text:
	// regular expressions (RE2 syntax) matched against each line of a
	// paragraph, case-insensitively ("^head of programme\s*:"). A team's
	// contact line ("Digital Team: team@example.org") is one already.
	SignOff []string
	// Groups are a source's own group headings ("Monthly Highlights"):
	// headings that gather the articles under them rather than start one,
	// even at the rank of those articles. They add to DefaultGroups.
	Groups []string
}

// Carrier is the metadata a feed item or an e-mail carries beside a body.
type Carrier struct {
	Subject   string    // the feed item's title or the e-mail's Subject
	Published time.Time // the feed item's pubDate or the e-mail's Date; zero when unknown
}

// Selectors locate the parts of a page for the generic profile. Each is a CSS
// selector (cascadia syntax, as in goquery); an empty selector falls back to
// the default given with it.
type Selectors struct {
	// Body selects the element holding the bulletin content; the first match
	// is used. Default: "#bulletin_body, .bulletin_body, main, article, body".
	Body string
	// Item selects one element per article inside Body. When empty, articles
	// are found inside Body from headings and dividers, as in the govdelivery
	// profile.
	Item string
	// Title selects, inside each Item, the element whose text is the article
	// title. Default: the first h1–h4, else the first strong or b.
	Title string
	// Date selects, in the whole page, an element whose text (or datetime or
	// content attribute) holds the send date, e.g. "time[datetime]".
	// Default: "span.dateline".
	Date string
	// Number selects, in the whole page, an element whose text holds the
	// edition number: an issue line ("May 2023 No.9") or the first integer.
	// Default: none; the issue line and "nth edition" are looked for instead.
	Number string
}

// Result is the outcome of parsing one edition page.
type Result struct {
	Edition  model.Edition
	Items    []model.Item // in page order; Position 1..n
	Masthead string       // the masthead / series line, for matching a source's pattern
}

// A Parser parses the pages of one source with its options prepared once:
// the organisations to recognise, the group headings, the sign-off patterns
// compiled. It is safe for concurrent use.
type Parser struct {
	source    string
	profile   string
	selectors Selectors
	orgs      *orgFinder
	signOff   []startRe
	groups    map[string]bool // by groupKey
}

// New prepares a Parser for opt. It fails on an unknown profile or a
// sign-off pattern that does not compile. opt.Carrier is not kept: each
// page's carrier is given to Parser.Parse.
func New(opt Options) (*Parser, error) {
	ps := &Parser{source: opt.Source, profile: strings.ToLower(opt.Profile), selectors: opt.Selectors,
		groups: map[string]bool{}}
	switch ps.profile {
	case "":
		ps.profile = ProfileGovDelivery
	case ProfileGovDelivery, ProfileGeneric:
	default:
		return nil, fmt.Errorf("unknown profile %q", opt.Profile)
	}
	orgs := opt.Orgs
	if orgs == nil {
		orgs = DefaultOrgs()
	}
	ps.orgs = newOrgFinder(orgs)
	for _, g := range append(DefaultGroups(), opt.Groups...) {
		ps.groups[groupKey(g)] = true
	}
	for _, pat := range opt.SignOff {
		re, err := compileStart("(?i)" + pat)
		if err != nil {
			return nil, fmt.Errorf("sign-off pattern %q: %w", pat, err)
		}
		ps.signOff = append(ps.signOff, re)
	}
	return ps, nil
}

// Parse turns one edition page into an edition and its items. It is a pure
// function of its inputs. contentType is the HTTP Content-Type header (may be
// empty); pageURL is the page's address, used to resolve relative links and
// to derive ids; carrier is what the envelope the page came in says of it
// (see Options.Carrier). It fails only when the page has no recognisable
// body.
func (ps *Parser) Parse(page []byte, contentType, pageURL string, carrier Carrier) (Result, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return Result{}, fmt.Errorf("parse %s: page URL: %w", pageURL, err)
	}
	r, err := decode(page, contentType)
	if err != nil {
		return Result{}, fmt.Errorf("parse %s: %w", pageURL, err)
	}
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		return Result{}, fmt.Errorf("parse %s: %w", pageURL, err)
	}
	p := &parser{Parser: ps, doc: doc, base: base, pageURL: pageURL, carrier: carrier}
	if ps.profile == ProfileGeneric {
		err = p.generic(ps.selectors)
	} else {
		err = p.govDelivery()
	}
	if err != nil {
		return Result{}, fmt.Errorf("parse %s: %w", pageURL, err)
	}
	return p.result(), nil
}

// Parse parses one page with opt, prepared for it alone (New, then
// Parser.Parse with opt.Carrier); the pages of a source are parsed with
// one Parser.
func Parse(page []byte, contentType, pageURL string, opt Options) (Result, error) {
	ps, err := New(opt)
	if err != nil {
		return Result{}, fmt.Errorf("parse %s: %w", pageURL, err)
	}
	return ps.Parse(page, contentType, pageURL, opt.Carrier)
}

// decode returns a reader of the page as UTF-8, honouring, in order, a byte
// order mark, the charset of the Content-Type header, a <meta> declaration
// anywhere in the head, and otherwise sniffing UTF-8 with a windows-1252
// fallback (what browsers do for legacy pages).
func decode(page []byte, contentType string) (io.Reader, error) {
	// Only DetermineEncoding's byte order mark and Content-Type make it
	// certain; what its prescan of the first 1024 bytes would find when
	// they do not, metaCharset finds too, so it is given the first three
	// bytes (the longest mark) and spared building a tokenizer.
	_, name, certain := charset.DetermineEncoding(page[:min(len(page), len(utf8BOM))], contentType)
	if !certain {
		if n := metaCharset(page); n != "" {
			name = n
		} else if utf8.Valid(page) {
			name = "utf-8"
		} else {
			name = "windows-1252"
		}
	}
	if name == "" || name == "utf-8" {
		// Valid UTF-8 is read as it is (the decoder would copy it through
		// unchanged), without a leading byte order mark.
		if body := bytes.TrimPrefix(page, utf8BOM); utf8.Valid(body) {
			return bytes.NewReader(body), nil
		}
		name = "utf-8"
	}
	// NewReaderLabel also strips a BOM when the label is utf-8.
	r, err := charset.NewReaderLabel(name, bytes.NewReader(page))
	if err != nil {
		// An unsupported label: read the bytes as UTF-8 and let cleaning drop what is invalid.
		return bytes.NewReader(page), nil
	}
	return r, nil
}

// utf8BOM is the byte order mark of UTF-8.
var utf8BOM = []byte("\xef\xbb\xbf")

// metaCharsRe reads the charset of a <meta> tag.
var metaCharsRe = regexp.MustCompile(`(?i)charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)`)

// untitledTitleWords is how many of its first words title an article that
// has no heading, in an edition that has no title either: a headline's length.
const untitledTitleWords = 12

// maxHeadBytes bounds the search for a <meta> charset declaration.
const maxHeadBytes = 64 << 10

// metaCharset finds a charset declared by <meta charset> or <meta http-equiv
// content="...; charset=..."> before the end of the head. Unlike the HTML
// prescan it is not limited to the first 1024 bytes, since GovDelivery pages
// carry long heads. The head ends at the first "</head>" or "<body"; each
// "<meta" tag runs to the next '>' (FuzzMetaCharset holds the scan to the
// regexps that say so).
func metaCharset(page []byte) string {
	head := page[:min(len(page), maxHeadBytes)]
	for i := tagStart(head, 0); i >= 0; i = tagStart(head, i+1) {
		if tagNamed(head[i:], "body") || closesHead(head[i:]) {
			head = head[:i]
			break
		}
	}
	for i := tagStart(head, 0); i >= 0; i = tagStart(head, i+1) {
		if !tagNamed(head[i:], "meta") {
			continue
		}
		n := bytes.IndexByte(head[i:], '>')
		if n < 0 {
			break
		}
		if c := metaCharsRe.FindSubmatch(head[i : i+n+1]); c != nil {
			if e, name := charset.Lookup(string(c[1])); e != nil {
				return name
			}
		}
		i += n
	}
	return ""
}

// tagStart is the offset of the first '<' in b from i, or -1.
func tagStart(b []byte, i int) int {
	if n := bytes.IndexByte(b[i:], '<'); n >= 0 {
		return i + n
	}
	return -1
}

// tagNamed reports whether b, which begins with '<', opens the element
// name (lower case) in any case, name ending at a word boundary.
func tagNamed(b []byte, name string) bool {
	return opensWith(b, name) && (len(b) == 1+len(name) || !isWordByte(b[1+len(name)]))
}

// closesHead reports whether b, which begins with '<', begins with
// "</head" in any case, white space (\s) and '>'.
func closesHead(b []byte) bool {
	const tag = "/head"
	if !opensWith(b, tag) {
		return false
	}
	rest := bytes.TrimLeftFunc(b[1+len(tag):], perlSpaceRune)
	return len(rest) > 0 && rest[0] == '>'
}

// opensWith reports whether b, which begins with '<', goes on with s (lower
// case) in any case.
func opensWith(b []byte, s string) bool {
	return len(b) > len(s) && equalFoldASCII(string(b[1:1+len(s)]), s)
}

// parser holds the state of one Parse call.
type parser struct {
	*Parser
	doc     *goquery.Document
	base    *url.URL
	pageURL string
	carrier Carrier
	links   map[string]cleanLink // by href attribute
	html    bytes.Buffer         // the HTML being written, reused from item to item

	edition  model.Edition
	bodyDate time.Time // a lone date line in the body
	masthead string
	items    []draft
}

// draft is an item before ids, extraction and cleaning.
type draft struct {
	title   string
	section string
	head    *block // the heading block, for links in the heading itself
	blocks  []*block
	// fromLead marks an article that opened with a bold title and a colon.
	fromLead bool
}

func (p *parser) result() Result {
	ed := p.edition
	ed.Source = p.source
	ed.URL = p.pageURL
	ed.ID = model.EditionID(p.source, p.pageURL)
	// The title: the page's subject, else the carrier's, else the
	// masthead, else the first article's.
	for _, t := range []string{ed.Title, oneLine(p.carrier.Subject), p.masthead} {
		if ed.Title = model.CleanText(t); ed.Title != "" {
			break
		}
	}
	if ed.Title == "" && len(p.items) > 0 {
		ed.Title = model.CleanText(p.items[0].title)
	}
	if ed.Number == 0 {
		ed.Number = subjectNumber(ed.Title)
	}
	ed.IssueLine = model.CleanText(ed.IssueLine)
	ed.Editorial = model.CleanText(ed.Editorial)
	ed.EditorialHTML = model.CleanText(ed.EditorialHTML)

	items := make([]model.Item, 0, len(p.items))
	ids := map[string]int{}
	anchors := map[string]int{}
	for i, d := range p.items {
		title := model.CleanText(d.title)
		if title == "" {
			// A body with no article heading: one article, titled by the
			// edition (or, lacking one, by its first words).
			title = ed.Title
		}
		r := p.render(d, title)
		if title == "" {
			title = firstWords(r.text, untitledTitleWords)
			r.titled = title + "\n" + r.text
		}
		it := model.Item{
			Source:        p.source,
			EditionID:     ed.ID,
			EditionURL:    ed.URL,
			EditionNumber: ed.Number,
			EditionTitle:  ed.Title,
			Published:     ed.Published,
			Position:      i + 1,
			Section:       model.CleanText(d.section),
			Title:         title,
		}
		it.ID = unique(ids, model.ItemID(ed.ID, title))
		it.Anchor = unique(anchors, slug(title, i+1))
		it.Text, it.HTML, it.Links = r.text, r.html, r.links
		x := extract(title, r.titled, ed.Published, p.orgs)
		it.Dates, it.Deadlines, it.Events, it.Orgs = x.Dates, x.Deadlines, x.Events, x.Orgs
		it.Contacts = dedupe(append(r.mailto, x.Contacts...))
		items = append(items, it)
	}
	ed.ItemCount = len(items)
	return Result{Edition: ed, Items: items, Masthead: model.CleanText(p.masthead)}
}

// firstWords returns the first line of text cut to at most n words.
func firstWords(text string, n int) string {
	line, _, _ := strings.Cut(text, "\n")
	words := strings.Fields(line)
	if len(words) > n {
		return strings.Join(words[:n], " ") + " …"
	}
	return strings.Join(words, " ")
}

// unique returns key, or key with "-2", "-3", … when it was seen before.
func unique(seen map[string]int, key string) string {
	seen[key]++
	n := seen[key]
	if n == 1 {
		return key
	}
	for {
		k := fmt.Sprintf("%s-%d", key, n)
		if seen[k] == 0 {
			seen[k] = 1
			return k
		}
		n++
	}
}

// slug makes an item's anchor in its edition page from its title: the words
// of model.NormaliseTitle (the one folding of titles, after common accented
// letters are folded to their base letter), kept to their ASCII letters and
// digits and joined by hyphens, cut at a word boundary. It differs from
// model.Slug only in what a URL fragment needs: ASCII and short; anchors
// already published keep their form.
func slug(title string, pos int) string {
	const max = 48
	var b strings.Builder
	b.Grow(max)
	for w := range strings.FieldsSeq(model.NormaliseTitle(foldASCII(title))) {
		// The word's ASCII characters: its bytes under utf8.RuneSelf (no
		// byte of a longer rune is one).
		n := 0
		for i := 0; i < len(w); i++ {
			if w[i] < utf8.RuneSelf {
				n++
			}
		}
		if n == 0 {
			continue
		}
		if b.Len() > 0 && b.Len()+1+n > max {
			break
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		for i := 0; i < len(w); i++ {
			if w[i] < utf8.RuneSelf {
				b.WriteByte(w[i])
			}
		}
	}
	s := b.String()
	if len(s) > max {
		s = s[:max]
	}
	if s == "" {
		return fmt.Sprintf("item-%d", pos)
	}
	return s
}

// foldASCII replaces common accented Latin letters by their base letter so
// that slugs of "Café" read "cafe" rather than "caf".
func foldASCII(s string) string {
	for i := 0; i < len(foldLeads); i++ {
		if strings.IndexByte(s, foldLeads[i]) >= 0 {
			return asciiFolder.Replace(s)
		}
	}
	return s // the replacer would look up every byte to find nothing
}

var asciiFolder = strings.NewReplacer(asciiFolds...)

// foldLeads are the first bytes of asciiFolds' letters, each once: a text
// holding none of them holds none of the letters.
var foldLeads = func() string {
	var leads []byte
	for i := 0; i < len(asciiFolds); i += 2 {
		if !bytes.Contains(leads, []byte{asciiFolds[i][0]}) {
			leads = append(leads, asciiFolds[i][0])
		}
	}
	return string(leads)
}()

// asciiFolds are the accented letters foldASCII replaces, each followed
// by its base letter.
var asciiFolds = []string{
	"à", "a", "á", "a", "â", "a", "ä", "a", "ã", "a", "å", "a",
	"è", "e", "é", "e", "ê", "e", "ë", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i",
	"ò", "o", "ó", "o", "ô", "o", "ö", "o", "õ", "o",
	"ù", "u", "ú", "u", "û", "u", "ü", "u",
	"ç", "c", "ñ", "n", "ý", "y", "ÿ", "y",
	"À", "A", "Á", "A", "Â", "A", "Ä", "A", "É", "E", "È", "E", "Ö", "O", "Ü", "U",
}

func dedupe(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}
