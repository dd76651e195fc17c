package testsite_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/internal/testsite"
)

func get(t *testing.T, url string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func TestPages(t *testing.T) {
	s := testsite.Start(t)
	for _, f := range testsite.Editions() {
		t.Run(f.ID, func(t *testing.T) {
			resp, body := get(t, s.URLOf(f.Path), nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/html" {
				t.Errorf("Content-Type = %q, want text/html without charset", ct)
			}
			if bytes.Contains(body, []byte("{{BASE}}")) {
				t.Error("placeholder {{BASE}} not replaced")
			}
			if !bytes.Contains(body, []byte(s.URL+f.Path)) {
				t.Errorf("page does not link to itself at %s", s.URL+f.Path)
			}
			if !bytes.Contains(body, []byte("bulletin_body")) {
				t.Error("no bulletin body")
			}
			for _, title := range f.Items {
				// Titles are HTML-escaped in the page; compare on a prefix free of & and quotes.
				key := strings.SplitN(title, "&", 2)[0]
				key = strings.SplitN(key, "'", 2)[0]
				if f.ID == "3615c15" {
					continue // windows-1252: checked below
				}
				if !bytes.Contains(body, []byte(key)) {
					t.Errorf("item title %q not in page", title)
				}
			}
			if len(f.Items) < 3 {
				t.Errorf("only %d items", len(f.Items))
			}
			if s.Hits(f.Path) != 1 {
				t.Errorf("Hits = %d, want 1", s.Hits(f.Path))
			}
		})
	}
}

func TestWindows1252Page(t *testing.T) {
	s := testsite.Start(t)
	_, body := get(t, s.URLOf("/accounts/UKLGA/bulletins/3615c15"), nil)
	for _, b := range []byte{0x92, 0x93, 0x94} {
		if !bytes.Contains(body, []byte{b}) {
			t.Errorf("byte %#x (curly quote) missing", b)
		}
	}
	if !bytes.Contains(body, []byte(`charset=windows-1252`)) {
		t.Error("no charset declaration in <meta>")
	}
}

func TestConditionalGet(t *testing.T) {
	s := testsite.Start(t)
	path := testsite.Editions()[0].Path
	resp, _ := get(t, s.URLOf(path), nil)
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || lm == "" {
		t.Fatalf("ETag %q, Last-Modified %q: want a strong ETag and a date", etag, lm)
	}
	tests := []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"etag match", map[string]string{"If-None-Match": etag}, http.StatusNotModified},
		{"etag mismatch", map[string]string{"If-None-Match": `"other"`}, http.StatusOK},
		{"not modified since", map[string]string{"If-Modified-Since": lm}, http.StatusNotModified},
		{"modified since", map[string]string{"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, s.URLOf(path), tt.hdr)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == http.StatusNotModified && len(body) != 0 {
				t.Error("304 with a body")
			}
		})
	}
	if got := s.Hits(path); got != 1+len(tests) {
		t.Errorf("Hits = %d, want %d", got, 1+len(tests))
	}
}

func TestFeed(t *testing.T) {
	s := testsite.Start(t)
	resp, body := get(t, s.URLOf(testsite.FeedPath), map[string]string{"Accept": "application/rss+xml"})
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/rss+xml") {
		t.Errorf("Content-Type = %q", ct)
	}
	var rss struct {
		Items []struct {
			Title   string `xml:"title"`
			Link    string `xml:"link"`
			PubDate string `xml:"pubDate"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(body, &rss); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range testsite.Editions() {
		if f.InFeed {
			want = append(want, s.URL+f.Path)
		}
	}
	var got []string
	foreign := false
	for _, it := range rss.Items {
		got = append(got, it.Link)
		if it.PubDate == "" || it.Title == "" {
			t.Errorf("item %s lacks title or pubDate", it.Link)
		}
		if strings.Contains(it.Title, "Workforce") {
			foreign = true
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("feed links:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !foreign {
		t.Error("feed lacks the bulletin of another series")
	}
}

func TestListPage(t *testing.T) {
	s := testsite.Start(t)
	_, body := get(t, s.URLOf(testsite.ListPath), nil)
	re := regexp.MustCompile(`href="(/accounts/UKLGA/bulletins/[0-9a-f]+)"`)
	var got []string
	for _, m := range re.FindAllSubmatch(body, -1) {
		got = append(got, string(m[1]))
	}
	var want []string
	for _, f := range testsite.Editions() {
		want = append(want, f.Path)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("list page links %v, want %v", got, want)
	}
}

func TestRobotsAndNotFound(t *testing.T) {
	s := testsite.Start(t)
	resp, body := get(t, s.URLOf("/robots.txt"), nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Allow: /") {
		t.Errorf("robots.txt: %d %q", resp.StatusCode, body)
	}
	for _, p := range []string{"/nope", "/accounts/UKLGA/bulletins/ffffff0", "/accounts/UKLGA/bulletins/../robots.txt"} {
		if resp, _ := get(t, s.URLOf(p), nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, resp.StatusCode)
		}
	}
}

func TestEditionsConsistent(t *testing.T) {
	seen := map[string]bool{}
	foreign := 0
	prev := ""
	for _, f := range testsite.Editions() {
		if seen[f.ID] {
			t.Errorf("duplicate id %s", f.ID)
		}
		seen[f.ID] = true
		if !f.Series {
			foreign++
		}
		if prev != "" && f.ID >= prev {
			t.Errorf("ids not newest first: %s after %s", f.ID, prev)
		}
		prev = f.ID
		if f.Published.IsZero() {
			t.Errorf("%s: no Published", f.ID)
		}
	}
	if len(seen)-foreign < 8 || foreign != 1 {
		t.Errorf("%d series editions and %d foreign, want >= 8 and 1", len(seen)-foreign, foreign)
	}
}
