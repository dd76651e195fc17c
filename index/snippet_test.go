package index

import (
	"strings"
	"testing"
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
