// Package index stores editions and items in a Bleve index and searches them.
// It is the only package that knows Bleve.
//
// # Storage
//
// Each item and each edition is one document, told apart by a "type" field.
// The model value is kept as JSON in a stored, unindexed field and returned
// exactly as it was put. Beside it the index holds: title and text with
// English analysis (stemming, so "councils" finds "council"), the same with
// plain lower-casing (for prefixes and stop words), and keyword, numeric and
// date fields for section, source, edition id and number, item position,
// published time, year, organisations and contacts. An edition's title is its
// subject and issue line and its text is its editorial, in fields of their
// own (ed_title, ed_text…), so editorials are searchable and the search for
// them reads editions' postings only; items are the hits of Search, and the
// editions whose own text matches come back beside them in Result.Editions.
//
// PutEdition replaces everything held for one edition in one Bleve batch and
// skips documents whose stored JSON is unchanged, so it is idempotent. Bulk
// fills an empty index (reindex) in batches of about a thousand documents;
// reindex's index is made by Create, so that its batches are written to
// disk in the background rather than each before the next.
//
// # Speed
//
// A query without words (the empty query and any combination of section:,
// org:, source:, edition:, date:, after: and before:) matches by fields
// alone and every match scores alike, so Bleve would visit every document
// and sort the matches by date. The catalog, a date-ordered copy in memory
// of those fields for every document, answers it instead in one scan: the
// same hits, scores, totals, facets and matching editions (a test compares
// them with Bleve's on every shape of such query). It is built from Bleve's
// doc values on first use and every write updates it. A query with words
// is matched and scored by Bleve's searcher and collected here: each match
// is mapped to its catalog record (a table per segment, made once per
// segment and carried through each write's catalog merge), which gives the request's source and dates, the
// date order for ties and the facet counts without reading Bleve's doc
// values for every match, and tells items from editions without Bleve's
// type filter; a phrase's positions are checked on each match's list of
// locations rather than Bleve's maps of them (phrase.go). Results and
// scores are Bleve's (TestWordsMatchBleve). Whole results and
// facet counts are kept per index generation: a repeated request costs a
// lookup until the next write.
//
// # Query language
//
// Queries are parsed by this package (ParseQuery), never by Bleve's query
// string syntax:
//
//	council digital        both words (AND is implied; "AND" may be written)
//	ransomware OR phishing either; OR binds looser than AND: a b OR c = (a b) OR c
//	NOT webinar, -webinar  exclude; a query of exclusions only matches everything else
//	(a OR b) -c            parentheses group
//	"connected places"     phrase, analysed like the text, in the title or the text
//	procure*               words starting with "procure", in the title or the text
//	title:budget           in the title only; also title:"a phrase" and title:pro*
//	section:events         section, case-insensitive: section:"Monthly Highlights"
//	org:NCSC               an organisation mentioned, case-insensitive
//	source:lga-cdt         a source id
//	contact:a@b.gov.uk     an e-mail address given as contact
//	edition:19             edition number
//	date:2024-03           published within a period: YYYY, YYYY-MM or YYYY-MM-DD
//	after:2024-01          published on or after the start of the period
//	before:2024-06-15      published before the start of the period
//
// AND, OR and NOT are operators only in upper case. A bare word matches the
// title or the text after English analysis; a word that analyses to several
// tokens ("e-mail", "AI@Cam") is searched as a phrase; a stop word ("the") is
// searched as written in the plain fields; a word of punctuation only is
// ignored, and a query with nothing searchable matches nothing. Periods are
// UTC: date:2024-03 is [2024-03-01T00:00Z, 2024-04-01T00:00Z). A word with a
// colon after letters is a field; an unknown field is an error (quote the
// word to search for it), while "10:30am" is a plain word. Field
// restrictions score every match alike, so ranking comes from the words.
//
// The fields are one table (fields.go): each field's name, kind, Bleve
// field, whether a term on it is a filter, its facet and the labels the
// search page shows (LookupField, FacetField). The parser, the Bleve
// queries, Filters, the facets, the catalog and the unknown-field error all
// read it, so a field is added there alone.
//
// Errors are *SyntaxError with the byte offset of the problem: unbalanced
// parentheses or quotes, an operator with no term after it, an unknown field,
// a bad date or edition number, a query longer than MaxQueryLen bytes or
// nested deeper than MaxQueryDepth. Parsing is a single left-to-right pass
// with no backtracking.
//
// Filters lists the field terms that bind every result (top level, not
// negated, no top-level OR), each with the query left without it, and And
// narrows a query by a term, grouping a top-level OR first: together they
// make facet links and removable filters.
//
// # Results
//
// Relevance order breaks ties by newest first, then position in the edition;
// the empty query and Sort "date" list newest first. Items of one date are
// grouped by edition in the archive's order (model.Edition.Order, e.g.
// GovDelivery's bulletin ids). Editions (Editions, LatestEditions) are
// listed by month, newest first, and within a month in the archive's order,
// so that an edition dated by its issue line's month alone falls in place
// among the month's others instead of after them all; editions with no
// archive order follow by date. An index built before the order fields
// existed lacks them in its mapping and keeps the plain date order until
// `bulletin reindex` rebuilds it. Snippets are built here
// from the item's plain text: HTML-escaped, white space collapsed, the words
// the query looks for (not the ones it excludes) wrapped in <mark>…</mark>;
// the analysers that find them run only on the stretches of text holding a
// word that begins with the first two letters of one of the query's words
// (the stemmer keeps them, but for a second y it makes i); the bytes that
// cannot begin such a word are skipped, and a stretch is found around one
// that can: from a ninth (two words beginning with common letters) to a
// seventieth (one word) of the work of analysing the whole text
// (BenchmarkSnippet).
package index
