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
}

// termsOf collects the words of the positive (not negated) text parts of n.
func termsOf(n node) highlightTerms {
	h := highlightTerms{stems: map[string]bool{}, plain: map[string]bool{}}
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
	return h
}

func (h highlightTerms) empty() bool {
	return len(h.stems) == 0 && len(h.plain) == 0 && len(h.prefixes) == 0
}

type span struct{ start, end int }

// matches returns the byte ranges of text holding one of h's words, sorted
// and not overlapping.
func (h highlightTerms) matches(text string) []span {
	if h.empty() || text == "" {
		return nil
	}
	var spans []span
	a := analyzers()
	if len(h.stems) > 0 {
		for _, t := range a.en.Analyze([]byte(text)) {
			if h.stems[string(t.Term)] {
				spans = append(spans, span{t.Start, t.End})
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
				spans = append(spans, span{t.Start, t.End})
			}
		}
	}
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

// snippet returns about snippetLen bytes of text around its densest run of
// matches of h, HTML-escaped, with white space collapsed and the matched
// words in <mark>…</mark>. With no match it returns the start of text.
func snippet(text string, h highlightTerms) string {
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

// writePlain writes s HTML-escaped with each run of white space as one space.
func writePlain(b *strings.Builder, s string) {
	var w strings.Builder
	inSpace := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !inSpace {
				w.WriteByte(' ')
			}
			inSpace = true
			continue
		}
		inSpace = false
		w.WriteRune(r)
	}
	b.WriteString(html.EscapeString(w.String()))
}
