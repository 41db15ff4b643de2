package intake

import (
	"crypto/rand"
	"encoding/hex"
)

// randomID is 80 random bits in hex: unguessable, so that a submission id
// tells an outsider nothing.
func randomID() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}
