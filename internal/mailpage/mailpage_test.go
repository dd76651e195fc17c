package mailpage

import (
	"bytes"
	"encoding/base64"
	"errors"
	"mime/quotedprintable"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

const editionURL = "https://content.govdelivery.com/accounts/UKLGA/bulletins/392f025"

// fixture is edition 19 of the fixture site as GovDelivery would mail it.
func fixture(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../testsite/site/accounts/UKLGA/bulletins/392f025.html")
	if err != nil {
		t.Fatal(err)
	}
	return bytes.ReplaceAll(b, []byte("{{BASE}}"), []byte("https://content.govdelivery.com"))
}

func qp(b []byte) string {
	var buf bytes.Buffer
	w := quotedprintable.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.String()
}

func b64(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	return out.String() + s
}

func TestRead(t *testing.T) {
	page := fixture(t)
	head := "From: LGA <lga@public.govdelivery.com>\r\nSubject: LGA Cyber, Digital and Technology Bulletin\r\nMessage-ID: <abc.123@govdelivery>\r\nMIME-Version: 1.0\r\n"
	noLink := []byte(`<html><body><p>Dear colleague</p><h2>News</h2><p>Text</p></body></html>`)
	tests := []struct {
		name     string
		file     string
		data     []byte
		wantURL  string
		wantType string
		wantBody []byte
		wantErr  error
	}{
		{"saved page", "b.html", page, editionURL, "text/html", page, nil},
		{"saved page without webpage link", "b.htm", noLink, "urn:sha256:", "text/html", noLink, nil},
		{"single-part quoted-printable", "b.eml",
			[]byte(head + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(page)),
			editionURL, "text/html; charset=utf-8", page, nil},
		{"multipart/alternative base64", "b.EML",
			[]byte(head + "Content-Type: multipart/alternative; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nplain text\r\n--XX\r\nContent-Type: text/html; charset=windows-1252\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(page) + "\r\n--XX--\r\n"),
			editionURL, "text/html; charset=windows-1252", page, nil},
		{"nested related/alternative quoted-printable", "b.eml",
			[]byte(head + "Content-Type: multipart/related; boundary=R\r\n\r\n--R\r\nContent-Type: multipart/alternative; boundary=A\r\n\r\n--A\r\nContent-Type: text/plain\r\n\r\nplain\r\n--A\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(page) + "\r\n--A--\r\n--R\r\nContent-Type: image/png\r\n\r\nPNG\r\n--R--\r\n"),
			editionURL, "text/html; charset=utf-8", page, nil},
		{"message id when no webpage link", "b.eml",
			[]byte(head + "Content-Type: text/html\r\n\r\n" + string(noLink)), "mid:abc.123@govdelivery", "text/html", noLink, nil},
		{"no html part", "b.eml", []byte(head + "Content-Type: text/plain\r\n\r\nhello"), "", "", nil, ErrNoHTML},
		{"not an e-mail", "b.eml", []byte("garbage without headers"), "", "", nil, errAny},
		{"other extension", "b.pdf", page, "", "", nil, errAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Read(tt.file, tt.data)
			if tt.wantErr != nil {
				if err == nil || (tt.wantErr != errAny && !errors.Is(err, tt.wantErr)) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// Quoted-printable text travels with CRLF line ends.
			body := bytes.ReplaceAll(p.Body, []byte("\r\n"), []byte("\n"))
			if !strings.HasPrefix(p.URL, tt.wantURL) || p.ContentType != tt.wantType || !bytes.Equal(body, tt.wantBody) {
				t.Errorf("got url %q type %q body %d bytes (equal %v)", p.URL, p.ContentType, len(p.Body), bytes.Equal(body, tt.wantBody))
			}
		})
	}
}

var errAny = errors.New("any error")

func TestWebpageLinkUnwrapsTracker(t *testing.T) {
	// lnks.gd/l/<header>.<payload>.<sig>: the payload's "url" is the target.
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"url":"` + editionURL + `?utm_medium=email&utm_source=govdelivery"}`))
	body := []byte(`<p><a href="https://lnks.gd/l/eyJhbGciOiJIUzI1NiJ9.` + payload + `.sig/s/1/br/2">View it as a webpage</a></p>`)
	if got := webpageLink(body); got != editionURL {
		t.Errorf("webpageLink = %q, want %q", got, editionURL)
	}
}

func TestWebCopyLinks(t *testing.T) {
	tests := []struct{ text, want string }{
		{"View it as a webpage", editionURL},
		{"View as a web page", editionURL},
		{"View in browser", editionURL},
		{"View this email in your browser", editionURL},
		{"View online", editionURL},
		{"Read the report", ""},
		{"Browser support", ""},
	}
	for _, tt := range tests {
		body := []byte(`<p><a href="` + editionURL + `"><span>` + tt.text + `</span></a></p>`)
		if got := webpageLink(body); got != tt.want {
			t.Errorf("%q: webpageLink = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestHeaders(t *testing.T) {
	body := "Content-Type: text/html; charset=utf-8\r\n\r\n<p>x</p>"
	tests := []struct {
		name, head, subject string
		date                time.Time
	}{
		{"plain", "Subject: Weekly roundup - 52\r\nDate: Fri, 27 Sep 2024 08:00:00 +0100\r\n",
			"Weekly roundup - 52", time.Date(2024, 9, 27, 7, 0, 0, 0, time.UTC)},
		{"encoded words and folding", "Subject: =?UTF-8?Q?Caf=C3=A9_news?=\r\n =?ISO-8859-1?B?qSBNYXBsZXdvb2Q=?=\r\nDate: 3 Jun 2024 09:30 -0400\r\n",
			"Café news© Maplewood", time.Date(2024, 6, 3, 13, 30, 0, 0, time.UTC)},
		{"bad date", "Subject: Hello\r\nDate: yesterday\r\n", "Hello", time.Time{}},
		{"none", "", "", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Read("m.eml", []byte(tt.head+body))
			if err != nil {
				t.Fatal(err)
			}
			if p.Subject != tt.subject || !p.Date.Equal(tt.date) {
				t.Errorf("subject %q date %v, want %q %v", p.Subject, p.Date, tt.subject, tt.date)
			}
		})
	}
	// A saved page has no headers.
	if p, err := Read("p.html", []byte("<p>x</p>")); err != nil || p.Subject != "" || !p.Date.IsZero() {
		t.Errorf("saved page: %+v %v", p, err)
	}
}

func FuzzHeaders(f *testing.F) {
	f.Add("=?UTF-8?Q?Caf=C3=A9?=", "Fri, 27 Sep 2024 08:00:00 +0100")
	f.Add("=?x-unknown?B?////?= =?UTF-8?B?", "31 Feb 2024 99:99 +9999")
	f.Add("\xff\xfe", "")
	f.Fuzz(func(t *testing.T, subject, date string) {
		if strings.ContainsAny(subject+date, "\r\n") {
			return
		}
		p, err := Read("m.eml", []byte("Subject: "+subject+"\r\nDate: "+date+"\r\nContent-Type: text/html\r\n\r\n<p>x</p>"))
		if err != nil {
			return
		}
		if !utf8.ValidString(p.Subject) || strings.ContainsAny(p.Subject, "\r\n") {
			t.Fatalf("subject %q", p.Subject)
		}
		if !p.Date.IsZero() && p.Date.Location() != time.UTC {
			t.Fatalf("date %v not in UTC", p.Date)
		}
	})
}
