package index

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "<all>"},
		{"  \t\n", "<all>"},
		{"council", "council"},
		{"digital council", "(and digital council)"},
		{"digital AND council", "(and digital council)"},
		{"digital OR council", "(or digital council)"},
		{"a b OR c", "(or (and a b) c)"},
		{"a OR b c", "(or a (and b c))"},
		{"a OR b OR c", "(or a b c)"},
		{"(a OR b) c", "(and (or a b) c)"},
		{"((a))", "a"},
		{"NOT a", "(not a)"},
		{"NOT NOT a", "(not (not a))"},
		{"-a b", "(and (not a) b)"},
		{"a -b", "(and a (not b))"},
		{"a NOT b OR c", "(or (and a (not b)) c)"},
		{"-(a OR b)", "(not (or a b))"},
		{"--a", "(not (not a))"},
		{"-NOT", "(not NOT)"},
		{`-"a b"`, `(not "a b")`},
		{"a or b and c not d", "(and a or b and c not d)"},
		{"cyber - digital", "(and cyber - digital)"},
		{"e-mail self-assessment", "(and e-mail self-assessment)"},
		{"10:30am", "10:30am"},
		{"café", "café"},
		{`"exact phrase"`, `"exact phrase"`},
		{`a"b c"`, `(and a "b c")`},
		{"procure*", "procure*"},
		{"Procure**", "procure*"},
		{"title:council", "title:council"},
		{"Title:Council", "title:Council"},
		{`title:"Budget 2024"`, `title:"Budget 2024"`},
		{"title:Procure*", "title:procure*"},
		{`section:"Monthly  Highlights"`, `section:"monthly highlights"`},
		{"section:EVENTS", `section:"events"`},
		{"section:month*", `section:"month"*`},
		{"org:NCSC", `org:"ncsc"`},
		{`org:"Good Things Foundation"`, `org:"good things foundation"`},
		{"source:lga-cdt", `source:"lga-cdt"`},
		{"contact:CyberAndDigital@local.gov.uk", `contact:"cyberanddigital@local.gov.uk"`},
		{"edition:19", "edition:19"},
		{"edition:019", "edition:19"},
		{"after:2024-01-01", "published:[2024-01-01,*)"},
		{"after:2024", "published:[2024-01-01,*)"},
		{"before:2024-06", "published:[*,2024-06-01)"},
		{"date:2024-03", "published:[2024-03-01,2024-04-01)"},
		{"date:2024-12", "published:[2024-12-01,2025-01-01)"},
		{"date:2024", "published:[2024-01-01,2025-01-01)"},
		{"date:2024-02-29", "published:[2024-02-29,2024-03-01)"},
		{`date:"2023"`, "published:[2023-01-01,2024-01-01)"},
		// Out of range below: nothing is before it, everything dated after it.
		{"before:0001-01-01", "published:[*,1678-01-01)"},
		{"before:1600", "published:[*,1678-01-01)"},
		{"after:0001", "published:[1678-01-01,*)"},
		{"date:1678", "published:[1678-01-01,1679-01-01)"},
		{"date:2261-12-31", "published:[2261-12-31,2262-01-01)"},
		{"cyber -org:ncsc (section:events OR edition:25) after:2024", `(and cyber (not org:"ncsc") (or section:"events" edition:25) published:[2024-01-01,*))`},
	}
	for _, tt := range tests {
		n, err := parse(tt.in)
		if err != nil {
			t.Errorf("parse(%q): %v", tt.in, err)
			continue
		}
		got := "<all>"
		if n != nil {
			got = n.String()
		}
		if got != tt.want {
			t.Errorf("parse(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in  string
		pos int
		msg string
	}{
		{"(a", 2, `expected ")" to close "(" at 0, found end of query`},
		{"(a OR (b)", 9, `expected ")" to close "(" at 0, found end of query`},
		{"a)", 1, `unexpected ")" without matching "("`},
		{"(a))", 3, `unexpected ")" without matching "("`},
		{`"abc`, 0, `unclosed phrase: expected closing '"'`},
		{`a "b" "c`, 6, `unclosed phrase: expected closing '"'`},
		{"a OR", 4, `expected a term after "OR", found end of query`},
		{"OR a", 0, `expected a term, found "OR"`},
		{"a OR OR b", 5, `expected a term after "OR", found "OR"`},
		{"a OR )", 5, `expected a term after "OR", found ")"`},
		{"a NOT", 5, `expected a term after "NOT", found end of query`},
		{"NOT", 3, `expected a term after "NOT", found end of query`},
		{"a AND", 5, `expected a term after "AND", found end of query`},
		{"AND a", 0, `expected a term, found "AND"`},
		{"a AND OR b", 6, `expected a term after "AND", found "OR"`},
		{"()", 1, `expected a term, found ")"`},
		{")", 0, `expected a term, found ")"`},
		{`""`, 0, "expected words inside the quotes"},
		{`"  "`, 0, "expected words inside the quotes"},
		{"after:3000-01-01", 6, `date "3000-01-01" is out of range: dates must be from 1678-01-01 to 2261-12-31`},
		{"x before:2262", 9, `date "2262" is out of range: dates must be from 1678-01-01 to 2261-12-31`},
		{"date:1600", 5, `date "1600" is out of range: dates must be from 1678-01-01 to 2261-12-31`},
		{"date:9999-12", 5, `date "9999-12" is out of range: dates must be from 1678-01-01 to 2261-12-31`},
		{"a* b* c* d* e* f* g* h* i* j* k*", 30, `too many prefix searches (word*): at most 10 in one query; use whole words or fewer prefixes`},
		{"a* b* c* d* e* f* g* h* i* section:x* title:k*", 38, `too many prefix searches (word*): at most 10 in one query; use whole words or fewer prefixes`},
		{"foo:bar", 0, `unknown field "foo" (known fields: after, before, contact, date, edition, org, section, source, title; put the word in quotes to search for it)`},
		{"council https://example.org", 8, `unknown field "https" (known fields: after, before, contact, date, edition, org, section, source, title; put the word in quotes to search for it)`},
		{"title:", 6, `expected a value after "title:"`},
		{"title: council", 6, `expected a value after "title:"`},
		{`title:""`, 6, "expected words inside the quotes"},
		{"title:*", 6, `expected letters before "*"`},
		{"section:*", 8, `expected a value after "section:"`},
		{`org:" "`, 4, "expected words inside the quotes"},
		{"edition:nineteen", 8, `expected an edition number, found "nineteen"`},
		{"edition:-1", 8, `expected an edition number, found "-1"`},
		{"edition:1.5", 8, `expected an edition number, found "1.5"`},
		{"date:2024-13", 5, `expected a date as YYYY, YYYY-MM or YYYY-MM-DD, found "2024-13"`},
		{"date:2024-02-30", 5, `expected a date as YYYY, YYYY-MM or YYYY-MM-DD, found "2024-02-30"`},
		{"after:2024/01", 6, `expected a date as YYYY, YYYY-MM or YYYY-MM-DD, found "2024/01"`},
		{"before:24", 7, `expected a date as YYYY, YYYY-MM or YYYY-MM-DD, found "24"`},
		{"before:2024-1", 7, `expected a date as YYYY, YYYY-MM or YYYY-MM-DD, found "2024-1"`},
		{"*", 0, `expected letters before "*"`},
		{"a -**", 3, `expected letters before "*"`},
		{strings.Repeat("a ", 501), MaxQueryLen, "query too long: at most 1000 bytes"},
		{strings.Repeat("(", MaxQueryDepth+1) + "a" + strings.Repeat(")", MaxQueryDepth+1), MaxQueryDepth, "query nested too deeply: at most 20 levels"},
		{strings.Repeat("NOT ", MaxQueryDepth+1) + "a", 4 * MaxQueryDepth, "query nested too deeply: at most 20 levels"},
		{strings.Repeat("-", MaxQueryDepth+1) + "a", MaxQueryDepth, "query nested too deeply: at most 20 levels"},
	}
	for _, tt := range tests {
		_, err := ParseQuery(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseQuery(%q) error = %v, want a *SyntaxError", tt.in, err)
			continue
		}
		if se.Pos != tt.pos || se.Msg != tt.msg {
			t.Errorf("ParseQuery(%q) error = {%d, %s}, want {%d, %s}", tt.in, se.Pos, se.Msg, tt.pos, tt.msg)
		}
	}
}

func TestParseDepthLimitIsInclusive(t *testing.T) {
	for _, q := range []string{
		strings.Repeat("(", MaxQueryDepth) + "a" + strings.Repeat(")", MaxQueryDepth),
		strings.Repeat("NOT ", MaxQueryDepth) + "a",
		strings.Repeat("a ", MaxQueryLen/2),
	} {
		if _, err := ParseQuery(q); err != nil {
			t.Errorf("ParseQuery(%.30q…): %v", q, err)
		}
	}
}

// TestParseQueryBleve checks the Bleve queries of the cases where the
// translation itself decides something: match all, match none, stop words,
// multi-token words and negation-only queries.
func TestParseQueryBleve(t *testing.T) {
	tests := []struct {
		in   string
		want string // a description checked by describe below
	}{
		{"", "all"},
		{"!!!", "none"},
		{"-!!!", "none"},
		{"!!! OR ???", "none"},
		{"council", "or(term(title:council)^2,term(text:council))"},
		{"councils", "or(term(title:council)^2,term(text:council))"},
		{"title:councils", "term(title:council)^2"},
		{"the", "or(term(title_plain:the)^2,term(text_plain:the))"},
		{`"to be or not"`, `or(phrase(title_plain:"to be or not")^2,phrase(text_plain:"to be or not"))`},
		{"e-mail", `or(phrase(title:"e-mail")^2,phrase(text:"e-mail"))`},
		{`"cyber security"`, `or(phrase(title:"cyber security")^2,phrase(text:"cyber security"))`},
		{`"security"`, "or(term(title:secur)^2,term(text:secur))"},
		{"Procure*", "or(prefix(title_plain:procure)^2,prefix(text_plain:procure))"},
		{"!!! council", "or(term(title:council)^2,term(text:council))"},
		{"!!! -council", "bool(must:all,not:or(term(title:council)^2,term(text:council)))"},
		{"-council", "bool(must:all,not:or(term(title:council)^2,term(text:council)))"},
		{"a1 -b2 -c3", "bool(must:or(term(title:a1)^2,term(text:a1)),not:or(or(term(title:b2)^2,term(text:b2)),or(term(title:c3)^2,term(text:c3))))"},
		{"org:NCSC", "filter(term(org:ncsc))"},
		{"section:month*", "filter(prefix(section:month))"},
		{"edition:19", "filter(num(edition_number:19..19))"},
		{"date:2024", "filter(date(published:2024-01-01..2025-01-01))"},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.in, err)
			continue
		}
		if got := describe(q); got != tt.want {
			t.Errorf("ParseQuery(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// describe prints the Bleve queries that the builder produces, compactly.
func describe(q query.Query) string {
	boost := func(b *query.Boost) string {
		if b == nil || b.Value() == 1 {
			return ""
		}
		return "^" + strconvF(b.Value())
	}
	list := func(qs []query.Query) string {
		parts := make([]string, len(qs))
		for i, q := range qs {
			parts[i] = describe(q)
		}
		return strings.Join(parts, ",")
	}
	switch q := q.(type) {
	case *query.MatchAllQuery:
		return "all"
	case *query.MatchNoneQuery:
		return "none"
	case *query.TermQuery:
		return "term(" + q.FieldVal + ":" + q.Term + ")" + boost(q.BoostVal)
	case *query.PrefixQuery:
		return "prefix(" + q.FieldVal + ":" + q.Prefix + ")" + boost(q.BoostVal)
	case *query.MatchPhraseQuery:
		return "phrase(" + q.FieldVal + ":\"" + q.MatchPhrase + "\")" + boost(q.BoostVal)
	case *query.DisjunctionQuery:
		return "or(" + list(q.Disjuncts) + ")"
	case *query.ConjunctionQuery:
		return "and(" + list(q.Conjuncts) + ")"
	case *query.NumericRangeQuery:
		return "num(" + q.FieldVal + ":" + strconvF(*q.Min) + ".." + strconvF(*q.Max) + ")"
	case *query.DateRangeQuery:
		return "date(" + q.FieldVal + ":" + q.Start.Format("2006-01-02") + ".." + q.End.Format("2006-01-02") + ")"
	case *query.BooleanQuery:
		if q.Filter != nil && q.Must == nil && q.MustNot == nil && q.Should == nil {
			return "filter(" + describe(q.Filter) + ")"
		}
		s := "bool("
		if q.Must != nil {
			s += "must:" + describe(q.Must)
		}
		if q.MustNot != nil {
			s += ",not:" + describe(q.MustNot)
		}
		return s + ")"
	}
	return "?"
}

func strconvF(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
