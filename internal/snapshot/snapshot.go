// Package snapshot keeps the raw pages a crawl fetched, on disk, so that the
// index can be rebuilt offline. Bodies are content-addressed blobs; each
// fetched URL has a small JSON meta file naming its blob and fetch details.
//
// Layout under the store's directory:
//
//	blobs/<sha[:2]>/<sha>                   body, named by its SHA-256
//	meta/<source>/<sha256(url)[:16]>.json   Meta
//
// Every file is written to a temporary file in its final directory, synced,
// then renamed into place, so a reader sees the old file or the new one,
// never a torn one. Temporary files left by a crash are ignored, and removed
// once stale.
package snapshot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Kind says what a snapshot is.
type Kind string

// The kinds a crawl stores.
const (
	KindEdition Kind = "edition" // a bulletin page
	KindFeed    Kind = "feed"    // an RSS or Atom feed
	KindList    Kind = "list"    // an HTML list of editions
)

// Meta describes one fetched URL of one source.
type Meta struct {
	Source       string    `json:"source"`
	Kind         Kind      `json:"kind"`
	URL          string    `json:"url"`
	SHA256       string    `json:"sha256"` // of the body; names the blob
	ContentType  string    `json:"content_type,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	FetchedAt    time.Time `json:"fetched_at"`
	// Status is where the snapshot stands in the crawl, and Note says more
	// in free text (a parse error, the file a page was imported from).
	Status Status `json:"status,omitempty"`
	Note   string `json:"note,omitempty"`
	// Carrier is what came with a body that was not fetched as a page of
	// its own (a feed item's title and date), kept so that a rebuild parses
	// the body as the crawl did; nil for a fetched page.
	Carrier *Carrier `json:"carrier,omitempty"`
}

// Carrier is the metadata a feed item carried beside a bulletin's body.
type Carrier struct {
	Subject   string    `json:"subject,omitempty"`
	Published time.Time `json:"published,omitzero"`
}

// ErrCorrupt means a blob does not match its hash or a meta file is unreadable.
var ErrCorrupt = errors.New("snapshot corrupt")

// FileError is a snapshot file that cannot be read: a meta file that does
// not parse, a blob that is missing or does not match its hash. Body, Get
// and List return it (wrapped), so that a rebuild can name each file.
type FileError struct {
	Path string // the file
	URL  string // the snapshot's URL, when known (a garbled meta file hides it)
	Err  error  // what is wrong
}

func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }

func (e *FileError) Unwrap() error { return e.Err }

// FileErrors returns every *FileError in err's tree (errors.Join included).
func FileErrors(err error) []*FileError {
	var out []*FileError
	var walk func(error)
	walk = func(err error) {
		if fe, ok := err.(*FileError); ok {
			out = append(out, fe)
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			if e := u.Unwrap(); e != nil {
				walk(e)
			}
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}

// MetaFile is the path of the meta file that records url of source.
func (s *Store) MetaFile(source, url string) string { return s.metaPath(source, url) }

// BlobFile is the path of the blob m names.
func (s *Store) BlobFile(m Meta) string {
	if !shaRE.MatchString(m.SHA256) {
		return ""
	}
	return s.blobPath(m.SHA256)
}

// tempPrefix starts the name of every temporary file; staleAfter is the age
// past which one is taken for a crash leftover rather than a write in flight
// (perhaps by another process sharing the directory).
const (
	tempPrefix = ".tmp-"
	staleAfter = 5 * time.Minute
)

// Store is a snapshot directory. It is safe for concurrent use, also by
// several processes, as every change is one atomic rename.
type Store struct {
	dir string
	now func() time.Time
}

// Open opens the store in dir (<data_dir>/snapshots), creating it if needed,
// and removes stale temporary files left by an interrupted write.
func Open(dir string) (*Store, error) {
	for _, d := range []string{dir, filepath.Join(dir, "blobs"), filepath.Join(dir, "meta")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("open snapshots %s: %w", dir, err)
		}
	}
	s := &Store{dir: dir, now: time.Now}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			s.removeIfStale(p, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open snapshots %s: %w", dir, err)
	}
	return s, nil
}

// removeIfStale deletes p when it is a temporary file older than staleAfter.
// Failure is harmless: the file is ignored either way.
func (s *Store) removeIfStale(p string, d fs.DirEntry) {
	if !strings.HasPrefix(d.Name(), tempPrefix) {
		return
	}
	info, err := d.Info()
	if err != nil || s.now().Sub(info.ModTime()) < staleAfter {
		return
	}
	_ = os.Remove(p)
}

var (
	sourceRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)
	shaRE    = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

func checkSource(source string) error {
	if !sourceRE.MatchString(source) {
		return fmt.Errorf("bad source id %q", source)
	}
	return nil
}

func (s *Store) blobPath(sha string) string {
	return filepath.Join(s.dir, "blobs", sha[:2], sha)
}

func (s *Store) metaPath(source, url string) string {
	sum := sha256.Sum256([]byte(url))
	return filepath.Join(s.dir, "meta", source, hex.EncodeToString(sum[:8])+".json")
}

// Put stores body (unless a sound blob with its hash is there already) and
// then m, with m.SHA256 set to the body's hash, and returns that m. The blob
// is written first, so a meta never names a missing blob.
func (s *Store) Put(ctx context.Context, m Meta, body []byte) (Meta, error) {
	if err := ctx.Err(); err != nil {
		return m, err
	}
	if err := checkMeta(m); err != nil {
		return m, fmt.Errorf("put snapshot %s: %w", m.URL, err)
	}
	sum := sha256.Sum256(body)
	m.SHA256 = hex.EncodeToString(sum[:])
	bp := s.blobPath(m.SHA256)
	if old, err := os.ReadFile(bp); err != nil || sha256.Sum256(old) != sum {
		// Missing, or damaged on disk: (re)write it.
		if err := writeAtomic(bp, body); err != nil {
			return m, fmt.Errorf("put snapshot %s: %w", m.URL, err)
		}
	}
	if err := s.writeMeta(m); err != nil {
		return m, fmt.Errorf("put snapshot %s: %w", m.URL, err)
	}
	return m, nil
}

// UpdateMeta rewrites m alone, e.g. with a new Status, or a new ETag after a
// 304. The blob m.SHA256 names must already be in the store.
func (s *Store) UpdateMeta(ctx context.Context, m Meta) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkMeta(m); err != nil {
		return fmt.Errorf("update snapshot %s: %w", m.URL, err)
	}
	if !shaRE.MatchString(m.SHA256) {
		return fmt.Errorf("update snapshot %s: bad sha256 %q", m.URL, m.SHA256)
	}
	if _, err := os.Stat(s.blobPath(m.SHA256)); err != nil {
		return fmt.Errorf("update snapshot %s: blob: %w", m.URL, err)
	}
	if err := s.writeMeta(m); err != nil {
		return fmt.Errorf("update snapshot %s: %w", m.URL, err)
	}
	return nil
}

func checkMeta(m Meta) error {
	if err := checkSource(m.Source); err != nil {
		return err
	}
	if m.URL == "" {
		return errors.New("empty URL")
	}
	if m.Kind == "" {
		return errors.New("empty kind")
	}
	return nil
}

func (s *Store) writeMeta(m Meta) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(s.metaPath(m.Source, m.URL), append(b, '\n'))
}

// Get returns the meta of url in source; ok is false when there is none.
func (s *Store) Get(ctx context.Context, source, url string) (m Meta, ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return Meta{}, false, err
	}
	if err := checkSource(source); err != nil {
		return Meta{}, false, fmt.Errorf("get snapshot %s: %w", url, err)
	}
	m, err = readMeta(s.metaPath(source, url))
	if errors.Is(err, fs.ErrNotExist) {
		return Meta{}, false, nil
	}
	if err != nil {
		return Meta{}, false, fmt.Errorf("get snapshot %s: %w", url, err)
	}
	if m.URL != url || m.Source != source {
		// A 64-bit hash collision: astronomically rare, but never answer
		// for another URL.
		return Meta{}, false, nil
	}
	return m, true, nil
}

func readMeta(p string) (Meta, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return Meta{}, err
	}
	var m Meta
	if err := json.Unmarshal(b, &m); err != nil {
		return Meta{}, &FileError{Path: p, Err: fmt.Errorf("%w: meta file is not valid JSON: %w", ErrCorrupt, err)}
	}
	if err := checkMeta(m); err != nil || !shaRE.MatchString(m.SHA256) {
		if err == nil {
			err = fmt.Errorf("bad sha256 %q", m.SHA256)
		}
		return Meta{}, &FileError{Path: p, Err: fmt.Errorf("%w: meta file damaged: %w", ErrCorrupt, err)}
	}
	upgradeStatus(&m)
	return m, nil
}

// Body reads the blob m names and checks it against m.SHA256; a mismatch
// is ErrCorrupt.
func (s *Store) Body(ctx context.Context, m Meta) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !shaRE.MatchString(m.SHA256) {
		return nil, fmt.Errorf("snapshot body %s: bad sha256 %q", m.URL, m.SHA256)
	}
	bp := s.blobPath(m.SHA256)
	b, err := os.ReadFile(bp)
	if err != nil {
		return nil, fmt.Errorf("snapshot body %s: %w", m.URL, &FileError{Path: bp, URL: m.URL, Err: err})
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != m.SHA256 {
		return nil, fmt.Errorf("snapshot body %s: %w", m.URL,
			&FileError{Path: bp, URL: m.URL, Err: fmt.Errorf("%w: blob does not match its hash", ErrCorrupt)})
	}
	return b, nil
}

// List returns the metas of source ("" = every source) of the given kind
// ("" = every kind), sorted by URL, then source. Unreadable meta files are
// reported together in the error (see errors.Join) while every readable one
// is still returned, so a rebuild can carry on past a damaged file.
func (s *Store) List(ctx context.Context, source string, kind Kind) ([]Meta, error) {
	var sources []string
	if source != "" {
		if err := checkSource(source); err != nil {
			return nil, fmt.Errorf("list snapshots: %w", err)
		}
		sources = []string{source}
	} else {
		entries, err := os.ReadDir(filepath.Join(s.dir, "meta"))
		if err != nil {
			return nil, fmt.Errorf("list snapshots: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() && sourceRE.MatchString(e.Name()) {
				sources = append(sources, e.Name())
			}
		}
	}
	var (
		out  []Meta
		errs []error
	)
	for _, src := range sources {
		dir := filepath.Join(s.dir, "meta", src)
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("list snapshots: %w", err)
		}
		for _, e := range entries {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			p := filepath.Join(dir, e.Name())
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), tempPrefix) {
				s.removeIfStale(p, e)
				continue
			}
			m, err := readMeta(p)
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) { // removed meanwhile: not an error
					errs = append(errs, err)
				}
				continue
			}
			if kind == "" || m.Kind == kind {
				out = append(out, m)
			}
		}
	}
	slices.SortFunc(out, func(a, b Meta) int {
		if c := strings.Compare(a.URL, b.URL); c != 0 {
			return c
		}
		return strings.Compare(a.Source, b.Source)
	})
	if len(errs) > 0 {
		return out, fmt.Errorf("list snapshots: %w", errors.Join(errs...))
	}
	return out, nil
}

// writeAtomic replaces p with data: a temporary file in p's directory is
// written, synced and renamed over p, and the directory is synced so the
// rename itself survives a crash.
func writeAtomic(p string, data []byte) (err error) {
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, p); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
