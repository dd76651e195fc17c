package index

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Document types and field names of the index.
const (
	typeItem    = "item"
	typeEdition = "edition"

	fType          = "type"
	fJSON          = "json"         // the model value as JSON: stored, not indexed
	fTitle         = "title"        // English analysis (stemmed, stop words removed)
	fText          = "text"         // item text, or an edition's editorial
	fTitlePlain    = "title_plain"  // lower-cased words, for prefixes and stop words
	fTextPlain     = "text_plain"   //
	fSection       = "section"      // lower-cased keyword, for queries
	fSectionFacet  = "section_name" // as written, for facets
	fSource        = "source"       // lower-cased keyword
	fEditionID     = "edition_id"
	fEditionNumber = "edition_number" // numeric
	fEditionFacet  = "edition_facet"  // edition number as text, for facets
	fPosition      = "position"       // numeric, orders items within an edition
	fPublished     = "published"      // datetime
	fOrder         = "order"          // numeric: the edition's place in its archive (model.Edition.Order)
	fMonth         = "month"          // numeric, editions only: year*12 + month of the send date
	fYear          = "year"           // keyword, e.g. "2024"
	fOrg           = "org"            // lower-cased keyword, multi-valued
	fOrgFacet      = "org_name"       // as written, for facets
	fContact       = "contact"        // lower-cased e-mail addresses

	// An edition's own words are in fields of their own, so that searching
	// editions reads the postings of editions only, not of all items.
	fEdTitle      = "ed_title" // title and issue line, English analysis
	fEdText       = "ed_text"  // editorial
	fEdTitlePlain = "ed_title_plain"
	fEdTextPlain  = "ed_text_plain"

	analyzerPlain = "plain"
)

// newMapping returns the index mapping: one document type for items and one
// for editions, selected by the "type" field, with no dynamic fields.
func newMapping() *mapping.IndexMappingImpl {
	im := mapping.NewIndexMapping()
	im.TypeField = fType
	im.DefaultType = typeItem
	im.DefaultAnalyzer = en.AnalyzerName
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	if err := im.AddCustomAnalyzer(analyzerPlain, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		// The analyzer is built from registered components only.
		panic("index: plain analyzer: " + err.Error())
	}

	text := func(analyzer string) *mapping.FieldMapping {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = analyzer
		fm.IncludeTermVectors = true // phrases need positions
		fm.IncludeInAll = false
		fm.DocValues = false
		return fm
	}
	kw := func(docValues bool) *mapping.FieldMapping {
		fm := mapping.NewKeywordFieldMapping()
		fm.Analyzer = keyword.Name
		fm.IncludeTermVectors = false
		fm.IncludeInAll = false
		fm.DocValues = docValues
		return fm
	}
	num := func() *mapping.FieldMapping {
		fm := mapping.NewNumericFieldMapping()
		fm.IncludeInAll = false
		return fm
	}
	stored := mapping.NewTextFieldMapping()
	stored.Index = false
	stored.Store = true
	stored.IncludeInAll = false
	stored.IncludeTermVectors = false
	stored.DocValues = false
	published := mapping.NewDateTimeFieldMapping()
	published.IncludeInAll = false

	common := func(dm *mapping.DocumentMapping) {
		dm.Dynamic = false
		dm.AddFieldMappingsAt(fType, kw(false))
		dm.AddFieldMappingsAt(fJSON, stored)
		dm.AddFieldMappingsAt(fSource, kw(true))
		dm.AddFieldMappingsAt(fEditionID, kw(false))
		dm.AddFieldMappingsAt(fEditionNumber, num())
		dm.AddFieldMappingsAt(fEditionFacet, kw(true))
		dm.AddFieldMappingsAt(fPublished, published)
		dm.AddFieldMappingsAt(fYear, kw(true))
		dm.AddFieldMappingsAt(fOrder, num())
	}
	words := func(dm *mapping.DocumentMapping, tf textFields) {
		dm.AddFieldMappingsAt(tf.title, text(en.AnalyzerName))
		dm.AddFieldMappingsAt(tf.text, text(en.AnalyzerName))
		dm.AddFieldMappingsAt(tf.titlePlain, text(analyzerPlain))
		dm.AddFieldMappingsAt(tf.textPlain, text(analyzerPlain))
	}
	item := mapping.NewDocumentMapping()
	common(item)
	words(item, itemFields)
	item.AddFieldMappingsAt(fSection, kw(false))
	item.AddFieldMappingsAt(fSectionFacet, kw(true))
	item.AddFieldMappingsAt(fPosition, num())
	item.AddFieldMappingsAt(fOrg, kw(false))
	item.AddFieldMappingsAt(fOrgFacet, kw(true))
	item.AddFieldMappingsAt(fContact, kw(false))
	im.AddDocumentMapping(typeItem, item)

	edition := mapping.NewDocumentMapping()
	common(edition)
	edition.AddFieldMappingsAt(fMonth, num())
	words(edition, editionFields)
	im.AddDocumentMapping(typeEdition, edition)

	im.DefaultMapping = mapping.NewDocumentDisabledMapping()
	return im
}

// editionFieldsOf returns the fields that hold editions' words in an index
// with mapping m: editionFields, or, in an index made before editions had
// fields of their own (until it is rebuilt by reindex), the items' fields.
func editionFieldsOf(m mapping.IndexMapping) textFields {
	if im, ok := m.(*mapping.IndexMappingImpl); ok {
		if dm := im.TypeMapping[typeEdition]; dm != nil && dm.Properties[fEdText] != nil {
			return editionFields
		}
	}
	return itemFields
}

// queryAnalyzers are the analyzers the query builder and the highlighter
// apply to the user's words, the same ones the index applies to documents.
type queryAnalyzers struct {
	en, plain analysis.Analyzer
}

// analyzers is built once and only read afterwards; Bleve analyzers are safe
// for concurrent use.
var analyzers = sync.OnceValue(func() queryAnalyzers {
	m := newMapping()
	return queryAnalyzers{en: m.AnalyzerNamed(en.AnalyzerName), plain: m.AnalyzerNamed(analyzerPlain)}
})
