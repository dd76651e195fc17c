package server_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/schedule"
)

// TestStatusMail: the last e-mail a source received shows on /status and
// in /api/status, as openapi.json describes it.
func TestStatusMail(t *testing.T) {
	e := newOpsEnv(t, "", "http://127.0.0.1:8080")
	received := time.Date(2026, 3, 17, 10, 0, 5, 0, time.UTC)
	e.sched.status = []schedule.Status{
		{Source: "lga-cdt", LastMail: &run.Mail{Received: received, From: "wessex@public.govdelivery.com",
			Subject: "March <bulletin>", MessageID: "a@b", URL: "https://content.govdelivery.com/accounts/UKWESSEX/bulletins/3d0a001",
			Outcome: run.MailIndexed, Editions: 1, Items: 3}},
		{Source: "other", LastMail: &run.Mail{Received: received, From: "x@evil.example", Outcome: run.MailRefused,
			Error: "sender <x@evil.example> is not accepted here"}},
	}
	rec := e.do("GET", "/api/status", nil)
	var doc any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	spec, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	api, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Components.Schemas["StatusResponse"].Value.VisitJSON(doc); err != nil {
		t.Errorf("/api/status does not follow openapi.json: %v", err)
	}
	body := rec.Body.String()
	for _, want := range []string{`"last_mail"`, `"outcome": "indexed"`, `"outcome": "refused"`, `"received": "2026-03-17T10:00:05Z"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/api/status lacks %s:\n%s", want, body)
		}
	}
	html := e.do("GET", "/status", nil).Body.String()
	for _, want := range []string{
		"<caption>Last e-mail received, by source</caption>",
		`<time datetime="2026-03-17T10:00:05Z">17 Mar 2026 10:00 GMT</time>`,
		"March &lt;bulletin&gt;",
		"<td>indexed</td>",
		"<strong>refused</strong>",
		"sender &lt;x@evil.example&gt; is not accepted here",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("/status lacks %q", want)
		}
	}
	// Without e-mail, no e-mail table.
	e.sched.status = []schedule.Status{{Source: "lga-cdt"}, {Source: "other"}}
	if html := e.do("GET", "/status", nil).Body.String(); strings.Contains(html, "Last e-mail") {
		t.Error("/status shows an e-mail table when no source receives e-mail")
	}
}
