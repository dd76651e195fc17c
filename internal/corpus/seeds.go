package corpus

import (
	"embed"
	"fmt"
	"strings"
	"sync"
)

// The seed texts are copies of internal/parse/testdata/seeds (a test keeps
// them identical): the real text of LGA Cyber, Digital and Technology
// Bulletin editions 19 and 25, one line per paragraph.
//
//go:embed seeds/*.txt
var seedFS embed.FS

// Article headings of the two seed editions, in page order, as in
// internal/testsite/gen/gen.py. Articles with no text ("Invest 2035", a
// linked heading in the seed) are dropped after splitting.
var (
	headings19 = []string{
		"A cyber, digital, data and technology skills framework for local government",
		"Pro-innovation approach to AI regulation policy brief",
		"LGA Bespoke Cyber Support – Volunteer Opportunity",
		"Microsoft MOU (Memorandum of Understanding) negotiations",
		"Minimum Digital Living Standard for households with children",
		"iNetwork Innovation Awards 2023",
		"Digital Inclusion Triage Tool in Salford and Essex",
		"DSIT (Department of Science, Innovation and Technology) Secure Connected Places Beta Playbook",
		"National Cyber Security Centre (NCSC) Publish Supplementary Secure Connected Places Infographic",
		"Driving adoption of Open Referral UK to deliver millions in annual savings for councils",
		"Building a connected digital inclusion ecosystem: Lessons from Leeds City Council",
		"Crown Commercial Service DDaT Community of Practice Event",
	}
	headings25 = []string{
		"The Local Government Centre for Digital Technology",
		"Budget 2024",
		"Digital Communities All Party Parliamentary Group (APPG)",
		"Update on the LGA’s research into GDS’s Service Standard",
		"Sign up for the LGA Technology Innovation Showcase, Thursday 14 November, Hybrid",
		"LGA Cyber, Digital & Technology Sector-Led Consultancy",
		"St. Helens Borough Council Cyber Incident Case Study",
		"Unlocking Digital Excellence Training Programme with Apolitical",
		"LGA Vacancy – Senior Adviser, Digital Transformation – Partners in Care and Health (PCH)",
		"Ada Lovelace: Local Government and AI Procurement Report",
		"Empowering the Next Generation: Ofcom's Media Literacy Strategy",
		"AI@Cam: AI and the Missions for Government: insights from a public dialogue",
		"Schools’ workforce policy and employment law conference resources",
		"Invest 2035: Industrial Strategy Green Paper",
		"Department for Education (DfE) call for evidence ahead of a review of the curriculum and assessment system in schools from Key Stage 1 to Key Stage 6 (ages 5-19)",
		"ONS Local Workshop: data maturity assessments in local government, Thursday 7 November, 9:30-10:30am",
		"ONS Local Workshop: Every Cloud has a silver lining. Thursday 21 November, 9:30-11am",
		"techUK’s procurement survey: SMEs want to hear from colleagues",
	}
)

// closingPrefixes start the lines after the last article of a seed.
var closingPrefixes = []string{"Cyber, Digital and Technology Team:", "For more information visit our", "Head of Programme:"}

// seedArticle is one article of a seed: its heading and its lines (a line
// "- x" is a list item; a line "-" makes the next line a list item).
type seedArticle struct {
	title string
	lines []string
}

// seedText is what the generator draws from.
type seedText struct {
	editorials [][]string // each from "Dear colleague" to the sign-off, "|" lines dropped
	articles   []seedArticle
	sentences  []string // every sentence of every article paragraph
}

var seeds = sync.OnceValue(func() *seedText {
	st := &seedText{}
	for _, s := range []struct {
		file  string
		heads []string
	}{{"seeds/lga-cdt-bulletin-19.txt", headings19}, {"seeds/lga-cdt-bulletin-25.txt", headings25}} {
		raw, err := seedFS.ReadFile(s.file)
		if err != nil {
			panic(fmt.Sprintf("corpus: embedded seed %s: %v", s.file, err)) // embedded at build time
		}
		ed, arts := splitSeed(string(raw), s.heads)
		st.editorials = append(st.editorials, ed)
		for _, a := range arts {
			if len(a.lines) == 0 {
				continue
			}
			st.articles = append(st.articles, a)
			for _, l := range a.lines {
				if strings.HasPrefix(l, "-") || len(l) < 60 {
					continue
				}
				st.sentences = append(st.sentences, sentences(l)...)
			}
		}
	}
	return st
})

// splitSeed cuts a seed text into its editorial and its articles.
func splitSeed(text string, heads []string) (editorial []string, arts []seedArticle) {
	isHead := map[string]bool{}
	for _, h := range heads {
		isHead[h] = true
	}
	stage := "pre"
	for _, l := range strings.Split(text, "\n") {
		s := strings.TrimSpace(l)
		if s == "Dear colleague" {
			stage = "ed"
		}
		if isHead[s] {
			stage = "art"
			arts = append(arts, seedArticle{title: s})
			continue
		}
		switch {
		case s == "|" || s == "":
		case stage == "ed":
			editorial = append(editorial, s)
		case stage == "art" && !hasAnyPrefix(s, closingPrefixes):
			a := &arts[len(arts)-1]
			a.lines = append(a.lines, s)
		}
	}
	return editorial, arts
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// sentences splits a paragraph after ". ", "? " and "! " followed by a capital.
func sentences(p string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(p); i++ {
		if (p[i] == '.' || p[i] == '?' || p[i] == '!') && p[i+1] == ' ' && p[i+2] >= 'A' && p[i+2] <= 'Z' &&
			!strings.HasSuffix(p[:i], " St") && !strings.HasSuffix(p[:i], " Dr") && !strings.HasSuffix(p[:i], " Mr") {
			out = append(out, p[start:i+1])
			start = i + 2
		}
	}
	return append(out, p[start:])
}
