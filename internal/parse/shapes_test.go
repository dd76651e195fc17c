package parse

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestShapes(t *testing.T) {
	details := map[string]bool{
		"Thursday, May 9, 2024 | 6–8 p.m.": true,
		"Tuesday 14 May, 2-3pm":            true,
		"10:00am-3:00pm":                   true,
		"Sat 12 Oct, 10am":                 true,
		"Budget 2024":                      false,
		"Camden: Budget 2024":              false,
		"ONS Local Workshop: data maturity assessments in local government, Thursday 7 November, 9:30-10:30am": false,
		"Pay negotiations 2025/26": false,
	}
	for s, want := range details {
		if got := isDetailLine(s); got != want {
			t.Errorf("isDetailLine(%q) = %v, want %v", s, got, want)
		}
	}
	labels := map[string]bool{"Name: Ada": true, "When: Friday": true, "About Me: x": true, "Camden: Budget 2024": false, "RECOGNIZING MONTH: x": false}
	for s, want := range labels {
		if got := isLabelLine(s); got != want {
			t.Errorf("isLabelLine(%q) = %v, want %v", s, got, want)
		}
	}
	dates := map[string]string{"September 18, 2023": "2023-09-17T23:00:00Z", "Monday, 3 June 2024": "2024-06-02T23:00:00Z",
		"18th September 2023": "2023-09-17T23:00:00Z", "March 4, 2024": "2024-03-04T00:00:00Z", "September 2023": "", "February 30, 2024": "", "Budget 2024": ""}
	for s, want := range dates {
		got := ""
		if d := dateLineDay(s); !d.IsZero() {
			got = d.Format("2006-01-02T15:04:05Z07:00")
		}
		if got != want {
			t.Errorf("dateLineDay(%q) = %q, want %q", s, got, want)
		}
	}
	ordinals := map[string]int{"nineteenth": 19, "twenty-fifth": 25, "fifty-second": 52, "seventy second": 72,
		"one hundred and fifth": 105, "two hundredth": 200, "nine hundred and ninety-ninth": 999, "52nd": 52, "103rd": 103, "thousandth": 0}
	for s, want := range ordinals {
		if got := ordinal(s); got != want {
			t.Errorf("ordinal(%q) = %d, want %d", s, got, want)
		}
	}
	subjects := map[string]int{"Bulletin - 52": 52, "Bulletin – 9": 9, "Newsletter No. 52": 52, "Issue 7": 7, "Update #12": 12,
		"Cyber, digital and technology in 2024": 0, "Newsletter - 2024": 0, "Top 10 tips": 0}
	for s, want := range subjects {
		if got := subjectNumber(s); got != want {
			t.Errorf("subjectNumber(%q) = %d, want %d", s, got, want)
		}
	}
}

var lineCases = []string{
	"", "###", "# # #", "* * *", "- END -", "--end--", "END", "end", "-30-", "- 30 -", "#", "ends", "x###",
	"Wednesday., September. 18th, 2023.", "Wednesday., September.  18th, 2023. ", "Wednesday, 18th September. 2023.", "Wednesday,\u00a018th  September.\n2023.",
	"Monday, December 2nd, 2024", "September 18, 2023", "18 September 2023", "Sat. 1st Jan. 2000.", "1 May 2024 x",
	"10 amazing ideas for 2024", "10 a.mx", "Monday10am foo bar", "ſunday 1 May at noon", "Café 10am Tuesday", "Sat_x 3pm y z",
	"10am to 11am in Leeds Town Hall", "2nd floor, 10:30 until 12 noon",
	"Name: Ada", "Name:", "Name: \t\n", ":x", "When\n: Friday", "Wh\xffen: x", "About Me: x", "Contact:\u00a0", strings.Repeat("é", 40) + ": x", strings.Repeat("é", 41) + ": x",
}

// labelLineRe is isLabelLine's shape of line as a regexp: the label, a
// colon, something after it.
var labelLineRe = regexp.MustCompile(`^([^:]{1,40}):\s*\S`)

// checkLine compares the walker's shortcuts with the regexps they stand
// before: isEndMarker with endMarkerRe, isLabelLine with labelLineRe,
// isDetailLine with detailLineRe, and the length bound of a date line.
func checkLine(t *testing.T, s string) {
	t.Helper()
	line := oneLine(s)
	if got, want := isEndMarker(line), endMarkerRe.MatchString(line); got != want {
		t.Errorf("isEndMarker(%q) = %v, want %v", line, got, want)
	}
	m := labelLineRe.FindStringSubmatch(s)
	if got, want := isLabelLine(s), m != nil && isLabel(m[1]); got != want {
		t.Errorf("isLabelLine(%q) = %v, want %v", s, got, want)
	}
	if got, want := isDetailLine(s), detailLineRe(s) && strings.ContainsAny(s, "0123456789"); got != want {
		t.Errorf("isDetailLine(%q) = %v, want %v", s, got, want)
	}
	if dateLineRe.MatchString(line) && len(line) > maxDateLine {
		t.Errorf("date line %q is %d bytes, more than maxDateLine", line, len(line))
	}
}

func TestLineShortcutsEqualRegexps(t *testing.T) {
	if longest := "Wednesday., September. 18th, 2023."; !dateLineRe.MatchString(longest) || len(longest) != maxDateLine {
		t.Errorf("%q (%d bytes) should be the longest date line", longest, len(longest))
	}
	forSamples(t, lineCases, checkLine)
}

func FuzzLineShortcuts(f *testing.F) {
	fuzzStrings(f, lineCases, checkLine)
}

// TestAttrNamesAreLowerCase checks what attrOK relies on: the HTML parser
// gives attribute names in lower case, however the page writes them.
func TestAttrNamesAreLowerCase(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<DIV ID="a" Style="DISPLAY:none" HIDDEN><IMG SRC="x" WIDTH="1" Height="1"><svg viewBox="0 0 1 1" CLASS="c"></svg></DIV>`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"div": "id style hidden", "img": "src width height", "svg": "class"}
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if keys, ok := want[n.Data]; ok && n.Type == html.ElementNode {
			for _, k := range strings.Fields(keys) {
				if _, ok := attrOK(n, k); !ok {
					t.Errorf("<%s> has no %q among %v", n.Data, k, n.Attr)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(doc)
}
