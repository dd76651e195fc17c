package server

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/testenv/lgafixtures"
)

// fixtureIndexes are the indexes of the fixture editions that tests share,
// one per origin the pages are parsed as coming from, each built once per
// run: parsing and indexing the fixtures for every test was most of this
// package's time. They are read-only; a test that writes builds its own
// (newFixtureIndex). TestMain closes and removes them.
var fixtureIndexes struct {
	mu  sync.Mutex
	dir string
	ix  map[string]*index.Index
}

func TestMain(m *testing.M) {
	code := m.Run()
	fixtureIndexes.mu.Lock()
	for _, idx := range fixtureIndexes.ix {
		idx.Close()
	}
	if fixtureIndexes.dir != "" {
		os.RemoveAll(fixtureIndexes.dir)
	}
	fixtureIndexes.mu.Unlock()
	os.Exit(code)
}

// sharedFixtureIndex returns the read-only index of the fixture editions
// as parsed from origin, building it on first use.
func sharedFixtureIndex(tb testing.TB, origin string) *index.Index {
	tb.Helper()
	fixtureIndexes.mu.Lock()
	defer fixtureIndexes.mu.Unlock()
	if idx, ok := fixtureIndexes.ix[origin]; ok {
		return idx
	}
	if fixtureIndexes.dir == "" {
		dir, err := os.MkdirTemp("", "bulletin-server-test-")
		if err != nil {
			tb.Fatal(err)
		}
		fixtureIndexes.dir = dir
		fixtureIndexes.ix = map[string]*index.Index{}
	}
	idx, err := index.Open(filepath.Join(fixtureIndexes.dir, "index-"+filepath.Base(origin)))
	if err != nil {
		tb.Fatal(err)
	}
	lgafixtures.Fill(tb, idx, origin, lgafixtures.ParseOptions(tb))
	fixtureIndexes.ix[origin] = idx
	return idx
}

// newFixtureIndex returns an index of its own for a test that writes,
// holding the fixture editions as parsed from origin.
func newFixtureIndex(tb testing.TB, origin string) *index.Index {
	tb.Helper()
	idx, err := index.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { idx.Close() })
	lgafixtures.Fill(tb, idx, origin, lgafixtures.ParseOptions(tb))
	return idx
}
