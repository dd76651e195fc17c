package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/lga-digital/bulletin/internal/corpus"
)

// genCorpus writes a generated GovDelivery-like archive (internal/corpus) to
// a directory and, with --serve, serves it until interrupted.
func (a *app) genCorpus(ctx context.Context, args []string) error {
	fs := a.flags("gen-corpus")
	out := fs.String("out", "", "directory to write the site to (required)")
	editions := fs.Int("editions", 100, fmt.Sprintf("editions of the series, 1 to %d", corpus.MaxEditions))
	seed := fs.Uint64("seed", 1, "random seed; the same seed writes the same bytes")
	perPage := fs.Int("per-page", 100, "bulletins per list page")
	feedItems := fs.Int("feed-items", 20, "bulletins in bulletins.rss")
	serve := fs.String("serve", "", "then serve the site on this address (e.g. 127.0.0.1:8090) until interrupted")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return &usageError{fmt.Sprintf("gen-corpus takes no arguments, got %q", rest)}
	}
	if *out == "" {
		return &usageError{"gen-corpus: --out DIR is required"}
	}
	c, err := corpus.New(corpus.Options{Editions: *editions, Seed: *seed, PerPage: *perPage, FeedItems: *feedItems})
	if err != nil {
		return &usageError{err.Error()}
	}
	start := time.Now()
	m, err := c.Write(ctx, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "wrote %d editions (%d of the series, %d items, %.1f MiB of pages) to %s in %s\n",
		m.Editions, m.Series, m.Items, float64(m.Bytes)/(1<<20), *out, time.Since(start).Round(time.Millisecond))
	if *serve == "" {
		return nil
	}
	ln, err := net.Listen("tcp", *serve)
	if err != nil {
		return fmt.Errorf("gen-corpus: %w", err)
	}
	srv := &http.Server{Handler: corpus.NewSite(*out), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(a.stdout, "serving http://%s%s and %s\n", ln.Addr(), corpus.FeedPath, corpus.ListPath)
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("gen-corpus: %w", err)
	}
	return nil
}
