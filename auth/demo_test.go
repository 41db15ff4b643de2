package auth

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestDemoKeysAreMadeOnceAndNotDuplicatedOnRestart(t *testing.T) {
	ctx := context.Background()
	ks := NewKeyStore(mustOpenDB(t))
	setup := DemoSetup{AwardingBody: bodyCode, PersonalCode: testCode}
	first, err := ks.EnsureDemoKeys(ctx, setup)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Issued) != 5 || len(first.Existing) != 0 {
		t.Fatalf("first start: issued %d, existing %d; want 5, 0", len(first.Issued), len(first.Existing))
	}
	roles := map[Role]int{}
	for _, k := range first.Issued {
		p, err := ks.Authenticate(ctx, k.Key)
		if err != nil {
			t.Fatalf("demo key %s: %v", k.ID, err)
		}
		roles[p.Role]++
	}
	if roles[RoleSubmitter] != 2 || roles[RoleClerk] != 1 || roles[RoleSupervisor] != 1 || roles[RolePerson] != 1 {
		t.Errorf("demo roles = %v", roles)
	}
	var out bytes.Buffer
	if err := first.Write(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), first.Issued[0].Key) || strings.Contains(out.String(), testCode) {
		t.Errorf("printed demo keys lack a key or show the personal code:\n%s", out.String())
	}

	second, err := ks.EnsureDemoKeys(ctx, setup)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Issued) != 0 || len(second.Existing) != 5 {
		t.Fatalf("restart: issued %d, existing %d; want 0, 5", len(second.Issued), len(second.Existing))
	}
	if list, _ := ks.List(ctx); len(list) != 5 {
		t.Errorf("store holds %d keys after a restart, want 5", len(list))
	}
	out.Reset()
	_ = second.Write(&out)
	if !strings.Contains(out.String(), "alusdok keys create") {
		t.Errorf("restart message does not say how to get new keys:\n%s", out.String())
	}
}

func TestRevokedOrRebindedDemoKeyIsReplacedOnRestart(t *testing.T) {
	ctx := context.Background()
	ks := NewKeyStore(mustOpenDB(t))
	setup := DemoSetup{AwardingBody: bodyCode, PersonalCode: testCode}
	first, err := ks.EnsureDemoKeys(ctx, setup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Revoke(ctx, "demo-clerk"); err != nil {
		t.Fatal(err)
	}
	setup.AwardingBody = "10000005"
	second, err := ks.EnsureDemoKeys(ctx, setup)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, k := range second.Issued {
		ids = append(ids, k.ID)
	}
	if strings.Join(ids, ",") != "demo-submitter-body,demo-clerk" {
		t.Fatalf("reissued %v, want the body submitter and the clerk", ids)
	}
	for _, k := range first.Issued {
		if k.ID == "demo-clerk" {
			if _, err := ks.Authenticate(ctx, k.Key); err == nil {
				t.Error("the old demo clerk key still authenticates")
			}
		}
	}
	if list, _ := ks.List(ctx); len(list) != 5 {
		t.Errorf("store holds %d keys, want 5", len(list))
	}
}
