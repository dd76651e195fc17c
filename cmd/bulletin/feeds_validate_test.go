package main_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	ical "github.com/emersion/go-ical"
	"github.com/mmcdole/gofeed"
)

// requireValidators reports whether a missing validator is a failure (in
// CI, or when scripts/test.sh says so) rather than a reason to skip.
func requireValidators() bool {
	return os.Getenv("CI") != "" || os.Getenv("BULLETIN_REQUIRE_VALIDATORS") == "1"
}

// needTool fails (in CI) or skips the (sub)test when a validator is missing.
func needTool(t *testing.T, ok bool, what, install string) {
	t.Helper()
	if ok {
		return
	}
	msg := fmt.Sprintf("validator %s is missing; install it with %s (scripts/test.sh does)", what, install)
	if requireValidators() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// servedDoc is one document the server returned, kept on disk for the
// validators that run as separate programs.
type servedDoc struct {
	target string // path and query
	typ    string // media type without parameters
	file   string
	body   []byte
	etag   string
}

// feedTargets lists what the validators check: every feed the OPML list
// names in its three formats, their variants (?summary=1, ?q=, paging),
// saved searches, the calendars and the OPML list, and requests made of
// hostile text.
func feedTargets(t *testing.T, e *env) (feeds []string, others []string) {
	t.Helper()
	code, _, body := e.get("/opml")
	if code != 200 {
		t.Fatalf("/opml: %d %s", code, body)
	}
	var doc struct {
		Outlines []opmlOutline `xml:"body>outline"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("/opml: %v", err)
	}
	var walk func([]opmlOutline)
	walk = func(os []opmlOutline) {
		for _, o := range os {
			if o.XMLURL != "" {
				u, err := url.Parse(o.XMLURL)
				if err != nil {
					t.Fatalf("OPML xmlUrl %q: %v", o.XMLURL, err)
				}
				feeds = append(feeds, strings.TrimSuffix(u.EscapedPath(), path.Ext(u.Path)))
			}
			walk(o.Children)
		}
	}
	walk(doc.Outlines)
	var sections, orgs int
	for _, f := range feeds {
		sections += strings.Count(f, "/sections/")
		orgs += strings.Count(f, "/orgs/")
	}
	if sections == 0 || orgs == 0 {
		t.Fatalf("the OPML list names no section or organisation feed: %q", feeds)
	}
	feeds = append(feeds, "/search")
	others = []string{
		"/feeds/lga-cdt.rss?summary=1", "/feeds/lga-cdt.atom?summary=1", "/feeds/lga-cdt.json?summary=1",
		"/feeds/lga-cdt.atom?q=cyber&limit=2&page=2", "/feeds/lga-cdt.rss?limit=3&page=2", "/feeds/lga-cdt.json?limit=1",
		"/feeds/lga-cdt/editions.atom?summary=1&limit=2", "/feeds/lga-cdt/editions.json?q=ofcom",
		"/search.rss?q=%22digital+inclusion%22", "/search.atom?q=org%3ANCSC", "/search.json?q=%22Cyber+360%22",
		"/search.rss?q=nomatchforthisword", "/search.atom?q=nomatchforthisword", "/search.json?q=nomatchforthisword",
		// Hostile text in the query lands in titles and self links.
		"/search.rss?q=%5D%5D%3E+%3Cscript%3E", "/search.atom?q=%5D%5D%3E+%3Cscript%3E", "/search.json?q=%5D%5D%3E",
		"/search.rss?q=a%01b%EF%BF%BE%7F", "/search.atom?q=%FF%FEcyber", "/search.json?q=%ED%A0%80x",
		"/events.ics", "/feeds/lga-cdt/events.ics", "/events.ics?q=workshop",
		"/opml",
	}
	return feeds, others
}

type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr"`
	Type     string        `xml:"type,attr"`
	XMLURL   string        `xml:"xmlUrl,attr"`
	HTMLURL  string        `xml:"htmlUrl,attr"`
	Children []opmlOutline `xml:"outline"`
}

// fetchDocs GETs every target and writes each body to dir. A hostile
// request may be refused with a JSON 400; anything else must be a 200.
func fetchDocs(t *testing.T, e *env, dir string, targets []string) []servedDoc {
	t.Helper()
	var docs []servedDoc
	for i, target := range targets {
		code, h, body := e.get(target)
		if code == 400 && json.Valid(body) {
			continue
		}
		if code != 200 {
			t.Errorf("GET %s: %d %s", target, code, body)
			continue
		}
		typ, _, _ := strings.Cut(h.Get("Content-Type"), ";")
		ext := map[string]string{"application/rss+xml": ".rss.xml", "application/atom+xml": ".atom.xml",
			"application/feed+json": ".json", "text/calendar": ".ics", "text/x-opml": ".opml.xml"}[typ]
		if ext == "" {
			t.Errorf("GET %s: unexpected Content-Type %q", target, h.Get("Content-Type"))
			continue
		}
		if h.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s: no CORS header", target)
		}
		if h.Get("ETag") == "" || h.Get("Last-Modified") == "" || h.Get("Cache-Control") == "" {
			t.Errorf("GET %s: caching headers missing: %v", target, h)
		}
		f := filepath.Join(dir, fmt.Sprintf("%03d%s", i, ext))
		if err := os.WriteFile(f, body, 0o644); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, servedDoc{target: target, typ: typ, file: f, body: body, etag: h.Get("ETag")})
	}
	return docs
}

func filesOf(docs []servedDoc, keep func(servedDoc) bool) []string {
	var out []string
	for _, d := range docs {
		if keep(d) {
			out = append(out, d.file)
		}
	}
	return out
}

// isXML is true of RSS, Atom and OPML.
func isXML(d servedDoc) bool {
	return strings.Contains(d.typ, "xml") || d.typ == "text/x-opml"
}

// isFeed is true of RSS, Atom and JSON Feed.
func isFeed(d servedDoc) bool {
	return strings.HasSuffix(d.typ, "+xml") || d.typ == "application/feed+json"
}

// TestFeedsValidate crawls the fixture site, serves it and runs every
// validator over every feed the server serves: xmllint, Python feedparser
// (bozo must be false; RSS and Atom), gofeed, the JSON Feed 1.1 schema (ajv, in
// test/js) and go-ical for the calendars; every OPML outline of a feed has
// a title and type="rss". (How a browser shows a feed is
// internal/server's TestFeedsInBrowser.) It also
// checks that GUIDs agree across formats, feedparser and gofeed, that
// paging reaches every item once, that every feed answers 304, and that a
// reindex and a restart change no feed at all.
func TestFeedsValidate(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e := newEnv(t)
	e.mustRun("crawl")
	stop := e.serve()
	feeds, others := feedTargets(t, e)
	var targets []string
	for _, f := range feeds {
		q := "?limit=500"
		if f == "/search" {
			q += "&q=cyber+OR+digital"
		}
		for _, ext := range []string{".rss", ".atom", ".json"} {
			targets = append(targets, f+ext+q)
		}
	}
	targets = append(targets, others...)
	dir := t.TempDir()
	docs := fetchDocs(t, e, dir, targets)
	t.Logf("%d feeds (%d documents) from the OPML list and %d more documents", len(feeds), 3*len(feeds), len(others))

	guids := map[string][]string{} // target → GUIDs as gofeed reads them
	t.Run("gofeed", func(t *testing.T) {
		for _, d := range docs {
			if !isFeed(d) {
				continue
			}
			f, err := gofeed.NewParser().Parse(bytes.NewReader(d.body))
			if err != nil {
				t.Errorf("%s: %v", d.target, err)
				continue
			}
			var ids []string
			for _, it := range f.Items {
				ids = append(ids, it.GUID)
			}
			guids[d.target] = ids
		}
		for _, f := range feeds {
			q := "?limit=500"
			if f == "/search" {
				q += "&q=cyber+OR+digital"
			}
			rss := guids[f+".rss"+q]
			if len(rss) == 0 {
				t.Errorf("%s: no entries", f)
			}
			for _, ext := range []string{".atom", ".json"} {
				if got := guids[f+ext+q]; !slices.Equal(got, rss) {
					t.Errorf("%s%s: GUIDs differ from RSS:\n%q\n%q", f, ext, got, rss)
				}
			}
		}
	})

	t.Run("xmllint", func(t *testing.T) {
		_, err := exec.LookPath("xmllint")
		needTool(t, err == nil, "xmllint", "apt-get install libxml2-utils")
		files := filesOf(docs, isXML)
		out, err := exec.Command("xmllint", append([]string{"--noout", "--nonet"}, files...)...).CombinedOutput()
		if err != nil || len(out) > 0 {
			t.Errorf("xmllint on %d files: %v\n%s", len(files), err, out)
		}
		t.Logf("xmllint: %d documents well-formed", len(files))
	})

	t.Run("feedparser", func(t *testing.T) {
		py := os.Getenv("BULLETIN_PYTHON")
		if py == "" {
			py = "python3"
		}
		err := exec.Command(py, "-c", "import feedparser").Run()
		needTool(t, err == nil, "Python feedparser ("+py+")", "apt-get install python3-feedparser")
		// Debian's feedparser (6.0) reads RSS and Atom; JSON Feed support
		// came later, so the JSON feeds are left to the schema and gofeed.
		files := filesOf(docs, func(d servedDoc) bool { return strings.HasSuffix(d.typ, "+xml") })
		out, err := exec.Command(py, append([]string{"-c", feedparserScript}, files...)...).Output()
		if err != nil {
			t.Fatalf("feedparser: %v\n%s", err, out)
		}
		var results []struct {
			File, Version, Error string
			Bozo                 bool
			IDs                  []string
		}
		if err := json.Unmarshal(out, &results); err != nil {
			t.Fatalf("feedparser output: %v\n%s", err, out)
		}
		byFile := map[string]servedDoc{}
		for _, d := range docs {
			byFile[d.file] = d
		}
		for _, r := range results {
			d := byFile[r.File]
			if r.Bozo || r.Version == "" {
				t.Errorf("%s: feedparser bozo=%v version %q: %s", d.target, r.Bozo, r.Version, r.Error)
				continue
			}
			if want := guids[d.target]; !slices.Equal(r.IDs, want) {
				t.Errorf("%s: feedparser reads ids\n%q\ngofeed reads\n%q", d.target, r.IDs, want)
			}
		}
		if len(results) != len(files) {
			t.Errorf("feedparser checked %d of %d files", len(results), len(files))
		}
		t.Logf("feedparser: %d feeds, bozo false", len(results))
	})

	t.Run("jsonfeed-schema", func(t *testing.T) {
		_, nodeErr := exec.LookPath("node")
		mods := filepath.Join("..", "..", "test", "js", "node_modules")
		_, modErr := os.Stat(filepath.Join(mods, "ajv"))
		needTool(t, nodeErr == nil && modErr == nil, "node with test/js/node_modules (ajv, ajv-formats, jsonfeed-schema)",
			"apt-get install nodejs npm && (cd test/js && npm ci)")
		files := filesOf(docs, func(d servedDoc) bool { return d.typ == "application/feed+json" })
		out, err := exec.Command("node", append([]string{filepath.Join("..", "..", "test", "js", "validate-jsonfeed.js")}, files...)...).CombinedOutput()
		if err != nil {
			t.Errorf("JSON Feed 1.1 schema: %v\n%s", err, out)
		}
		t.Logf("jsonfeed-schema: %s", bytes.TrimSpace(out))
	})

	t.Run("ical", func(t *testing.T) {
		n := 0
		for _, d := range docs {
			if d.typ != "text/calendar" {
				continue
			}
			cal, err := ical.NewDecoder(bytes.NewReader(d.body)).Decode()
			if err != nil {
				t.Errorf("%s: %v", d.target, err)
				continue
			}
			seen := map[string]bool{}
			for _, ev := range cal.Events() {
				uid, err := ev.Props.Text(ical.PropUID)
				if err != nil || uid == "" || seen[uid] {
					t.Errorf("%s: UID %q (%v) missing or repeated", d.target, uid, err)
				}
				seen[uid] = true
				if _, err := ev.DateTimeStart(nil); err != nil {
					t.Errorf("%s: %s: DTSTART: %v", d.target, uid, err)
				}
			}
			n += len(seen)
			// Round trip: go-ical writes what it read, and reads it back the same.
			var buf bytes.Buffer
			if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
				t.Errorf("%s: re-encode: %v", d.target, err)
				continue
			}
			again, err := ical.NewDecoder(&buf).Decode()
			if err != nil || len(again.Events()) != len(cal.Events()) {
				t.Errorf("%s: round trip: %v, %d events of %d", d.target, err, len(again.Events()), len(cal.Events()))
			}
		}
		if n == 0 {
			t.Error("the calendars hold no event")
		}
	})

	t.Run("opml", func(t *testing.T) {
		for _, d := range docs {
			if d.typ != "text/x-opml" {
				continue
			}
			var doc struct {
				Outlines []opmlOutline `xml:"body>outline"`
			}
			if err := xml.Unmarshal(d.body, &doc); err != nil {
				t.Fatalf("%s: %v", d.target, err)
			}
			n := 0
			var walk func([]opmlOutline)
			walk = func(os []opmlOutline) {
				for _, o := range os {
					if o.Text == "" {
						t.Errorf("%s: an outline without text: %+v", d.target, o)
					}
					if o.XMLURL != "" {
						n++
						if o.Title == "" || o.Type != "rss" || o.HTMLURL == "" {
							t.Errorf("%s: feed outline %q: title %q, type %q, htmlUrl %q", d.target, o.XMLURL, o.Title, o.Type, o.HTMLURL)
						}
					}
					walk(o.Children)
				}
			}
			walk(doc.Outlines)
			if n == 0 {
				t.Errorf("%s: no feed outline", d.target)
			}
		}
	})

	t.Run("conditional", func(t *testing.T) {
		for _, d := range docs {
			if d.etag == "" {
				continue
			}
			req, _ := http.NewRequest(http.MethodGet, "http://"+e.addr+d.target, nil)
			req.Header.Set("If-None-Match", d.etag)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotModified {
				t.Errorf("%s with If-None-Match: %d", d.target, resp.StatusCode)
			}
		}
	})

	t.Run("paging", func(t *testing.T) {
		// Follow JSON Feed next_url from a first page of 3 to the end.
		all := guids["/feeds/lga-cdt.json?limit=500"]
		var paged []string
		for target, n := "/feeds/lga-cdt.json?limit=3", 0; target != ""; n++ {
			if n > len(all) {
				t.Fatal("paging does not end")
			}
			code, _, body := e.get(target)
			var page struct {
				NextURL string `json:"next_url"`
				Items   []struct{ ID string }
			}
			if code != 200 || json.Unmarshal(body, &page) != nil {
				t.Fatalf("%s: %d %s", target, code, body)
			}
			for _, it := range page.Items {
				paged = append(paged, it.ID)
			}
			target = ""
			if page.NextURL != "" {
				u, err := url.Parse(page.NextURL)
				if err != nil {
					t.Fatal(err)
				}
				target = u.RequestURI()
			}
		}
		if len(all) < 4 || !slices.Equal(paged, all) {
			t.Errorf("pages of 3 hold %d items, the feed %d:\n%q\n%q", len(paged), len(all), paged, all)
		}
	})
	stop()
	if t.Failed() {
		return
	}

	// A restart, and a reindex from the snapshots, change no feed: same
	// bytes (so the same ETags) and so the same GUIDs.
	same := func(when string) {
		t.Helper()
		for _, d := range docs {
			_, h, body := e.get(d.target)
			if !bytes.Equal(body, d.body) || h.Get("ETag") != d.etag {
				t.Errorf("%s: %s changed the document (ETag %s → %s)", d.target, when, d.etag, h.Get("ETag"))
			}
		}
	}
	stop = e.serve()
	same("a restart")
	stop()
	e.mustRun("reindex")
	stop = e.serve()
	same("a reindex")
	stop()
}

// feedparserScript parses each file named on the command line with
// feedparser, given the Content-Type the server sent, and prints, as JSON,
// whether it was well-formed (bozo) and the entries' ids.
const feedparserScript = `
import json, sys
import feedparser
types = {".rss.xml": "application/rss+xml", ".atom.xml": "application/atom+xml"}
out = []
for f in sys.argv[1:]:
    typ = next(t for ext, t in types.items() if f.endswith(ext))
    with open(f, "rb") as fh:
        d = feedparser.parse(fh.read(), response_headers={"content-type": typ + "; charset=utf-8"})
    out.append({"File": f, "Bozo": bool(d.bozo), "Error": repr(d.get("bozo_exception", "")),
                "Version": d.version or "", "IDs": [e.get("id", "") for e in d.entries]})
json.dump(out, sys.stdout)
`
