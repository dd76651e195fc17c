package cli

import (
	"slices"
	"testing"

	"github.com/lga-digital/bulletin/config"
)

// TestDemoSettings: the demo's source parses the generated archive as the
// shipped LGA source does, with its closing lines and group headings, so that
// "Research and resources" is a group, not an article.
func TestDemoSettings(t *testing.T) {
	cfg, err := demoSettings(t.TempDir(), "127.0.0.1:0", "http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := config.Shipped(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	lga, _ := shipped.Source("lga-cdt")
	if len(lga.Groups) == 0 || len(lga.SignOff) == 0 {
		t.Fatalf("the shipped lga-cdt source has no groups or sign_off: %+v", lga)
	}
	if len(cfg.Sources) != 1 {
		t.Fatalf("%d sources, want 1", len(cfg.Sources))
	}
	src := cfg.Sources[0]
	if !slices.Equal(src.Groups, lga.Groups) || !slices.Equal(src.SignOff, lga.SignOff) {
		t.Errorf("demo source groups %q, sign_off %q; want the shipped %q, %q", src.Groups, src.SignOff, lga.Groups, lga.SignOff)
	}
	if !slices.Contains(src.Groups, "Research and resources") {
		t.Errorf("groups %q lack \"Research and resources\"", src.Groups)
	}
}
