package testenv_test

import (
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/internal/testenv"
)

// TestOnlyTestsImportIt: the binary does not link the test-support
// packages (testenv, lgafixtures, the fixture site).
func TestOnlyTestsImportIt(t *testing.T) {
	for _, dep := range testenv.Deps(t, "github.com/lga-digital/bulletin/cmd/bulletin") {
		for _, banned := range []string{"/internal/testenv", "/internal/testsite"} {
			if strings.Contains(dep, banned) {
				t.Errorf("cmd/bulletin depends on %s", dep)
			}
		}
	}
}
