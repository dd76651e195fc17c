package index

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// oldSuffix names the directory Replace moves the replaced index to.
const oldSuffix = ".old"

// Replace puts the closed index in fresh in the place of the closed index
// in live: live is renamed aside, fresh renamed to live, then the old one
// removed. A crash between the two renames leaves no index at live but the
// old one aside, which Open(live) puts back.
func Replace(live, fresh string) error {
	old := live + oldSuffix
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("replace index %s: %w", live, err)
	}
	if err := os.Rename(live, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("replace index %s: %w", live, err)
	}
	if err := os.Rename(fresh, live); err != nil {
		// Put the old one back rather than leave no index.
		_ = os.Rename(old, live)
		return fmt.Errorf("replace index %s: %w", live, err)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("replace index %s: remove the old index: %w", live, err)
	}
	return nil
}

// restoreInterrupted puts back the index Replace had moved aside when it
// was interrupted before the new one took its place.
func restoreInterrupted(dir string) error {
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	old := dir + oldSuffix
	if _, err := os.Stat(old); err != nil {
		return nil
	}
	if err := os.Rename(old, dir); err != nil {
		return fmt.Errorf("open index %s: restore the index an interrupted reindex moved to %s: %w", dir, old, err)
	}
	return nil
}
