// Package schedule runs each source's crawl on its cron schedule
// (github.com/robfig/cron/v3) and on demand, never two crawls of one source
// at once, and keeps the outcome of each source's last crawl and of the last
// e-mail it received. A crawl that failed because a host did not answer
// (crawl.ErrUnreachable) is tried again with backoff, not left until the next
// scheduled run.
//
// It imports config and crawl (for the Summary type). The CLI and the server
// import it; the stage packages must not.
package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/crawl"
)

// CrawlFunc crawls one source once. opt is zero for scheduled crawls and
// retries; RunWith passes a caller's options (refetch, a max_new).
type CrawlFunc func(ctx context.Context, src *config.Source, opt crawl.Options) (crawl.Summary, error)

// ErrRunning is returned by Run when the source is already being crawled.
var ErrRunning = errors.New("a crawl of this source is already running")

// ErrUnknownSource is returned (wrapped) by Run for a source not in the config.
var ErrUnknownSource = errors.New("unknown source")

// Outcomes of a crawl, as in Status.Outcome.
const (
	OutcomeOK     = "ok"     // no failure
	OutcomeFailed = "failed" // some URL failed; what could be crawled was kept
	OutcomePanic  = "panic"  // the crawl panicked and was recovered
)

// Status is what the scheduler knows of one source.
type Status struct {
	Source  string `json:"source"`
	Running bool   `json:"running"`
	// RunningSince is when the crawl under way started.
	RunningSince time.Time      `json:"running_since,omitzero"`
	Last         *crawl.Summary `json:"last,omitempty"`
	LastErr      string         `json:"last_error,omitempty"`
	Outcome      string         `json:"outcome,omitempty"` // OutcomeOK, OutcomeFailed or OutcomePanic
	// LastSuccess is when the last crawl without a failure ended.
	LastSuccess time.Time `json:"last_success,omitzero"`
	Next        time.Time `json:"next,omitzero"`
	Schedule    string    `json:"schedule,omitempty"`
	// LastMail is the last e-mail received for the source, if any.
	LastMail *Mail `json:"last_mail,omitempty"`
	// RetryAt is when a crawl that failed for lack of network is tried
	// again; zero when no retry is pending.
	RetryAt time.Time `json:"retry_at,omitzero"`
	// Retries counts the crawls in a row that failed for lack of network.
	Retries int `json:"retries,omitempty"`
}

// Outcomes of a received e-mail, as in Mail.Outcome.
const (
	MailIndexed   = "indexed"   // its edition was indexed (new or changed)
	MailUnchanged = "unchanged" // the same bulletin was indexed already
	MailSkipped   = "skipped"   // a bulletin of another series (the source's match)
	MailFailed    = "failed"    // kept, but it could not be read or parsed
	MailDeferred  = "deferred"  // not kept, a failure on our side: the sender was told to try again
	MailRefused   = "refused"   // refused: sender, DKIM signature or size
)

// Mail is an e-mail a source received and what became of it.
type Mail struct {
	Received  time.Time `json:"received"`
	From      string    `json:"from,omitempty"` // the From: address, else the envelope sender
	Subject   string    `json:"subject,omitempty"`
	MessageID string    `json:"message_id,omitempty"`
	URL       string    `json:"url,omitempty"` // the edition's address, or the kept message's
	Outcome   string    `json:"outcome"`       // MailIndexed, MailUnchanged, …
	Error     string    `json:"error,omitempty"`
	Editions  int       `json:"editions"`
	Items     int       `json:"items"`
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
	// OnDone, when set, is called after every crawl (e.g. to drop cached feeds).
	onDone   func(crawl.Summary)
	onFinish func(Status)
	state    string // file keeping the last outcomes across restarts; "" = none

	retryBase, retryMax time.Duration // 0 base: no retries
}

type entry struct {
	src     *config.Source
	id      cron.EntryID
	running bool
	since   time.Time // start of the crawl under way
	status  Status
	retry   *time.Timer // pending retry, if any
}

// Options configure a Scheduler.
type Options struct {
	// Jitter is the largest random delay before a scheduled crawl, so that
	// many instances do not hit the host in the same second.
	Jitter time.Duration
	// OnDone is called after every crawl with its summary.
	OnDone func(crawl.Summary)
	// OnFinish is called after every crawl with the source's new status,
	// outcome included (e.g. to record metrics).
	OnFinish func(Status)
	// StatePath names a JSON file that keeps each source's last outcome
	// across restarts, so that the status page is not blank after one;
	// "" keeps it in memory only.
	StatePath string
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
	s := &Scheduler{crawl: fn, log: log, jitter: opt.Jitter, onDone: opt.OnDone, onFinish: opt.OnFinish,
		state: opt.StatePath, ctx: ctx, cancel: cancel, cron: cron.New(), sources: map[string]*entry{},
		retryBase: opt.RetryBase, retryMax: opt.RetryMax}
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
	parser := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	for i := range sources {
		src := &sources[i]
		e := &entry{src: src, status: Status{Source: src.ID, Schedule: src.Schedule}}
		s.sources[src.ID] = e
		s.order = append(s.order, src.ID)
		if src.Schedule == "" {
			continue
		}
		sched, err := parser.Parse(src.CronSpec())
		if err != nil {
			cancel()
			return nil, fmt.Errorf("source %s: schedule %q: %w", src.ID, src.Schedule, err)
		}
		e.id = s.cron.Schedule(sched, cron.FuncJob(func() { s.scheduled(src.ID) }))
	}
	s.load()
	return s, nil
}

// saved is what the state file keeps of a source.
type saved struct {
	Last        *crawl.Summary `json:"last,omitempty"`
	Outcome     string         `json:"outcome,omitempty"`
	LastErr     string         `json:"last_error,omitempty"`
	LastSuccess time.Time      `json:"last_success,omitzero"`
	LastMail    *Mail          `json:"last_mail,omitempty"`
}

// load restores the last outcomes from the state file. A missing or
// unreadable file only costs the history, never the start-up.
func (s *Scheduler) load() {
	if s.state == "" {
		return
	}
	b, err := os.ReadFile(s.state)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	var all map[string]saved
	if err == nil {
		err = json.Unmarshal(b, &all)
	}
	if err != nil {
		s.log.Warn("schedule: crawl history unreadable; starting without it", "file", s.state, "err", err)
		return
	}
	for id, sv := range all {
		if e, ok := s.sources[id]; ok {
			e.status.Last, e.status.Outcome, e.status.LastErr, e.status.LastSuccess = sv.Last, sv.Outcome, sv.LastErr, sv.LastSuccess
			e.status.LastMail = sv.LastMail
		}
	}
}

// save writes the last outcomes to the state file: a temporary file
// renamed into place, so a crash leaves the old file or the new one.
// The caller holds s.mu.
func (s *Scheduler) save() {
	if s.state == "" {
		return
	}
	all := map[string]saved{}
	for id, e := range s.sources {
		if e.status.Outcome != "" || e.status.LastMail != nil {
			all[id] = saved{Last: e.status.Last, Outcome: e.status.Outcome, LastErr: e.status.LastErr, LastSuccess: e.status.LastSuccess,
				LastMail: e.status.LastMail}
		}
	}
	if err := writeFileAtomic(s.state, all); err != nil {
		s.log.Warn("schedule: cannot keep the crawl history", "file", s.state, "err", err)
	}
}

func writeFileAtomic(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Start starts the cron runner.
func (s *Scheduler) Start() { s.cron.Start() }

// Stop stops scheduling, cancels running crawls and waits for them (bounded
// by ctx).
func (s *Scheduler) Stop(ctx context.Context) {
	<-s.cron.Stop().Done()
	s.cancel()
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
func (s *Scheduler) Run(id string) error { return s.RunWith(id, crawl.Options{}) }

// RunWith is Run with options for the crawl (e.g. from POST /api/crawl).
func (s *Scheduler) RunWith(id string, opt crawl.Options) error {
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
func (s *Scheduler) runOne(e *entry, opt crawl.Options) {
	// The crawl is over only once the hooks have run, so that whoever sees
	// it over sees its effects (metrics, dropped caches) too.
	defer func() {
		s.mu.Lock()
		e.running = false
		s.mu.Unlock()
	}()
	var (
		sum     crawl.Summary
		err     error
		outcome = OutcomeOK
	)
	func() {
		defer func() {
			if r := recover(); r != nil {
				outcome = OutcomePanic
				err = fmt.Errorf("crawl panicked: %v", r)
				s.log.Error("schedule: crawl panicked", "source", e.src.ID, "panic", r, "stack", string(debug.Stack()))
			}
		}()
		sum, err = s.crawl(s.ctx, e.src, opt)
	}()
	if err != nil && outcome == OutcomeOK {
		outcome = OutcomeFailed
	}
	st := s.record(e, sum, outcome, err)
	s.log.Info("schedule: crawl finished", "source", e.src.ID, "outcome", outcome, "fetched", sum.Fetched,
		"editions", sum.Editions, "items", sum.Items, "duration", sum.Duration.Round(time.Millisecond))
	if wait, ok := s.planRetry(e, err); ok {
		st = s.Status()[slices.Index(s.order, e.src.ID)]
		s.log.Info("schedule: a host did not answer; trying again later", "source", e.src.ID, "in", wait,
			"at", st.RetryAt.Format(time.RFC3339), "retry", st.Retries)
	}
	if s.onDone != nil {
		s.onDone(sum)
	}
	if s.onFinish != nil {
		s.onFinish(st)
	}
}

// planRetry arranges another crawl of e after a backoff when err says a
// host did not answer, and forgets earlier retries otherwise. It reports
// the wait when it planned one.
func (s *Scheduler) planRetry(e *entry, err error) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.retryBase <= 0 || !errors.Is(err, crawl.ErrUnreachable) || s.ctx.Err() != nil {
		e.status.Retries = 0
		return 0, false
	}
	wait := s.retryMax
	if n := e.status.Retries; n < 30 {
		wait = min(s.retryBase<<n, s.retryMax)
	}
	e.status.Retries++
	e.status.RetryAt = time.Now().Add(wait)
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
	e.status.RetryAt = time.Time{}
}

// Record keeps the outcome of a crawl run outside the scheduler (by
// `bulletin crawl`), so that /status shows it after the next start.
func (s *Scheduler) Record(id string, sum crawl.Summary, err error) error {
	s.mu.Lock()
	e, ok := s.sources[id]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownSource, id)
	}
	outcome := OutcomeOK
	if err != nil {
		outcome = OutcomeFailed
	}
	s.record(e, sum, outcome, err)
	return nil
}

// RecordMail keeps what became of an e-mail received for a source and
// then, as after a crawl, runs the OnDone hook with its summary, so that
// the source's cached feeds are dropped as soon as the e-mail is indexed.
func (s *Scheduler) RecordMail(id string, m Mail, sum crawl.Summary) error {
	s.mu.Lock()
	e, ok := s.sources[id]
	if ok {
		e.status.LastMail = &m
		s.save()
	}
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownSource, id)
	}
	if s.onDone != nil {
		s.onDone(sum)
	}
	return nil
}

// record sets a source's last outcome and saves the history.
func (s *Scheduler) record(e *entry, sum crawl.Summary, outcome string, err error) Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.status.Last = &sum
	e.status.Outcome = outcome
	e.status.LastErr = ""
	if err != nil {
		e.status.LastErr = err.Error()
	}
	if outcome == OutcomeOK {
		e.status.LastSuccess = time.Now()
	}
	s.save()
	return e.status
}

// Status returns every source's state, in config order.
func (s *Scheduler) Status() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Status, 0, len(s.order))
	for _, id := range s.order {
		e := s.sources[id]
		st := e.status
		st.Running = e.running
		if e.running {
			st.RunningSince = e.since
		}
		if e.id != 0 {
			st.Next = s.cron.Entry(e.id).Next
		}
		if st.Last != nil {
			last := *st.Last
			st.Last = &last
		}
		if st.LastMail != nil {
			m := *st.LastMail
			st.LastMail = &m
		}
		out = append(out, st)
	}
	return out
}
