package index

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// sampleValue is a value of each kind of field that parses.
var sampleValue = map[fieldKind]string{
	kindText: "council", kindKeyword: `"monthly highlights"`, kindNumber: "19",
	kindPeriod: "2024-05", kindAfter: "2024", kindBefore: "2025-01-02",
}

// TestFieldTableIsTheOnlyList checks, for every field of the table, what
// the rest of the package and the search page derive from it: the error
// message for an unknown field names it, a term on it parses and searches
// its Bleve field, a top-level term on it is a filter exactly when the
// table says so (and then has a label), and its facet is computed, named
// and labelled, by Bleve and by the catalog alike. A new field in the table
// is thus known everywhere without another change.
func TestFieldTableIsTheOnlyList(t *testing.T) {
	t.Parallel()
	_, err := parse("nosuchfield:x")
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("unknown field: %v, want a *SyntaxError", err)
	}
	ix, _ := catalogCorpus(t)
	for _, f := range queryFields {
		t.Run(f.Name, func(t *testing.T) {
			if !strings.Contains(se.Msg, f.Name) {
				t.Errorf("unknown-field message %q does not name %s", se.Msg, f.Name)
			}
			val, ok := sampleValue[f.kind]
			if !ok {
				t.Fatalf("no sample value for kind %d", f.kind)
			}
			q := f.Name + ":" + val
			if _, err := parse(q); err != nil {
				t.Fatalf("parse %q: %v", q, err)
			}
			if _, err := ix.Search(context.Background(), Request{Query: q}); err != nil {
				t.Errorf("search %q: %v", q, err)
			}
			if f.kind != kindText && f.index == "" {
				t.Errorf("no Bleve field")
			}
			filters, err := Filters("council " + q)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(filters) == 1 && filters[0].Field == f.Name; got != f.Filter {
				t.Errorf("Filters(%q) = %+v; filter = %v in the table", q, filters, f.Filter)
			}
			got, ok := LookupField(f.Name)
			if !ok || got.Name != f.Name || f.Filter && got.Label == "" {
				t.Errorf("LookupField(%q) = %+v, %v: want it with a label", f.Name, got, ok)
			}
			if f.Facet == "" {
				return
			}
			if ff, ok := FacetField(f.Facet); !ok || ff.Name != f.Name || ff.FacetLabel == "" || f.facetIndex == "" {
				t.Errorf("FacetField(%q) = %+v, %v: want %s with a label and an index field", f.Facet, ff, ok, f.Name)
			}
		})
	}
	var want []string
	for _, f := range queryFields {
		if f.Facet != "" {
			want = append(want, f.Facet)
		}
	}
	for _, q := range []string{"", "council"} { // the catalog, Bleve
		res, err := ix.Search(context.Background(), Request{Query: q, Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, fc := range res.Facets {
			got = append(got, fc.Name)
			if len(fc.Values) == 0 {
				t.Errorf("query %q: facet %s has no values", q, fc.Name)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("query %q: facets %v, want the table's %v", q, got, want)
		}
	}
}

// TestNewFieldTable checks that what is derived from the table follows a
// field added to it.
func TestNewFieldTable(t *testing.T) {
	extra := Field{Name: "author", Label: "Author", Filter: true, Facet: "author", FacetLabel: "Author",
		kind: kindKeyword, index: "author", facetIndex: "author_name"}
	ft := newFieldTable(append(slices.Clone(queryFields), extra))
	if !strings.Contains(ft.known, "after, author, before") {
		t.Errorf("known = %q, want author in sorted order", ft.known)
	}
	if f := ft.byName["author"]; f == nil || f.Label != "Author" {
		t.Errorf("byName[author] = %+v", f)
	}
	if f := ft.byFacet["author"]; f == nil || f.Name != "author" {
		t.Errorf("byFacet[author] = %+v", f)
	}
	if last := ft.facets[len(ft.facets)-1]; last.Name != "author" {
		t.Errorf("facets end with %s, want author", last.Name)
	}
}

func TestSameValue(t *testing.T) {
	ed, _ := LookupField("edition")
	sec, _ := LookupField("section")
	for _, c := range []struct {
		f           Field
		filter, fac string
		want        bool
	}{
		{ed, "019", "19", true},
		{ed, "19", "190", false},
		{ed, "x", "x", false},
		{sec, "monthly   HIGHLIGHTS", "Monthly highlights", true},
		{sec, "monthly", "Monthly highlights", false},
	} {
		if got := c.f.SameValue(c.filter, c.fac); got != c.want {
			t.Errorf("%s.SameValue(%q, %q) = %v, want %v", c.f.Name, c.filter, c.fac, got, c.want)
		}
	}
}
