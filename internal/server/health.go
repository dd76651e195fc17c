package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/lga-digital/bulletin/internal/api"
)

// Readiness problems, by what they are about. A problem makes /readyz
// answer 503 with its reason until it is cleared; /healthz is about
// liveness only and stays 200.
const (
	// ProblemIndex: the index is being rebuilt, or requests failed in it.
	ProblemIndex = "index"
	// ProblemDisk: the data directory's file system is full.
	ProblemDisk = "disk"
)

// Health watching: how often the data directory's free space and a
// failing index are probed, how long an index stays marked after its last
// failure, and the free space below which the disk counts as full.
const (
	healthEvery   = 2 * time.Second
	failureSettle = 6 * time.Second
	minFreeBytes  = 1 << 20
	// probeBelowBytes: with less free than this, a test write confirms
	// that writes succeed (quotas and reserved blocks fool free-space counts).
	probeBelowBytes = 64 << 20
)

// health is the server's readiness beyond the CLI's ready flag: the
// problems now known, each with its reason, and when requests last failed
// in the index.
type health struct {
	mu        sync.Mutex
	problems  map[string]string
	fromFails map[string]bool // problems raised by failed requests, cleared by the watcher
	lastFail  time.Time
}

func newHealth() *health {
	return &health{problems: map[string]string{}, fromFails: map[string]bool{}}
}

// SetProblem makes /readyz answer 503 with reason until ClearProblem(kind).
// The CLI marks the index while it rebuilds a damaged one.
func (s *Server) SetProblem(kind, reason string) {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	if s.health.problems[kind] != reason {
		s.log.Warn("server: not ready: "+reason, "problem", kind)
	}
	s.health.problems[kind] = reason
	delete(s.health.fromFails, kind)
}

// ClearProblem ends a problem SetProblem (or a failing request) raised.
func (s *Server) ClearProblem(kind string) {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	if r, ok := s.health.problems[kind]; ok {
		s.log.Info("server: problem over: "+r, "problem", kind)
	}
	delete(s.health.problems, kind)
	delete(s.health.fromFails, kind)
}

// Problems returns the reasons the server is not ready, sorted; none when
// it is (apart from the CLI's ready flag).
func (s *Server) Problems() []string {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	out := make([]string, 0, len(s.health.problems))
	for _, r := range s.health.problems {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// failed records a request that failed with an error of the server's own
// (a 500 or a recovered panic): a full disk, or a failing index.
func (s *Server) failed(r *http.Request, what string, err error) {
	kind, reason := ProblemIndex, fmt.Sprintf("requests fail in the index (%s %s: %s); if this persists, restart bulletin serve, which checks the index and rebuilds a damaged one", r.Method, r.Pattern, what)
	if isNoSpace(err) {
		kind, reason = ProblemDisk, s.noSpaceReason()
	}
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	s.health.lastFail = time.Now()
	if _, ok := s.health.problems[kind]; ok {
		return // keep the first reason; a problem the CLI set stays the CLI's
	}
	s.log.Warn("server: not ready: "+reason, "problem", kind)
	s.health.problems[kind] = reason
	s.health.fromFails[kind] = true
}

// isNoSpace reports whether err is (or wraps) ENOSPC, or says so where
// Bleve flattened the error to text.
func isNoSpace(err error) bool {
	return err != nil && (errors.Is(err, syscall.ENOSPC) || strings.Contains(err.Error(), "no space left on device"))
}

func (s *Server) noSpaceReason() string {
	return fmt.Sprintf("no space left on the file system of data_dir %s: writes fail; free space there (nothing is lost: bulletin recovers by itself)", s.cfg.DataDir)
}

// Watch checks, every few seconds until ctx ends, what can make the
// server unready by itself: the data directory's file system full (free
// space below a floor, or a test write failing), the index's own
// background errors, and requests failing in the index. Each problem is
// cleared once its cause is gone: space freed, no failure for a while and
// a probe search succeeding.
func (s *Server) Watch(ctx context.Context) {
	t := time.NewTicker(healthEvery)
	defer t.Stop()
	for {
		s.checkHealth(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Server) checkHealth(ctx context.Context) {
	s.health.mu.Lock()
	_, diskMarked := s.health.problems[ProblemDisk]
	indexFromFails := s.health.fromFails[ProblemIndex]
	quiet := time.Since(s.health.lastFail) > failureSettle
	s.health.mu.Unlock()
	diskErr := checkDisk(s.cfg.DataDir, diskMarked)
	if diskErr == nil {
		diskErr = s.idx.Err()
		if !isNoSpace(diskErr) {
			diskErr = nil
		}
	}
	switch {
	case diskErr != nil && !diskMarked:
		s.log.Error("server: "+diskErr.Error(), "dir", s.cfg.DataDir)
		s.SetProblem(ProblemDisk, s.noSpaceReason())
	case diskErr == nil && diskMarked:
		s.ClearProblem(ProblemDisk)
	}
	if indexFromFails && quiet && diskErr == nil {
		if err := s.probeIndex(ctx); err == nil {
			s.ClearProblem(ProblemIndex)
		}
	}
}

// probeIndex runs what every page needs of the index: counts and a page
// of the newest items, stored fields read.
func (s *Server) probeIndex(ctx context.Context) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := s.idx.Stats(ctx); err != nil {
		return err
	}
	_, _, err = s.idx.LatestEditions(ctx, "", 20)
	return err
}

// checkDisk fails when the file system of dir is full: less than
// minFreeBytes free, or, when space is short or was found missing before
// (suspect), a small write failing.
func checkDisk(dir string, suspect bool) error {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err == nil {
		free := int64(st.Bavail) * int64(st.Bsize)
		if free < minFreeBytes {
			return fmt.Errorf("no space left on device: %d bytes free on the file system of %s", free, dir)
		}
		if free > probeBelowBytes && !suspect {
			return nil // plenty: no need to write
		}
	}
	f, err := os.CreateTemp(dir, ".space-probe-")
	if err != nil {
		if isNoSpace(err) {
			return err
		}
		return nil // a read-only or missing directory is another matter
	}
	defer os.Remove(f.Name())
	_, err = f.Write(make([]byte, 4096))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if isNoSpace(err) {
		return err
	}
	return nil
}

// recoverPanic answers a request whose handler panicked: a JSON 500 (when
// nothing was written yet), one ERROR log line with the route and the
// stack, the request counted as a 500, and /readyz 503 when the panic came
// from the index. It re-panics http.ErrAbortHandler, net/http's way to
// drop a connection on purpose.
func (s *Server) recoverPanic(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	stack := debug.Stack()
	if rp, ok := v.(*renderPanic); ok { // from a shared render, with its own stack
		v, stack = rp.value, rp.stack
	}
	route := r.Pattern
	if route == "" {
		route = unmatched
	}
	s.log.Error(fmt.Sprintf("server: panic serving %s: %v", route, v), "route", route, "method", r.Method,
		"path", r.URL.Path, "stack", string(stack))
	if m := s.ops.metrics.Load(); m != nil {
		m.Panicked(route)
	}
	err, _ := v.(error)
	if err == nil {
		err = fmt.Errorf("%v", v)
	}
	if fromIndex(stack) || isNoSpace(err) {
		s.failed(r, "panic: "+err.Error(), err)
	}
	if rec, ok := w.(*codeRecorder); ok && rec.status != 0 {
		return // the response has begun: the client sees it cut short
	}
	writeJSON(w, http.StatusInternalServerError, api.Error{Error: "internal error"})
}

// fromIndex reports whether a panic's stack runs through the index.
func fromIndex(stack []byte) bool {
	s := string(stack)
	return strings.Contains(s, "github.com/blevesearch/") || strings.Contains(s, "github.com/lga-digital/bulletin/index.")
}
