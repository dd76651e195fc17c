package parse

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/internal/corpus"
	"github.com/lga-digital/bulletin/internal/seedpage"
)

// TestDateMatchesEqualsRegexp checks that the hand-written date matcher
// finds exactly what dateRe finds: in the seeds, in the items of generated
// editions, and in phrases where the expression has to backtrack (a dot or a
// suffix given back, a longer month name tried first, a weekday or "the"
// dropped).
func TestDateMatchesEqualsRegexp(t *testing.T) {
	texts := sampleTexts(t,
		"", "16", "16 April", "Monday, December 2nd, 2024", "Wednesday,   the 16th of April,\n\n2024 and 3 May",
		"2024 was great. On Monday, 16 April we met; by 29 March 2024 reply. Tuesday 16 April, 5-6pm",
		"AI@Cam2024 7th March 8th of November, 12 Sept. 2023 Thurs. 21 November 9:30-11am",
		"£600k 100% Key Stage 1 to Key Stage 6 (ages 5-19) from Monday, December 2nd, 2024, until March 2025.",
		"Day 1: 15 April\nDay 2: 16 April", "April 16th\u00a0 2024 — 1 June 31 June 30 February",
		"16 Sept", "Dec. 3", "May 16th 2024", "3 Mayfair", "12 MARCH", "on 12\nFebruary", "Jan 1 1 1 1 1 1 1 1 Jan 2",
		"5 Jan. foo", "5 Jan.2024", "5 Sept 2024", "5 Sep. 2024", "5 Sept.", "March 12thx", "March 12th_", "March 123", "123 March",
		"Monday the 5th of March, 2024", "Monday the March 5", "Tues. 5 Jan", "Tue 12 March12", "Tuesday, the 5 of Mayday",
		"5 of March", "5 ofMarch", "5 of  of March", "Jan.5", "Mon,  3 Jan,2024", "Mon,\f3 Jan,\r2024x", "Thurs, June 3rd, 20245",
		"Sunday May 3rd, 2024_", "Wednesday. the 3rd", "Mondays 3 May", "xMonday 3 May", "3 May 2024 4 June 2025", "June 3rd,2024",
		"é3 May", "Ä3 May 2024é", "\xff3 May", "Sat 31 December 9999", "Frid 3 May", "Friday,, 3 May", "3rdst May", "3 Jun 2024",
	)
	for _, s := range texts {
		want, got := dateRe.FindAllStringSubmatchIndex(s, -1), dateMatches(s)
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%.80q:\n got %v\nwant %v", s, got, want)
		}
	}
}

// sampleTexts returns extra, the seeds (whole and line by line) and the
// title and text of every item of ten generated editions: the texts the
// hand-written matchers are compared with their regexps on.
func sampleTexts(t *testing.T, extra ...string) []string {
	t.Helper()
	texts := append([]string(nil), extra...)
	for _, s := range seedpage.Seeds() {
		texts = append(texts, s.Text)
		texts = append(texts, strings.Split(s.Text, "\n")...)
	}
	c, err := corpus.New(corpus.Options{Editions: 10, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range c.Editions() {
		page, _ := c.Page(e.ID)
		page = bytes.ReplaceAll(page, []byte(corpus.Base), []byte("https://x.example"))
		res, err := Parse(page, "text/html", "https://x.example"+e.Path, Options{Source: "s"})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range res.Items {
			texts = append(texts, it.Title+"\n"+it.Text)
		}
	}
	return texts
}

// forSamples runs check on each of sampleTexts(extra) and each of its
// lines.
func forSamples(t *testing.T, extra []string, check func(*testing.T, string)) {
	t.Helper()
	for _, s := range sampleTexts(t, extra...) {
		check(t, s)
		for _, l := range strings.Split(s, "\n") {
			check(t, l)
		}
	}
}

// fuzzStrings fuzzes check, seeded with seeds.
func fuzzStrings(f *testing.F, seeds []string, check func(*testing.T, string)) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(check)
}

func FuzzDateMatches(f *testing.F) {
	f.Add("Monday, December 2nd, 2024 and 16 April")
	f.Fuzz(func(t *testing.T, s string) {
		want, got := dateRe.FindAllStringSubmatchIndex(s, -1), dateMatches(s)
		if (len(want) != 0 || len(got) != 0) && !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %v, want %v", s, got, want)
		}
	})
}

func TestEmailMatchesEqualsRegexp(t *testing.T) {
	for _, s := range []string{
		"", "@", "a@b", "mail cyberanddigital@local.gov.uk.", "x@y.uk,z@w.org a@b.c@d.org @@x.uk",
		"(secureconnectedplaces@dsit.gov.uk) and Sarah.Slate@LOCAL.gov.uk\nnext@a.io",
		"AI@Cam: AI and the Missions", "£a@b.co.uk—c@d.co.uk",
	} {
		want, got := emailRe.FindAllString(s, -1), emailMatches(s)
		if (len(want) != 0 || len(got) != 0) && !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %q, want %q", s, got, want)
		}
	}
}

func FuzzEmailMatches(f *testing.F) {
	f.Add("write to a.b@c.gov.uk or x@y.org")
	f.Fuzz(func(t *testing.T, s string) {
		want, got := emailRe.FindAllString(s, -1), emailMatches(s)
		if (len(want) != 0 || len(got) != 0) && !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %q, want %q", s, got, want)
		}
	})
}
