// Package schedule runs each source's crawl on its cron schedule
// (github.com/robfig/cron/v3) and on demand, never two crawls of one source
// at once. A crawl that failed because a host did not answer
// (run.ErrUnreachable) is tried again with backoff, not left until the next
// scheduled run. What each source's last crawl and e-mail came to is kept by
// a run.History the scheduler records into and reads its status from.
//
// It imports config and run, never crawl or the stages: the crawl function
// comes from the caller. The CLI, the server and inbox import it; the stage
// packages must not.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/run"
)

// CrawlFunc crawls one source once. opt is zero for scheduled crawls and
// retries; RunWith passes a caller's options (refetch, a max_new).
type CrawlFunc func(ctx context.Context, src *config.Source, opt run.Options) (run.Summary, error)

// ErrRunning is returned by Run when the source is already being crawled.
var ErrRunning = errors.New("a crawl of this source is already running")

// ErrUnknownSource is returned (wrapped) by Run and RecordMail for a source
// not in the config; it is run.ErrUnknownSource, which the history returns.
var ErrUnknownSource = run.ErrUnknownSource

// Status is what the scheduler knows of one source.
type Status struct {
	Source  string `json:"source"`
	Running bool   `json:"running"`
	// RunningSince is when the crawl under way started.
	RunningSince time.Time    `json:"running_since,omitzero"`
	Last         *run.Summary `json:"last,omitempty"`
	LastErr      string       `json:"last_error,omitempty"`
	Outcome      string       `json:"outcome,omitempty"` // run.OutcomeOK, run.OutcomeFailed or run.OutcomePanic
	// LastSuccess is when the last crawl without a failure ended.
	LastSuccess time.Time `json:"last_success,omitzero"`
	Next        time.Time `json:"next,omitzero"`
	Schedule    string    `json:"schedule,omitempty"`
	// LastMail is the last e-mail received for the source, if any.
	LastMail *run.Mail `json:"last_mail,omitempty"`
	// RetryAt is when a crawl that failed for lack of network is tried
	// again; zero when no retry is pending.
	RetryAt time.Time `json:"retry_at,omitzero"`
	// Retries counts the crawls in a row that failed for lack of network.
	Retries int `json:"retries,omitempty"`
}

// Default backoff of the retries of a crawl that failed for lack of network.
const (
	DefaultRetryBase = time.Minute
	DefaultRetryMax  = 30 * time.Minute
)

// Scheduler owns the cron runner and the per-source crawl state.
type Scheduler struct {
	crawl  CrawlFunc
	log    *slog.Logger
	cron   *cron.Cron
	jitter time.Duration
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	sources map[string]*entry
	order   []string
	onCrawl func(Status)
	onMail  func(source string, m run.Mail)
	history *run.History

	retryBase, retryMax time.Duration // 0 base: no retries
}

type entry struct {
	src     *config.Source
	id      cron.EntryID
	running bool
	since   time.Time   // start of the crawl under way
	retryAt time.Time   // when the pending retry runs; zero when none
	retries int         // crawls in a row that failed for lack of network
	retry   *time.Timer // pending retry, if any
}

// Options configure a Scheduler.
type Options struct {
	// Jitter is the largest random delay before a scheduled crawl, so that
	// many instances do not hit the host in the same second.
	Jitter time.Duration
	// OnCrawl is called after every crawl with the source's new status,
	// outcome and summary included (e.g. to drop the source's cached feeds
	// and record metrics). The crawl counts as running until it returns.
	OnCrawl func(Status)
	// OnMail is called after every e-mail recorded by RecordMail.
	OnMail func(source string, m run.Mail)
	// History keeps each source's last outcome and e-mail, across restarts
	// when it has a file; nil keeps them in memory only.
	History *run.History
	// RetryBase is the wait before the first retry of a crawl that failed
	// because a host did not answer; each further failure in a row doubles
	// it, up to RetryMax. Zero means DefaultRetryBase, negative no retries.
	RetryBase time.Duration
	// RetryMax caps the wait between retries; zero means DefaultRetryMax.
	RetryMax time.Duration
}

// New builds a scheduler for the sources; it validates every schedule.
func New(sources []config.Source, fn CrawlFunc, log *slog.Logger, opt Options) (*Scheduler, error) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Scheduler{crawl: fn, log: log, jitter: opt.Jitter, onCrawl: opt.OnCrawl, onMail: opt.OnMail,
		history: opt.History, ctx: ctx, cancel: cancel, cron: cron.New(), sources: map[string]*entry{},
		retryBase: opt.RetryBase, retryMax: opt.RetryMax}
	if s.history == nil {
		s.history = run.Open("", SourceIDs(sources), log)
	}
	switch {
	case s.retryBase == 0:
		s.retryBase = DefaultRetryBase
	case s.retryBase < 0:
		s.retryBase = 0
	}
	if s.retryMax <= 0 {
		s.retryMax = DefaultRetryMax
	}
	s.retryMax = max(s.retryMax, s.retryBase)
	for i := range sources {
		src := &sources[i]
		e := &entry{src: src}
		s.sources[src.ID] = e
		s.order = append(s.order, src.ID)
		if src.Schedule == "" {
			continue
		}
		sched, err := src.CronSchedule()
		if err != nil {
			cancel()
			return nil, fmt.Errorf("source %s: schedule %q: %w", src.ID, src.Schedule, err)
		}
		e.id = s.cron.Schedule(sched, cron.FuncJob(func() { s.scheduled(src.ID) }))
	}
	return s, nil
}

// SourceIDs are the ids of sources, in order: the sources a History keeps.
func SourceIDs(sources []config.Source) []string {
	ids := make([]string, len(sources))
	for i := range sources {
		ids[i] = sources[i].ID
	}
	return ids
}

// Start starts the cron runner.
func (s *Scheduler) Start() { s.cron.Start() }

// Stop stops scheduling, cancels running crawls and waits for them (bounded
// by ctx).
//
// Cancelling comes first: a scheduled crawl still waiting out its jitter
// then gives up at once, rather than Stop waiting for it and the crawl
// starting only to be cancelled (the bug TestStopDuringJitter pins).
func (s *Scheduler) Stop(ctx context.Context) {
	s.cancel()
	<-s.cron.Stop().Done()
	s.mu.Lock()
	for _, e := range s.sources {
		s.cancelRetry(e)
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func (s *Scheduler) scheduled(id string) {
	if s.jitter > 0 {
		select {
		case <-time.After(rand.N(s.jitter)):
		case <-s.ctx.Done():
			return
		}
	}
	if err := s.Run(id); err != nil && !errors.Is(err, ErrRunning) {
		s.log.Error("schedule: "+err.Error(), "source", id)
	} else if errors.Is(err, ErrRunning) {
		s.log.Warn("schedule: skipped, previous crawl still running", "source", id)
	}
}

// Run starts a crawl of the source in the background. It returns ErrRunning
// when one is already under way.
func (s *Scheduler) Run(id string) error { return s.RunWith(id, run.Options{}) }

// RunWith is Run with options for the crawl (e.g. from POST /api/crawl).
func (s *Scheduler) RunWith(id string, opt run.Options) error {
	s.mu.Lock()
	e, ok := s.sources[id]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("%w %q", ErrUnknownSource, id)
	}
	if e.running || s.ctx.Err() != nil {
		s.mu.Unlock()
		if s.ctx.Err() != nil {
			return s.ctx.Err()
		}
		return ErrRunning
	}
	e.running = true
	e.since = time.Now()
	s.cancelRetry(e) // this crawl's outcome decides whether to retry
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		s.runOne(e, opt)
	}()
	return nil
}

// runOne crawls and records the outcome; a panic in the crawl is recovered
// and logged, and the service goes on.
func (s *Scheduler) runOne(e *entry, opt run.Options) {
	// The crawl is over only once the hooks have run, so that whoever sees
	// it over sees its effects (metrics, dropped caches) too.
	defer func() {
		s.mu.Lock()
		e.running = false
		s.mu.Unlock()
	}()
	var (
		sum     run.Summary
		err     error
		outcome = run.OutcomeOK
	)
	func() {
		defer func() {
			if r := recover(); r != nil {
				outcome = run.OutcomePanic
				err = fmt.Errorf("crawl panicked: %v", r)
				s.log.Error("schedule: crawl panicked", "source", e.src.ID, "panic", r, "stack", string(debug.Stack()))
			}
		}()
		sum, err = s.crawl(s.ctx, e.src, opt)
	}()
	if err != nil && outcome == run.OutcomeOK {
		outcome = run.OutcomeFailed
	}
	if _, herr := s.history.RecordOutcome(e.src.ID, sum, outcome, err); herr != nil {
		s.log.Warn("schedule: outcome not recorded: "+herr.Error(), "source", e.src.ID)
	}
	s.log.Info("schedule: crawl finished", "source", e.src.ID, "outcome", outcome, "fetched", sum.Fetched,
		"editions", sum.Editions, "items", sum.Items, "duration", sum.Duration.Round(time.Millisecond))
	wait, retry := s.planRetry(e, err)
	s.mu.Lock()
	st := s.status(e)
	s.mu.Unlock()
	st.Running, st.RunningSince = false, time.Time{} // as it is once the hook returns
	if retry {
		s.log.Info("schedule: a host did not answer; trying again later", "source", e.src.ID, "in", wait,
			"at", st.RetryAt.Format(time.RFC3339), "retry", st.Retries)
	}
	if s.onCrawl != nil {
		s.onCrawl(st)
	}
}

// planRetry arranges another crawl of e after a backoff when err says a
// host did not answer, and forgets earlier retries otherwise. It reports
// the wait when it planned one.
func (s *Scheduler) planRetry(e *entry, err error) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.retryBase <= 0 || !errors.Is(err, run.ErrUnreachable) || s.ctx.Err() != nil {
		e.retries = 0
		return 0, false
	}
	wait := s.retryMax
	if n := e.retries; n < 30 {
		wait = min(s.retryBase<<n, s.retryMax)
	}
	e.retries++
	e.retryAt = time.Now().Add(wait)
	id := e.src.ID
	e.retry = time.AfterFunc(wait, func() {
		if err := s.Run(id); err != nil && !errors.Is(err, ErrRunning) && s.ctx.Err() == nil {
			s.log.Error("schedule: retry: "+err.Error(), "source", id)
		}
	})
	return wait, true
}

// cancelRetry stops e's pending retry, if any. The caller holds s.mu.
func (s *Scheduler) cancelRetry(e *entry) {
	if e.retry != nil {
		e.retry.Stop()
		e.retry = nil
	}
	e.retryAt = time.Time{}
}

// RecordMail keeps what became of an e-mail received for a source in the
// history and then runs the OnMail hook, so that, say, the source's cached
// feeds are dropped as soon as the e-mail is indexed.
func (s *Scheduler) RecordMail(id string, m run.Mail) error {
	if _, ok := s.sources[id]; !ok {
		return fmt.Errorf("%w %q", ErrUnknownSource, id)
	}
	if err := s.history.RecordMail(id, m); err != nil {
		return err
	}
	if s.onMail != nil {
		s.onMail(id, m)
	}
	return nil
}

// Status returns every source's state, in config order.
func (s *Scheduler) Status() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Status, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.status(s.sources[id]))
	}
	return out
}

// status is one source's state. The caller holds s.mu.
func (s *Scheduler) status(e *entry) Status {
	h := s.history.Get(e.src.ID)
	st := Status{Source: e.src.ID, Schedule: e.src.Schedule, Running: e.running, Last: h.Last, LastErr: h.LastErr,
		Outcome: h.Outcome, LastSuccess: h.LastSuccess, LastMail: h.LastMail, RetryAt: e.retryAt, Retries: e.retries}
	if e.running {
		st.RunningSince = e.since
	}
	if e.id != 0 {
		st.Next = s.cron.Entry(e.id).Next
	}
	return st
}
