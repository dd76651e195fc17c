// Package crawl runs one pass over one source: discover → fetch → snapshot →
// parse → index. It is the only package that knows the order of the stages.
// A pass is idempotent: with nothing new it downloads no edition page and
// changes nothing.
//
// It imports config, model, run (the Options of a pass and the Summary it
// returns) and the stage packages (fetch, discover, snapshot, parse,
// mailpage). Nothing but the CLI and inbox may import it.
package crawl

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/discover"
	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/parse"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/snapshot"
)

// Accept headers: GovDelivery answers 406 to a feed request without XML in Accept.
const (
	acceptFeed = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
	acceptHTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
)

// The notes that go with a snapshot status, saying why.
const (
	noteSkipped = "subject and masthead do not match"
	// A list's first page is marked snapshot.StatusListComplete after a
	// pass that handled every edition the list led to, without a failure.
	// Only then may the next pass stop paginating at a page of known
	// editions: after a crash, a max_new cut-off or a failure, older pages
	// may hold editions never crawled, so the next pass walks the whole
	// list again.
	noteListComplete = "every listed edition handled"
)

// maxListPages is a safety bound on the pages of one paginated list read in
// one pass, far beyond any real archive (GovDelivery shows 20 bulletins a
// page: 200,000 bulletins). A list is otherwise followed to its end; one
// that loops stops at the first page seen before or adding no edition not
// already listed.
const maxListPages = 10000

// feedBodyType is the media type of a body taken from a feed entry: the
// feed parser hands it over as UTF-8 text, whatever the feed's encoding.
const feedBodyType = "text/html; charset=utf-8"

// Fetcher fetches one URL; *fetch.Client implements it.
type Fetcher interface {
	Do(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

// Index is what a crawl needs of the search index; *index.Index implements it.
type Index interface {
	PutEdition(ctx context.Context, ed model.Edition, items []model.Item) error
	Edition(ctx context.Context, id string) (model.Edition, bool, error)
	// Editions lists the editions the index holds for a source, so that a
	// pass can find those whose snapshot was lost.
	Editions(ctx context.Context, source string) ([]model.Edition, error)
}

// Crawler holds the stages a pass wires together.
type Crawler struct {
	Fetch Fetcher
	Store *snapshot.Store
	Index Index
	Log   *slog.Logger
	// Orgs are organisations from the config, added to the parser's list.
	Orgs []config.Org
	// Progress, when set, is told how far each pass has come: as each feed
	// or list page is read and as each edition is handled. It is called from
	// the goroutine running the pass.
	Progress func(Progress)
}

// Stages of a pass, as reported in Progress.
const (
	StageDiscover = "discover" // reading feeds and list pages
	StageEditions = "editions" // handling the editions found
	StageDone     = "done"     // the pass is over
)

// Progress tells how far a pass has come.
type Progress struct {
	Source  string
	Stage   string      // StageDiscover, StageEditions or StageDone
	Done    int         // editions handled so far
	Total   int         // editions found; known once discovery is over
	URL     string      // the page being read or handled, if any
	Summary run.Summary // the counts so far
}

// ParseOptions are the parser options for a source: its profile, its
// selectors, its closing lines and group headings, and the built-in
// organisations extended by the config's.
func ParseOptions(src *config.Source, orgs []config.Org) parse.Options {
	opt := parse.Options{Source: src.ID, Profile: src.Profile, Selectors: parse.Selectors(src.Selectors),
		SignOff: src.SignOff, Groups: src.Groups}
	if len(orgs) > 0 {
		all := parse.DefaultOrgs()
		for _, o := range orgs {
			org := parse.Org{Name: o.Name, Aliases: o.Aliases}
			if i := slices.IndexFunc(all, func(d parse.Org) bool { return strings.EqualFold(d.Name, o.Name) }); i >= 0 {
				all[i] = org
			} else {
				all = append(all, org)
			}
		}
		opt.Orgs = all
	}
	return opt
}

// pass is the state of one Run.
type pass struct {
	*Crawler
	src  *config.Source
	opt  run.Options
	sum  run.Summary
	down map[string]bool // hosts that failed at the network level this pass
	// listsRead are the list start URLs whose pages were all read this pass.
	listsRead []string
	// lost are the URLs of editions the index holds whose snapshot is
	// missing or unreadable: they are taken again this pass.
	lost    map[string]bool
	done    int // editions handled, for Progress
	total   int
	reindex bool // a Reindex: failures name the snapshot file

	prepare sync.Once // the source's parser, made by parser
	ps      *parse.Parser
	psErr   error
}

// Run crawls one source once. It returns the summary and, when any URL
// failed, an error naming the source and the first failing URL; what could be
// crawled is kept either way.
func (c *Crawler) Run(ctx context.Context, src *config.Source, opt run.Options) (run.Summary, error) {
	p := &pass{Crawler: c, src: src, opt: opt, down: map[string]bool{},
		sum: run.Summary{Source: src.ID, Started: time.Now()}}
	p.report(StageDiscover, "")
	p.lost = p.lostSnapshots(ctx)
	cands := p.discover(ctx)
	p.sum.Discovered = len(cands)
	p.total = len(cands)
	p.report(StageEditions, "")
	all := true
	for _, cand := range cands {
		if ctx.Err() != nil {
			p.fail(cand.URL, ctx.Err())
			all = false
			break
		}
		if opt.MaxNew > 0 && p.sum.Fetched >= opt.MaxNew {
			c.Log.Info("crawl: reached the maximum of new editions; the rest waits for the next crawl",
				"source", src.ID, "max_new", opt.MaxNew, "left", len(cands)-p.done)
			all = false
			break
		}
		p.edition(ctx, cand)
		p.done++
		p.report(StageEditions, cand.URL)
	}
	if all && p.sum.Failed == 0 {
		p.markListsComplete(ctx)
	}
	p.sum.Duration = time.Since(p.sum.Started)
	p.report(StageDone, "")
	return p.sum, p.sum.Err()
}

// report tells the Progress callback, if any, where the pass is.
func (p *pass) report(stage, u string) {
	if p.Progress == nil {
		return
	}
	p.sum.Duration = time.Since(p.sum.Started)
	sum := p.sum
	sum.Errors = slices.Clone(sum.Errors)
	p.Progress(Progress{Source: p.src.ID, Stage: stage, Done: p.done, Total: p.total, URL: u, Summary: sum})
}

// Reindex parses every edition snapshot of the source again and indexes it,
// with no network. known are the URLs of the editions the index being
// replaced holds: a garbled meta file is named with its edition's URL, and
// an edition whose meta file is gone is reported rather than silently
// dropped. Every snapshot it cannot use is logged (file, URL, what is
// wrong) and listed in Summary.Unreadable.
func (c *Crawler) Reindex(ctx context.Context, src *config.Source, known []string) (run.Summary, error) {
	p := &pass{Crawler: c, src: src, sum: run.Summary{Source: src.ID, Started: time.Now()}, reindex: true}
	metas, err := c.Store.List(ctx, src.ID, snapshot.KindEdition)
	if err != nil {
		// Unreadable meta files are named; the readable ones are still listed.
		fes := snapshot.FileErrors(err)
		if len(fes) == 0 || ctx.Err() != nil {
			return p.sum, fmt.Errorf("reindex %s: %w", src.ID, err)
		}
		byFile := make(map[string]string, len(known))
		for _, u := range known {
			byFile[c.Store.MetaFile(src.ID, u)] = u
		}
		for _, fe := range fes {
			p.unreadable(fe.Path, cmp.Or(byFile[fe.Path], fe.URL), fe.Err)
		}
	}
	// An edition the old index holds whose meta file is gone.
	for _, u := range known {
		if _, ok, err := c.Store.Get(ctx, src.ID, u); err == nil && !ok {
			p.unreadable(c.Store.MetaFile(src.ID, u), u, errors.New("meta file missing: the snapshot of an indexed edition was deleted"))
		}
	}
	p.sum.Discovered = len(metas)
	// The pages are read and parsed a few editions ahead of the index's
	// writes, on a goroutine of their own, so that parsing (a fifth of a
	// reindex's work) overlaps Bleve's indexing; the writes, and all that
	// is reported and recorded, stay in order here.
	actx, stop := context.WithCancel(ctx)
	defer stop()
	ahead := make(chan parsed, reindexAhead)
	go func() {
		defer close(ahead)
		for _, m := range metas {
			pp := parsed{m: m}
			if body, err := c.Store.Body(actx, m); err != nil {
				pp.readErr = err
			} else {
				pp = p.parsePage(m, body)
			}
			select {
			case ahead <- pp:
			case <-actx.Done():
				return
			}
		}
	}()
	for pp := range ahead {
		if ctx.Err() != nil {
			return p.sum, ctx.Err()
		}
		if err := pp.readErr; err != nil {
			if fes := snapshot.FileErrors(err); len(fes) > 0 {
				p.unreadable(fes[0].Path, pp.m.URL, fes[0].Err)
			} else {
				p.fail(pp.m.URL, err)
			}
			continue
		}
		p.indexParsed(ctx, pp)
	}
	if ctx.Err() != nil {
		return p.sum, ctx.Err()
	}
	p.sum.Duration = time.Since(p.sum.Started)
	return p.sum, p.sum.Err()
}

// reindexAhead is how many parsed editions Reindex keeps ready for the
// index.
const reindexAhead = 4

// parsed is an edition's kept page, parsed: what process indexes.
type parsed struct {
	m       snapshot.Meta
	carrier parse.Carrier
	res     parse.Result
	err     error // the page cannot be parsed
	readErr error // the page cannot be read (Reindex)
}

// discover gathers edition URLs from the source's feeds, list pages and
// known editions, in that order, without duplicates.
func (p *pass) discover(ctx context.Context) []discover.Candidate {
	var lists [][]discover.Candidate
	for _, u := range p.src.Feeds {
		p.report(StageDiscover, u)
		body, ok := p.page(ctx, snapshot.KindFeed, u, acceptFeed)
		if !ok {
			continue
		}
		cands, err := discover.Feed(body, u)
		if err != nil {
			p.fail(u, err)
			continue
		}
		lists = append(lists, cands)
	}
	pattern := p.src.ListRE
	if pattern == nil {
		pattern = discover.GovDeliveryPattern()
	}
	for _, start := range p.src.Lists {
		// --refetch takes every edition again, so it walks the whole list.
		complete := p.listComplete(ctx, start) && !p.opt.Refetch
		seen := map[string]bool{}   // list pages read
		listed := map[string]bool{} // editions they listed
		read := false
		for u, n := start, 0; u != "" && !seen[u]; n++ {
			if n == maxListPages {
				p.Log.Warn("crawl: list is longer than the safety bound; not following it further",
					"source", p.src.ID, "url", start, "pages", n)
				break
			}
			seen[u] = true
			p.report(StageDiscover, u)
			body, ok := p.page(ctx, snapshot.KindList, u, acceptHTML)
			if !ok {
				break
			}
			cands, next, err := discover.List(body, u, pattern)
			if err != nil {
				p.fail(u, err)
				break
			}
			lists = append(lists, cands)
			if complete && p.allKnown(ctx, cands) {
				// Older pages hold only editions already crawled.
				p.Log.Debug("crawl: list page holds only known editions; not following older pages",
					"source", p.src.ID, "url", u, "page", n+1)
				read = true
				break
			}
			fresh := 0
			for _, c := range cands {
				if !listed[c.URL] {
					listed[c.URL] = true
					fresh++
				}
			}
			if n > 0 && fresh == 0 {
				// A page repeating what earlier pages listed: the list loops.
				p.Log.Debug("crawl: list page lists no edition not already seen; taking it for the end of the list",
					"source", p.src.ID, "url", u, "page", n+1)
				read = true
				break
			}
			if next != "" {
				p.Log.Debug("crawl: following the list to its next page", "source", p.src.ID, "url", u, "next", next)
			}
			u = next
			read = u == "" || seen[u]
		}
		if complete {
			p.setListStatus(ctx, start, snapshot.StatusFetched, "")
		}
		if read {
			p.listsRead = append(p.listsRead, start)
		}
	}
	known := make([]discover.Candidate, 0, len(p.src.Editions)+len(p.lost))
	for _, u := range p.src.Editions {
		known = append(known, discover.Candidate{URL: u, From: discover.FromKnown})
	}
	// Lost editions are taken again wherever they are, even when no feed or
	// list page read this pass leads to them.
	for _, u := range slices.Sorted(maps.Keys(p.lost)) {
		known = append(known, discover.Candidate{URL: u, From: discover.FromKnown})
	}
	return discover.Merge(append(lists, known)...)
}

// lostSnapshots finds the editions the index holds for the source whose
// snapshot is missing, unreadable or fails its checksum, and which can be
// fetched again (an http(s) URL). Each is logged once.
func (p *pass) lostSnapshots(ctx context.Context) map[string]bool {
	eds, err := p.Index.Editions(ctx, p.src.ID)
	if err != nil {
		p.Log.Warn("crawl: cannot list the indexed editions to check their snapshots", "source", p.src.ID, "err", err)
		return nil
	}
	lost := map[string]bool{}
	for _, ed := range eds {
		if ctx.Err() != nil {
			return lost
		}
		m, ok, err := p.Store.Get(ctx, p.src.ID, ed.URL)
		if err == nil && ok {
			_, err = p.Store.Body(ctx, m)
			if err == nil {
				continue
			}
		} else if err == nil {
			err = errors.New("no snapshot")
		}
		if u, perr := url.Parse(ed.URL); perr != nil || (u.Scheme != "http" && u.Scheme != "https") ||
			!slices.Contains(p.src.Hosts, strings.ToLower(u.Hostname())) {
			// An imported or mailed edition whose web copy is not on the
			// source's hosts (or that has none) cannot be fetched.
			p.Log.Warn("crawl: an indexed edition's snapshot is lost and it is not on the source's hosts; import its file again",
				"source", p.src.ID, "url", ed.URL, "err", err)
			continue
		}
		p.Log.Warn("crawl: an indexed edition's snapshot is lost or damaged; taking it again",
			"source", p.src.ID, "url", ed.URL, "err", err)
		lost[ed.URL] = true
	}
	return lost
}

// listComplete reports whether the last pass handled every edition the list
// starting at start led to (see noteListComplete).
func (p *pass) listComplete(ctx context.Context, start string) bool {
	m, ok, err := p.Store.Get(ctx, p.src.ID, start)
	return err == nil && ok && m.Status == snapshot.StatusListComplete
}

// setListStatus records status on the snapshot of a list's first page.
func (p *pass) setListStatus(ctx context.Context, start string, status snapshot.Status, note string) {
	m, ok, err := p.Store.Get(ctx, p.src.ID, start)
	if err != nil {
		p.fail(start, err)
		return
	}
	if ok {
		p.setStatus(ctx, m, status, note)
	}
}

// markListsComplete marks every list read to its end this pass as complete:
// called once every edition found has been handled without a failure.
func (p *pass) markListsComplete(ctx context.Context) {
	for _, start := range p.listsRead {
		p.setListStatus(ctx, start, snapshot.StatusListComplete, noteListComplete)
	}
}

// allKnown reports whether every candidate already has a snapshot.
func (p *pass) allKnown(ctx context.Context, cands []discover.Candidate) bool {
	for _, c := range cands {
		if _, ok, err := p.Store.Get(ctx, p.src.ID, c.URL); err != nil || !ok {
			return false
		}
	}
	return true
}

// page fetches a feed or list page with a conditional GET and keeps it as a
// snapshot. On 304 it returns the stored body.
func (p *pass) page(ctx context.Context, kind snapshot.Kind, u, accept string) ([]byte, bool) {
	prev, had, err := p.Store.Get(ctx, p.src.ID, u)
	if err != nil {
		p.fail(u, err)
		return nil, false
	}
	req := p.request(u, accept)
	if had {
		req.ETag, req.LastModified = prev.ETag, prev.LastModified
	}
	resp, ok := p.fetch(ctx, req)
	if !ok {
		return nil, false
	}
	if resp.NotModified && had {
		prev.FetchedAt = resp.FetchedAt
		if err := p.Store.UpdateMeta(ctx, prev); err != nil {
			p.fail(u, err)
		}
		return p.storedBody(ctx, prev)
	}
	if _, err := p.Store.Put(ctx, snapshot.Meta{Source: p.src.ID, Kind: kind, URL: u, ContentType: resp.ContentType,
		ETag: resp.ETag, LastModified: resp.LastModified, FetchedAt: resp.FetchedAt, Status: snapshot.StatusFetched}, resp.Body); err != nil {
		p.fail(u, err)
		return nil, false
	}
	return resp.Body, true
}

func (p *pass) storedBody(ctx context.Context, m snapshot.Meta) ([]byte, bool) {
	body, err := p.Store.Body(ctx, m)
	if err != nil {
		p.fail(m.URL, err)
		return nil, false
	}
	return body, true
}

// edition brings one candidate edition into the index, downloading it only
// when there is no sound snapshot yet (or Refetch is set). A candidate that
// carries its whole body (a feed entry) is taken from it, with no request.
func (p *pass) edition(ctx context.Context, cand discover.Candidate) {
	m, had, err := p.Store.Get(ctx, p.src.ID, cand.URL)
	if errors.Is(err, snapshot.ErrCorrupt) {
		// An unreadable meta file: take the edition again, which rewrites it.
		p.Log.Warn("crawl: snapshot meta unreadable; taking the edition again", "source", p.src.ID, "url", cand.URL, "err", err)
		if p.lost == nil {
			p.lost = map[string]bool{}
		}
		p.lost[cand.URL] = true
		had, err = false, nil
	}
	if err != nil {
		p.fail(cand.URL, err)
		return
	}
	lost := p.lost[cand.URL]
	if cand.Body != nil && had && m.Carrier != nil && m.SHA256 != sha256Hex(cand.Body) {
		// The feed entry's body changed since it was taken: take it again.
		had = false
	}
	if had && !p.opt.Refetch && !lost {
		if done, _ := p.finished(ctx, m); done {
			return // nothing new
		}
		// A snapshot that never reached the index (a crash, a parser error):
		// finish the work from the stored page.
		if body, ok := p.storedBody(ctx, m); ok {
			p.process(ctx, m, body)
		}
		return
	}
	if cand.Body != nil {
		p.fromFeed(ctx, cand, lost)
		return
	}
	resp, ok := p.fetch(ctx, p.request(cand.URL, acceptHTML))
	if !ok {
		return
	}
	p.sum.Fetched++
	if lost {
		p.sum.Restored++
	}
	m, err = p.Store.Put(ctx, snapshot.Meta{Source: p.src.ID, Kind: snapshot.KindEdition, URL: cand.URL,
		ContentType: resp.ContentType, ETag: resp.ETag, LastModified: resp.LastModified,
		FetchedAt: resp.FetchedAt, Status: snapshot.StatusFetched}, resp.Body)
	if err != nil {
		p.fail(cand.URL, err)
		return
	}
	p.process(ctx, m, resp.Body)
}

// fromFeed keeps the body a feed entry carried as the edition's snapshot,
// with the entry's title and date as its carrier, and indexes it.
func (p *pass) fromFeed(ctx context.Context, cand discover.Candidate, lost bool) {
	p.sum.FromFeed++
	if lost {
		p.sum.Restored++
	}
	m, err := p.Store.Put(ctx, snapshot.Meta{Source: p.src.ID, Kind: snapshot.KindEdition, URL: cand.URL,
		ContentType: feedBodyType, FetchedAt: time.Now().UTC(), Status: snapshot.StatusFetched,
		Carrier: &snapshot.Carrier{Subject: cand.Title, Published: cand.Published}}, cand.Body)
	if err != nil {
		p.fail(cand.URL, err)
		return
	}
	p.process(ctx, m, cand.Body)
}

// setArchiveOrder gives the edition and its items their place in the
// archive (see discover.ArchiveOrder), which orders editions of one month
// whose only date is the month.
func setArchiveOrder(res *parse.Result, pageURL string) {
	order := discover.ArchiveOrder(pageURL)
	res.Edition.Order = order
	for i := range res.Items {
		res.Items[i].EditionOrder = order
	}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// process parses a snapshot, checks that it belongs to the source and
// indexes it, recording the outcome on the snapshot.
func (p *pass) process(ctx context.Context, m snapshot.Meta, body []byte) {
	p.indexParsed(ctx, p.parsePage(m, body))
}

// parsePage parses the kept page of m; it changes nothing, so that Reindex
// runs it ahead of the writes.
func (p *pass) parsePage(m snapshot.Meta, body []byte) parsed {
	var carrier parse.Carrier
	if m.Carrier != nil {
		carrier = parse.Carrier{Subject: m.Carrier.Subject, Published: m.Carrier.Published}
	}
	ps, err := p.parser()
	if err != nil {
		return parsed{m: m, carrier: carrier, err: fmt.Errorf("parse %s: %w", m.URL, err)}
	}
	res, err := ps.Parse(body, m.ContentType, m.URL, carrier)
	if err == nil {
		setArchiveOrder(&res, m.URL)
	}
	return parsed{m: m, carrier: carrier, res: res, err: err}
}

// parser returns the source's parser, prepared on first use (Reindex
// calls it from the goroutine that parses ahead).
func (p *pass) parser() (*parse.Parser, error) {
	p.prepare.Do(func() { p.ps, p.psErr = parse.New(ParseOptions(p.src, p.Orgs)) })
	return p.ps, p.psErr
}

// indexParsed indexes an edition parsed by parsePage, or records why not.
func (p *pass) indexParsed(ctx context.Context, pp parsed) {
	m, res, err := pp.m, pp.res, pp.err
	if err != nil {
		if p.reindex {
			p.unreadable(p.Store.BlobFile(m), m.URL, err)
		} else {
			p.fail(m.URL, err)
		}
		p.setStatus(ctx, m, snapshot.StatusParseError, err.Error())
		return
	}
	if !p.src.Matches(res.Edition.Title, res.Masthead) && !p.src.Matches(pp.carrier.Subject, "") {
		p.sum.Skipped++
		p.Log.Info("crawl: skipped a bulletin of another series", "source", p.src.ID, "url", m.URL, "subject", res.Edition.Title)
		p.setStatus(ctx, m, snapshot.StatusSkipped, noteSkipped)
		return
	}
	p.documentLengths(ctx, res.Items)
	if err := p.Index.PutEdition(ctx, res.Edition, res.Items); err != nil {
		p.fail(m.URL, err)
		return
	}
	p.sum.Editions++
	p.sum.Items += len(res.Items)
	p.Log.Info("crawl: indexed edition", "source", p.src.ID, "url", m.URL, "number", res.Edition.Number, "items", len(res.Items))
	p.setStatus(ctx, m, snapshot.StatusIndexed, "")
}

// finished reports whether the edition kept as m needs no more work: it was
// skipped as another series' (skipped), or it was indexed and the index
// still holds it. Anything else (fetched, a parse error, an edition the
// index lost) is worked on again from the kept page.
func (p *pass) finished(ctx context.Context, m snapshot.Meta) (done, skipped bool) {
	switch m.Status {
	case snapshot.StatusSkipped:
		return true, true
	case snapshot.StatusIndexed:
		_, ok, err := p.Index.Edition(ctx, model.EditionID(p.src.ID, m.URL))
		return err == nil && ok, false
	}
	return false, false
}

// setStatus records the status and note of a snapshot.
func (p *pass) setStatus(ctx context.Context, m snapshot.Meta, status snapshot.Status, note string) {
	if m.Status == status && m.Note == note {
		return
	}
	m.Status, m.Note = status, note
	if err := p.Store.UpdateMeta(ctx, m); err != nil {
		p.fail(m.URL, err)
	}
}

func (p *pass) request(u, accept string) fetch.Request {
	return fetch.Request{URL: u, Accept: accept, AllowHosts: p.src.Hosts, AllowPrivate: p.src.AllowPrivate}
}

// fetch runs one request. After a network-level failure the host is marked
// down for the rest of the pass, so an unreachable source costs one log line
// rather than one per URL; its other URLs count as deferred. A page that
// robots.txt disallows is skipped with a warning: not a failure.
func (p *pass) fetch(ctx context.Context, req fetch.Request) (*fetch.Response, bool) {
	host := hostOf(req.URL)
	if p.down[host] {
		p.sum.Deferred++
		return nil, false
	}
	resp, err := p.Fetch.Do(ctx, req)
	if err == nil {
		return resp, true
	}
	if errors.Is(err, fetch.ErrDisallowed) {
		p.sum.Disallowed++
		p.Log.Warn("crawl: skipped a page that robots.txt disallows", "source", p.src.ID, "url", req.URL)
		return nil, false
	}
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		err = fmt.Errorf("%w (no complete answer within the time cap; abandoned)", err)
	}
	var ne net.Error
	if ctx.Err() == nil && errors.As(err, &ne) {
		p.down[host] = true
		p.sum.Unreachable = append(p.sum.Unreachable, host)
		p.record(req.URL, err)
		p.Log.Error("crawl: host unreachable or too slow; its other pages wait for the next crawl",
			"source", p.src.ID, "host", host, "url", req.URL, "err", err)
		return nil, false
	}
	p.fail(req.URL, err)
	return nil, false
}

// fail records and logs one failure, naming the source and the URL.
func (p *pass) fail(u string, err error) {
	msg := p.record(u, err)
	p.Log.Error("crawl: "+msg, "source", p.src.ID, "url", u)
}

// record counts one failure and keeps its message, which names the URL.
func (p *pass) record(u string, err error) string {
	p.sum.Failed++
	msg := err.Error()
	if !strings.Contains(msg, u) {
		msg = u + ": " + msg
	}
	p.sum.Errors = append(p.sum.Errors, msg)
	return msg
}

// unreadable records a snapshot file a reindex cannot use. It is logged
// once, here, naming the file, the edition URL and what is wrong.
func (p *pass) unreadable(file, u string, err error) {
	p.sum.Failed++
	p.sum.Unreadable = append(p.sum.Unreadable, run.Unreadable{File: file, URL: u, Err: err.Error()})
	p.sum.Errors = append(p.sum.Errors, file+": "+err.Error())
	url := u
	if url == "" {
		url = "unknown (the meta file is unreadable)"
	}
	p.Log.Error("reindex: cannot rebuild from snapshot", "source", p.src.ID, "file", file, "url", url, "error", err.Error())
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Host)
}
