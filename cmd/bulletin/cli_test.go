package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUsageAndErrors(t *testing.T) {
	e2e(t, "builds and runs the binary")
	bin := binary(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[[source]]\nid = \"x\"\ntitle = \"X\"\nschedule = \"whenever\"\neditions = [\"https://example.org/b/1\"]\n"), 0o644)
	good := filepath.Join(dir, "good.toml")
	os.WriteFile(good, []byte("admin_token = \"s3cret-s3cret-s3cret\"\n[[source]]\nid = \"x\"\ntitle = \"X\"\neditions = [\"https://example.org/b/1\"]\n"), 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
		stdout string
	}{
		{"help", []string{"help"}, 0, "", "Usage: bulletin"},
		{"--help", []string{"--help"}, 0, "", "Usage: bulletin"},
		{"no command", nil, 2, "Usage: bulletin", ""},
		{"unknown flag", []string{"--frobnicate", "crawl"}, 2, "flag provided but not defined", ""},
		{"unknown sub-command flag", []string{"crawl", "--frobnicate"}, 2, "Usage: bulletin", ""},
		{"unknown command", []string{"frob"}, 2, `unknown command "frob"`, ""},
		{"version", []string{"version"}, 0, "", "bulletin "},
		{"config error", []string{"--config", bad, "crawl"}, 1, bad + ": source[x].schedule: invalid cron spec", ""},
		{"missing config", []string{"--config", filepath.Join(dir, "nope.toml"), "crawl"}, 1, "nope.toml", ""},
		{"config check", []string{"--config", good, "config", "check"}, 0, "", "admin_token = \"********\""},
		{"config check bad", []string{"--config", bad, "config", "check"}, 1, "invalid cron spec", ""},
		{"config check usage", []string{"--config", good, "config", "show"}, 2, "usage: bulletin config check", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &env{t: t, bin: bin}
			out, errs, code := e.runRaw(tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) || !strings.Contains(out, tt.stdout) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
			if strings.Contains(out+errs, "s3cret") {
				t.Errorf("secret printed: %s %s", out, errs)
			}
			if strings.Contains(errs, "goroutine ") || strings.Contains(errs, "panic") {
				t.Errorf("stack trace on stderr: %s", errs)
			}
		})
	}
}

// TestUnreachable: a source whose host does not answer is one clear log line
// naming the source and the URL, and a non-zero exit; serve still starts.
func TestUnreachable(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	// Serial: nothing may take the dead address while it runs.
	dead := "http://" + freeAddr(t) // nothing listens there
	e := newEnvAt(t, nil, `[[source]]
id = "dead"
title = "Dead"
schedule = "@daily"
feeds = ["`+dead+`/accounts/UKLGA/bulletins.rss"]
lists = ["`+dead+`/accounts/UKLGA/bulletins"]
editions = ["`+dead+`/accounts/UKLGA/bulletins/1a", "`+dead+`/accounts/UKLGA/bulletins/1b"]
allow_private = true
delay = "0s"
`)
	out, errs, code := e.run("crawl")
	if code == 0 {
		t.Fatalf("crawl of an unreachable source exited 0\n%s\n%s", out, errs)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(errs), "\n") {
		if strings.Contains(l, "level=ERROR") && strings.Contains(l, "source=dead") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], dead) {
		t.Errorf("want one error line naming the source and URL, got:\n%s", errs)
	}
	if strings.Contains(errs, "goroutine ") {
		t.Errorf("stack trace: %s", errs)
	}
	stop := e.serve()
	if code, _, _ := e.get("/feeds/dead.rss"); code != 200 {
		t.Errorf("feed of a source with nothing crawled: %d", code)
	}
	if code, _, body := e.get("/feeds/nope.rss"); code != 404 || !strings.Contains(string(body), `"error"`) {
		t.Errorf("unknown source: %d %s", code, body)
	}
	stop()
}

// TestCommandHelp: every command the usage lists answers --help (and
// `help COMMAND`) with its own usage on stdout and exit 0.
func TestCommandHelp(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e := &env{t: t, bin: binary(t)}
	usage, _, code := e.runRaw("help")
	if code != 0 {
		t.Fatalf("help: exit %d", code)
	}
	// The commands are the first words of the lines of the "Commands:" block.
	var cmds []string
	_, block, _ := strings.Cut(usage, "Commands:\n")
	block, _, _ = strings.Cut(block, "\n\n")
	for _, l := range strings.Split(block, "\n") {
		// A command's line is indented by two spaces; its continuation lines by more.
		if f := strings.Fields(l); len(f) > 0 && strings.HasPrefix(l, "  ") && l[2] != ' ' && f[0] != "help" {
			cmds = append(cmds, f[0])
		}
	}
	if len(cmds) < 10 {
		t.Fatalf("found only %q in the usage:\n%s", cmds, usage)
	}
	for _, cmd := range cmds {
		for _, args := range [][]string{{cmd, "--help"}, {cmd, "-h"}, {"help", cmd}} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				out, errs, code := e.runRaw(args...)
				if code != 0 || errs != "" || !strings.HasPrefix(out, "Usage: bulletin [--config FILE] [--log-format text|json] "+cmd) ||
					!strings.Contains(out, "Flags:\n") || !strings.Contains(out, "-config") {
					t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
				}
			})
		}
	}
}
