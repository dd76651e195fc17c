package crawl_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/corpus"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/snapshot"
	"github.com/lga-digital/bulletin/internal/testenv"
)

// orderIndex records the order in which editions are put, and may cancel
// the reindex after a number of puts.
type orderIndex struct {
	*testenv.MemIndex
	mu     sync.Mutex
	urls   []string
	cancel func()
	after  int
}

func (ix *orderIndex) PutEdition(ctx context.Context, ed model.Edition, items []model.Item) error {
	ix.mu.Lock()
	ix.urls = append(ix.urls, ed.URL)
	if ix.cancel != nil && len(ix.urls) == ix.after {
		ix.cancel()
	}
	ix.mu.Unlock()
	return ix.MemIndex.PutEdition(ctx, ed, items)
}

// TestReindexInOrder: a reindex indexes the snapshots, and reports the one
// it cannot read, in the order of the snapshots; cancelled, it stops.
func TestReindexInOrder(t *testing.T) {
	ctx := context.Background()
	gen, err := corpus.New(corpus.Options{Editions: 30, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	st, err := snapshot.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	var broken snapshot.Meta
	for _, e := range gen.Editions() {
		if !e.Series {
			continue
		}
		const origin = "https://content.govdelivery.com"
		body, _ := gen.Page(e.ID)
		body = bytes.ReplaceAll(body, []byte(corpus.Base), []byte(origin))
		u := origin + e.Path
		m, err := st.Put(ctx, snapshot.Meta{Source: "s", Kind: snapshot.KindEdition, URL: u, ContentType: "text/html; charset=utf-8", FetchedAt: time.Now()}, body)
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, u)
		if len(urls) == 7 {
			broken = m
		}
	}
	if err := os.Remove(st.BlobFile(broken)); err != nil {
		t.Fatal(err)
	}
	metas, err := st.List(ctx, "s", snapshot.KindEdition)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, m := range metas {
		if m.URL != broken.URL {
			want = append(want, m.URL)
		}
	}
	src := source(t, "editions = [\""+urls[0]+"\"]\nmatch = '(?i)cyber'")

	ix := &orderIndex{MemIndex: testenv.NewMemIndex()}
	c := &crawl.Crawler{Store: st, Index: ix, Log: textLogger(io.Discard)}
	sum, err := c.Reindex(ctx, src, nil)
	if len(sum.Unreadable) != 1 || !strings.Contains(sum.Unreadable[0].URL, broken.URL) {
		t.Errorf("unreadable %+v (err %v), want the one with its blob deleted", sum.Unreadable, err)
	}
	if !slices.Equal(ix.urls, want) {
		t.Errorf("indexed in the order\n%v\nwant the snapshots' order\n%v", ix.urls, want)
	}
	if sum.Editions != len(want) {
		t.Errorf("%d editions indexed, want %d", sum.Editions, len(want))
	}

	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ix = &orderIndex{MemIndex: testenv.NewMemIndex(), cancel: cancel, after: 3}
	c = &crawl.Crawler{Store: st, Index: ix, Log: textLogger(io.Discard)}
	if _, err := c.Reindex(cctx, src, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled reindex: err %v, want context.Canceled", err)
	}
	if len(ix.urls) != 3 {
		t.Errorf("cancelled after 3 editions, %d were put", len(ix.urls))
	}
}
