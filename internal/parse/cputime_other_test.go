//go:build !unix

package parse_test

import "time"

// cpuTime is not measured off Unix: the cpu-ns/op metric is left out.
func cpuTime() time.Duration { return 0 }
