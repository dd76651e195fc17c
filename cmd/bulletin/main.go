// Command bulletin turns HTML e-mail bulletins into feeds and a search
// engine. See the README for the sub-commands.
package main

import (
	"os"

	"github.com/lga-digital/bulletin/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}
