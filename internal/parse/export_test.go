package parse

import (
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// sanitizer is an allow-list sanitiser with the renderer's policy (see
// render.go). A bluemonday policy is safe for concurrent use once built.
var sanitizer = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th",
		"strong", "em", "b", "i", "h2", "h3", "h4")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	return p
})

// Sanitize passes HTML through the sanitiser: the renderer's output must
// come out of it unchanged.
func Sanitize(s string) string { return sanitizer().Sanitize(s) }
