// Package server is bulletin's HTTP surface: feeds per source, per edition
// and per search, the search API and page, and the JSON records. It is the
// only package that knows HTTP.
//
// It imports config, model, index, feed and api (the JSON bodies it
// writes), and schedule and run for the crawls' status; never crawl or the
// stages of ingest.
// Nothing but the CLI may import it.
package server

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/feed"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/schedule"
)

//go:embed templates/*.html templates/*.css
var templateFS embed.FS

// Scheduler is what the server needs of the crawl scheduler.
type Scheduler interface {
	Status() []schedule.Status
}

// indexView is what the handlers read of the index; *index.Index
// implements it. Tests put a counting, failing or synthetic index in its
// place.
type indexView interface {
	Search(ctx context.Context, req index.Request) (*index.Result, error)
	Editions(ctx context.Context, source string) ([]model.Edition, error)
	EditionsPage(ctx context.Context, source string, skip, n int) ([]model.Edition, int, error)
	LatestEditions(ctx context.Context, source string, n int) ([]model.Edition, int, error)
	EditionItems(ctx context.Context, editionID string) ([]model.Item, error)
	Edition(ctx context.Context, id string) (model.Edition, bool, error)
	Item(ctx context.Context, id string) (model.Item, bool, error)
	Stats(ctx context.Context) (index.Stats, error)
	Err() error
}

// Server holds the dependencies of the handlers.
type Server struct {
	cfg   *config.Config
	idx   indexView
	sched Scheduler // may be nil
	ops   *opsState // readiness, metrics, crawl trigger: see ops.go
	log   *slog.Logger
	tmpl  *template.Template
	base  *url.URL // cfg.BaseURL parsed; its path is the mount point
	mux   *http.ServeMux
	// preflights are the paths whose OPTIONS route is registered (route).
	preflights map[string]bool
	feeds      *FeedCache // the rendered-feed cache
	site       feed.Site  // bulletin's own item and edition pages, for links
	// changes dates each feed document by when its bytes last changed
	// (Last-Modified, calendars' DTSTAMP): see feeds_changes.go.
	changes *changeLog
	// compressed is the routes behind the security headers and
	// compression (compress.go): Handler's core.
	compressed http.Handler
	// health holds the problems that make /readyz 503: see health.go.
	health *health
}

// An Option configures a Server that New builds.
type Option func(*Server)

// WithFeedCache has the server keep its rendered feeds in c, so that the
// crawl scheduler, built before the server, can drop a source's feeds
// (c.InvalidateSource) after a crawl without referring to the server.
func WithFeedCache(c *FeedCache) Option { return func(s *Server) { s.feeds = c } }

// New builds a server. sched may be nil (no crawl status).
func New(cfg *config.Config, idx *index.Index, sched Scheduler, log *slog.Logger, opts ...Option) (*Server, error) {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, idx: idx, sched: sched, log: log, base: base, mux: http.NewServeMux(),
		preflights: map[string]bool{},
		site:       feed.Site{Base: cfg.BaseURL}, changes: newChangeLog(), health: newHealth()}
	s.feeds = NewFeedCache()
	for _, o := range opts {
		o(s)
	}
	s.tmpl, err = template.New("").Funcs(s.funcs()).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	s.routes()
	if s.compressed, err = compress(s.secure(s.withRoute(s.mux))); err != nil {
		return nil, err
	}
	return s, nil
}

// routes registers every route. Each concern registers its own routes in
// its own file, so that the table reads as the design notes' table does.
func (s *Server) routes() {
	s.pageRoutes()
	s.recordRoutes()
	s.embedJSRoutes()
	s.feedRoutes()
	s.apiRoutes()
	s.opsRoutes()
	s.route("/", s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return notFound("no such page: " + r.URL.Path)
	}))
}

// Handler returns the server's root handler, mounted under the base URL's
// path when it has one.
func (s *Server) Handler() http.Handler {
	h := s.compressed
	if p := strings.TrimRight(s.base.Path, "/"); p != "" {
		h = http.StripPrefix(p, h)
	}
	return s.observe(s.withDeadline(h))
}

// withDeadline ends each request's context after RequestTimeout, so that a
// search or a feed render stops rather than run on; the context also ends
// when the client goes away.
func (s *Server) withDeadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// URL returns the absolute URL of a path on this server (path starts with "/").
func (s *Server) URL(path string) string {
	return strings.TrimRight(s.cfg.BaseURL, "/") + path
}

// Bounds of every request: the time to send the request, to compute and
// write the response (the handler's context ends at RequestTimeout, which
// stops a search), and how long an idle keep-alive connection stays open.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second
	RequestTimeout    = 20 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 2 * time.Minute
)

// ListenAndServe binds the configured listen address and serves there
// (see Serve).
func (s *Server) ListenAndServe(ctx context.Context, grace time.Duration) error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	return s.Serve(ctx, ln, grace)
}

// Serve serves on ln until ctx is cancelled, then shuts down gracefully,
// letting in-flight requests finish within grace. It logs once it is
// listening, with the bound address, and when it shuts down.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout: ReadTimeout, WriteTimeout: WriteTimeout, IdleTimeout: IdleTimeout,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("listening", "addr", ln.Addr().String(), "base_url", s.cfg.BaseURL)
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down: no new requests; letting those in flight finish", "grace", grace)
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
