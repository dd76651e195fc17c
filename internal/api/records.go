package api

import (
	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/model"
)

// EditionsResponse is the body of /api/editions: every edition (of one
// source, when asked), newest first.
type EditionsResponse struct {
	Editions []model.Edition `json:"editions"`
}

// ItemResponse is the body of /api/items/{id}: the item as indexed, with
// its page on bulletin and on its original edition page.
type ItemResponse struct {
	model.Item
	URL      string `json:"url"`          // bulletin's page of the item
	Original string `json:"original_url"` // the item on its original edition page
}

// Error is the body of every error answer.
type Error struct {
	Error string `json:"error"`
	// Pos is the 0-based byte offset of a query syntax error.
	Pos *int `json:"pos,omitempty"`
}

// QueryError is the error body of a query that does not parse: the syntax
// error, and where it is.
func QueryError(se *index.SyntaxError) Error {
	pos := se.Pos
	return Error{Error: "invalid query: " + se.Error(), Pos: &pos}
}
