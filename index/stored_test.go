package index

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/model"
)

// TestDecodeStoredMatchesStdlib: every item and edition of the generated
// corpus, and items made to hold what JSON escapes or omits, decode from
// their stored JSON (encoding/json's, as itemDoc writes it) into the same
// values through decodeStored as through encoding/json.
func TestDecodeStoredMatchesStdlib(t *testing.T) {
	t.Parallel()
	eds, _ := generatedEditions(t, 6)
	var items []model.Item
	var editions []model.Edition
	for _, e := range eds {
		items = append(items, e.items...)
		editions = append(editions, e.ed)
	}
	when := time.Date(2024, 3, 5, 9, 30, 0, 0, time.UTC)
	items = append(items,
		model.Item{}, // every field zero or omitted
		model.Item{ID: "x", Title: "Tabs\tand \"quotes\" \\ <b>&amp;</b> \u2028 é 🙂", Text: "line\n\nline\x00\x1f",
			HTML: `<p><a href="https://example.org/?a=1&b=2">x</a></p>`, Published: when, EditionOrder: 1 << 40,
			Position: -1, Links: []model.Link{{URL: "https://example.org/a.pdf", Type: "application/pdf", Length: 1 << 33}},
			Contacts: []string{"a@example.org"}, Dates: []model.Date{{Date: "2024-03-05", Text: "5 March"}},
			Deadlines: []model.Date{{Date: "2024-04-01", Text: "by 1 April"}},
			Events: []model.Event{{Title: "Webinar", Start: when, End: when.Add(time.Hour), AllDay: true, Place: "Online", Online: true},
				{Title: "Local", Start: time.Date(2024, 3, 5, 10, 0, 0, 0, time.FixedZone("BST", 3600))}},
			Orgs: []string{"NCSC", "LGA"}},
		model.Item{ID: "y", Links: []model.Link{}, Orgs: []string{}}, // empty, not nil: omitted
	)
	editions = append(editions, model.Edition{}, model.Edition{ID: "e", Published: when, DateFromIssueLine: true, Order: 7, Editorial: "é <x>"})
	check := func(name string, v any, fresh func() (any, any)) {
		js, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		std, got := fresh()
		if err := json.Unmarshal(js, std); err != nil {
			t.Fatal(err)
		}
		if err := decodeStored(name, js, got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, std) {
			t.Errorf("%s: decodeStored gave\n%+v\nencoding/json\n%+v", name, got, std)
		}
	}
	for _, it := range items {
		check("item "+it.ID, it, func() (any, any) { return new(model.Item), new(model.Item) })
	}
	for _, ed := range editions {
		check("edition "+ed.ID, ed, func() (any, any) { return new(model.Edition), new(model.Edition) })
	}
	if err := decodeStored("bad", []byte(`{"id": 1}`), new(model.Item)); err == nil {
		t.Error("a number for a string decoded without error")
	}
}
