package index

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// titleBoost weighs a match in the title above one in the text.
const titleBoost = 2.0

// textFields names the fields a query's words are looked for in.
type textFields struct{ title, text, titlePlain, textPlain string }

// itemFields hold the items' words; editionFields the editions' own (their
// title, issue line and editorial), so that a search for editions reads
// only editions' postings.
var (
	itemFields    = textFields{fTitle, fText, fTitlePlain, fTextPlain}
	editionFields = textFields{fEdTitle, fEdText, fEdTitlePlain, fEdTextPlain}
)

// toBleve turns a parsed query into a Bleve query over the items' fields:
// MatchAll for the empty query (nil node), MatchNone when no part of it is
// searchable.
func toBleve(n node) query.Query { return toBleveOn(n, itemFields) }

// toBleveOn is toBleve with the words looked for in tf.
func toBleveOn(n node, tf textFields) query.Query {
	if n == nil {
		return query.NewMatchAllQuery()
	}
	q, ok := build(n, tf)
	if !ok {
		return query.NewMatchNoneQuery()
	}
	return q
}

// build returns the Bleve query for n, or ok=false when n constrains
// nothing: a word of punctuation only, which analysis reduces to no term.
// Such parts are dropped from their AND or OR, so Bleve never sees a clause
// that analyses to nothing (a BooleanQuery treats those as absent, which
// would turn "!!! -foo" into "everything but foo").
func build(n node, tf textFields) (query.Query, bool) {
	switch n := n.(type) {
	case andNode:
		var pos, neg []query.Query
		for _, k := range n.kids {
			target := &pos
			if nn, isNot := k.(notNode); isNot {
				k, target = nn.kid, &neg
			}
			if q, ok := build(k, tf); ok {
				*target = append(*target, q)
			}
		}
		switch {
		case len(pos) == 0 && len(neg) == 0:
			return nil, false
		case len(neg) == 0 && len(pos) == 1:
			return pos[0], true
		case len(neg) == 0:
			return query.NewConjunctionQuery(pos), true
		case len(pos) == 0:
			pos = []query.Query{query.NewMatchAllQuery()}
		}
		b := query.NewBooleanQuery(nil, nil, nil)
		if len(pos) == 1 {
			b.Must = pos[0]
		} else {
			b.Must = query.NewConjunctionQuery(pos)
		}
		if len(neg) == 1 {
			b.MustNot = neg[0]
		} else {
			b.MustNot = query.NewDisjunctionQuery(neg)
		}
		return b, true
	case orNode:
		var kids []query.Query
		for _, k := range n.kids {
			if q, ok := build(k, tf); ok {
				kids = append(kids, q)
			}
		}
		switch len(kids) {
		case 0:
			return nil, false
		case 1:
			return kids[0], true
		}
		return query.NewDisjunctionQuery(kids), true
	case notNode:
		q, ok := build(n.kid, tf)
		if !ok {
			return nil, false
		}
		b := query.NewBooleanQuery(nil, nil, nil)
		b.Must = query.NewMatchAllQuery()
		b.MustNot = q
		return b, true
	case textNode:
		return buildText(n, tf)
	case keywordNode:
		field := n.field.index
		if n.prefix {
			q := query.NewPrefixQuery(n.value)
			q.SetField(field)
			return constantScore(q), true
		}
		q := query.NewTermQuery(n.value)
		q.SetField(field)
		return constantScore(q), true
	case editionNode:
		v := float64(n.number)
		incl := true
		q := query.NewNumericRangeInclusiveQuery(&v, &v, &incl, &incl)
		q.SetField(n.field.index)
		return constantScore(q), true
	case dateNode:
		t, f := true, false
		q := query.NewDateRangeInclusiveQuery(n.from, n.to, &t, &f)
		q.SetField(n.field.index)
		return constantScore(q), true
	}
	return nil, false
}

// constantScore matches what q matches with the same score for every
// document: how rare a section, an organisation or a send time is says
// nothing about relevance, so field restrictions leave ranking to the words
// of the query (and ties to the date).
func constantScore(q query.Query) query.Query {
	b := query.NewBooleanQuery(nil, nil, nil)
	b.Filter = q
	return b
}

// buildText searches the English-analysed title and text; a word or phrase
// made only of stop words ("the", "to be or not to be") is searched in the
// plain fields instead, and a prefix always is, since stems are not words
// ("procurement" is indexed as "procur").
func buildText(n textNode, tf textFields) (query.Query, bool) {
	fields := []string{tf.title, tf.text}
	plain := []string{tf.titlePlain, tf.textPlain}
	if n.titleOnly {
		fields, plain = fields[:1], plain[:1]
	}
	if n.kind == textPrefix {
		return anyField(plain, func(f string) query.Query {
			q := query.NewPrefixQuery(n.value)
			q.SetField(f)
			return q
		}), true
	}
	a := analyzers()
	for _, try := range []struct {
		analyzer analysis.Analyzer
		fields   []string
	}{{a.en, fields}, {a.plain, plain}} {
		toks := try.analyzer.Analyze([]byte(n.value))
		switch len(toks) {
		case 0:
			continue
		case 1:
			term := string(toks[0].Term)
			return anyField(try.fields, func(f string) query.Query {
				q := query.NewTermQuery(term)
				q.SetField(f)
				return q
			}), true
		}
		return anyField(try.fields, func(f string) query.Query {
			q := query.NewMatchPhraseQuery(n.value)
			q.SetField(f)
			return q
		}), true
	}
	return nil, false
}

// anyField ORs the query mk builds for each field, boosting the title.
func anyField(fields []string, mk func(field string) query.Query) query.Query {
	qs := make([]query.Query, len(fields))
	for i, f := range fields {
		q := mk(f)
		if i == 0 { // the title comes first
			q.(query.BoostableQuery).SetBoost(titleBoost)
		}
		qs[i] = q
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}
