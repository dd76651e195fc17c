package corpus

import (
	"strings"
	"sync"

	"github.com/lga-digital/bulletin/internal/seedpage"
)

// seedText is what the generator draws from: the seeds of
// internal/seedpage, articles with no text ("Invest 2035", a linked
// heading in the seed) dropped.
type seedText struct {
	editorials [][]string
	articles   []seedpage.Article
	sentences  []string // every sentence of every article paragraph
}

var seeds = sync.OnceValue(func() *seedText {
	st := &seedText{}
	for _, s := range seedpage.Seeds() {
		st.editorials = append(st.editorials, s.Editorial)
		for _, a := range s.Articles {
			if len(a.Lines) == 0 {
				continue
			}
			st.articles = append(st.articles, a)
			for _, l := range a.Lines {
				if strings.HasPrefix(l, "-") || len(l) < 60 {
					continue
				}
				st.sentences = append(st.sentences, sentences(l)...)
			}
		}
	}
	return st
})

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
