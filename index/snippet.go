package index

import (
	"html"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// snippetLen is the length, in bytes of source text, of a snippet.
const snippetLen = 240

// snippetLead is how much text a snippet shows before its first match.
const snippetLead = 40

// highlightTerms are the words a query looks for, in the forms the index
// holds them: English stems, plain lower-cased words and prefixes.
type highlightTerms struct {
	stems, plain map[string]bool
	prefixes     []string
	// first holds the first bytes of the words, lower-cased: a token can
	// match only if it begins with one (see matches). any: a word begins
	// with a byte a token's first rune is not tested against, so every
	// token is analysed. second holds, for each first byte, the second
	// bytes of the words (a bit each); firstOnly marks a first byte some
	// word has no ASCII letter or digit after.
	first, firstOnly [utf8.RuneSelf]bool
	second           [utf8.RuneSelf][2]uint64
	any              bool
	// trigger marks the bytes at which a stretch may become a candidate
	// (see matches): an ASCII letter or digit some word begins with (either
	// case), '_', and every byte outside ASCII.
	trigger [256]bool
}

// termsOf collects the words of the positive (not negated) text parts of n.
func termsOf(n node) *highlightTerms {
	h := &highlightTerms{stems: map[string]bool{}, plain: map[string]bool{}}
	var walk func(n node, neg bool)
	walk = func(n node, neg bool) {
		switch n := n.(type) {
		case andNode:
			for _, k := range n.kids {
				walk(k, neg)
			}
		case orNode:
			for _, k := range n.kids {
				walk(k, neg)
			}
		case notNode:
			walk(n.kid, !neg)
		case textNode:
			if neg {
				return
			}
			if n.kind == textPrefix {
				h.prefixes = append(h.prefixes, n.value)
				return
			}
			a := analyzers()
			if toks := a.en.Analyze([]byte(n.value)); len(toks) > 0 {
				for _, t := range toks {
					h.stems[string(t.Term)] = true
				}
				return
			}
			for _, t := range a.plain.Analyze([]byte(n.value)) {
				h.plain[string(t.Term)] = true
			}
		}
	}
	if n != nil {
		walk(n, false)
	}
	h.noteFirst()
	return h
}

// noteFirst records the first two bytes of each word in h.first, h.second
// and h.firstOnly. A stem has the first two bytes of the tokens it comes
// from, lower-cased, but that the English stemmer turns a second y into i
// (dying, lying, tying): a stem's second i also stands for y. (Checked over
// every word of one to four letters, each of up to three letters with 26
// suffixes, and the seed bulletins' words: 891,335 words.)
func (h *highlightTerms) noteFirst() {
	note := func(w string, stem bool) {
		switch {
		case w == "":
			h.any = true
		case w[0] >= utf8.RuneSelf:
			// Tokens that begin with a rune outside ASCII are always analysed.
		case isAlnumASCII(w[0]):
			h.first[w[0]] = true
			if len(w) < 2 || !isAlnumASCII(w[1]) {
				h.firstOnly[w[0]] = true
				return
			}
			h.setSecond(w[0], w[1])
			if stem && w[1] == 'i' {
				h.setSecond(w[0], 'y')
			}
		default:
			h.any = true
		}
	}
	for w := range h.stems {
		note(w, true)
	}
	for w := range h.plain {
		note(w, false)
	}
	for _, w := range h.prefixes {
		note(w, false)
	}
	for c := range 256 {
		b := byte(c)
		h.trigger[c] = b >= utf8.RuneSelf || b == '_' || isAlnumASCII(b) && h.first[lowerASCII(b)]
	}
}

func (h *highlightTerms) setSecond(a, b byte) { h.second[a][b/64] |= 1 << (b % 64) }

func (h *highlightTerms) hasSecond(a, b byte) bool { return h.second[a][b/64]&(1<<(b%64)) != 0 }

// mayBegin reports whether the token that may begin at text[i], whose
// first byte lower-cased is c (one of h.first), may be one of h's words:
// its second byte is one of the words' after c, or may join the token
// (a rune outside ASCII, or what Unicode word segmentation keeps inside a
// word: . : ' _ between letters, , ; between digits); a token of one byte
// matches only a word of one.
func (h *highlightTerms) mayBegin(text string, i int, c byte) bool {
	if h.firstOnly[c] {
		return true
	}
	if i+1 >= len(text) {
		return false
	}
	switch next := text[i+1]; {
	case isAlnumASCII(next):
		return h.hasSecond(c, lowerASCII(next))
	case next >= utf8.RuneSelf:
		return true
	default:
		return strings.IndexByte(".:'_,;", next) >= 0
	}
}

func (h *highlightTerms) empty() bool {
	return len(h.stems) == 0 && len(h.plain) == 0 && len(h.prefixes) == 0
}

type span struct{ start, end int }

// matches returns the byte ranges of text holding one of h's words, sorted
// and not overlapping. The analysers run only on the stretches of text
// between ASCII white space that may hold a match: the English analyser's
// tokens keep their first two bytes, lower-cased (see noteFirst), so a
// stretch with no token beginning as a word begins holds none of the
// words, and white space always separates tokens, so a stretch's
// tokens are the same alone as in the whole text if it is valid UTF-8
// (TestMatchesEqualsWhole, FuzzMatches).
func (h *highlightTerms) matches(text string) []span {
	if h.empty() || text == "" {
		return nil
	}
	if h.any || !utf8.ValidString(text) {
		// Invalid UTF-8 throws the word segmenter off beyond white space.
		return merge(h.matchesIn(nil, text, 0))
	}
	// A stretch ends at a run of ASCII white space
	// followed by an ASCII byte (a rune outside ASCII after white space may
	// be a combining mark, which Unicode word segmentation attaches to the
	// space before it) or by the end of text; it is analysed if a token in
	// it may begin as one of h's words begin (mayBegin). Unicode word
	// segmentation never splits a run of ASCII letters and digits, so a
	// token begins at the start of a stretch or after a byte that is not
	// one. A rune outside ASCII other than common punctuation, or '_'
	// (which joins words), makes the stretch a candidate.
	//
	// So the bytes that cannot make a stretch a candidate are skipped
	// (trigger); at one that does, the stretch is found around it: back to
	// the last boundary (not before the end of the stretch analysed last),
	// on to the next.
	var spans []span
	floor := 0 // where the stretch after the last one analysed begins
	for i := 0; i < len(text); {
		for i < len(text) && !h.trigger[text[i]] {
			i++
		}
		if i == len(text) {
			break
		}
		c, size, cand := text[i], 1, false
		switch {
		case c >= utf8.RuneSelf:
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			cand = !isPunctuation(r)
		case c == '_':
			cand = true
		default: // a token begins here unless an ASCII letter or digit comes before
			cand = !(i > 0 && isAlnumASCII(text[i-1])) && h.mayBegin(text, i, lowerASCII(c))
		}
		if !cand {
			i += size
			continue
		}
		start := stretchStart(text, i, floor)
		end, next := stretchEnd(text, i)
		spans = h.matchesIn(spans, text[start:end], start)
		i, floor = next, next
	}
	return merge(spans)
}

// stretchStart returns the start of the stretch of text (see matches) that
// holds byte p, the stretch before it ending at floor: after the last run
// of ASCII white space before p that an ASCII byte follows.
func stretchStart(text string, p, floor int) int {
	for j := p; ; {
		k := j - 1
		for k >= floor && !isSpaceASCII(text[k]) {
			k--
		}
		if k < floor {
			return floor
		}
		if text[k+1] < utf8.RuneSelf {
			return k + 1
		}
		for k >= floor && isSpaceASCII(text[k]) { // a rune outside ASCII follows: the stretch goes on
			k--
		}
		j = k + 1
	}
}

// stretchEnd returns the end of the stretch of text that holds byte p (a
// byte that is not white space) and where the next one begins: the first
// run of ASCII white space after p that an ASCII byte or the end of text
// follows.
func stretchEnd(text string, p int) (end, next int) {
	for i := p; ; {
		for i < len(text) && !isSpaceASCII(text[i]) {
			i++
		}
		if i == len(text) {
			return i, i
		}
		j := i + 1
		for j < len(text) && isSpaceASCII(text[j]) {
			j++
		}
		if j < len(text) && text[j] >= utf8.RuneSelf {
			i = j
			continue
		}
		return i, j
	}
}

// merge sorts spans and joins those that overlap.
func merge(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	merged := spans[:0]
	for _, s := range spans {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// matchesIn appends to spans the ranges of text's words that h holds,
// moved by off.
func (h *highlightTerms) matchesIn(spans []span, text string, off int) []span {
	a := analyzers()
	if len(h.stems) > 0 {
		for _, t := range a.en.Analyze([]byte(text)) {
			if h.stems[string(t.Term)] {
				spans = append(spans, span{off + t.Start, off + t.End})
			}
		}
	}
	if len(h.plain) > 0 || len(h.prefixes) > 0 {
		for _, t := range a.plain.Analyze([]byte(text)) {
			term := string(t.Term)
			ok := h.plain[term]
			for _, p := range h.prefixes {
				ok = ok || strings.HasPrefix(term, p)
			}
			if ok {
				spans = append(spans, span{off + t.Start, off + t.End})
			}
		}
	}
	return spans
}

// isPunctuation reports whether r is punctuation common in bulletins that
// never begins or joins a token: quotation marks, dashes, ellipsis,
// bullets and the no-break space.
func isPunctuation(r rune) bool {
	switch r {
	case '\u2018', '\u2019', '\u201c', '\u201d', '\u2013', '\u2014', '\u2026', '\u2022', '\u00a0':
		return true
	}
	return false
}

func isSpaceASCII(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isAlnumASCII(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// snippet returns about snippetLen bytes of text around its densest run of
// matches of h, HTML-escaped, with white space collapsed and the matched
// words in <mark>…</mark>. With no match it returns the start of text.
func snippet(text string, h *highlightTerms) string {
	spans := h.matches(text)
	start, end, keep := 0, min(len(text), snippetLen), 0
	if len(spans) > 0 {
		// The window of snippetLen bytes that holds the most matches.
		best, bestN := 0, 0
		for i, j := 0, 0; i < len(spans); i++ {
			for j < len(spans) && spans[j].end-spans[i].start <= snippetLen {
				j++
			}
			if j-i > bestN {
				best, bestN = i, j-i
			}
		}
		first := spans[best].start
		keep = spans[best+bestN-1].end
		if first > snippetLead {
			// Begin at a word boundary a little before the first match.
			start = first - snippetLead
			if k := strings.IndexFunc(text[start:first], unicode.IsSpace); k >= 0 {
				start += k
			} else {
				start = first
			}
		}
		end = min(len(text), max(start+snippetLen, keep))
	}
	if end < len(text) {
		// End at a word boundary, keeping the window's last match.
		if k := strings.LastIndexFunc(text[start:end], unicode.IsSpace); k >= 0 && start+k >= keep {
			end = start + k
		}
		for end > start && !utf8.RuneStart(text[end]) {
			end--
		}
	}

	var b strings.Builder
	pos := start
	for _, s := range spans {
		if s.start < start || s.end > end {
			continue
		}
		writePlain(&b, text[pos:s.start])
		b.WriteString("<mark>")
		writePlain(&b, text[s.start:s.end])
		b.WriteString("</mark>")
		pos = s.end
	}
	writePlain(&b, text[pos:end])
	out := strings.TrimSpace(b.String())
	if start > 0 {
		out = "… " + out
	}
	if end < len(text) {
		out += " …"
	}
	return out
}

// writePlain writes s HTML-escaped (as html.EscapeString) with each run of
// white space as one space, in one pass.
func writePlain(b *strings.Builder, s string) {
	inSpace := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if isSpaceASCII(c) {
				if !inSpace {
					b.WriteByte(' ')
				}
				inSpace = true
				continue
			}
			inSpace = false
			if c == '&' || c == '\'' || c == '<' || c == '>' || c == '"' {
				b.WriteString(html.EscapeString(s[i-1 : i])) // the escapes are html's
			} else {
				b.WriteByte(c)
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if unicode.IsSpace(r) {
			if !inSpace {
				b.WriteByte(' ')
			}
			inSpace = true
			continue
		}
		inSpace = false
		b.WriteRune(r) // U+FFFD for a byte that is not UTF-8
	}
}
