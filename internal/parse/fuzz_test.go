package parse_test

import (
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lga-digital/bulletin/internal/parse"
	"github.com/lga-digital/bulletin/internal/testenv/lgafixtures"
)

// checkStrings fails when any string in v (walked through its JSON form) is
// invalid UTF-8 or holds characters that XML 1.0 forbids.
func checkStrings(t *testing.T, v any) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case string:
			if !utf8.ValidString(x) || !xmlValid(x) {
				t.Fatalf("invalid output string %q", x)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	var decoded any
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatal(err)
	}
	walk(decoded)
}

func FuzzParse(f *testing.F) {
	for _, p := range fixturePages(f) {
		f.Add(p.body, p.contentType)
	}
	f.Add([]byte("<div id=bulletin_body><h3>\x00T\x0b</h3><p>x</p></div>"), "text/html; charset=utf-8")
	f.Add([]byte("<table><tr><td><b>A</b></td></tr><tr><td></td></tr></table>"), "")
	f.Add([]byte("\xff\xfe<\x00p\x00>\x00"), "text/html; charset=utf-16")
	f.Fuzz(func(t *testing.T, page []byte, contentType string) {
		if len(page) > 1<<20 {
			return
		}
		for _, profile := range []string{"", "generic"} {
			res, err := parse.Parse(page, contentType, "https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025", parse.Options{Source: "s", Profile: profile})
			if err != nil {
				continue
			}
			checkStrings(t, res)
			checkSanitized(t, profile, res)
			if res.Edition.ItemCount != len(res.Items) {
				t.Fatalf("ItemCount %d for %d items", res.Edition.ItemCount, len(res.Items))
			}
			ids := map[string]bool{}
			for i, it := range res.Items {
				if it.Position != i+1 || ids[it.ID] {
					t.Fatalf("item %d: position %d, id %q repeated %v", i, it.Position, it.ID, ids[it.ID])
				}
				ids[it.ID] = true
			}
		}
	})
}

func FuzzExtract(f *testing.F) {
	f.Add("Webinar", "Webinar, Tuesday 16 April, 5-6pm", int64(1711015500))
	f.Add("Event", "20 Cavendish Square, London, Tuesday 16 April, 9am-5pm\n\nOn 16 April", int64(1711015500))
	f.Add("ONS Local Workshop, Thursday 7 November, 9:30-10:30am", "by 29 February, open until 8th of November 2024, Monday, December 2nd, 2024", int64(1730806200))
	f.Add("x", "31 February 11-1pm 99:99-00:00 \xff\x00 a@b.cc NCSC", int64(0))
	f.Fuzz(func(t *testing.T, title, text string, unix int64) {
		var ed time.Time
		if unix != 0 {
			ed = time.Unix(unix%(400*365*86400), 0).UTC()
		}
		x := parse.Extract(title, text, ed, nil)
		checkStrings(t, x)
		for _, ev := range x.Events {
			if !ev.End.IsZero() && !ev.End.After(ev.Start) {
				t.Fatalf("event ends before it starts: %+v", ev)
			}
		}
		for _, d := range append(x.Dates, x.Deadlines...) {
			if _, err := time.Parse("2006-01-02", d.Date); err != nil {
				t.Fatalf("bad date %q", d.Date)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	pages := fixturePages(b)
	opt := lgafixtures.ParseOptions(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			if _, err := parse.Parse(p.body, p.contentType, p.url, opt); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// FuzzParseCarrier parses bodies without page chrome with a carrier, as a
// feed item's description or an e-mail's HTML part arrives: the template
// families of testdata/pages, with any subject and date.
func FuzzParseCarrier(f *testing.F) {
	for _, c := range pageCases(f) {
		f.Add(c.body, c.opt.Carrier.Subject, c.opt.Carrier.Published.Unix())
	}
	f.Add([]byte("<ul><li><b>A:</b> x</li><li><b>B</b>: y</li></ul><p>###</p>"), "Subject - 52", int64(0))
	f.Add([]byte("<p>Hi,</p><p>Sincerely,<br>Me</p><h1 class=govd_header>T</h1><p>September 18, 2023</p>"), "", int64(-62135596800))
	f.Fuzz(func(t *testing.T, page []byte, subject string, unix int64) {
		if len(page) > 1<<20 {
			return
		}
		var published time.Time
		if unix != 0 {
			published = time.Unix(unix%(400*365*86400), 0)
		}
		opt := parse.Options{Source: "s", Carrier: parse.Carrier{Subject: subject, Published: published}, Groups: []string{"x"}, SignOff: []string{"^the end$"}}
		res, err := parse.Parse(page, "text/html", "https://content.govdelivery.com/accounts/X/bulletins/1", opt)
		if err != nil {
			return
		}
		checkStrings(t, res)
		ed := res.Edition
		if !ed.Published.IsZero() && ed.Published.Location() != time.UTC {
			t.Fatalf("published %v not in UTC", ed.Published)
		}
		if ed.ItemCount != len(res.Items) {
			t.Fatalf("ItemCount %d for %d items", ed.ItemCount, len(res.Items))
		}
		ids := map[string]bool{}
		for i, it := range res.Items {
			if it.Position != i+1 || ids[it.ID] || it.Title == "" && it.Text != "" {
				t.Fatalf("item %d: position %d, id %q repeated %v, title %q", i, it.Position, it.ID, ids[it.ID], it.Title)
			}
			ids[it.ID] = true
		}
	})
}
