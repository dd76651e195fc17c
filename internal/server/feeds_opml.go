package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/lga-digital/bulletin/internal/feed"
)

// opml serves /opml: every feed of every source as an OPML 2.0
// subscription list, one folder per source holding its articles feed, its
// editions feed, a folder of section feeds and a folder of organisation
// feeds (those the index holds). Feeds are listed as RSS, the format every
// reader takes; each has Atom and JSON twins at the same path.
func (s *Server) opml(w http.ResponseWriter, r *http.Request) error {
	return s.serveCached(w, r, "", func(ctx context.Context) (*rendered, error) {
		doc := feed.OPML{Title: "Bulletin feeds"}
		for i := range s.cfg.Sources {
			src := &s.cfg.Sources[i]
			home := s.homeOf(src)
			folder := feed.Outline{Text: src.Title, Title: src.Title, Children: []feed.Outline{
				{Text: src.Title + " (articles)", XMLURL: s.URL("/feeds/" + src.ID + ".rss"), HTMLURL: home},
				{Text: src.Title + " (editions)", XMLURL: s.URL("/feeds/" + src.ID + "/editions.rss"), HTMLURL: home},
			}}
			for _, k := range []facetKind{sectionFacet, orgFacet} {
				vals, err := s.facetValues(ctx, src.ID, k)
				if err != nil {
					return nil, err
				}
				if len(vals) == 0 {
					continue
				}
				sub := feed.Outline{Text: fmt.Sprintf("%s by %s", src.Title, k.noun)}
				for _, v := range vals {
					sub.Children = append(sub.Children, feed.Outline{Text: src.Title + ": " + v.Names[0],
						XMLURL: s.URL("/feeds/" + src.ID + "/" + k.dir + "/" + url.PathEscape(v.Slug) + ".rss"), HTMLURL: home})
				}
				folder.Children = append(folder.Children, sub)
			}
			doc.Outlines = append(doc.Outlines, folder)
		}
		var buf bytes.Buffer
		if err := feed.WriteOPML(&buf, doc); err != nil {
			return nil, err
		}
		// Dated by the newest edition: the list changes only when editions do.
		updated, err := s.scopeUpdated(ctx, "")
		if err != nil {
			return nil, err
		}
		return newRendered(buf.Bytes(), feed.OPMLType, updated), nil
	})
}
