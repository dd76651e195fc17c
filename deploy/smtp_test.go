package deploy_test

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// imageConfig is what the final stage of the Dockerfile gives the image for
// some build arguments: its environment and its exposed ports, expanded by
// BuildKit's own shell lexer.
func imageConfig(t *testing.T, buildArgs map[string]string) (env map[string]string, ports []string) {
	t.Helper()
	stages := dockerfile(t)
	final := stages[len(stages)-1]
	lex := shell.NewLex('\\')
	vars := map[string]string{}
	env = map[string]string{}
	word := func(w string) string {
		v, _, err := lex.ProcessWord(w, shell.EnvsFromSlice(pairs(vars)))
		if err != nil {
			t.Fatalf("expand %q: %v", w, err)
		}
		return v
	}
	for _, in := range final.instrs {
		switch in.cmd {
		case "ARG":
			for _, a := range in.args {
				k, v, _ := strings.Cut(a, "=")
				if given, ok := buildArgs[k]; ok {
					v = given
				}
				vars[k] = v
			}
		case "ENV":
			// BuildKit gives each pair as three nodes: name, value, separator.
			for i := 0; i+1 < len(in.args); i += 3 {
				v := word(in.args[i+1])
				vars[in.args[i]] = v
				env[in.args[i]] = v
			}
		case "EXPOSE":
			for _, p := range in.args {
				words, err := lex.ProcessWords(p, shell.EnvsFromSlice(pairs(vars)))
				if err != nil {
					t.Fatalf("EXPOSE %q: %v", p, err)
				}
				ports = append(ports, words...)
			}
		}
	}
	slices.Sort(ports)
	return env, ports
}

func pairs(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

// TestDockerfileMailPort: the image listens for mail and exposes its port
// only when built to (--build-arg SMTP_PORT=…).
func TestDockerfileMailPort(t *testing.T) {
	env, ports := imageConfig(t, nil)
	if env["BULLETIN_SMTP_LISTEN"] != "" || !slices.Equal(ports, []string{"8080"}) {
		t.Errorf("default image: BULLETIN_SMTP_LISTEN=%q, EXPOSE %v; want no mail and only 8080", env["BULLETIN_SMTP_LISTEN"], ports)
	}
	env, ports = imageConfig(t, map[string]string{"SMTP_PORT": "2525"})
	if env["BULLETIN_SMTP_LISTEN"] != "0.0.0.0:2525" || !slices.Equal(ports, []string{"2525", "8080"}) {
		t.Errorf("SMTP_PORT=2525: BULLETIN_SMTP_LISTEN=%q, EXPOSE %v", env["BULLETIN_SMTP_LISTEN"], ports)
	}
}

// TestSystemdMailDropIn: the unit listens for no mail and holds no
// capability; the drop-in turns mail on at port 25 with the one capability
// that binding it needs.
func TestSystemdMailDropIn(t *testing.T) {
	unit := unitKeys(t, "bulletin.service")
	if env := strings.Join(unit["Environment"], " "); strings.Contains(env, "SMTP") {
		t.Errorf("the unit itself turns mail on: %q", env)
	}
	drop := unitKeys(t, "bulletin-smtp.conf")
	if got := drop["Environment"]; len(got) != 1 || got[0] != "BULLETIN_SMTP_LISTEN=0.0.0.0:25" {
		t.Errorf("drop-in Environment = %q", got)
	}
	for _, k := range []string{"CapabilityBoundingSet", "AmbientCapabilities"} {
		if got := drop[k]; len(got) != 1 || got[0] != "CAP_NET_BIND_SERVICE" {
			t.Errorf("drop-in %s = %q, want CAP_NET_BIND_SERVICE alone", k, got)
		}
	}
	for k := range drop {
		if !slices.Contains([]string{"Environment", "CapabilityBoundingSet", "AmbientCapabilities"}, k) {
			t.Errorf("drop-in changes %s: it should change only what mail needs", k)
		}
	}
}

// unitKeys reads a systemd unit file's key=value lines (comments skipped).
func unitKeys(t *testing.T, name string) map[string][]string {
	t.Helper()
	f, err := os.Open(name)
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
			t.Errorf("%s: not key=value: %q", name, line)
			continue
		}
		keys[k] = append(keys[k], v)
	}
	return keys
}
