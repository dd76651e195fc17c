package run

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestHistory: outcomes and e-mails are kept per source and across a
// reopen; a source not named is refused and, from an old file, dropped.
func TestHistory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "crawls.json")
	log := slog.New(slog.DiscardHandler)
	h := Open(file, []string{"a", "b"}, log)
	tests := []struct {
		name    string
		err     error
		outcome string
		lastErr string
	}{
		{"ok", nil, OutcomeOK, ""},
		{"failed", errors.New("source a: 1 failure(s)"), OutcomeFailed, "source a: 1 failure(s)"},
	}
	for _, tt := range tests {
		e, err := h.Record("a", Summary{Source: "a", Editions: 2}, tt.err)
		if err != nil {
			t.Fatal(err)
		}
		if e.Outcome != tt.outcome || e.LastErr != tt.lastErr || e.Last == nil || e.Last.Editions != 2 || e.LastSuccess.IsZero() {
			t.Errorf("%s: entry %+v", tt.name, e)
		}
	}
	m := Mail{Received: time.Now().UTC().Truncate(time.Second), Outcome: MailIndexed, Editions: 1}
	if err := h.RecordMail("b", m); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Record("nope", Summary{}, nil); !errors.Is(err, ErrUnknownSource) {
		t.Errorf("Record(unknown) = %v", err)
	}
	if err := h.RecordMail("nope", m); !errors.Is(err, ErrUnknownSource) {
		t.Errorf("RecordMail(unknown) = %v", err)
	}
	// A copy: changing what Get returns changes nothing kept.
	got := h.Get("a")
	got.Last.Editions = 99
	if h.Get("a").Last.Editions != 2 {
		t.Error("Get returned the kept summary, not a copy")
	}

	again := Open(file, []string{"a"}, log)
	if e := again.Get("a"); e.Outcome != OutcomeFailed || e.Last == nil {
		t.Errorf("after reopen: %+v", e)
	}
	if e := again.Get("b"); e.LastMail != nil {
		t.Errorf("a source no longer configured kept: %+v", e)
	}
	// Memory only: nothing written.
	mem := Open("", []string{"a"}, log)
	if _, err := mem.Record("a", Summary{}, nil); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Errorf("files: %v", entries)
	}
}
