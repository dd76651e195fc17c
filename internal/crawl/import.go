package crawl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/mailpage"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/snapshot"
)

// Import brings a locally saved bulletin (an .html page or an .eml e-mail)
// into the source; an e-mail's Subject and Date headers are the carrier of
// its body (parse.Options.Carrier). It is kept as a snapshot, so that reindex keeps it, and
// indexed like a crawled page. Importing the same file again changes nothing.
func (c *Crawler) Import(ctx context.Context, src *config.Source, name string, data []byte) (run.Summary, error) {
	p := &pass{Crawler: c, src: src, sum: run.Summary{Source: src.ID, Started: time.Now(), Discovered: 1}}
	defer func() { p.sum.Duration = time.Since(p.sum.Started) }()
	page, err := mailpage.Read(name, data)
	if err != nil {
		p.fail(name, err)
		return p.sum, p.sum.Err()
	}
	sum := sha256.Sum256(page.Body)
	prev, had, err := c.Store.Get(ctx, src.ID, page.URL)
	if err != nil {
		p.fail(name, err)
		return p.sum, p.sum.Err()
	}
	if had && prev.SHA256 == hex.EncodeToString(sum[:]) {
		switch done, skipped := p.finished(ctx, prev); {
		case skipped:
			p.sum.Skipped++
			return p.sum, nil
		case done:
			c.Log.Info("import: already imported, nothing changed", "source", src.ID, "file", name, "url", page.URL)
			return p.sum, nil
		}
	}
	meta := snapshot.Meta{Source: src.ID, Kind: snapshot.KindEdition, URL: page.URL,
		ContentType: page.ContentType, FetchedAt: time.Now().UTC(), Status: snapshot.StatusFetched, Note: "imported from " + name}
	if page.Subject != "" || !page.Date.IsZero() {
		// The e-mail's Subject and Date: the title and date of a body that
		// states none, kept with the snapshot so that reindex agrees.
		meta.Carrier = &snapshot.Carrier{Subject: page.Subject, Published: page.Date}
	}
	m, err := c.Store.Put(ctx, meta, page.Body)
	if err != nil {
		p.fail(name, fmt.Errorf("keep %s: %w", page.URL, err))
		return p.sum, p.sum.Err()
	}
	p.sum.Fetched++
	p.process(ctx, m, page.Body)
	return p.sum, p.sum.Err()
}
