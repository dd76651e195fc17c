package crawl

import (
	"testing"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/parse"
)

func TestParseOptions(t *testing.T) {
	src := &config.Source{ID: "s", Profile: "generic", Selectors: config.Selectors{Item: "article", Title: "h2"}}
	defaults := len(parse.DefaultOrgs())
	tests := []struct {
		name      string
		orgs      []config.Org
		wantCount int // 0: nil (the parser's defaults)
		check     string
		alias     string
	}{
		{"no config orgs", nil, 0, "", ""},
		{"new org", []config.Org{{Name: "Jisc", Aliases: []string{"Joint Information Systems Committee"}}}, defaults + 1, "Jisc", "Joint Information Systems Committee"},
		{"replaces a default", []config.Org{{Name: "ncsc", Aliases: []string{"Nat Cyber"}}}, defaults, "ncsc", "Nat Cyber"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := ParseOptions(src, tt.orgs)
			if opt.Source != "s" || opt.Profile != "generic" || opt.Selectors.Item != "article" || opt.Selectors.Title != "h2" {
				t.Errorf("options %+v", opt)
			}
			if len(opt.Orgs) != tt.wantCount {
				t.Fatalf("orgs = %d, want %d", len(opt.Orgs), tt.wantCount)
			}
			if tt.check == "" {
				return
			}
			for _, o := range opt.Orgs {
				if o.Name == tt.check {
					if len(o.Aliases) != 1 || o.Aliases[0] != tt.alias {
						t.Errorf("org %+v", o)
					}
					return
				}
			}
			t.Errorf("org %q missing", tt.check)
		})
	}
	// A configured organisation is recognised in item text.
	opt := ParseOptions(&config.Source{ID: "s"}, []config.Org{{Name: "Jisc", Aliases: []string{"Joint Information Systems Committee"}}})
	ex := parse.Extract("News", "The Joint Information Systems Committee said so.", parseTime(t), opt.Orgs)
	if len(ex.Orgs) != 1 || ex.Orgs[0] != "Jisc" {
		t.Errorf("orgs extracted = %v", ex.Orgs)
	}
}

func parseTime(t *testing.T) (tm time.Time) {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, "2024-03-21T10:05:00Z")
	if err != nil {
		t.Fatal(err)
	}
	return tm
}
