package main_test

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/testenv"
)

// served is a running `bulletin serve`: its command, its log and its
// address. It is stopped when the test ends, and its log shown if the test
// failed.
type served struct {
	t      *testing.T
	cmd    *exec.Cmd
	logs   *testenv.LogBuffer
	base   string
	exited chan struct{} // closed once the process has ended
	err    error         // how it ended, set before exited is closed
}

// startServed starts `bulletin --config cfg serve` and waits until it
// answers /healthz at addr.
func startServed(t *testing.T, bin, cfg, addr string) *served {
	t.Helper()
	return startServedCmd(t, exec.Command(bin, "--config", cfg, "serve"), addr, "/healthz")
}

// startServedCmd starts a prepared serve command (its own flags or
// environment) and waits until it answers 200 at health, the path of
// /healthz (under the base URL's path, if it has one) at addr.
func startServedCmd(t *testing.T, cmd *exec.Cmd, addr, health string) *served {
	t.Helper()
	s := &served{t: t, cmd: cmd, logs: &testenv.LogBuffer{}, base: "http://" + addr, exited: make(chan struct{})}
	cmd.Stderr = s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.err = cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("serve log:\n%s", s.logs)
		}
	})
	// The server that answers must be this one: its log names the address
	// it listens on (another process on the port would answer too).
	waitFor(t, "serve to listen on "+addr, func() bool {
		select {
		case <-s.exited:
			t.Fatalf("serve exited before listening on %s: %v\n%s", addr, s.err, s.logs)
		default:
		}
		logs := s.logs.String() // text or JSON
		return strings.Contains(logs, "msg=listening addr="+addr) || strings.Contains(logs, `"msg":"listening","addr":"`+addr+`"`)
	})
	waitFor(t, "serve to answer "+health, func() bool { code, _ := httpDo(t, "GET", s.base+health, ""); return code == 200 })
	return s
}

// stop sends SIGINT and waits for the process to end; it returns how it
// ended (nil for exit 0), or nil at once if it has ended already.
func (s *served) stop() error {
	select {
	case <-s.exited:
		return nil
	default:
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
		return s.err
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
		s.t.Error("serve did not stop on SIGINT")
		return s.err
	}
}

// exitCode waits for the process to end, up to within after the signal
// the test sent, and returns its exit code.
func (s *served) exitCode(within time.Duration) int {
	s.t.Helper()
	select {
	case <-s.exited:
	case <-time.After(within):
		s.cmd.Process.Kill()
		s.t.Fatalf("process did not exit within %v of the signal", within)
	}
	var ee *exec.ExitError
	if errors.As(s.err, &ee) {
		return ee.ExitCode()
	}
	if s.err != nil {
		s.t.Fatal(s.err)
	}
	return 0
}
