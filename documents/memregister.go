package documents

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
)

// MemoryRegister is an in-memory Register for tests, here and in other
// packages (seed it like MongoDB, or take examples.Register()). It is safe
// for concurrent use. It counts the lookups made, so tests can prove that a
// large document is checked with batched lookups. Lookups return copies of
// the stored records whose slices are shared with the store: read them, do
// not modify them.
type MemoryRegister struct {
	mu        sync.RWMutex
	councils  map[string]Council
	standards map[StandardRef]Standard
	bodies    map[string]AwardingBody
	certs     map[CertificateKey]Certificate
	calls     map[string]int
	fail      error
}

// NewMemoryRegister returns an empty register.
func NewMemoryRegister() *MemoryRegister {
	return &MemoryRegister{
		councils:  map[string]Council{},
		standards: map[StandardRef]Standard{},
		bodies:    map[string]AwardingBody{},
		certs:     map[CertificateKey]Certificate{},
		calls:     map[string]int{},
	}
}

// PutCouncil adds or replaces councils.
func (m *MemoryRegister) PutCouncil(cs ...Council) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range cs {
		m.councils[c.ID] = c
	}
}

// PutStandard adds or replaces versions of standards.
func (m *MemoryRegister) PutStandard(ss ...Standard) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range ss {
		m.standards[s.Ref()] = s
	}
}

// PutAwardingBody adds or replaces awarding bodies.
func (m *MemoryRegister) PutAwardingBody(bs ...AwardingBody) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, b := range bs {
		m.bodies[b.RegistryCode] = b
	}
}

// PutCertificate adds or replaces certificates.
func (m *MemoryRegister) PutCertificate(cs ...Certificate) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range cs {
		m.certs[c.Key()] = c
	}
}

// FailWith makes every later lookup fail with err (nil restores normal
// operation), to test how callers handle an unreachable register.
func (m *MemoryRegister) FailWith(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = err
}

// Calls returns how many times the method (by name, e.g.
// "ExistingCertificates") has been called.
func (m *MemoryRegister) Calls(method string) int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.calls[method]
}

// Councils, Standards, AwardingBodies and Certificates return everything
// stored, for seeding another store (MongoDB in integration tests) with the
// same data.
func (m *MemoryRegister) Councils() []Council {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return sortedValues(m.councils, func(a, b Council) int { return cmp.Compare(a.ID, b.ID) })
}

// Standards returns every stored version of every standard.
func (m *MemoryRegister) Standards() []Standard {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return sortedValues(m.standards, func(a, b Standard) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Version, b.Version))
	})
}

// AwardingBodies returns every stored awarding body.
func (m *MemoryRegister) AwardingBodies() []AwardingBody {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return sortedValues(m.bodies, func(a, b AwardingBody) int { return cmp.Compare(a.RegistryCode, b.RegistryCode) })
}

// Certificates returns every stored certificate.
func (m *MemoryRegister) Certificates() []Certificate {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return sortedValues(m.certs, func(a, b Certificate) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Number, b.Number))
	})
}

func sortedValues[K comparable, V any](m map[K]V, less func(a, b V) int) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, less)
	return out
}

// begin counts a call and reports the injected failure or a cancelled
// context.
func (m *MemoryRegister) begin(ctx context.Context, method string) error {
	m.mu.Lock()
	m.calls[method]++
	fail := m.fail
	m.mu.Unlock()
	if fail != nil {
		return fail
	}
	return ctx.Err()
}

// Council implements Register.
func (m *MemoryRegister) Council(ctx context.Context, id string) (*Council, error) {
	if err := m.begin(ctx, "Council"); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.councils[id]
	if !ok {
		return nil, fmt.Errorf("council: %w", ErrNotFound)
	}
	return &c, nil
}

// Standard implements Register; version 0 finds the latest version.
func (m *MemoryRegister) Standard(ctx context.Context, ref StandardRef) (*Standard, error) {
	if err := m.begin(ctx, "Standard"); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if ref.Version != 0 {
		s, ok := m.standards[ref]
		if !ok {
			return nil, fmt.Errorf("standard: %w", ErrNotFound)
		}
		return &s, nil
	}
	var latest *Standard
	for k, s := range m.standards {
		if k.ID == ref.ID && (latest == nil || s.Version > latest.Version) {
			s := s
			latest = &s
		}
	}
	if latest == nil {
		return nil, fmt.Errorf("standard: %w", ErrNotFound)
	}
	return latest, nil
}

// AwardingBody implements Register.
func (m *MemoryRegister) AwardingBody(ctx context.Context, registryCode string) (*AwardingBody, error) {
	if err := m.begin(ctx, "AwardingBody"); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.bodies[registryCode]
	if !ok {
		return nil, fmt.Errorf("awarding body: %w", ErrNotFound)
	}
	return &b, nil
}

// ExistingCertificates implements Register.
func (m *MemoryRegister) ExistingCertificates(ctx context.Context, keys []CertificateKey) (map[CertificateKey]Certificate, error) {
	if err := m.begin(ctx, "ExistingCertificates"); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := map[CertificateKey]Certificate{}
	for _, k := range keys {
		if c, ok := m.certs[k]; ok {
			out[k] = c
		}
	}
	return out, nil
}
