package seedpage

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Heading writes an article heading of a kind — "h2", "h3", "h4" (a
// coloured heading element), "strong" (a bold paragraph), "span" (a bold
// 18px span in a paragraph) or "b" — around inner, which is HTML.
func Heading(kind, inner string) string {
	switch kind {
	case "h2", "h3", "h4":
		return "<" + kind + ` style="color:#00a9a4">` + inner + "</" + kind + ">"
	case "strong":
		return `<p class="gd_p"><strong>` + inner + "</strong></p>"
	case "span":
		return `<p class="gd_p"><span style="font-weight:bold;font-size:18px;color:#00a9a4">` + inner + "</span></p>"
	case "b":
		return "<b>" + inner + "</b>"
	}
	panic("seedpage: unknown heading kind " + kind)
}

// Divider writes what separates two articles: "tr" (a table row with a top
// border), "div" or "hr"; "" for none.
func Divider(kind string) string {
	switch kind {
	case "tr":
		return `<tr><td class="gd_divider" style="border-top:1px solid #cccccc;font-size:1px;line-height:1px;">&nbsp;</td></tr>`
	case "div":
		return `<div style="border-top:2px solid #00a9a4;margin:12px 0;">&nbsp;</div>`
	case "hr":
		return `<hr style="border:0;border-top:1px solid #ccc">`
	}
	return ""
}

// Link returns the nth link of a bulletin to target as the mail tracker
// left it, in one of the styles pages use: "plain" (the target itself),
// "lnks" (wrapped by lnks.gd), "utm" (numbered utm parameters) or "mixed"
// (odd links wrapped, even ones with utm parameters). bulletinID goes into
// the lnks.gd token.
func Link(style, target string, n int, bulletinID string) string {
	switch style {
	case "lnks":
		return LnksGD(target, n, bulletinID)
	case "utm":
		return target + sep(target) + "utm_source=govdelivery&utm_medium=email&utm_campaign=cdt_bulletin&utm_content=link" + fmt.Sprint(n)
	case "mixed":
		if n%2 == 1 {
			return LnksGD(target, n, bulletinID)
		}
		return target + sep(target) + "utm_source=govdelivery&utm_medium=email"
	}
	return target
}

func sep(u string) string {
	if strings.Contains(u, "?") {
		return "&"
	}
	return "?"
}

// LnksGD wraps a target as GovDelivery's click tracker does: a JWT whose
// payload's url is the target with utm parameters.
func LnksGD(target string, n int, bulletinID string) string {
	enc := base64.RawURLEncoding
	hdr := enc.EncodeToString([]byte(`{"alg":"HS256"}`))
	var payload bytes.Buffer
	je := json.NewEncoder(&payload)
	je.SetEscapeHTML(false) // the tracker writes & as it is
	if err := je.Encode(struct {
		LinkID     string `json:"bulletin_link_id"`
		URI        string `json:"uri"`
		URL        string `json:"url"`
		BulletinID string `json:"bulletin_id"`
	}{fmt.Sprint(100 + n), "bp2:click", target + sep(target) + "utm_medium=email&utm_source=govdelivery", bulletinID}); err != nil {
		panic(err) // four strings always encode
	}
	p := bytes.TrimSuffix(payload.Bytes(), []byte("\n"))
	return fmt.Sprintf("https://lnks.gd/l/%s.%s.sIgnAtUrE%03d/s/2131547017/br/2384%02d43-l", hdr, enc.EncodeToString(p), n, n%100)
}

var emailRe = regexp.MustCompile(`[A-Za-z0-9._-]+@[A-Za-z0-9.-]+\.[a-z]{2,}`)

// Mailto links every e-mail address in escaped HTML text.
func Mailto(h string) string {
	return emailRe.ReplaceAllString(h, `<a href="mailto:$0">$0</a>`)
}

// Windows1252 encodes a page in windows-1252, writing characters the
// charset lacks as numeric character references, as mail tools do.
func Windows1252(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, c := range s {
		if c < utf8.RuneSelf {
			out = append(out, byte(c))
			continue
		}
		if b, ok := charmap.Windows1252.EncodeRune(c); ok {
			out = append(out, b)
			continue
		}
		out = fmt.Appendf(out, "&#%d;", c)
	}
	return out
}
