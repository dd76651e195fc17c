package parse_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/lga-digital/bulletin/internal/parse"
	"github.com/lga-digital/bulletin/internal/testenv/lgafixtures"
)

// checkSanitized fails when the sanitiser would change an item's HTML or
// the editorial's: the renderer writes only what it allows.
func checkSanitized(t *testing.T, name string, res parse.Result) {
	t.Helper()
	htmls := []string{res.Edition.EditorialHTML}
	for _, it := range res.Items {
		htmls = append(htmls, it.HTML)
	}
	for _, h := range htmls {
		if got := parse.Sanitize(h); got != h {
			t.Errorf("%s: the sanitiser changes the rendered HTML\n got %q\nfrom %q", name, got, h)
		}
	}
}

// TestRenderedHTMLIsSanitized parses every page the tests know, with both
// profiles, and passes the HTML rendered through the sanitiser.
func TestRenderedHTMLIsSanitized(t *testing.T) {
	type input struct {
		name, contentType, url string
		body                   []byte
		opt                    parse.Options
	}
	var inputs []input
	for _, p := range fixturePages(t) {
		inputs = append(inputs, input{p.url, p.contentType, p.url, p.body, lgafixtures.ParseOptions(t)})
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.html"))
	if dir := realPagesDir(t); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "*.html"))
		files = append(files, more...)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, input{f, "text/html", "https://content.govdelivery.com/accounts/X/bulletins/" + filepath.Base(f), b, parse.Options{Source: "x"}})
	}
	pages, _ := generatedPages(t, 20)
	for _, p := range pages {
		inputs = append(inputs, input{p.url, p.contentType, p.url, p.body, lgafixtures.ParseOptions(t)})
	}
	for _, in := range inputs {
		for _, profile := range []string{parse.ProfileGovDelivery, parse.ProfileGeneric} {
			opt := in.opt
			opt.Profile = profile
			res, err := parse.Parse(in.body, in.contentType, in.url, opt)
			if err != nil {
				continue
			}
			checkSanitized(t, fmt.Sprintf("%s (%s)", in.name, profile), res)
		}
	}
}

// FuzzRenderedHTMLIsSanitized renders fragments of a bulletin body: links
// of every kind, escapes, nesting that mail HTML gets wrong.
func FuzzRenderedHTMLIsSanitized(f *testing.F) {
	for _, s := range []string{
		`<h3>T</h3><p>a <a href="https://x.example/a?b=1&amp;c=2#f">link</a> &lt;x&gt; &amp; "q" 'a'</p>`,
		`<p><b>Title</b><br>text <a href="mailto:A@B.co?subject=x">m</a></p><ul><li>a</li><li><table><tr><td>x</td><td>y</td></tr></table></li></ul>`,
		`<h2>G</h2><h3>T</h3><p>x<font><i>y</i><em>z</em><strong>w</strong></font><a href="/rel/path?q=%20x">r</a><a href=" https://x.example/?q=a b ">s</a></p>`,
		"<p>\x00\r\n\u00a0x\ufeff<h1>a</h1></p><table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
		`<p><a href="https://x.example/"><a href="javascript:alert(1)">x</a></a><a href="HTTPS://X.example/%7e?a=%zz">y</a></p>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		page := []byte("<html><body><div id=bulletin_body>" + s + "</div></body></html>")
		for _, profile := range []string{parse.ProfileGovDelivery, parse.ProfileGeneric} {
			res, err := parse.Parse(page, "text/html", "https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025", parse.Options{Source: "s", Profile: profile})
			if err == nil {
				checkSanitized(t, profile, res)
			}
		}
	})
}
