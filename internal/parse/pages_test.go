package parse_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/parse"
)

// A page case is testdata/pages/NAME.html, the page or bare body as it
// arrives (an archive page, a feed item's description, an e-mail's HTML
// part), with NAME.golden.json, its whole parse, beside it; NAME.options.json
// optionally gives the carrier and the source's options. Adding a case is
// adding files; go test -update writes the golden files.

// pageOptions is the form of NAME.options.json.
type pageOptions struct {
	Subject   string    `json:"subject,omitempty"`  // the carrier's subject
	Published time.Time `json:"published,omitzero"` // the carrier's date
	SignOff   []string  `json:"sign_off,omitempty"` // the source's closing lines
	Groups    []string  `json:"groups,omitempty"`   // the source's group headings
	Profile   string    `json:"profile,omitempty"`  // default govdelivery
	URL       string    `json:"url,omitempty"`      // default https://content.govdelivery.com/accounts/TEST/bulletins/NAME
	Type      string    `json:"content_type,omitempty"`
}

// pageGolden is the form of NAME.golden.json: the edition and every item in
// full.
type pageGolden struct {
	Title             string       `json:"title"`
	Masthead          string       `json:"masthead,omitempty"`
	Number            int          `json:"number,omitempty"`
	IssueLine         string       `json:"issue_line,omitempty"`
	Published         time.Time    `json:"published,omitzero"`
	DateFromIssueLine bool         `json:"date_from_issue_line,omitempty"`
	Editorial         string       `json:"editorial,omitempty"`
	EditorialHTML     string       `json:"editorial_html,omitempty"`
	Items             []model.Item `json:"items"`
}

// pageCase is one page with its options.
type pageCase struct {
	name string
	body []byte
	opt  parse.Options
	url  string
	typ  string
}

func pageCases(t testing.TB) []pageCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "pages", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no pages in testdata/pages")
	}
	var out []pageCase
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".html")
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var po pageOptions
		raw, err := os.ReadFile(strings.TrimSuffix(f, ".html") + ".options.json")
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			t.Fatal(err)
		default:
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&po); err != nil {
				t.Fatalf("%s.options.json: %v", name, err)
			}
		}
		c := pageCase{name: name, body: body, url: po.URL, typ: po.Type,
			opt: parse.Options{Source: "test", Profile: po.Profile, SignOff: po.SignOff, Groups: po.Groups,
				Carrier: parse.Carrier{Subject: po.Subject, Published: po.Published}}}
		if c.url == "" {
			c.url = "https://content.govdelivery.com/accounts/TEST/bulletins/" + name
		}
		if c.typ == "" {
			c.typ = "text/html; charset=utf-8"
		}
		out = append(out, c)
	}
	return out
}

func (c pageCase) parse(t testing.TB) parse.Result {
	t.Helper()
	res, err := parse.Parse(c.body, c.typ, c.url, c.opt)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	return res
}

func TestPages(t *testing.T) {
	for _, c := range pageCases(t) {
		t.Run(c.name, func(t *testing.T) {
			res := c.parse(t)
			ed := res.Edition
			g := pageGolden{Title: ed.Title, Masthead: res.Masthead, Number: ed.Number, IssueLine: ed.IssueLine,
				Published: ed.Published, DateFromIssueLine: ed.DateFromIssueLine, Editorial: ed.Editorial,
				EditorialHTML: ed.EditorialHTML, Items: res.Items}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(g); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			file := filepath.Join("testdata", "pages", c.name+".golden.json")
			if *update {
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("parse of %s differs from %s (run go test -update and review the diff):\n%s", c.name, file, firstDiff(want, got))
			}
		})
	}
}
