package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/lga-digital/bulletin/internal/metrics"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/schedule"
)

// opsState is what the operators' routes need beyond the handlers'
// common dependencies.
type opsState struct {
	ready   atomic.Bool
	metrics atomic.Pointer[metrics.Metrics] // nil: no metrics
	// tokenSum is the SHA-256 of the admin token; comparing fixed-length
	// sums in constant time hides the token's length as well as its bytes.
	tokenSum [sha256.Size]byte
	hasToken bool
	// localSum is the SHA-256 of the token serve leaves for the CLI in the
	// data directory (see SetLocalToken).
	localSum [sha256.Size]byte
	hasLocal bool
}

// crawlRunner is what POST /api/crawl needs of the scheduler.
type crawlRunner interface {
	RunWith(id string, opt run.Options) error
}

// opsRoutes are the routes operators and orchestrators use.
func (s *Server) opsRoutes() {
	s.ops = &opsState{}
	if s.cfg.AdminToken != "" {
		s.ops.tokenSum, s.ops.hasToken = sha256.Sum256([]byte(s.cfg.AdminToken)), true
	}
	s.route("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.route("GET /readyz", s.readyz)
	s.route("GET /metrics", s.handle(s.metricsPage))
	s.route("POST /api/crawl", s.handle(s.startCrawl), anyOrigin)
	s.route("GET /status", s.handle(s.statusPage))
	s.route("GET /api/status", s.handle(s.statusAPI), anyOrigin)
}

// SetLocalToken makes POST /api/crawl accept tok as a bearer token too,
// even with no admin_token configured: serve writes tok to a file in the
// data directory that only its user may read, so that `bulletin crawl` run
// beside the server, which needs that directory anyway, can start crawls
// through it. Call it before serving.
func (s *Server) SetLocalToken(tok string) {
	if tok != "" {
		s.ops.localSum, s.ops.hasLocal = sha256.Sum256([]byte(tok)), true
	}
}

// SetReady says whether the server is ready for traffic: the CLI marks it
// ready once the index is open and the scheduler started, and not ready
// again when it begins to shut down. /readyz answers 503 until then.
func (s *Server) SetReady(ready bool) { s.ops.ready.Store(ready) }

// SetMetrics makes the server count its requests in m and serve m at
// /metrics; without it /metrics is a 404.
func (s *Server) SetMetrics(m *metrics.Metrics) { s.ops.metrics.Store(m) }

// readyBody is /readyz's answer when not ready: why, each reason apart.
type readyBody struct {
	Error   string   `json:"error"`
	Reasons []string `json:"reasons"`
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	reasons := s.Problems()
	if !s.ops.ready.Load() {
		reasons = append([]string{"starting or stopping"}, reasons...)
	}
	if len(reasons) > 0 {
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusServiceUnavailable, readyBody{Error: "not ready: " + strings.Join(reasons, "; "), Reasons: reasons})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) error {
	m := s.ops.metrics.Load()
	if m == nil {
		return notFound("metrics are off")
	}
	m.Handler().ServeHTTP(w, r)
	return nil
}

// startCrawl starts a crawl of ?source= now, for a caller with the admin
// bearer token: 202 when started, 409 when one is already running.
func (s *Server) startCrawl(w http.ResponseWriter, r *http.Request) error {
	off := notFound("the crawl API is off: set admin_token in the config or BULLETIN_ADMIN_TOKEN")
	if !s.ops.hasToken && !s.ops.hasLocal {
		return off
	}
	if !s.authorised(r) {
		if !s.ops.hasToken {
			return off
		}
		// Neither the token sent nor the one configured is logged.
		s.log.Warn("server: crawl request with a missing or wrong bearer token", "client", s.clientIP(r))
		w.Header().Set("WWW-Authenticate", `Bearer realm="bulletin"`)
		return &httpError{status: http.StatusUnauthorized, msg: "missing or wrong bearer token"}
	}
	id := r.URL.Query().Get("source")
	if id == "" {
		return badRequest("source is required, e.g. /api/crawl?source=" + s.cfg.Sources[0].ID)
	}
	if _, ok := s.cfg.Source(id); !ok {
		return notFound("unknown source: " + id)
	}
	// What `bulletin crawl --refetch --max-new N` asks of a running server.
	var opt run.Options
	switch v := r.URL.Query().Get("refetch"); v {
	case "", "0", "false":
	case "1", "true":
		opt.Refetch = true
	default:
		return badRequest(fmt.Sprintf("refetch must be 1 or 0, got %q", v))
	}
	n, err := intParam(r.URL.Query(), "max_new", 0, 0)
	if err != nil {
		return err
	}
	opt.MaxNew = n
	runner, ok := s.sched.(crawlRunner)
	if !ok || s.sched == nil {
		return &httpError{status: http.StatusServiceUnavailable, msg: "no scheduler to run crawls"}
	}
	switch err := runner.RunWith(id, opt); {
	case errors.Is(err, schedule.ErrRunning):
		return &httpError{status: http.StatusConflict, msg: "a crawl of " + id + " is already running"}
	case errors.Is(err, schedule.ErrUnknownSource):
		return notFound("unknown source: " + id)
	case err != nil:
		return err
	}
	s.log.Info("server: crawl started on request", "source", id, "refetch", opt.Refetch, "max_new", opt.MaxNew, "client", s.clientIP(r))
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "started", "source": id, "status_url": s.URL("/api/status")})
	return nil
}

// authorised reports whether r carries the admin token as a bearer token.
func (s *Server) authorised(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	admin := s.ops.hasToken && subtle.ConstantTimeCompare(sum[:], s.ops.tokenSum[:]) == 1
	local := s.ops.hasLocal && subtle.ConstantTimeCompare(sum[:], s.ops.localSum[:]) == 1
	return admin || local
}
