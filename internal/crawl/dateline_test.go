package crawl

import (
	"fmt"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/dates"
	"github.com/lga-digital/bulletin/internal/discover"
	"github.com/lga-digital/bulletin/internal/parse"
)

// TestDatelineAgrees feeds one dateline to both stages that read it — the
// parser (an edition's span.dateline) and discovery (a list page's row) —
// and checks that they read the same time, the one the dates package reads.
func TestDatelineAgrees(t *testing.T) {
	const base = "https://content.govdelivery.com/accounts/UKLGA/bulletins/"
	for _, line := range []string{
		"03/21/2024 10:05 AM GMT",
		"06/15/2023 10:05 AM BST",
		"06/15/2023 10:05 AM",
		"03/31/2024 01:30 AM GMT",
		"03/31/2024 03:00 AM",
		"10/27/2024 01:30 AM BST",
		"10/27/2024 01:30 AM GMT",
		"03/10/2024 09:00 AM EST",
		"07/10/2024 04:15 PM PDT",
		"07/10/2024 04:15 PM CEST",
		"07/10/2024",
	} {
		want := dates.Dateline(line, nil)
		if want.IsZero() {
			t.Fatalf("dates.Dateline(%q) read nothing", line)
		}
		page := fmt.Sprintf(`<html><head><title>Bulletin</title></head><body>
<span class="dateline">Local Government Association sent this bulletin at %s</span>
<div id="bulletin_body"><h2>An article</h2><p>Some text of the article, long enough to be one.</p></div>
</body></html>`, line)
		res, err := parse.Parse([]byte(page), "text/html", base+"1a2b3c", parse.Options{Source: "s"})
		if err != nil {
			t.Fatalf("parse %q: %v", line, err)
		}
		list := fmt.Sprintf(`<html><body><ul><li><a href="%s1a2b3c">Bulletin</a> %s</li></ul></body></html>`, base, line)
		cands, _, err := discover.List([]byte(list), base, discover.GovDeliveryPattern())
		if err != nil || len(cands) != 1 {
			t.Fatalf("discover %q: %v, %d candidates", line, err, len(cands))
		}
		got := map[string]time.Time{"parse": res.Edition.Published, "discover": cands[0].Published}
		for stage, g := range got {
			if !g.Equal(want) {
				t.Errorf("%s read %q as %v, want %v", stage, line, g, want)
			}
		}
	}
}
