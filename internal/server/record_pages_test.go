package server

import (
	"context"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/internal/model"
)

func TestRecordPages(t *testing.T) {
	f := newSearchFixture(t, "")
	eds, err := f.idx.Editions(context.Background(), "lga-cdt")
	if err != nil || len(eds) == 0 {
		t.Fatalf("editions: %v %d", err, len(eds))
	}
	j := slices.IndexFunc(eds, func(ed model.Edition) bool { return ed.Number == 19 })
	if j < 0 {
		t.Fatal("no edition 19")
	}
	ed19 := eds[j]
	items, err := f.idx.EditionItems(context.Background(), ed19.ID)
	if err != nil || len(items) == 0 {
		t.Fatalf("items: %v %d", err, len(items))
	}
	i := slices.IndexFunc(items, func(it model.Item) bool { return len(it.Contacts) > 0 })
	if i < 0 {
		t.Fatal("edition 19 has no item with a contact")
	}
	withContact := items[i]
	tests := []struct {
		name   string
		path   string
		status int
		want   []string
		not    []string
	}{
		{"edition", "/editions/" + ed19.ID, 200,
			[]string{"<h1 id=\"title\">", "No. 19", "Dear colleague", `href="http://bulletin.test/items/` + items[0].ID + `"`, `rel="alternate"`, ed19.URL},
			[]string{"Best wishes", "<script"}},
		{"item", "/items/" + withContact.ID, 200,
			[]string{"<h1 id=\"title\">", `href="http://bulletin.test/editions/` + ed19.ID + `"`, "mailto:" + withContact.Contacts[0], withContact.URL()},
			[]string{"<script", "style="}},
		{"unknown edition", "/editions/nope", 404, []string{"There is no edition"}, nil},
		{"unknown item", "/items/nope", 404, []string{"There is no item"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.get(t, tt.path)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("%s: %d %s", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("%s lacks %q", tt.path, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(string(body), n) {
					t.Errorf("%s contains %q", tt.path, n)
				}
			}
		})
	}
	if resp := f.get(t, "/items/"+items[0].ID); resp.StatusCode != http.StatusOK {
		t.Errorf("first item: %d", resp.StatusCode)
	}
}

// TestItemNeighbours: an item's page links to the articles before and after
// it in its edition, and every article of the edition is reached by walking
// the "Next article" links from the first, in position order.
func TestItemNeighbours(t *testing.T) {
	f := newSearchFixture(t, "")
	eds, err := f.idx.Editions(context.Background(), "lga-cdt")
	if err != nil || len(eds) == 0 {
		t.Fatalf("editions: %v %d", err, len(eds))
	}
	items, err := f.idx.EditionItems(context.Background(), eds[0].ID)
	if err != nil || len(items) < 3 {
		t.Fatalf("items: %v %d", err, len(items))
	}
	slices.SortFunc(items, func(a, b model.Item) int { return a.Position - b.Position })
	relLink := regexp.MustCompile(`href="http://bulletin\.test/items/([^"]+)" rel="(prev|next)"`)
	for i, it := range items {
		resp := f.get(t, "/items/"+it.ID)
		body, _ := io.ReadAll(resp.Body)
		links := map[string]string{}
		for _, m := range relLink.FindAllStringSubmatch(string(body), -1) {
			links[m[2]] = m[1]
		}
		want := map[string]string{}
		if i > 0 {
			want["prev"] = items[i-1].ID
		}
		if i+1 < len(items) {
			want["next"] = items[i+1].ID
		}
		if !maps.Equal(links, want) {
			t.Errorf("item %d (%s): neighbour links %v, want %v", i+1, it.ID, links, want)
		}
		if !strings.Contains(string(body), `href="http://bulletin.test/editions/`+eds[0].ID+`"`) {
			t.Errorf("item %d: no link to its edition's page", i+1)
		}
	}
}
