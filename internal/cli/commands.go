package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/api"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/metrics"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/schedule"
	"github.com/lga-digital/bulletin/internal/server"
	"github.com/lga-digital/bulletin/internal/snapshot"
)

// sources returns the configured sources, or the one named by id.
func sources(cfg *config.Config, id string) ([]*config.Source, error) {
	if id == "" {
		out := make([]*config.Source, len(cfg.Sources))
		for i := range cfg.Sources {
			out[i] = &cfg.Sources[i]
		}
		return out, nil
	}
	src, ok := cfg.Source(id)
	if !ok {
		return nil, &usageError{fmt.Sprintf("unknown source %q (config %s)", id, cfg.File)}
	}
	return []*config.Source{src}, nil
}

func (a *app) crawl(ctx context.Context, args []string) error {
	fs := a.flags("crawl")
	id := fs.String("source", "", "crawl only this source")
	refetch := fs.Bool("refetch", false, "download edition pages again")
	maxNewFlag := fs.Int("max-new", 0, "stop after N new editions per source (default: the source's max_new)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	cfg, err := a.setup()
	if err != nil {
		return err
	}
	srcs, err := sources(cfg, *id)
	if err != nil {
		return err
	}
	st, idx, err := a.stores(cfg)
	if errors.Is(err, index.ErrLocked) {
		return a.crawlRemote(ctx, cfg, srcs, run.Options{Refetch: *refetch, MaxNew: *maxNewFlag}, err)
	}
	if err != nil {
		return err
	}
	defer idx.Close()
	// On a terminal, a progress bar per source; the log goes through it.
	var bar *progressBar
	if fd, ok := terminal(a.stderr); ok {
		bar = newProgressBar(a.stderr, termWidth(fd))
		a.log = a.loggerTo(bar)
	}
	crawlers := a.crawlers(srcs, st, idx, nil)
	// The outcomes go into the crawl history that serve's /status shows.
	history := openHistory(cfg, a.log)
	var sums []run.Summary
	var failed []string
	for _, src := range srcs {
		c := crawlers[src.ID]
		if bar != nil {
			c.Progress = bar.Update
		}
		sum, err := c.Run(ctx, src, run.Options{Refetch: *refetch, MaxNew: maxNew(*maxNewFlag, src)})
		if _, herr := history.Record(src.ID, sum, err); herr != nil {
			a.log.Warn("crawl: history not kept: "+herr.Error(), "source", src.ID)
		}
		sums = append(sums, sum)
		if err != nil {
			failed = append(failed, src.ID)
		}
	}
	printSummaries(a.stdout, sums)
	if len(failed) > 0 {
		return fmt.Errorf("crawl failed for source(s) %s (see the log above)", strings.Join(failed, ", "))
	}
	return nil
}

func printSummaries(w interface{ Write([]byte) (int, error) }, sums []run.Summary) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tDISCOVERED\tFETCHED\tFROM_FEED\tRESTORED\tEDITIONS\tITEMS\tSKIPPED\tDISALLOWED\tFAILED\tDEFERRED\tTIME")
	for _, s := range sums {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", s.Source, s.Discovered, s.Fetched, s.FromFeed, s.Restored,
			s.Editions, s.Items, s.Skipped, s.Disallowed, s.Failed, s.Deferred, s.Duration.Round(time.Millisecond))
	}
	tw.Flush()
}

// reindexGCPercent is the garbage collector's target while reindexing
// (see reindex).
const reindexGCPercent = 200

// reindex rebuilds the index from snapshots into a fresh directory and swaps
// it in only when complete and holding at least what the old index held
// (or with --force), so a failed, interrupted or lossy reindex leaves the
// old index in place. Every snapshot it cannot use is logged, one line each.
func (a *app) reindex(ctx context.Context, args []string) error {
	fs := a.flags("reindex")
	force := fs.Bool("force", false, "swap the rebuilt index in even when it holds less than the old one")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	cfg, err := a.setup()
	if err != nil {
		return err
	}
	// A reindex allocates about 230 KB an item, nearly all of it Bleve's
	// analysis and segment building, and keeps little of it: a heap
	// allowed to grow to three times what is live (GOGC=200) spares the
	// collector half its passes (1M items: 628 → 586 s, peak RSS 2.41 →
	// 2.48 GiB; docs/benchmarks.md). GOGC, when set, decides.
	if _, set := os.LookupEnv("GOGC"); !set {
		defer debug.SetGCPercent(debug.SetGCPercent(reindexGCPercent))
	}
	st, err := snapshot.Open(filepath.Join(cfg.DataDir, "snapshots"))
	if err != nil {
		return err
	}
	live := filepath.Join(cfg.DataDir, "index")
	// What the live index holds, to compare with; opening it also proves no
	// other process holds it. A damaged one is replaced whatever the rebuild holds.
	oldStats, known, err := a.indexHolds(ctx, live, cfg)
	if errors.Is(err, index.ErrDamaged) {
		a.log.Warn("reindex: the current index is damaged and will be replaced: "+err.Error(), "dir", live)
	} else if err != nil {
		return fmt.Errorf("reindex: %w", a.explainOpen(ctx, cfg, err))
	}
	fresh := live + ".new"
	if err := os.RemoveAll(fresh); err != nil {
		return err
	}
	idx, err := index.Create(fresh)
	if err != nil {
		return err
	}
	defer os.RemoveAll(fresh) // gone once swapped in; dropped otherwise
	// The fresh index is filled in batches of many editions; it replaces
	// the live one only once complete, so a crash loses nothing.
	bulk, err := idx.Bulk()
	if err != nil {
		idx.Close()
		return err
	}
	var sums []run.Summary
	var failed []string
	unreadable := 0
	for i := range cfg.Sources {
		src := &cfg.Sources[i]
		c := &crawl.Crawler{Store: st, Index: bulk, Log: a.log, Orgs: cfg.Orgs}
		sum, err := c.Reindex(ctx, src, known[src.ID])
		sums = append(sums, sum)
		unreadable += len(sum.Unreadable)
		if err != nil {
			failed = append(failed, src.ID)
		}
	}
	if err := bulk.Close(); err != nil {
		idx.Close()
		return fmt.Errorf("reindex: %w", err)
	}
	newStats, statsErr := idx.Stats(ctx)
	if err := idx.Close(); err != nil {
		return err
	}
	printSummaries(a.stdout, sums)
	if ctx.Err() != nil {
		return fmt.Errorf("reindex interrupted; the old index is unchanged: %w", ctx.Err())
	}
	if statsErr != nil {
		return fmt.Errorf("reindex: the old index is unchanged: %w", statsErr)
	}
	fmt.Fprintf(a.stdout, "rebuilt: %d editions, %d items", newStats.Editions, newStats.Items)
	if oldStats != nil {
		fmt.Fprintf(a.stdout, " (the old index: %d editions, %d items)", oldStats.Editions, oldStats.Items)
	}
	fmt.Fprintf(a.stdout, "; %d unreadable snapshot(s)\n", unreadable)
	refetch := "`bulletin crawl --refetch` fetches them again"
	if lost := lessThan(newStats, oldStats, cfg.Sources); lost != "" && !*force {
		msg := fmt.Sprintf("reindex: kept the old index: the rebuilt one holds less (%s)", lost)
		if unreadable > 0 {
			msg += fmt.Sprintf("; %d snapshot(s) could not be read (listed above): %s, then reindex", unreadable, refetch)
		}
		return errors.New(msg + "; `bulletin reindex --force` swaps the smaller index in anyway")
	}
	if err := index.Replace(live, fresh); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	if unreadable > 0 {
		return fmt.Errorf("reindex: the rebuilt index is in place, but %d snapshot(s) could not be read (listed above): %s", unreadable, refetch)
	}
	if len(failed) > 0 {
		return fmt.Errorf("reindex: the rebuilt index is in place, but some snapshots of %s failed (see the log above)", strings.Join(failed, ", "))
	}
	return nil
}

// indexHolds opens the index in dir (when there is one) and returns its
// counts and, per source, the URLs of its editions; nil counts when there
// is no index yet.
func (a *app) indexHolds(ctx context.Context, dir string, cfg *config.Config) (*index.Stats, map[string][]string, error) {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(dir + ".old"); errors.Is(err, os.ErrNotExist) {
			return nil, nil, nil
		}
	}
	cur, err := index.Open(dir)
	if err != nil {
		return nil, nil, err
	}
	defer cur.Close()
	stats, err := cur.Stats(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("read index %s: %w", dir, err)
	}
	known := map[string][]string{}
	for _, src := range cfg.Sources {
		eds, err := cur.Editions(ctx, src.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("read index %s: %w", dir, err)
		}
		for _, ed := range eds {
			known[src.ID] = append(known[src.ID], ed.URL)
		}
	}
	return &stats, known, nil
}

// lessThan says what the new index lacks, per configured source, that the
// old one held, or "" when it holds at least as much. (A source dropped
// from the config is not missed.)
func lessThan(n index.Stats, old *index.Stats, sources []config.Source) string {
	if old == nil {
		return ""
	}
	count := func(st index.Stats, id string) index.SourceStats {
		for _, s := range st.Sources {
			if s.Source == id {
				return s
			}
		}
		return index.SourceStats{Source: id}
	}
	var lacks []string
	for _, src := range sources {
		o, got := count(*old, src.ID), count(n, src.ID)
		if got.Editions < o.Editions || got.Items < o.Items {
			lacks = append(lacks, fmt.Sprintf("source %s: %d editions and %d items, the old index %d and %d",
				src.ID, got.Editions, got.Items, o.Editions, o.Items))
		}
	}
	return strings.Join(lacks, "; ")
}

func (a *app) search(ctx context.Context, args []string) error {
	fs := a.flags("search")
	asJSON := fs.Bool("json", false, "print JSON like /api/search")
	src := fs.String("source", "", "only this source")
	sort := fs.String("sort", "", "relevance or date")
	page := fs.Int("page", 1, "page")
	size := fs.Int("size", 20, "results per page (max 100)")
	rest, err := parseSearchArgs(fs, args)
	if err != nil {
		return err
	}
	q := strings.Join(rest, " ")
	resp, via, err := a.runSearch(ctx, q, *src, *sort, *page, *size, *asJSON)
	if err != nil {
		return a.searchFailed(err, q, *asJSON)
	}
	if *asJSON {
		if via != "" {
			fmt.Fprintf(a.stderr, "bulletin: searched %s\n", via)
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(resp)
	}
	printSearch(a.stdout, resp)
	if via != "" {
		fmt.Fprintf(a.stdout, "(searched %s)\n", via)
	}
	return nil
}

// runSearch searches the index, or through the running server's API when
// `bulletin serve` holds the index; via says which server it asked ("" for
// the index itself).
func (a *app) runSearch(ctx context.Context, q, src, sort string, page, size int, facets bool) (api.SearchResponse, string, error) {
	if size < 1 || size > 100 || page < 1 {
		return api.SearchResponse{}, "", &usageError{"--size must be 1 to 100 and --page at least 1"}
	}
	if sort != "" && sort != "relevance" && sort != "date" {
		return api.SearchResponse{}, "", &usageError{fmt.Sprintf("--sort must be relevance or date, got %q", sort)}
	}
	cfg, err := a.setup()
	if err != nil {
		return api.SearchResponse{}, "", err
	}
	if src != "" {
		if _, err := sources(cfg, src); err != nil {
			return api.SearchResponse{}, "", err
		}
	}
	idx, err := a.openIndex(ctx, cfg)
	if errors.Is(err, index.ErrLocked) {
		r, ferr := a.findServer(cfg)
		if ferr != nil || r == nil {
			return api.SearchResponse{}, "", cmp.Or(ferr, err)
		}
		resp, err := r.search(ctx, q, src, sort, page, size)
		resp.Links = nil // as the index's own answer: the server alone knows its links
		return resp, "through the running server at " + r.url + ", which holds the index", err
	}
	if err != nil {
		return api.SearchResponse{}, "", err
	}
	defer idx.Close()
	req := index.Request{Query: q, Source: src, Sort: sort, Page: page, Size: size, Facets: facets, Highlight: true}
	res, err := idx.Search(ctx, req)
	if err != nil {
		return api.SearchResponse{}, "", err
	}
	return api.NewSearchResponse(cfg.BaseURL, req, res), "", nil
}

// searchFailed reports a failed search once: as a JSON error object on
// stdout with --json (what /api/search answers), and on stderr for people,
// with a caret under a query syntax error.
func (a *app) searchFailed(err error, q string, asJSON bool) error {
	body := api.Error{Error: err.Error()}
	var se *index.SyntaxError
	var ae *apiError
	switch {
	case errors.As(err, &se):
		body = api.QueryError(se)
	case errors.As(err, &ae):
		body.Pos = ae.Body.Pos
	}
	if asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(body)
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return err // printed with the usage
	}
	if pos := body.Pos; pos != nil && *pos >= 0 && *pos <= len(q) {
		// The caret goes to stderr as it is: a log line would escape its newlines.
		fmt.Fprintf(a.stderr, "bulletin: %s\n  %s\n  %s^\n", body.Error, q, strings.Repeat(" ", utf8.RuneCountInString(q[:*pos])))
	} else {
		fmt.Fprintf(a.stderr, "bulletin: %s\n", body.Error)
	}
	return reported{err}
}

// printSearch writes a search response as tables.
func printSearch(w io.Writer, resp api.SearchResponse) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tNO.\tSECTION\tTITLE\tID")
	for _, h := range resp.Hits {
		num := "-"
		if h.Edition.Number > 0 {
			num = fmt.Sprint(h.Edition.Number)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", h.Published.Format("2006-01-02"), num, clip(h.Section, 24), clip(h.Title, 70), h.ID)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d result(s); page %d of %d\n", resp.Total, resp.Page, max(1, resp.Pages))
	if len(resp.Editions) > 0 {
		fmt.Fprintln(w, "\nEditions about this:")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, e := range resp.Editions {
			num := "-"
			if e.Number > 0 {
				num = fmt.Sprint(e.Number)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", e.Published.Format("2006-01-02"), num, clip(e.Title, 60), e.URL)
		}
		tw.Flush()
	}
}

func clip(s string, n int) string {
	if s == "" {
		return "-"
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (a *app) serve(ctx context.Context, args []string) error {
	fs := a.flags("serve")
	noResultCache := fs.Bool("no-result-cache", false, "compute every search, keeping no results")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	cfg, err := a.setup()
	if err != nil {
		return err
	}
	a.noResultCache = *noResultCache
	return a.runServer(ctx, cfg, nil)
}

// runServer is serve with a loaded config. Its listener is bound before
// the first crawl starts, so that a port in use fails at once; ready, when
// set, is told the address once the server is listening and its start-up
// crawls have started.
func (a *app) runServer(ctx context.Context, cfg *config.Config, ready func(url string)) error {
	st, err := snapshot.Open(filepath.Join(cfg.DataDir, "snapshots"))
	if err != nil {
		return err
	}
	idx, damage, err := a.openServeIndex(ctx, cfg)
	if err != nil {
		return err
	}
	defer idx.Close()
	idx.SetResultCache(!a.noResultCache)
	go func() {
		if err := idx.Warm(); err != nil {
			a.log.Warn("index: warming up: " + err.Error())
		}
		a.limitHeap()
	}()
	m := metrics.New(filepath.Join(cfg.DataDir, "index"))
	all, err := sources(cfg, "")
	if err != nil {
		return err
	}
	crawlers := a.crawlers(all, st, idx, m.Fetched)
	// The scheduler's hooks drop the server's cached feeds of a source that
	// changed; the cache exists before both, so the server is built last,
	// with the scheduler.
	feeds := server.NewFeedCache()
	sched, err := schedule.New(cfg.Sources, func(ctx context.Context, src *config.Source, opt run.Options) (run.Summary, error) {
		opt.MaxNew = maxNew(opt.MaxNew, src)
		return crawlers[src.ID].Run(ctx, src, opt)
	}, a.log, schedule.Options{Jitter: 30 * time.Second, RetryBase: cfg.RetryBackoff.Duration,
		History: openHistory(cfg, a.log),
		OnCrawl: func(st schedule.Status) {
			recordCrawl(m, st)
			if st.Last != nil && st.Last.Editions > 0 { // the source changed: drop its cached feeds
				feeds.InvalidateSource(st.Source)
				a.limitHeap()
			}
		},
		OnMail: func(source string, mail run.Mail) {
			if mail.Editions > 0 {
				feeds.InvalidateSource(source)
			}
		}})
	if err != nil {
		return err
	}
	srv, err := server.New(cfg, idx, sched, a.log, server.WithFeedCache(feeds))
	if err != nil {
		return err
	}
	srv.SetMetrics(m)
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer ln.Close()
	local, err := localURL(cfg, ln.Addr().String())
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// The CLI run beside the server finds it, and may start crawls, through this file.
	token, removeServeFile, err := writeServeFile(cfg, local)
	if err != nil {
		return err
	}
	defer removeServeFile()
	srv.SetLocalToken(token)
	stopMail, err := a.startMail(cfg, crawlers, sched, m)
	if err != nil {
		return err
	}
	sched.Start()
	defer sched.Stop(context.Background())
	go srv.Watch(ctx)
	crawlAll := func() {
		for _, src := range cfg.Sources {
			if err := sched.Run(src.ID); err != nil {
				a.log.Warn("start-up crawl: "+err.Error(), "source", src.ID)
			}
		}
	}
	switch stats, err := idx.Stats(ctx); {
	case damage != nil:
		// A damaged index was moved aside: rebuild it from the kept
		// pages in the background, unready until done.
		srv.SetProblem(server.ProblemIndex, "rebuilding the index from the kept pages: "+damage.Error())
		go a.rebuild(ctx, cfg, st, idx, srv, crawlAll)
	case err == nil && stats.Items == 0:
		// An empty index is filled at start-up, in the background.
		crawlAll()
	}
	// Ready: the index is open and the schedule runs. Not ready as soon as
	// shutting down begins, so that a load balancer stops sending requests.
	srv.SetReady(true)
	go func() { <-ctx.Done(); srv.SetReady(false) }()
	if ready != nil {
		ready(local)
	}
	err = srv.Serve(ctx, ln, 10*time.Second)
	stopMail()
	stopCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sched.Stop(stopCtx)
	a.log.Info("stopped: crawls ended, index closing")
	return err
}

// openServeIndex opens the index for serve. A damaged index is moved aside
// (to index.damaged) and a new one opened in its place, for serve to
// rebuild from the kept pages; the damage is returned.
func (a *app) openServeIndex(ctx context.Context, cfg *config.Config) (*index.Index, error, error) {
	live := filepath.Join(cfg.DataDir, "index")
	idx, err := index.Open(live)
	if err == nil || !errors.Is(err, index.ErrDamaged) {
		if err != nil {
			err = a.explainOpen(ctx, cfg, err)
		}
		return idx, nil, err
	}
	damage := err
	aside := live + ".damaged"
	a.log.Error("serve: "+damage.Error()+"; moving it to "+aside+" and rebuilding it from the kept pages in the background",
		"dir", live)
	err = os.RemoveAll(aside)
	if err == nil {
		err = os.Rename(live, aside)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w; could not move it aside (%v): stop serve, run `rm -rf %s` then `bulletin reindex`", damage, err, live)
	}
	idx, err = index.Open(live)
	if err != nil {
		return nil, nil, fmt.Errorf("%w; a new index could not be created (%v): stop serve, run `rm -rf %s` then `bulletin reindex`", damage, err, live)
	}
	return idx, damage, nil
}

// rebuild refills the (new, empty) index from the kept pages of every
// source while serve runs, then makes the server ready again and removes
// the damaged index; an edition whose kept page is unreadable is logged,
// and a crawl of its source follows to fetch it again.
func (a *app) rebuild(ctx context.Context, cfg *config.Config, st *snapshot.Store, idx *index.Index, srv *server.Server, crawlAll func()) {
	unreadable := 0
	for i := range cfg.Sources {
		src := &cfg.Sources[i]
		c := &crawl.Crawler{Store: st, Index: idx, Log: a.log, Orgs: cfg.Orgs}
		sum, err := c.Reindex(ctx, src, nil)
		unreadable += len(sum.Unreadable)
		if err != nil && ctx.Err() == nil {
			a.log.Warn("serve: rebuild: "+err.Error(), "source", src.ID)
		}
		if sum.Editions > 0 {
			srv.InvalidateSource(src.ID)
		}
	}
	if ctx.Err() != nil {
		return
	}
	stats, err := idx.Stats(ctx)
	if err != nil {
		srv.SetProblem(server.ProblemIndex, fmt.Sprintf("rebuilding the index failed (%v): stop serve and run `bulletin reindex`", err))
		return
	}
	a.log.Info("serve: index rebuilt from the kept pages", "editions", stats.Editions, "items", stats.Items, "unreadable", unreadable)
	a.limitHeap()
	os.RemoveAll(filepath.Join(cfg.DataDir, "index.damaged"))
	srv.ClearProblem(server.ProblemIndex)
	if unreadable > 0 || stats.Items == 0 {
		crawlAll() // fetch again what the kept pages could not give
	}
}
