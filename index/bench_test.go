package index_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/lga-digital/bulletin/index"
)

var benchQueries = []string{
	"council",
	`cyber -org:ncsc (section:events OR edition:25) after:2024 "connected places" procure*`,
	`title:"secure connected places" OR (digital inclusion -webinar) date:2024-03`,
}

func BenchmarkParseQuery(b *testing.B) {
	for _, q := range benchQueries {
		b.Run(fmt.Sprintf("%dB", len(q)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := index.ParseQuery(q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	ix, _ := openCorpus(b)
	for _, tc := range []struct {
		name string
		req  index.Request
	}{
		{"newest", index.Request{}},
		{"word", index.Request{Query: "councils"}},
		{"word+facets+highlight", index.Request{Query: "councils", Facets: true, Highlight: true}},
		{"complex", index.Request{Query: benchQueries[1], Highlight: true}},
		{"not-only+date-sort", index.Request{Query: "-org:ncsc", Sort: "date"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ix.Search(ctx, tc.req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPutEdition(b *testing.B) {
	corpus := loadCorpus(b)
	ce := corpus[3] // edition 19, nine items
	b.Run("unchanged", func(b *testing.B) {
		ix := openEmpty(b)
		if err := ix.PutEdition(ctx, ce.Edition, ce.Items); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := ix.PutEdition(ctx, ce.Edition, ce.Items); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("changed", func(b *testing.B) {
		ix := openEmpty(b)
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n++
			ed := ce.Edition
			ed.Editorial = fmt.Sprintf("%s (revision %d)", ed.Editorial, n)
			if err := ix.PutEdition(ctx, ed, ce.Items); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func openEmpty(b *testing.B) *index.Index {
	ix, err := index.Open(filepath.Join(b.TempDir(), "idx"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	return ix
}
