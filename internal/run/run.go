// Package run is what a crawl is to those who start it, record it and report
// on it: the Options a pass runs with, the Summary it returns, how it ended
// (Outcome, ErrUnreachable), what became of an e-mail a source received
// (Mail), and the History of each source's last crawl and e-mail, kept
// across restarts.
//
// It sits between the crawler and its callers so that the scheduler, the
// server and the CLI can speak of crawls without importing the ingest
// pipeline (fetch, parse, discover, snapshot and their libraries). It
// imports nothing of this module; crawl, schedule, inbox, api, server and cli
// import it.
package run

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Options tune one pass.
type Options struct {
	Refetch bool // download edition pages again even when snapshotted
	MaxNew  int  // stop after this many new edition downloads; 0 = no limit
}

// Summary tells what one pass did.
type Summary struct {
	Source     string        `json:"source"`
	Started    time.Time     `json:"started"`
	Duration   time.Duration `json:"duration"`
	Discovered int           `json:"discovered"` // distinct edition URLs found
	Fetched    int           `json:"fetched"`    // edition pages downloaded
	FromFeed   int           `json:"from_feed"`  // editions taken whole from a feed entry, with no page request
	Restored   int           `json:"restored"`   // indexed editions whose lost or damaged snapshot was taken again
	Editions   int           `json:"editions"`   // editions (re)indexed
	Items      int           `json:"items"`      // items in those editions
	Skipped    int           `json:"skipped"`    // bulletins of another series
	// Disallowed counts the pages robots.txt forbids us: skipped and
	// reported, not failures.
	Disallowed int `json:"disallowed"`
	// Failed counts the URLs that could not be fetched, parsed or kept; each
	// has its line in Errors.
	Failed int `json:"failed"`
	// Deferred counts the URLs not tried because their host had already
	// failed at the network level this pass; they wait for the next crawl.
	Deferred int `json:"deferred"`
	// Unreachable lists the hosts that failed at the network level this
	// pass (no answer, or none in time): a crawl worth retrying soon.
	Unreachable []string `json:"unreachable,omitempty"`
	Errors      []string `json:"errors,omitempty"`
	// Unreadable are the snapshots Reindex could not rebuild from, one per
	// file; each is also counted in Failed and Errors.
	Unreadable []Unreadable `json:"unreadable,omitempty"`
}

// Unreadable is a snapshot file a reindex could not use.
type Unreadable struct {
	File string `json:"file"`          // the meta file or blob
	URL  string `json:"url,omitempty"` // the edition URL; unknown when the meta file is garbled
	Err  string `json:"error"`         // what is wrong
}

// ErrUnreachable is wrapped by the error of a pass that found a host
// unreachable; the scheduler retries such a crawl with backoff.
var ErrUnreachable = errors.New("host unreachable")

// Err summarises the failures of a pass as one error, or nil. It wraps
// ErrUnreachable when a host did not answer.
func (s *Summary) Err() error {
	if len(s.Errors) == 0 {
		return nil
	}
	err := fmt.Errorf("source %s: %d failure(s); first: %s", s.Source, len(s.Errors), s.Errors[0])
	if len(s.Unreachable) > 0 {
		err = fmt.Errorf("%w (%w: %s)", err, ErrUnreachable, strings.Join(s.Unreachable, ", "))
	}
	return err
}

// Outcomes of a crawl, as in Entry.Outcome.
const (
	OutcomeOK     = "ok"     // no failure
	OutcomeFailed = "failed" // some URL failed; what could be crawled was kept
	OutcomePanic  = "panic"  // the crawl panicked and was recovered
)

// Outcomes of a received e-mail, as in Mail.Outcome.
const (
	MailIndexed   = "indexed"   // its edition was indexed (new or changed)
	MailUnchanged = "unchanged" // the same bulletin was indexed already
	MailSkipped   = "skipped"   // a bulletin of another series (the source's match)
	MailFailed    = "failed"    // kept, but it could not be read or parsed
	MailDeferred  = "deferred"  // not kept, a failure on our side: the sender was told to try again
	MailRefused   = "refused"   // refused: sender, DKIM signature or size
)

// Mail is an e-mail a source received and what became of it.
type Mail struct {
	Received  time.Time `json:"received"`
	From      string    `json:"from,omitempty"` // the From: address, else the envelope sender
	Subject   string    `json:"subject,omitempty"`
	MessageID string    `json:"message_id,omitempty"`
	URL       string    `json:"url,omitempty"` // the edition's address, or the kept message's
	Outcome   string    `json:"outcome"`       // MailIndexed, MailUnchanged, …
	Error     string    `json:"error,omitempty"`
	Editions  int       `json:"editions"`
	Items     int       `json:"items"`
}
