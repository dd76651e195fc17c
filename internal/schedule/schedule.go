// Package schedule runs each source's crawl on its cron schedule
// (github.com/robfig/cron/v3) and on demand, never two crawls of one source
// at once, and keeps the outcome of each source's last crawl.
//
// It imports config and crawl (for the Summary type). The CLI and the server
// import it; the stage packages must not.
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
	"github.com/lga-digital/bulletin/internal/crawl"
)

// CrawlFunc crawls one source once.
type CrawlFunc func(ctx context.Context, src *config.Source) (crawl.Summary, error)

// ErrRunning is returned by Run when the source is already being crawled.
var ErrRunning = errors.New("a crawl of this source is already running")

// Status is what the scheduler knows of one source.
type Status struct {
	Source   string         `json:"source"`
	Running  bool           `json:"running"`
	Last     *crawl.Summary `json:"last,omitempty"`
	LastErr  string         `json:"last_error,omitempty"`
	Outcome  string         `json:"outcome,omitempty"` // "ok", "failed", "panic"
	Next     time.Time      `json:"next,omitempty"`
	Schedule string         `json:"schedule,omitempty"`
}

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
	onDone func(crawl.Summary)
}

type entry struct {
	src     *config.Source
	id      cron.EntryID
	running bool
	status  Status
}

// Options configure a Scheduler.
type Options struct {
	// Jitter is the largest random delay before a scheduled crawl, so that
	// many instances do not hit the host in the same second.
	Jitter time.Duration
	// OnDone is called after every crawl with its summary.
	OnDone func(crawl.Summary)
}

// New builds a scheduler for the sources; it validates every schedule.
func New(sources []config.Source, fn CrawlFunc, log *slog.Logger, opt Options) (*Scheduler, error) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Scheduler{crawl: fn, log: log, jitter: opt.Jitter, onDone: opt.OnDone, ctx: ctx, cancel: cancel,
		cron: cron.New(), sources: map[string]*entry{}}
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
	return s, nil
}

// Start starts the cron runner.
func (s *Scheduler) Start() { s.cron.Start() }

// Stop stops scheduling, cancels running crawls and waits for them (bounded
// by ctx).
func (s *Scheduler) Stop(ctx context.Context) {
	<-s.cron.Stop().Done()
	s.cancel()
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
func (s *Scheduler) Run(id string) error {
	s.mu.Lock()
	e, ok := s.sources[id]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("unknown source %q", id)
	}
	if e.running || s.ctx.Err() != nil {
		s.mu.Unlock()
		if s.ctx.Err() != nil {
			return s.ctx.Err()
		}
		return ErrRunning
	}
	e.running = true
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		s.runOne(e)
	}()
	return nil
}

// runOne crawls and records the outcome; a panic in the crawl is recovered
// and logged, and the service goes on.
func (s *Scheduler) runOne(e *entry) {
	var (
		sum     crawl.Summary
		err     error
		outcome = "ok"
	)
	func() {
		defer func() {
			if r := recover(); r != nil {
				outcome = "panic"
				err = fmt.Errorf("crawl panicked: %v", r)
				s.log.Error("schedule: crawl panicked", "source", e.src.ID, "panic", r, "stack", string(debug.Stack()))
			}
		}()
		sum, err = s.crawl(s.ctx, e.src)
	}()
	if err != nil && outcome == "ok" {
		outcome = "failed"
	}
	s.mu.Lock()
	e.running = false
	e.status.Last = &sum
	e.status.Outcome = outcome
	e.status.LastErr = ""
	if err != nil {
		e.status.LastErr = err.Error()
	}
	s.mu.Unlock()
	s.log.Info("schedule: crawl finished", "source", e.src.ID, "outcome", outcome, "fetched", sum.Fetched,
		"editions", sum.Editions, "items", sum.Items, "duration", sum.Duration.Round(time.Millisecond))
	if s.onDone != nil {
		s.onDone(sum)
	}
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
		if e.id != 0 {
			st.Next = s.cron.Entry(e.id).Next
		}
		if st.Last != nil {
			last := *st.Last
			st.Last = &last
		}
		out = append(out, st)
	}
	return out
}
