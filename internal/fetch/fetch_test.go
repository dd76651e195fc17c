package fetch_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/testenv"
)

// fast are options that keep the tests quick: tiny delays and backoffs.
func fast(mod func(*fetch.Options)) fetch.Options {
	o := fetch.Options{
		UserAgent:   "bulletin-test/1",
		Timeout:     5 * time.Second,
		Delay:       time.Millisecond,
		Retries:     2,
		BaseBackoff: time.Millisecond,
		MaxBackoff:  5 * time.Millisecond,
	}
	if mod != nil {
		mod(&o)
	}
	return o
}

func text(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, body)
	}
}

// sequence answers the i-th request with statuses[i] (the last one repeats).
func sequence(statuses []int, header http.Header) http.HandlerFunc {
	var n atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		code := statuses[min(i, len(statuses)-1)]
		if code != http.StatusOK {
			for k, v := range header {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(code)
		fmt.Fprintf(w, "answer %d", i+1)
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name     string
		statuses []int
		header   http.Header
		retries  int
		wantCode int // 0 = success
		wantHits int
	}{
		{"429 with Retry-After then 200", []int{429, 200}, http.Header{"Retry-After": {"1"}}, 2, 0, 2},
		{"503 then 200", []int{503, 200}, nil, 2, 0, 2},
		{"503 twice then 200", []int{503, 503, 200}, nil, 2, 0, 3},
		{"500 forever", []int{500}, nil, 2, 500, 3},
		{"502 forever, no retries", []int{502}, nil, -1, 502, 1},
		{"404 is not retried", []int{404}, nil, 3, 404, 1},
		{"403 is not retried", []int{403}, nil, 3, 403, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{"/page": sequence(tt.statuses, tt.header)})
			c := fetch.New(fast(func(o *fetch.Options) { o.Retries = tt.retries }))
			res, err := c.Do(t.Context(), fetch.Request{URL: s.URL + "/page", AllowPrivate: true})
			if got := s.Hits("/page"); got != tt.wantHits {
				t.Errorf("hits = %d, want %d", got, tt.wantHits)
			}
			if tt.wantCode == 0 {
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				if want := fmt.Sprintf("answer %d", tt.wantHits); string(res.Body) != want || res.Status != 200 {
					t.Errorf("got %d %q, want 200 %q", res.Status, res.Body, want)
				}
				return
			}
			var se *fetch.StatusError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *StatusError", err)
			}
			if se.Code != tt.wantCode || se.URL != s.URL+"/page" {
				t.Errorf("StatusError = %+v", se)
			}
			if res != nil {
				t.Errorf("response %+v returned with error", res)
			}
			if !strings.Contains(err.Error(), s.URL+"/page") || !strings.Contains(err.Error(), fmt.Sprint(tt.wantCode)) {
				t.Errorf("error %q does not name URL and status", err)
			}
		})
	}
}

// TestRetryAndGiveUpAreLogged: each retry of a host that answers with an
// error status is an info line; giving up is not logged here (the caller
// reports the error once) but the error says how many attempts were made.
func TestRetryAndGiveUpAreLogged(t *testing.T) {
	s := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{"/down": sequence([]int{500}, nil)})
	var logs testenv.LogBuffer
	c := fetch.New(fast(func(o *fetch.Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}))
	_, err := c.Do(t.Context(), fetch.Request{URL: s.URL + "/down", AllowPrivate: true})
	var se *fetch.StatusError
	if err == nil || !errors.As(err, &se) || se.Code != 500 || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Fatalf("err = %v, want a status 500 that gave up after 3 attempts", err)
	}
	out := logs.String()
	for _, want := range []string{`"msg":"fetch: retrying"`, `"status":500`, `"url":"` + s.URL + `/down"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "fetch: retrying"); n != 2 {
		t.Errorf("%d retries logged, want 2", n)
	}
	if strings.Contains(out, "WARN") || strings.Contains(out, "ERROR") {
		t.Errorf("the client logged the failure itself:\n%s", out)
	}
}

func TestHeadersAndConditionalGet(t *testing.T) {
	const etag, lastMod = `"v1"`, "Tue, 10 Dec 2024 10:00:00 GMT"
	var gotUA, gotAccept atomic.Value
	s := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{
		"/bulletins.rss": func(w http.ResponseWriter, r *http.Request) {
			gotUA.Store(r.UserAgent())
			gotAccept.Store(r.Header.Get("Accept"))
			if !strings.Contains(r.Header.Get("Accept"), "application/rss+xml") {
				w.WriteHeader(http.StatusNotAcceptable)
				return
			}
			if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lastMod {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Header().Set("ETag", etag)
			w.Header().Set("Last-Modified", lastMod)
			fmt.Fprint(w, "<rss/>")
		},
	})
	c := fetch.New(fast(nil))
	const accept = "application/rss+xml, application/xml;q=0.9, */*;q=0.5"
	u := s.URL + "/bulletins.rss"

	res, err := c.Do(t.Context(), fetch.Request{URL: u, Accept: accept, AllowPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || res.NotModified || string(res.Body) != "<rss/>" || res.ETag != etag ||
		res.LastModified != lastMod || res.ContentType != "application/rss+xml" || res.URL != u || res.Length != 6 {
		t.Errorf("first response = %+v", res)
	}
	if res.FetchedAt.IsZero() {
		t.Error("FetchedAt not set")
	}
	if gotUA.Load() != "bulletin-test/1" || gotAccept.Load() != accept {
		t.Errorf("sent User-Agent %q, Accept %q", gotUA.Load(), gotAccept.Load())
	}

	for _, req := range []fetch.Request{
		{URL: u, Accept: accept, AllowPrivate: true, ETag: etag},
		{URL: u, Accept: accept, AllowPrivate: true, LastModified: lastMod},
	} {
		res, err := c.Do(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if !res.NotModified || res.Status != 304 || len(res.Body) != 0 {
			t.Errorf("conditional GET %+v: got %+v", req, res)
		}
		if res.ETag != req.ETag || res.LastModified != req.LastModified {
			t.Errorf("304 lost the validators: %+v", res)
		}
	}

	// Without the Accept header GovDelivery answers 406.
	_, err = c.Do(t.Context(), fetch.Request{URL: u, AllowPrivate: true})
	var se *fetch.StatusError
	if !errors.As(err, &se) || se.Code != http.StatusNotAcceptable {
		t.Errorf("no Accept: err = %v, want 406", err)
	}
}

func TestDefaultUserAgent(t *testing.T) {
	var got atomic.Value
	s := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{"/": func(w http.ResponseWriter, r *http.Request) { got.Store(r.UserAgent()) }})
	c := fetch.New(fetch.Options{Retries: -1})
	if _, err := c.Do(t.Context(), fetch.Request{URL: s.URL + "/", AllowPrivate: true}); err != nil {
		t.Fatal(err)
	}
	ua, _ := got.Load().(string)
	if !strings.HasPrefix(ua, "bulletin/") || !strings.HasSuffix(ua, " (+https://github.com/lga-digital/bulletin)") {
		t.Errorf("default User-Agent %q", ua)
	}
}

func TestHead(t *testing.T) {
	s := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{
		"/doc.pdf": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Length", "123456")
			if r.Method == http.MethodHead {
				return
			}
			t.Errorf("method %s, want HEAD", r.Method)
		},
	})
	c := fetch.New(fast(nil))
	res, err := c.Do(t.Context(), fetch.Request{URL: s.URL + "/doc.pdf", Method: "HEAD", AllowPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Length != 123456 || res.ContentType != "application/pdf" || len(res.Body) != 0 {
		t.Errorf("HEAD response = %+v", res)
	}
	if _, err := c.Do(t.Context(), fetch.Request{URL: s.URL + "/doc.pdf", Method: "POST", AllowPrivate: true}); err == nil {
		t.Error("POST accepted")
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	var started atomic.Int64
	s := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{
		"/hang-headers": func(w http.ResponseWriter, r *http.Request) {
			started.Add(1)
			select {
			case <-r.Context().Done():
			case <-release:
			}
		},
		"/hang-body": func(w http.ResponseWriter, r *http.Request) {
			started.Add(1)
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-release:
			}
		},
	})
	defer close(release)
	for _, path := range []string{"/hang-headers", "/hang-body"} {
		t.Run(path, func(t *testing.T) {
			started.Store(0)
			c := fetch.New(fast(func(o *fetch.Options) {
				o.Timeout = 150 * time.Millisecond
				o.Retries = 1
			}))
			_, err := c.Do(t.Context(), fetch.Request{URL: s.URL + path, AllowPrivate: true})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want a deadline error", err)
			}
			if !strings.Contains(err.Error(), s.URL+path) {
				t.Errorf("error %q does not name the URL", err)
			}
			if n := started.Load(); n != 2 {
				t.Errorf("%d attempts, want 2 (a timeout is retried once)", n)
			}
		})
	}
}

func TestCancelledContext(t *testing.T) {
	s := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{"/": text("ok")})
	c := fetch.New(fast(nil))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Do(ctx, fetch.Request{URL: s.URL + "/", AllowPrivate: true})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestTooLarge(t *testing.T) {
	const limit = 64 << 10
	var written atomic.Int64
	stream := func(declare bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			const total = 50 << 20
			if declare {
				w.Header().Set("Content-Length", fmt.Sprint(total))
			}
			chunk := bytes.Repeat([]byte("x"), 32<<10)
			for n := 0; n < total; n += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
				written.Add(int64(len(chunk)))
			}
		}
	}
	s := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{
		"/chunked":  stream(false),
		"/declared": stream(true),
		"/exact":    text(strings.Repeat("y", limit)),
	})
	c := fetch.New(fast(func(o *fetch.Options) { o.MaxBytes = limit }))
	for _, path := range []string{"/chunked", "/declared"} {
		_, err := c.Do(t.Context(), fetch.Request{URL: s.URL + path, AllowPrivate: true})
		if !errors.Is(err, fetch.ErrTooLarge) {
			t.Errorf("%s: err = %v, want ErrTooLarge", path, err)
			continue
		}
		if !strings.Contains(err.Error(), "fetch "+s.URL+path+": too large") {
			t.Errorf("%s: error %q", path, err)
		}
		if got := s.Hits(path); got != 1 {
			t.Errorf("%s: %d requests, ErrTooLarge must not be retried", path, got)
		}
	}
	res, err := c.Do(t.Context(), fetch.Request{URL: s.URL + "/exact", AllowPrivate: true})
	if err != nil || len(res.Body) != limit {
		t.Errorf("body of exactly MaxBytes: err %v", err)
	}
}

func TestRedirects(t *testing.T) {
	other := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{"/elsewhere": text("other host")})
	otherURL, _ := url.Parse(other.URL)
	_, otherPort, _ := net.SplitHostPort(otherURL.Host)
	otherByName := "http://localhost:" + otherPort + "/elsewhere"

	redirect := func(to string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }
	}
	routes := map[string]http.HandlerFunc{
		"/old":       redirect("/mid#frag"),
		"/mid":       redirect("new"),
		"/new":       text("arrived"),
		"/loop-a":    redirect("/loop-b"),
		"/loop-b":    redirect("/loop-a"),
		"/self":      redirect("/self"),
		"/away":      redirect(otherByName),
		"/no-loc":    func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusFound) },
		"/bad-sheme": redirect("ftp://example.com/file"),
	}
	for i := range 10 {
		routes[fmt.Sprintf("/chain/%d", i)] = redirect(fmt.Sprintf("/chain/%d", i+1))
	}
	s := testenv.NewServer(t, testenv.ByPath, routes)
	host := strings.TrimPrefix(s.URL, "http://")
	hostName, _, _ := net.SplitHostPort(host)

	tests := []struct {
		name    string
		path    string
		allow   []string
		wantURL string
		wantErr error
		errText string
	}{
		{"followed", "/old", nil, s.URL + "/new", nil, ""},
		{"followed within allow-list", "/old", []string{hostName}, s.URL + "/new", nil, ""},
		{"allow-list by host:port", "/old", []string{host}, s.URL + "/new", nil, ""},
		{"loop", "/loop-a", nil, "", fetch.ErrRedirectLoop, "redirect loop"},
		{"self loop", "/self", nil, "", fetch.ErrRedirectLoop, "redirect loop"},
		{"too many", "/chain/0", nil, "", fetch.ErrTooManyRedirects, "too many redirects"},
		{"to a host not allowed", "/away", []string{hostName}, "", fetch.ErrHostNotAllowed, "host not allowed"},
		{"to another host allowed", "/away", []string{hostName, "localhost"}, otherByName, nil, ""},
		{"start outside allow-list", "/new", []string{"content.govdelivery.com"}, "", fetch.ErrHostNotAllowed, ""},
		{"no Location", "/no-loc", nil, "", nil, "status 302"},
		{"unsupported scheme", "/bad-sheme", nil, "", nil, `unsupported scheme "ftp"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fetch.New(fast(nil))
			res, err := c.Do(t.Context(), fetch.Request{URL: s.URL + tt.path, AllowHosts: tt.allow, AllowPrivate: true})
			if tt.wantURL != "" {
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				if res.URL != tt.wantURL {
					t.Errorf("final URL %q, want %q", res.URL, tt.wantURL)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, got %+v", res)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.errText) || !strings.Contains(err.Error(), "http://") {
				t.Errorf("error %q lacks %q or a URL", err, tt.errText)
			}
		})
	}
	if n := other.Hits("/elsewhere"); n != 1 {
		t.Errorf("other host hit %d times, want 1 (only when allowed)", n)
	}
	if n := s.Hits("/chain/6"); n != 0 {
		t.Errorf("followed more than %d redirects", fetch.MaxRedirects)
	}
}

// hostMap is a transport that sends requests for some names to local test
// servers, as DNS would, and everything else to base.
type hostMap struct {
	to   map[string]string // name → host:port
	base http.RoundTripper
}

func (m hostMap) RoundTrip(r *http.Request) (*http.Response, error) {
	if hp, ok := m.to[r.URL.Hostname()]; ok {
		r = r.Clone(r.Context())
		r.URL.Host = hp
	}
	return m.base.RoundTrip(r)
}

func TestPrivateAddresses(t *testing.T) {
	var secretHits atomic.Int64
	secret := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{"/secret": func(w http.ResponseWriter, r *http.Request) {
		secretHits.Add(1)
		fmt.Fprint(w, "internal")
	}})
	public := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{
		"/to-loopback": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, secret.URL+"/secret", http.StatusMovedPermanently)
		},
		"/to-metadata": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		},
		"/to-v6": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://[::ffff:10.0.0.1]/", http.StatusFound)
		},
		"/page": text("public page"),
	})
	injected := hostMap{
		to:   map[string]string{"public.example": strings.TrimPrefix(public.URL, "http://")},
		base: http.DefaultTransport,
	}
	_, secretPort, _ := net.SplitHostPort(strings.TrimPrefix(secret.URL, "http://"))

	tests := []struct {
		name      string
		transport http.RoundTripper
		url       string
		private   bool
		wantErr   error
	}{
		{"public name is fetched", injected, "http://public.example/page", false, nil},
		{"redirect to 127.0.0.1", injected, "http://public.example/to-loopback", false, fetch.ErrPrivateAddress},
		{"redirect to 127.0.0.1 allowed", injected, "http://public.example/to-loopback", true, nil},
		{"redirect to link-local", injected, "http://public.example/to-metadata", false, fetch.ErrPrivateAddress},
		{"redirect to mapped 10/8", injected, "http://public.example/to-v6", false, fetch.ErrPrivateAddress},
		{"loopback literal", nil, secret.URL + "/secret", false, fetch.ErrPrivateAddress},
		// "localhost" is not a literal: the default transport refuses it
		// after resolution, at dial time.
		{"name resolving to loopback", nil, "http://localhost:" + secretPort + "/secret", false, fetch.ErrPrivateAddress},
		{"name resolving to loopback allowed", nil, "http://localhost:" + secretPort + "/secret", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secretHits.Store(0)
			c := fetch.New(fast(func(o *fetch.Options) { o.Transport = tt.transport }))
			res, err := c.Do(t.Context(), fetch.Request{URL: tt.url, AllowPrivate: tt.private})
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				if len(res.Body) == 0 {
					t.Error("empty body")
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if secretHits.Load() != 0 {
				t.Error("the private server was reached")
			}
		})
	}
}

func TestRobots(t *testing.T) {
	const robots = "User-agent: *\nDisallow: /\n\nUser-agent: bulletin\nDisallow: /private\nDisallow: /*?draft=\nAllow: /\n"
	s := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{
		"/robots.txt":   text(robots),
		"/public":       text("ok"),
		"/private/page": text("no"),
		"/public/item":  text("ok"),
	})
	c := fetch.New(fast(nil))
	tests := []struct {
		path    string
		allowed bool
	}{
		{"/public", true},
		{"/public/item", true},
		{"/public/item?draft=1", false},
		{"/private/page", false},
		{"/private", false},
	}
	for _, tt := range tests {
		_, err := c.Do(t.Context(), fetch.Request{URL: s.URL + tt.path, AllowPrivate: true})
		if tt.allowed && err != nil {
			t.Errorf("%s: %v", tt.path, err)
		}
		if !tt.allowed {
			if !errors.Is(err, fetch.ErrDisallowed) {
				t.Errorf("%s: err = %v, want ErrDisallowed", tt.path, err)
			} else if !strings.Contains(err.Error(), s.URL+tt.path) {
				t.Errorf("%s: error %q does not name the URL", tt.path, err)
			}
		}
	}
	if n := s.Hits("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want once per host", n)
	}
	if n := s.Hits("/private/page"); n != 0 {
		t.Errorf("disallowed page fetched %d times", n)
	}
}

func TestRobotsUnavailable(t *testing.T) {
	tests := []struct {
		name    string
		robots  http.HandlerFunc
		wantLog string
	}{
		{"404 allows all", nil, ""},
		{"500 allows all and logs", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }, "robots.txt unavailable"},
		{"redirect to missing file allows all", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/gone.txt", http.StatusMovedPermanently)
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			routes := map[string]http.HandlerFunc{"/page": text("ok")}
			if tt.robots != nil {
				routes["/robots.txt"] = tt.robots
			}
			s := testenv.NewServer(t, testenv.ByPath, routes)
			var logs testenv.LogBuffer
			c := fetch.New(fast(func(o *fetch.Options) { o.Logger = slog.New(slog.NewTextHandler(&logs, nil)) }))
			for range 2 {
				if _, err := c.Do(t.Context(), fetch.Request{URL: s.URL + "/page", AllowPrivate: true}); err != nil {
					t.Fatal(err)
				}
			}
			if tt.wantLog != "" && !strings.Contains(logs.String(), tt.wantLog) {
				t.Errorf("log lacks %q:\n%s", tt.wantLog, logs.String())
			}
			if n := s.Hits("/robots.txt"); n != 1 {
				t.Errorf("robots.txt fetched %d times, want 1 (remembered)", n)
			}
		})
	}
}

func TestOneRequestAtATimePerHost(t *testing.T) {
	const delay = 20 * time.Millisecond
	var (
		inFlight, overlaps atomic.Int64
		mu                 sync.Mutex
		starts             []time.Time
	)
	s := testenv.NewServer(t, testenv.ByPath, map[string]http.HandlerFunc{"/page": func(w http.ResponseWriter, r *http.Request) {
		if inFlight.Add(1) > 1 {
			overlaps.Add(1)
		}
		defer inFlight.Add(-1)
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		time.Sleep(2 * time.Millisecond) // widen the window an overlap would need
		fmt.Fprint(w, "ok")
	}})
	c := fetch.New(fast(func(o *fetch.Options) { o.Delay = delay }))
	var wg sync.WaitGroup
	const n = 8
	for i := range n {
		wg.Go(func() {
			if _, err := c.Do(t.Context(), fetch.Request{URL: fmt.Sprintf("%s/page?i=%d", s.URL, i), AllowPrivate: true}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if o := overlaps.Load(); o != 0 {
		t.Errorf("%d overlapping requests to one host", o)
	}
	if len(starts) != n {
		t.Fatalf("%d requests, want %d", len(starts), n)
	}
	// One gap alone proves little: a request the server happened to see
	// late shortens the next gap. But request i+1 leaves at least a delay
	// after request i's turn began, and that turn began only after the
	// server had seen request i-1; so every gap across two requests exceeds
	// the delay, with no tolerance needed.
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	for i := 2; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-2]); gap <= delay {
			t.Errorf("requests %d and %d only %v apart, want over %v", i-2, i, gap, delay)
		}
	}
}

func TestStatusErrorMessage(t *testing.T) {
	e := &fetch.StatusError{URL: "https://example.com/x", Code: 503}
	if got, want := e.Error(), "fetch https://example.com/x: status 503 Service Unavailable"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
