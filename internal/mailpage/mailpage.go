// Package mailpage turns a locally saved bulletin — an .html page or an .eml
// e-mail — into the page bytes, media type and canonical address the parser
// and the snapshot store need, with an e-mail's Subject and Date headers.
//
// It imports nothing of this module but parse (to unwrap tracked links); only
// crawl imports it.
package mailpage

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"

	"github.com/lga-digital/bulletin/internal/parse"
)

// ErrNoHTML is returned for an e-mail without an HTML part.
var ErrNoHTML = errors.New("no text/html part")

// maxParts bounds the MIME parts walked in one message.
const maxParts = 100

// Page is a bulletin read from a local file.
type Page struct {
	// URL is the edition's address: the e-mail's "View it as a webpage" link
	// when it has one (so an imported e-mail and a crawled page are the same
	// edition), else "mid:<Message-ID>" (RFC 2392), else a hash of the page.
	URL         string
	ContentType string // with charset when the file declared one
	Body        []byte
	// Subject and Date are the e-mail's headers (RFC 2047 words decoded,
	// the date read as net/mail reads it); empty and zero for a saved page
	// or when the header is missing or unreadable. They are the carrier of
	// a body that states no title or date of its own (parse.Carrier).
	Subject string
	Date    time.Time
}

// Read reads a saved page; name's extension (.eml, .html, .htm) says which
// kind it is.
func Read(name string, data []byte) (Page, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".eml":
		return fromMail(data)
	case ".html", ".htm":
		return fromHTML(data, "text/html"), nil
	default:
		return Page{}, fmt.Errorf("%s: want an .html, .htm or .eml file", name)
	}
}

func fromHTML(body []byte, contentType string) Page {
	p := Page{ContentType: contentType, Body: body}
	if u := webpageLink(body); u != "" {
		p.URL = u
	} else {
		sum := sha256.Sum256(body)
		p.URL = "urn:sha256:" + hex.EncodeToString(sum[:])
	}
	return p
}

// fromMail finds the first text/html part of a message and decodes it.
func fromMail(data []byte) (Page, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return Page{}, fmt.Errorf("read e-mail: %w", err)
	}
	n := 0
	body, ctype, err := findHTML(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, &n)
	if err != nil {
		return Page{}, fmt.Errorf("read e-mail: %w", err)
	}
	p := fromHTML(body, ctype)
	p.Subject = decodeHeader(msg.Header.Get("Subject"))
	if d, err := msg.Header.Date(); err == nil {
		p.Date = d.UTC()
	}
	if strings.HasPrefix(p.URL, "urn:") {
		if u := MessageURL(msg.Header.Get("Message-Id")); u != "" {
			p.URL = u
		}
	}
	return p, nil
}

// MessageURL is the address of an e-mail by its Message-ID header:
// "mid:<id>" (RFC 2392), or "" when the header is empty.
func MessageURL(messageID string) string {
	id := strings.Trim(strings.TrimSpace(messageID), "<>")
	if id == "" {
		return ""
	}
	return "mid:" + url.PathEscape(id)
}

// wordDecoder decodes RFC 2047 encoded words in any charset the HTML
// parser knows.
var wordDecoder = &mime.WordDecoder{CharsetReader: charset.NewReaderLabel}

// decodeHeader decodes the encoded words of a header and folds it to one
// line; undecodable words stay as they are.
func decodeHeader(v string) string {
	if d, err := wordDecoder.DecodeHeader(v); err == nil {
		v = d
	}
	return strings.Join(strings.Fields(strings.ToValidUTF8(v, "\uFFFD")), " ")
}

func findHTML(ctype, encoding string, r io.Reader, n *int) ([]byte, string, error) {
	if *n++; *n > maxParts {
		return nil, "", errors.New("too many MIME parts")
	}
	if ctype == "" {
		ctype = "text/plain"
	}
	media, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return nil, "", fmt.Errorf("content type %q: %w", ctype, err)
	}
	switch {
	case strings.HasPrefix(media, "multipart/"):
		mr := multipart.NewReader(r, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if err == io.EOF {
				return nil, "", ErrNoHTML
			}
			if err != nil {
				return nil, "", fmt.Errorf("multipart: %w", err)
			}
			body, ct, err := findHTML(part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part, n)
			if err == nil {
				return body, ct, nil
			}
			if !errors.Is(err, ErrNoHTML) {
				return nil, "", err
			}
		}
	case media == "text/html":
		body, err := io.ReadAll(decode(encoding, r))
		if err != nil {
			return nil, "", fmt.Errorf("decode %s body: %w", encoding, err)
		}
		return body, ctype, nil
	default:
		return nil, "", ErrNoHTML
	}
}

func decode(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &stripSpace{r: r})
	default:
		return r
	}
}

// stripSpace drops the line breaks base64 bodies are wrapped with.
type stripSpace struct{ r io.Reader }

func (s *stripSpace) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		j := 0
		for _, b := range p[:n] {
			if b != '\r' && b != '\n' && b != ' ' && b != '\t' {
				p[j] = b
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// webpageRe matches the text of an e-mail's link to its web copy: "View it
// as a webpage", "View in browser", "View this email in your browser",
// "View online".
var webpageRe = regexp.MustCompile(`\bweb ?page\b|\bin (?:your |a |the )?(?:web )?browser\b|^view (?:it |this (?:e-?mail|message) )?online\b`)

// webpageLink returns the absolute target of the "View it as a webpage" (or
// "View in browser") link of a bulletin e-mail, unwrapped from the mail
// tracker, or "".
func webpageLink(body []byte) string {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return ""
	}
	var found string
	doc.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		text := strings.ToLower(strings.Join(strings.Fields(a.Text()), " "))
		if !webpageRe.MatchString(text) {
			return true
		}
		href, _ := a.Attr("href")
		u, err := url.Parse(parse.CleanURL(nil, href))
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			found = u.String()
			return false
		}
		return true
	})
	return found
}
