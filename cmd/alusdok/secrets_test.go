package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestSecretsComeFromFiles: a secret variable may name a file instead
// (ALUSDOK_SMTP_PASSWORD_FILE), as container secrets are mounted; a
// variable that is no secret may not.
func TestSecretsComeFromFiles(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "smtp-password")
	if err := os.WriteFile(pw, []byte("s3cret pass\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ALUSDOK_SMTP_PASSWORD_FILE": pw, "ALUSDOK_SMTP_HOST_FILE": pw}
	cli, _, err := parse([]string{"worker"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(cli.Worker.Worker.SMTP.Password); got != "s3cret pass" {
		t.Errorf("password %q, want the file's content without its newline", got)
	}
	if cli.Worker.Worker.SMTP.Host != "" {
		t.Errorf("a _FILE variable filled a non-secret: %q", cli.Worker.Worker.SMTP.Host)
	}
	env = map[string]string{"ALUSDOK_ACCESSLOG_KEY_FILE": filepath.Join(dir, "missing")}
	if _, _, err := parse([]string{"api"}, func(k string) string { return env[k] }, io.Discard, io.Discard); err == nil {
		t.Error("a secret file that is missing was not an error")
	}
}
