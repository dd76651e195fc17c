package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/feed"
)

// allEvents serves /events.ics: the events and deadlines of every source's
// articles as one iCalendar feed.
func (s *Server) allEvents(w http.ResponseWriter, r *http.Request) error {
	return s.eventsFeed(w, r, "", "Bulletin events and deadlines")
}

// sourceEvents serves /feeds/{source}/events.ics.
func (s *Server) sourceEvents(w http.ResponseWriter, r *http.Request) error {
	src, err := s.source(r.PathValue("source"))
	if err != nil {
		return err
	}
	return s.eventsFeed(w, r, src.ID, src.Title+": events and deadlines")
}

// eventsFeed renders the calendar (RFC 5545) of the events and deadlines
// the parser found in the articles of a source ("" = every source) that
// match ?q=, from the newest maxScanHits articles. UIDs come from the item
// ids (feed.EventsFromItem), so a calendar that subscribes sees each event
// once however often it is fetched.
func (s *Server) eventsFeed(w http.ResponseWriter, r *http.Request, source, name string) error {
	fq, err := parseFeedQuery(r)
	if err != nil {
		return err
	}
	return s.serveCached(w, r, source, func(ctx context.Context) (*rendered, error) {
		cal := feed.Calendar{Name: name, URL: s.selfURL(r, canonicalQuery(r))}
		var updated time.Time
		err := s.scanItems(ctx, index.Request{Query: fq.q, Source: source}, func(res *index.Result) {
			for _, h := range res.Hits {
				evs := feed.EventsFromItem(s.site, h.Item)
				if len(evs) > 0 && h.Item.Published.After(updated) {
					updated = h.Item.Published
				}
				cal.Events = append(cal.Events, evs...)
			}
		})
		if err != nil {
			return nil, err
		}
		// RFC 5545, METHOD:PUBLISH: every DTSTAMP is the object's creation,
		// the newest article it holds (see feed.Calendar.Stamp), so that a
		// restart or a reindex gives the same bytes.
		var buf bytes.Buffer
		if err := feed.WriteICal(&buf, cal); err != nil {
			return nil, fmt.Errorf("render calendar %s: %w", cal.URL, err)
		}
		return newRendered(buf.Bytes(), feed.ICalType, updated), nil
	})
}
