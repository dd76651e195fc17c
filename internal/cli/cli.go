// Package cli implements bulletin's sub-commands: it parses flags, loads the
// config and wires the stages together. It holds no logic of its own.
//
// It may import every package of the module; only cmd/bulletin imports it.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/index"
	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/snapshot"
)

const usage = `Usage: bulletin [--config FILE] [--log-format text|json] COMMAND [flags]

Turns HTML e-mail bulletins into feeds and a search engine.

Commands:
  serve                  serve feeds, search and the API; crawl each source on its schedule;
                         receive bulletins by e-mail when smtp_listen is set
        [--no-result-cache]  compute every search, keeping no results (for benchmarks)
  crawl [--source ID]    crawl every source (or one) once, print a summary
        [--refetch]      download edition pages again even when already kept
        [--max-new N]    stop after N new editions per source
  reindex                rebuild the search index from the kept pages, offline
  import FILE...         add saved .html pages or .eml e-mails of a bulletin
        [--source ID]    (needed when the config has several sources)
  search QUERY [--json]  search the index; same language as /api/search
        [--source ID] [--sort relevance|date] [--page N] [--size N]
  demo [--listen ADDR]   try bulletin offline: a generated archive, crawled and served
        [--editions N]
  config check           validate the config and print the effective values (secrets masked)
  healthcheck            exit 0 if the server at the configured address is healthy
  gen-corpus --out DIR   write a generated GovDelivery-like archive for benchmarks
        [--editions N] [--seed S] [--serve ADDR]
  version                print the version
  help [COMMAND]         print this help, or a command's

While serve runs it holds the index: search and crawl then go through its API
(and say so). Every command answers --help.

Global flags (also accepted after the command):
  --config FILE          config file (default $BULLETIN_CONFIG, else config/bulletin.toml,
                         else the embedded copy of config/bulletin.toml)
  --log-format FORMAT    text (default) or json
`

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// errUsage marks a usage error: the message is printed with the usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// reported is an error the command has already told the user about: Main
// exits with failure without printing it again.
type reported struct{ err error }

func (e reported) Error() string { return e.err.Error() }
func (e reported) Unwrap() error { return e.err }

// helpRequest is a command's answer to --help: its usage, for stdout.
type helpRequest struct{ text string }

func (h *helpRequest) Error() string { return "help requested" }

// commandHelp is each command's synopsis and what it does, for --help.
var commandHelp = map[string]string{
	"serve": `serve

Serve feeds, search and the API on the configured listen address; crawl each
source on its schedule, at start-up when the index is empty, and again with
backoff (retry_backoff, doubling up to 30 minutes) after a crawl that failed
because a host did not answer; receive bulletins by e-mail when smtp_listen
is set. Stops gracefully on SIGINT or SIGTERM.`,
	"crawl": `crawl [--source ID] [--refetch] [--max-new N]

Crawl every source (or one) once and print a summary table; exit 1 if a
source failed. Pages that robots.txt disallows are skipped with a warning.
While serve runs, the crawl runs in the server (through POST /api/crawl,
with the token serve leaves in data_dir/serve.json, flags included) and
this command waits for it and prints its summary.`,
	"reindex": `reindex

Rebuild the search index from the kept pages, with no network. Needs the
index to itself: stop serve first.`,
	"import": `import [--source ID] FILE...

Add saved .html pages or .eml e-mails of a bulletin; importing a file again
changes nothing. An e-mail's Subject and Date headers give the title and
date of a body that states none.`,
	"search": `search [--json] [--source ID] [--sort relevance|date] [--page N] [--size N] QUERY...

Search; the same results as /api/search, as a table or as JSON. A word such
as -webinar is a query word; after -- every argument is. While serve runs,
the search goes through its /api/search, and the output says so. With
--json an error is a JSON object {"error": …, "pos": …} too.`,
	"demo": `demo [--listen ADDR] [--editions N] [--seed S] [--dir DIR]

Try bulletin offline: generate a GovDelivery-like archive, serve it on
loopback, crawl it and serve bulletin on it at ADDR (default
127.0.0.1:8080), printing the address to open. Ctrl-C stops both; the
data stays in DIR (default: a temporary directory, removed on exit).`,
	"config": `config check

Validate the config and print the effective values (after defaults and
BULLETIN_* overrides), secrets masked.`,
	"healthcheck": `healthcheck [--timeout D]

Exit 0 when the server at the configured listen address answers /healthz.`,
	"gen-corpus": `gen-corpus --out DIR [--editions N] [--seed S] [--per-page N] [--feed-items N] [--serve ADDR]

Write a generated GovDelivery-like archive (a site directory) for benchmarks
and offline trials; with --serve, serve it until interrupted.`,
	"version": `version

Print the module version and the VCS revision.`,
}

// help renders a command's usage: its synopsis, what it does, its flags.
func help(fs *flag.FlagSet) *helpRequest {
	var b strings.Builder
	text, ok := commandHelp[fs.Name()]
	if !ok {
		text = fs.Name()
	}
	fmt.Fprintf(&b, "Usage: bulletin [--config FILE] [--log-format text|json] %s\n\nFlags:\n", text)
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	return &helpRequest{text: b.String()}
}

// app is one invocation of the CLI.
type app struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	configPath     string
	logFormat      string
	log            *slog.Logger
	orgs           []config.Org // from the loaded config
	noResultCache  bool         // serve --no-result-cache
}

// Main runs the CLI with the arguments after the program name and returns
// the process exit code.
func Main(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{stdout: stdout, stderr: stderr, getenv: getenv}
	global := a.flags("bulletin")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return exitOK
		}
		return a.usageExit(err)
	}
	rest := global.Args()
	if len(rest) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, cmdArgs := rest[0], rest[1:]
	commands := map[string]func(context.Context, []string) error{
		"serve":       a.serve,
		"crawl":       a.crawl,
		"reindex":     a.reindex,
		"import":      a.importFiles,
		"config":      a.configCmd,
		"healthcheck": a.healthcheck,
		"gen-corpus":  a.genCorpus,
		"search":      a.search,
		"version":     a.version,
		"demo":        a.demo,
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		if len(cmdArgs) > 0 && commands[cmdArgs[0]] != nil {
			cmd, cmdArgs = cmdArgs[0], []string{"--help"}
		} else {
			fmt.Fprint(stdout, usage)
			return exitOK
		}
	}
	run, ok := commands[cmd]
	if !ok {
		return a.usageExit(&usageError{fmt.Sprintf("unknown command %q", cmd)})
	}
	// The first SIGINT/SIGTERM cancels ctx for a graceful stop; once it has,
	// the handler is removed, so a second signal ends the process at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, cmdArgs)
	var ue *usageError
	var hr *helpRequest
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &hr):
		fmt.Fprint(stdout, hr.text)
		return exitOK
	case errors.As(err, &ue), errors.Is(err, flag.ErrHelp):
		return a.usageExit(err)
	case errors.As(err, new(reported)):
		return exitFailure
	default:
		if a.log != nil {
			a.log.Error(err.Error())
		} else {
			fmt.Fprintln(stderr, "bulletin:", err)
		}
		return exitFailure
	}
}

func (a *app) usageExit(err error) int {
	if !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(a.stderr, "bulletin:", err)
	}
	fmt.Fprint(a.stderr, usage)
	return exitUsage
}

// flags returns a flag set that knows the global flags; every sub-command
// starts from it so that --config works before or after the command.
func (a *app) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&a.configPath, "config", a.configPath, "config file")
	fs.StringVar(&a.logFormat, "log-format", a.logFormatOr("text"), "text or json")
	return fs
}

func (a *app) logFormatOr(def string) string {
	if a.logFormat != "" {
		return a.logFormat
	}
	return def
}

// parse parses a sub-command's flags and returns its positional arguments.
// Flags may come before or after positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, help(fs)
			}
			return nil, &usageError{fmt.Sprintf("%s: %v", fs.Name(), err)}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseNoArgs parses a sub-command that takes flags only.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return &usageError{fmt.Sprintf("%s takes no arguments, got %q", fs.Name(), rest)}
	}
	return nil
}

// setup loads the config and the logger.
func (a *app) setup() (*config.Config, error) {
	if err := a.setupLog(); err != nil {
		return nil, err
	}
	cfg, err := a.loadConfig()
	if err != nil {
		return nil, err
	}
	a.orgs = cfg.Orgs
	return cfg, nil
}

// setupLog makes the logger of --log-format, on stderr.
func (a *app) setupLog() error {
	switch a.logFormat {
	case "", "text":
		a.log = slog.New(slog.NewTextHandler(a.stderr, nil))
	case "json":
		a.log = slog.New(slog.NewJSONHandler(a.stderr, nil))
	default:
		return &usageError{fmt.Sprintf("--log-format must be text or json, got %q", a.logFormat)}
	}
	return nil
}

// loadConfig reads --config, else $BULLETIN_CONFIG, else config/bulletin.toml,
// else the embedded copy of it.
func (a *app) loadConfig() (*config.Config, error) {
	path := a.configPath
	if path == "" {
		path = a.getenv("BULLETIN_CONFIG")
	}
	if path == "" {
		if _, err := os.Stat(config.DefaultPath); err != nil {
			return config.Shipped(a.getenv)
		}
		path = config.DefaultPath
	}
	return config.Load(path, a.getenv)
}

// stores opens the snapshot store and the index of the data directory.
func (a *app) stores(cfg *config.Config) (*snapshot.Store, *index.Index, error) {
	st, err := snapshot.Open(filepath.Join(cfg.DataDir, "snapshots"))
	if err != nil {
		return nil, nil, err
	}
	idx, err := a.openIndex(context.Background(), cfg)
	if err != nil {
		return nil, nil, err
	}
	return st, idx, nil
}

// openIndex opens the data directory's index; when it cannot, the error
// says what the operator can do about it.
func (a *app) openIndex(ctx context.Context, cfg *config.Config) (*index.Index, error) {
	idx, err := index.Open(filepath.Join(cfg.DataDir, "index"))
	if err != nil {
		return nil, a.explainOpen(ctx, cfg, err)
	}
	return idx, nil
}

// explainOpen adds to an index.Open error what to do: which process holds
// a locked index, how to rebuild a damaged one.
func (a *app) explainOpen(ctx context.Context, cfg *config.Config, err error) error {
	switch {
	case errors.Is(err, index.ErrLocked):
		if u, ok := serverAnswers(ctx, cfg); ok {
			return fmt.Errorf("%w: bulletin serve answers at %s; stop it first", err, u)
		}
		return fmt.Errorf("%w: another bulletin command (a crawl, import or reindex) is running on %s; wait for it to end", err, cfg.DataDir)
	case errors.Is(err, index.ErrDamaged):
		return fmt.Errorf("%w; rebuild it from the kept pages with `bulletin reindex` (`bulletin serve` also rebuilds it by itself)", err)
	}
	return err
}

func (a *app) version(ctx context.Context, args []string) error {
	fs := a.flags("version")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	v, rev, dirty := fetch.Version(), "", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			}
		}
	}
	if rev != "" {
		fmt.Fprintf(a.stdout, "bulletin %s (%s%s)\n", v, rev, dirty)
	} else {
		fmt.Fprintf(a.stdout, "bulletin %s\n", v)
	}
	return nil
}
