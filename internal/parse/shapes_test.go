package parse

import "testing"

func TestShapes(t *testing.T) {
	details := map[string]bool{
		"Thursday, May 9, 2024 | 6–8 p.m.": true,
		"Tuesday 14 May, 2-3pm":            true,
		"10:00am-3:00pm":                   true,
		"Sat 12 Oct, 10am":                 true,
		"Budget 2024":                      false,
		"Camden: Budget 2024":              false,
		"ONS Local Workshop: data maturity assessments in local government, Thursday 7 November, 9:30-10:30am": false,
		"Pay negotiations 2025/26": false,
	}
	for s, want := range details {
		if got := isDetailLine(s); got != want {
			t.Errorf("isDetailLine(%q) = %v, want %v", s, got, want)
		}
	}
	labels := map[string]bool{"Name: Ada": true, "When: Friday": true, "About Me: x": true, "Camden: Budget 2024": false, "RECOGNIZING MONTH: x": false}
	for s, want := range labels {
		if got := isLabelLine(s); got != want {
			t.Errorf("isLabelLine(%q) = %v, want %v", s, got, want)
		}
	}
	dates := map[string]string{"September 18, 2023": "2023-09-17T23:00:00Z", "Monday, 3 June 2024": "2024-06-02T23:00:00Z",
		"18th September 2023": "2023-09-17T23:00:00Z", "March 4, 2024": "2024-03-04T00:00:00Z", "September 2023": "", "February 30, 2024": "", "Budget 2024": ""}
	for s, want := range dates {
		got := ""
		if d := dateLineDay(s); !d.IsZero() {
			got = d.Format("2006-01-02T15:04:05Z07:00")
		}
		if got != want {
			t.Errorf("dateLineDay(%q) = %q, want %q", s, got, want)
		}
	}
	ordinals := map[string]int{"nineteenth": 19, "twenty-fifth": 25, "fifty-second": 52, "seventy second": 72,
		"one hundred and fifth": 105, "two hundredth": 200, "nine hundred and ninety-ninth": 999, "52nd": 52, "103rd": 103, "thousandth": 0}
	for s, want := range ordinals {
		if got := ordinal(s); got != want {
			t.Errorf("ordinal(%q) = %d, want %d", s, got, want)
		}
	}
	subjects := map[string]int{"Bulletin - 52": 52, "Bulletin – 9": 9, "Newsletter No. 52": 52, "Issue 7": 7, "Update #12": 12,
		"Cyber, digital and technology in 2024": 0, "Newsletter - 2024": 0, "Top 10 tips": 0}
	for s, want := range subjects {
		if got := subjectNumber(s); got != want {
			t.Errorf("subjectNumber(%q) = %d, want %d", s, got, want)
		}
	}
}
