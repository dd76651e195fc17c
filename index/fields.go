package index

import (
	"slices"
	"strconv"
	"strings"
)

// fieldKind says how a field's value is read and searched.
type fieldKind int

const (
	kindText    fieldKind = iota // words of the analysed title (title:)
	kindKeyword                  // a lower-cased keyword, exact or by prefix
	kindNumber                   // an edition number
	kindPeriod                   // YYYY, YYYY-MM or YYYY-MM-DD: published within it
	kindAfter                    // published on or after the start of a period
	kindBefore                   // published before the start of a period
)

// Field is one field of the query language (field:value). The table
// queryFields is the one list of them: the parser, the Bleve queries, the
// filters, the facets, the catalog and the search page's labels all read it.
type Field struct {
	Name   string // as typed in a query, lower case: "section"
	Label  string // how the search page names a filter on it: "Section"
	Filter bool   // a top-level term on it is a Filter (title: is a word search)
	// Facet names the facet of a Result that counts the values this field
	// filters on ("" for none), and FacetLabel heads it on the search page.
	Facet, FacetLabel string

	kind       fieldKind
	index      string // the Bleve field its terms search ("" for title:, which searches textFields)
	facetIndex string // the Bleve field its facet counts
	catalog    bool   // the catalog keeps its values, so it can answer terms on it
}

// queryFields is the table of the query language's fields. Fields with a
// facet are in the order of Result.Facets.
var queryFields = []Field{
	{Name: "title", kind: kindText, catalog: false},
	{Name: "section", Label: "Section", Filter: true, Facet: "section", FacetLabel: "Section",
		kind: kindKeyword, index: fSection, facetIndex: fSectionFacet, catalog: true},
	{Name: "date", Label: "Published in", Filter: true, Facet: "year", FacetLabel: "Year",
		kind: kindPeriod, index: fPublished, facetIndex: fYear, catalog: true},
	{Name: "edition", Label: "Edition", Filter: true, Facet: "edition", FacetLabel: "Edition",
		kind: kindNumber, index: fEditionNumber, facetIndex: fEditionFacet, catalog: true},
	{Name: "org", Label: "Organisation", Filter: true, Facet: "org", FacetLabel: "Organisation",
		kind: kindKeyword, index: fOrg, facetIndex: fOrgFacet, catalog: true},
	{Name: "source", Label: "Source", Filter: true, Facet: "source", FacetLabel: "Source",
		kind: kindKeyword, index: fSource, facetIndex: fSource, catalog: true},
	// Contacts are not kept in the catalog.
	{Name: "contact", Label: "Contact", Filter: true, kind: kindKeyword, index: fContact},
	{Name: "after", Label: "Published on or after", Filter: true, kind: kindAfter, index: fPublished, catalog: true},
	{Name: "before", Label: "Published before", Filter: true, kind: kindBefore, index: fPublished, catalog: true},
}

// fieldTable is what is derived from a table of fields once.
type fieldTable struct {
	byName  map[string]*Field
	byFacet map[string]*Field
	facets  []*Field // the fields with a facet, in table order
	known   string   // the names, sorted, for error messages
}

func newFieldTable(fields []Field) fieldTable {
	t := fieldTable{byName: map[string]*Field{}, byFacet: map[string]*Field{}}
	names := make([]string, 0, len(fields))
	for i := range fields {
		f := &fields[i]
		t.byName[f.Name] = f
		names = append(names, f.Name)
		if f.Facet != "" {
			t.byFacet[f.Facet] = f
			t.facets = append(t.facets, f)
		}
	}
	slices.Sort(names)
	t.known = strings.Join(names, ", ")
	return t
}

// fields is queryFields, indexed.
var fields = newFieldTable(queryFields)

// LookupField returns the query-language field called name (lower case).
func LookupField(name string) (Field, bool) {
	f, ok := fields.byName[name]
	if !ok {
		return Field{}, false
	}
	return *f, true
}

// FacetField returns the query-language field a facet of a Result filters
// on, e.g. "date" for the "year" facet.
func FacetField(facet string) (Field, bool) {
	f, ok := fields.byFacet[facet]
	if !ok {
		return Field{}, false
	}
	return *f, true
}

// SameValue reports whether a filter on f with the value filterValue (as
// written in a query) selects the facet value facetValue: edition numbers
// compare as numbers, other values regardless of case and of runs of white
// space in the filter.
func (f Field) SameValue(filterValue, facetValue string) bool {
	if f.kind == kindNumber {
		a, errA := strconv.Atoi(filterValue)
		b, errB := strconv.Atoi(facetValue)
		return errA == nil && errB == nil && a == b
	}
	return strings.EqualFold(strings.Join(strings.Fields(filterValue), " "), facetValue)
}
