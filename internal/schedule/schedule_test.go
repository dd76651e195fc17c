package schedule

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/run"
)

func sources(t *testing.T, schedule string) []config.Source {
	t.Helper()
	c, err := config.Parse([]byte(`
[[source]]
id = "a"
title = "A"
schedule = "`+schedule+`"
editions = ["https://example.org/b/1"]
`), "test.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	return c.Sources
}

// history is the crawl history of the test source "a" kept in file.
func history(t *testing.T, file string) *run.History {
	t.Helper()
	return run.Open(file, []string{"a"}, slog.New(slog.DiscardHandler))
}

func waitIdle(t *testing.T, s *Scheduler) Status {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		st := s.Status()[0]
		if !st.Running && st.Outcome != "" {
			return st
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("crawl did not finish")
	return Status{}
}

func TestRunOneAtATime(t *testing.T) {
	release := make(chan struct{})
	var runs atomic.Int32
	fn := func(ctx context.Context, src *config.Source, opt run.Options) (run.Summary, error) {
		runs.Add(1)
		<-release
		return run.Summary{Source: src.ID, Editions: 2}, nil
	}
	var done atomic.Int32
	s, err := New(sources(t, "@daily"), fn, slog.New(slog.NewTextHandler(io.Discard, nil)),
		Options{OnCrawl: func(Status) { done.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run("a"); err != nil {
		t.Fatal(err)
	}
	if err := s.Run("a"); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Run = %v, want ErrRunning", err)
	}
	if err := s.Run("nope"); err == nil {
		t.Fatal("unknown source accepted")
	}
	close(release)
	st := waitIdle(t, s)
	if st.Outcome != "ok" || st.Last.Editions != 2 || runs.Load() != 1 || done.Load() != 1 {
		t.Errorf("status %+v runs %d done %d", st, runs.Load(), done.Load())
	}
	s.Start()
	if s.Status()[0].Next.IsZero() {
		t.Error("no next run time")
	}
	s.Stop(context.Background())
}

func TestPanicRecovered(t *testing.T) {
	fn := func(ctx context.Context, src *config.Source, opt run.Options) (run.Summary, error) { panic("boom") }
	s, err := New(sources(t, ""), fn, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run("a"); err != nil {
		t.Fatal(err)
	}
	st := waitIdle(t, s)
	if st.Outcome != "panic" || st.LastErr == "" {
		t.Errorf("status %+v", st)
	}
	// The source can be crawled again after a panic.
	if err := s.Run("a"); err != nil {
		t.Fatal(err)
	}
	s.Stop(context.Background())
}

func TestOutcomesAndHistory(t *testing.T) {
	state := filepath.Join(t.TempDir(), "crawls.json")
	tests := []struct {
		name    string
		fn      CrawlFunc
		outcome string
		lastErr string
	}{
		{"ok", func(ctx context.Context, src *config.Source, opt run.Options) (run.Summary, error) {
			return run.Summary{Source: src.ID, Editions: 3, Items: 40}, nil
		}, run.OutcomeOK, ""},
		{"failed", func(ctx context.Context, src *config.Source, opt run.Options) (run.Summary, error) {
			return run.Summary{Source: src.ID, Failed: 1}, errors.New("source a: 1 failure(s)")
		}, run.OutcomeFailed, "source a: 1 failure(s)"},
		{"panic", func(ctx context.Context, src *config.Source, opt run.Options) (run.Summary, error) { panic("boom") }, run.OutcomePanic, "crawl panicked: boom"},
	}
	var lastOK time.Time
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			finished := make(chan Status, 1)
			s, err := New(sources(t, "@daily"), tt.fn, slog.New(slog.DiscardHandler),
				Options{History: history(t, state), OnCrawl: func(st Status) { finished <- st }})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Stop(context.Background())
			if err := s.Run("a"); err != nil {
				t.Fatal(err)
			}
			st := <-finished
			if st.Outcome != tt.outcome || st.LastErr != tt.lastErr || st.Source != "a" {
				t.Errorf("finished with %+v", st)
			}
			if tt.outcome == run.OutcomeOK {
				lastOK = st.LastSuccess
			}
			if !st.LastSuccess.Equal(lastOK) || lastOK.IsZero() {
				t.Errorf("last success %v, want %v", st.LastSuccess, lastOK)
			}
			// A new scheduler (a restart) remembers the last outcome.
			again, err := New(sources(t, "@daily"), tt.fn, slog.New(slog.DiscardHandler), Options{History: history(t, state)})
			if err != nil {
				t.Fatal(err)
			}
			got := again.Status()[0]
			if got.Outcome != tt.outcome || got.LastErr != tt.lastErr || got.Last == nil || !got.LastSuccess.Equal(lastOK) || got.Running {
				t.Errorf("after restart: %+v", got)
			}
			again.Stop(context.Background())
		})
	}
}

func TestUnreadableHistory(t *testing.T) {
	state := filepath.Join(t.TempDir(), "crawls.json")
	if err := os.WriteFile(state, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	s, err := New(sources(t, ""), nil, log, Options{History: run.Open(state, []string{"a"}, log)})
	if err != nil {
		t.Fatal(err)
	}
	if st := s.Status()[0]; st.Outcome != "" {
		t.Errorf("status %+v", st)
	}
	if !strings.Contains(logs.String(), "crawl history unreadable") {
		t.Errorf("log: %s", logs.String())
	}
}

func TestScheduleErrors(t *testing.T) {
	s, err := New(sources(t, ""), nil, slog.New(slog.DiscardHandler), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run("nope"); !errors.Is(err, ErrUnknownSource) {
		t.Errorf("Run(unknown) = %v", err)
	}
	// A bad spec that reached New without config validation is an error, not a panic.
	bad := []config.Source{{ID: "x", Schedule: "every tuesday", Timezone: "Europe/London"}}
	if _, err := New(bad, nil, slog.New(slog.DiscardHandler), Options{}); err == nil || !strings.Contains(err.Error(), "every tuesday") {
		t.Errorf("New with a bad spec = %v", err)
	}
}

// TestNextInTimeZone: a schedule runs in the source's time zone, by default
// Europe/London.
func TestNextInTimeZone(t *testing.T) {
	s, err := New(sources(t, "30 7 * * *"), nil, slog.New(slog.DiscardHandler), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	defer s.Stop(context.Background())
	next := s.Status()[0].Next.In(londonTZ(t))
	if next.Hour() != 7 || next.Minute() != 30 {
		t.Errorf("next run %v, want 07:30 London time", next)
	}
}

func londonTZ(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestRecordMail(t *testing.T) {
	state := filepath.Join(t.TempDir(), "crawls.json")
	var done []run.Mail
	s, err := New(sources(t, "@daily"), nil, slog.New(slog.DiscardHandler),
		Options{History: history(t, state), OnMail: func(_ string, m run.Mail) { done = append(done, m) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop(context.Background())
	m := run.Mail{Received: time.Now().UTC().Truncate(time.Second), From: "news@example.org", Subject: "March",
		URL: "https://example.org/b/2", Outcome: run.MailIndexed, Editions: 1, Items: 4}
	if err := s.RecordMail("a", m); err != nil {
		t.Fatal(err)
	}
	if len(done) != 1 || done[0].Editions != 1 {
		t.Errorf("OnMail saw %+v, want the mail once", done)
	}
	if got := s.Status()[0]; got.LastMail == nil || *got.LastMail != m || got.Outcome != "" {
		t.Errorf("status after mail: %+v", got)
	}
	if err := s.RecordMail("nope", m); !errors.Is(err, ErrUnknownSource) {
		t.Errorf("unknown source: %v", err)
	}
	// A restart remembers the last e-mail.
	again, err := New(sources(t, "@daily"), nil, slog.New(slog.DiscardHandler), Options{History: history(t, state)})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Stop(context.Background())
	if got := again.Status()[0]; got.LastMail == nil || !got.LastMail.Received.Equal(m.Received) || got.LastMail.URL != m.URL {
		t.Errorf("after restart: %+v", got.LastMail)
	}
}

// TestRetryAfterUnreachable: a crawl that failed because a host did not
// answer is tried again after the backoff, which doubles while the host
// stays away; a success ends the retries, and a failure of another kind
// plans none.
func TestRetryAfterUnreachable(t *testing.T) {
	unreachable := fmt.Errorf("source a: 1 failure(s) (%w: site.test)", run.ErrUnreachable)
	results := make(chan error, 4)
	results <- unreachable
	results <- unreachable
	results <- nil
	var runs atomic.Int32
	fn := func(ctx context.Context, src *config.Source, opt run.Options) (run.Summary, error) {
		runs.Add(1)
		return run.Summary{Source: src.ID}, <-results
	}
	s, err := New(sources(t, "@daily"), fn, slog.New(slog.NewTextHandler(io.Discard, nil)),
		Options{RetryBase: 20 * time.Millisecond, RetryMax: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop(context.Background())
	if err := s.Run("a"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for runs.Load() < 3 || s.Status()[0].Running {
		if time.Now().After(deadline) {
			t.Fatalf("%d crawls; status %+v", runs.Load(), s.Status()[0])
		}
		time.Sleep(time.Millisecond)
	}
	st := s.Status()[0]
	if st.Outcome != run.OutcomeOK || st.Retries != 0 || !st.RetryAt.IsZero() || runs.Load() != 3 {
		t.Errorf("after the host came back: %+v, %d crawls", st, runs.Load())
	}
	// Another kind of failure is not retried.
	results <- errors.New("source a: 1 failure(s); first: status 404")
	if err := s.Run("a"); err != nil {
		t.Fatal(err)
	}
	st = waitIdle(t, s)
	if st.Outcome != run.OutcomeFailed || st.Retries != 0 || !st.RetryAt.IsZero() {
		t.Errorf("after a 404: %+v", st)
	}
}

// TestRetryWaitsAndStops: the retry is planned for base later and shows in
// the status; stopping the scheduler cancels it.
func TestRetryWaitsAndStops(t *testing.T) {
	var runs atomic.Int32
	fn := func(ctx context.Context, src *config.Source, opt run.Options) (run.Summary, error) {
		runs.Add(1)
		return run.Summary{Source: src.ID}, fmt.Errorf("x: %w", run.ErrUnreachable)
	}
	s, err := New(sources(t, "@daily"), fn, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{RetryBase: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now()
	if err := s.Run("a"); err != nil {
		t.Fatal(err)
	}
	st := waitIdle(t, s)
	if st.Retries != 1 || st.RetryAt.Before(before.Add(time.Hour)) {
		t.Errorf("status after a failure for lack of network: %+v", st)
	}
	s.Stop(context.Background())
	if st := s.Status()[0]; !st.RetryAt.IsZero() || runs.Load() != 1 {
		t.Errorf("after Stop: %+v, %d crawls", st, runs.Load())
	}
}
