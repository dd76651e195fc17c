package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/schedule"
)

// TestHomeCrawlNote: the home page says what the crawls of a source did
// when a reader should know: why there are no editions yet, and that a
// failed crawl is tried again.
func TestHomeCrawlNote(t *testing.T) {
	started := time.Date(2024, 7, 1, 6, 30, 0, 0, time.UTC) // 07:30 BST
	failed := &run.Summary{Source: "lga-cdt", Started: started, Failed: 1, Deferred: 9,
		Unreachable: []string{"content.govdelivery.com"}, Errors: []string{"dial tcp: no such host"}}
	tests := []struct {
		name    string
		st      schedule.Status
		held    bool // the source has an edition
		want    string
		notWant string
	}{
		{"never crawled", schedule.Status{}, false, "No editions yet: no crawl has run.", ""},
		{"first crawl running", schedule.Status{Running: true, RunningSince: started}, false,
			"No editions yet: the first crawl is running (since 1 Jul 2024 07:30 BST).", ""},
		{"failed, retry pending", schedule.Status{Outcome: run.OutcomeFailed, Last: failed, RetryAt: started.Add(time.Minute), Retries: 1}, false,
			"No editions yet: the last crawl, at 1 Jul 2024 07:30 BST, failed (content.govdelivery.com did not answer). It is tried again at 1 Jul 2024 07:31 BST.", ""},
		{"failed, retry running", schedule.Status{Outcome: run.OutcomeFailed, Last: failed, Running: true, RunningSince: started.Add(time.Minute)}, false,
			"It is being tried again now.", ""},
		{"failed with editions held", schedule.Status{Outcome: run.OutcomeFailed, Last: failed, Next: started.Add(24 * time.Hour)}, true,
			"The last crawl, at 1 Jul 2024 07:30 BST, failed (content.govdelivery.com did not answer). The next crawl is at 2 Jul 2024 07:30 BST.", "No editions yet"},
		{"all well", schedule.Status{Outcome: run.OutcomeOK, Last: &run.Summary{Started: started}}, true, "", "crawl-note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newOpsEnv(t, "", "http://127.0.0.1:8080")
			tt.st.Source = "lga-cdt"
			e.sched.status = []schedule.Status{tt.st, {Source: "other"}}
			if tt.held {
				ed := model.Edition{ID: "lga-cdt-1", Source: "lga-cdt", URL: "https://content.govdelivery.com/accounts/UKLGA/bulletins/1",
					Title: "Bulletin 1", Number: 1, Published: started.Add(-time.Hour)}
				if err := e.idx.PutEdition(context.Background(), ed, []model.Item{{ID: "lga-cdt-1-a", EditionID: ed.ID, Source: "lga-cdt", Title: "A"}}); err != nil {
					t.Fatal(err)
				}
			}
			rec := e.do("GET", "/", nil)
			_, body, _ := strings.Cut(rec.Body.String(), `id="src-lga-cdt"`)
			body, _, _ = strings.Cut(body, `id="src-other"`)
			if rec.Code != 200 || (tt.want != "" && !strings.Contains(body, tt.want)) || (tt.notWant != "" && strings.Contains(body, tt.notWant)) {
				t.Errorf("home %d: want %q, not %q:\n%s", rec.Code, tt.want, tt.notWant, body)
			}
			if strings.Contains(body, "has not finished") {
				t.Error("the old message")
			}
		})
	}
}
