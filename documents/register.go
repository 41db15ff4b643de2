package documents

import (
	"context"
	"errors"
)

// ErrNotFound is returned (possibly wrapped) by a Register when the record
// asked for is not in the register. Check with errors.Is.
var ErrNotFound = errors.New("not found in the register")

// Register is the read side of the register that Check needs. The
// persistence layer implements it against MongoDB; MemoryRegister
// implements it in memory for tests.
//
// Implementations return ErrNotFound for a missing record and any other
// error for a failure to read (which Check passes on as an infrastructure
// error). Returned records are not modified by Check.
type Register interface {
	// Council returns the council with id.
	Council(ctx context.Context, id string) (*Council, error)
	// Standard returns the version ref.Version of standard ref.ID, or its
	// latest version when ref.Version is 0.
	Standard(ctx context.Context, ref StandardRef) (*Standard, error)
	// AwardingBody returns the awarding body with the registry code.
	AwardingBody(ctx context.Context, registryCode string) (*AwardingBody, error)
	// ExistingCertificates returns those of the certificates named by keys
	// that are in the register. It is one batched lookup: Check calls it
	// once per document, with every key, even for a committee decision of
	// 10,000 certificates. Missing keys are simply absent from the map
	// (not ErrNotFound).
	ExistingCertificates(ctx context.Context, keys []CertificateKey) (map[CertificateKey]Certificate, error)
}
