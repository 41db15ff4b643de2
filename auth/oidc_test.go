package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/auth/authtest"
	"github.com/kutsekoda/alusdok/internal/config"
)

func mustVerifier(tb testing.TB, iss *authtest.Issuer, edit func(*config.OIDC)) *TokenVerifier {
	tb.Helper()
	cfg := iss.Config()
	if edit != nil {
		edit(&cfg)
	}
	v, err := NewTokenVerifier(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func TestBearerTokensAreRefusedWithAClearReason(t *testing.T) {
	iss := authtest.NewIssuer(t)
	other := authtest.NewIssuer(t)
	v := mustVerifier(t, iss, nil)
	claims := func(edit func(map[string]any)) map[string]any {
		c := iss.Claims("clerk")
		edit(c)
		return c
	}
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"expired", iss.Sign(t, claims(func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() })), ErrTokenExpired},
		{"wrong audience", iss.Sign(t, claims(func(c map[string]any) { c["aud"] = "someone-else" })), ErrTokenAudience},
		{"wrong issuer", other.Sign(t, claims(func(c map[string]any) { c["iss"] = other.URL })), ErrTokenIssuer},
		{"bad signature", iss.SignForeign(t, claims(func(map[string]any) {})), ErrTokenSignature},
		{"unpublished key", iss.SignUnknownKey(t, claims(func(map[string]any) {})), ErrTokenSignature},
		{"not yet valid", iss.Sign(t, claims(func(c map[string]any) { c["nbf"] = time.Now().Add(time.Hour).Unix() })), ErrTokenNotYetValid},
		{"unknown role", iss.Sign(t, claims(func(c map[string]any) { c["role"] = "admin" })), ErrUnknownRole},
		{"no role", iss.Sign(t, claims(func(c map[string]any) { delete(c, "role") })), ErrUnknownRole},
		{"two roles", iss.Sign(t, claims(func(c map[string]any) { c["role"] = []string{"clerk", "supervisor"} })), ErrUnknownRole},
		{"submitter without organisation", iss.Sign(t, claims(func(c map[string]any) { c["role"] = "submitter" })), ErrInvalidPrincipal},
		{"person without personal code", iss.Sign(t, claims(func(c map[string]any) { c["role"] = "person" })), ErrInvalidPrincipal},
		{"not a JWT", "not.a.jwt", ErrTokenMalformed},
		{"garbage", "garbage", ErrTokenMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := v.Verify(context.Background(), tt.token)
			if p != nil || !errors.Is(err, ErrRefused) || !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, %v; want a refusal for %v", p, err, tt.want)
			}
			var re *RefusedError
			if !errors.As(err, &re) || !strings.HasPrefix(re.Reason.Error(), tt.want.Error()) {
				t.Errorf("reason = %v, want %v", re, tt.want)
			}
		})
	}
}

func TestBearerTokenGivesItsPrincipal(t *testing.T) {
	iss := authtest.NewIssuer(t)
	tests := []struct {
		name  string
		edit  func(*config.OIDC)
		claim func(map[string]any)
		want  Principal
	}{
		{
			name:  "clerk",
			claim: func(map[string]any) {},
			want:  Principal{Role: RoleClerk, Name: "Test clerk", Subject: "subject-clerk"},
		},
		{
			name:  "submitter of an awarding body",
			claim: func(c map[string]any) { c["role"], c["org"] = "submitter", bodyCode },
			want:  Principal{Role: RoleSubmitter, Organisation: bodyCode, Name: "Test clerk", Subject: "subject-clerk"},
		},
		{
			name: "role in a list among other roles, nested claim",
			edit: func(c *config.OIDC) { c.RoleClaim = "realm_access.roles" },
			claim: func(c map[string]any) {
				delete(c, "role")
				c["realm_access"] = map[string]any{"roles": []string{"offline_access", "supervisor"}}
			},
			want: Principal{Role: RoleSupervisor, Name: "Test clerk", Subject: "subject-clerk"},
		},
		{
			name: "Estonian eID person: personal code from sub without EE",
			edit: func(c *config.OIDC) { c.PersonalCodeClaim, c.PersonalCodePrefix = "sub", "EE" },
			claim: func(c map[string]any) {
				c["role"], c["sub"] = "person", "EE"+testCode
				delete(c, "name")
				c["given_name"], c["family_name"] = "Mari", "Maasikas"
			},
			want: Principal{Role: RolePerson, PersonalCode: testCode, Name: "Mari Maasikas", Subject: "EE" + testCode},
		},
		{
			name:  "person with a personal_code claim",
			claim: func(c map[string]any) { c["role"], c["personal_code"] = "person", testCode },
			want:  Principal{Role: RolePerson, PersonalCode: testCode, Name: "Test clerk", Subject: "subject-clerk"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := mustVerifier(t, iss, tt.edit)
			c := iss.Claims("clerk")
			tt.claim(c)
			p, err := v.Verify(context.Background(), iss.Sign(t, c))
			if err != nil {
				t.Fatal(err)
			}
			if *p != tt.want {
				t.Errorf("principal = %+v, want %+v", *p, tt.want)
			}
		})
	}
}

func TestIssuerOutageIsNotARefusal(t *testing.T) {
	iss := authtest.NewIssuer(t)
	v := mustVerifier(t, iss, nil)
	iss.SetKeysDown(true)
	_, err := v.Verify(context.Background(), iss.Sign(t, iss.Claims("clerk")))
	if errors.Is(err, ErrRefused) || !errors.Is(err, ErrIssuerUnavailable) {
		t.Fatalf("Verify with the JWKS down = %v, want ErrIssuerUnavailable", err)
	}
	iss.SetKeysDown(false)
	// go-oidc hands the failed fetch's result to callers for a moment after
	// it ends; the next fetch then succeeds.
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := v.Verify(context.Background(), iss.Sign(t, iss.Claims("clerk")))
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Verify after the outage: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestNoIssuerConfiguredRefusesBearerTokens(t *testing.T) {
	v, err := NewTokenVerifier(context.Background(), config.OIDC{})
	if v != nil || err != nil {
		t.Fatalf("NewTokenVerifier without issuer = %v, %v", v, err)
	}
	if _, err := v.Verify(context.Background(), "x"); !errors.Is(err, ErrNoTokens) {
		t.Errorf("nil verifier: %v, want ErrNoTokens", err)
	}
}
