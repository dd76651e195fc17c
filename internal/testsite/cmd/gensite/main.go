// Command gensite writes the fixture site of internal/testsite into a
// directory (go generate runs it with site/ of that package):
//
//	go run ./internal/testsite/cmd/gensite internal/testsite/site
package main

import (
	"fmt"
	"os"

	"github.com/lga-digital/bulletin/internal/testsite"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gensite DIR")
		os.Exit(2)
	}
	if err := testsite.WriteSite(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "gensite:", err)
		os.Exit(1)
	}
}
