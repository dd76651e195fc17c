// Package lgafixtures parses the fixture site's LGA editions (see
// internal/testsite) as a crawl of the shipped config's lga-cdt source
// would, for the tests of the packages that take parsed editions: the
// parser's options, and an index filled with the parsed editions. Only
// tests import it.
package lgafixtures

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/parse"
	"github.com/lga-digital/bulletin/internal/testsite"
)

// ParseOptions returns the parser options of the shipped config's lga-cdt
// source, built as a crawl builds them: its closing lines and group
// headings are data there, not Go.
func ParseOptions(tb testing.TB) parse.Options {
	tb.Helper()
	cfg, err := config.Shipped(func(string) string { return "" })
	if err != nil {
		tb.Fatal(err)
	}
	src, ok := cfg.Source("lga-cdt")
	if !ok {
		tb.Fatal("the shipped config has no lga-cdt source")
	}
	return crawl.ParseOptions(src, nil)
}

// Putter is where Fill puts the editions: an index.
type Putter interface {
	PutEdition(ctx context.Context, ed model.Edition, items []model.Item) error
}

// Fill parses every edition of the fixture site's LGA series, served as
// from origin (e.g. http://fixture.test; nothing is fetched from it), with
// opts, and puts each into idx.
func Fill(tb testing.TB, idx Putter, origin string, opts parse.Options) {
	tb.Helper()
	site := testsite.Handler()
	for _, f := range testsite.Editions() {
		if !f.Series {
			continue
		}
		u := origin + f.Path
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
		if rec.Code != http.StatusOK {
			tb.Fatalf("fixture %s: status %d", u, rec.Code)
		}
		res, err := parse.Parse(rec.Body.Bytes(), rec.Header().Get("Content-Type"), u, opts)
		if err != nil {
			tb.Fatalf("parse fixture %s: %v", u, err)
		}
		if err := idx.PutEdition(context.Background(), res.Edition, res.Items); err != nil {
			tb.Fatal(err)
		}
	}
}
