package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/testenv"
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

// newSearchFixture makes a server on the shared index of the fixture pages
// (read-only) whose base URL is baseURL ("" for http://bulletin.test);
// settings are more top-level lines of the config.
func newSearchFixture(tb testing.TB, baseURL string, settings ...string) *searchFixture {
	tb.Helper()
	if baseURL == "" {
		baseURL = "http://bulletin.test"
	}
	cfgFile := testenv.WriteConfig(tb, `listen = "127.0.0.1:0"
base_url = "`+baseURL+`"
`+strings.Join(settings, "\n")+`

[[source]]
id = "lga-cdt"
title = "LGA Cyber, Digital and Technology Bulletin"
home = "`+searchFixtureSite+testsite.ListPath+`"
lists = ["`+searchFixtureSite+testsite.ListPath+`"]
`)
	cfg, err := config.Load(cfgFile, func(string) string { return "" })
	if err != nil {
		tb.Fatal(err)
	}
	idx := sharedFixtureIndex(tb, searchFixtureSite)
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
