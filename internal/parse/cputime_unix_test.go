//go:build unix

package parse_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system, all threads) the test process
// has used. On a shared machine it varies far less with other processes'
// load than the wall time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
