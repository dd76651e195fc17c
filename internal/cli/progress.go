package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/lga-digital/bulletin/internal/crawl"
)

// terminal returns the descriptor of w when w is a terminal.
func terminal(w io.Writer) (int, bool) {
	f, ok := w.(*os.File)
	if !ok {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, term.IsTerminal(fd)
}

// termWidth is the width of the terminal fd, or 80 when unknown.
func termWidth(fd int) int {
	if w, _, err := term.GetSize(fd); err == nil && w > 20 {
		return w
	}
	return 80
}

// progressBar draws one line per source on a terminal: a bar of the
// editions handled, redrawn in place as the crawl goes, left on screen when
// the source is done. Log lines written through it (it is the log's writer)
// are printed above the bar, which is then drawn again.
type progressBar struct {
	mu    sync.Mutex
	out   io.Writer
	width int
	line  string // on screen now, without a newline; "" for none
}

const clearLine = "\r\x1b[K"

func newProgressBar(out io.Writer, width int) *progressBar {
	return &progressBar{out: out, width: width}
}

// Write prints log output above the bar.
func (p *progressBar) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.line != "" {
		io.WriteString(p.out, clearLine)
	}
	n, err := p.out.Write(b)
	if p.line != "" {
		io.WriteString(p.out, p.line)
	}
	return n, err
}

// Update redraws the bar for pr; crawl.Crawler.Progress takes it.
func (p *progressBar) Update(pr crawl.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	line := p.fit(render(pr, p.width))
	io.WriteString(p.out, clearLine+line)
	p.line = line
	if pr.Stage == crawl.StageDone {
		io.WriteString(p.out, "\n")
		p.line = ""
	}
}

// fit cuts s to one character less than the width, so the terminal never wraps.
func (p *progressBar) fit(s string) string {
	if utf8.RuneCountInString(s) < p.width {
		return s
	}
	r := []rune(s)
	return string(r[:p.width-2]) + "…"
}

// render is the text of the bar for pr, at most about width characters.
func render(pr crawl.Progress, width int) string {
	sum := pr.Summary
	counts := fmt.Sprintf("%d new, %d failed", sum.Fetched+sum.FromFeed, sum.Failed)
	switch pr.Stage {
	case crawl.StageDiscover:
		if pr.URL == "" {
			return pr.Source + "  looking for editions…"
		}
		return pr.Source + "  reading " + pr.URL
	case crawl.StageDone:
		counts += ", done in " + sum.Duration.Round(100*time.Millisecond).String()
	default:
		counts += ", " + sum.Duration.Round(time.Second).String()
	}
	frac := fmt.Sprintf("%d/%d editions", pr.Done, pr.Total)
	// source  [#####-----]  12/40 editions  3 new, 0 failed, 5s
	// The bar takes what room is left, 10 to 40 wide, leaving room for the
	// longest counts so that it keeps its width as they grow; on a narrow
	// terminal it is 10 wide, and the counts go if even that does not fit
	// (the summary table gives them).
	const countsRoom = 36 // "120 new, 12 failed, done in 1m23.4s"
	room := width - 1 - utf8.RuneCountInString(pr.Source) - len(frac) - 10
	var n int
	switch {
	case room-countsRoom >= 10:
		n = min(room-countsRoom, 40)
	case room-len(counts) >= 10:
		n = 10
	default:
		counts, n = "", min(max(room+2, 10), 40)
	}
	filled := n
	if pr.Total > 0 {
		filled = n * pr.Done / pr.Total
	}
	line := fmt.Sprintf("%s  [%s]  %s", pr.Source, strings.Repeat("#", filled)+strings.Repeat("-", n-filled), frac)
	if counts != "" {
		line += "  " + counts
	}
	return line
}
