package parse

import "strings"

// The inline styles that mark headings, hidden content and preheaders are
// stated as regexps (fontWeightRe, fontSizeRe, displayNone in blocks.go);
// the functions here read an ASCII style attribute by hand to the same
// answer, as every element's style is read several times per page. A
// style with a byte that is not ASCII goes to the regexp: case-insensitive
// matching folds ſ and K to s and k. FuzzStyles holds each to its regexp.

// cssValues calls yield with what follows each place s declares prop
// (lower-case ASCII): the property name in any ASCII case, white space, a
// colon and white space (`prop\s*:\s*`), from the left, until yield
// returns true; it reports whether one did.
func cssValues(s, prop string, yield func(rest string) bool) bool {
	for i := 0; i+len(prop) <= len(s); {
		j := indexFoldASCII(s[i:], prop)
		if j < 0 {
			return false
		}
		at := i + j
		i = at + 1
		rest := skipSpace(s[at+len(prop):])
		if rest == "" || rest[0] != ':' {
			continue
		}
		if yield(skipSpace(rest[1:])) {
			return true
		}
	}
	return false
}

// skipSpace returns s after its leading white space (\s).
func skipSpace(s string) string {
	i := 0
	for i < len(s) && perlSpace(s[i]) {
		i++
	}
	return s[i:]
}

// indexFoldASCII returns the offset of the first key (lower-case ASCII) in
// s in any mix of ASCII cases, or -1.
func indexFoldASCII(s, key string) int {
	for i := 0; i+len(key) <= len(s); i++ {
		if lowerASCII(s[i]) == key[0] && equalFoldASCII(s[i+1:i+len(key)], key[1:]) {
			return i
		}
	}
	return -1
}

// boldWeight reports what fontWeightRe.MatchString(css) reports: a
// font-weight of bold, bolder or 600 to 900.
func boldWeight(css string) bool {
	if !isASCII(css) {
		return fontWeightRe.MatchString(css)
	}
	return cssValues(css, "font-weight", func(v string) bool {
		return hasPrefixFold(v, "bold") || len(v) >= 3 && v[0] >= '6' && v[0] <= '9' && v[1:3] == "00"
	})
}

// fontSize returns the number and unit of fontSizeRe's first match in css
// (its two groups), ok false when there is none.
func fontSize(css string) (num, unit string, ok bool) {
	if !isASCII(css) {
		if m := fontSizeRe.FindStringSubmatch(css); m != nil {
			return m[1], m[2], true
		}
		return "", "", false
	}
	cssValues(css, "font-size", func(v string) bool {
		n := 0
		for n < len(v) && (v[n] >= '0' && v[n] <= '9' || v[n] == '.') {
			n++
		}
		if n == 0 {
			return false
		}
		rest := skipSpace(v[n:])
		for _, u := range [...]string{"px", "pt", "em", "rem"} {
			if hasPrefixFold(rest, u) {
				num, unit, ok = v[:n], rest[:len(u)], true
				return true
			}
		}
		return false
	})
	return num, unit, ok
}

// hiddenStyle reports what displayNone.MatchString(css) reports: display
// none, visibility hidden or a max-height of 0.
func hiddenStyle(css string) bool {
	if !isASCII(css) {
		return displayNone.MatchString(css)
	}
	return cssValues(css, "display", func(v string) bool { return hasPrefixFold(v, "none") }) ||
		cssValues(css, "visibility", func(v string) bool { return hasPrefixFold(v, "hidden") }) ||
		cssValues(css, "max-height", func(v string) bool { return strings.HasPrefix(v, "0") })
}
