package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"golang.org/x/net/html"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/corpus"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/parse"
)

// parseCmd measures our parser against x/net/html.Parse alone on the same
// generated pages, one goroutine, alternating rounds; it prints the median
// of each.
func parseCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	editions := fs.Int("editions", 200, "generated editions to parse")
	rounds := fs.Int("rounds", 5, "rounds of each; the median is reported")
	seed := fs.Uint64("seed", 1, "corpus seed")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of our parser's rounds to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := corpus.New(corpus.Options{Editions: *editions, Seed: *seed})
	if err != nil {
		return err
	}
	const origin = "https://content.govdelivery.com"
	type page struct {
		body []byte
		url  string
	}
	var pages []page
	total, items := 0, 0
	for _, ed := range c.Editions() {
		b, _ := c.Page(ed.ID)
		b = bytes.ReplaceAll(b, []byte(corpus.Base), []byte(origin))
		pages = append(pages, page{b, origin + ed.Path})
		total += len(b)
	}
	// The corpus is the LGA's bulletin: parse it as a crawl of the shipped
	// lga-cdt source does (its closing lines and group headings, one
	// Parser for the source).
	shipped, err := config.Shipped(func(string) string { return "" })
	if err != nil {
		return err
	}
	lga, ok := shipped.Source("lga-cdt")
	if !ok {
		return fmt.Errorf("the shipped config has no lga-cdt source")
	}
	ps, err := parse.New(crawl.ParseOptions(lga, shipped.Orgs))
	if err != nil {
		return err
	}
	bare := func() error {
		for _, p := range pages {
			if _, err := html.Parse(bytes.NewReader(p.body)); err != nil {
				return err
			}
		}
		return nil
	}
	ours := func() error {
		items = 0
		for _, p := range pages {
			res, err := ps.Parse(p.body, "text/html", p.url, parse.Carrier{})
			if err != nil {
				return err
			}
			items += len(res.Items)
		}
		return nil
	}
	var tb, to []time.Duration
	for r := 0; r < *rounds+1; r++ { // round 0 warms up
		if err := ctx.Err(); err != nil {
			return err
		}
		runtime.GC()
		d, err := timed(bare)
		if err != nil {
			return err
		}
		runtime.GC()
		if *cpuprofile != "" && r == 1 {
			f, err := os.Create(*cpuprofile)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			_, err = timed(ours)
			pprof.StopCPUProfile()
			f.Close()
			if err != nil {
				return err
			}
		}
		d2, err := timed(ours)
		if err != nil {
			return err
		}
		if r > 0 {
			tb, to = append(tb, d), append(to, d2)
		}
	}
	mb := float64(total) / 1e6
	mb1, mb2 := mb/median(tb).Seconds(), mb/median(to).Seconds()
	fmt.Printf("pages=%d bytes=%d items=%d rounds=%d bare_mbps=%.2f ours_mbps=%.2f ratio=%.2f bare_ms_per_page=%.3f ours_ms_per_page=%.3f\n",
		len(pages), total, items, *rounds, mb1, mb2, mb1/mb2,
		float64(median(tb).Microseconds())/1000/float64(len(pages)), float64(median(to).Microseconds())/1000/float64(len(pages)))
	return nil
}

func timed(f func() error) (time.Duration, error) {
	start := time.Now()
	err := f()
	return time.Since(start), err
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
