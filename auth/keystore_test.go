package auth

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestCreatedKeyAuthenticatesAsItsPrincipal(t *testing.T) {
	ctx := context.Background()
	ks := NewKeyStore(mustOpenDB(t))
	tests := []KeySpec{
		{Role: RoleSubmitter, Organisation: bodyCode, Name: "Tallinna Ehituskool"},
		{Role: RoleSubmitter, Organisation: Kutsekoda, Name: "Kutsekoda"},
		{Role: RoleClerk, Name: "Menetleja"},
		{Role: RoleSupervisor, Name: "Järelevalve"},
		{Role: RolePerson, PersonalCode: testCode, Name: "Mari"},
	}
	for _, spec := range tests {
		t.Run(string(spec.Role)+" "+spec.Organisation, func(t *testing.T) {
			k, err := ks.Create(ctx, spec)
			if err != nil {
				t.Fatal(err)
			}
			p, err := ks.Authenticate(ctx, k.Key)
			if err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
			want := Principal{Role: spec.Role, Organisation: spec.Organisation, PersonalCode: spec.PersonalCode, Name: spec.Name, KeyID: k.ID}
			if *p != want {
				t.Errorf("principal = %+v, want %+v", *p, want)
			}
		})
	}
}

func TestRevokedKeyIsRefused(t *testing.T) {
	ctx := context.Background()
	ks := NewKeyStore(mustOpenDB(t))
	k, err := ks.Create(ctx, KeySpec{Role: RoleClerk, Name: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	info, err := ks.Revoke(ctx, k.ID)
	if err != nil || info.Active() {
		t.Fatalf("Revoke = %+v, %v", info, err)
	}
	_, err = ks.Authenticate(ctx, k.Key)
	if !errors.Is(err, ErrRefused) || !errors.Is(err, ErrRevokedKey) {
		t.Fatalf("Authenticate after revoke = %v, want ErrRevokedKey", err)
	}
	again, err := ks.Revoke(ctx, k.ID)
	if err != nil || !again.Revoked.Equal(info.Revoked) {
		t.Errorf("second Revoke = %+v, %v; want the first revocation time kept", again, err)
	}
}

func TestWrongOrUnknownKeyIsRefusedAlike(t *testing.T) {
	ctx := context.Background()
	ks := NewKeyStore(mustOpenDB(t))
	k, err := ks.Create(ctx, KeySpec{Role: RoleClerk, Name: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := newSecret()
	for name, key := range map[string]string{
		"wrong secret": formatKey(k.ID, other),
		"unknown id":   formatKey("nosuchkey", other),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ks.Authenticate(ctx, key)
			if !errors.Is(err, ErrUnknownKey) {
				t.Errorf("Authenticate = %v, want ErrUnknownKey", err)
			}
		})
	}
	if _, err := ks.Authenticate(ctx, "adk_nonsense"); !errors.Is(err, ErrMalformedKey) {
		t.Errorf("malformed key: %v, want ErrMalformedKey", err)
	}
}

func TestStoreKeepsOnlyAHashOfTheSecret(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	ks := NewKeyStore(db)
	k, err := ks.Create(ctx, KeySpec{Role: RoleSupervisor, Name: "audit"})
	if err != nil {
		t.Fatal(err)
	}
	_, secret, _ := parseKey(k.Key)
	raw, err := db.Collection(KeysCollection).FindOne(ctx, bson.D{{Key: "_id", Value: k.ID}}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(raw.String(), secret) || strings.Contains(string(raw), secret) {
		t.Error("the stored document contains the secret")
	}
	list, err := ks.List(ctx)
	if err != nil || len(list) != 1 || list[0].ID != k.ID {
		t.Fatalf("List = %+v, %v", list, err)
	}
}

func TestRevokingAnUnknownKeyFails(t *testing.T) {
	ks := NewKeyStore(mustOpenDB(t))
	if _, err := ks.Revoke(context.Background(), "nosuchkey"); !errors.Is(err, ErrNoSuchKey) {
		t.Errorf("Revoke = %v, want ErrNoSuchKey", err)
	}
}

func TestKeyForAWrongBindingIsNotMade(t *testing.T) {
	ks := NewKeyStore(mustOpenDB(t))
	for name, spec := range map[string]KeySpec{
		"submitter without organisation": {Role: RoleSubmitter, Name: "x"},
		"person without code":            {Role: RolePerson, Name: "x"},
		"clerk with organisation":        {Role: RoleClerk, Organisation: bodyCode, Name: "x"},
		"unknown role":                   {Role: "admin", Name: "x"},
		"no name":                        {Role: RoleClerk},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ks.Create(context.Background(), spec); err == nil {
				t.Error("Create succeeded")
			}
		})
	}
}
