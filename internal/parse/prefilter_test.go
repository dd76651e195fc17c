package parse

// The fast paths of the parser and the plain statements they replace.

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// orgsByIndex is the plain statement of orgFinder.find: each entry's names
// and aliases looked for with strings.Index, the first entry of a name that
// the text mentions placing it.
func orgsByIndex(s string, orgs []Org) []string {
	indexWord := func(pat string) int {
		for off := 0; ; {
			i := strings.Index(s[off:], pat)
			if i < 0 {
				return -1
			}
			i += off
			before, _ := utf8.DecodeLastRuneInString(s[:i])
			after, _ := utf8.DecodeRuneInString(s[i+len(pat):])
			if !wordRune(before) && !wordRune(after) {
				return i
			}
			off = i + 1
		}
	}
	type hit struct{ pos, order int }
	var hits []hit
	seen := map[string]bool{}
	for i, o := range orgs {
		name := strings.TrimSpace(o.Name)
		if name == "" || seen[name] {
			continue
		}
		best := -1
		for _, pat := range append([]string{o.Name}, o.Aliases...) {
			if pat = strings.TrimSpace(pat); pat == "" {
				continue
			}
			if p := indexWord(pat); p >= 0 && (best < 0 || p < best) {
				best = p
			}
		}
		if best >= 0 {
			seen[name] = true
			hits = append(hits, hit{best, i})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].pos < hits[b].pos })
	var out []string
	for _, h := range hits {
		out = append(out, strings.TrimSpace(orgs[h.order].Name))
	}
	return out
}

// testOrgs has two entries of one name, an alias inside another, names
// that begin alike, a lower-case first letter and a non-ASCII one.
var testOrgs = append(DefaultOrgs(),
	Org{Name: "CCS", Aliases: []string{"Crown Service"}},
	Org{Name: " Éire ", Aliases: []string{"Ireland"}},
	Org{Name: "Local", Aliases: []string{" ", "Local Digital team"}},
)

func checkOrgs(t *testing.T, s string) {
	t.Helper()
	got := newOrgFinder(testOrgs).find(s)
	if want := orgsByIndex(s, testOrgs); !reflect.DeepEqual(got, want) {
		t.Errorf("find(%q) = %q, want %q", s, got, want)
	}
}

func TestOrgFinderEqualsIndex(t *testing.T) {
	for _, s := range []string{
		"", "NCSC", "the NCSC’s advice", "SUCCSESS", "_NCSC_", "9NCSC", "NCSCs",
		"Crown Service then CCS", "Local Digital team and the Local Government Association",
		"techUK and iNetwork", "xtechUK", "Éire and Ireland", "aÉire", "\xffNHS\xff",
		"DLUHC, then the Department for Levelling Up, Housing and Communities",
	} {
		checkOrgs(t, s)
	}
}

func FuzzOrgFinder(f *testing.F) {
	f.Add("Crown Service then CCS and the NCSC’s Éire")
	f.Fuzz(checkOrgs)
}

// checkLabelEnd: wherever dayLabelRe matches, labelEnd lets it run.
func checkLabelEnd(t *testing.T, s string) {
	t.Helper()
	if dayLabelRe.MatchString(s) && !labelEnd(s) {
		t.Errorf("dayLabelRe matches %q, which labelEnd refuses", s)
	}
}

func TestLabelEnd(t *testing.T) {
	for _, s := range []string{"Day 1:", "Day 1: ", "Session 2 –\t", "Part 3 —\n", "(Week 4-", "Module 5 : \r\f", "x Day 1 :\v"} {
		checkLabelEnd(t, s)
		if !labelEnd(s) && s != "x Day 1 :\v" {
			t.Errorf("labelEnd(%q) = false", s)
		}
	}
	if labelEnd("Day 1: Register by") {
		t.Error("labelEnd of a text ending in a word")
	}
}

func FuzzLabelEnd(f *testing.F) {
	f.Add("Cyber 360: Day 1: ")
	f.Fuzz(checkLabelEnd)
}

func FuzzRunesAtMost(f *testing.F) {
	f.Add("café ☕ \xff", 5)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 1<<20 {
			return
		}
		if got, want := runesAtMost(s, n), utf8.RuneCountInString(s) <= n; got != want {
			t.Errorf("runesAtMost(%q, %d) = %v, want %v", s, n, got, want)
		}
	})
}

// eightByteScans are the scans that test eight bytes at a time, each with
// the byte-by-byte statement it replaces.
var eightByteScans = []struct {
	name        string
	scan, plain func(s string, p int) int
}{
	{"graphicRun", graphicRun, func(s string, p int) int {
		for p < len(s) && s[p] > ' ' && s[p] < utf8.RuneSelf {
			p++
		}
		return p
	}},
	{"indexDigit", indexDigit, func(s string, p int) int {
		if i := strings.IndexAny(s[p:], "0123456789"); i >= 0 {
			return p + i
		}
		return -1
	}},
}

func checkEightByteScans(t *testing.T, s string, p int) {
	t.Helper()
	for _, sc := range eightByteScans {
		if got, want := sc.scan(s, p), sc.plain(s, p); got != want {
			t.Errorf("%s(%q, %d) = %d, want %d", sc.name, s, p, got, want)
		}
	}
}

// TestEightByteScansEveryByte puts every byte at every place of a word
// and after it.
func TestEightByteScansEveryByte(t *testing.T) {
	for c := range 256 {
		for pos := range 9 {
			b := []byte("abcdefghi")
			b[pos] = byte(c)
			checkEightByteScans(t, string(b), 0)
		}
	}
}

func FuzzEightByteScans(f *testing.F) {
	f.Add("Cyber and digital\x7f\x80 ok\x00", 0)
	f.Add("Tuesday 16 April, the 3rd \xb0\xb9/:09", 0)
	f.Fuzz(func(t *testing.T, s string, p int) {
		if p < 0 || p > len(s) {
			p = 0
		}
		checkEightByteScans(t, s, p)
	})
}

// FuzzDeadlineCue holds deadlineCue to where deadlineCueRe's first group
// begins.
func FuzzDeadlineCue(f *testing.F) {
	fuzzStrings(f, append(keyedCases, "Send your views by ", "closing date is: the on ", "due by the ", "nearby ",
		"x ſubmit by ", "xſubmit by ", "Apply before ", "it closes  on ", "(by ", "by", "_by ", "9by "),
		func(t *testing.T, s string) {
			want := -1
			if c := deadlineCueRe.Regexp.FindStringSubmatchIndex(s); c != nil {
				want = c[2]
			}
			if got := deadlineCue(s); got != want {
				t.Errorf("deadlineCue(%q) = %d, deadlineCueRe's group begins at %d", s, got, want)
			}
		})
}

// plainRunBytes is the plain statement of plainRun, a byte at a time.
func plainRunBytes(s string, i int) int {
	start := i
	for i < len(s) {
		if plainByte[s[i]] {
			i++
		} else if s[i] == ' ' && i > start && i+1 < len(s) && plainByte[s[i+1]] {
			i += 2
		} else {
			break
		}
	}
	return i
}

// FuzzPlainRun holds plainRun, which passes eight bytes at a time, to
// plainRunBytes from every offset of the text.
func FuzzPlainRun(f *testing.F) {
	fuzzStrings(f, []string{
		"Councils can apply for the fund by 5 May.", " leading space and words", "two  spaces in a longer text",
		"ends in a space ", "a&b <i> \"q\" 'x' tom's #1 50% a=b", "caf\u00e9 society and more words", "abcdefg hijklmn ",
		"abcdefgh ijklmnop", "abcdefg  hijklmn", "a b c d e f g h i j", "\t\ttabbed text of words",
	}, func(t *testing.T, s string) {
		for i := range len(s) + 1 {
			if got, want := plainRun(s, i), plainRunBytes(s, i); got != want {
				t.Fatalf("plainRun(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
	})
}

// FuzzFoldASCII holds foldASCII, which passes a text holding none of the
// letters' first bytes as it is, to the replacer.
func FuzzFoldASCII(f *testing.F) {
	fuzzStrings(f, []string{"Café society", "Plain title", "“Quoted” – dash", "ÀÉÖÜ", "\xc3", "naïve façade"},
		func(t *testing.T, s string) {
			if got, want := foldASCII(s), asciiFolder.Replace(s); got != want {
				t.Errorf("foldASCII(%q) = %q, want %q", s, got, want)
			}
		})
}
