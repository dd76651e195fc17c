package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/api"
	"github.com/lga-digital/bulletin/internal/server"
	"github.com/lga-digital/bulletin/internal/testenv"
	"github.com/lga-digital/bulletin/internal/testenv/lgafixtures"
)

// searchTestInstall writes a config and fills its index from the fixture
// site's pages, as a crawl would; it returns the config file.
func searchTestInstall(t *testing.T) string {
	t.Helper()
	cfgFile := testenv.WriteConfig(t, `base_url = "http://bulletin.test"

[[source]]
id = "lga-cdt"
title = "LGA Cyber, Digital and Technology Bulletin"
lists = ["http://fixture.test/accounts/UKLGA/bulletins"]
`)
	idx, err := index.Open(filepath.Join(filepath.Dir(cfgFile), "data", "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	lgafixtures.Fill(t, idx, "http://fixture.test", lgafixtures.ParseOptions(t))
	return cfgFile
}

// TestSearchMatchesAPI checks that `bulletin search --json` prints what
// /api/search answers for the same query and options, and that a syntax
// error is reported at the same position.
func TestSearchMatchesAPI(t *testing.T) {
	cfgFile := searchTestInstall(t)
	noEnv := func(string) string { return "" }
	tests := []struct {
		args  []string   // after "search --json"
		query url.Values // the same search for the API
	}{
		{[]string{"council"}, url.Values{"q": {"council"}}},
		{[]string{`"digital inclusion"`, "-webinar"}, url.Values{"q": {`"digital inclusion" -webinar`}}},
		{[]string{"procure*", "date:2024", "--sort", "date"}, url.Values{"q": {"procure* date:2024"}, "sort": {"date"}}},
		{[]string{"--page", "2", "--size", "5"}, url.Values{"page": {"2"}, "size": {"5"}}},
		{[]string{"--source", "lga-cdt", "budget", "OR", "(cyber", "edition:19)"}, url.Values{"q": {"budget OR (cyber edition:19)"}, "source": {"lga-cdt"}}},
	}
	// The CLI opens and closes the index itself, so run it first.
	cliOut := make([][]byte, len(tests))
	for i, tt := range tests {
		var stdout, stderr bytes.Buffer
		args := append([]string{"--config", cfgFile, "search", "--json"}, tt.args...)
		if code := Main(args, &stdout, &stderr, noEnv); code != 0 {
			t.Fatalf("bulletin %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
		}
		cliOut[i] = stdout.Bytes()
	}
	var stdout, stderr bytes.Buffer
	code := Main([]string{"--config", cfgFile, "search", "cyber", "AND"}, &stdout, &stderr, noEnv)
	if code != exitFailure || !strings.Contains(stderr.String(), "  cyber AND\n  "+strings.Repeat(" ", 9)+"^") {
		t.Errorf("syntax error: exit %d, stderr:\n%s", code, stderr.String())
	}

	cfg, err := config.Load(cfgFile, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := index.Open(filepath.Join(cfg.DataDir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	srv, err := server.New(cfg, idx, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	get := func(q url.Values) (int, []byte) {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/search?"+q.Encode(), nil))
		return rec.Code, rec.Body.Bytes()
	}
	for i, tt := range tests {
		status, body := get(tt.query)
		if status != http.StatusOK {
			t.Fatalf("/api/search?%s: status %d: %s", tt.query.Encode(), status, body)
		}
		var fromCLI, fromAPI api.SearchResponse
		if err := json.Unmarshal(cliOut[i], &fromCLI); err != nil {
			t.Fatalf("CLI output: %v\n%s", err, cliOut[i])
		}
		if err := json.Unmarshal(body, &fromAPI); err != nil {
			t.Fatal(err)
		}
		if fromAPI.Total == 0 {
			t.Errorf("%v: nothing found; the comparison proves little", tt.args)
		}
		// Time taken differs, and only the server knows its URLs.
		fromCLI.Took, fromAPI.Took, fromAPI.Links = 0, 0, nil
		if !reflect.DeepEqual(fromCLI, fromAPI) {
			a, _ := json.MarshalIndent(fromCLI, "", " ")
			b, _ := json.MarshalIndent(fromAPI, "", " ")
			t.Errorf("bulletin search --json %s differs from /api/search?%s\nCLI:\n%.2000s\nAPI:\n%.2000s", strings.Join(tt.args, " "), tt.query.Encode(), a, b)
		}
	}
	if status, body := get(url.Values{"q": {"cyber AND"}}); status != http.StatusBadRequest || !strings.Contains(string(body), `"pos": 9`) {
		t.Errorf("API syntax error: %d %s", status, body)
	}
}

func TestParseSearchArgs(t *testing.T) {
	tests := []struct {
		args       []string
		words      string
		json       bool
		sort, size string
	}{
		{[]string{"council"}, "council", false, "", "20"},
		{[]string{"cyber", "-webinar", "--json"}, "cyber -webinar", true, "", "20"},
		{[]string{"--sort", "date", "a", "-b", "--size=5"}, "a -b", false, "date", "5"},
		{[]string{"-json", "-", "x"}, "- x", true, "", "20"},
		{[]string{"--json", "--", "--sort", "-x"}, "--sort -x", true, "", "20"},
		{[]string{"NOT", "-org:ncsc", "-sort", "relevance"}, "NOT -org:ncsc", false, "relevance", "20"},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("search", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		asJSON := fs.Bool("json", false, "")
		sort := fs.String("sort", "", "")
		size := fs.Int("size", 20, "")
		words, err := parseSearchArgs(fs, tt.args)
		if err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		if got := strings.Join(words, " "); got != tt.words || *asJSON != tt.json || *sort != tt.sort || fmt.Sprint(*size) != tt.size {
			t.Errorf("%q: words %q json %v sort %q size %d", tt.args, got, *asJSON, *sort, *size)
		}
	}
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Int("size", 20, "")
	if _, err := parseSearchArgs(fs, []string{"--size", "many"}); err == nil {
		t.Error("a bad flag value is accepted")
	}
}
