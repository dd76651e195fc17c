// Package seedpage holds what the two fixture generators share: the seed
// texts (the real text of LGA Cyber, Digital and Technology Bulletin
// editions 19 and 25, one line per paragraph), their article headings, and
// the pieces of GovDelivery markup both write alike (headings, dividers,
// tracked links, windows-1252 pages), and the way both serve a generated
// file (ServePage).
//
// internal/testsite writes the fixture site from it (go generate) and
// internal/corpus the generated archives of any size; the parser's tests
// read the seeds through it. It imports nothing of bulletin.
package seedpage

import (
	"embed"
	"fmt"
	"strings"
	"sync"
)

//go:embed seeds/*.txt
var seedFS embed.FS

// Article headings of the two seed editions, in page order. "Invest 2035"
// (edition 25) is a linked heading with no text of its own.
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

// ClosingPrefixes start the lines after the last article of a seed: the
// team's contact lines, never article text.
var ClosingPrefixes = []string{"Cyber, Digital and Technology Team:", "For more information visit our", "Head of Programme:"}

// SignOff is the editorial's sign-off in both seeds, one line each.
var SignOff = []string{"Owen Pritchard", "Head of Cyber, Digital and Technology", "Local Government Association"}

// Article is one article of a seed: its heading and its lines, trimmed (a
// line "- x" is a list item; a line "-" makes the next line a list item).
type Article struct {
	Title string
	Lines []string
}

// Seed is one seed edition.
type Seed struct {
	Number int    // the edition's number: 19 or 25
	File   string // the file name, lga-cdt-bulletin-N.txt
	Text   string // the whole text as kept
	// Editorial runs from "Dear colleague" to the sign-off, trimmed, with
	// the "|" and blank lines dropped.
	Editorial []string
	Articles  []Article // every heading of the edition, in page order
}

// Article returns the article with a title; it panics when the seed has
// none, as the callers name headings of the seed.
func (s *Seed) Article(title string) Article {
	for _, a := range s.Articles {
		if a.Title == title {
			return a
		}
	}
	panic(fmt.Sprintf("seedpage: edition %d has no article %q", s.Number, title))
}

// Seeds returns the two seed editions, 19 then 25. The result is shared:
// callers must not change it.
var Seeds = sync.OnceValue(func() []*Seed {
	var out []*Seed
	for _, s := range []struct {
		n     int
		heads []string
	}{{19, headings19}, {25, headings25}} {
		file := fmt.Sprintf("lga-cdt-bulletin-%d.txt", s.n)
		raw, err := seedFS.ReadFile("seeds/" + file)
		if err != nil {
			panic(fmt.Sprintf("seedpage: embedded seed %s: %v", file, err)) // embedded at build time
		}
		ed, arts := split(string(raw), s.heads)
		if len(arts) != len(s.heads) {
			panic(fmt.Sprintf("seedpage: seed %s has %d of its %d headings", file, len(arts), len(s.heads)))
		}
		out = append(out, &Seed{Number: s.n, File: file, Text: string(raw), Editorial: ed, Articles: arts})
	}
	return out
})

// split cuts a seed text into its editorial and its articles.
func split(text string, heads []string) (editorial []string, arts []Article) {
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
			arts = append(arts, Article{Title: s})
			continue
		}
		switch {
		case s == "|" || s == "":
		case stage == "ed":
			editorial = append(editorial, s)
		case stage == "art" && !hasAnyPrefix(s, ClosingPrefixes):
			a := &arts[len(arts)-1]
			a.Lines = append(a.Lines, s)
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
