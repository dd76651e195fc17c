// Package fetch is a polite HTTP client for crawling: it honours robots.txt,
// keeps one request at a time and a minimum gap per host, sends conditional
// GETs, retries transient failures with bounded backoff, caps time and body
// size, and refuses hosts outside an allow-list and private addresses.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Sentinel errors; Do wraps them with the URL, so test with errors.Is.
var (
	// ErrHostNotAllowed means the URL (or a redirect hop) is outside Request.AllowHosts.
	ErrHostNotAllowed = errors.New("host not allowed")
	// ErrPrivateAddress means the host is, or resolves to, a private, loopback
	// or link-local address and Request.AllowPrivate is false.
	ErrPrivateAddress = errors.New("private address refused")
	// ErrTooLarge means the body is longer than Options.MaxBytes.
	ErrTooLarge = errors.New("too large")
	// ErrDisallowed means the host's robots.txt forbids the path to our user agent.
	ErrDisallowed = errors.New("disallowed by robots.txt")
	// ErrRedirectLoop means a redirect led back to a URL already visited.
	ErrRedirectLoop = errors.New("redirect loop")
	// ErrTooManyRedirects means more than MaxRedirects redirects were followed.
	ErrTooManyRedirects = errors.New("too many redirects")
)

// StatusError is a non-2xx, non-304 final status, after any retries.
type StatusError struct {
	URL  string
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("fetch %s: status %d %s", e.URL, e.Code, http.StatusText(e.Code))
}

// Defaults applied by New to zero-valued Options.
const (
	DefaultTimeout     = 30 * time.Second
	DefaultMaxBytes    = 5 << 20
	DefaultDelay       = time.Second
	DefaultRetries     = 3
	DefaultMaxBackoff  = 30 * time.Second
	DefaultBaseBackoff = time.Second
	// MaxRedirects is the number of redirects Do follows before giving up.
	MaxRedirects = 5
	// RobotsAgent is the token looked up in robots.txt groups.
	RobotsAgent = "bulletin"

	robotsTTL      = 24 * time.Hour   // how long a fetched robots.txt is trusted
	robotsErrorTTL = 10 * time.Minute // how long an unreachable robots.txt counts as "allow"
	robotsMaxBytes = 512 << 10
)

// Options configure a Client. Zero values take the documented defaults.
type Options struct {
	UserAgent string        // default: DefaultUserAgent of the binary's module version
	Timeout   time.Duration // cap for one attempt including the body; default 30s
	MaxBytes  int64         // body cap; default 5 MiB; over it → ErrTooLarge
	// Delay is the minimum gap between the starts of two requests to one
	// host. 0 means no delay, so that a configured "0s" is honoured; the
	// polite default, DefaultDelay (1s), is the caller's to pass.
	Delay      time.Duration
	Retries    int           // retries for 429, 5xx and network errors; default 3; negative = none
	MaxBackoff time.Duration // cap for one wait between retries (Retry-After included); default 30s
	// BaseBackoff is the first backoff step, doubled on each retry (with
	// jitter) up to MaxBackoff; default 1s.
	BaseBackoff time.Duration
	Logger      *slog.Logger // nil = discard
	// Transport sends the requests; nil = a default transport that checks the
	// resolved IP at dial time. An injected transport is trusted to dial:
	// only hosts written as IP literals are then checked against private ranges.
	Transport http.RoundTripper
	// Observe, when set, is called after every HTTP exchange (robots.txt,
	// redirect hops and retries included) with the host (host:port as in
	// the URL) and the status code, 0 when no response came; e.g. to count
	// fetches in metrics.
	Observe func(host string, status int)
}

// DefaultUserAgent is the User-Agent sent when Options.UserAgent is empty.
func DefaultUserAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "bulletin/" + version + " (+https://github.com/lga-digital/bulletin)"
}

// Version is the binary's module version ("dev" for a development build):
// the one `bulletin version` prints and the default User-Agent carries.
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Request is one fetch.
type Request struct {
	URL          string
	Accept       string   // e.g. "application/rss+xml, application/xml;q=0.9, */*;q=0.5"
	ETag         string   // sent as If-None-Match
	LastModified string   // sent as If-Modified-Since
	AllowHosts   []string // only these hosts (names, or host:port) may be fetched, redirects included; empty = any
	AllowPrivate bool     // else private, loopback and link-local addresses are refused
	Method       string   // "" = GET; "HEAD" allowed
}

// Response is the outcome of a successful fetch (2xx or 304).
type Response struct {
	URL          string // final URL after redirects
	Status       int
	NotModified  bool // 304 on a conditional GET
	Body         []byte
	ContentType  string
	ETag         string // the response's, or the request's when a 304 omits it
	LastModified string // likewise
	Length       int64  // Content-Length when known, else the body length
	FetchedAt    time.Time
}

// Client fetches pages politely. It is safe for concurrent use; all requests
// share the per-host locks, rate limiters and robots.txt cache.
type Client struct {
	opt        Options
	strict     http.RoundTripper // refuses private addresses at dial time
	permissive http.RoundTripper
	log        *slog.Logger

	// now and sleep are the clock; tests replace them.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu    sync.Mutex
	hosts map[string]*hostState
}

// hostState is what the client knows about one host (scheme://host:port).
type hostState struct {
	sem     chan struct{} // one request at a time
	limiter *rate.Limiter

	robotsMu      sync.Mutex // held while robots.txt is fetched
	robots        robotsRules
	robotsExpires time.Time
}

// New returns a Client with opt's zero values replaced by defaults.
func New(opt Options) *Client {
	if opt.UserAgent == "" {
		opt.UserAgent = DefaultUserAgent(Version())
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	if opt.Delay < 0 {
		opt.Delay = 0
	}
	if opt.Retries == 0 {
		opt.Retries = DefaultRetries
	}
	if opt.Retries < 0 {
		opt.Retries = 0
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = DefaultMaxBackoff
	}
	if opt.BaseBackoff <= 0 {
		opt.BaseBackoff = DefaultBaseBackoff
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Client{
		opt:   opt,
		log:   opt.Logger,
		now:   time.Now,
		sleep: sleepCtx,
		hosts: make(map[string]*hostState),
	}
	if opt.Transport != nil {
		c.strict, c.permissive = opt.Transport, opt.Transport
	} else {
		// Two pools, so that a connection opened for an AllowPrivate request is
		// never reused by one that forbids private addresses.
		c.strict, c.permissive = newTransport(true), newTransport(false)
	}
	return c
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// host returns the state of the host of u, creating it on first use.
func (c *Client) host(u *url.URL) *hostState {
	key := strings.ToLower(u.Scheme + "://" + u.Host)
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.hosts[key]
	if !ok {
		lim := rate.NewLimiter(rate.Inf, 1)
		if c.opt.Delay > 0 {
			lim = rate.NewLimiter(rate.Every(c.opt.Delay), 1)
		}
		h = &hostState{sem: make(chan struct{}, 1), limiter: lim}
		c.hosts[key] = h
	}
	return h
}

// Do fetches req.URL, following up to MaxRedirects redirects, each hop checked
// against the allow-list, private ranges and robots.txt. Errors name the URL;
// a final status other than 2xx or 304 is a *StatusError.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	method := strings.ToUpper(req.Method)
	switch method {
	case "":
		method = http.MethodGet
	case http.MethodGet, http.MethodHead:
	default:
		return nil, fmt.Errorf("fetch %s: method %q not supported", req.URL, req.Method)
	}
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
	}
	visited := map[string]bool{}
	for hop := 0; ; hop++ {
		u.Fragment, u.RawFragment = "", ""
		if err := c.check(u, req); err != nil {
			if hop > 0 {
				return nil, fmt.Errorf("fetch %s: redirected to %s: %w", req.URL, u, err)
			}
			return nil, fmt.Errorf("fetch %s: %w", u, err)
		}
		visited[u.String()] = true
		if err := c.allowedByRobots(ctx, u, req); err != nil {
			return nil, err
		}
		res, next, err := c.attempts(ctx, method, u, req)
		if err != nil || next == nil {
			return res, err
		}
		if visited[next.String()] {
			return nil, fmt.Errorf("fetch %s: %w at %s", req.URL, ErrRedirectLoop, next)
		}
		if hop+1 > MaxRedirects {
			return nil, fmt.Errorf("fetch %s: %w (stopped at %s)", req.URL, ErrTooManyRedirects, next)
		}
		c.log.Debug("fetch: redirect", "url", u.String(), "location", next.String())
		u = next
	}
}

// check applies the cheap, name-level rules to one hop.
func (c *Client) check(u *url.URL, req Request) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("unsupported scheme %q", u.Scheme)
	}
	if u.Hostname() == "" {
		return errors.New("no host")
	}
	if !hostAllowed(u, req.AllowHosts) {
		return ErrHostNotAllowed
	}
	if !req.AllowPrivate && isPrivateHost(u.Hostname()) {
		return ErrPrivateAddress
	}
	return nil
}

func hostAllowed(u *url.URL, allow []string) bool {
	if len(allow) == 0 {
		return true
	}
	name, hostport := strings.ToLower(u.Hostname()), strings.ToLower(u.Host)
	for _, a := range allow {
		a = strings.ToLower(strings.TrimSpace(a))
		if a == name || a == hostport {
			return true
		}
	}
	return false
}

// attempts sends one hop with retries. It returns either a final response, or
// the next URL of a redirect, or an error.
func (c *Client) attempts(ctx context.Context, method string, u *url.URL, req Request) (*Response, *url.URL, error) {
	for attempt := 0; ; attempt++ {
		res, next, hdr, err := c.exchange(ctx, method, u, req, c.opt.MaxBytes)
		if err == nil {
			return res, next, nil
		}
		retry, status := retryable(ctx, err)
		if !retry || attempt >= c.opt.Retries {
			if retry && attempt > 0 {
				// The caller logs the error once; it says how hard we tried.
				err = fmt.Errorf("%w (gave up after %d attempts)", err, attempt+1)
			}
			return nil, nil, err
		}
		wait := c.backoff(attempt, status, hdr)
		// A host that answers with an error status is worth a line; a host
		// that does not answer at all is reported once, by the caller.
		level := slog.LevelInfo
		if status == 0 {
			level = slog.LevelDebug
		}
		c.log.Log(ctx, level, "fetch: retrying", "url", u.String(), "status", status, "attempt", attempt+1, "wait", wait, "err", err)
		if err := c.sleep(ctx, wait); err != nil {
			return nil, nil, fmt.Errorf("fetch %s: %w", u, err)
		}
	}
}

// retryable says whether err is worth another attempt, and the HTTP status
// behind it (0 for network errors).
func retryable(ctx context.Context, err error) (bool, int) {
	if ctx.Err() != nil {
		return false, 0
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusTooManyRequests || se.Code >= 500, se.Code
	}
	if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrPrivateAddress) ||
		errors.Is(err, ErrHostNotAllowed) || errors.Is(err, errPermanent) {
		return false, 0
	}
	return true, 0
}

// errPermanent marks errors that no retry can fix (bad request, bad redirect).
var errPermanent = errors.New("permanent")

// backoff is the wait before retry number attempt+1: Retry-After for 429 and
// 503 when given, else exponential with jitter; capped at MaxBackoff.
func (c *Client) backoff(attempt, status int, hdr http.Header) time.Duration {
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		if d, ok := retryAfter(hdr.Get("Retry-After"), c.now()); ok {
			return min(d, c.opt.MaxBackoff)
		}
	}
	d := c.opt.BaseBackoff << min(attempt, 30)
	if d <= 0 || d > c.opt.MaxBackoff {
		d = c.opt.MaxBackoff
	}
	// "Equal jitter": at least half the step, so retries never bunch at zero.
	half := d / 2
	return half + rand.N(half+1)
}

// retryAfter reads a Retry-After value: delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// acquire takes the host's lock and then waits for its rate limiter; the
// returned func releases the lock.
func (c *Client) acquire(ctx context.Context, h *hostState) (func(), error) {
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release := func() { <-h.sem }
	now := c.now()
	r := h.limiter.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		if err := c.sleep(ctx, d); err != nil {
			r.CancelAt(c.now())
			release()
			return nil, err
		}
	}
	return release, nil
}

// exchange sends one HTTP request and reads the answer. On a retryable
// failure the response header is returned too, for Retry-After.
func (c *Client) exchange(ctx context.Context, method string, u *url.URL, req Request, maxBytes int64) (*Response, *url.URL, http.Header, error) {
	h := c.host(u)
	release, err := c.acquire(ctx, h)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer release()

	ctx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("fetch %s: %w: %w", u, errPermanent, err)
	}
	hreq.Header.Set("User-Agent", c.opt.UserAgent)
	if req.Accept != "" {
		hreq.Header.Set("Accept", req.Accept)
	}
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}
	rt := c.strict
	if req.AllowPrivate {
		rt = c.permissive
	}
	resp, err := rt.RoundTrip(hreq)
	if c.opt.Observe != nil {
		status := 0
		if err == nil {
			status = resp.StatusCode
		}
		c.opt.Observe(u.Host, status)
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer resp.Body.Close()

	switch {
	case resp.StatusCode == http.StatusNotModified:
		drain(resp.Body)
		res := c.response(u, resp, nil)
		res.NotModified = true
		if res.ETag == "" {
			res.ETag = req.ETag
		}
		if res.LastModified == "" {
			res.LastModified = req.LastModified
		}
		return res, nil, nil, nil
	case isRedirect(resp.StatusCode):
		drain(resp.Body)
		loc := resp.Header.Get("Location")
		if loc == "" {
			return nil, nil, nil, &StatusError{URL: u.String(), Code: resp.StatusCode}
		}
		next, err := u.Parse(loc)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("fetch %s: bad redirect %q: %w: %w", u, loc, errPermanent, err)
		}
		return nil, next, nil, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		drain(resp.Body)
		return nil, nil, resp.Header, &StatusError{URL: u.String(), Code: resp.StatusCode}
	}

	var body []byte
	if method != http.MethodHead {
		if resp.ContentLength > maxBytes {
			return nil, nil, nil, fmt.Errorf("fetch %s: %w (Content-Length %d > %d bytes)", u, ErrTooLarge, resp.ContentLength, maxBytes)
		}
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("fetch %s: read body: %w", u, err)
		}
		if int64(len(body)) > maxBytes {
			return nil, nil, nil, fmt.Errorf("fetch %s: %w (over %d bytes)", u, ErrTooLarge, maxBytes)
		}
	}
	res := c.response(u, resp, body)
	if res.Length < 0 {
		res.Length = int64(len(body))
		if method == http.MethodHead {
			res.Length = 0
		}
	}
	return res, nil, nil, nil
}

func (c *Client) response(u *url.URL, resp *http.Response, body []byte) *Response {
	return &Response{
		URL:          u.String(),
		Status:       resp.StatusCode,
		Body:         body,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		Length:       resp.ContentLength,
		FetchedAt:    c.now(),
	}
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// drain reads a little of an unwanted body so the connection can be reused.
func drain(r io.Reader) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r, 64<<10))
}

// newTransport is the default transport; strict ones refuse private
// addresses after name resolution, at dial time, so DNS cannot smuggle them in.
func newTransport(strict bool) *http.Transport {
	d := &net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}
	if strict {
		d.ControlContext = dialControl
	}
	return &http.Transport{
		// No proxy: through a proxy the dial-time address check would see the
		// proxy, not the target. Inject a Transport to use one.
		Proxy:               nil,
		DialContext:         d.DialContext,
		ForceAttemptHTTP2:   true,
		MaxIdleConns:        20,
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
	}
}
