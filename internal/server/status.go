package server

import (
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lga-digital/bulletin/internal/api"
	"github.com/lga-digital/bulletin/internal/metrics"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/schedule"
)

// maxStatusErrors bounds the errors of the last crawl that /api/status lists.
const maxStatusErrors = 10

// status gathers the scheduler's and the index's view of every source.
func (s *Server) status(r *http.Request) (api.StatusResponse, error) {
	problems := s.Problems()
	resp := api.StatusResponse{Generated: time.Now().UTC(), Ready: s.ops.ready.Load() && len(problems) == 0,
		Problems: problems, Sources: []api.SourceStatus{}}
	stats, err := s.idx.Stats(r.Context())
	if err != nil {
		return resp, err
	}
	resp.Index = api.IndexStatus{Editions: stats.Editions, Items: stats.Items,
		SizeBytes: metrics.DirSize(filepath.Join(s.cfg.DataDir, "index"))}
	crawls := map[string]schedule.Status{}
	if s.sched != nil {
		for _, st := range s.sched.Status() {
			crawls[st.Source] = st
		}
	}
	for i := range s.cfg.Sources {
		src := &s.cfg.Sources[i]
		ss := api.SourceStatus{ID: src.ID, Title: src.Title, Schedule: src.Schedule, Timezone: src.Timezone, Mail: src.Mail}
		for _, n := range stats.Sources {
			if n.Source == src.ID {
				ss.Editions, ss.Items = n.Editions, n.Items
			}
		}
		if st, ok := crawls[src.ID]; ok {
			ss.Running, ss.RunningSince, ss.Next = st.Running, st.RunningSince, st.Next
			ss.LastSuccess, ss.LastError = st.LastSuccess, st.LastErr
			ss.LastMail = st.LastMail
			ss.RetryAt, ss.Retries = st.RetryAt, st.Retries
			if l := st.Last; l != nil {
				ss.LastCrawl = &api.CrawlStatus{Started: l.Started, DurationSeconds: l.Duration.Seconds(), Outcome: st.Outcome,
					Discovered: l.Discovered, Fetched: l.Fetched, FromFeed: l.FromFeed, Restored: l.Restored, Editions: l.Editions, Items: l.Items,
					Skipped: l.Skipped, Disallowed: l.Disallowed, Failed: l.Failed, Deferred: l.Deferred,
					Unreachable: l.Unreachable, Errors: l.Errors[:min(len(l.Errors), maxStatusErrors)]}
			}
		}
		resp.Sources = append(resp.Sources, ss)
	}
	return resp, nil
}

func (s *Server) statusAPI(w http.ResponseWriter, r *http.Request) error {
	resp, err := s.status(r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// statusRow is one source as the status page shows it: every value already
// a string, times in the source's time zone.
type statusRow struct {
	ID, Title                     string
	State                         string // "Running", "OK", "Failed", …
	Problem                       bool   // the last crawl failed
	Started, StartedISO, Duration string
	Editions, Items               int // added by the last crawl
	Fetched, Failed, Deferred     int
	Disallowed                    int
	LastSuccess, LastError        string
	Next, NextISO                 string
	Retry                         bool // Next is a retry after a failure for lack of network
	IndexEditions, IndexItems     int
	MailTo                        string   // the source's addresses
	Mail                          *mailRow // the last e-mail received, if any
}

// mailRow is the last e-mail a source received, as the status page shows it.
type mailRow struct {
	Received, ReceivedISO string
	From, Subject, URL    string
	Outcome, Error        string
	Problem               bool // refused, deferred or failed
}

func (s *Server) statusPage(w http.ResponseWriter, r *http.Request) error {
	resp, err := s.status(r)
	if err != nil {
		return err
	}
	data := struct {
		page
		Ready    bool
		Problems []string
		Mail     bool // some source receives e-mail
		Rows     []statusRow
		Index    api.IndexStatus
		Size     string
	}{page: page{Title: "Status"}, Ready: resp.Ready, Problems: resp.Problems, Index: resp.Index, Size: byteSize(resp.Index.SizeBytes)}
	for i, ss := range resp.Sources {
		loc := s.cfg.Sources[i].Location
		row := statusRow{ID: ss.ID, Title: ss.Title, State: "No crawl yet",
			LastSuccess: "never", LastError: ss.LastError, IndexEditions: ss.Editions, IndexItems: ss.Items,
			Next: "not scheduled"}
		if !ss.LastSuccess.IsZero() {
			row.LastSuccess = clock(ss.LastSuccess, loc)
		}
		if !ss.Next.IsZero() {
			row.Next, row.NextISO = clock(ss.Next, loc), ss.Next.UTC().Format(time.RFC3339)
		}
		if !ss.RetryAt.IsZero() && (ss.Next.IsZero() || ss.RetryAt.Before(ss.Next)) {
			row.Next, row.NextISO, row.Retry = clock(ss.RetryAt, loc), ss.RetryAt.UTC().Format(time.RFC3339), true
		}
		if c := ss.LastCrawl; c != nil {
			row.Started, row.StartedISO = clock(c.Started, loc), c.Started.UTC().Format(time.RFC3339)
			row.Duration = (time.Duration(c.DurationSeconds * float64(time.Second))).Round(time.Millisecond).String()
			row.Editions, row.Items, row.Fetched, row.Failed = c.Editions, c.Items, c.Fetched, c.Failed
			row.Deferred, row.Disallowed = c.Deferred, c.Disallowed
			row.State, row.Problem = outcomeText(c.Outcome), c.Outcome != run.OutcomeOK
		}
		if ss.Running {
			row.State = "Running since " + clock(ss.RunningSince, loc)
		}
		row.MailTo = strings.Join(ss.Mail, ", ")
		if lm := ss.LastMail; lm != nil {
			row.Mail = &mailRow{Received: clock(lm.Received, loc), ReceivedISO: lm.Received.UTC().Format(time.RFC3339),
				From: lm.From, Subject: lm.Subject, URL: lm.URL, Outcome: lm.Outcome, Error: lm.Error,
				Problem: lm.Outcome == run.MailRefused || lm.Outcome == run.MailDeferred || lm.Outcome == run.MailFailed}
		}
		data.Mail = data.Mail || row.MailTo != "" || row.Mail != nil
		data.Rows = append(data.Rows, row)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, http.StatusOK, "status.html", data)
}

func outcomeText(o string) string {
	switch o {
	case run.OutcomeOK:
		return "OK"
	case run.OutcomeFailed:
		return "Failed"
	case run.OutcomePanic:
		return "Crashed (recovered)"
	}
	return o
}

// clock formats a time for people, in the source's time zone.
func clock(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2 Jan 2006 15:04 MST")
}

// byteSize writes n bytes as B, KiB, MiB or GiB.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, suffix := float64(n)/unit, "KiB"
	for _, s := range []string{"MiB", "GiB", "TiB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + suffix
}
