package run

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrUnknownSource is returned (wrapped) for a source the history does not keep.
var ErrUnknownSource = errors.New("unknown source")

// Entry is what the history keeps of one source.
type Entry struct {
	Last    *Summary `json:"last,omitempty"`
	Outcome string   `json:"outcome,omitempty"` // OutcomeOK, OutcomeFailed or OutcomePanic
	LastErr string   `json:"last_error,omitempty"`
	// LastSuccess is when the last crawl without a failure ended.
	LastSuccess time.Time `json:"last_success,omitzero"`
	// LastMail is the last e-mail received for the source, if any.
	LastMail *Mail `json:"last_mail,omitempty"`
}

// History is each source's last crawl outcome and last e-mail, kept in a
// JSON file (data_dir/crawls.json) across restarts so that the status page
// is not blank after one. It is safe for concurrent use.
type History struct {
	path string // "" keeps the history in memory only
	log  *slog.Logger

	mu      sync.Mutex
	entries map[string]*Entry
}

// Open reads the history of the sources named by ids from path ("" keeps it
// in memory only). A missing or unreadable file only costs the history,
// never the start-up: it is logged and the history starts empty. Entries of
// sources not in ids are dropped at the next write.
func Open(path string, ids []string, log *slog.Logger) *History {
	h := &History{path: path, log: log, entries: make(map[string]*Entry, len(ids))}
	for _, id := range ids {
		h.entries[id] = &Entry{}
	}
	if path == "" {
		return h
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return h
	}
	var all map[string]Entry
	if err == nil {
		err = json.Unmarshal(b, &all)
	}
	if err != nil {
		log.Warn("history: crawl history unreadable; starting without it", "file", path, "err", err)
		return h
	}
	for id, e := range all {
		if _, ok := h.entries[id]; ok {
			h.entries[id] = &e
		}
	}
	return h
}

// Get returns a copy of what the history keeps of a source (zero for an
// unknown one).
func (h *History) Get(id string) Entry {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.entries[id]
	if !ok {
		return Entry{}
	}
	return e.copy()
}

func (e *Entry) copy() Entry {
	out := *e
	if e.Last != nil {
		last := *e.Last
		out.Last = &last
	}
	if e.LastMail != nil {
		m := *e.LastMail
		out.LastMail = &m
	}
	return out
}

// Record keeps the outcome of a crawl of a source: OutcomeOK when err is
// nil, else OutcomeFailed.
func (h *History) Record(id string, sum Summary, err error) (Entry, error) {
	outcome := OutcomeOK
	if err != nil {
		outcome = OutcomeFailed
	}
	return h.RecordOutcome(id, sum, outcome, err)
}

// RecordOutcome keeps a crawl's summary, outcome and error as the source's
// last, and writes the history.
func (h *History) RecordOutcome(id string, sum Summary, outcome string, err error) (Entry, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.entries[id]
	if !ok {
		return Entry{}, fmt.Errorf("%w %q", ErrUnknownSource, id)
	}
	e.Last = &sum
	e.Outcome = outcome
	e.LastErr = ""
	if err != nil {
		e.LastErr = err.Error()
	}
	if outcome == OutcomeOK {
		e.LastSuccess = time.Now()
	}
	h.save()
	return e.copy(), nil
}

// RecordMail keeps what became of an e-mail received for a source, and
// writes the history.
func (h *History) RecordMail(id string, m Mail) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.entries[id]
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownSource, id)
	}
	e.LastMail = &m
	h.save()
	return nil
}

// save writes the history: a temporary file renamed into place, so a crash
// leaves the old file or the new one. The caller holds h.mu.
func (h *History) save() {
	if h.path == "" {
		return
	}
	all := map[string]*Entry{}
	for id, e := range h.entries {
		if e.Outcome != "" || e.LastMail != nil {
			all[id] = e
		}
	}
	if err := writeFileAtomic(h.path, all); err != nil {
		h.log.Warn("history: cannot keep the crawl history", "file", h.path, "err", err)
	}
}

func writeFileAtomic(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
