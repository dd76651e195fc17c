package index

import (
	"html"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func mustParse(t testing.TB, q string) node {
	t.Helper()
	n, err := parse(q)
	if err != nil {
		t.Fatalf("parse(%q): %v", q, err)
	}
	return n
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("Lorem ipsum dolor sit amet. ", 30) // 840 bytes
	tests := []struct {
		name, text, query, want string
	}{
		{"no query: escaped start of text", `Hello <b>world</b> & "co"`, "", "Hello &lt;b&gt;world&lt;/b&gt; &amp; &#34;co&#34;"},
		{"white space collapses", "a\n\n  b\tc ", "", "a b c"},
		{"empty text", "", "council", ""},
		{"stemmed match", "Councils need a council’s help.", "council", "<mark>Councils</mark> need a <mark>council’s</mark> help."},
		{"phrase words", "The cyber security team", `"cyber security"`, "The <mark>cyber</mark> <mark>security</mark> team"},
		{"title-only words mark the text too", "Budget news", "title:budget", "<mark>Budget</mark> news"},
		{"negated words are not marked", "council and ransomware", "council -ransomware", "<mark>council</mark> and ransomware"},
		{"NOT NOT marks again", "council and ransomware", "NOT NOT ransomware", "council and <mark>ransomware</mark>"},
		{"field terms mark nothing", "NCSC guidance", "org:ncsc", "NCSC guidance"},
		{"stop word", "The end of the story", "the", "<mark>The</mark> end of <mark>the</mark> story"},
		{"prefix", "Procurement: what is procured", "procure*", "<mark>Procurement</mark>: what is <mark>procured</mark>"},
		{"marked word is escaped", "<script>x</script>", "script", "&lt;<mark>script</mark>&gt;x&lt;/<mark>script</mark>&gt;"},
		{"no match: start of a long text, cut at a word", long, "zebra", strings.TrimSpace(long[:strings.LastIndexByte(long[:snippetLen], ' ')]) + " …"},
	}
	for _, tt := range tests {
		got := snippet(tt.text, termsOf(mustParse(t, tt.query)))
		if got != tt.want {
			t.Errorf("%s: snippet(%q, %q) =\n%q\nwant\n%q", tt.name, tt.text, tt.query, got, tt.want)
		}
	}
}

func TestSnippetWindow(t *testing.T) {
	filler := strings.Repeat("Lorem ipsum dolor sit amet. ", 20) // 560 bytes
	text := "An early council mention. " + filler + "Here council, council and council again. " + filler
	got := snippet(text, termsOf(mustParse(t, "council")))
	if !strings.HasPrefix(got, "… ") || !strings.HasSuffix(got, " …") {
		t.Errorf("window in the middle lacks ellipses: %q", got)
	}
	if n := strings.Count(got, "<mark>"); n != 3 {
		t.Errorf("window holds %d matches, want the cluster of 3: %q", n, got)
	}
	if strings.Contains(got, "early") {
		t.Errorf("window holds the lone early match: %q", got)
	}

	// Multi-byte text cut anywhere stays valid UTF-8.
	for _, w := range []string{"été ", "日本語の議会 ", "ü"} {
		text := strings.Repeat(w, 200) + " council " + strings.Repeat(w, 200)
		got := snippet(text, termsOf(mustParse(t, "council")))
		if !utf8.ValidString(got) || !strings.Contains(got, "<mark>council</mark>") {
			t.Errorf("snippet of %q text: %q", w, got)
		}
	}
}

func FuzzSnippet(f *testing.F) {
	f.Add("Councils need a council’s help.", "council")
	f.Add("<script>alert(1)</script> & more", "script OR more*")
	f.Add(strings.Repeat("été council ", 60), `"été council" -x`)
	f.Add("a\x00b\xffc council", "c*")
	f.Fuzz(func(t *testing.T, text, q string) {
		n, err := parse(q)
		if err != nil {
			return
		}
		got := snippet(text, termsOf(n))
		if utf8.ValidString(text) && !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 from valid text: %q", got)
		}
		if strings.Count(got, "<mark>") != strings.Count(got, "</mark>") {
			t.Fatalf("unbalanced marks: %q", got)
		}
		if bare := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got); strings.ContainsAny(bare, "<>") {
			t.Fatalf("markup besides <mark>: %q", got)
		}
		// Escaping at most sextuples a byte ("&#34;" plus slack) and each mark costs 13.
		window := snippetLen + snippetLead
		if limit := 6*window + 13*window + 8; len(got) > limit {
			t.Fatalf("snippet of %d bytes exceeds %d", len(got), limit)
		}
	})
}

// matchesWhole is matches without its shortcut: both analysers over the
// whole text, the reference the shortcut must equal.
func matchesWhole(h *highlightTerms, text string) []span {
	if h.empty() || text == "" {
		return nil
	}
	return merge(h.matchesIn(nil, text, 0))
}

// matchQueries are highlighting queries of every kind of word: stems,
// stop words (plain), prefixes, digits, words outside ASCII and '_'.
var matchQueries = []string{
	"council", "digital inclusion", `"connected places"`, "procure*", "ai -webinar", "the", "a*",
	"2024", "e-mail", "café", "été OR über", "foo_bar", "_x", "council’s", "NHS", "x3b", "yes",
	"ies", "ayed", "cyber OR ransomware OR skills OR framework", "日本",
	"dying", "die", "lie OR tie", "cry", "cri*", "sky", "e.g", "b.c", "o'neill", "x_y", "1,000", "b", "ai",
}

// TestMatchesEqualsWhole: analysing only the stretches of text that may
// match finds exactly what analysing the whole text finds, on the
// generated corpus's item texts and on texts made to break the shortcut.
func TestMatchesEqualsWhole(t *testing.T) {
	t.Parallel()
	texts := []string{
		"council’s Councils COUNCIL-led (council) “council” council…council",
		"Cafe\u0301 caf\u00e9 café\u0301 \u0301council  \u0301council",
		"foo_bar _x x_ __init__ a_b",
		"x3b 3x 2024-25 2,024 2024.5 £2024 ‘2024’",
		"ayed ies yes Ies  Yes\u00a0yes\tayed\ncouncil\r\nNHS",
		"日本の議会 日本 council日本 e-mail E-Mail email",
		"\xffcouncil \xff council c\xffouncil",
		"  leading and trailing spaces  ",
		"a\u200bcouncil\u200d council\u2060x",
		// The stemmer's second y → i; tokens joined by . : ' _ , ; after one byte.
		"Dying lying TYING dies lies ties cry cries Cries skies sky",
		"e.g. E.G. e.g b.c a:b o'neill O'Brien x_y 1,000 2;3 4.5 b. b, b: b' b_",
		"aI AI ai. ai, a i Ai’s",
	}
	eds, _ := generatedEditions(t, 3)
	for _, e := range eds {
		texts = append(texts, e.ed.Editorial)
		for _, it := range e.items {
			texts = append(texts, it.Title, it.Text)
		}
	}
	for _, q := range matchQueries {
		h := termsOf(mustParse(t, q))
		for _, text := range texts {
			if got, want := h.matches(text), matchesWhole(h, text); !slices.Equal(got, want) {
				t.Errorf("matches(%q) in %.80q = %v, want %v", q, text, got, want)
			}
		}
	}
}

func FuzzMatches(f *testing.F) {
	for i, q := range matchQueries {
		f.Add("Councils need a council’s help; café_x 2024 ayed.", q, uint8(i))
	}
	f.Add("a \u0301b \u00a0c", "b*", uint8(0))
	f.Fuzz(func(t *testing.T, text, q string, _ uint8) {
		n, err := parse(q)
		if err != nil {
			return
		}
		h := termsOf(n)
		if got, want := h.matches(text), matchesWhole(h, text); !slices.Equal(got, want) {
			t.Errorf("matches(%q) in %q = %v, want %v", q, text, got, want)
		}
	})
}

// BenchmarkSnippet makes the snippets of the generated corpus's item
// texts for queries of one to three words, by the shortcut ("chunks") and
// by analysing the whole text ("whole").
func BenchmarkSnippet(b *testing.B) {
	eds, _ := generatedEditions(b, 5)
	var texts []string
	for _, e := range eds {
		for _, it := range e.items {
			texts = append(texts, it.Text)
		}
	}
	for _, q := range []string{"budget", "digital inclusion", "ai -webinar", "procure*"} {
		h := termsOf(mustParse(b, q))
		for _, v := range []struct {
			name    string
			matches func(*highlightTerms, string) []span
		}{{"chunks", (*highlightTerms).matches}, {"whole", matchesWhole}} {
			b.Run(v.name+"/q="+q, func(b *testing.B) {
				for b.Loop() {
					for _, text := range texts {
						v.matches(h, text)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts)), "ns/text")
			})
		}
	}
}

// writePlainPlain is writePlain's plain statement: white space collapsed
// into a copy, then html.EscapeString.
func writePlainPlain(s string) string {
	var w strings.Builder
	inSpace := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !inSpace {
				w.WriteByte(' ')
			}
			inSpace = true
			continue
		}
		inSpace = false
		w.WriteRune(r)
	}
	return html.EscapeString(w.String())
}

func FuzzWritePlain(f *testing.F) {
	f.Add("a  <b>&amp;\t\"c'\r\n\u00a0\u0085d\xff\u2028e")
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		writePlain(&b, s)
		if got, want := b.String(), writePlainPlain(s); got != want {
			t.Errorf("writePlain(%q) = %q, want %q", s, got, want)
		}
	})
}
