package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"
)

// An API key reads adk_<id>_<secret>. The id names the key's document in the
// api_keys collection (so that checking a key is one lookup by _id, which
// FerretDB pushes down to SQLite); the secret is 256 random bits, stored only
// as a SHA-256 hash. A fast hash is enough for a secret of that entropy: no
// dictionary or brute force reaches it, so a slow password hash would only
// cost every request.
const (
	keyPrefix   = "adk_"
	idBytes     = 10 // 80 bits: 16 characters
	secretBytes = 32 // 256 bits: 52 characters
	secretLen   = 52
	maxIDLen    = 64
)

// keyEncoding is lower-case base32 without padding: no underscore (the
// separator), no ambiguity, selectable with a double click.
var keyEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return keyEncoding.EncodeToString(b), nil
}

func newKeyID() (string, error) { return randomToken(idBytes) }

func newSecret() (string, error) { return randomToken(secretBytes) }

func formatKey(id, secret string) string { return keyPrefix + id + "_" + secret }

// LooksLikeAPIKey reports whether s has the shape of an alusdok API key, so
// that a client that can only send "Authorization: Bearer" may send a key
// there (a JWT never starts with adk_).
func LooksLikeAPIKey(s string) bool { return strings.HasPrefix(s, keyPrefix) }

// parseKey splits a key into its id and secret.
func parseKey(key string) (id, secret string, err error) {
	rest, ok := strings.CutPrefix(key, keyPrefix)
	if !ok {
		return "", "", ErrMalformedKey
	}
	i := strings.LastIndexByte(rest, '_')
	if i < 0 {
		return "", "", ErrMalformedKey
	}
	id, secret = rest[:i], rest[i+1:]
	if !validKeyID(id) || len(secret) != secretLen || !inAlphabet(secret) {
		return "", "", ErrMalformedKey
	}
	return id, secret, nil
}

// validKeyID accepts lower-case letters, digits and hyphens: random ids are
// base32, demo keys have readable ids such as demo-clerk.
func validKeyID(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func inAlphabet(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// hashSecret is what the store keeps of a key. The id is hashed with the
// secret so that a hash copied onto another key's document does not verify.
func hashSecret(id, secret string) []byte {
	h := sha256.New()
	h.Write([]byte("alusdok api key\x00"))
	h.Write([]byte(id))
	h.Write([]byte{0})
	h.Write([]byte(secret))
	return h.Sum(nil)
}
