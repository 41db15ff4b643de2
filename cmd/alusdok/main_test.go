package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kutsekoda/alusdok/internal/devstack"
)

var update = flag.Bool("update", false, "rewrite README.md's configuration table")

const (
	tableBegin = "<!-- config-table:begin -->"
	tableEnd   = "<!-- config-table:end -->"
)

func configTable(t *testing.T) string {
	t.Helper()
	vars, err := EnvVars()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("| variable | flag | default | commands | meaning |\n| --- | --- | --- | --- | --- |\n")
	for _, v := range vars {
		def := v.Default
		if def == "" {
			def = "—"
		} else {
			def = "`" + def + "`"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s |\n", v.Name, v.Flag, def, strings.Join(v.Commands, ", "), v.Help)
	}
	return b.String()
}

// TestConfigurationTableInREADMEIsComplete keeps README.md's one table of
// ALUSDOK_* variables equal to what the binary reads. Run with -update to
// rewrite it.
func TestConfigurationTableInREADMEIsComplete(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i, j := strings.Index(s, tableBegin), strings.Index(s, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %s … %s section", tableBegin, tableEnd)
	}
	want := tableBegin + "\n" + configTable(t) + tableEnd
	if got := s[i : j+len(tableEnd)]; got != want {
		if *update {
			if err := os.WriteFile("../../README.md", []byte(s[:i]+want+s[j+len(tableEnd):]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md's configuration table is out of date; run: go test ./cmd/alusdok -run TestConfigurationTable -update\nwant:\n%s", want)
	}
}

// pinned is an image reference with a full version (x.y.z, or PostgreSQL's
// x.y with its Debian release), not a floating tag such as postgres:16 or
// mongo:7.0.
var pinned = regexp.MustCompile(`:[0-9]+\.[0-9]+(\.[0-9]+|-[a-z]+)`)

// TestComposeNamesOnlyVariablesTheBinaryReads parses docker-compose.yml: every
// alusdok service's environment names only ALUSDOK_* variables that its
// subcommand reads, and no other service sets ALUSDOK_* at all.
func TestComposeNamesOnlyVariablesTheBinaryReads(t *testing.T) {
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Build       any               `yaml:"build"`
			Image       string            `yaml:"image"`
			Restart     string            `yaml:"restart"`
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			Healthcheck *struct {
				Test any `yaml:"test"`
			} `yaml:"healthcheck"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatalf("docker-compose.yml does not parse: %v", err)
	}
	vars, err := EnvVars()
	if err != nil {
		t.Fatal(err)
	}
	reads := func(cmd, name string) bool {
		for _, v := range vars {
			if v.Name == name && (slices.Contains(v.Commands, "all") || slices.Contains(v.Commands, cmd)) {
				return true
			}
		}
		return false
	}
	alusdok := 0
	for name, svc := range compose.Services {
		// One-shot services (restart "no") run to completion instead.
		if svc.Healthcheck == nil && name != "temporal-ui" && svc.Restart != "no" {
			t.Errorf("service %s has no health check", name)
		}
		if svc.Image != "" && !pinned.MatchString(svc.Image) {
			t.Errorf("service %s runs image %s: pin it to a full version", name, svc.Image)
		}
		for env, v := range svc.Environment {
			if strings.HasSuffix(env, "_FILE") && strings.HasPrefix(env, "ALUSDOK_") && !strings.HasPrefix(v, "/run/secrets/") {
				t.Errorf("service %s: %s=%s is not a mounted secret", name, env, v)
			}
		}
		if svc.Build == nil {
			for env := range svc.Environment {
				if strings.HasPrefix(env, "ALUSDOK_") {
					t.Errorf("service %s is not alusdok but sets %s", name, env)
				}
			}
			continue
		}
		alusdok++
		if len(svc.Command) == 0 {
			t.Errorf("service %s names no alusdok subcommand", name)
			continue
		}
		for env := range svc.Environment {
			if !reads(svc.Command[0], env) {
				t.Errorf("service %s sets %s, which `alusdok %s` does not read", name, env, svc.Command[0])
			}
		}
	}
	if alusdok < 2 {
		t.Errorf("compose has %d alusdok services, want the api and the worker", alusdok)
	}
	if len(compose.Volumes) == 0 {
		t.Error("compose declares no named volumes")
	}
}

// TestDevAnswersReadyAndStopsCleanly runs `alusdok dev` in-process on free
// ports, waits for /readyz to answer 200 naming both dependencies, then
// cancels (as SIGTERM does) and expects a clean return.
func TestDevAnswersReadyAndStopsCleanly(t *testing.T) {
	port := func() string {
		p, err := devstack.FreePort("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		return strconv.Itoa(p)
	}
	httpAddr := "127.0.0.1:" + port()
	args := []string{"dev", "--data", t.TempDir(), "--http-addr", httpAddr,
		"--temporal-port", port(), "--temporal-ui-port", "0", "--mongodb-port", port(), "--log-level", "warn"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, func(string) string { return "" }, &stdout, &stderr) }()

	deadline := time.Now().Add(2 * time.Minute)
	var body string
	for {
		select {
		case err := <-done:
			t.Fatalf("dev returned early: %v\n%s", err, stderr.String())
		default:
		}
		resp, err := http.Get("http://" + httpAddr + "/readyz")
		if err == nil {
			var b bytes.Buffer
			_, _ = b.ReadFrom(resp.Body)
			resp.Body.Close()
			body = b.String()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz never answered 200; last body %q\n%s", body, stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, want := range []string{`"temporal":"ok"`, `"mongodb":"ok"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/readyz body %s lacks %s", body, want)
		}
	}
	if !strings.Contains(stdout.String(), "http://"+httpAddr) {
		t.Errorf("dev did not print the API URL:\n%s", stdout.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("dev after cancel: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("dev did not stop within a minute of cancel")
	}
}

func TestVersionPrintsTheVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "alusdok ") {
		t.Errorf("version printed %q", out.String())
	}
}

func TestEnvironmentConfiguresFlags(t *testing.T) {
	env := map[string]string{"ALUSDOK_HTTP_ADDR": "127.0.0.1:9999", "ALUSDOK_TEMPORAL_NAMESPACE": "kutseregister"}
	cli, _, err := parse([]string{"serve"}, func(k string) string { return env[k] }, &bytes.Buffer{}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cli.Serve.HTTP.Addr != "127.0.0.1:9999" || cli.Serve.Temporal.Namespace != "kutseregister" {
		t.Errorf("env not applied: %+v", cli.Serve)
	}
	// A flag beats the environment.
	cli, _, err = parse([]string{"serve", "--http-addr", "127.0.0.1:7777"}, func(k string) string { return env[k] }, &bytes.Buffer{}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cli.Serve.HTTP.Addr != "127.0.0.1:7777" {
		t.Errorf("flag did not win over env: %s", cli.Serve.HTTP.Addr)
	}
}
