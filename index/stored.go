package index

import (
	"fmt"

	bleveindex "github.com/blevesearch/bleve_index_api"
	gojson "github.com/goccy/go-json"
)

// decodeStored decodes the stored JSON of document docID (written by
// encoding/json in itemDoc and editionDoc) into v. It is the one decoder
// of stored documents: goccy/go-json reads the same JSON into the same
// values about four times faster than encoding/json, and a page of search
// results decodes twenty documents (TestDecodeStoredMatchesStdlib).
func decodeStored(docID string, js []byte, v any) error {
	if err := gojson.Unmarshal(js, v); err != nil {
		return fmt.Errorf("decode stored %s: %w", docID, err)
	}
	return nil
}

// storedReader reads the stored JSON of documents from one snapshot of the
// index, for the hits of one page.
type storedReader struct {
	r bleveindex.IndexReader
}

func (ix *Index) storedReader() (*storedReader, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	return &storedReader{r: r}, nil
}

// reader opens a reader of the index's current snapshot, below Bleve's
// search API; the caller closes it.
func (ix *Index) reader() (bleveindex.IndexReader, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

func (s *storedReader) Close() error { return s.r.Close() }

// load decodes the stored JSON of docID into v; false when the document is
// not in the snapshot.
func (s *storedReader) load(docID string, v any) (bool, error) {
	doc, err := s.r.Document(docID)
	if err != nil {
		return false, fmt.Errorf("read document %s: %w", docID, err)
	}
	if doc == nil {
		return false, nil
	}
	var js []byte
	doc.VisitFields(func(f bleveindex.Field) {
		if f.Name() == fJSON {
			js = f.Value()
		}
	})
	if js == nil {
		return false, nil
	}
	return true, decodeStored(docID, js, v)
}
