package parse

import (
	"os"
	"path/filepath"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
)

// wordSets are the word sets the equivalence tests and fuzz targets check.
var wordSets = map[string]*wordSet{"eventWords": eventWords, "pastWords": pastWords, "onlineWords": onlineWords, "hybridWords": hybridWords}

// wordEdgeCases put the words at the edges of texts and of words, in other
// cases, and beside the two non-ASCII runes that fold to ASCII letters.
var wordEdgeCases = []string{
	"", "event", "Events", "EVENTS.", "an event_", "_event", "event2", "2events", "prevent", "eventful",
	"éevent", "eventé", "événement", "the WebinarS!", "meetup meet-up meet-ups meetups meet--up",
	"Masterclasses masterclasse", "briefing  session", "briefing session", "drop-in sessions", "drop in session",
	"It took place.", "it TOOK\u00a0place", "took placed", "has taken place", "were hosted-by",
	"Worᴋshop", "wor\u212ashop", "\u212aworkshop", "workshop\u212a", "\u017feminar", "eventſ", "event\u017fx", "x\u017feminars",
	"webinar\xff", "\xffwebinar", "exposé", "expos", "expo\n", "Festivals,", "hackathon's",
	"Online", "virtually", "Microsoft Teams", "microsoft\nteams", "hybrid-working", "zoomed", "ZOOM.",
}

// TestWordSetsEqualRegexps checks that each word set reports what its
// regexp's MatchString reports, on whole texts and on each sentence and
// line of them.
func TestWordSetsEqualRegexps(t *testing.T) {
	texts := sampleTexts(t, wordEdgeCases...)
	for name, ws := range wordSets {
		for _, s := range texts {
			ft := foldText(s)
			spans := []span{{0, len(s)}}
			for i := 0; i < len(s) && len(s) <= 20000; i++ { // the seeds whole: their lines are there
				if i == 0 || s[i-1] == '\n' || i > 1 && sentenceStop(s[i-2]) && s[i-1] == ' ' {
					spans = append(spans, sentenceSpan(s, i), lineSpan(s, i))
				}
			}
			for _, sp := range spans {
				part := s[sp.start:sp.end]
				if got, want := ft.has(ws, sp), ws.re.MatchString(part); got != want {
					t.Errorf("%s on %.80q: got %v, want %v", name, part, got, want)
				}
			}
		}
	}
}

// TestWordSetForms checks the language read from an expression.
func TestWordSetForms(t *testing.T) {
	ws := newWordSet(`(?i)\b(meet-?ups?|organi[sz]ations?|n\.b\.)\b`)
	got := map[string]bool{}
	for _, fs := range ws.byFirst {
		for _, f := range fs {
			got[f] = true
		}
	}
	for _, f := range []string{"meetup", "meetups", "meet-up", "meet-ups", "organisation", "organizations", "n.b."} {
		if !got[f] {
			t.Errorf("form %q missing from %v", f, got)
		}
	}
	if len(got) != 9 {
		t.Errorf("%d forms, want 9: %v", len(got), got)
	}
	// A word ending in a non-word character needs a word character after it.
	for s, want := range map[string]bool{"n.b.": false, "n.b.x": true, "see N.B. x": false} {
		if got := foldText(s).has(ws, span{0, len(s)}); got != want || ws.re.MatchString(s) != want {
			t.Errorf("%q: got %v, regexp %v, want %v", s, got, ws.re.MatchString(s), want)
		}
	}
}

func TestNewWordSetRejects(t *testing.T) {
	for _, expr := range []string{`(?i)\b(events*)\b`, `\b(events)\b`, `(?i)(events)`, `(?i)\b(é)\b`, `(?i)\b(a?)\b`} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%q: no panic", expr)
				}
			}()
			newWordSet(expr)
		}()
	}
}

func FuzzWordSets(f *testing.F) {
	for _, s := range wordEdgeCases {
		f.Add(s, 0, len(s))
	}
	f.Fuzz(func(t *testing.T, s string, i, j int) {
		if i < 0 || j > len(s) || i > j {
			i, j = 0, len(s)
		}
		for name, ws := range wordSets {
			if got, want := foldText(s).has(ws, span{i, j}), ws.re.MatchString(s[i:j]); got != want {
				t.Errorf("%s on %q: got %v, want %v", name, s[i:j], got, want)
			}
		}
	})
}

func FuzzPhraseSets(f *testing.F) {
	fuzzStrings(f, []string{"", "name", "Full Name", "DATE & TIME", "n.b.", "nb.", "when ", "Organization", "organisation",
		"\u017fpeaker", "\u212aey", "caf\u00e9", "n\u00e4me", "name\xff", "\u017f", "q", "a", "web\x00", "date and", "who should attend", "agendas"}, func(t *testing.T, s string) {
		if got, want := labels.MatchString(s), labels.re.MatchString(s); got != want {
			t.Errorf("labels on %q: got %v, want %v", s, got, want)
		}
	})
}

// sentenceEndRe is what sentenceSpan and sentenceEnd implement.
var sentenceEndRe = regexp.MustCompile(`[.!?](\s|$)|\n`)

// sentenceAtRe is sentenceAt as it was written with sentenceEndRe.
func sentenceAtRe(s string, i int) string {
	start := 0
	for _, m := range sentenceEndRe.FindAllStringIndex(s[:i], -1) {
		start = m[1]
	}
	end := len(s)
	if m := sentenceEndRe.FindStringIndex(s[i:]); m != nil {
		end = i + m[0]
	}
	return s[start:end]
}

func TestSentenceAtEqualsRegexp(t *testing.T) {
	texts := sampleTexts(t, "", ".", "a.", "a. b", "a.\nb", "a!! b? c.d e.\n\nf", "x.\u00a0y", "a .b. c\t.d\r\fe ?")
	for _, s := range texts {
		if len(s) > 20000 {
			continue // the seeds whole: their lines are there
		}
		for i := 0; i <= len(s); i++ {
			if len(s) > 300 && !nearStop(s, i) {
				continue // long texts: where sentences start and end
			}
			if got, want := sentenceAt(s, i), sentenceAtRe(s, i); got != want {
				t.Fatalf("%.80q at %d: got %q, want %q", s, i, got, want)
			}
		}
	}
}

// nearStop reports whether one of the two bytes before i is a line break
// or a full stop, exclamation or question mark.
func nearStop(s string, i int) bool {
	for j := max(0, i-2); j < i; j++ {
		if s[j] == '\n' || sentenceStop(s[j]) {
			return true
		}
	}
	return false
}

func FuzzSentenceAt(f *testing.F) {
	f.Add("One. Two!\nThree? four", 5)
	f.Fuzz(func(t *testing.T, s string, i int) {
		if i < 0 || i > len(s) {
			i = len(s) / 2
		}
		if got, want := sentenceAt(s, i), sentenceAtRe(s, i); got != want {
			t.Errorf("%q at %d: got %q, want %q", s, i, got, want)
		}
	})
}

// keyedRes are the keyed regexps the equivalence tests and fuzz targets
// check: each must hold a keyword wherever its regexp matches.
var keyedRes = map[string]keyedRe{
	"fontWeightRe": fontWeightRe, "fontSizeRe": fontSizeRe, "displayNone": displayNone, "borderRe": borderRe,
	"mastheadRe": mastheadRe, "preheaderRe": preheaderRe, "socialRe": socialRe, "closingRe": closingRe,
	"deadlineCueRe": deadlineCueRe, "issueLineRe": issueLineRe, "monthOnlyRe": monthOnlyRe,
}

var keyedCases = []string{
	"font-weight:bold", "FONT-WEIGHT : 700", "font-size: 24px", "Font-Size:1.5em", "display:none", "DISPLAY : NONE",
	"visibility:hidden", "max-height:0", "border-top: 1px solid #ccc", "border-bottom-style: dashed", "font-ſize: 2px",
	"\u212aeep", "The Monthly Bulletin", "NEWSLETTER", "updates", "Having trouble viewing this email?", "View it online",
	"E-mail not displaying correctly", "Follow us on Twitter", "Join us on LinkedIn", "Digital Team: team@example.org",
	"CYBER TEAM : x@y.uk", "by ", "no later than the ", "Deadline is: ", "closing date of ", "closes on ",
	"ends  on ", "available until ", "due by ", "submitted by ", "Registered by the ", "uNtIl ",
	"May 2023 No.9", "AUGUſT 2024 no 3", "december  2024", "Online via Zoom", "a HYBRID event", "microsoft  teams",
	"having trouble viewing this message", "Connect with us on Bluesky", "FIND US ON social media", " view it online",
	"Email not displaying correctly?", "Team: a@b", "x Team : a@b", "Cyber  team:a@b.uk", "Digital Team: team at example",
}

func checkKeyed(t *testing.T, s string) {
	t.Helper()
	for name, k := range keyedRes {
		if k.Regexp.MatchString(s) && !k.mayMatch(s) {
			t.Errorf("%s matches %q, which holds none of its keywords %q", name, s, k.keys)
		}
	}
}

func TestKeyedRegexpsHoldKeywords(t *testing.T) {
	forSamples(t, keyedCases, checkKeyed)
	for _, p := range []string{"pages", "golden"} {
		files, _ := filepath.Glob(filepath.Join("testdata", p, "*.html"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range styleAttrRe.FindAllStringSubmatch(string(b), -1) {
				checkKeyed(t, m[1])
			}
		}
	}
}

var styleAttrRe = regexp.MustCompile(`(?i)style="([^"]*)"`)

func TestContainsFoldASCII(t *testing.T) {
	for _, c := range []struct {
		s, key string
		want   bool
	}{
		{"", "a", false}, {"A", "a", true}, {"xFoNt-", "font-", true}, {"fon", "font", false}, {"ſ", "s", false},
		{"[", "{", false}, {"@", "`", false}, {"by", "by", true}, {"B", "b", true}, {"é", "e", false},
	} {
		if got := containsFoldASCII(c.s, c.key); got != c.want {
			t.Errorf("containsFoldASCII(%q, %q) = %v, want %v", c.s, c.key, got, c.want)
		}
	}
}

func FuzzKeyedRegexps(f *testing.F) {
	fuzzStrings(f, keyedCases, checkKeyed)
}

func FuzzContainsFoldASCII(f *testing.F) {
	f.Add("Having trouble VIEWING", "view")
	f.Add("aAaAb", "aab")
	f.Fuzz(func(t *testing.T, s, key string) {
		key = asciiLower(key)
		if key == "" || !isASCII(key) {
			return
		}
		if got, want := containsFoldASCII(s, key), strings.Contains(asciiLower(s), key); got != want {
			t.Errorf("containsFoldASCII(%q, %q) = %v, want %v", s, key, got, want)
		}
	})
}

// startRes are the regexps anchored at the start of the text whose lead
// sets the fuzz target checks, besides the keyed ones: each must pass every
// text its regexp matches.
var startRes = map[string]startRe{
	"footerRe": footerRe, "roleRe": roleRe, "valedictionRe": valedictionRe, "greetingRe": greetingRe,
	"favouriteRe": favouriteRe, "formatRe": formatRe,
	"signOff":   mustStart(`(?i)^head of (programme|digital)\s*:`),
	"spaces":    mustStart(`(?i)^\s*(ſt|k)[^a]?x`),
	"alternate": mustStart(`^(?:a+|\d{2,})$|^[^a-z]b`),
}

func mustStart(expr string) startRe {
	re, err := compileStart(expr)
	if err != nil {
		panic(err)
	}
	return re
}

var startCases = []string{
	"", "Unsubscribe", "unsubscribe here", "Powered by GovDelivery", "Best wishes,", "THANKS!", "Kind regards",
	"Dear colleague", "Happy New Year!", "Head of Programme: Ada", "Director of Digital", "Name", "favourite colour",
	"ſt x", "\u212ax", " \tkbx", "Kx", "12", "aaa", "Bb", "_b", "\xffb", "online", "In person",
	"Best wishes," + strings.Repeat(" ", 80), "Thanks" + strings.Repeat("!", 60), "Unsubscribe" + strings.Repeat("é", 40),
	"Powered by" + strings.Repeat("\u212a", 30), "Dear " + strings.Repeat("ſ", 50), "Happy " + strings.Repeat("é", 29) + "!",
	"View this email in your web browser" + strings.Repeat("x", 50), "Follow us on LinkedIn" + strings.Repeat("é", 20),
}

// checkStart compares the anchored regexps, given texts by their lead
// sets and cut to their limits, with the regexps alone.
func checkStart(t *testing.T, s string) {
	t.Helper()
	for name, re := range startRes {
		if got, want := re.MatchString(s), re.Regexp.MatchString(s); got != want {
			t.Errorf("%s.MatchString(%q) = %v, want %v (lead %v, limit %d)", name, s, got, want, re.lead, re.limit)
		}
	}
	for name, k := range keyedRes {
		if got, want := k.FindStringSubmatchIndex(s), k.Regexp.FindStringSubmatchIndex(s); !slices.Equal(got, want) {
			t.Errorf("%s.FindStringSubmatchIndex(%q) = %v, want %v (limit %d)", name, s, got, want, k.limit)
		}
	}
}

func TestLeadSetsPassMatches(t *testing.T) {
	forSamples(t, startCases, checkStart)
}

func FuzzLeadSets(f *testing.F) {
	fuzzStrings(f, startCases, checkStart)
}

func TestMaxLen(t *testing.T) {
	for expr, want := range map[string]int{
		`^abc`: 3, `(?i)^ab`: 8, `^é`: 2, `^[a-z]`: 4, `^(ab|c)d?$`: 3, `^a{2,5}`: 5, `^a*`: -1, `^a+`: -1, `^a{2,}`: -1, `^\bx\b`: 1,
	} {
		tree, err := syntax.Parse(expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := maxLen(tree); got != want {
			t.Errorf("maxLen(%q) = %d, want %d", expr, got, want)
		}
	}
}

func TestLeadBytes(t *testing.T) {
	for _, c := range []struct {
		expr string
		want string // the ASCII bytes of the lead set; "-" for none
	}{
		{`(?i)^foo`, "Ff"},
		{`^foo`, "f"},
		{`(?i)^ſ`, "Ss"},
		{`(?i)^\x{212a}`, "Kk"},
		{`^\s*x`, "\t\n\f\r x"},
		{`^(a|b)?c`, "abc"},
		{`^x{0,2}y`, "xy"},
		{`^(a|)`, "-"},
		{`^$`, "-"},
		{`foo`, "-"},
		{`(?m)^foo`, "-"},
		{`^a|b`, "-"},
		{`^a|^\d`, "0123456789a"},
	} {
		re, err := compileStart(c.expr)
		if err != nil {
			t.Fatal(err)
		}
		got := "-"
		if re.lead != nil {
			got = ""
			for b, ok := range re.lead {
				if ok {
					got += string(rune(b))
				}
			}
		}
		if got != c.want {
			t.Errorf("lead of %q = %q, want %q", c.expr, got, c.want)
		}
	}
}

// styleCases are inline styles for FuzzStyles.
var styleCases = []string{
	"", "font-weight:bold", "FONT-WEIGHT : Bolder;", "font-weight: 700", "font-weight:500", "font-weight:6000", "font-weight:\t900",
	"font-size:18px", "Font-Size : 13.5 PT", "font-size:.75em;font-size:20px", "font-size:px;font-size:2rem", "font-size: 1 2px",
	"x-font-size:3pt", "font-size:1e2px", "display:none", "DISPLAY : NONE", "display:block;visibility:hidden", "max-height:0",
	"max-height: 0px", "max-height:10px", "display: nonex", "font-\u017fize:20px", "di\u017fplay:none", "font-weight:bold\u00a0",
	"display\n:\nnone", "font-size:12px\xff", "font-weightfont-weight:bold", "font-size::12px", "font-size:12 px",
}

// FuzzStyles holds the hand-read styles to the regexps they stand for.
func FuzzStyles(f *testing.F) {
	fuzzStrings(f, styleCases, func(t *testing.T, s string) {
		if got, want := boldWeight(s), fontWeightRe.MatchString(s); got != want {
			t.Errorf("boldWeight(%q) = %v, want %v", s, got, want)
		}
		var want []string
		if m := fontSizeRe.FindStringSubmatch(s); m != nil {
			want = m[1:]
		}
		if num, unit, ok := fontSize(s); ok != (want != nil) || ok && (num != want[0] || unit != want[1]) {
			t.Errorf("fontSize(%q) = %q, %q, %v, want %q", s, num, unit, ok, want)
		}
		if got, want := hiddenStyle(s), displayNone.MatchString(s); got != want {
			t.Errorf("hiddenStyle(%q) = %v, want %v", s, got, want)
		}
	})
}
