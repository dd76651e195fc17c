package index

import (
	"testing"

	"github.com/blevesearch/bleve/v2/search"
)

// TestPhraseAt checks the position test of the collectors' phrases on
// hand-made locations: gaps left by stop words, a term twice, array
// elements, and the near misses of each.
func TestPhraseAt(t *testing.T) {
	loc := func(term string, pos uint64, ap ...uint64) search.FieldTermLocation {
		return search.FieldTermLocation{Field: "f", Term: term, Location: search.Location{Pos: pos, ArrayPositions: ap}}
	}
	tests := []struct {
		name  string
		terms []string
		locs  []search.FieldTermLocation
		want  bool
	}{
		{"adjacent", []string{"a", "b"}, []search.FieldTermLocation{loc("a", 3), loc("a", 7), loc("b", 8)}, true},
		{"apart", []string{"a", "b"}, []search.FieldTermLocation{loc("a", 3), loc("b", 5)}, false},
		{"reversed", []string{"a", "b"}, []search.FieldTermLocation{loc("a", 4), loc("b", 3)}, false},
		{"gap", []string{"call", "", "evidence"}, []search.FieldTermLocation{loc("call", 1), loc("evidence", 3)}, true},
		{"gap not kept", []string{"call", "", "evidence"}, []search.FieldTermLocation{loc("call", 1), loc("evidence", 2)}, false},
		{"twice", []string{"a", "a"}, []search.FieldTermLocation{loc("a", 2), loc("a", 5), loc("a", 2), loc("a", 5), loc("a", 6), loc("a", 6)}, true},
		{"twice apart", []string{"a", "a"}, []search.FieldTermLocation{loc("a", 2), loc("a", 5), loc("a", 2), loc("a", 5)}, false},
		{"one element", []string{"a", "b"}, []search.FieldTermLocation{loc("a", 3, 0), loc("b", 4, 0)}, true},
		{"two elements", []string{"a", "b"}, []search.FieldTermLocation{loc("a", 3, 0), loc("b", 4, 1)}, false},
		{"gap in one element", []string{"a", "", "b"}, []search.FieldTermLocation{loc("a", 3, 1), loc("b", 5, 1)}, true},
		{"missing term", []string{"a", "b"}, []search.FieldTermLocation{loc("a", 3)}, false},
	}
	var pos [][]uint64
	for _, tt := range tests {
		if got := phraseAt(tt.terms, tt.locs, &pos); got != tt.want {
			t.Errorf("%s: phraseAt = %v, want %v", tt.name, got, tt.want)
		}
	}
}
