package crawl

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/mailpage"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/snapshot"
)

// KindMail is the snapshot kind of a received e-mail that could not be read
// as a bulletin (no HTML part, broken MIME): the message is kept as it came,
// its Note says why it failed. A reindex does not read it.
const KindMail snapshot.Kind = "mail"

// ErrLocal marks a failure on this side — a snapshot or the index could not
// be written (disk full, I/O error) — rather than in the message: the
// sender should try again later.
var ErrLocal = errors.New("cannot keep the message now")

// Received is what became of one received e-mail.
type Received struct {
	run.Summary
	// URL is the edition's address (its web copy, else mid:<Message-ID>),
	// or, for a message that could not be read, the kept message's.
	URL string
	// Unchanged is true when the same bulletin was already indexed.
	Unchanged bool
}

// Receive brings a bulletin received by e-mail into the source: the message
// is read and indexed exactly as `bulletin import` does with a saved .eml
// (Import), so the web-copy link makes it the same edition as a crawled
// page, and the same message received again changes nothing. A message
// that cannot be read or parsed is kept all the same, as a snapshot whose
// status says why, and reported in the Summary's errors; the returned error
// is then nil. The error is non-nil, wrapping ErrLocal, only when the
// failure is on this side.
func (c *Crawler) Receive(ctx context.Context, src *config.Source, msg []byte) (Received, error) {
	var mid string // the message's mid: URL, if it has a Message-ID
	if h, err := mail.ReadMessage(bytes.NewReader(msg)); err == nil {
		mid = mailpage.MessageURL(h.Header.Get("Message-Id"))
	}
	name := "e-mail.eml"
	if mid != "" {
		name = "e-mail " + mid + ".eml"
	}
	page, err := mailpage.Read(name, msg)
	if err != nil {
		return c.keepUnreadable(ctx, src, name, mid, msg, err)
	}
	r := Received{URL: page.URL}
	r.Summary, err = c.Import(ctx, src, name, msg)
	if err == nil {
		r.Unchanged = r.Editions == 0 && r.Skipped == 0
		return r, nil
	}
	// A parse error leaves this very page kept and marked with it: the
	// message's fault. Any other failure is ours.
	m, ok, gerr := c.Store.Get(ctx, src.ID, page.URL)
	sum := sha256.Sum256(page.Body)
	if gerr == nil && ok && m.SHA256 == hex.EncodeToString(sum[:]) && m.Status == snapshot.StatusParseError {
		return r, nil
	}
	return r, fmt.Errorf("%w: %v", ErrLocal, err)
}

// keepUnreadable keeps a message that is not a readable bulletin as a
// KindMail snapshot, keyed by its Message-ID (else its hash), so that the
// same message received again replaces it rather than adding another.
func (c *Crawler) keepUnreadable(ctx context.Context, src *config.Source, name, mid string, msg []byte, readErr error) (Received, error) {
	r := Received{Summary: run.Summary{Source: src.ID, Started: time.Now(), Discovered: 1, Failed: 1}, URL: mid}
	if r.URL == "" {
		sum := sha256.Sum256(msg)
		r.URL = "urn:sha256:" + hex.EncodeToString(sum[:])
	}
	msgErr := fmt.Sprintf("%s: %v", r.URL, readErr)
	r.Errors = []string{msgErr}
	c.Log.Error("mail: "+name+" is not a readable bulletin; kept as it came", "source", src.ID, "url", r.URL, "err", readErr)
	if _, err := c.Store.Put(ctx, snapshot.Meta{Source: src.ID, Kind: KindMail, URL: r.URL, ContentType: "message/rfc822",
		FetchedAt: time.Now().UTC(), Status: snapshot.StatusParseError, Note: readErr.Error()}, msg); err != nil {
		return r, fmt.Errorf("%w: keep %s: %v", ErrLocal, r.URL, err)
	}
	r.Duration = time.Since(r.Started)
	return r, nil
}
