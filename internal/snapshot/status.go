package snapshot

import "strings"

// Status is where a snapshot stands in the crawl. The crawler sets it; a
// free-text Meta.Note may say more (the parse error, the file imported).
type Status string

// The statuses a crawl sets.
const (
	// StatusFetched: the body is kept, not yet parsed and indexed (a crash
	// may leave it so; the next crawl finishes the work from the kept body).
	StatusFetched Status = "fetched"
	// StatusIndexed: the edition was parsed and put in the index.
	StatusIndexed Status = "indexed"
	// StatusSkipped: the page parsed as a bulletin of another series.
	StatusSkipped Status = "skipped"
	// StatusParseError: the page could not be parsed; the note is the error.
	StatusParseError Status = "parse error"
	// StatusListComplete marks the first page of a list after a pass that
	// handled every edition the list led to, without a failure.
	StatusListComplete Status = "complete"
	// StatusHead: only the headers of a linked document were taken (for an
	// enclosure's length).
	StatusHead Status = "head"
)

// legacyStatuses map the free-text statuses of meta files written before
// Status was typed ("parse error: " and the error, …) to a status and a
// note: the rest of the text after the prefix, or the whole text.
var legacyStatuses = []struct {
	prefix    string
	status    Status
	wholeNote bool
}{
	{"parse error: ", StatusParseError, false},
	{"skipped: ", StatusSkipped, false},
	{"complete: ", StatusListComplete, false},
	{"imported from ", StatusFetched, true},
}

// upgradeStatus reads an old meta file's free-text status as a typed status
// and a note; a meta file of this format is returned unchanged.
func upgradeStatus(m *Meta) {
	if m.Note != "" {
		return
	}
	for _, l := range legacyStatuses {
		if rest, ok := strings.CutPrefix(string(m.Status), l.prefix); ok {
			m.Note = rest
			if l.wholeNote {
				m.Note = string(m.Status)
			}
			m.Status = l.status
			return
		}
	}
}
