package parse_test

import (
	"bytes"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/lga-digital/bulletin/internal/corpus"
	"github.com/lga-digital/bulletin/internal/parse"
	"github.com/lga-digital/bulletin/internal/testenv/lgafixtures"
)

// generatedPages renders n editions of the benchmark corpus (seed 1).
func generatedPages(tb testing.TB, n int) (pages []page, size int64) {
	tb.Helper()
	c, err := corpus.New(corpus.Options{Editions: n, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range c.Editions() {
		b, _ := c.Page(e.ID)
		b = bytes.ReplaceAll(b, []byte(corpus.Base), []byte(fixtureBase))
		pages = append(pages, page{body: b, contentType: "text/html", url: fixtureBase + e.Path})
		size += int64(len(b))
	}
	return pages, size
}

// reportCPU adds the metric cpu-ns/op: the process's CPU time since start
// per iteration. Compare it, as well as sec/op, when other processes load
// the machine.
func reportCPU(b *testing.B, start time.Duration) {
	if end := cpuTime(); end > 0 && b.N > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkParseGenerated parses generated editions (about 20 articles each)
// with our parser; BenchmarkHTMLParseGenerated is its physical baseline, the
// bare HTML5 parse of the same bytes. Both report MB/s and CPU time.
func BenchmarkParseGenerated(b *testing.B) {
	pages, size := generatedPages(b, 20)
	b.SetBytes(size)
	ps, err := parse.New(lgafixtures.ParseOptions(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		for _, p := range pages {
			if _, err := ps.Parse(p.body, p.contentType, p.url, parse.Carrier{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportCPU(b, start)
}

func BenchmarkHTMLParseGenerated(b *testing.B) {
	pages, size := generatedPages(b, 20)
	b.SetBytes(size)
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		for _, p := range pages {
			if _, err := html.Parse(bytes.NewReader(p.body)); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportCPU(b, start)
}

// BenchmarkHTMLParseFixtures is the baseline of BenchmarkParse: the bare
// HTML5 parse of the fixture pages.
func BenchmarkHTMLParseFixtures(b *testing.B) {
	pages := fixturePages(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			if _, err := html.Parse(bytes.NewReader(p.body)); err != nil {
				b.Fatal(err)
			}
		}
	}
}
