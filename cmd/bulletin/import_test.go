package main_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/internal/testenv"
)

// TestImport: a council that receives the bulletin by e-mail feeds the
// saved .eml in; importing it again changes nothing; reindex keeps it.
func TestImport(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e := newEnv(t)
	page, err := os.ReadFile("../../internal/testsite/site/accounts/UKLGA/bulletins/392f025.html")
	if err != nil {
		t.Fatal(err)
	}
	page = bytes.ReplaceAll(page, []byte("{{BASE}}"), []byte("https://content.govdelivery.com"))
	eml := filepath.Join(t.TempDir(), "bulletin-19.eml")
	msg := "From: LGA <lga@public.govdelivery.com>\r\nSubject: LGA Cyber, Digital and Technology Bulletin\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/alternative; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nplain\r\n--B\r\n" +
		"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString(page) + "\r\n--B--\r\n"
	if err := os.WriteFile(eml, []byte(msg), 0o644); err != nil {
		t.Fatal(err)
	}
	search := func() (total int, ids string) {
		out := e.mustRun("search", "--json", "--size", "100", "Cyber 360")
		var res struct {
			Total int
			Hits  []struct {
				ID       string
				Original string `json:"original_url"`
			}
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("search --json: %v\n%s", err, out)
		}
		for _, h := range res.Hits {
			ids += h.ID + " "
			if !strings.HasPrefix(h.Original, "https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025#") {
				t.Errorf("imported item's original URL %q is not the edition's web address", h.Original)
			}
		}
		return res.Total, ids
	}

	out := e.mustRun("import", eml)
	if !strings.Contains(out, "lga-cdt") {
		t.Errorf("import summary: %s", out)
	}
	n, ids := search()
	if n == 0 {
		t.Fatal("imported edition not searchable")
	}
	snapshots := testenv.CountFiles(t, filepath.Join(filepath.Dir(e.config), "data", "snapshots"))

	e.mustRun("import", eml) // again: nothing changes
	if n2, ids2 := search(); n2 != n || ids2 != ids {
		t.Errorf("re-import changed results: %d %q, was %d %q", n2, ids2, n, ids)
	}
	if s := testenv.CountFiles(t, filepath.Join(filepath.Dir(e.config), "data", "snapshots")); s != snapshots {
		t.Errorf("re-import wrote snapshots: %d files, was %d", s, snapshots)
	}

	e.mustRun("reindex")
	if n3, ids3 := search(); n3 != n || ids3 != ids {
		t.Errorf("reindex lost the import: %d %q, was %d %q", n3, ids3, n, ids)
	}

	if _, errs, code := e.run("import", filepath.Join(t.TempDir(), "missing.eml")); code != 1 || !strings.Contains(errs, "missing.eml") {
		t.Errorf("missing file: exit %d, %s", code, errs)
	}
}

// TestImportCarrier: an e-mail whose body has no page chrome (no subject
// line, no dateline, as GovDelivery mails it) takes its title, number and
// date from the Subject and Date headers, through import and reindex; the
// "View in browser" link names the edition.
func TestImportCarrier(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e := newEnv(t)
	const web = "https://content.govdelivery.com/accounts/UKLGA/bulletins/3d00a01"
	body := `<table class="gd_tbl_wrap"><tr><td><table class="main-table" id="yahoo">` +
		`<tr><td id="preheader-right"><a href="` + web + `">View in browser</a></td></tr>` +
		`<tr><td id="main-body"><h2>Tabletop cyber drill for councils</h2><p>Councils can book a half-day drill with the team this winter.</p>` +
		`<h2>Digital inclusion fund</h2><p>Bids open for the second round of the fund.</p></td></tr></table></td></tr></table>`
	msg := "From: LGA <lga@public.govdelivery.com>\r\n" +
		"Subject: =?UTF-8?Q?LGA_Cyber,_Digital_and_Technology_Bulletin_=E2=80=93_52?=\r\n" +
		"Date: Thu, 12 Dec 2024 09:00:00 +0000\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString([]byte(body)) + "\r\n"
	eml := filepath.Join(t.TempDir(), "bulletin-52.eml")
	if err := os.WriteFile(eml, []byte(msg), 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		out := e.mustRun("search", "--json", "tabletop drill")
		var res struct {
			Hits []struct {
				Title, URL string
				Published  string
				Edition    struct {
					Number    int
					Title     string
					Published string
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("search --json: %v\n%s", err, out)
		}
		if len(res.Hits) != 1 {
			t.Fatalf("%s: %d hits, want the imported article:\n%s", when, len(res.Hits), out)
		}
		h := res.Hits[0]
		// The edition is named by the "View in browser" link (bulletin id 3d00a01).
		if h.Title != "Tabletop cyber drill for councils" || !strings.Contains(h.URL, "-3d00a01-") ||
			h.Edition.Title != "LGA Cyber, Digital and Technology Bulletin – 52" || h.Edition.Number != 52 ||
			h.Edition.Published != "2024-12-12T09:00:00Z" || h.Published != "2024-12-12T09:00:00Z" {
			t.Errorf("%s: hit %+v", when, h)
		}
	}
	e.mustRun("import", eml)
	check("after import")
	e.mustRun("reindex")
	check("after reindex")
}
