package feed

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// jsonFeedVersion identifies JSON Feed 1.1.
const jsonFeedVersion = "https://jsonfeed.org/version/1.1"

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	NextURL     string       `json:"next_url,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Language    string       `json:"language,omitempty"`
	Items       []jsonItem   `json:"items"` // required: never omitted, never null
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url,omitempty"`
	ExternalURL   string           `json:"external_url,omitempty"`
	Title         string           `json:"title,omitempty"`
	ContentHTML   string           `json:"content_html,omitempty"`
	ContentText   *string          `json:"content_text,omitempty"` // present when there is no HTML
	Summary       string           `json:"summary,omitempty"`
	DatePublished string           `json:"date_published,omitempty"`
	DateModified  string           `json:"date_modified,omitempty"`
	Authors       []jsonAuthor     `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty"`
	Attachments   []jsonAttachment `json:"attachments,omitempty"`
}

type jsonAttachment struct {
	URL         string `json:"url"`
	MimeType    string `json:"mime_type"`
	SizeInBytes int64  `json:"size_in_bytes,omitempty"`
}

func jsonDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// WriteJSON writes f as a JSON Feed 1.1 document. Items is always an array
// (empty, never null); an entry without HTML carries its summary as
// content_text, since every item needs one of the two; an entry's Via is its
// external_url; the "next" link of
// f.Links becomes next_url, the only paging link JSON Feed knows.
func WriteJSON(w io.Writer, f Feed) error {
	f = f.sanitized()
	doc := jsonFeed{
		Version:     jsonFeedVersion,
		Title:       f.Title,
		HomePageURL: f.HomeURL,
		FeedURL:     f.SelfURL,
		Description: f.Description,
		Language:    f.Language,
		Items:       make([]jsonItem, 0, len(f.Entries)),
	}
	for _, l := range f.Links {
		if l.Rel == "next" && doc.NextURL == "" {
			doc.NextURL = l.Href
		}
	}
	if f.Author != "" {
		doc.Authors = []jsonAuthor{{Name: f.Author}}
	}
	for _, e := range f.Entries {
		it := jsonItem{
			ID:            e.ID,
			URL:           e.URL,
			ExternalURL:   e.Via,
			Title:         e.Title,
			ContentHTML:   e.ContentHTML,
			Summary:       e.Summary,
			DatePublished: jsonDate(e.Published),
			DateModified:  jsonDate(e.Updated),
			Tags:          e.Categories,
		}
		if e.ContentHTML == "" {
			it.ContentText = &e.Summary
		}
		if e.Author != "" {
			it.Authors = []jsonAuthor{{Name: e.Author}}
		}
		for _, enc := range e.Enclosures {
			it.Attachments = append(it.Attachments, jsonAttachment{URL: enc.URL, MimeType: enc.Type, SizeInBytes: enc.Length})
		}
		doc.Items = append(doc.Items, it)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write json feed %s: %w", f.ID, err)
	}
	return nil
}
