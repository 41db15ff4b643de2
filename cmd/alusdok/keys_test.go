package main

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/internal/devstack"
)

// TestKeysCreateListRevoke drives "alusdok keys" against the embedded
// FerretDB: a key is printed once, listed without its secret or hash, and
// refused once revoked.
func TestKeysCreateListRevoke(t *testing.T) {
	ctx := context.Background()
	stack, err := devstack.Start(ctx, devstack.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stack.Close)
	keys := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		args = append([]string{"keys"}, args...)
		args = append(args, "--mongodb-uri", stack.MongoURI, "--mongodb-database", "keystest")
		err := run(ctx, args, func(string) string { return "" }, &stdout, &stderr)
		return stdout.String() + stderr.String(), err
	}

	out, err := keys("create", "--role", "submitter", "--org", "70000740", "--name", "Tallinna Ehituskool")
	if err != nil {
		t.Fatalf("keys create: %v\n%s", err, out)
	}
	key := regexp.MustCompile(`adk_[a-z0-9-]+_[a-z2-7]+`).FindString(out)
	if key == "" || !strings.Contains(out, "shown only this once") {
		t.Fatalf("keys create printed no key or no warning:\n%s", out)
	}
	id := strings.Split(key, "_")[1]
	secret := key[strings.LastIndexByte(key, '_')+1:]

	if out, err := keys("create", "--role", "person", "--person-code", "36805280109", "--name", "Mari"); err != nil {
		t.Fatalf("keys create person: %v\n%s", err, out)
	}
	tests := []struct {
		name string
		args []string
	}{
		{"submitter without organisation", []string{"create", "--role", "submitter", "--name", "x"}},
		{"unknown role", []string{"create", "--role", "admin", "--name", "x"}},
		{"clerk bound to an organisation", []string{"create", "--role", "clerk", "--org", "kutsekoda", "--name", "x"}},
		{"revoke an unknown key", []string{"revoke", "nosuchkey"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if out, err := keys(tt.args...); err == nil {
				t.Errorf("succeeded:\n%s", out)
			}
		})
	}

	out, err = keys("list")
	if err != nil {
		t.Fatalf("keys list: %v\n%s", err, out)
	}
	if !strings.Contains(out, id) || !strings.Contains(out, "Tallinna Ehituskool") || !strings.Contains(out, "*******0109") {
		t.Errorf("keys list lacks the keys:\n%s", out)
	}
	if strings.Contains(out, secret) || strings.Contains(out, "36805280109") {
		t.Errorf("keys list shows a secret or a personal code:\n%s", out)
	}

	if out, err := keys("revoke", id); err != nil || !strings.Contains(out, "revoked") {
		t.Fatalf("keys revoke: %v\n%s", err, out)
	}
	mc, err := mongo.Connect(options.Client().ApplyURI(stack.MongoURI))
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Disconnect(ctx)
	if _, err := auth.NewKeyStore(mc.Database("keystest")).Authenticate(ctx, key); !errors.Is(err, auth.ErrRevokedKey) {
		t.Errorf("the revoked key: %v, want ErrRevokedKey", err)
	}
}
