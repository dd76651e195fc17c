package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock replaces the client's clock: sleeping advances it at once and
// records how long was asked for.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.t = f.t.Add(d)
	return ctx.Err()
}

func (f *fakeClock) recorded() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sleeps)
}

func withFakeClock(c *Client) *fakeClock {
	f := &fakeClock{t: time.Date(2024, 12, 12, 10, 0, 0, 0, time.UTC)}
	c.now, c.sleep = f.now, f.sleep
	return f
}

func TestDelayBetweenRequests(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	defer srv.Close()
	const delay = time.Hour // fake time: costs nothing
	c := New(Options{Delay: delay, Retries: -1})
	clock := withFakeClock(c)
	for i := range 3 {
		if _, err := c.Do(t.Context(), Request{URL: fmt.Sprintf("%s/p%d", srv.URL, i), AllowPrivate: true}); err != nil {
			t.Fatal(err)
		}
	}
	// robots.txt goes first without waiting; each page then waits a full delay.
	want := []time.Duration{delay, delay, delay}
	if got := clock.recorded(); !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}

	// Once the delay has passed on its own, there is nothing to wait for.
	clock.mu.Lock()
	clock.t = clock.t.Add(2 * delay)
	clock.sleeps = nil
	clock.mu.Unlock()
	if _, err := c.Do(t.Context(), Request{URL: srv.URL + "/later", AllowPrivate: true}); err != nil {
		t.Fatal(err)
	}
	if got := clock.recorded(); len(got) != 0 {
		t.Errorf("waited %v after an idle spell", got)
	}
}

func TestNoDelay(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	defer srv.Close()
	c := New(Options{Retries: -1}) // Delay 0 = no delay
	clock := withFakeClock(c)
	for range 3 {
		if _, err := c.Do(t.Context(), Request{URL: srv.URL, AllowPrivate: true}); err != nil {
			t.Fatal(err)
		}
	}
	if got := clock.recorded(); len(got) != 0 {
		t.Errorf("waits %v with Delay 0", got)
	}
}

func TestRetryWaits(t *testing.T) {
	start := time.Date(2024, 12, 12, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		maxBackoff time.Duration
		lo, hi     time.Duration
	}{
		{"429 seconds", 429, "7", 30 * time.Second, 7 * time.Second, 7 * time.Second},
		{"503 seconds capped", 503, "120", 30 * time.Second, 30 * time.Second, 30 * time.Second},
		{"503 date", 503, start.Add(10 * time.Second).Format(http.TimeFormat), 30 * time.Second, 10 * time.Second, 10 * time.Second},
		{"503 date in the past", 503, start.Add(-time.Hour).Format(http.TimeFormat), 30 * time.Second, 0, 0},
		{"429 garbage falls back to backoff", 429, "soon", 30 * time.Second, time.Second / 2, time.Second},
		{"500 ignores Retry-After", 500, "20", 30 * time.Second, time.Second / 2, time.Second},
		{"500 backoff capped", 500, "", 100 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n int
			var mu sync.Mutex
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					http.NotFound(w, r)
					return
				}
				mu.Lock()
				n++
				first := n == 1
				mu.Unlock()
				if first {
					if tt.retryAfter != "" {
						w.Header().Set("Retry-After", tt.retryAfter)
					}
					w.WriteHeader(tt.status)
					return
				}
				fmt.Fprint(w, "ok")
			}))
			defer srv.Close()
			c := New(Options{Retries: 1, MaxBackoff: tt.maxBackoff, BaseBackoff: time.Second})
			clock := withFakeClock(c)
			clock.t = start
			if _, err := c.Do(t.Context(), Request{URL: srv.URL + "/x", AllowPrivate: true}); err != nil {
				t.Fatal(err)
			}
			got := clock.recorded()
			if len(got) != 1 || got[0] < tt.lo || got[0] > tt.hi {
				t.Errorf("waits = %v, want one in [%v, %v]", got, tt.lo, tt.hi)
			}
		})
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	c := New(Options{BaseBackoff: 100 * time.Millisecond, MaxBackoff: time.Second})
	for attempt := range 40 {
		step := min(100*time.Millisecond<<min(attempt, 30), time.Second)
		if attempt >= 30 {
			step = time.Second
		}
		for range 20 {
			d := c.backoff(attempt, 0, nil)
			if d < step/2 || d > step {
				t.Fatalf("attempt %d: backoff %v outside [%v, %v]", attempt, d, step/2, step)
			}
		}
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2024, 3, 21, 10, 5, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{" 30 ", 30 * time.Second, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"99999999999", 24 * time.Hour, true},
		{"Thu, 21 Mar 2024 10:06:00 GMT", time.Minute, true},
		{"Thu, 21 Mar 2024 10:00:00 GMT", 0, true},
		{"tomorrow", 0, false},
	}
	for _, tt := range tests {
		got, ok := retryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "120", "-5", "Thu, 21 Mar 2024 10:06:00 GMT", "Monday, 02-Jan-06 15:04:05 MST", "9223372036854775807"} {
		f.Add(s)
	}
	now := time.Date(2024, 3, 21, 10, 5, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := retryAfter(s, now)
		if d < 0 {
			t.Errorf("retryAfter(%q) = %v, negative", s, d)
		}
		if !ok && d != 0 {
			t.Errorf("retryAfter(%q) = %v with ok=false", s, d)
		}
		if _, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && d > 24*time.Hour {
			t.Errorf("retryAfter(%q) = %v, over the 24h cap", s, d)
		}
	})
}

func TestIsPrivateAddr(t *testing.T) {
	tests := []struct {
		addr    string
		private bool
	}{
		{"127.0.0.1", true},
		{"127.8.9.10", true},
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"172.32.0.1", false},
		{"192.168.1.1", true},
		{"169.254.169.254", true},
		{"100.64.0.1", true},
		{"0.0.0.0", true},
		{"224.0.0.1", true},
		{"::1", true},
		{"::", true},
		{"fe80::1", true},
		{"fd00::1", true},
		{"::ffff:127.0.0.1", true},
		{"::ffff:8.8.8.8", false},
		{"8.8.8.8", false},
		{"151.101.1.1", false},
		{"2a04:4e42::1", false},
	}
	for _, tt := range tests {
		if got := isPrivateAddr(netip.MustParseAddr(tt.addr)); got != tt.private {
			t.Errorf("isPrivateAddr(%s) = %v, want %v", tt.addr, got, tt.private)
		}
	}
	if isPrivateHost("localhost") || !isPrivateHost("10.0.0.1") || isPrivateHost("content.govdelivery.com") {
		t.Error("isPrivateHost judges names, want literals only")
	}
}

func TestDialControl(t *testing.T) {
	tests := []struct {
		address string
		wantErr bool
	}{
		{"127.0.0.1:80", true},
		{"[::1]:443", true},
		{"10.0.0.8:8080", true},
		{"93.184.216.34:443", false},
		{"[2606:2800:220:1::1]:443", false},
		{"nonsense", true},
	}
	for _, tt := range tests {
		err := dialControl(t.Context(), "tcp", tt.address, nil)
		if (err != nil) != tt.wantErr {
			t.Errorf("dialControl(%s) = %v", tt.address, err)
		}
		if err != nil && tt.address != "nonsense" && !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("dialControl(%s) = %v, want ErrPrivateAddress", tt.address, err)
		}
	}
}
