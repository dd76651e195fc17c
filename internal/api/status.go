package api

import (
	"time"

	"github.com/lga-digital/bulletin/internal/run"
)

// StatusResponse is the body of /api/status: each source's crawl state and
// what the index holds.
type StatusResponse struct {
	Generated time.Time      `json:"generated"`
	Ready     bool           `json:"ready"`
	Problems  []string       `json:"problems"` // why not ready, as /readyz says
	Sources   []SourceStatus `json:"sources"`
	Index     IndexStatus    `json:"index"`
}

// SourceStatus is one source's crawl state.
type SourceStatus struct {
	ID           string       `json:"id"`
	Title        string       `json:"title"`
	Schedule     string       `json:"schedule,omitempty"`
	Timezone     string       `json:"timezone"`
	Running      bool         `json:"running"`
	RunningSince time.Time    `json:"running_since,omitzero"`
	Next         time.Time    `json:"next_run,omitzero"`
	LastCrawl    *CrawlStatus `json:"last_crawl,omitempty"`
	LastSuccess  time.Time    `json:"last_success,omitzero"`
	LastError    string       `json:"last_error,omitempty"`
	// RetryAt is when a crawl that failed for lack of network is tried
	// again, Retries how many such failures came in a row.
	RetryAt  time.Time `json:"retry_at,omitzero"`
	Retries  int       `json:"retries,omitempty"`
	Editions int       `json:"editions"` // in the index
	Items    int       `json:"items"`    // in the index
	// Mail are the source's addresses; LastMail the last e-mail received
	// for it and what became of it.
	Mail     []string  `json:"mail,omitempty"`
	LastMail *run.Mail `json:"last_mail,omitempty"`
}

// CrawlStatus is what the last crawl of a source did.
type CrawlStatus struct {
	Started         time.Time `json:"started"`
	DurationSeconds float64   `json:"duration_seconds"`
	Outcome         string    `json:"outcome"` // ok, failed or panic
	Discovered      int       `json:"discovered"`
	Fetched         int       `json:"fetched"`
	FromFeed        int       `json:"from_feed"` // editions taken whole from feed entries
	Restored        int       `json:"restored"`  // editions whose lost snapshot was taken again
	Editions        int       `json:"editions"`  // editions (re)indexed
	Items           int       `json:"items"`     // items in them
	Skipped         int       `json:"skipped"`
	Disallowed      int       `json:"disallowed"` // pages robots.txt forbids: skipped, not failures
	Failed          int       `json:"failed"`     // URLs that failed, one error each
	Deferred        int       `json:"deferred"`   // URLs not tried: their host was unreachable
	Unreachable     []string  `json:"unreachable,omitempty"`
	Errors          []string  `json:"errors,omitempty"` // the first few
}

// IndexStatus is the size of the index.
type IndexStatus struct {
	Editions  int   `json:"editions"`
	Items     int   `json:"items"`
	SizeBytes int64 `json:"size_bytes"`
}
