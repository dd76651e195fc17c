// Package corpus generates a large, deterministic, GovDelivery-like bulletin
// archive for benchmarks and load tests: N editions of about 20 articles each,
// with the markup varied the way the fixture site (internal/testsite) varies
// it — h2/h3, bold-paragraph, bold-span and table-cell headings, lnks.gd
// wrapped and utm-tagged links, windows-1252 pages, group headings, pages
// without an issue line or a dateline — and text drawn from the real seed
// editions. The same Options give the same bytes.
//
// A corpus is written as a site directory (Write) holding the edition pages,
// a paginated HTML list of bulletins, a bulletins.rss of the newest editions
// and robots.txt, and served by Site, which counts the requests it answers.
// Pages refer to their own origin as {{BASE}}, replaced per request.
//
// It imports seedpage (the seed texts, and the markup and the serving it
// shares with the fixture site) and dates (send times are
// Europe/London's); the CLI's gen-corpus command and the benchmark tools
// under bench/ use it.
package corpus

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/lga-digital/bulletin/internal/seedpage"
)

// MaxEditions is the largest corpus New accepts: 2,000,000 items, twice
// what the 1M benchmark (bench/run.sh, BENCH_ITEMS=1000000) generates.
// Editions are sent one a day from 1999, so the largest run past 2100.
const MaxEditions = 100000

// Account is the GovDelivery account the corpus pretends to be.
const Account = "UKLGA"

// Paths of the site's index documents.
const (
	FeedPath  = "/accounts/" + Account + "/bulletins.rss"
	ListPath  = "/accounts/" + Account + "/bulletins"
	pagesPath = "/accounts/" + Account + "/bulletins/"
)

// Base is the placeholder for the scheme and host of the serving site.
const Base = seedpage.Base

// Options say what to generate.
type Options struct {
	// Editions is the number of editions of the series, 1..MaxEditions.
	// One edition of another series is added for every 50, as on a real
	// account that publishes several bulletins; crawlers must skip those.
	Editions int
	// Seed selects the corpus; the same seed gives the same bytes.
	Seed uint64
	// PerPage is the number of bulletins per list page (default 100).
	PerPage int
	// FeedItems is the number of newest bulletins in bulletins.rss (default 20).
	FeedItems int
}

func (o Options) withDefaults() (Options, error) {
	if o.Editions < 1 || o.Editions > MaxEditions {
		return o, fmt.Errorf("corpus: editions must be 1 to %d, got %d", MaxEditions, o.Editions)
	}
	if o.PerPage == 0 {
		o.PerPage = 100
	}
	if o.FeedItems == 0 {
		o.FeedItems = 20
	}
	if o.PerPage < 1 || o.FeedItems < 1 {
		return o, errors.New("corpus: per-page and feed items must be positive")
	}
	return o, nil
}

// Edition describes one generated bulletin page and what a correct parse of
// it finds.
type Edition struct {
	ID        string    // GovDelivery bulletin id: lower-case hex, growing with time
	Path      string    // URL path, /accounts/UKLGA/bulletins/<id>
	Series    bool      // false for a bulletin of another series
	Subject   string    // the edition title: h1.bulletin_subject, else <title>
	Number    int       // edition number the parser must find; 0 for none
	Published time.Time // send time in UTC (midnight London on the 1st of the issue month when the page has no dateline)
	Charset   string    // "utf-8" or "windows-1252"
	Items     []string  // article titles, in page order
}

// Corpus is a generated archive. Pages are rendered on demand, so a corpus
// of MaxEditions costs little memory.
type Corpus struct {
	opt      Options
	editions []Edition // oldest first; index = page number j
}

// New plans a corpus.
func New(opt Options) (*Corpus, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Corpus{opt: opt}
	total := opt.Editions + opt.Editions/50
	c.editions = make([]Edition, total)
	for j := range total {
		c.editions[j] = c.plan(j).meta
	}
	return c, nil
}

// Options returns the options the corpus was made with, defaults filled in.
func (c *Corpus) Options() Options { return c.opt }

// Editions returns every edition, newest first (as the list page orders them).
func (c *Corpus) Editions() []Edition {
	out := make([]Edition, len(c.editions))
	for i := range c.editions {
		out[i] = c.editions[len(c.editions)-1-i]
	}
	return out
}

// Items returns the number of articles in the editions of the series.
func (c *Corpus) Items() int {
	n := 0
	for _, ed := range c.editions {
		if ed.Series {
			n += len(ed.Items)
		}
	}
	return n
}

// Page returns the HTML of the edition with the given id, encoded in its
// charset, with Base standing for the site's origin.
func (c *Corpus) Page(id string) ([]byte, bool) {
	for j := range c.editions {
		if c.editions[j].ID == id {
			return c.page(j), true
		}
	}
	return nil, false
}

func (c *Corpus) page(j int) []byte {
	p := c.plan(j)
	doc := render(p)
	if p.meta.Charset == "windows-1252" {
		return seedpage.Windows1252(doc)
	}
	return []byte(doc)
}

// isForeign reports whether page j is a bulletin of another series: every
// 51st page, so that the series has exactly Options.Editions editions.
func isForeign(j int) bool { return j%51 == 50 }

// seriesNumber is the edition number of series page j.
func seriesNumber(j int) int { return j - j/51 + 1 }

// rng is the random stream of page j: pages are independent of each other,
// so any page can be rendered alone. PCG is a fixed algorithm, and the
// helpers below use only its Uint64, so the output does not depend on the
// Go version.
type rng struct{ r *rand.Rand }

func newRNG(seed uint64, j int) rng { return rng{rand.New(rand.NewPCG(seed, uint64(j)+1))} }

// intn returns a number in [0, n).
func (g rng) intn(n int) int { return int(g.r.Uint64() % uint64(n)) }

// chance returns true with probability pct/100.
func (g rng) chance(pct int) bool { return g.intn(100) < pct }

func pick[T any](g rng, xs []T) T { return xs[g.intn(len(xs))] }

// perm returns the first k of a random permutation of 0..n-1.
func (g rng) perm(n, k int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := 0; i < k; i++ {
		j := i + g.intn(n-i)
		p[i], p[j] = p[j], p[i]
	}
	return p[:k]
}

// firstDay is the send day of page 0; one bulletin a day follows.
var firstDay = time.Date(1999, time.January, 4, 0, 0, 0, 0, time.UTC)
