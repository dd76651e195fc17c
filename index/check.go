package index

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/blevesearch/bleve/v2/util"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrDamaged is wrapped by every *DamagedError.
var ErrDamaged = errors.New("index is damaged")

// DamagedError says which file of an index directory cannot be read and
// why. Open returns it (wrapped) instead of letting Bleve skip the damaged
// part and serve an older state, or panic.
type DamagedError struct {
	Dir  string // the index directory
	File string // the damaged file, a path under Dir
	Err  error  // what is wrong with it
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("index %s is damaged: %s: %v", e.Dir, e.File, e.Err)
}

// Unwrap returns ErrDamaged and the cause.
func (e *DamagedError) Unwrap() []error { return []error{ErrDamaged, e.Err} }

// Bleve's scorch layout under an index directory.
const (
	metaFile = "index_meta.json"
	storeDir = "store"
	rootBolt = "root.bolt"
)

// check verifies an existing index directory before Bleve opens it: the
// mapping file parses, root.bolt is a consistent bolt file, and every
// segment of its newest snapshot exists with the CRC its footer states.
// Bleve itself logs a snapshot it cannot load and carries on with an older
// one ("unable to load snapshot … continuing"), so a truncated segment
// would silently serve an older state, and a garbled one would fail (or
// panic) only when a query reaches it. It returns an error wrapping
// ErrLocked when another process holds the index.
func check(dir string) error {
	damaged := func(file string, err error) error { return &DamagedError{Dir: dir, File: file, Err: err} }
	mp := filepath.Join(dir, metaFile)
	b, err := os.ReadFile(mp)
	if err != nil {
		return damaged(mp, err)
	}
	var meta struct {
		Storage string `json:"storage"`
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		return damaged(mp, fmt.Errorf("not valid JSON: %w", err))
	}
	if meta.Storage != "" && meta.Storage != "scorch" {
		return damaged(mp, fmt.Errorf("storage %q, want scorch", meta.Storage))
	}
	rp := filepath.Join(dir, storeDir, rootBolt)
	if _, err := os.Stat(rp); err != nil {
		return damaged(rp, err)
	}
	segments, err := liveSegments(rp)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fmt.Errorf("open index %s: %w (gave up after %s): %w", dir, ErrLocked, lockTimeout, err)
	}
	if err != nil {
		return damaged(rp, err)
	}
	for _, name := range segments {
		p := filepath.Join(dir, storeDir, name)
		if err := checkSegment(p); err != nil {
			return damaged(p, err)
		}
	}
	return nil
}

// liveSegments opens root.bolt read-only (a shared lock: it waits for a
// writer's exclusive one up to lockTimeout), checks its pages, and returns
// the segment files of the newest snapshot, the one Bleve loads.
func liveSegments(path string) (names []string, err error) {
	// bbolt maps the file and reads pages up to the high-water mark its
	// meta page states: a file cut shorter than that is a fatal SIGBUS,
	// which no recover catches, so the size is checked first.
	if err := checkBoltSize(path); err != nil {
		return nil, err
	}
	defer func() {
		// bbolt panics on some corruptions (an invalid freelist page, say).
		if r := recover(); r != nil {
			err = fmt.Errorf("corrupt bolt file: %s", strings.TrimPrefix(fmt.Sprint(r), "panic: "))
		}
	}()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: lockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, err
	}
	if err != nil {
		// bbolt reports some corruptions as a recovered "panic: …".
		return nil, fmt.Errorf("corrupt bolt file: %s", strings.ReplaceAll(err.Error(), "panic: ", ""))
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() { // drained: the checker reads until done
			if len(errs) < 3 {
				errs = append(errs, err)
			}
		}
		if len(errs) > 0 {
			// The checker reports a page it cannot read as a recovered "panic: …".
			msgs := make([]string, len(errs))
			for i, e := range errs {
				msgs[i] = strings.ReplaceAll(e.Error(), "panic: ", "")
			}
			return fmt.Errorf("corrupt bolt file: %s", strings.Join(msgs, "; "))
		}
		snaps := tx.Bucket(util.BoltSnapshotsBucket)
		if snaps == nil {
			return nil // a new index: no snapshot yet
		}
		k, v := snaps.Cursor().Last()
		if k == nil {
			return nil
		}
		snap := snaps.Bucket(k)
		if v != nil || snap == nil {
			return fmt.Errorf("newest snapshot %x is not a bucket", k)
		}
		if snap.Bucket(util.BoltMetaDataKey) == nil {
			return fmt.Errorf("newest snapshot %x has no meta-data", k)
		}
		return snap.ForEachBucket(func(sk []byte) error {
			if sk[0] == util.BoltInternalKey[0] || sk[0] == util.BoltMetaDataKey[0] {
				return nil
			}
			p := snap.Bucket(sk).Get(util.BoltPathKey)
			if len(p) == 0 || strings.ContainsAny(string(p), `/\`) {
				return fmt.Errorf("snapshot %x: segment %x has no usable path (%q)", k, sk, p)
			}
			names = append(names, string(p))
			return nil
		})
	})
	return names, err
}

// checkSegment verifies a zap segment file: every zap version ends with the
// CRC-32 (IEEE) of all the bytes before it.
func checkSegment(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() < 4 {
		return fmt.Errorf("truncated segment: %d bytes", fi.Size())
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyN(h, f, fi.Size()-4); err != nil {
		return fmt.Errorf("read segment: %w", err)
	}
	var sum [4]byte
	if _, err := io.ReadFull(f, sum[:]); err != nil {
		return fmt.Errorf("read segment: %w", err)
	}
	if got, want := h.Sum32(), binary.BigEndian.Uint32(sum[:]); got != want {
		return fmt.Errorf("segment checksum mismatch (truncated or overwritten): CRC %08x, footer says %08x", got, want)
	}
	return nil
}

// CurrentFiles returns the files the current state of the closed index in
// dir is made of: its mapping, root.bolt and the segments of the newest
// snapshot (other .zap files belong to older snapshots or unfinished
// merges, which Bleve removes). Damage to any of them makes Open fail.
func CurrentFiles(dir string) ([]string, error) {
	rp := filepath.Join(dir, storeDir, rootBolt)
	segs, err := liveSegments(rp)
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", dir, err)
	}
	files := []string{filepath.Join(dir, metaFile), rp}
	for _, s := range segs {
		files = append(files, filepath.Join(dir, storeDir, s))
	}
	return files, nil
}

// bbolt's meta page, after the 16-byte page header: magic, version, page
// size, flags, root bucket (root page, sequence), freelist page, high-water
// mark (pgid), txid, then an FNV-64a checksum of the fields before it.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	boltMetaOffset = 16
	boltMetaSize   = 56 // up to the checksum
)

// checkBoltSize fails when no meta page of the bolt file at path is valid,
// or when the file is shorter than the pages the newest valid meta counts.
func checkBoltSize(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	type meta struct{ pageSize, pgid, txid uint64 }
	read := func(off int64) (meta, bool) {
		b := make([]byte, boltMetaSize+8)
		if _, err := f.ReadAt(b, off+boltMetaOffset); err != nil {
			return meta{}, false
		}
		le := binary.LittleEndian
		h := fnv.New64a()
		h.Write(b[:boltMetaSize])
		if le.Uint32(b[0:]) != boltMagic || le.Uint32(b[4:]) != boltVersion || h.Sum64() != le.Uint64(b[boltMetaSize:]) {
			return meta{}, false
		}
		return meta{pageSize: uint64(le.Uint32(b[8:])), pgid: le.Uint64(b[40:]), txid: le.Uint64(b[48:])}, true
	}
	m0, ok0 := read(0)
	var m1 meta
	ok1 := false
	if ok0 {
		m1, ok1 = read(int64(m0.pageSize))
	} else {
		// The first meta page is damaged: the second is at the OS page size.
		m1, ok1 = read(int64(os.Getpagesize()))
	}
	m := m0
	switch {
	case !ok0 && !ok1:
		return errors.New("corrupt bolt file: invalid database (no valid meta page)")
	case !ok0 || (ok1 && m1.txid > m0.txid):
		m = m1
	}
	if need := m.pgid * m.pageSize; uint64(fi.Size()) < need {
		return fmt.Errorf("corrupt bolt file: truncated to %d bytes, its pages need %d", fi.Size(), need)
	}
	return nil
}
