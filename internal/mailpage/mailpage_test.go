package mailpage

import (
	"bytes"
	"encoding/base64"
	"errors"
	"mime/quotedprintable"
	"os"
	"strings"
	"testing"
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
