package schedule

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/crawl"
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
	fn := func(ctx context.Context, src *config.Source) (crawl.Summary, error) {
		runs.Add(1)
		<-release
		return crawl.Summary{Source: src.ID, Editions: 2}, nil
	}
	var done atomic.Int32
	s, err := New(sources(t, "@daily"), fn, slog.New(slog.NewTextHandler(io.Discard, nil)),
		Options{OnDone: func(crawl.Summary) { done.Add(1) }})
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
	fn := func(ctx context.Context, src *config.Source) (crawl.Summary, error) { panic("boom") }
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
