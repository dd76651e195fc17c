package feed_test

import (
	_ "time/tzdata" // Europe/London on machines without a zoneinfo database

	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"

	"github.com/lga-digital/bulletin/internal/feed"
	"github.com/lga-digital/bulletin/internal/model"
)

var london = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func trickyCalendar() feed.Calendar {
	return feed.Calendar{
		Name: "LGA bulletin: events, deadlines",
		URL:  "https://bulletin.example/feeds/lga.ics",
		Events: []feed.CalEvent{
			{
				UID:         "lga-392f025-1a2b3c4d5e-event-20240416@bulletin",
				Summary:     "Webinar; \"digital inclusion\", Leeds \\ BCS\x00",
				Description: "Line one,\r\nline two; line three\rline four\nend 🎉 “quoted” \xff " + strings.Repeat("ééé long ", 20),
				URL:         "https://www.bcs.org/events/leeds?a=1,2;b=3",
				Location:    "Online, Teams",
				Start:       time.Date(2024, 4, 16, 17, 0, 0, 0, london),
				End:         time.Date(2024, 4, 16, 18, 0, 0, 0, london),
				Updated:     published1,
			},
			{
				UID:     "lga-392f025-1a2b3c4d5e-deadline-20240329@bulletin",
				Summary: "Deadline: skills framework feedback",
				Start:   time.Date(2024, 3, 29, 0, 0, 0, 0, time.UTC),
				AllDay:  true,
				Updated: published1,
			},
			{
				UID:     "multi-day",
				Summary: "Conference",
				Start:   time.Date(2024, 6, 3, 0, 0, 0, 0, london),
				End:     time.Date(2024, 6, 5, 0, 0, 0, 0, london),
				AllDay:  true,
			},
			{UID: "no-start", Summary: "skipped: no start"},
			{Summary: "no UID", Start: published3},
		},
	}
}

func renderICal(t testing.TB, cal feed.Calendar) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := feed.WriteICal(&buf, cal); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestICalGolden(t *testing.T) {
	golden(t, "tricky.ics", renderICal(t, trickyCalendar()))
}

// checkICalLines checks CRLF endings and the 75-octet limit, and that no
// fold splits a UTF-8 sequence.
func checkICalLines(t testing.TB, out []byte) {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Errorf("output does not end in CRLF")
	}
	lines := bytes.Split(bytes.TrimSuffix(out, []byte("\r\n")), []byte("\r\n"))
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(l), l)
		}
		if bytes.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if !utf8.Valid(l) {
			t.Errorf("line %d is not valid UTF-8 (a fold split a character?): %q", i+1, l)
		}
	}
}

func TestICalRoundTrip(t *testing.T) {
	out := renderICal(t, trickyCalendar())
	checkICalLines(t, out)
	cal, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
	if err != nil {
		t.Fatalf("go-ical: %v\n%s", err, out)
	}
	for prop, want := range map[string]string{"VERSION": "2.0", "PRODID": "-//lga-digital//bulletin//EN", "X-WR-CALNAME": "LGA bulletin: events, deadlines"} {
		p := cal.Props.Get(prop)
		if p == nil {
			t.Errorf("no %s", prop)
			continue
		}
		if got, err := p.Text(); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", prop, got, err, want)
		}
	}
	text := func(e ical.Event, name string) string {
		t.Helper()
		p := e.Props.Get(name)
		if p == nil {
			return "<absent>"
		}
		s, err := p.Text()
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		return s
	}
	events := cal.Events()
	if len(events) != 4 {
		t.Fatalf("%d events, want 4 (the one without a start is skipped)", len(events))
	}
	if uid := text(events[3], "UID"); !strings.HasSuffix(uid, "@bulletin") || len(uid) != 20+len("@bulletin") {
		t.Errorf("derived UID = %q", uid)
	}

	webinar := events[0]
	if got := text(webinar, "UID"); got != "lga-392f025-1a2b3c4d5e-event-20240416@bulletin" {
		t.Errorf("UID = %q", got)
	}
	if got, want := text(webinar, "SUMMARY"), "Webinar; \"digital inclusion\", Leeds \\ BCS"; got != want {
		t.Errorf("SUMMARY = %q, want %q", got, want)
	}
	wantDesc := "Line one,\nline two; line three\nline four\nend 🎉 “quoted”  " + strings.Repeat("ééé long ", 20)
	if got := text(webinar, "DESCRIPTION"); got != wantDesc {
		t.Errorf("DESCRIPTION = %q, want %q", got, wantDesc)
	}
	if got := text(webinar, "LOCATION"); got != "Online, Teams" {
		t.Errorf("LOCATION = %q", got)
	}
	if got := webinar.Props.Get("URL").Value; got != "https://www.bcs.org/events/leeds?a=1,2;b=3" {
		t.Errorf("URL = %q", got)
	}
	start, err := webinar.DateTimeStart(time.UTC)
	if err != nil || !start.Equal(time.Date(2024, 4, 16, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("DTSTART = %v (%v), want 16:00 UTC", start, err)
	}
	end, err := webinar.DateTimeEnd(time.UTC)
	if err != nil || !end.Equal(time.Date(2024, 4, 16, 17, 0, 0, 0, time.UTC)) {
		t.Errorf("DTEND = %v (%v)", end, err)
	}
	// METHOD:PUBLISH: every DTSTAMP is the calendar's creation, here the
	// newest Updated of its events (never the clock).
	for i, ev := range events {
		if got := ev.Props.Get("DTSTAMP").Value; got != "20240321T100500Z" {
			t.Errorf("event %d: DTSTAMP = %q, want the newest Updated", i, got)
		}
	}

	deadline := events[1]
	if p := deadline.Props.Get("DTSTART"); p == nil || p.Value != "20240329" || p.ValueType() != ical.ValueDate {
		t.Errorf("deadline DTSTART = %+v, want the date 20240329", p)
	}
	if p := deadline.Props.Get("DTEND"); p == nil || p.Value != "20240330" {
		t.Errorf("deadline DTEND = %+v, want the next day (exclusive)", p)
	}
	conf := events[2]
	if s, e := conf.Props.Get("DTSTART").Value, conf.Props.Get("DTEND").Value; s != "20240603" || e != "20240606" {
		t.Errorf("multi-day DTSTART, DTEND = %s, %s; want 20240603, 20240606", s, e)
	}
}

func TestICalStampAndDefaultEnd(t *testing.T) {
	start := time.Date(2024, 4, 16, 16, 0, 0, 0, time.UTC)
	stamp := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		cal       feed.Calendar
		wantStamp string
		wantEnd   string
	}{
		{"stated stamp, no end", feed.Calendar{Stamp: stamp, Events: []feed.CalEvent{{UID: "a", Summary: "a", Start: start}}}, "20240501T120000Z", "20240416T170000Z"},
		{"no stamp, no updated: the newest start", feed.Calendar{Events: []feed.CalEvent{{UID: "a", Summary: "a", Start: start, End: start}}}, "20240416T160000Z", "20240416T170000Z"},
		{"stated end", feed.Calendar{Events: []feed.CalEvent{{UID: "a", Summary: "a", Start: start, End: start.Add(30 * time.Minute), Updated: published1}}}, "20240321T100500Z", "20240416T163000Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cal, err := ical.NewDecoder(bytes.NewReader(renderICal(t, tc.cal))).Decode()
			if err != nil {
				t.Fatal(err)
			}
			ev := cal.Events()[0]
			if got := ev.Props.Get("DTSTAMP").Value; got != tc.wantStamp {
				t.Errorf("DTSTAMP = %q, want %q", got, tc.wantStamp)
			}
			if got := ev.Props.Get("DTEND"); got == nil || got.Value != tc.wantEnd {
				t.Errorf("DTEND = %+v, want %q", got, tc.wantEnd)
			}
		})
	}
}

func TestICalEmpty(t *testing.T) {
	out := renderICal(t, feed.Calendar{})
	checkICalLines(t, out)
	cal, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Events()) != 0 || cal.Props.Get("NAME") != nil {
		t.Errorf("events %d, NAME %v", len(cal.Events()), cal.Props.Get("NAME"))
	}
}

func TestICalFolding(t *testing.T) {
	for _, summary := range []string{
		strings.Repeat("a", 200),
		strings.Repeat("€", 100),   // 3-octet runes
		strings.Repeat("🎉", 80),    // 4-octet runes
		strings.Repeat(",;\\", 60), // escapes double the length
		strings.Repeat("x", 66),    // "SUMMARY:" + 66 = 74
		strings.Repeat("x", 67),    // 75: fits exactly
		strings.Repeat("x", 68),    // 76: folds
		" leading and trailing spaces ",
	} {
		out := renderICal(t, feed.Calendar{Events: []feed.CalEvent{{UID: "u", Summary: summary, Start: published1}}})
		checkICalLines(t, out)
		cal, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
		if err != nil {
			t.Fatal(err)
		}
		got, err := cal.Events()[0].Props.Get("SUMMARY").Text()
		if err != nil || got != summary {
			t.Errorf("SUMMARY = %q (%v), want %q", got, err, summary)
		}
	}
}

func TestEventsFromItem(t *testing.T) {
	it := model.Item{
		ID:         "lga-392f025-1a2b3c4d5e",
		EditionURL: "https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025",
		Anchor:     "events",
		Published:  published1,
		Title:      "Building a connected digital inclusion ecosystem",
		Text:       "This webinar showcase, hosted by BCS, will explore how the city of Leeds drives digital inclusion.",
		Events: []model.Event{
			{Title: "Leeds webinar", Start: time.Date(2024, 4, 16, 17, 0, 0, 0, london), End: time.Date(2024, 4, 16, 18, 0, 0, 0, london), Online: true},
			{Start: time.Date(2024, 4, 16, 9, 0, 0, 0, london), End: time.Date(2024, 4, 16, 17, 0, 0, 0, london), Place: "20 Cavendish Square, London"},
			{Title: "Away day", Start: time.Date(2024, 5, 1, 0, 0, 0, 0, london), AllDay: true},
			{Title: "no start"},
		},
		Deadlines: []model.Date{
			{Date: "2024-03-29", Text: "by 29 March 2024"},
			{Date: "2024-03-29", Text: "29/03/2024"},
			{Date: "not a date"},
		},
	}
	site := feed.Site{Base: "https://bulletin.example/base/"}
	got := feed.EventsFromItem(site, it)
	want := []feed.CalEvent{
		{UID: "lga-392f025-1a2b3c4d5e-event-20240416@bulletin", Summary: "Leeds webinar", Location: "Online"},
		{UID: "lga-392f025-1a2b3c4d5e-event-20240416-2@bulletin", Summary: it.Title, Location: "20 Cavendish Square, London"},
		{UID: "lga-392f025-1a2b3c4d5e-event-20240501@bulletin", Summary: "Away day", AllDay: true},
		{UID: "lga-392f025-1a2b3c4d5e-deadline-20240329@bulletin", Summary: "Deadline: " + it.Title, AllDay: true},
	}
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.UID != w.UID || g.Summary != w.Summary || g.Location != w.Location || g.AllDay != w.AllDay {
			t.Errorf("event %d = {%q %q %q %v}, want {%q %q %q %v}", i, g.UID, g.Summary, g.Location, g.AllDay, w.UID, w.Summary, w.Location, w.AllDay)
		}
		if g.URL != "https://bulletin.example/base/items/lga-392f025-1a2b3c4d5e" || !g.Updated.Equal(published1) {
			t.Errorf("event %d URL %q, updated %v", i, g.URL, g.Updated)
		}
	}
	if d := got[3]; !d.Start.Equal(time.Date(2024, 3, 29, 0, 0, 0, 0, time.UTC)) || !strings.HasPrefix(d.Description, "By 29 March 2024.\n\nThis webinar") {
		t.Errorf("deadline start %v, description %q", d.Start, d.Description)
	}
	if !got[0].End.Equal(it.Events[0].End) || got[0].Description != it.Text {
		t.Errorf("event 0 end %v, description %q", got[0].End, got[0].Description)
	}
	// Stable: the same item gives the same UIDs, whatever the order of calls.
	again := feed.EventsFromItem(site, it)
	for i := range got {
		if got[i].UID != again[i].UID {
			t.Errorf("UID %d changed: %q then %q", i, got[i].UID, again[i].UID)
		}
	}
	// A zero Site links to the original edition.
	if ev := feed.EventsFromItem(feed.Site{}, it)[0]; ev.URL != it.URL() {
		t.Errorf("zero Site: URL %q, want %q", ev.URL, it.URL())
	}
	// And the events survive the writer and a parser.
	out := renderICal(t, feed.Calendar{Name: "x", Events: got})
	cal, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cal.Events()); n != len(want) {
		t.Errorf("%d events parsed back, want %d", n, len(want))
	}
}
