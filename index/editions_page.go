package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"

	"github.com/lga-digital/bulletin/internal/model"
)

// EditionsPage returns at most n editions of a source ("" for all sources)
// in archive order, newest first, after the first skip, and how many the
// index holds; it reads only those n.
func (ix *Index) EditionsPage(ctx context.Context, source string, skip, n int) ([]model.Edition, int, error) {
	req := bleve.NewSearchRequestOptions(editionsQuery(source), max(n, 0), max(skip, 0), false)
	req.Fields = []string{fJSON}
	req.SortBy(editionOrder)
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, fmt.Errorf("editions of %q: %w", source, err)
	}
	eds := make([]model.Edition, 0, len(res.Hits))
	for _, h := range res.Hits {
		var ed model.Edition
		if err := decodeHit(h, &ed); err != nil {
			return nil, 0, err
		}
		eds = append(eds, ed)
	}
	return eds, int(res.Total), nil
}
