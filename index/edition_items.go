package index

import (
	"context"
	"fmt"
	"slices"

	"github.com/lga-digital/bulletin/internal/model"
)

// EditionItems returns the items of one edition in page order.
func (ix *Index) EditionItems(ctx context.Context, editionID string) ([]model.Item, error) {
	stored, err := ix.storedItems(ctx, editionID)
	if err != nil {
		return nil, fmt.Errorf("items of edition %s: %w", editionID, err)
	}
	items := make([]model.Item, 0, len(stored))
	for docID, js := range stored {
		var it model.Item
		if err := decodeStored(docID, []byte(js), &it); err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	slices.SortFunc(items, func(a, b model.Item) int { return a.Position - b.Position })
	return items, nil
}
