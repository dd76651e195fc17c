package discover

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339, "" = none
	}{
		{"03/21/2024", "2024-03-21T00:00:00Z"},
		{"sent this bulletin at 03/21/2024 10:05 AM GMT", "2024-03-21T10:05:00Z"},
		{"06/15/2023 10:05 AM BST", "2023-06-15T09:05:00Z"},
		{"12/12/2024 12:30 PM EST", "2024-12-12T17:30:00Z"},
		{"11/20/2024 04:15 PM CST", "2024-11-20T22:15:00Z"},
		{"12/12/2024 12:05 AM", "2024-12-12T00:05:00Z"},
		{"12/12/2024 16:05", "2024-12-12T16:05:00Z"},
		{"12/12/2024 13:00 PM", "2024-12-12T00:00:00Z"},
		{"12/12/2024 10:05 AM XYZ", "2024-12-12T10:05:00Z"},
		{"13/01/2024", ""},
		{"02/30/2024", ""},
		{"1/2/1899", ""},
		{"2023-04-30", "2023-04-30T00:00:00Z"},
		{"2023-02-29", ""},
		{"sent 5 November 2024", "2024-11-05T00:00:00Z"},
		{"5th Nov. 2024", "2024-11-05T00:00:00Z"},
		{"November 5th, 2024", "2024-11-05T00:00:00Z"},
		{"Sept 14 2023", "2023-09-14T00:00:00Z"},
		{"1 May 2023 and 3 June 2024", "2023-05-01T00:00:00Z"},
		{"from 2024-01-02 to 03/04/2024", "2024-01-02T00:00:00Z"},
		{"May 2023 No.9", ""},
		{"Issue 9 - 2024", ""},
		{"no date here", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got := parseDate(tt.in)
		if tt.want == "" {
			if !got.IsZero() {
				t.Errorf("parseDate(%q) = %v, want none", tt.in, got)
			}
			continue
		}
		want, _ := time.Parse(time.RFC3339, tt.want)
		if !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseDate(%q) = %v, want %v", tt.in, got, want)
		}
	}
}
