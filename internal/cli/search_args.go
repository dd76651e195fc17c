package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// parseSearchArgs parses the flags of `bulletin search` and returns the
// words of the query. Unlike other commands, an argument that starts with
// "-" but names no flag is a query word, since the query language excludes
// words with "-" (`bulletin search cyber -webinar`); after "--" every
// argument is a query word. -h and --help ask for the usage.
func parseSearchArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, words []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			words = append(words, args[i+1:]...)
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			return nil, help(fs)
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		if !strings.HasPrefix(a, "-") || len(a) == 1 || f == nil {
			words = append(words, a)
			continue
		}
		flags = append(flags, a)
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); (!ok || !b.IsBoolFlag()) && !hasValue && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, help(fs)
		}
		return nil, &usageError{fmt.Sprintf("%s: %v", fs.Name(), err)}
	}
	return words, nil
}
