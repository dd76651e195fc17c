package cli

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/api"
	"github.com/lga-digital/bulletin/internal/run"
)

// `bulletin serve` holds the index open, so `search` and `crawl` run beside
// it talk to it instead: serve leaves its address, and a token that lets
// the CLI start crawls, in data_dir/serve.json (mode 0600, removed when it
// stops). Reading that file needs the same rights over the data directory
// as opening the index would, so the token grants nothing new.

// serveFileName is the file serve leaves in the data directory.
const serveFileName = "serve.json"

// serveFile is what serve leaves for the CLI.
type serveFile struct {
	URL     string    `json:"url"`   // where it listens, base path included
	Token   string    `json:"token"` // bearer token of POST /api/crawl for the CLI
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
}

func serveFilePath(cfg *config.Config) string { return filepath.Join(cfg.DataDir, serveFileName) }

// localURL is the address the CLI reaches a server listening on addr at:
// an unspecified host (0.0.0.0, [::]) is reached on loopback; the base
// URL's path, under which every route is mounted, is kept.
func localURL(cfg *config.Config, addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return "", err
	}
	return "http://" + net.JoinHostPort(host, port) + strings.TrimRight(base.Path, "/"), nil
}

// writeServeFile records the server's local URL (localURL) and a fresh
// token for the CLI; the returned function removes the file.
func writeServeFile(cfg *config.Config, u string) (token string, remove func(), err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token = hex.EncodeToString(b)
	sf := serveFile{URL: u, Token: token, PID: os.Getpid(), Started: time.Now().UTC()}
	data, err := json.MarshalIndent(sf, "", "  ")
	if err != nil {
		return "", nil, err
	}
	path := serveFilePath(cfg)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o600); err != nil {
		return "", nil, fmt.Errorf("serve: keep the address for the CLI: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return "", nil, fmt.Errorf("serve: keep the address for the CLI: %w", err)
	}
	return token, func() { os.Remove(path) }, nil
}

// remote is a running server the CLI talks to.
type remote struct {
	url    string // base, no trailing slash
	token  string // for POST /api/crawl; "" = none
	client *http.Client
}

// findServer locates the `bulletin serve` that holds the index through
// the address it left in the data directory; nil when there is none (the
// index is held by another command, such as a crawl or a reindex).
func (a *app) findServer(cfg *config.Config) (*remote, error) {
	b, err := os.ReadFile(serveFilePath(cfg))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	var sf serveFile
	if err == nil {
		err = json.Unmarshal(b, &sf)
	}
	if err == nil && sf.URL == "" {
		err = errors.New("no url")
	}
	if err != nil {
		return nil, fmt.Errorf("the index is in use, and the address `bulletin serve` left in %s is unreadable: %w", serveFilePath(cfg), err)
	}
	return &remote{url: strings.TrimRight(sf.URL, "/"), token: sf.Token, client: &http.Client{Timeout: time.Minute}}, nil
}

// apiError is an error answer of the server's API.
type apiError struct {
	Status int
	Body   api.Error
}

func (e *apiError) Error() string { return e.Body.Error }

// do sends one API request and decodes a 2xx JSON answer into out.
func (r *remote) do(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, r.url+path, nil)
	if err != nil {
		return err
	}
	if method == http.MethodPost && r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("the index is in use by another process, and no server answers at %s: %w", r.url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, r.url+path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		ae := &apiError{Status: resp.StatusCode}
		if json.Unmarshal(body, &ae.Body) != nil || ae.Body.Error == "" {
			ae.Body.Error = fmt.Sprintf("%s %s: %s", method, r.url+path, resp.Status)
		}
		return ae
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(out); err != nil {
		return fmt.Errorf("%s %s: not the JSON of a bulletin server: %w", method, r.url+path, err)
	}
	return nil
}

// search runs a search through /api/search.
func (r *remote) search(ctx context.Context, q, source, sort string, page, size int) (api.SearchResponse, error) {
	v := url.Values{"q": {q}, "page": {strconv.Itoa(page)}, "size": {strconv.Itoa(size)}}
	if source != "" {
		v.Set("source", source)
	}
	if sort != "" {
		v.Set("sort", sort)
	}
	var resp api.SearchResponse
	err := r.do(ctx, http.MethodGet, "/api/search?"+v.Encode(), &resp)
	return resp, err
}

// crawl starts a crawl of each source through POST /api/crawl, waits for
// every one to end and returns their summaries and outcomes, in order.
func (r *remote) crawl(ctx context.Context, srcs []*config.Source, opt run.Options, log func(string, ...any)) ([]run.Summary, []string, error) {
	for _, src := range srcs {
		q := url.Values{"source": {src.ID}}
		if opt.Refetch {
			q.Set("refetch", "1")
		}
		if opt.MaxNew > 0 {
			q.Set("max_new", strconv.Itoa(opt.MaxNew))
		}
		err := r.do(ctx, http.MethodPost, "/api/crawl?"+q.Encode(), nil)
		var ae *apiError
		switch {
		case err == nil:
			log("crawl: started by the server", "source", src.ID)
		case errors.As(err, &ae) && ae.Status == http.StatusConflict:
			log("crawl: the server is crawling this source already; waiting for that crawl (without this command's options)", "source", src.ID)
		case errors.As(err, &ae) && (ae.Status == http.StatusNotFound || ae.Status == http.StatusUnauthorized) && !strings.Contains(ae.Body.Error, "unknown source"):
			return nil, nil, fmt.Errorf("the server at %s refused to crawl (%s): run this command as the user of `bulletin serve`, "+
				"which leaves a token for it in %s, or set admin_token", r.url, ae.Body.Error, serveFileName)
		default:
			return nil, nil, err
		}
	}
	sums := make([]run.Summary, len(srcs))
	outcomes := make([]string, len(srcs))
	done := make([]bool, len(srcs))
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for left := len(srcs); left > 0; {
		var st api.StatusResponse
		if err := r.do(ctx, http.MethodGet, "/api/status", &st); err != nil {
			return nil, nil, err
		}
		for i, src := range srcs {
			if done[i] {
				continue
			}
			for _, ss := range st.Sources {
				if ss.ID != src.ID || ss.Running || ss.LastCrawl == nil {
					continue
				}
				c := ss.LastCrawl
				sums[i] = run.Summary{Source: src.ID, Started: c.Started, Duration: time.Duration(c.DurationSeconds * float64(time.Second)),
					Discovered: c.Discovered, Fetched: c.Fetched, Editions: c.Editions, Items: c.Items, Skipped: c.Skipped,
					Disallowed: c.Disallowed, Failed: c.Failed, Deferred: c.Deferred, Unreachable: c.Unreachable, Errors: c.Errors}
				outcomes[i] = c.Outcome
				done[i] = true
				left--
			}
		}
		if left == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("stopped waiting; the crawl goes on in the server (see %s/status): %w", r.url, ctx.Err())
		case <-tick.C:
		}
	}
	return sums, outcomes, nil
}

// crawlRemote is `bulletin crawl` while serve holds the index; locked is
// the error of opening the index, returned when no server holds it.
func (a *app) crawlRemote(ctx context.Context, cfg *config.Config, srcs []*config.Source, opt run.Options, locked error) error {
	r, err := a.findServer(cfg)
	if err != nil || r == nil {
		return cmp.Or(err, locked)
	}
	a.log.Info("crawl: the index is in use by `bulletin serve`; crawling through it (its log has the details)", "server", r.url)
	sums, outcomes, err := r.crawl(ctx, srcs, opt, a.log.Info)
	if err != nil {
		return err
	}
	printSummaries(a.stdout, sums)
	fmt.Fprintf(a.stdout, "(crawled by the server at %s)\n", r.url)
	var failed []string
	for i, o := range outcomes {
		if o != run.OutcomeOK {
			failed = append(failed, srcs[i].ID)
			for _, e := range sums[i].Errors {
				a.log.Error("crawl: "+e, "source", srcs[i].ID)
			}
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("crawl failed for source(s) %s", strings.Join(failed, ", "))
	}
	return nil
}
