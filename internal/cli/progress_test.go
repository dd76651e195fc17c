package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/run"
)

func TestRender(t *testing.T) {
	sum := run.Summary{Fetched: 3, Failed: 1, Duration: 5200 * time.Millisecond}
	tests := []struct {
		name string
		pr   crawl.Progress
		want string
	}{
		{"start", crawl.Progress{Source: "lga-cdt", Stage: crawl.StageDiscover}, "lga-cdt  looking for editions…"},
		{"reading", crawl.Progress{Source: "lga-cdt", Stage: crawl.StageDiscover, URL: "https://x/feed.rss"}, "lga-cdt  reading https://x/feed.rss"},
		{"none yet", crawl.Progress{Source: "s", Stage: crawl.StageEditions, Total: 4, Summary: sum},
			"s  [" + strings.Repeat("-", 40) + "]  0/4 editions  3 new, 1 failed, 5s"},
		{"half", crawl.Progress{Source: "s", Stage: crawl.StageEditions, Done: 2, Total: 4, Summary: sum},
			"s  [" + strings.Repeat("#", 20) + strings.Repeat("-", 20) + "]  2/4 editions  3 new, 1 failed, 5s"},
		{"done", crawl.Progress{Source: "s", Stage: crawl.StageDone, Done: 4, Total: 4, Summary: sum},
			"s  [" + strings.Repeat("#", 40) + "]  4/4 editions  3 new, 1 failed, done in 5.2s"},
		{"nothing to do", crawl.Progress{Source: "s", Stage: crawl.StageDone, Summary: run.Summary{}},
			"s  [" + strings.Repeat("#", 40) + "]  0/0 editions  0 new, 0 failed, done in 0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(tt.pr, 120); got != tt.want {
				t.Errorf("render =\n%q, want\n%q", got, tt.want)
			}
		})
	}
	// A narrower terminal gets a shorter bar, then no counts.
	for width, want := range map[int]string{
		80: "s  [##########----------]  1/2 editions  3 new, 1 failed, 5s",
		60: "s  [#####-----]  1/2 editions  3 new, 1 failed, 5s",
		40: "s  [#########---------]  1/2 editions",
	} {
		if got := render(crawl.Progress{Source: "s", Stage: crawl.StageEditions, Done: 1, Total: 2, Summary: sum}, width); got != want {
			t.Errorf("width %d: %q, want %q", width, got, want)
		}
	}
}

// TestProgressBar: log lines go above the bar, which is drawn again after
// each; a finished source's line stays; nothing is wider than the terminal.
func TestProgressBar(t *testing.T) {
	var out bytes.Buffer
	const width = 50
	bar := newProgressBar(&out, width)
	bar.Update(crawl.Progress{Source: "lga-cdt", Stage: crawl.StageDiscover, URL: "https://content.govdelivery.com/accounts/UKLGA/bulletins.rss"})
	bar.Update(crawl.Progress{Source: "lga-cdt", Stage: crawl.StageEditions, Done: 1, Total: 2})
	bar.Write([]byte("level=INFO msg=\"crawl: indexed edition\"\n"))
	bar.Update(crawl.Progress{Source: "lga-cdt", Stage: crawl.StageDone, Done: 2, Total: 2})
	bar.Write([]byte("level=INFO msg=after\n"))

	// What a terminal shows: each \r\x1b[K erases the line so far.
	var screen []string
	for _, line := range strings.SplitAfter(out.String(), "\n") {
		if i := strings.LastIndex(line, clearLine); i >= 0 {
			line = line[i+len(clearLine):]
		}
		if line = strings.TrimSuffix(line, "\n"); line != "" {
			screen = append(screen, line)
		}
	}
	want := []string{
		`level=INFO msg="crawl: indexed edition"`,
		"lga-cdt  [" + strings.Repeat("#", 22) + "]  2/2 editions",
		"level=INFO msg=after",
	}
	if strings.Join(screen, "\n") != strings.Join(want, "\n") {
		t.Errorf("screen:\n%s\nwant:\n%s\nraw: %q", strings.Join(screen, "\n"), strings.Join(want, "\n"), out.String())
	}
	for _, seg := range strings.FieldsFunc(out.String(), func(r rune) bool { return r == '\n' || r == '\r' }) {
		seg = strings.TrimPrefix(seg, "\x1b[K")
		if strings.HasPrefix(seg, "level=") {
			continue
		}
		if n := utf8.RuneCountInString(seg); n >= width {
			t.Errorf("bar %q is %d wide on a %d-column terminal", seg, n, width)
		}
	}
}

// A writer that is not a terminal (a pipe, a file, a buffer) gets no bar.
func TestTerminal(t *testing.T) {
	if _, ok := terminal(&bytes.Buffer{}); ok {
		t.Error("a buffer taken for a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, ok := terminal(f); ok {
		t.Error("a file taken for a terminal")
	}
}
