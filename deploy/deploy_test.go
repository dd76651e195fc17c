// Package deploy_test checks the deployment files: the Dockerfile (parsed
// with BuildKit's own parser, since no Docker engine runs here), the systemd
// unit, and the image's build and run steps replayed without Docker.
package deploy_test

import (
	"bufio"
	"context"
	"debug/elf"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// instruction is one Dockerfile line: its keyword and arguments.
type instruction struct {
	cmd   string
	args  []string
	flags []string
}

type stage struct {
	from   string
	name   string
	instrs []instruction
}

func (s stage) all(cmd string) []instruction {
	var out []instruction
	for _, in := range s.instrs {
		if in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

func dockerfile(t *testing.T) []stage {
	t.Helper()
	f, err := os.Open("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		t.Fatalf("parse Dockerfile: %v", err)
	}
	var stages []stage
	for _, n := range res.AST.Children {
		in := instruction{cmd: strings.ToUpper(n.Value), flags: n.Flags}
		for a := n.Next; a != nil; a = a.Next {
			in.args = append(in.args, a.Value)
		}
		if in.cmd == "FROM" {
			st := stage{from: in.args[0]}
			if len(in.args) == 3 && strings.EqualFold(in.args[1], "AS") {
				st.name = in.args[2]
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			t.Fatalf("%s before FROM", in.cmd)
		}
		stages[len(stages)-1].instrs = append(stages[len(stages)-1].instrs, in)
	}
	return stages
}

func TestDockerfile(t *testing.T) {
	stages := dockerfile(t)
	if len(stages) < 2 {
		t.Fatalf("want a multi-stage build, got %d stage(s)", len(stages))
	}
	build, run := stages[0], stages[len(stages)-1]
	if !strings.HasPrefix(build.from, "golang:") {
		t.Errorf("build stage from %q, want a golang image", build.from)
	}
	if cmd := buildCommand(t, build); !strings.Contains(cmd, "CGO_ENABLED=0") || !strings.Contains(cmd, "./cmd/bulletin") {
		t.Errorf("build step %q is not a static build of ./cmd/bulletin", cmd)
	}
	checks := map[string]func([]instruction) error{
		"USER": func(ins []instruction) error {
			if len(ins) == 0 {
				return fmt.Errorf("no USER: the image would run as root")
			}
			u := strings.SplitN(ins[len(ins)-1].args[0], ":", 2)[0]
			if u == "0" || u == "root" {
				return fmt.Errorf("runs as %q", u)
			}
			return nil
		},
		"VOLUME": func(ins []instruction) error {
			for _, in := range ins {
				for _, a := range in.args {
					if a == "/data" {
						return nil
					}
				}
			}
			return fmt.Errorf("no VOLUME /data")
		},
		"ENV": func(ins []instruction) error {
			env := map[string]string{}
			// BuildKit gives each pair as three nodes: name, value, separator.
			for _, in := range ins {
				for i := 0; i+1 < len(in.args); i += 3 {
					env[in.args[i]] = in.args[i+1]
				}
			}
			if env["BULLETIN_DATA_DIR"] != "/data" {
				return fmt.Errorf("BULLETIN_DATA_DIR = %q, want the volume /data", env["BULLETIN_DATA_DIR"])
			}
			if !strings.HasPrefix(env["BULLETIN_LISTEN"], "0.0.0.0:") {
				return fmt.Errorf("BULLETIN_LISTEN = %q: a container must listen on all interfaces", env["BULLETIN_LISTEN"])
			}
			return nil
		},
		"HEALTHCHECK": func(ins []instruction) error {
			if len(ins) != 1 || !strings.Contains(strings.Join(ins[0].args, " "), "healthcheck") {
				return fmt.Errorf("want HEALTHCHECK running `bulletin healthcheck`, got %+v", ins)
			}
			return nil
		},
		"ENTRYPOINT": func(ins []instruction) error {
			if len(ins) != 1 || !strings.HasSuffix(ins[0].args[0], "/bulletin") {
				return fmt.Errorf("want the bulletin binary as entrypoint, got %+v", ins)
			}
			return nil
		},
	}
	for cmd, check := range checks {
		if err := check(run.all(cmd)); err != nil {
			t.Errorf("final stage %s: %v", cmd, err)
		}
	}
}

// buildCommand is the shell text of the build stage's `go build` RUN step.
func buildCommand(t *testing.T, build stage) string {
	for _, in := range build.all("RUN") {
		if cmd := strings.Join(in.args, " "); strings.Contains(cmd, "go build") {
			return cmd
		}
	}
	t.Fatal("build stage has no `go build` step")
	return ""
}

func TestSystemdUnit(t *testing.T) {
	f, err := os.Open("bulletin.service")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	keys := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "[") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Errorf("not key=value: %q", line)
			continue
		}
		keys[k] = append(keys[k], v)
	}
	want := map[string]string{
		"DynamicUser": "yes", "StateDirectory": "bulletin", "ProtectSystem": "strict", "ProtectHome": "yes",
		"NoNewPrivileges": "yes", "PrivateTmp": "yes", "KillSignal": "SIGTERM", "CapabilityBoundingSet": "",
	}
	for k, v := range want {
		if got := keys[k]; len(got) != 1 || got[0] != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if exec := strings.Join(keys["ExecStart"], ""); !strings.HasPrefix(exec, "/usr/local/bin/bulletin ") || !strings.HasSuffix(exec, " serve") {
		t.Errorf("ExecStart = %q", exec)
	}
	if !strings.Contains(strings.Join(keys["Environment"], " "), "BULLETIN_DATA_DIR=%S/bulletin") {
		t.Errorf("the data directory must be the StateDirectory: %q", keys["Environment"])
	}
}

// TestImageStepsWithoutDocker replays the image: the static build of the
// Dockerfile, then the binary serving as the image's user with the image's
// environment, only the data directory writable, and its health check.
func TestImageStepsWithoutDocker(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	root, err := os.MkdirTemp("", "bulletin-image-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	for _, d := range []string{"bin", "etc", "data", "work"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(root, 0o755)
	bin := filepath.Join(root, "bin", "bulletin")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "../cmd/bulletin")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("static build: %v\n%s", err, out)
	}
	assertStatic(t, bin)

	cfg, err := os.ReadFile("../config/bulletin.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc", "bulletin.toml"), cfg, 0o444); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	env := []string{"BULLETIN_CONFIG=" + filepath.Join(root, "etc", "bulletin.toml"),
		"BULLETIN_DATA_DIR=" + filepath.Join(root, "data"), "BULLETIN_LISTEN=" + addr, "PATH=/usr/bin:/bin"}

	// As root, run as the image's non-root user: only /data is theirs.
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		cred = &syscall.Credential{Uid: 65532, Gid: 65532}
		if err := os.Chown(filepath.Join(root, "data"), 65532, 65532); err != nil {
			t.Fatal(err)
		}
		os.Chmod(filepath.Join(root, "work"), 0o555)
	} else {
		t.Log("not root: running as the current user")
	}
	command := func(ctx context.Context, args ...string) *exec.Cmd {
		c := exec.CommandContext(ctx, bin, args...)
		c.Env, c.Dir = env, filepath.Join(root, "work")
		c.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		return c
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var logs strings.Builder
	serve := command(ctx, "serve")
	serve.Stderr = &logs
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	healthy := false
	for i := 0; i < 200 && !healthy; i++ {
		time.Sleep(50 * time.Millisecond)
		healthy = command(ctx, "healthcheck", "--timeout", "2s").Run() == nil
	}
	if !healthy {
		t.Errorf("healthcheck never passed\n%s", logs.String())
	}
	if resp, err := http.Get("http://" + addr + "/"); err != nil || resp.StatusCode != 200 {
		t.Errorf("home page: %v %v", resp, err)
	}
	serve.Process.Signal(syscall.SIGTERM)
	if err := serve.Wait(); err != nil {
		t.Errorf("serve did not exit cleanly on SIGTERM: %v\n%s", err, logs.String())
	}
	for _, d := range []string{"index", "snapshots"} {
		if _, err := os.Stat(filepath.Join(root, "data", d)); err != nil {
			t.Errorf("data volume lacks %s: %v", d, err)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(root, "work")); len(entries) > 0 {
		t.Errorf("wrote outside the data volume: %v", entries)
	}
}

// assertStatic fails unless bin is a statically linked ELF executable.
func assertStatic(t *testing.T, bin string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("binary has an ELF interpreter: not static")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("binary links %v: not static", libs)
	}
}
