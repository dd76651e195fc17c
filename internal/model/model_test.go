package model

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestEditionID(t *testing.T) {
	tests := []struct{ source, url, want string }{
		{"lga-cdt", "https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025", "lga-cdt-392f025"},
		{"lga-cdt", "https://content.govdelivery.com/accounts/UKLGA/bulletins/3BF5353/", "lga-cdt-3bf5353"},
		{"s", "https://example.org/news/2024-03.html", "s-2024-03"},
		{"s", "https://example.org/", ""},      // no usable key: hashed
		{"s", "mid:abc.123@govdelivery", ""},   // no path: hashed
		{"s", "urn:sha256:0011", ""},           // no path: hashed
		{"s", "https://example.org/a%20b", ""}, // not a key: hashed
	}
	for _, tt := range tests {
		got := EditionID(tt.source, tt.url)
		if tt.want != "" && got != tt.want {
			t.Errorf("EditionID(%q) = %q, want %q", tt.url, got, tt.want)
		}
		if tt.want == "" && (!strings.HasPrefix(got, tt.source+"-") || len(got) != len(tt.source)+1+12) {
			t.Errorf("EditionID(%q) = %q, want a hashed key", tt.url, got)
		}
		if again := EditionID(tt.source, tt.url); again != got {
			t.Errorf("EditionID(%q) not stable: %q then %q", tt.url, got, again)
		}
	}
}

func TestItemIDStableAcrossCosmeticChanges(t *testing.T) {
	base := ItemID("lga-cdt-392f025", "Microsoft MOU (Memorandum of Understanding) negotiations")
	same := []string{
		"Microsoft MOU (Memorandum of Understanding) negotiations:",
		"  microsoft   MOU – (Memorandum of Understanding) Negotiations ",
		"Microsoft MOU ‘Memorandum of Understanding’ negotiations",
	}
	for _, title := range same {
		if got := ItemID("lga-cdt-392f025", title); got != base {
			t.Errorf("ItemID(%q) = %q, want %q", title, got, base)
		}
	}
	for _, other := range []struct{ ed, title string }{
		{"lga-cdt-3bf5353", "Microsoft MOU (Memorandum of Understanding) negotiations"},
		{"lga-cdt-392f025", "Microsoft MOU negotiations"},
	} {
		if ItemID(other.ed, other.title) == base {
			t.Errorf("ItemID(%q, %q) collides", other.ed, other.title)
		}
	}
	if !strings.HasPrefix(base, "lga-cdt-392f025-") {
		t.Errorf("ItemID = %q: want the edition id as prefix", base)
	}
}

func TestItemURL(t *testing.T) {
	it := Item{EditionURL: "https://e.example/b/1", Anchor: "news"}
	if it.URL() != "https://e.example/b/1#news" {
		t.Errorf("URL = %q", it.URL())
	}
	it.Anchor = ""
	if it.URL() != "https://e.example/b/1" {
		t.Errorf("URL = %q", it.URL())
	}
}

// TestUnknownDateAbsent: an edition or item whose bulletin states no date
// has no "published" in its JSON, never year 1.
func TestUnknownDateAbsent(t *testing.T) {
	for _, v := range []any{Edition{ID: "e"}, Item{ID: "i"}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "published") || strings.Contains(string(b), "0001") {
			t.Errorf("%s", b)
		}
	}
	b, _ := json.Marshal(Item{Published: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)})
	if !strings.Contains(string(b), `"published":"2024-05-01T09:00:00Z"`) {
		t.Errorf("a known date is kept: %s", b)
	}
}
