package index

import "strings"

// Filter is a field term that every result of a query must satisfy: a term
// at the top level of the query, joined to the rest by AND, on a field whose
// Field.Filter is set (section:, org:, source:, contact:, edition:, date:,
// after:, before:). Search pages show
// filters as removable, and facets add them with And.
type Filter struct {
	Field string // lower-case field name, e.g. "section"
	Value string // the value as written, without quotes
	Term  string // the term as written, e.g. `section:"Monthly Highlights"`
	// Without is the query with this filter (and an AND joining it) removed;
	// it parses whenever the query does.
	Without string
}

// Filters returns the filters of q in the order written. A query whose top
// level is an OR has none, since no term of it binds every result; negated
// terms and terms inside parentheses are not filters either. It returns the
// *SyntaxError of a query that does not parse.
func Filters(q string) ([]Filter, error) {
	if _, err := parse(q); err != nil {
		return nil, err
	}
	toks, _ := lex(q) // parse succeeded, so lex does
	if topLevelOr(toks) {
		return nil, nil
	}
	var out []Filter
	depth := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.kind {
		case tokLParen:
			depth++
			continue
		case tokRParen:
			depth--
			continue
		case tokWord:
		default:
			continue
		}
		colon := strings.IndexByte(t.text, ':')
		if depth != 0 || colon <= 0 || !isFieldName(t.text[:colon]) {
			continue
		}
		field := strings.ToLower(t.text[:colon])
		first, last := i, i
		start, end, value := t.pos, t.end, t.text[colon+1:]
		if value == "" { // field:"a phrase"; parse succeeded, so the phrase follows
			last = i + 1
			value, end = toks[last].text, toks[last].end
		}
		i = last
		negated := first > 0 && (toks[first-1].kind == tokNot || toks[first-1].kind == tokMinus)
		if f, ok := fields.byName[field]; !ok || !f.Filter || negated {
			continue
		}
		f := Filter{Field: field, Value: value, Term: q[start:end]}
		// Cut an AND that joins the filter to its neighbour, so that what
		// remains still parses.
		cutStart, cutEnd := start, end
		if first > 0 && toks[first-1].kind == tokAnd {
			cutStart = toks[first-1].pos
		} else if toks[last+1].kind == tokAnd {
			cutEnd = toks[last+1].end
		}
		f.Without = tidy(q[:cutStart] + " " + q[cutEnd:])
		out = append(out, f)
	}
	return out, nil
}

// topLevelOr reports whether the tokens hold an OR outside parentheses.
func topLevelOr(toks []token) bool {
	depth := 0
	for _, t := range toks {
		switch t.kind {
		case tokLParen:
			depth++
		case tokRParen:
			depth--
		case tokOr:
			if depth == 0 {
				return true
			}
		}
	}
	return false
}

// tidy trims q and collapses the runs of white space outside phrases that
// cutting a term leaves behind.
func tidy(q string) string {
	// Byte-wise: the bytes that matter are ASCII, and invalid UTF-8 must
	// survive unchanged.
	var b strings.Builder
	inPhrase, space := false, false
	q = strings.TrimSpace(q)
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '"':
			inPhrase = !inPhrase
		case !inPhrase && (c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

// And returns a query that matches what q matches and term too: q and term
// side by side, with q in parentheses when its top level is an OR (so that
// "a OR b" narrowed by section:x is "(a OR b) section:x", not "a OR (b
// section:x)"). An empty q gives term.
func And(q, term string) string {
	q = strings.TrimSpace(q)
	if q == "" {
		return term
	}
	if toks, err := lex(q); err == nil && topLevelOr(toks) {
		q = "(" + q + ")"
	}
	return q + " " + term
}
