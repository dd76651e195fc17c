package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/parse"
	"github.com/lga-digital/bulletin/internal/testsite"
)

// searchFixtureSite is the origin the fixture pages are parsed as coming
// from; nothing is fetched from it.
const searchFixtureSite = "http://fixture.test"

// searchFixture is a server over an index holding every edition of the
// fixture site's LGA series, parsed as a crawl would parse it.
type searchFixture struct {
	srv *Server
	idx *index.Index
	cfg *config.Config
}

// newSearchFixture builds the index from the fixture pages and a server on
// it whose base URL is baseURL ("" for http://bulletin.test); settings are
// more top-level lines of the config.
func newSearchFixture(tb testing.TB, baseURL string, settings ...string) *searchFixture {
	tb.Helper()
	if baseURL == "" {
		baseURL = "http://bulletin.test"
	}
	dir := tb.TempDir()
	cfgFile := filepath.Join(dir, "bulletin.toml")
	toml := `data_dir = "` + filepath.ToSlash(filepath.Join(dir, "data")) + `"
listen = "127.0.0.1:0"
base_url = "` + baseURL + `"
` + strings.Join(settings, "\n") + `

[[source]]
id = "lga-cdt"
title = "LGA Cyber, Digital and Technology Bulletin"
home = "` + searchFixtureSite + testsite.ListPath + `"
lists = ["` + searchFixtureSite + testsite.ListPath + `"]
`
	if err := os.WriteFile(cfgFile, []byte(toml), 0o644); err != nil {
		tb.Fatal(err)
	}
	cfg, err := config.Load(cfgFile, func(string) string { return "" })
	if err != nil {
		tb.Fatal(err)
	}
	idx, err := index.Open(filepath.Join(dir, "index"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { idx.Close() })
	site := testsite.Handler()
	for _, f := range testsite.Editions() {
		if !f.Series {
			continue
		}
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, searchFixtureSite+f.Path, nil))
		if rec.Code != http.StatusOK {
			tb.Fatalf("fixture %s: status %d", f.Path, rec.Code)
		}
		res, err := parse.Parse(rec.Body.Bytes(), rec.Header().Get("Content-Type"), searchFixtureSite+f.Path, lgaParseOptions(tb))
		if err != nil {
			tb.Fatalf("parse fixture %s: %v", f.Path, err)
		}
		if err := idx.PutEdition(context.Background(), res.Edition, res.Items); err != nil {
			tb.Fatal(err)
		}
	}
	srv, err := New(cfg, idx, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		tb.Fatal(err)
	}
	return &searchFixture{srv: srv, idx: idx, cfg: cfg}
}

// get serves one GET request and returns the response.
func (f *searchFixture) get(tb testing.TB, target string) *http.Response {
	tb.Helper()
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec.Result()
}

// lgaParseOptions are the parser options of the shipped config's LGA source,
// as a crawl builds them (its closing lines and group headings are data
// there): the fixtures are LGA editions.
func lgaParseOptions(tb testing.TB) parse.Options {
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
