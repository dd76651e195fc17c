package index

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestFilters(t *testing.T) {
	tests := []struct {
		q    string
		want []Filter
	}{
		{"", nil},
		{"cyber digital", nil},
		{"section:events", []Filter{{"section", "events", "section:events", ""}}},
		{`cyber section:"Monthly  Highlights" org:NCSC`, []Filter{
			{"section", "Monthly  Highlights", `section:"Monthly  Highlights"`, "cyber org:NCSC"},
			{"org", "NCSC", "org:NCSC", `cyber section:"Monthly  Highlights"`},
		}},
		{"Edition:19 date:2024 after:2024-01 before:2024-06-15 source:lga-cdt contact:a@b.uk", []Filter{
			{"edition", "19", "Edition:19", "date:2024 after:2024-01 before:2024-06-15 source:lga-cdt contact:a@b.uk"},
			{"date", "2024", "date:2024", "Edition:19 after:2024-01 before:2024-06-15 source:lga-cdt contact:a@b.uk"},
			{"after", "2024-01", "after:2024-01", "Edition:19 date:2024 before:2024-06-15 source:lga-cdt contact:a@b.uk"},
			{"before", "2024-06-15", "before:2024-06-15", "Edition:19 date:2024 after:2024-01 source:lga-cdt contact:a@b.uk"},
			{"source", "lga-cdt", "source:lga-cdt", "Edition:19 date:2024 after:2024-01 before:2024-06-15 contact:a@b.uk"},
			{"contact", "a@b.uk", "contact:a@b.uk", "Edition:19 date:2024 after:2024-01 before:2024-06-15 source:lga-cdt"},
		}},
		// An AND joining the filter goes with it.
		{"cyber AND section:events AND ai", []Filter{{"section", "events", "section:events", "cyber AND ai"}}},
		{"section:events AND ai", []Filter{{"section", "events", "section:events", "ai"}}},
		{"NOT webinar AND edition:19", []Filter{{"edition", "19", "edition:19", "NOT webinar"}}},
		// Not filters: title:, negated, inside parentheses, under a top-level OR.
		{"title:budget", nil},
		{"cyber -section:events NOT org:ncsc", nil},
		{"(section:events OR edition:19) cyber", nil},
		{"cyber OR section:events", nil},
		{"(cyber OR ai) section:events", []Filter{{"section", "events", "section:events", "(cyber OR ai)"}}},
		{"10:30am", nil},
	}
	for _, tt := range tests {
		got, err := Filters(tt.q)
		if err != nil {
			t.Errorf("Filters(%q): %v", tt.q, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Filters(%q) =\n %#v\nwant\n %#v", tt.q, got, tt.want)
		}
		for _, f := range got {
			if _, err := parse(f.Without); err != nil {
				t.Errorf("Filters(%q): %q without it does not parse: %v", tt.q, f.Term, err)
			}
		}
	}
}

func TestFiltersSyntaxError(t *testing.T) {
	_, err := Filters("cyber (section:events")
	var se *SyntaxError
	if !errors.As(err, &se) || se.Pos != 21 {
		t.Fatalf("Filters: err = %v, want a *SyntaxError at 21", err)
	}
}

func TestAnd(t *testing.T) {
	tests := []struct{ q, term, want, parsed string }{
		{"", "section:events", "section:events", `section:"events"`},
		{"  ", "edition:19", "edition:19", "edition:19"},
		{"cyber", "edition:19", "cyber edition:19", "(and cyber edition:19)"},
		{"cyber OR ai", `section:"Monthly Highlights"`, `(cyber OR ai) section:"Monthly Highlights"`,
			`(and (or cyber ai) section:"monthly highlights")`},
		{"(cyber OR ai) digital", "date:2024", "(cyber OR ai) digital date:2024",
			"(and (or cyber ai) digital published:[2024-01-01,2025-01-01))"},
		{"a b OR c", "org:ncsc", "(a b OR c) org:ncsc", `(and (or (and a b) c) org:"ncsc")`},
	}
	for _, tt := range tests {
		got := And(tt.q, tt.term)
		if got != tt.want {
			t.Errorf("And(%q, %q) = %q, want %q", tt.q, tt.term, got, tt.want)
			continue
		}
		n, err := parse(got)
		if err != nil {
			t.Errorf("And(%q, %q) = %q does not parse: %v", tt.q, tt.term, got, err)
			continue
		}
		if n.String() != tt.parsed {
			t.Errorf("And(%q, %q) parses as %s, want %s", tt.q, tt.term, n, tt.parsed)
		}
	}
}

// FuzzFilters checks that removing any filter of a query leaves a query that
// parses, and that narrowing a query by a field term keeps it parsing.
func FuzzFilters(f *testing.F) {
	for _, q := range []string{"", "cyber", "a AND section:x AND b", `section:"a b" AND c`, "a OR b",
		"(a OR b) org:x", "NOT a AND edition:19", "-section:x", `x section:"y`, "a (b"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		fs, err := Filters(q)
		if err != nil {
			return
		}
		for _, fl := range fs {
			if _, err := parse(fl.Without); err != nil {
				t.Fatalf("Filters(%q): without %q: %q does not parse: %v", q, fl.Term, fl.Without, err)
			}
			if len(fl.Without) >= len(q) {
				t.Fatalf("Filters(%q): without %q is not shorter: %q", q, fl.Term, fl.Without)
			}
		}
		narrowed := And(q, "section:x")
		if len(narrowed) > MaxQueryLen {
			return
		}
		if _, err := parse(narrowed); err != nil {
			var se *SyntaxError
			if errors.As(err, &se) && strings.Contains(se.Msg, "nested too deeply") {
				return
			}
			t.Fatalf("And(%q) = %q does not parse: %v", q, narrowed, err)
		}
	})
}
