package server_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/model"
)

// TestHomeListsEveryEdition: the home page lists every edition of a source
// in archive order, newest first, 25 a page, each linked to bulletin's own
// edition page, numbered or not; ?page= reaches the older ones.
func TestHomeListsEveryEdition(t *testing.T) {
	e := newOpsEnv(t, "", "https://intranet.example/bulletins")
	first := time.Date(2022, 1, 10, 9, 0, 0, 0, time.UTC)
	const n = 30
	for i := range n {
		ed := model.Edition{ID: fmt.Sprintf("lga-cdt-e%02d", i), Source: "lga-cdt", Number: i + 1,
			URL:   fmt.Sprintf("https://content.govdelivery.com/accounts/UKLGA/bulletins/e%02d", i),
			Title: fmt.Sprintf("Bulletin %d", i+1), Published: first.AddDate(0, i, 0)}
		if i == 7 {
			ed.Number = 0 // an edition that states no number still gets its row and link
			ed.Title = "A special edition"
		}
		items := []model.Item{{ID: ed.ID + "-a", EditionID: ed.ID, Source: "lga-cdt", Title: "A"}}
		if err := e.idx.PutEdition(context.Background(), ed, items); err != nil {
			t.Fatal(err)
		}
	}
	rows := regexp.MustCompile(`<tr><td>([^<]*)</td><td><time[^>]*>[^<]*</time></td><td><a href="([^"]*)">([^<]*)</a>`)
	tests := []struct {
		target     string
		code       int
		first      string // the first row's number
		rows       int
		want, omit []string
	}{
		{"/bulletins/", 200, "30", 25, []string{
			"Editions, page 1 of 2",
			`<a rel="next" href="https://intranet.example/bulletins/?page=2">`,
			`<td>–</td>`, // no number: a dash, but a link all the same
			`<a href="https://intranet.example/bulletins/editions/lga-cdt-e07">A special edition</a>`,
			"30 editions held",
		}, []string{`rel="prev"`}},
		{"/bulletins/?page=2", 200, "5", 5, []string{
			"Editions, page 2 of 2",
			`<a rel="prev" href="https://intranet.example/bulletins/">`,
			"<title>Bulletins, page 2",
		}, []string{`rel="next"`, "A special edition"}},
		{"/bulletins/?page=3", 200, "", 0, []string{"No editions of this source on page 3: it holds 30, 2 pages."}, nil},
		{"/bulletins/?page=0", 400, "", 0, []string{`"error"`}, nil},
		{"/bulletins/?page=x", 400, "", 0, []string{`"error"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := e.do("GET", tt.target, nil)
			body := rec.Body.String()
			if rec.Code != tt.code {
				t.Fatalf("%d, want %d: %s", rec.Code, tt.code, body)
			}
			got := rows.FindAllStringSubmatch(body, -1)
			if len(got) != tt.rows || (len(got) > 0 && got[0][1] != tt.first) {
				t.Errorf("%d rows, first %v; want %d from No. %s", len(got), got[:min(1, len(got))], tt.rows, tt.first)
			}
			for i, r := range got {
				if !strings.HasPrefix(r[2], "https://intranet.example/bulletins/editions/lga-cdt-e") {
					t.Errorf("row %d links to %s", i, r[2])
				}
				if i > 0 && r[1] != "–" && got[i-1][1] != "–" && r[1] >= got[i-1][1] && len(r[1]) >= len(got[i-1][1]) {
					t.Errorf("row %d (No. %s) after No. %s: not newest first", i, r[1], got[i-1][1])
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range tt.omit {
				if strings.Contains(body, w) {
					t.Errorf("has %q", w)
				}
			}
		})
	}
	// Each edition's link leads to its page.
	if rec := e.do("GET", "/bulletins/editions/lga-cdt-e07", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "A special edition") {
		t.Errorf("edition page: %d", rec.Code)
	}
}
