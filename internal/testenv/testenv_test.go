package testenv_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOnlyTestsImportIt: the binary does not link the test-support
// packages (testenv, lgafixtures, the fixture site).
func TestOnlyTestsImportIt(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/lga-digital/bulletin/cmd/bulletin").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"/internal/testenv", "/internal/testsite"} {
			if strings.Contains(dep, banned) {
				t.Errorf("cmd/bulletin depends on %s", dep)
			}
		}
	}
}
