package server

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"

	"github.com/lga-digital/bulletin/internal/feed"
	"github.com/lga-digital/bulletin/internal/model"
)

// recordRoutes are the HTML pages of one edition and one item: what a
// search result or a feed entry is about, readable without leaving the site.
func (s *Server) recordRoutes() {
	s.route("GET "+feed.EditionPagePath+"{id}", s.handle(s.editionPage))
	s.route("GET "+feed.ItemPagePath+"{id}", s.handle(s.itemPage))
}

type editionView struct {
	page
	Edition   model.Edition
	Editorial template.HTML
	Items     []model.Item
	Source    string
}

func (s *Server) editionPage(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	ed, ok, err := s.idx.Edition(r.Context(), id)
	if err != nil {
		return err
	}
	if !ok {
		return s.htmlNotFound(w, fmt.Sprintf("There is no edition %q.", id))
	}
	items, err := s.idx.EditionItems(r.Context(), id)
	if err != nil {
		return err
	}
	v := editionView{page: page{Title: ed.Title}, Edition: ed, Items: items, Source: ed.Source,
		// The parser sanitised the editorial with an allow-list.
		Editorial: template.HTML(ed.EditorialHTML)}
	if src, ok := s.cfg.Source(ed.Source); ok {
		v.Alts = s.feedAlts(src.Title, "/feeds/"+src.ID, "")
	}
	return s.render(w, http.StatusOK, "edition.html", v)
}

type itemView struct {
	page
	Item model.Item
	HTML template.HTML
	// Prev and Next are the articles before and after it in its edition
	// (nil at either end).
	Prev, Next *model.Item
}

func (s *Server) itemPage(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	it, ok, err := s.idx.Item(r.Context(), id)
	if err != nil {
		return err
	}
	if !ok {
		return s.htmlNotFound(w, fmt.Sprintf("There is no item %q.", id))
	}
	v := itemView{page: page{Title: it.Title}, Item: it,
		// The parser sanitised the item with an allow-list; links are absolute.
		HTML: template.HTML(it.HTML)}
	siblings, err := s.idx.EditionItems(r.Context(), it.EditionID)
	if err != nil {
		return err
	}
	v.Prev, v.Next = neighbours(siblings, it.ID)
	if src, ok := s.cfg.Source(it.Source); ok {
		v.Alts = s.feedAlts(src.Title, "/feeds/"+src.ID, "")
	}
	return s.render(w, http.StatusOK, "item.html", v)
}

// neighbours finds the items before and after id among the items of one
// edition, in position order.
func neighbours(items []model.Item, id string) (prev, next *model.Item) {
	items = slices.Clone(items)
	slices.SortStableFunc(items, func(a, b model.Item) int { return a.Position - b.Position })
	for i := range items {
		if items[i].ID != id {
			continue
		}
		if i > 0 {
			prev = &items[i-1]
		}
		if i+1 < len(items) {
			next = &items[i+1]
		}
		break
	}
	return prev, next
}

// htmlNotFound answers a page request for a missing record with a page, not
// JSON: a person followed a link.
func (s *Server) htmlNotFound(w http.ResponseWriter, msg string) error {
	return s.render(w, http.StatusNotFound, "notfound.html", struct {
		page
		Msg string
	}{page{Title: "Not found"}, msg})
}
