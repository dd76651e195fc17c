package cli

import (
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/metrics"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/schedule"
	"github.com/lga-digital/bulletin/internal/snapshot"
)

// crawlers builds a crawler per source. Sources whose URLs share a host
// share one polite client, with the largest of their delays, so that a host
// never sees two requests at once even when the scheduler crawls those
// sources at the same time; other sources get a client each, so a slow
// host does not hold up another. observe, when set, sees every HTTP
// exchange (for metrics).
func (a *app) crawlers(srcs []*config.Source, st *snapshot.Store, idx *index.Index, observe func(host string, status int)) map[string]*crawl.Crawler {
	out := make(map[string]*crawl.Crawler, len(srcs))
	for _, group := range clientGroups(srcs) {
		client := fetch.New(fetch.Options{Delay: groupDelay(srcs, group), Logger: a.log, Observe: observe})
		for _, i := range group {
			out[srcs[i].ID] = &crawl.Crawler{Fetch: client, Store: st, Index: idx, Log: a.log, Orgs: a.orgs}
		}
	}
	return out
}

// clientGroups partitions the sources (by index) into groups that share a
// host, directly or through another source; each group is in config order.
func clientGroups(srcs []*config.Source) [][]int {
	parent := make([]int, len(srcs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	byHost := map[string]int{}
	for i, src := range srcs {
		for _, h := range src.Hosts {
			if j, ok := byHost[h]; ok {
				a, b := find(i), find(j)
				parent[max(a, b)] = min(a, b)
			} else {
				byHost[h] = i
			}
		}
	}
	var groups [][]int
	at := map[int]int{}
	for i := range srcs {
		r := find(i)
		g, ok := at[r]
		if !ok {
			g = len(groups)
			at[r] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	for _, g := range groups {
		slices.Sort(g)
	}
	return groups
}

// groupDelay is the largest delay of the sources of a group.
func groupDelay(srcs []*config.Source, group []int) time.Duration {
	var d time.Duration
	for _, i := range group {
		d = max(d, srcs[i].Delay)
	}
	return d
}

// maxNew is the limit of new editions for a crawl of src: the --max-new
// flag when given, else the source's max_new.
func maxNew(flag int, src *config.Source) int {
	if flag > 0 {
		return flag
	}
	return src.MaxNew
}

// recordCrawl records a finished crawl in the metrics.
func recordCrawl(m *metrics.Metrics, st schedule.Status) {
	if st.Last == nil {
		return
	}
	l := st.Last
	m.CrawlDone(st.Source, st.Outcome, l.Duration, l.Editions, l.Items, l.Started.Add(l.Duration))
}

// loggerTo is a logger in the chosen --log-format writing to w.
func (a *app) loggerTo(w io.Writer) *slog.Logger {
	if a.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// openHistory opens the crawl history that serve's /status shows, kept in
// the data directory across restarts.
func openHistory(cfg *config.Config, log *slog.Logger) *run.History {
	return run.Open(statePath(cfg), schedule.SourceIDs(cfg.Sources), log)
}

// statePath is the file that keeps each source's last crawl.
func statePath(cfg *config.Config) string { return filepath.Join(cfg.DataDir, "crawls.json") }
