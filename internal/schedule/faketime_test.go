package schedule

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/run"
)

// starts is a crawl function that records when each crawl started (in the
// bubble's fake time).
type starts struct {
	mu sync.Mutex
	at []time.Time
}

func (s *starts) crawl(ctx context.Context, src *config.Source, opt run.Options) (run.Summary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.at = append(s.at, time.Now())
	return run.Summary{Source: src.ID, Started: time.Now()}, nil
}

func (s *starts) times() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.at...)
}

// TestCronFiresInFakeTime: a "30 7 * * *" schedule crawls at 07:30 London
// time each day and at no other time, without jitter exactly on the minute.
// The bubble's clock starts at midnight UTC, 1 January 2000 (GMT).
func TestCronFiresInFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var got starts
		s, err := New(sources(t, "30 7 * * *"), got.crawl, slog.New(slog.DiscardHandler), Options{})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		s.Start()
		if next := s.Status()[0].Next; !next.Equal(start.Add(7*time.Hour + 30*time.Minute)) {
			t.Errorf("next run %v, want 07:30", next)
		}
		time.Sleep(7*time.Hour + 29*time.Minute)
		synctest.Wait()
		if n := len(got.times()); n != 0 {
			t.Fatalf("%d crawls before 07:30", n)
		}
		time.Sleep(2 * 24 * time.Hour)
		synctest.Wait()
		want := []time.Time{start.Add(7*time.Hour + 30*time.Minute), start.Add(31*time.Hour + 30*time.Minute)}
		if at := got.times(); len(at) != 2 || !at[0].Equal(want[0]) || !at[1].Equal(want[1]) {
			t.Errorf("crawls at %v, want %v", at, want)
		}
		if st := s.Status()[0]; st.Outcome != run.OutcomeOK || st.Running {
			t.Errorf("status %+v", st)
		}
		s.Stop(context.Background())
	})
}

// TestJitterDelaysScheduledCrawls: a scheduled crawl starts within the
// jitter after its time, never before; a crawl on demand is not delayed.
func TestJitterDelaysScheduledCrawls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var got starts
		const jitter = 30 * time.Second
		s, err := New(sources(t, "30 7 * * *"), got.crawl, slog.New(slog.DiscardHandler), Options{Jitter: jitter})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := s.Run("a"); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if at := got.times(); len(at) != 1 || !at[0].Equal(start) {
			t.Fatalf("crawl on demand at %v, want at once", at)
		}
		s.Start()
		due := start.Add(7*time.Hour + 30*time.Minute)
		time.Sleep(due.Sub(time.Now()))
		synctest.Wait()
		time.Sleep(jitter)
		synctest.Wait()
		at := got.times()
		if len(at) != 2 || at[1].Before(due) || at[1].After(due.Add(jitter)) {
			t.Errorf("scheduled crawl at %v, want within %v after %v", at, jitter, due)
		}
		s.Stop(context.Background())
	})
}

// TestStopDuringJitter: stopping while a scheduled crawl waits out its
// jitter returns at once, and the crawl never starts.
func TestStopDuringJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var got starts
		s, err := New(sources(t, "30 7 * * *"), got.crawl, slog.New(slog.DiscardHandler), Options{Jitter: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		s.Start()
		time.Sleep(7*time.Hour + 30*time.Minute)
		synctest.Wait() // the cron job is waiting out its jitter
		stopped := time.Now()
		s.Stop(context.Background())
		if d := time.Since(stopped); d != 0 {
			t.Errorf("Stop took %v of fake time, want none: it waited out the jitter", d)
		}
		time.Sleep(2 * time.Hour)
		synctest.Wait()
		if at := got.times(); len(at) != 0 {
			t.Errorf("crawls at %v after Stop", at)
		}
	})
}
