package documents

// Policy is what the caller may change about how base documents are
// checked. Build it with DefaultPolicy and adjust; the zero Policy works too
// (every kind then needs a signature and the default limits apply).
type Policy struct {
	// SignatureRequired says, per kind, whether the base document's PDF
	// must carry a digital signature (enforced by documents/pdfintake).
	// A kind missing from the map requires one: the safe default.
	SignatureRequired map[Kind]bool
	// Limits bounds sizes.
	Limits Limits
}

// Limits bounds what a submission may hold. Zero fields take the defaults.
type Limits struct {
	// MaxBytes is the largest metadata JSON accepted.
	MaxBytes int64
	// MaxCertificates is the most certificates one committee decision may
	// carry. 10,000 is a legitimate (large) decision.
	MaxCertificates int
	// MaxChanges is the most changes one "other" document may carry.
	MaxChanges int
	// MaxDeficiencies caps the list returned for one document; the rest is
	// summarised in one deficiencies.truncated warning.
	MaxDeficiencies int
}

// Defaults. A committee decision of 10,000 certificates with every optional
// field filled, indented, takes 8.4 MiB of JSON (measured by
// TestDefaultMaxBytesHoldsTenThousandCertificates_R12_2; compact JSON is
// about a third smaller); 32 MiB leaves almost fourfold headroom while
// still refusing absurd uploads before they are parsed.
const (
	DefaultMaxBytes        int64 = 32 << 20
	DefaultMaxCertificates       = 10000
	DefaultMaxChanges            = 1000
	DefaultMaxDeficiencies       = 1000
)

// DefaultPolicy requires a signature on every kind and applies the default
// limits.
func DefaultPolicy() Policy {
	sig := make(map[Kind]bool, 7)
	for _, k := range Kinds() {
		sig[k] = true
	}
	return Policy{SignatureRequired: sig, Limits: DefaultLimits()}
}

// DefaultLimits returns the default limits.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:        DefaultMaxBytes,
		MaxCertificates: DefaultMaxCertificates,
		MaxChanges:      DefaultMaxChanges,
		MaxDeficiencies: DefaultMaxDeficiencies,
	}
}

// RequiresSignature reports whether a base document of kind k must be
// signed. Kinds the map does not mention require a signature.
func (p Policy) RequiresSignature(k Kind) bool {
	req, ok := p.SignatureRequired[k]
	return !ok || req
}

// withDefaults fills zero limits with the defaults.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxCertificates <= 0 {
		l.MaxCertificates = d.MaxCertificates
	}
	if l.MaxChanges <= 0 {
		l.MaxChanges = d.MaxChanges
	}
	if l.MaxDeficiencies <= 0 {
		l.MaxDeficiencies = d.MaxDeficiencies
	}
	return l
}

// clone copies p so that a Validator is not affected by later changes to
// the caller's map.
func (p Policy) clone() Policy {
	sig := make(map[Kind]bool, len(p.SignatureRequired))
	for k, v := range p.SignatureRequired {
		sig[k] = v
	}
	p.SignatureRequired = sig
	p.Limits = p.Limits.withDefaults()
	return p
}
