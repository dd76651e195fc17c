package index

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/lga-digital/bulletin/internal/corpus"
	"github.com/lga-digital/bulletin/internal/model"
	bparse "github.com/lga-digital/bulletin/internal/parse"
)

// benchEdition is one parsed edition of the generated corpus.
type benchEdition struct {
	ed    model.Edition
	items []model.Item
}

// benchEditions parses n editions of the benchmark corpus for a benchmark;
// BENCH_INDEX_EDITIONS overrides n.
func benchEditions(tb testing.TB, n int) ([]benchEdition, int) {
	tb.Helper()
	if v := os.Getenv("BENCH_INDEX_EDITIONS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			tb.Fatalf("BENCH_INDEX_EDITIONS=%q: %v", v, err)
		}
	}
	return generatedEditions(tb, n)
}

// generatedEditions parses n editions of the benchmark corpus
// (internal/corpus, seed 1), whatever the environment says, so that tests
// of it may run in parallel.
func generatedEditions(tb testing.TB, n int) ([]benchEdition, int) {
	tb.Helper()
	c, err := corpus.New(corpus.Options{Editions: n, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	const origin = "https://content.govdelivery.com"
	var out []benchEdition
	items := 0
	for _, e := range c.Editions() {
		if !e.Series {
			continue
		}
		page, _ := c.Page(e.ID)
		page = bytes.ReplaceAll(page, []byte(corpus.Base), []byte(origin))
		res, err := bparse.Parse(page, "text/html", origin+e.Path, bparse.Options{Source: "lga-cdt"})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, benchEdition{res.Edition, res.Items})
		items += len(res.Items)
	}
	return out, items
}

// BenchmarkIndexVsBare indexes the same editions into a new index through
// PutEdition ("ours": documents built, compared with what is stored, one
// batch per edition) and as bare Bleve batches of the same documents with
// the same mapping ("bare": documents built beforehand, one batch per
// edition), each until the index is closed, i.e. persisted. The ratio of
// the two is our indexing overhead (bench/run.sh reports it).
func BenchmarkIndexVsBare(b *testing.B) {
	eds, items := benchEditions(b, 50)
	ctx := context.Background()
	b.Run("ours", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			dir := filepath.Join(b.TempDir(), "idx")
			b.StartTimer()
			ix, err := Open(dir)
			if err != nil {
				b.Fatal(err)
			}
			for _, e := range eds {
				if err := ix.PutEdition(ctx, e.ed, e.items); err != nil {
					b.Fatal(err)
				}
			}
			if err := ix.Close(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(items*b.N)/b.Elapsed().Seconds(), "items/s")
	})
	// ours-bulk: through Bulk, as reindex fills a new index made by
	// Create (batches of about 1,000 documents, written while the next is
	// gathered, reaching the disk in the background).
	b.Run("ours-bulk", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			dir := filepath.Join(b.TempDir(), "idx")
			b.StartTimer()
			ix, err := Create(dir)
			if err != nil {
				b.Fatal(err)
			}
			w, err := ix.Bulk()
			if err != nil {
				b.Fatal(err)
			}
			for _, e := range eds {
				if err := w.PutEdition(ctx, e.ed, e.items); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			if err := ix.Close(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(items*b.N)/b.Elapsed().Seconds(), "items/s")
	})
	b.Run("bare", func(b *testing.B) {
		type doc struct {
			id  string
			doc map[string]any
		}
		batches := make([][]doc, len(eds))
		for k, e := range eds {
			d, _, err := editionDoc(e.ed, editionFields)
			if err != nil {
				b.Fatal(err)
			}
			batches[k] = append(batches[k], doc{editionDocID(e.ed.ID), d})
			for _, it := range e.items {
				d, _, err := itemDoc(it)
				if err != nil {
					b.Fatal(err)
				}
				batches[k] = append(batches[k], doc{itemDocID(it.ID), d})
			}
		}
		// per edition: the same batches as PutEdition; bulk: batches of
		// about 1,000 documents, what Bleve can do when editions are
		// gathered (a reference, not the baseline of the ratio).
		for _, mode := range []string{"per-edition", "bulk"} {
			b.Run(mode, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					dir := filepath.Join(b.TempDir(), "idx")
					b.StartTimer()
					bi, err := bleve.NewUsing(dir, newMapping(), scorch.Name, scorch.Name, map[string]any{"bolt_timeout": lockTimeout.String()})
					if err != nil {
						b.Fatal(err)
					}
					batch := bi.NewBatch()
					for k, docs := range batches {
						for _, d := range docs {
							if err := batch.Index(d.id, d.doc); err != nil {
								b.Fatal(err)
							}
						}
						if mode == "per-edition" || batch.Size() >= 1000 || k == len(batches)-1 {
							if err := bi.Batch(batch); err != nil {
								b.Fatal(err)
							}
							batch = bi.NewBatch()
						}
					}
					if err := bi.Close(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(items*b.N)/b.Elapsed().Seconds(), "items/s")
			})
		}
	})
}

// TestGeneratedEditions checks the benchmark's input: every generated
// edition parses into the articles the generator wrote.
func TestGeneratedEditions(t *testing.T) {
	t.Parallel()
	eds, items := generatedEditions(t, 3)
	if len(eds) != 3 || items < 3*16 || items > 3*24 {
		t.Fatalf("%d editions, %d items; want 3 editions of 16 to 24 items", len(eds), items)
	}
	for _, e := range eds {
		if err := validateEdition(e.ed, e.items); err != nil {
			t.Error(err)
		}
	}
}
