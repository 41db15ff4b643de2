package topology

import (
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestRunnerConfiguresProcessesLikeCompose keeps the runner and
// docker-compose.yml, the documented production path, configuring alusdok
// alike: every variable compose sets for `alusdok api` or `alusdok worker`
// the runner sets too, and every ALUSDOK_* variable the runner sets is one
// that subcommand reads (README's configuration table, itself checked
// against the binary).
func TestRunnerConfiguresProcessesLikeCompose(t *testing.T) {
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	// | `ALUSDOK_X` | `--x` | default | commands | meaning |
	reads := map[string][]string{}
	for _, line := range strings.Split(string(readme), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 6 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`ALUSDOK_") {
			continue
		}
		name := strings.Trim(strings.TrimSpace(cells[1]), "`")
		for _, c := range strings.Split(cells[4], ",") {
			reads[name] = append(reads[name], strings.TrimSpace(c))
		}
	}
	if len(reads) < 20 {
		t.Fatalf("README's configuration table: %d variables found", len(reads))
	}
	for _, role := range []string{"api", "worker"} {
		set := map[string]bool{}
		for _, kv := range processEnv(role, processParams{}) {
			name, _, _ := strings.Cut(kv, "=")
			if !strings.HasPrefix(name, "ALUSDOK_") {
				continue
			}
			set[name] = true
			if cmds := reads[name]; !slices.Contains(cmds, role) && !slices.Contains(cmds, "all") {
				t.Errorf("the runner sets %s for alusdok %s, which does not read it (README: %v)", name, role, cmds)
			}
		}
		services := 0
		for svcName, svc := range compose.Services {
			if len(svc.Command) == 0 || svc.Command[0] != role {
				continue
			}
			services++
			for name := range svc.Environment {
				if !set[name] {
					t.Errorf("compose's %s sets %s; the runner's alusdok %s does not", svcName, name, role)
				}
			}
		}
		if services == 0 {
			t.Errorf("compose has no alusdok %s service", role)
		}
	}
}
