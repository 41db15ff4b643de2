package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"reflect"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/kutsekoda/alusdok/internal/config"
)

// CLI is the whole command line: global options and the subcommands.
type CLI struct {
	Log config.Log `embed:""`

	Dev      DevCmd      `cmd:"" default:"withargs" help:"Run everything in one process on an embedded Temporal server and MongoDB (the default)."`
	Serve    ServeCmd    `cmd:"" help:"Run the API and the worker against an external Temporal and MongoDB."`
	API      APICmd      `cmd:"" name:"api" help:"Run only the HTTP API against an external Temporal and MongoDB."`
	Worker   WorkerCmd   `cmd:"" help:"Run only the Temporal worker against an external Temporal and MongoDB."`
	Probe    ProbeCmd    `cmd:"" help:"Ask a health endpoint; exit 0 only on 200 (container health checks)."`
	Keys     KeysCmd     `cmd:"" help:"Manage the API keys with which systems call the API: create, list, revoke."`
	Audit    AuditCmd    `cmd:"" help:"Check the processing log (R17): verify."`
	Version  VersionCmd  `cmd:"" help:"Print the version."`
	OpenData OpenDataCmd `cmd:"" name:"opendata" help:"Work with the open data: export it now."`
	// PDFCheck is the child process of PDF checking, started by the API.
	PDFCheck PDFCheckCmd `cmd:"" name:"pdfcheck" hidden:"" help:"Check one PDF from stdin, JSON report on stdout (started by the API as its child process)."`
}

// runContext is handed to every subcommand's Run.
type runContext struct {
	ctx    context.Context
	cli    *CLI
	stdout io.Writer
	stderr io.Writer
}

func (rc *runContext) logger() *slog.Logger {
	opts := &slog.HandlerOptions{Level: rc.cli.Log.Level}
	if rc.cli.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(rc.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(rc.stderr, opts))
}

// errHelpShown ends a run after kong printed help.
var errHelpShown = errors.New("help shown")

// parse reads args and the environment into a CLI. It returns a nil context
// (and nil error) when only help or the version was asked for.
func parse(args []string, getenv Env, stdout, stderr io.Writer) (*CLI, *kong.Context, error) {
	cli := &CLI{}
	exited := false
	parser, err := kong.New(cli,
		kong.Name("alusdok"),
		kong.Description("alusdok runs the statutory procedure of the Estonian Register of Occupational Qualifications (Kutseregister)."),
		kong.Writers(stdout, stderr),
		kong.Exit(func(int) { exited = true; panic(errHelpShown) }),
		kong.Resolvers(envResolver(getenv)),
		kong.UsageOnError(),
	)
	if err != nil {
		return nil, nil, err
	}
	kctx, err := parseRecover(parser, args)
	if exited {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return cli, kctx, nil
}

func parseRecover(p *kong.Kong, args []string) (kctx *kong.Context, err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != errHelpShown {
				panic(r)
			}
			err = nil
		}
	}()
	return p.Parse(args)
}

// envResolver lets kong read the env tags through getenv instead of the
// process environment, so that tests can pass their own. A secret may also
// come from a file named by its variable with _FILE appended (container
// secrets: ALUSDOK_SMTP_PASSWORD_FILE=/run/secrets/smtp-password); the
// file's trailing newline is dropped.
func envResolver(getenv Env) kong.Resolver {
	return kong.ResolverFunc(func(_ *kong.Context, _ *kong.Path, flag *kong.Flag) (any, error) {
		for _, name := range flag.Envs {
			if v, ok := lookup(getenv, name); ok {
				return v, nil
			}
			if path, ok := lookup(getenv, name+"_FILE"); ok && isSecret(flag) {
				b, err := os.ReadFile(path)
				if err != nil {
					return nil, fmt.Errorf("%s_FILE: %w", name, err)
				}
				return strings.TrimRight(string(b), "\r\n"), nil
			}
		}
		return nil, nil
	})
}

// isSecret reports whether a flag holds a config.Secret.
func isSecret(f *kong.Flag) bool {
	return f.Target.IsValid() && f.Target.Type() == reflect.TypeFor[config.Secret]()
}

func lookup(getenv Env, name string) (string, bool) {
	v := getenv(name)
	return v, v != ""
}

// EnvVars lists every ALUSDOK_* variable the binary reads, with its flag,
// default, help and the subcommands that read it, in declaration order. The
// README's table and the docker-compose test use it.
func EnvVars() ([]EnvVar, error) {
	parser, err := kong.New(&CLI{}, kong.Name("alusdok"), kong.Exit(func(int) {}))
	if err != nil {
		return nil, err
	}
	declared := map[string]bool{}
	var collect func(n *kong.Node)
	collect = func(n *kong.Node) {
		for _, f := range n.Flags {
			for _, e := range f.Envs {
				declared[e] = true
			}
		}
		for _, c := range n.Children {
			collect(c)
		}
	}
	collect(parser.Model.Node)
	index := map[string]int{}
	var out []EnvVar
	add := func(v EnvVar, cmd string) {
		i, ok := index[v.Name]
		if !ok {
			i = len(out)
			index[v.Name] = i
			out = append(out, v)
		}
		out[i].Commands = append(out[i].Commands, cmd)
	}
	var walk func(n *kong.Node, cmd string)
	walk = func(n *kong.Node, cmd string) {
		for _, f := range n.Flags {
			for _, e := range f.Envs {
				add(EnvVar{Name: e, Flag: "--" + f.Name, Default: f.Default, Help: f.Help}, cmd)
				if isSecret(f) && !declared[e+"_FILE"] {
					add(EnvVar{Name: e + "_FILE", Help: "A file holding " + e + " (container secrets)."}, cmd)
				}
			}
		}
		for _, c := range n.Children {
			walk(c, c.Name)
		}
	}
	walk(parser.Model.Node, "all")
	return out, nil
}

// EnvVar describes one configuration variable.
type EnvVar struct {
	Name, Flag, Default, Help string
	Commands                  []string // "all" for global options
}

// VersionCmd prints the version.
type VersionCmd struct{}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Run prints the version.
func (VersionCmd) Run(rc *runContext) error {
	_, err := fmt.Fprintf(rc.stdout, "alusdok %s\n", version)
	return err
}
