package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestKeyFormatRoundTripsWithAtLeast128BitSecret(t *testing.T) {
	id, err := newKeyID()
	if err != nil {
		t.Fatal(err)
	}
	secret, err := newSecret()
	if err != nil {
		t.Fatal(err)
	}
	key := formatKey(id, secret)
	if !strings.HasPrefix(key, "adk_") || !LooksLikeAPIKey(key) {
		t.Fatalf("key %q lacks the adk_ prefix", key)
	}
	gotID, gotSecret, err := parseKey(key)
	if err != nil || gotID != id || gotSecret != secret {
		t.Fatalf("parseKey(%q) = %q, %q, %v", key, gotID, gotSecret, err)
	}
	if bits := len(secret) * 5; bits < 128 {
		t.Errorf("secret carries %d bits, want at least 128", bits)
	}
	other, _ := newSecret()
	if other == secret {
		t.Error("two secrets are equal")
	}
}

func TestMalformedKeysAreRefused(t *testing.T) {
	secret := strings.Repeat("a", secretLen)
	for name, key := range map[string]string{
		"empty":               "",
		"no prefix":           "abc_" + secret,
		"no separator":        "adk_abc" + secret,
		"empty id":            "adk__" + secret,
		"upper-case id":       "adk_ABC_" + secret,
		"short secret":        "adk_abc_" + secret[1:],
		"secret outside b32":  "adk_abc_" + secret[1:] + "1",
		"id with underscores": "adk_a_b_" + secret[1:] + "_",
		"id too long":         "adk_" + strings.Repeat("a", maxIDLen+1) + "_" + secret,
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := parseKey(key); !errors.Is(err, ErrMalformedKey) {
				t.Errorf("parseKey = %v, want ErrMalformedKey", err)
			}
		})
	}
}

func TestHashIsBoundToTheKeyID(t *testing.T) {
	secret, _ := newSecret()
	if string(hashSecret("a", secret)) == string(hashSecret("b", secret)) {
		t.Error("the same secret hashes alike under two ids")
	}
}
