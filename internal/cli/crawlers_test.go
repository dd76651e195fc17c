package cli

import (
	"slices"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/config"
)

func TestClientGroups(t *testing.T) {
	src := func(id string, delay time.Duration, hosts ...string) *config.Source {
		return &config.Source{ID: id, Hosts: hosts, Delay: delay}
	}
	tests := []struct {
		name string
		srcs []*config.Source
		want [][]int
	}{
		{"one", []*config.Source{src("a", 0, "x")}, [][]int{{0}}},
		{"apart", []*config.Source{src("a", 0, "x"), src("b", 0, "y")}, [][]int{{0}, {1}}},
		{"shared host", []*config.Source{src("a", 0, "x"), src("b", 0, "y"), src("c", 0, "x")}, [][]int{{0, 2}, {1}}},
		{"through a third", []*config.Source{src("a", 0, "x"), src("b", 0, "y"), src("c", 0, "z", "y", "x")}, [][]int{{0, 1, 2}}},
		{"chain found late", []*config.Source{src("a", 0, "p"), src("b", 0, "q"), src("c", 0, "r"), src("d", 0, "r", "q"), src("e", 0, "p", "r")}, [][]int{{0, 1, 2, 3, 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := clientGroups(tt.srcs)
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("groups %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCrawlersShareClients: sources on one host get one client (the
// slowest delay of theirs); a source elsewhere gets its own.
func TestCrawlersShareClients(t *testing.T) {
	c, err := config.Parse([]byte(`
[[source]]
id = "a"
title = "A"
delay = "2s"
editions = ["https://content.govdelivery.com/accounts/UKLGA/bulletins/1"]
[[source]]
id = "b"
title = "B"
delay = "500ms"
feeds = ["https://content.govdelivery.com/accounts/OTHER/bulletins.rss"]
[[source]]
id = "c"
title = "C"
editions = ["https://example.org/b/1"]
`), "test.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{}
	srcs, err := sources(c, "")
	if err != nil {
		t.Fatal(err)
	}
	cr := a.crawlers(srcs, nil, nil, nil)
	if cr["a"].Fetch != cr["b"].Fetch || cr["a"].Fetch == cr["c"].Fetch {
		t.Fatalf("clients: a %p b %p c %p", cr["a"].Fetch, cr["b"].Fetch, cr["c"].Fetch)
	}
	if g := clientGroups(srcs); len(g) != 2 || groupDelay(srcs, g[0]) != 2*time.Second || groupDelay(srcs, g[1]) != time.Second {
		t.Errorf("groups %v: delays %v, %v; want the largest of each, 2s and 1s", g, groupDelay(srcs, g[0]), groupDelay(srcs, g[1]))
	}
}

func TestMaxNew(t *testing.T) {
	src := &config.Source{MaxNew: 5}
	for _, tt := range []struct{ flag, want int }{{0, 5}, {2, 2}, {9, 9}} {
		if got := maxNew(tt.flag, src); got != tt.want {
			t.Errorf("maxNew(%d) = %d, want %d", tt.flag, got, tt.want)
		}
	}
}
