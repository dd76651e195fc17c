package index

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
)

// MaxQueryLen is the longest query, in bytes, that ParseQuery accepts.
const MaxQueryLen = 1000

// MaxQueryDepth is the deepest nesting of parentheses and NOT that ParseQuery accepts.
const MaxQueryDepth = 20

// Bounds on what one query may cost: how many prefix terms (word*,
// section:ev*) it may hold, and how many indexed words its prefixes may
// stand for together. Each word a prefix stands for is one more term Bleve
// searches: "a* OR b* OR …" would otherwise search most of the dictionary.
const (
	MaxPrefixTerms = 10
	MaxExpansion   = 1000
)

// SyntaxError is returned (directly or wrapped) for a query that does not
// follow the query language.
type SyntaxError struct {
	Pos int    // 0-based byte offset in the query
	Msg string // what was expected, e.g. `expected ")"`
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("query syntax error at %d: %s", e.Pos, e.Msg)
}

// ParseQuery parses our query language into a Bleve query. The empty query
// matches every document; a query with no searchable word (only punctuation)
// matches none.
func ParseQuery(s string) (query.Query, error) {
	n, err := parse(s)
	if err != nil {
		return nil, err
	}
	return toBleve(n), nil
}

// ---- lexer ----

type tokKind int

const (
	tokEOF tokKind = iota
	tokWord
	tokPhrase
	tokLParen
	tokRParen
	tokAnd
	tokOr
	tokNot
	tokMinus
)

type token struct {
	kind tokKind
	pos  int    // byte offset of the token's first byte
	end  int    // byte offset just after the token
	text string // word text, or phrase content without quotes
}

func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of query"
	case tokPhrase:
		return "phrase"
	case tokLParen:
		return `"("`
	case tokRParen:
		return `")"`
	case tokAnd:
		return `"AND"`
	case tokOr:
		return `"OR"`
	case tokNot:
		return `"NOT"`
	case tokMinus:
		return `"-"`
	}
	return strconv.Quote(t.text)
}

// lex splits s into tokens in one left-to-right pass.
func lex(s string) ([]token, error) {
	var toks []token
	afterMinus := false
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
			afterMinus = false
			continue
		case r == '(':
			toks = append(toks, token{kind: tokLParen, pos: i, end: i + 1})
			i++
		case r == ')':
			toks = append(toks, token{kind: tokRParen, pos: i, end: i + 1})
			i++
		case r == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				return nil, &SyntaxError{Pos: i, Msg: `unclosed phrase: expected closing '"'`}
			}
			toks = append(toks, token{kind: tokPhrase, pos: i, end: i + j + 2, text: s[i+1 : i+1+j]})
			i += j + 2
		case r == '-' && i+1 < len(s) && startsTerm(s[i+1:]):
			toks = append(toks, token{kind: tokMinus, pos: i, end: i + 1})
			i++
			afterMinus = true
			continue
		default:
			j := i
			for j < len(s) {
				r, w := utf8.DecodeRuneInString(s[j:])
				if unicode.IsSpace(r) || r == '(' || r == ')' || r == '"' {
					break
				}
				j += w
			}
			t := token{kind: tokWord, pos: i, end: j, text: s[i:j]}
			if !afterMinus {
				switch t.text {
				case "AND":
					t.kind = tokAnd
				case "OR":
					t.kind = tokOr
				case "NOT":
					t.kind = tokNot
				}
			}
			toks = append(toks, t)
			i = j
		}
		afterMinus = false
	}
	return append(toks, token{kind: tokEOF, pos: len(s), end: len(s)}), nil
}

// startsTerm reports whether s begins with something a "-" can negate.
func startsTerm(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return !unicode.IsSpace(r) && r != ')'
}

// ---- AST ----

// node is the parsed form of a query; String prints it canonically.
type node interface{ String() string }

type andNode struct{ kids []node }
type orNode struct{ kids []node }
type notNode struct{ kid node }

type textKind int

const (
	textWord textKind = iota
	textPhrase
	textPrefix
)

// textNode searches the analysed title and text (or only the title).
type textNode struct {
	titleOnly bool
	kind      textKind
	value     string // as typed; for a prefix, lower-cased and without the '*'
}

// keywordNode matches a lower-cased keyword field exactly or by prefix.
type keywordNode struct {
	field  *Field // of kind kindKeyword: section, org, source, contact
	value  string // normalised (lower-cased, spaces collapsed)
	prefix bool
}

// editionNode matches an edition number.
type editionNode struct {
	field  *Field // of kind kindNumber: edition
	number int
}

// dateNode restricts Published to [from, to); a zero bound is open.
type dateNode struct {
	field    *Field // of a period kind: date, after or before
	from, to time.Time
}

func (n andNode) String() string { return "(and " + joinNodes(n.kids) + ")" }
func (n orNode) String() string  { return "(or " + joinNodes(n.kids) + ")" }
func (n notNode) String() string { return "(not " + n.kid.String() + ")" }

func (n textNode) String() string {
	p := ""
	if n.titleOnly {
		p = "title:"
	}
	switch n.kind {
	case textPhrase:
		return p + strconv.Quote(n.value)
	case textPrefix:
		return p + quoteIfNeeded(n.value) + "*"
	}
	return p + quoteIfNeeded(n.value)
}

func (n keywordNode) String() string {
	s := n.field.Name + ":" + strconv.Quote(n.value)
	if n.prefix {
		s += "*"
	}
	return s
}

func (n editionNode) String() string { return "edition:" + strconv.Itoa(n.number) }

func (n dateNode) String() string {
	f := func(t time.Time) string {
		if t.IsZero() {
			return "*"
		}
		return t.Format("2006-01-02")
	}
	return "published:[" + f(n.from) + "," + f(n.to) + ")"
}

func joinNodes(ns []node) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = n.String()
	}
	return strings.Join(parts, " ")
}

func quoteIfNeeded(s string) string {
	for _, r := range s {
		if unicode.IsSpace(r) || r == '"' || r == '(' || r == ')' || r == '\\' || !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// ---- parser ----

type parser struct {
	src  string
	toks []token
	i    int
	// prefixes are the byte offsets of the prefix terms read so far.
	prefixes []int
}

// parse parses s into an AST; it returns a nil node for an empty query.
func parse(s string) (node, error) {
	if len(s) > MaxQueryLen {
		return nil, &SyntaxError{Pos: MaxQueryLen, Msg: fmt.Sprintf("query too long: at most %d bytes", MaxQueryLen)}
	}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{src: s, toks: toks}
	if p.peek().kind == tokEOF {
		return nil, nil
	}
	n, err := p.parseOr(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		// Only a ")" can stop the implicit AND of parseAnd here.
		return nil, &SyntaxError{Pos: t.pos, Msg: `unexpected ")" without matching "("`}
	}
	if len(p.prefixes) > MaxPrefixTerms {
		return nil, &SyntaxError{Pos: p.prefixes[MaxPrefixTerms], Msg: fmt.Sprintf(
			"too many prefix searches (word*): at most %d in one query; use whole words or fewer prefixes", MaxPrefixTerms)}
	}
	return n, nil
}

// prefixTerm is one prefix of a query: the fields it is searched in.
type prefixTerm struct {
	text   string // as the query shows it, e.g. "procure*"
	prefix string
	fields []string
}

// prefixTerms lists the prefixes of a parsed query.
func prefixTerms(n node) []prefixTerm {
	var out []prefixTerm
	var walk func(node)
	walk = func(n node) {
		switch n := n.(type) {
		case andNode:
			for _, k := range n.kids {
				walk(k)
			}
		case orNode:
			for _, k := range n.kids {
				walk(k)
			}
		case notNode:
			walk(n.kid)
		case textNode:
			if n.kind == textPrefix {
				fields := []string{fTitlePlain, fTextPlain}
				if n.titleOnly {
					fields = fields[:1]
				}
				out = append(out, prefixTerm{text: n.String(), prefix: n.value, fields: fields})
			}
		case keywordNode:
			if n.prefix {
				out = append(out, prefixTerm{text: n.String(), prefix: n.value, fields: []string{n.field.index}})
			}
		}
	}
	walk(n)
	return out
}

// checkExpansion fails with an error wrapping ErrInvalidRequest when the
// prefixes of n stand for more than MaxExpansion indexed words together,
// reading at most that many entries of the index's dictionaries.
func (ix *Index) checkExpansion(n node) error {
	left := MaxExpansion
	for _, pt := range prefixTerms(n) {
		before := left
		for _, f := range pt.fields {
			d, err := ix.bleve.FieldDictPrefix(f, []byte(pt.prefix))
			if err != nil {
				return fmt.Errorf("expand %s: %w", pt.text, err)
			}
			for left >= 0 {
				e, err := d.Next()
				if err != nil || e == nil {
					break
				}
				left--
			}
			d.Close()
		}
		if left < 0 {
			if before == MaxExpansion {
				return fmt.Errorf("%w: the prefix %s stands for more than %d words; make it longer", ErrInvalidRequest, pt.text, MaxExpansion)
			}
			return fmt.Errorf("%w: the query's prefixes stand for more than %d words together; use fewer or longer prefixes (%s is one too many)",
				ErrInvalidRequest, MaxExpansion, pt.text)
		}
	}
	return nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func startsUnary(k tokKind) bool {
	switch k {
	case tokWord, tokPhrase, tokLParen, tokNot, tokMinus:
		return true
	}
	return false
}

// expectTerm returns the error for a missing term after the operator op.
func (p *parser) expectTerm(after string) error {
	t := p.peek()
	msg := "expected a term, found " + t.describe()
	if after != "" {
		msg = "expected a term after " + after + ", found " + t.describe()
	}
	return &SyntaxError{Pos: t.pos, Msg: msg}
}

func (p *parser) parseOr(depth int) (node, error) {
	first, err := p.parseAnd(depth)
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for p.peek().kind == tokOr {
		p.next()
		if !startsUnary(p.peek().kind) {
			return nil, p.expectTerm(`"OR"`)
		}
		n, err := p.parseAnd(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return orNode{kids: kids}, nil
}

func (p *parser) parseAnd(depth int) (node, error) {
	if !startsUnary(p.peek().kind) {
		return nil, p.expectTerm("")
	}
	first, err := p.parseUnary(depth)
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for {
		k := p.peek().kind
		if k == tokAnd {
			p.next()
			if !startsUnary(p.peek().kind) {
				return nil, p.expectTerm(`"AND"`)
			}
		} else if !startsUnary(k) {
			break
		}
		n, err := p.parseUnary(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return andNode{kids: kids}, nil
}

func (p *parser) parseUnary(depth int) (node, error) {
	t := p.peek()
	if t.kind != tokNot && t.kind != tokMinus {
		return p.parsePrimary(depth)
	}
	if depth >= MaxQueryDepth {
		return nil, &SyntaxError{Pos: t.pos, Msg: fmt.Sprintf("query nested too deeply: at most %d levels", MaxQueryDepth)}
	}
	p.next()
	if !startsUnary(p.peek().kind) {
		return nil, p.expectTerm(t.describe())
	}
	kid, err := p.parseUnary(depth + 1)
	if err != nil {
		return nil, err
	}
	return notNode{kid: kid}, nil
}

func (p *parser) parsePrimary(depth int) (node, error) {
	t := p.next()
	switch t.kind {
	case tokLParen:
		if depth >= MaxQueryDepth {
			return nil, &SyntaxError{Pos: t.pos, Msg: fmt.Sprintf("query nested too deeply: at most %d levels", MaxQueryDepth)}
		}
		n, err := p.parseOr(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.peek().kind != tokRParen {
			return nil, &SyntaxError{Pos: p.peek().pos, Msg: fmt.Sprintf(`expected ")" to close "(" at %d, found %s`, t.pos, p.peek().describe())}
		}
		p.next()
		return n, nil
	case tokPhrase:
		return phraseNode(t, false)
	case tokWord:
		return p.parseWord(t)
	}
	// parseAnd and parseUnary check startsUnary first, so this is unreachable.
	return nil, &SyntaxError{Pos: t.pos, Msg: "expected a term, found " + t.describe()}
}

func phraseNode(t token, titleOnly bool) (node, error) {
	if strings.TrimSpace(t.text) == "" {
		return nil, &SyntaxError{Pos: t.pos, Msg: "expected words inside the quotes"}
	}
	return textNode{titleOnly: titleOnly, kind: textPhrase, value: t.text}, nil
}

// parseWord handles a bare word, a prefix and field:value.
func (p *parser) parseWord(t token) (node, error) {
	colon := strings.IndexByte(t.text, ':')
	var n node
	var err error
	if colon > 0 && isFieldName(t.text[:colon]) {
		n, err = p.parseField(t, colon)
	} else {
		n, err = wordNode(t.text, t.pos, false)
	}
	if isPrefix(n) {
		p.prefixes = append(p.prefixes, t.pos)
	}
	return n, err
}

func isPrefix(n node) bool {
	switch n := n.(type) {
	case textNode:
		return n.kind == textPrefix
	case keywordNode:
		return n.prefix
	}
	return false
}

func isFieldName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func wordNode(w string, pos int, titleOnly bool) (node, error) {
	if stem, ok := strings.CutSuffix(w, "*"); ok {
		stem = strings.TrimRight(stem, "*")
		if stem == "" {
			return nil, &SyntaxError{Pos: pos, Msg: `expected letters before "*"`}
		}
		return textNode{titleOnly: titleOnly, kind: textPrefix, value: strings.ToLower(stem)}, nil
	}
	return textNode{titleOnly: titleOnly, kind: textWord, value: w}, nil
}

func (p *parser) parseField(t token, colon int) (node, error) {
	name := strings.ToLower(t.text[:colon])
	f, ok := fields.byName[name]
	if !ok {
		return nil, &SyntaxError{Pos: t.pos, Msg: fmt.Sprintf("unknown field %q (known fields: %s; put the word in quotes to search for it)", t.text[:colon], fields.known)}
	}
	val, valPos := t.text[colon+1:], t.pos+colon+1
	phrase := false
	if val == "" {
		// A phrase value must follow the colon immediately: title:"a b".
		if nt := p.peek(); nt.kind == tokPhrase && nt.pos == t.end {
			p.next()
			if strings.TrimSpace(nt.text) == "" {
				return nil, &SyntaxError{Pos: nt.pos, Msg: "expected words inside the quotes"}
			}
			val, valPos, phrase = nt.text, nt.pos, true
		} else {
			return nil, &SyntaxError{Pos: t.end, Msg: fmt.Sprintf("expected a value after %q", t.text)}
		}
	}
	switch f.kind {
	case kindText:
		if phrase {
			return textNode{titleOnly: true, kind: textPhrase, value: val}, nil
		}
		return wordNode(val, valPos, true)
	case kindKeyword:
		n := keywordNode{field: f, value: val}
		if !phrase {
			if stem, ok := strings.CutSuffix(val, "*"); ok {
				n.value, n.prefix = strings.TrimRight(stem, "*"), true
			}
		}
		n.value = normKeyword(n.value)
		if n.value == "" {
			return nil, &SyntaxError{Pos: valPos, Msg: fmt.Sprintf("expected a value after %q", name+":")}
		}
		return n, nil
	case kindNumber:
		n, err := strconv.Atoi(val)
		if err != nil || n < 0 {
			return nil, &SyntaxError{Pos: valPos, Msg: fmt.Sprintf("expected an edition number, found %q", val)}
		}
		return editionNode{field: f, number: n}, nil
	}
	// kindPeriod, kindAfter, kindBefore
	from, to, err := parsePeriod(val)
	if err != nil {
		return nil, &SyntaxError{Pos: valPos, Msg: fmt.Sprintf("expected a date as YYYY, YYYY-MM or YYYY-MM-DD, found %q", val)}
	}
	outOfRange := &SyntaxError{Pos: valPos, Msg: fmt.Sprintf("date %q is out of range: dates must be from %s to %s", val, MinDate.Format(time.DateOnly), MaxDate.AddDate(0, 0, -1).Format(time.DateOnly))}
	switch {
	case !from.Before(MaxDate):
		return nil, outOfRange
	case f.kind == kindAfter:
		// Every dated item is after a date before the range.
		return dateNode{field: f, from: maxTime(from, MinDate)}, nil
	case f.kind == kindBefore:
		// No item is before a date before the range (and the zero
		// time 0001-01-01 must not read as "no bound").
		return dateNode{field: f, to: maxTime(from, MinDate)}, nil
	case from.Before(MinDate) || to.After(MaxDate):
		return nil, outOfRange
	}
	return dateNode{field: f, from: from, to: to}, nil
}

// The dates a query or a search may name: whole years within what Bleve
// can store (nanoseconds since 1970 in an int64, 1677-09-21 to 2262-04-11).
// MaxDate is the first day after the range.
var (
	MinDate = time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxDate = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
)

// DateInRange reports whether t is within [MinDate, MaxDate).
func DateInRange(t time.Time) bool { return !t.Before(MinDate) && t.Before(MaxDate) }

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// parsePeriod reads YYYY, YYYY-MM or YYYY-MM-DD as the UTC period [from, to).
func parsePeriod(s string) (from, to time.Time, err error) {
	layouts := []struct {
		layout string
		step   func(time.Time) time.Time
	}{
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
	}
	for _, l := range layouts {
		if len(s) != len(l.layout) {
			continue
		}
		t, err := time.Parse(l.layout, s)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		return t, l.step(t), nil
	}
	return time.Time{}, time.Time{}, fmt.Errorf("bad date %q", s)
}

// normKeyword lower-cases s and collapses its white space, the form in which
// keyword fields (section, org, source, contacts) are indexed.
func normKeyword(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
