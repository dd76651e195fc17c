package crawl_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/testenv"
)

// failFirst answers the first request with code (and the header, if any)
// and every later one with the edition page.
func failFirst(code int, header, value string) http.HandlerFunc {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			if header != "" {
				w.Header().Set(header, value)
			}
			w.WriteHeader(code)
			return
		}
		page(w, r)
	}
}

// hang sends the headers and a little of the body, then nothing until the
// client gives up.
func hang(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "<html><body>")
	w.(http.Flusher).Flush()
	<-r.Context().Done()
}

// silent sends nothing at all until the client gives up.
func silent(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// huge streams 50 MiB, without a Content-Length, or with one when declare is set.
func huge(declare bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		const size = 50 << 20
		w.Header().Set("Content-Type", "text/html")
		if declare {
			w.Header().Set("Content-Length", fmt.Sprint(size))
		}
		chunk := []byte(strings.Repeat("<p>bulletin</p>\n", 4096)) // 64 KiB
		for sent := 0; sent < size; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the client hung up, as it should
			}
		}
	}
}

func redirect(to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }
}

// TestMisbehavingServers crawls sources whose host misbehaves, each in one
// way, and checks what was indexed, what the host saw, and that the log
// says what happened.
func TestMisbehavingServers(t *testing.T) {
	tests := []struct {
		name string
		// setup registers the routes; site is site.test, other is other.test.
		setup func(site, other *host)
		// extra config keys; site.test/b/1 is the known edition unless set.
		config string
		// wanted outcome
		editions, failed     int
		deferred, disallowed int        // see run.Summary
		unreachable          bool       // the error wraps run.ErrUnreachable
		errorLines           int        // ERROR lines logged; -1: not checked (default: failed)
		errHas               string     // in the summary's first error; "" = no error
		logs                 [][]string // each: parts of one log line
		check                func(t *testing.T, site, other *host)
		// timeout, when set, replaces the short time cap of fastFetch: for
		// cases whose point is not the cap, and that a loaded machine under
		// -race could otherwise run into it
		timeout time.Duration
	}{
		{
			name:     "429 with Retry-After",
			setup:    func(site, _ *host) { site.Handle("/b/1", failFirst(http.StatusTooManyRequests, "Retry-After", "1")) },
			editions: 1,
			logs:     [][]string{{`msg="fetch: retrying"`, "url=http://site.test/b/1", "status=429", "wait=1s"}, {`msg="crawl: indexed edition"`}},
			check: func(t *testing.T, site, _ *host) {
				if n := site.Hits("/b/1"); n != 2 {
					t.Errorf("edition requested %d times, want 2", n)
				}
			},
		},
		{
			name:     "503 then 200",
			setup:    func(site, _ *host) { site.Handle("/b/1", failFirst(http.StatusServiceUnavailable, "", "")) },
			editions: 1,
			logs:     [][]string{{`msg="fetch: retrying"`, "status=503", "attempt=1"}, {`msg="crawl: indexed edition"`}},
		},
		{
			name:     "503 with Retry-After",
			setup:    func(site, _ *host) { site.Handle("/b/1", failFirst(http.StatusServiceUnavailable, "Retry-After", "1")) },
			editions: 1,
			logs:     [][]string{{`msg="fetch: retrying"`, "status=503", "wait=1s"}},
		},
		{
			name: "500 every time",
			setup: func(site, _ *host) {
				site.Handle("/b/1", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) })
			},
			failed: 1,
			errHas: "status 500",
			logs:   [][]string{{"level=ERROR", "status 500", "gave up after 2 attempts", "source=s"}},
		},
		{
			name: "hanging body",
			setup: func(site, _ *host) {
				site.Handle("/b/1", hang)
				site.Handle("/b/2", page)
			},
			config: `editions = ["http://site.test/b/1", "http://site.test/b/2"]`,
			// The host counts as down after a time-out: /b/2 is not tried,
			// and the host costs one line.
			failed:      1,
			deferred:    1,
			unreachable: true,
			errHas:      "deadline exceeded",
			logs: [][]string{
				{"level=ERROR", "host unreachable or too slow", "host=site.test", "url=http://site.test/b/1",
					"deadline exceeded", "(gave up after 2 attempts)", "(no complete answer within the time cap; abandoned)"},
			},
			check: func(t *testing.T, site, _ *host) {
				if n := site.Hits("/b/2"); n != 0 {
					t.Errorf("a host that timed out was asked again (%d)", n)
				}
			},
		},
		{
			name:        "no answer at all",
			setup:       func(site, _ *host) { site.Handle("/b/1", silent) },
			failed:      1,
			unreachable: true,
			errHas:      "deadline exceeded",
			logs:        [][]string{{"level=ERROR", "http://site.test/b/1", "deadline exceeded"}},
		},
		{
			name:    "50 MiB body",
			setup:   func(site, _ *host) { site.Handle("/b/1", huge(false)) },
			timeout: 20 * time.Second,
			failed:  1,
			errHas:  "too large",
			logs:    [][]string{{"level=ERROR", "http://site.test/b/1", "too large (over 5242880 bytes)"}},
			check: func(t *testing.T, site, _ *host) {
				if n := site.Hits("/b/1"); n != 1 {
					t.Errorf("a body over the cap was asked for %d times, want 1 (no retry)", n)
				}
			},
		},
		{
			name:    "50 MiB declared",
			setup:   func(site, _ *host) { site.Handle("/b/1", huge(true)) },
			timeout: 20 * time.Second,
			failed:  1,
			errHas:  "too large (Content-Length 52428800",
			logs:    [][]string{{"level=ERROR", "too large"}},
		},
		{
			name:     "redirect within the allowed hosts",
			setup:    func(site, _ *host) { site.Handle("/b/1", redirect("/b/one")); site.Handle("/b/one", page) },
			editions: 1,
			logs:     [][]string{{`msg="fetch: redirect"`, "location=http://site.test/b/one"}, {`msg="crawl: indexed edition"`, "url=http://site.test/b/1"}},
		},
		{
			name: "redirect to another configured host",
			setup: func(site, other *host) {
				site.Handle("/b/1", redirect("http://other.test/b/1"))
				other.Handle("/b/1", page)
			},
			config:   `editions = ["http://site.test/b/1"]` + "\n" + `lists = ["http://other.test/list"]`,
			editions: 1,
			failed:   1, // other.test/list is a 404
			errHas:   "status 404",
		},
		{
			name: "redirect to another host",
			setup: func(site, other *host) {
				site.Handle("/b/1", redirect("http://other.test/b/1"))
				other.Handle("/b/1", page)
			},
			failed: 1,
			errHas: "redirected to http://other.test/b/1: host not allowed",
			logs:   [][]string{{"level=ERROR", "redirected to http://other.test/b/1: host not allowed"}},
			check: func(t *testing.T, _, other *host) {
				if n := other.Hits("/b/1"); n != 0 {
					t.Errorf("the other host was asked %d times", n)
				}
			},
		},
		{
			name: "redirect to 127.0.0.1",
			setup: func(site, _ *host) {
				site.Handle("/b/1", redirect(site.URL+"/b/inside"))
				site.Handle("/b/inside", page)
			},
			// 127.0.0.1 is an allowed host name here (a second known
			// edition names it), so that the refusal is the private range's.
			config: `editions = ["http://site.test/b/1", "http://127.0.0.1/b/never"]`,
			failed: 2,
			errHas: "private address refused",
			logs: [][]string{
				{"level=ERROR", "http://site.test/b/1: redirected to http://127.0.0.1:", "/b/inside: private address refused"},
				{"level=ERROR", "http://127.0.0.1/b/never: private address refused"},
			},
			check: func(t *testing.T, site, _ *host) {
				if n := site.Hits("/b/inside"); n != 0 {
					t.Errorf("the private address was asked %d times", n)
				}
			},
		},
		{
			name: "redirect loop",
			setup: func(site, _ *host) {
				site.Handle("/b/1", redirect("/b/2"))
				site.Handle("/b/2", redirect("/b/1"))
			},
			failed: 1,
			errHas: "redirect loop",
			logs:   [][]string{{"level=ERROR", "http://site.test/b/1", "redirect loop at http://site.test/b/1"}},
		},
		{
			name: "robots.txt disallows the edition pages",
			setup: func(site, _ *host) {
				site.Handle("/robots.txt", func(w http.ResponseWriter, _ *http.Request) {
					fmt.Fprint(w, "User-agent: *\nDisallow: /b/\n")
				})
				site.Handle("/feed.rss", rss("http://site.test/b/1", "http://site.test/b/2"))
				site.Handle("/b/1", page)
				site.Handle("/b/2", page)
			},
			// Skipped and reported, not a failure.
			config:     `feeds = ["http://site.test/feed.rss"]`,
			disallowed: 2,
			logs: [][]string{{"level=WARN", "robots.txt disallows", "url=http://site.test/b/1"},
				{"level=WARN", "robots.txt disallows", "url=http://site.test/b/2"}},
			check: func(t *testing.T, site, _ *host) {
				if n := site.Hits("/b/1") + site.Hits("/b/2"); n != 0 {
					t.Errorf("disallowed pages were asked %d times", n)
				}
				if n := site.Hits("/robots.txt"); n != 1 {
					t.Errorf("robots.txt asked %d times, want 1 (cached)", n)
				}
			},
		},
		{
			name: "malformed feed",
			setup: func(site, _ *host) {
				site.Handle("/feed.rss", func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", "application/rss+xml")
					fmt.Fprint(w, "<rss><channel><item><link>http://site.test/b/9</lin")
				})
				site.Handle("/b/1", page)
			},
			config:   `feeds = ["http://site.test/feed.rss"]` + "\n" + `editions = ["http://site.test/b/1"]`,
			editions: 1, // the known edition is still crawled
			failed:   1,
			errHas:   "parse feed http://site.test/feed.rss",
			logs:     [][]string{{"level=ERROR", "parse feed http://site.test/feed.rss"}, {`msg="crawl: indexed edition"`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, "site.test", "other.test")
			site, other := w.hosts["site.test"], w.hosts["other.test"]
			tt.setup(site, other)
			cfg := tt.config
			if !strings.Contains(cfg, "editions") {
				cfg += "\neditions = [\"http://site.test/b/1\"]"
			}
			var logs testenv.LogBuffer
			log := textLogger(&logs)
			c, ix := newCrawler(t, fetch.New(fastFetch(w, log, func(o *fetch.Options) {
				if tt.timeout > 0 {
					o.Timeout = tt.timeout
				}
			})), log)
			src := source(t, cfg)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			sum, err := c.Run(ctx, src, run.Options{})
			if sum.Editions != tt.editions || sum.Failed != tt.failed || ix.Len() != tt.editions {
				t.Errorf("editions %d (index %d), failed %d; want %d, %d\nerrors: %q", sum.Editions, ix.Len(), sum.Failed, tt.editions, tt.failed, sum.Errors)
			}
			if sum.Deferred != tt.deferred || sum.Disallowed != tt.disallowed || len(sum.Errors) != sum.Failed {
				t.Errorf("deferred %d, disallowed %d, %d errors for %d failed; want %d, %d", sum.Deferred, sum.Disallowed,
					len(sum.Errors), sum.Failed, tt.deferred, tt.disallowed)
			}
			if got := errors.Is(err, run.ErrUnreachable); got != tt.unreachable {
				t.Errorf("errors.Is(err, ErrUnreachable) = %v, want %v (err %v)", got, tt.unreachable, err)
			}
			if want := tt.errorLines; want >= 0 {
				if want == 0 {
					want = tt.failed
				}
				if n := strings.Count(logs.String(), "level=ERROR"); n != want {
					t.Errorf("%d ERROR lines, want %d:\n%s", n, want, logs.String())
				}
			}
			switch {
			case tt.errHas == "" && err != nil:
				t.Errorf("err = %v", err)
			case tt.errHas != "" && (err == nil || !strings.Contains(sum.Errors[0], tt.errHas)):
				t.Errorf("err = %v (errors %q), want it to say %q", err, sum.Errors, tt.errHas)
			}
			for _, parts := range tt.logs {
				if logs.Line(parts...) == "" {
					t.Errorf("no log line with %q; log:\n%s", parts, logs.String())
				}
			}
			if tt.check != nil {
				tt.check(t, site, other)
			}
		})
	}
}
