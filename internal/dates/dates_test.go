package dates

import (
	"strings"
	"testing"
	"time"
)

// TestDateline reads datelines on the days Europe/London changes between
// GMT and BST (the last Sundays of March and October: 31 March and 27
// October 2024) and in other zones.
func TestDateline(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		loc  *time.Location
		want string // RFC 3339 in UTC, "" = none
	}{
		{"sent this bulletin at 03/21/2024 10:05 AM GMT", nil, "2024-03-21T10:05:00Z"},
		{"06/15/2023 10:05 AM BST", nil, "2023-06-15T09:05:00Z"},
		{"06/15/2023 10:05 AM", nil, "2023-06-15T09:05:00Z"},
		{"06/15/2023 10:05 a.m. BST", nil, "2023-06-15T09:05:00Z"},
		{"06/15/2023 10:05 PM", nil, "2023-06-15T21:05:00Z"},
		{"12/12/2024 12:05 AM", nil, "2024-12-12T00:05:00Z"},
		{"12/12/2024 12:30 PM", nil, "2024-12-12T12:30:00Z"},
		{"12/12/2024 16:05", nil, "2024-12-12T16:05:00Z"},
		// The day before the spring change is GMT; from 01:00 UTC it is BST.
		{"03/30/2024 01:30 AM", nil, "2024-03-30T01:30:00Z"},
		{"03/31/2024 12:30 AM", nil, "2024-03-31T00:30:00Z"},
		{"03/31/2024 01:30 AM GMT", nil, "2024-03-31T01:30:00Z"},
		{"03/31/2024 02:30 AM BST", nil, "2024-03-31T01:30:00Z"},
		// 01:30 does not exist in London on 31 March: it reads as GMT.
		{"03/31/2024 01:30 AM", nil, "2024-03-31T01:30:00Z"},
		{"03/31/2024 03:00 AM", nil, "2024-03-31T02:00:00Z"},
		// 01:30 happens twice on 27 October: the abbreviation tells which.
		{"10/27/2024 01:30 AM BST", nil, "2024-10-27T00:30:00Z"},
		{"10/27/2024 01:30 AM GMT", nil, "2024-10-27T01:30:00Z"},
		{"10/27/2024 12:30 AM", nil, "2024-10-26T23:30:00Z"}, // BST until 01:00 UTC
		{"10/27/2024 02:30 AM", nil, "2024-10-27T02:30:00Z"},
		{"10/26/2024 01:30 AM", nil, "2024-10-26T00:30:00Z"},
		// Other zones: the abbreviation gives the offset, whatever loc is.
		{"03/10/2024 09:00 AM EST", nil, "2024-03-10T14:00:00Z"},
		{"07/10/2024 09:00 AM EDT", nil, "2024-07-10T13:00:00Z"},
		{"11/20/2024 04:15 PM CST", nil, "2024-11-20T22:15:00Z"},
		{"11/20/2024 04:15 PM cdt", nil, "2024-11-20T21:15:00Z"},
		{"11/20/2024 04:15 PM MST", nil, "2024-11-20T23:15:00Z"},
		{"11/20/2024 04:15 PM MDT", nil, "2024-11-20T22:15:00Z"},
		{"11/20/2024 04:15 PM PST", nil, "2024-11-21T00:15:00Z"},
		{"11/20/2024 04:15 PM PDT", nil, "2024-11-20T23:15:00Z"},
		{"11/20/2024 04:15 PM CET", nil, "2024-11-20T15:15:00Z"},
		{"07/20/2024 04:15 PM CEST", nil, "2024-07-20T14:15:00Z"},
		{"07/20/2024 04:15 PM UTC", nil, "2024-07-20T16:15:00Z"},
		// No abbreviation, or an unknown one: the source's zone.
		{"07/20/2024 04:15 PM", paris, "2024-07-20T14:15:00Z"},
		{"07/20/2024 04:15 PM XYZ", nil, "2024-07-20T15:15:00Z"},
		{"07/20/2024 04:15 PM GMT", paris, "2024-07-20T16:15:00Z"},
		// A date without a time, or with no time of day, is midnight.
		{"03/21/2024", nil, "2024-03-21T00:00:00Z"},
		{"06/21/2024", nil, "2024-06-20T23:00:00Z"},
		{"12/12/2024 13:00 PM", nil, "2024-12-12T00:00:00Z"},
		{"12/12/2024 10:75 AM", nil, "2024-12-12T00:00:00Z"},
		{"13/01/2024 10:05 AM", nil, ""},
		{"02/30/2024", nil, ""},
		{"1/2/1899", nil, ""},
		{"no date", nil, ""},
		{"", nil, ""},
	}
	for _, tt := range tests {
		got := Dateline(tt.in, tt.loc)
		check(t, "Dateline("+tt.in+")", got, tt.want)
	}
}

func check(t *testing.T, what string, got time.Time, want string) {
	t.Helper()
	if want == "" {
		if !got.IsZero() {
			t.Errorf("%s = %v, want none", what, got)
		}
		return
	}
	w, err := time.Parse(time.RFC3339, want)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(w) || got.Location() != time.UTC {
		t.Errorf("%s = %v, want %v", what, got, w)
	}
}

func TestFind(t *testing.T) {
	tests := []struct{ in, want string }{
		{"03/21/2024", "2024-03-21T00:00:00Z"},
		{"sent this bulletin at 03/21/2024 10:05 AM GMT", "2024-03-21T10:05:00Z"},
		{"12/12/2024 12:30 PM EST", "2024-12-12T17:30:00Z"},
		{"2023-04-30", "2023-04-29T23:00:00Z"},
		{"2023-12-30", "2023-12-30T00:00:00Z"},
		{"at 2024-03-21T10:05:00Z", "2024-03-21T10:05:00Z"},
		{"at 2024-06-21T10:05", "2024-06-21T09:05:00Z"},
		{"2023-02-29", ""},
		{"sent 5 November 2024", "2024-11-05T00:00:00Z"},
		{"5th Nov. 2024", "2024-11-05T00:00:00Z"},
		{"8th of November 2024", "2024-11-08T00:00:00Z"},
		{"November 5th, 2024", "2024-11-05T00:00:00Z"},
		{"Sept 14 2023", "2023-09-13T23:00:00Z"},
		{"1 May 2023 and 3 June 2024", "2023-04-30T23:00:00Z"},
		{"from 2024-01-02 to 03/04/2024", "2024-01-02T00:00:00Z"},
		{"31 April 2024", ""},
		{"May 2023 No.9", ""},
		{"Issue 9 - 2024", ""},
		{"no date here", ""},
		{"", ""},
	}
	for _, tt := range tests {
		check(t, "Find("+tt.in+")", Find(tt.in, nil), tt.want)
	}
}

func TestISO(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-03-21T10:05:00Z", "2024-03-21T10:05:00Z"},
		{" 2024-03-21T10:05:00.123+01:00 ", "2024-03-21T09:05:00.123Z"},
		{"2024-03-21T10:05+0100", "2024-03-21T09:05:00Z"},
		{"2024-06-21T10:05", "2024-06-21T09:05:00Z"},
		{"2024-06-21", "2024-06-20T23:00:00Z"},
		{"2024-02-30", ""},
		{"21 March 2024", ""},
		{"2024-03-21 and more", ""},
	}
	for _, tt := range tests {
		got, ok := ISO(tt.in, nil)
		if ok == (tt.want == "") {
			t.Errorf("ISO(%q) ok = %v", tt.in, ok)
		}
		check(t, "ISO("+tt.in+")", got, tt.want)
	}
}

func TestMonth(t *testing.T) {
	tests := []struct {
		in   string
		want time.Month
	}{
		{"January", time.January}, {"jan", time.January}, {"Jan.", time.January},
		{"Sept", time.September}, {"sep", time.September}, {"SEPTEMBER", time.September},
		{"May", time.May}, {"June", time.June}, {"Jun", time.June},
		{"Ju", 0}, {"Mayday", 0}, {"Septembre", 0}, {"", 0}, {"Foo", 0},
	}
	for _, tt := range tests {
		if got := Month(tt.in); got != tt.want {
			t.Errorf("Month(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// monthRef is Month as first written, lower-casing s and each name.
func monthRef(s string) time.Month {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	if len(s) < 3 {
		return 0
	}
	for m := time.January; m <= time.December; m++ {
		if name := strings.ToLower(m.String()); strings.HasPrefix(name, s[:3]) {
			if s == name || (len(s) <= 4 && strings.HasPrefix(name, s)) {
				return m
			}
			return 0
		}
	}
	return 0
}

func FuzzMonth(f *testing.F) {
	for _, s := range []string{"January", "jAN.", "Sept", "sEpT.", "May", "Ju", "Juni", "\u017fep", "Dec\u212a", "AUG\u0130", "j\xffn", "Marc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Month(s), monthRef(s); got != want {
			t.Errorf("Month(%q) = %v, want %v", s, got, want)
		}
	})
}

// TestMonthTable checks that every name of the alternations reads as its
// month and that MonthNames is Go's own table.
func TestMonthTable(t *testing.T) {
	var names []string
	for m := time.January; m <= time.December; m++ {
		names = append(names, m.String())
	}
	if got := strings.Join(names, "|"); got != MonthNames {
		t.Errorf("MonthNames = %q, want %q", MonthNames, got)
	}
	for _, alt := range strings.Split(Months, "|") {
		if Month(alt) == 0 {
			t.Errorf("Month(%q) = 0; Months lists it", alt)
		}
	}
}

func TestZone(t *testing.T) {
	for abbr, h := range map[string]int{"GMT": 0, "bst": 1, "EST": -5, "EDT": -4, "CEST": 2, "PST": -8} {
		z, ok := Zone(abbr)
		if !ok {
			t.Errorf("Zone(%q) unknown", abbr)
			continue
		}
		if _, off := time.Date(2024, 1, 1, 0, 0, 0, 0, z).Zone(); off != h*3600 {
			t.Errorf("Zone(%q) offset %d, want %d h", abbr, off, h)
		}
	}
	if _, ok := Zone("XYZ"); ok {
		t.Error("Zone(XYZ) known")
	}
}

func TestClock(t *testing.T) {
	tests := []struct {
		h, m int
		mer  string
		want int
		ok   bool
	}{
		{12, 5, "AM", 5, true}, {12, 5, "pm", 12*60 + 5, true}, {1, 0, "p", 13 * 60, true},
		{0, 0, "", 0, true}, {23, 59, "", 23*60 + 59, true},
		{13, 0, "PM", 0, false}, {0, 0, "am", 0, false}, {24, 0, "", 0, false}, {9, 60, "", 0, false}, {9, 0, "x", 0, false},
	}
	for _, tt := range tests {
		got, ok := Clock(tt.h, tt.m, tt.mer)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Clock(%d, %d, %q) = %d, %v; want %d, %v", tt.h, tt.m, tt.mer, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseDay(t *testing.T) {
	if d, err := ParseDay("2024-03-21"); err != nil || !d.Equal(time.Date(2024, 3, 21, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseDay = %v, %v", d, err)
	}
	if _, err := ParseDay("21/03/2024"); err == nil {
		t.Error("ParseDay(21/03/2024): no error")
	}
}

// FuzzFind checks that no text makes the readers panic or return a time
// that is not UTC or outside the years a date may have, and that a
// dateline Dateline reads is also what Find reads when it opens the text.
func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"03/21/2024 10:05 AM GMT", "10/27/2024 01:30 AM BST", "03/10/2024 09:00 AM EST",
		"2024-03-21T10:05:00Z", "5th of Nov. 2024", "November 5th, 2024", "12/12/2024 13:00 PM",
		"2024-06-21T10:05+0100", "1/2/1899",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		valid := func(what string, got time.Time) {
			if got.IsZero() {
				return
			}
			if got.Location() != time.UTC {
				t.Fatalf("%s(%q) = %v, not UTC", what, s, got)
			}
			if y := got.Year(); y < MinYear-1 || y > MaxYear+1 {
				t.Fatalf("%s(%q) = %v, year out of range", what, s, got)
			}
		}
		d := Dateline(s, nil)
		valid("Dateline", d)
		valid("Find", Find(s, nil))
		if iso, ok := ISO(s, nil); ok {
			valid("ISO", iso)
		}
		if m := datelineRe.FindStringIndex(s); m != nil && m[0] == 0 && !d.Equal(Find(s, nil)) {
			t.Fatalf("Dateline(%q) = %v, Find = %v", s, d, Find(s, nil))
		}
	})
}
