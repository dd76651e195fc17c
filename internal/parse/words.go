package parse

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A wordSet answers what MatchString of a case-insensitive word list
// `(?i)\b(webinars?|workshops?|…)\b` answers without running the regexp:
// Go runs such an alternation with its backtracker or NFA at every byte of
// the text, which made the event words most of the cost of Extract. The
// regexp stays the one statement of the list: the set is its language,
// read from the parsed expression, and the regexp answers for the rare
// text the fast path cannot (see foldedText).
type wordSet struct {
	re      *regexp.Regexp
	byFirst [utf8.RuneSelf][]string // the words in lower case, by first byte
	begins  [256]bool               // the words' first bytes, in both cases
}

// maxWordForms bounds the language of a wordSet's expression.
const maxWordForms = 4096

// newWordSet compiles expr, which must be `(?i)\b(…)\b` around a finite
// language of ASCII phrases (literals, alternations, optional parts).
func newWordSet(expr string) *wordSet {
	ws := &wordSet{re: regexp.MustCompile(expr)}
	t, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		panic(fmt.Sprintf("parse: word set %q: %v", expr, err))
	}
	if t.Op != syntax.OpConcat || len(t.Sub) != 3 || t.Sub[0].Op != syntax.OpWordBoundary || t.Sub[2].Op != syntax.OpWordBoundary {
		panic(fmt.Sprintf(`parse: word set %q: not \b(…)\b`, expr))
	}
	forms, err := language(t.Sub[1])
	if err != nil {
		panic(fmt.Sprintf("parse: word set %q: %v", expr, err))
	}
	for _, f := range forms {
		if f == "" {
			panic(fmt.Sprintf("parse: word set %q: matches the empty word", expr))
		}
		ws.byFirst[f[0]] = append(ws.byFirst[f[0]], f)
		ws.begins[f[0]] = true
		if 'a' <= f[0] && f[0] <= 'z' {
			ws.begins[f[0]-'a'+'A'] = true
		}
	}
	return ws
}

// language returns the strings a case-insensitive expression with no
// repetition matches, in ASCII lower case.
func language(t *syntax.Regexp) ([]string, error) {
	switch t.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, nil
	case syntax.OpLiteral:
		s := string(t.Rune)
		if t.Flags&syntax.FoldCase == 0 || !isASCII(s) {
			return nil, fmt.Errorf("literal %q is not case-insensitive ASCII", s)
		}
		return []string{asciiLower(s)}, nil
	case syntax.OpCharClass:
		// (?i)[sz] is [SZsz\x{17f}\x{212a}…]: the ASCII letters, and the
		// non-ASCII runes that fold to them (foldedText sends texts with
		// those to the regexp).
		seen := map[string]bool{}
		var out []string
		for i := 0; i+1 < len(t.Rune); i += 2 {
			for r := t.Rune[i]; r <= t.Rune[i+1]; r++ {
				if r == longS || r == kelvin {
					continue
				}
				if r >= utf8.RuneSelf || len(seen) > maxWordForms {
					return nil, fmt.Errorf("character class %v is not ASCII", t)
				}
				if s := asciiLower(string(r)); !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
		return out, nil
	case syntax.OpCapture:
		return language(t.Sub[0])
	case syntax.OpQuest:
		sub, err := language(t.Sub[0])
		return append([]string{""}, sub...), err
	case syntax.OpAlternate:
		var out []string
		for _, s := range t.Sub {
			l, err := language(s)
			if err != nil {
				return nil, err
			}
			out = append(out, l...)
		}
		return out, nil
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range t.Sub {
			l, err := language(s)
			if err != nil {
				return nil, err
			}
			var next []string
			for _, a := range out {
				for _, b := range l {
					next = append(next, a+b)
				}
			}
			if len(next) > maxWordForms {
				return nil, fmt.Errorf("more than %d forms", maxWordForms)
			}
			out = next
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported %v", t)
}

// The two non-ASCII runes that case-insensitive matching folds to ASCII
// letters: ſ (long s) to s, K (Kelvin sign) to k.
const (
	longS  = '\u017f'
	kelvin = '\u212a'
)

// MatchString reports whether s holds one of the words, as ws.re does.
func (ws *wordSet) MatchString(s string) bool {
	return foldText(s).has(ws, span{0, len(s)})
}

// matchFold reports whether s, which holds neither ſ nor K, has one of
// the words between word boundaries (\b: a change between ASCII word
// characters and anything else, the ends of s counting as non-word), ASCII
// case folded.
func (ws *wordSet) matchFold(s string) bool {
	for i := 0; i < len(s); i++ {
		start := i
		if isWordByte(s[i]) {
			for i+1 < len(s) && isWordByte(s[i+1]) {
				i++ // no word begins inside another: the rest is passed whole
			}
		}
		if !ws.begins[s[start]] || !wordBoundary(s, start) {
			continue
		}
		c := lowerASCII(s[start])
		for _, f := range ws.byFirst[c] {
			if hasPrefixFold(s[start:], f) && wordBoundary(s, start+len(f)) {
				return true
			}
		}
	}
	return false
}

// lowerASCII lower-cases an ASCII capital letter; every other byte is
// itself.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether s begins with low (lower-case ASCII), ASCII
// case folded.
func hasPrefixFold(s, low string) bool {
	return len(s) >= len(low) && equalFoldASCII(s[:len(low)], low)
}

// wordBoundary reports whether \b holds at byte i of s.
func wordBoundary(s string, i int) bool {
	before := i > 0 && isWordByte(s[i-1])
	after := i < len(s) && isWordByte(s[i])
	return before != after
}

// isWordByte reports an ASCII word character (\w); the bytes of a
// non-ASCII rune are none, as the rune is none.
func isWordByte(c byte) bool { return wordBytes[c] }

// wordBytes is isWordByte as a table: the word sets look up every byte of
// the texts they scan.
var wordBytes = func() (t [256]bool) {
	for c := range t {
		t[c] = isASCIIAlnum(byte(c)) || c == '_'
	}
	return t
}()

// A phraseSet answers what MatchString of a case-insensitive list of whole
// texts `(?i)^(?:name|full name|…)$` answers with a map lookup: Go runs so
// long an alternation with its NFA, whose machine, as large as the
// program, is made again whenever a collection has emptied the regexp's
// pool. As with a wordSet, the regexp is the one statement of the list:
// the set is its language, and the regexp answers for a text holding ſ or
// K, which fold to s and k; a text with any other byte that is not ASCII
// is none of the (ASCII) phrases.
type phraseSet struct {
	re      *regexp.Regexp
	phrases map[string]bool // in lower case
	maxLen  int             // of the longest phrase, at most maxPhraseLen
}

// maxPhraseLen bounds a phraseSet's phrases, which are lower-cased on the
// stack to be looked up.
const maxPhraseLen = 64

// newPhraseSet compiles expr, which must be `(?i)^(?:…)$` around a finite
// language of ASCII phrases (literals, alternations, optional parts).
func newPhraseSet(expr string) *phraseSet {
	ps := &phraseSet{re: regexp.MustCompile(expr), phrases: map[string]bool{}}
	t, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		panic(fmt.Sprintf("parse: phrase set %q: %v", expr, err))
	}
	if t.Op != syntax.OpConcat || len(t.Sub) != 3 || t.Sub[0].Op != syntax.OpBeginText || t.Sub[2].Op != syntax.OpEndText {
		panic(fmt.Sprintf(`parse: phrase set %q: not ^(…)$`, expr))
	}
	forms, err := language(t.Sub[1])
	if err != nil {
		panic(fmt.Sprintf("parse: phrase set %q: %v", expr, err))
	}
	for _, f := range forms {
		if len(f) > maxPhraseLen {
			panic(fmt.Sprintf("parse: phrase set %q: %q is longer than %d bytes", expr, f, maxPhraseLen))
		}
		ps.phrases[f] = true
		ps.maxLen = max(ps.maxLen, len(f))
	}
	return ps
}

// MatchString reports whether s is one of the phrases, as ps.re does.
func (ps *phraseSet) MatchString(s string) bool {
	if !isASCII(s) {
		return (strings.ContainsRune(s, longS) || strings.ContainsRune(s, kelvin)) && ps.re.MatchString(s)
	}
	if len(s) > ps.maxLen {
		return false
	}
	var low [maxPhraseLen]byte
	for i := 0; i < len(s); i++ {
		low[i] = lowerASCII(s[i])
	}
	return ps.phrases[string(low[:len(s)])]
}

// foldedText is a text and whether it holds ſ or K, found out once so
// that several word sets can be matched on its parts.
type foldedText struct {
	s string
	// exotic marks a text holding ſ or K, which case-insensitive matching
	// folds to s and k: its parts are matched by the regexps.
	exotic bool
}

func foldText(s string) foldedText {
	return foldedText{s: s, exotic: strings.ContainsRune(s, longS) || strings.ContainsRune(s, kelvin)}
}

// has reports whether the part sp of the text holds a word of ws, as
// ws.re.MatchString(part) does.
func (t foldedText) has(ws *wordSet, sp span) bool {
	if t.exotic {
		return ws.re.MatchString(t.s[sp.start:sp.end])
	}
	return ws.matchFold(t.s[sp.start:sp.end])
}

// asciiLower lower-cases the ASCII letters of s, leaving every other byte
// as it is.
func asciiLower(s string) string {
	i := 0
	for i < len(s) && !(s[i] >= 'A' && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		b[i] = lowerASCII(b[i])
	}
	return string(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// A keyedRe is a case-insensitive regexp and keywords (lower-case ASCII)
// one of which every match holds: the regexp runs only on a text that
// holds one, ASCII case folded. Go's regexp costs time in proportion to the
// text even when nothing can match; most texts hold no keyword. A text
// holding ſ or K, which case-insensitive matching folds to s and k, is
// always given to the regexp.
type keyedRe struct {
	startRe // anchored at ^: a lead set, and a limit when its matches are bounded
	keys    []string
	needs   string   // bytes every match holds
	also    []string // keywords one of which every match holds too; none for no such
	// when, if set, holds for every text a match is found in: a shape
	// that keywords cannot say ("four digits between spaces").
	when func(string) bool
}

// keyed compiles expr with the keywords its every match holds.
func keyed(expr string, keys ...string) keyedRe {
	for _, k := range keys {
		if k == "" || k != asciiLower(k) || !isASCII(k) {
			panic(fmt.Sprintf("parse: keyword %q of %q is not lower-case ASCII", k, expr))
		}
	}
	re, err := compileStart(expr)
	if err != nil {
		panic(fmt.Sprintf("parse: %q: %v", expr, err))
	}
	return keyedRe{startRe: re, keys: keys}
}

// holding returns k for an expression whose every match holds each of the
// (ASCII, not case-folded) bytes of needs.
func (k keyedRe) holding(needs string) keyedRe {
	if !isASCII(needs) {
		panic(fmt.Sprintf("parse: needed bytes %q of %q", needs, k.String()))
	}
	k.needs = needs
	return k
}

// and returns k for an expression whose every match also holds one of
// the keywords also (lower-case ASCII, as the keys): "none", "hidden" or
// "max-height" as well as "display", "visibility" or "max-height".
func (k keyedRe) and(also ...string) keyedRe {
	for _, a := range also {
		if a == "" || a != asciiLower(a) || !isASCII(a) {
			panic(fmt.Sprintf("parse: keyword %q of %q is not lower-case ASCII", a, k.String()))
		}
	}
	k.also = also
	return k
}

// given returns k for an expression whose every match is in a text for
// which when holds.
func (k keyedRe) given(when func(string) bool) keyedRe {
	k.when = when
	return k
}

// mayMatch reports whether s begins as a match may (see leadSet) and holds the needed
// bytes, and a keyword (and one of also) or ſ or K, and when holds.
func (k keyedRe) mayMatch(s string) bool {
	if !k.lead.may(s) {
		return false
	}
	for i := 0; i < len(k.needs); i++ {
		if strings.IndexByte(s, k.needs[i]) < 0 {
			return false
		}
	}
	if k.when != nil && !k.when(s) {
		return false
	}
	if !containsAnyFold(s, k.keys) || len(k.also) > 0 && !containsAnyFold(s, k.also) {
		return strings.ContainsRune(s, longS) || strings.ContainsRune(s, kelvin)
	}
	return true
}

// containsAnyFold reports whether s holds one of keys, ASCII case folded.
func containsAnyFold(s string, keys []string) bool {
	for _, key := range keys {
		if containsFoldASCII(s, key) {
			return true
		}
	}
	return false
}

func (k keyedRe) MatchString(s string) bool {
	return k.mayMatch(s) && k.Regexp.MatchString(k.cut(s))
}

func (k keyedRe) FindString(s string) string {
	if !k.mayMatch(s) {
		return ""
	}
	return k.Regexp.FindString(k.cut(s))
}

func (k keyedRe) FindStringSubmatch(s string) []string {
	if !k.mayMatch(s) {
		return nil
	}
	return k.Regexp.FindStringSubmatch(k.cut(s))
}

func (k keyedRe) FindStringSubmatchIndex(s string) []int {
	if !k.mayMatch(s) {
		return nil
	}
	return k.Regexp.FindStringSubmatchIndex(k.cut(s))
}

// containsFoldASCII reports whether s holds key (lower-case ASCII) in any
// mix of ASCII cases. The next occurrences of the key's first byte in
// either case are each looked for only once they are passed (looking for
// the upper case again after every lower-case one scanned the rest of s
// each time).
func containsFoldASCII(s, key string) bool {
	c0 := key[0]
	u0 := c0
	if c0 >= 'a' && c0 <= 'z' {
		u0 = c0 - 'a' + 'A'
	}
	last := len(s) - len(key) // the last offset key can start at
	if last < 0 {
		return false
	}
	area := s[:last+1]
	lo, up := -2, -2 // next offsets of c0 and u0 at or after i; -1 for none, -2 to look for
	if u0 == c0 {
		up = -1
	}
	for i := 0; i <= last; {
		if lo != -1 && lo < i {
			lo = nextByte(area, i, c0)
		}
		if up != -1 && up < i {
			up = nextByte(area, i, u0)
		}
		j := lo
		if j < 0 || up >= 0 && up < j {
			j = up
		}
		if j < 0 {
			return false
		}
		if equalFoldASCII(s[j+1:j+len(key)], key[1:]) {
			return true
		}
		i = j + 1
	}
	return false
}

// nextByte returns the offset of the first c in s at or after i, or -1.
func nextByte(s string, i int, c byte) int {
	if j := strings.IndexByte(s[i:], c); j >= 0 {
		return i + j
	}
	return -1
}

// equalFoldASCII reports whether s is key (lower-case ASCII) in any mix of
// ASCII cases.
func equalFoldASCII(s, key string) bool {
	for j := 0; j < len(key); j++ {
		if lowerASCII(s[j]) != key[j] {
			return false
		}
	}
	return true
}

// A startRe is a regexp and, when every match it finds begins at the start
// of the text (^, not (?m)^) and none is empty, the ASCII bytes a match can
// begin with: a text beginning with another ASCII byte is not given to the
// regexp. Go's backtracker clears a bitmap the size of the text times the
// program for every call, however soon the match fails; most paragraphs
// fail at their first letter.
//
// When its matches are no longer than some bytes as well, only the text's
// first limit bytes are given: a match there is a match in the whole text.
// An assertion at or before the longest match's end ($, \b) reads the
// same runes in both, for the cut lies a whole rune beyond it.
type startRe struct {
	*regexp.Regexp
	lead  *leadSet // nil: every text is given to the regexp
	limit int      // the bytes of the text the regexp reads; 0 for all
}

// leadSet is the ASCII bytes a match can begin with; a text beginning
// outside ASCII (a letter that folds to an ASCII one, ſ or K; an invalid
// byte) may always match.
type leadSet [utf8.RuneSelf]bool

// may reports whether a match can begin at the start of s; a nil set
// allows every text.
func (l *leadSet) may(s string) bool {
	return l == nil || s != "" && (s[0] >= utf8.RuneSelf || l[s[0]])
}

// anchored compiles one of the package's own expressions, which must be
// anchored at the start of the text; it panics otherwise.
func anchored(expr string) startRe {
	re, err := compileStart(expr)
	if err != nil || re.lead == nil {
		panic(fmt.Sprintf("parse: %q is not anchored at the start of the text (%v)", expr, err))
	}
	return re
}

// compileStart compiles a source's pattern; it has a lead set when the
// pattern is anchored at the start of the text.
func compileStart(expr string) (startRe, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return startRe{}, err
	}
	t, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return startRe{}, err
	}
	r := startRe{Regexp: re, lead: leadBytes(t)}
	if n := maxLen(t); r.lead != nil && n >= 0 {
		r.limit = n + utf8.UTFMax
	}
	return r, nil
}

// cut returns the part of s the regexp needs to read.
func (r startRe) cut(s string) string { return head(s, r.limit) }

// head returns the first limit bytes of s, or s when it is no longer or
// limit is 0.
func head(s string, limit int) string {
	if limit > 0 && len(s) > limit {
		return s[:limit]
	}
	return s
}

func (r startRe) MatchString(s string) bool {
	return r.lead.may(s) && r.Regexp.MatchString(r.cut(s))
}

// maxLen returns the most bytes a match of t can span, or -1 when there is
// no bound.
func maxLen(t *syntax.Regexp) int {
	switch t.Op {
	case syntax.OpLiteral:
		if t.Flags&syntax.FoldCase != 0 {
			return len(t.Rune) * utf8.UTFMax // ſ and K are longer than s and k
		}
		return len(string(t.Rune))
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxLen(t.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return -1
	case syntax.OpRepeat:
		if n := maxLen(t.Sub[0]); t.Max >= 0 && n >= 0 {
			return t.Max * n
		}
		return -1
	case syntax.OpConcat, syntax.OpAlternate:
		total := 0
		for _, sub := range t.Sub {
			n := maxLen(sub)
			if n < 0 {
				return -1
			}
			if t.Op == syntax.OpConcat {
				total += n
			} else {
				total = max(total, n)
			}
		}
		return total
	}
	return 0 // the empty match and the assertions
}

// leadBytes returns the ASCII bytes a match of t can begin with when every
// match begins at the start of the text and none is empty; nil otherwise.
func leadBytes(t *syntax.Regexp) *leadSet {
	if !startsText(t) {
		return nil
	}
	var l leadSet
	if addLead(t, &l) {
		return nil // the empty text may match
	}
	return &l
}

// startsText reports whether every match of t begins at the start of the
// text.
func startsText(t *syntax.Regexp) bool {
	switch t.Op {
	case syntax.OpBeginText:
		return true
	case syntax.OpCapture:
		return startsText(t.Sub[0])
	case syntax.OpConcat:
		return len(t.Sub) > 0 && startsText(t.Sub[0])
	case syntax.OpAlternate:
		for _, s := range t.Sub {
			if !startsText(s) {
				return false
			}
		}
		return true
	}
	return false
}

// addLead adds to l the ASCII bytes a match of t can begin with, and
// reports whether t can match the empty string (so that what follows it
// may begin the match). Assertions of no width match the empty string.
func addLead(t *syntax.Regexp, l *leadSet) (empty bool) {
	switch t.Op {
	case syntax.OpNoMatch:
		return false
	case syntax.OpLiteral:
		r := t.Rune[0]
		for f := r; ; {
			if f < utf8.RuneSelf {
				l[f] = true
			}
			if t.Flags&syntax.FoldCase == 0 {
				break
			}
			if f = unicode.SimpleFold(f); f == r {
				break
			}
		}
		return false
	case syntax.OpCharClass:
		for i := 0; i+1 < len(t.Rune); i += 2 {
			for c := t.Rune[i]; c <= t.Rune[i+1] && c < utf8.RuneSelf; c++ {
				l[c] = true
			}
		}
		return false
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		for c := range l {
			l[c] = true
		}
		return false
	case syntax.OpCapture, syntax.OpPlus:
		return addLead(t.Sub[0], l)
	case syntax.OpStar, syntax.OpQuest:
		addLead(t.Sub[0], l)
		return true
	case syntax.OpRepeat:
		return addLead(t.Sub[0], l) || t.Min == 0
	case syntax.OpConcat:
		for _, s := range t.Sub {
			if !addLead(s, l) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		empty := false
		for _, s := range t.Sub {
			if addLead(s, l) {
				empty = true
			}
		}
		return empty
	}
	return true // the empty match and the assertions (^, $, \b, …)
}
