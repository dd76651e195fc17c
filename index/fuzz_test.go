package index

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nodeStats returns the number of nodes of n and its depth.
func nodeStats(n node) (count, depth int) {
	var kids []node
	switch n := n.(type) {
	case nil:
		return 0, 0
	case andNode:
		kids = n.kids
	case orNode:
		kids = n.kids
	case notNode:
		kids = []node{n.kid}
	}
	count = 1
	for _, k := range kids {
		c, d := nodeStats(k)
		count += c
		depth = max(depth, d)
	}
	return count, depth + 1
}

func FuzzParseQuery(f *testing.F) {
	for _, q := range []string{
		"", "council", "digital council", "a OR b", "(a OR b) -c", "NOT a", `"exact phrase"`, "procure*",
		`title:"Budget 2024"`, `section:"Monthly Highlights"`, "edition:19", "org:NCSC", "source:lga-cdt",
		"after:2024-01-01", "before:2024-06", "date:2024", "contact:a@b.c", "foo:bar", "(a", "a)", `"abc`,
		"a OR", "NOT", "--a", "-", "!!!", "10:30am", "e-mail", "\xff\xfe", strings.Repeat("(", 30),
	} {
		f.Add(q)
	}
	// Every query of the search table is a seed too.
	if b, err := os.ReadFile(filepath.Join("testdata", "searches.json")); err == nil {
		var cases []struct {
			Request struct {
				Query string `json:"query"`
			} `json:"request"`
		}
		if err := json.Unmarshal(b, &cases); err != nil {
			f.Fatal(err)
		}
		for _, c := range cases {
			f.Add(c.Request.Query)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParseQuery(%q) error %T %v is not a *SyntaxError", s, err, err)
			}
			if se.Pos < 0 || se.Pos > len(s) || se.Msg == "" {
				t.Fatalf("ParseQuery(%q) error %+v: position outside the query or no message", s, se)
			}
			return
		}
		if q == nil {
			t.Fatalf("ParseQuery(%q) = nil, nil", s)
		}
		// The size cap is the linear-time guard: nothing longer is parsed,
		// the lexer makes at most one token per byte and the parser at most
		// one node per token, nested no deeper than the cap.
		if len(s) > MaxQueryLen {
			t.Fatalf("ParseQuery accepted %d bytes", len(s))
		}
		toks, err := lex(s)
		if err != nil || len(toks) > len(s)+1 {
			t.Fatalf("lex(%q): %d tokens, %v", s, len(toks), err)
		}
		n, err := parse(s)
		if err != nil {
			t.Fatalf("parse(%q) failed after ParseQuery succeeded: %v", s, err)
		}
		if count, depth := nodeStats(n); count > len(toks) || depth > 2*MaxQueryDepth+2 {
			t.Fatalf("parse(%q): %d nodes, depth %d", s, count, depth)
		}
		if n != nil { // printing must not panic either
			_ = n.String()
		}
		if _, err := json.Marshal(q); err != nil {
			t.Fatalf("Bleve query of %q does not marshal: %v", s, err)
		}
	})
}

// TestParseWorstCases parses the largest inputs of the shapes that make
// parsers slow (deep nesting, long operator chains, many quotes) to show
// they are refused or handled in one pass.
func TestParseWorstCases(t *testing.T) {
	for _, q := range []string{
		strings.Repeat("(", MaxQueryLen),
		strings.Repeat("a OR ", MaxQueryLen/5),
		strings.Repeat(`"a" `, MaxQueryLen/4),
		strings.Repeat(`"`, MaxQueryLen),
		strings.Repeat("-", MaxQueryLen-1) + "a",
		strings.Repeat("NOT ", MaxQueryLen/4),
		strings.Repeat("a*", MaxQueryLen/2),
		strings.Repeat("title:", MaxQueryLen/6),
		strings.Repeat("x", MaxQueryLen),
	} {
		q, err := ParseQuery(q)
		var se *SyntaxError
		if err != nil && !errors.As(err, &se) {
			t.Errorf("%.20q…: %v", q, err)
		}
	}
}
