// Package metrics holds bulletin's Prometheus metrics
// (github.com/prometheus/client_golang) in a registry of its own, passed
// explicitly to whoever records: no global default registry.
//
// It imports nothing of this module. The CLI creates one Metrics for serve,
// hands its hooks to the fetch client and the scheduler, and gives it to the
// server, which instruments its routes and serves /metrics.
package metrics

import (
	"io/fs"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the collectors of one bulletin process.
type Metrics struct {
	reg           *prometheus.Registry
	fetches       *prometheus.CounterVec
	crawlDuration *prometheus.HistogramVec
	crawlLastOK   *prometheus.GaugeVec
	editions      *prometheus.CounterVec
	items         *prometheus.CounterVec
	httpRequests  *prometheus.CounterVec
	httpDuration  *prometheus.HistogramVec
	mailMessages  *prometheus.CounterVec
	mailRefused   *prometheus.CounterVec
	httpPanics    *prometheus.CounterVec
}

// New registers bulletin's metrics, and the Go runtime and process ones, in a
// fresh registry. indexDir is the Bleve index directory whose size on disk
// bulletin_index_size_bytes reports at each scrape.
func New(indexDir string) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bulletin_fetches_total",
			Help: "HTTP exchanges of the crawler (robots.txt, redirects and retries included) by host and status; status 0 means no response.",
		}, []string{"host", "status"}),
		crawlDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "bulletin_crawl_duration_seconds",
			Help:    "Duration of crawls by source and outcome (ok, failed, panic).",
			Buckets: []float64{0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800},
		}, []string{"source", "outcome"}),
		crawlLastOK: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "bulletin_crawl_last_success_timestamp_seconds",
			Help: "Unix time at which the last crawl of a source without any failure ended.",
		}, []string{"source"}),
		editions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bulletin_editions_indexed_total",
			Help: "Editions indexed (or indexed again) by crawls and received e-mail, by source.",
		}, []string{"source"}),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bulletin_items_indexed_total",
			Help: "Items in the editions indexed by crawls and received e-mail, by source.",
		}, []string{"source"}),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bulletin_http_requests_total",
			Help: "HTTP requests served, by route pattern and status code.",
		}, []string{"route", "code"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "bulletin_http_request_duration_seconds",
			Help:    "Time to serve HTTP requests, by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		mailMessages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bulletin_mail_messages_total",
			Help: "E-mails received for a source, by source and outcome (indexed, unchanged, skipped, failed, deferred, refused).",
		}, []string{"source", "outcome"}),
		mailRefused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bulletin_mail_refused_total",
			Help: "SMTP commands, messages and connections refused, by reason (relay, size, sender, dkim, limit, timeout, protocol, …).",
		}, []string{"reason"}),
		httpPanics: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bulletin_http_panics_total",
			Help: "Handler panics recovered (each also counted as a 500 in bulletin_http_requests_total), by route pattern.",
		}, []string{"route"}),
	}
	indexSize := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "bulletin_index_size_bytes",
		Help: "Bytes on disk of the search index directory.",
	}, func() float64 { return float64(DirSize(indexDir)) })
	m.reg.MustRegister(m.fetches, m.crawlDuration, m.crawlLastOK, m.editions, m.items,
		m.httpRequests, m.httpDuration, m.mailMessages, m.mailRefused, m.httpPanics, indexSize,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the registry the metrics live in, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Fetched counts one HTTP exchange of the crawler; its signature fits
// fetch.Options.Observe.
func (m *Metrics) Fetched(host string, status int) {
	m.fetches.WithLabelValues(host, strconv.Itoa(status)).Inc()
}

// CrawlDone records a finished crawl: its duration and outcome, and the
// editions and items it indexed.
func (m *Metrics) CrawlDone(source, outcome string, d time.Duration, editions, items int, end time.Time) {
	m.crawlDuration.WithLabelValues(source, outcome).Observe(d.Seconds())
	m.editions.WithLabelValues(source).Add(float64(editions))
	m.items.WithLabelValues(source).Add(float64(items))
	if outcome == "ok" {
		m.crawlLastOK.WithLabelValues(source).Set(float64(end.Unix()))
	}
}

// MailReceived records an e-mail received for a source: its outcome, and
// the editions and items it indexed.
func (m *Metrics) MailReceived(source, outcome string, editions, items int) {
	m.mailMessages.WithLabelValues(source, outcome).Inc()
	m.editions.WithLabelValues(source).Add(float64(editions))
	m.items.WithLabelValues(source).Add(float64(items))
}

// MailRefused counts one refusal of the SMTP listener, by reason.
func (m *Metrics) MailRefused(reason string) {
	m.mailRefused.WithLabelValues(reason).Inc()
}

// Served records one HTTP request: the route pattern that handled it, its
// status code and how long it took.
func (m *Metrics) Served(route string, code int, d time.Duration) {
	m.httpRequests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.httpDuration.WithLabelValues(route).Observe(d.Seconds())
}

// Panicked records a handler panic the server recovered, by route pattern.
func (m *Metrics) Panicked(route string) {
	m.httpPanics.WithLabelValues(route).Inc()
}

// DirSize is the total size of the regular files under dir; 0 when dir
// cannot be read. Files that vanish during the walk are skipped.
func DirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a file removed while walking, or an unreadable one
		}
		if d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
