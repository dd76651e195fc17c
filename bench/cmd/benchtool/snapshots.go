package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lga-digital/bulletin/internal/corpus"
	"github.com/lga-digital/bulletin/internal/snapshot"
)

// snapshotsCmd puts the series editions of a corpus directory written by
// `bulletin gen-corpus` into a snapshot store, as a crawl of the corpus
// served at -origin would have kept them (status fetched, not yet indexed),
// so that one `bulletin reindex` builds the index. A first crawl indexes
// each new edition by itself, which at 1M items (50,000 editions) takes
// hours on a small machine; reindex fills the index in bulk. The other
// series' bulletins are left out, as the crawl skips them by their title.
func snapshotsCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("snapshots", flag.ContinueOnError)
	dir := fs.String("site", "", "corpus directory (bulletin gen-corpus --out)")
	data := fs.String("snapshots", "", "snapshot store to fill (data_dir/snapshots)")
	origin := fs.String("origin", "", "scheme and host the pages' URLs take, e.g. http://127.0.0.1:8080")
	source := fs.String("source", "lga-cdt", "source id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || *data == "" || *origin == "" {
		return errors.New("-site, -snapshots and -origin are required")
	}
	start := time.Now()
	var m corpus.Manifest
	js, err := os.ReadFile(filepath.Join(*dir, "manifest.json"))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(js, &m); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(*dir, "manifest.json"), err)
	}
	c, err := corpus.New(m.Options)
	if err != nil {
		return err
	}
	st, err := snapshot.Open(*data)
	if err != nil {
		return err
	}
	var series []corpus.Edition
	for _, e := range c.Editions() {
		if e.Series {
			series = append(series, e)
		}
	}
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		errMu sync.Mutex
		first error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(series) || ctx.Err() != nil {
					return
				}
				e := series[i]
				page, err := os.ReadFile(filepath.Join(*dir, filepath.FromSlash(e.Path)+".html"))
				if err == nil {
					page = bytes.ReplaceAll(page, []byte(corpus.Base), []byte(*origin))
					_, err = st.Put(ctx, snapshot.Meta{Source: *source, Kind: snapshot.KindEdition,
						URL: *origin + e.Path, ContentType: "text/html", FetchedAt: time.Now().UTC(),
						Status: snapshot.StatusFetched}, page)
				}
				if err != nil {
					errMu.Lock()
					first = cmp.Or(first, err)
					errMu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := cmp.Or(first, ctx.Err()); err != nil {
		return err
	}
	fmt.Printf("editions=%d items=%d seconds=%.1f\n", len(series), m.Items, time.Since(start).Seconds())
	return nil
}
