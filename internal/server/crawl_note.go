package server

import (
	"strings"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/schedule"
)

// crawlNote says in a sentence or two, for the home page, what the crawls
// of a source have done when that matters to a reader: why there are no
// editions yet, or that the last crawl failed and when it is tried again.
// It is "" when all is well.
func (s *Server) crawlNote(src *config.Source, held int) string {
	if s.sched == nil {
		if held == 0 {
			return "No editions yet: nothing has been crawled."
		}
		return ""
	}
	var st schedule.Status
	for _, x := range s.sched.Status() {
		if x.Source == src.ID {
			st = x
		}
	}
	loc := src.Location
	var b strings.Builder
	switch {
	case st.Outcome != "" && st.Outcome != run.OutcomeOK && st.Last != nil:
		if held == 0 {
			b.WriteString("No editions yet: ")
		}
		b.WriteString("the last crawl, at " + clock(st.Last.Started, loc) + ", failed")
		if len(st.Last.Unreachable) > 0 {
			b.WriteString(" (" + strings.Join(st.Last.Unreachable, ", ") + " did not answer)")
		}
		b.WriteString(".")
		switch {
		case st.Running:
			b.WriteString(" It is being tried again now.")
		case !st.RetryAt.IsZero():
			b.WriteString(" It is tried again at " + clock(st.RetryAt, loc) + ".")
		case !st.Next.IsZero():
			b.WriteString(" The next crawl is at " + clock(st.Next, loc) + ".")
		}
	case held == 0 && st.Running:
		b.WriteString("No editions yet: the first crawl is running (since " + clock(st.RunningSince, loc) + ").")
	case held == 0 && st.Outcome == run.OutcomeOK:
		b.WriteString("No editions yet: the last crawl, at " + clock(st.Last.Started, loc) + ", found none.")
	case held == 0 && !st.Next.IsZero():
		b.WriteString("No editions yet: no crawl has run; the first is at " + clock(st.Next, loc) + ".")
	case held == 0:
		b.WriteString("No editions yet: no crawl has run.")
	}
	out := b.String()
	if out != "" {
		out = strings.ToUpper(out[:1]) + out[1:]
	}
	return out
}
