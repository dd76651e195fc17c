package model

import (
	"net/url"
	"path"
	"strings"
)

// documentTypes maps the file extensions of documents an item may link to
// (and a feed may enclose) to their media types: a fixed table, so that
// results do not depend on the host's MIME database. A .zip is a document
// like any other download (a data pack, a set of forms): the parser types
// its links, the crawl asks its length, the feeds enclose it.
var documentTypes = map[string]string{
	".pdf":  "application/pdf",
	".doc":  "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls":  "application/vnd.ms-excel",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".ppt":  "application/vnd.ms-powerpoint",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".csv":  "text/csv",
	".zip":  "application/zip",
}

// DocumentType is the media type of a link to a document, by the extension
// of its URL's path (in any case), or "" when the link is not to a document
// or is no URL.
func DocumentType(rawURL string) string {
	// The path is the end of the text before the query and fragment, when
	// that text has no escapes (or there is no path): a text whose
	// extension is no document's needs no parse.
	head, _, _ := strings.Cut(rawURL, "#")
	head, _, _ = strings.Cut(head, "?")
	if _, ok := documentTypes[strings.ToLower(path.Ext(head))]; !ok && !strings.Contains(head, "%") {
		return ""
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return documentTypes[strings.ToLower(path.Ext(u.Path))]
}

// IsDocumentType reports whether a media type (parameters and case
// ignored: "application/PDF; name=x") is that of a document DocumentType
// knows.
func IsDocumentType(mediaType string) bool {
	mediaType, _, _ = strings.Cut(mediaType, ";")
	mediaType = strings.ToLower(strings.TrimSpace(mediaType))
	for _, v := range documentTypes {
		if v == mediaType {
			return true
		}
	}
	return false
}
