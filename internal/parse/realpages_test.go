package parse_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/lga-digital/bulletin/internal/parse"
	"github.com/lga-digital/bulletin/internal/testenv/lgafixtures"
)

// realPagesDir finds the reference bulletins of other senders that the
// project keeps beside its repositories (shared/real-pages; never copied
// into this repository): $BULLETIN_REAL_PAGES, else shared/real-pages in the
// module root's parent or any folder above it. "" when there is none.
func realPagesDir(t *testing.T) string {
	if d := os.Getenv("BULLETIN_REAL_PAGES"); d != "" {
		return d
	}
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		if st, err := os.Stat(filepath.Join(dir, "shared", "real-pages")); err == nil && st.IsDir() {
			return filepath.Join(dir, "shared", "real-pages")
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// realPage parses one reference page as it reaches a reader: the e-mail's
// HTML part, or a topic feed item's description with the item's title.
func realPage(t *testing.T, dir, file string, carrier parse.Carrier) parse.Result {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	res, err := parse.Parse(body, "text/html; charset=utf-8", "https://content.govdelivery.com/accounts/X/bulletins/"+file, parse.Options{Source: "real", Carrier: carrier})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func titles(res parse.Result) []string {
	var out []string
	for _, it := range res.Items {
		out = append(out, it.Title)
	}
	return out
}

// TestRealPages checks the articles that the README of shared/real-pages
// describes for each reference bulletin.
func TestRealPages(t *testing.T) {
	dir := realPagesDir(t)
	if dir == "" {
		t.Skip("no shared/real-pages folder (set BULLETIN_REAL_PAGES)")
	}
	t.Run("healthcare.gov: one article, the bold closing line and the sign-off inside it", func(t *testing.T) {
		res := realPage(t, dir, "hcgov-uscmshim-2023-01-09.html", parse.Carrier{})
		if got := titles(res); len(got) != 1 || got[0] != "Don’t wait any longer! Find coverage by Jan. 15" {
			t.Fatalf("items %q, want the one article under the h1", got)
		}
		if res.Edition.Title != "Find affordable coverage by Jan. 15 at HealthCare.gov" {
			t.Errorf("title %q", res.Edition.Title)
		}
		text := res.Items[0].Text
		for _, want := range []string{"Our records show", "If you would like assistance", "Remember to enroll by January 15", "The HealthCare.gov Team"} {
			if !strings.Contains(text, want) {
				t.Errorf("article lacks %q:\n%s", want, text)
			}
		}
		for _, not := range []string{"View in browser", "Visit HealthCare.gov to see if you qualify", "paid for by", "GovDelivery"} {
			if strings.Contains(text, not) || strings.Contains(res.Edition.Editorial, not) {
				t.Errorf("boilerplate %q in the article or editorial", not)
			}
		}
		if !res.Edition.Published.IsZero() {
			t.Errorf("published %v: the page states no date", res.Edition.Published)
		}
	})
	t.Run("columbus highlights: three list-item articles, ### no text, the date line", func(t *testing.T) {
		res := realPage(t, dir, "columbus-ohccc-3711279-council-highlights.html", parse.Carrier{Subject: "September 18, 2023 Final Meeting Highlights"})
		want := []string{"RECOGNIZING AND CELEBRATING SICKLE CELL AWARENESS MONTH", "INVESTING IN RESIDENT SAFETY AND HOME PRESERVATION", "EXPANDING PAID FAMILY LEAVE FOR CITY EMPLOYEES"}
		if got := titles(res); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("items %q, want %q", got, want)
		}
		for i, start := range []string{"In honor of Sickle Cell Awareness Month", "Councilmember Shayla Favor", "Councilmember Emmanuel Remy"} {
			if !strings.HasPrefix(res.Items[i].Text, start) {
				t.Errorf("item %d starts %.50q, want %q", i+1, res.Items[i].Text, start)
			}
		}
		if !strings.Contains(res.Edition.Editorial, "IMPORTANT NOTE: The meeting will be live-streamed") {
			t.Errorf("editorial %q lacks the note before the articles", res.Edition.Editorial)
		}
		if res.Edition.Title != "September 18, 2023 Final Meeting Highlights" {
			t.Errorf("title %q", res.Edition.Title)
		}
		if d := res.Edition.Published.In(london(t)); d.Format("2006-01-02") != "2023-09-18" {
			t.Errorf("published %v, want the date line's 18 September 2023", d)
		}
		for _, it := range res.Items {
			if strings.Contains(it.Text, "###") || strings.Contains(it.HTML, "###") || strings.Contains(it.Text, "September 18, 2023") {
				t.Errorf("item %q holds the end marker or the date line", it.Title)
			}
		}
	})
	t.Run("columbus ABE newsletter: five govd_header articles, Staff Spotlight keeps its labels", func(t *testing.T) {
		res := realPage(t, dir, "columbus-ohccc-3729859-sustainable-columbus-abe-newsletter.html", parse.Carrier{Subject: "Happy National Drive Electric Week!"})
		want := []string{"Happy National Drive Electric Week!", "Columbus Region Green Fund Launches", "Staff Spotlight",
			"Columbus Receives ‘Gold Status’ E3C Award from Ohio EPA", "‘Cash In on Clean Energy Tour’ coming to Columbus!"}
		if got := titles(res); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("items %q, want %q", got, want)
		}
		for _, it := range res.Items {
			if it.Section != "" {
				t.Errorf("item %q in section %q: no heading groups these articles", it.Title, it.Section)
			}
		}
		spot := res.Items[2].Text
		for _, want := range []string{"Name: Mikhail Yahtnitskiy", "Title: Regulatory Compliance Advisor", "About Me: I’m an environmental professional"} {
			if !strings.Contains(spot, want) {
				t.Errorf("Staff Spotlight lacks %q:\n%s", want, spot)
			}
		}
		if res.Edition.Editorial != "" {
			t.Errorf("editorial %q: the newsletter opens with its first article", res.Edition.Editorial)
		}
	})
	t.Run("every word kept", func(t *testing.T) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
		for _, f := range files {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			res := realPage(t, dir, filepath.Base(f), parse.Carrier{})
			checkCoverage(t, filepath.Base(f), body, res, nil)
		}
	})
}

func london(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestEveryWordKept: every word of a body's visible text outside known
// boilerplate ends up in an item, the editorial or the edition's own
// fields, for every page case and every LGA fixture.
func TestEveryWordKept(t *testing.T) {
	for _, c := range pageCases(t) {
		checkCoverage(t, c.name, c.body, c.parse(t), c.opt.SignOff)
	}
	opt := lgafixtures.ParseOptions(t)
	for _, p := range fixturePages(t) {
		res, err := parse.Parse(p.body, p.contentType, p.url, opt)
		if err != nil {
			t.Fatal(err)
		}
		checkCoverage(t, p.ID, p.body, res, opt.SignOff)
	}
}

// The test's own notion of boilerplate, written apart from the parser's:
// footers and preheaders by their template names, and these lines.
var (
	coverFooterRe = regexp.MustCompile(`(?i)^(did someone forward|subscriber services|powered by|update your subscriptions|this e-?mail was sent|manage preferences|unsubscribe)`)
	coverSkipRe   = regexp.MustCompile(`(?i)^(having trouble viewing|view (it |this e-?mail )?(as|in) (a web ?page|your browser)|view in browser|view this email in your browser|(join|follow) us on|###$|- end -$|[\w ,&'’-]+ team: \S+@\S+$|((monday|tuesday|wednesday|thursday|friday|saturday|sunday),? )?((january|february|march|april|may|june|july|august|september|october|november|december) \d{1,2},?|\d{1,2} (january|february|march|april|may|june|july|august|september|october|november|december)) \d{4}$)`)
	coverValeRe   = regexp.MustCompile(`(?i)^(best wishes|kind regards|sincerely|many thanks|thanks|regards|yours sincerely)[,.!]?$`)
	coverBoxRe    = regexp.MustCompile(`(?i)^(mail_footer|tagline|main-footer|gd_ab_footer|preheader.*)$`)
	coverRoleRe   = regexp.MustCompile(`^(Head|Director|Deputy Director|Chief Executive|Mayor) (of|for)\b`)
	coverTinyRe   = regexp.MustCompile(`(?i)font-size\s*:\s*[0-2](\.\d+)?px|display\s*:\s*none`)
)

// visibleLines renders a page's visible text as lines, leaving out script,
// style, the head, hidden boxes, and the footer and preheader boxes of
// GovDelivery's templates.
func visibleLines(t *testing.T, page []byte) []string {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(strings.ReplaceAll(n.Data, "\n", " "))
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Head, atom.Title, atom.Noscript, atom.Template:
				return
			}
			var id, class, style string
			for _, a := range n.Attr {
				switch a.Key {
				case "id":
					id = a.Val
				case "class":
					class = a.Val
				case "style":
					style = a.Val
				}
			}
			if coverBoxRe.MatchString(id) || strings.Contains(class, "main-footer") || strings.Contains(class, "preheader") || coverTinyRe.MatchString(style) {
				return
			}
			switch n.DataAtom {
			case atom.P, atom.Div, atom.Td, atom.Th, atom.Li, atom.Tr, atom.Br, atom.Ul, atom.Ol, atom.Table, atom.Hr,
				atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				b.WriteByte('\n')
				defer b.WriteByte('\n')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	root := doc
	var find func(*html.Node)
	find = func(n *html.Node) {
		for _, a := range n.Attr {
			if (a.Key == "id" || a.Key == "class") && a.Val == "bulletin_body" && root == doc {
				root = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	visit(root)
	var out []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l = strings.Join(strings.Fields(strings.ReplaceAll(l, "\u00a0", " ")), " "); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// checkCoverage fails for each visible word that the parse lost.
func checkCoverage(t *testing.T, name string, page []byte, res parse.Result, signOff []string) {
	t.Helper()
	kept := map[string]bool{}
	ed := res.Edition
	for _, s := range []string{ed.Title, ed.IssueLine, ed.Editorial, res.Masthead} {
		for _, w := range words(s) {
			kept[w] = true
		}
	}
	for _, it := range res.Items {
		for _, s := range []string{it.Title, it.Text, it.Section} {
			for _, w := range words(s) {
				kept[w] = true
			}
		}
	}
	var own []*regexp.Regexp
	for _, p := range signOff {
		own = append(own, regexp.MustCompile("(?i)"+p))
	}
	lines := visibleLines(t, page)
	lost := map[string]bool{}
	signature := map[int]bool{}
	for i, l := range lines {
		if coverRoleRe.MatchString(l) && i > 0 {
			// Name, role and organisation sign a letter.
			signature[i-1], signature[i] = true, true
			if i+1 < len(lines) && len(strings.Fields(lines[i+1])) <= 5 {
				signature[i+1] = true
			}
		}
	}
lines:
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if signature[i] {
			continue
		}
		if coverFooterRe.MatchString(l) {
			break
		}
		if coverSkipRe.MatchString(l) {
			continue
		}
		for _, re := range own {
			if re.MatchString(l) {
				continue lines
			}
		}
		if coverValeRe.MatchString(l) {
			// The valediction and the signature after it (name, role,
			// organisation) close the letter.
			i += min(3, len(lines)-i-1)
			continue
		}
		for _, w := range words(l) {
			if !kept[w] && !lost[w] {
				lost[w] = true
				t.Errorf("%s: %q of the line %.80q is in no item nor the editorial", name, w, l)
			}
		}
	}
}
