package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
)

// Role is what a principal does in the register's procedure.
type Role string

// The roles. The anonymous public has no role and no principal.
const (
	// RoleSubmitter submits base documents for one organisation (R11.1):
	// Kutsekoda or an awarding body.
	RoleSubmitter Role = "submitter"
	// RoleClerk is the processor's official who enters or refuses (R12).
	RoleClerk Role = "clerk"
	// RoleSupervisor reads everything, the logs included (R19.2).
	RoleSupervisor Role = "supervisor"
	// RolePerson is a person asking for the data held about them (R16.3).
	RolePerson Role = "person"
)

// Kutsekoda is the organisation of Kutsekoda's own submitters, who submit
// council, standard and awarding-body data (R11.1). Every other submitter's
// organisation is an awarding body's 8-digit registry code.
const Kutsekoda = "kutsekoda"

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleSubmitter, RoleClerk, RoleSupervisor, RolePerson:
		return r, nil
	}
	return "", fmt.Errorf("%w: want one of submitter, clerk, supervisor, person", ErrUnknownRole)
}

// Principal is an authenticated caller. A nil *Principal is the anonymous
// public; every method answers for it as for someone who may see only public
// data.
type Principal struct {
	Role Role
	// Organisation binds a submitter: Kutsekoda or an awarding body's
	// registry code. Empty for the other roles.
	Organisation string
	// PersonalCode binds a person. Empty for the other roles. Never log it.
	PersonalCode string
	// Name is the display name written to the processing and data-access
	// logs: the API key's name or the token's name claim.
	Name string
	// KeyID is set when the principal presented an API key.
	KeyID string
	// Subject is the OpenID Connect subject (sub) when the principal
	// presented a bearer token. For Estonian eID it holds the personal code:
	// never log it; use ID.
	Subject string
}

// Anonymous reports whether p is the anonymous public.
func (p *Principal) Anonymous() bool { return p == nil }

// Is reports whether p has one of the roles. The anonymous public has none.
func (p *Principal) Is(roles ...Role) bool {
	if p == nil {
		return false
	}
	for _, r := range roles {
		if p.Role == r {
			return true
		}
	}
	return false
}

// MaySee reports whether p may see the non-public data of organisation org's
// submissions: clerks and supervisors see every organisation's, a submitter
// only its own, persons and the public none.
//
// A handler that finds another organisation's submission must answer 404 Not
// Found, never 403 Forbidden: a 403 would tell the caller that the submission
// exists (R11.1, R15.1).
func (p *Principal) MaySee(org string) bool {
	switch {
	case p == nil:
		return false
	case p.Role == RoleClerk, p.Role == RoleSupervisor:
		return true
	case p.Role == RoleSubmitter:
		return org != "" && p.Organisation == org
	default:
		return false
	}
}

// MaySeePerson reports whether p may see the personal data of the person
// with the given personal code regardless of organisation: clerks and
// supervisors may, a person only their own. A submitter sees personal data
// only inside its own organisation's submissions (MaySee).
func (p *Principal) MaySeePerson(personalCode string) bool {
	switch {
	case p == nil:
		return false
	case p.Role == RoleClerk, p.Role == RoleSupervisor:
		return true
	default:
		return p.IsSelf(personalCode)
	}
}

// IsSelf reports whether p is the person with the given personal code. A
// read of one's own data is not written to the data-access log.
func (p *Principal) IsSelf(personalCode string) bool {
	return p != nil && p.Role == RolePerson && personalCode != "" && p.PersonalCode == personalCode
}

// ID is a stable identifier of the credential, safe to log and to use as a
// rate-limit key: "key:<key id>" for an API key, "oidc:<16 hex digits of
// SHA-256 of the subject>" for a bearer token, "" for the public. The subject
// is hashed because Estonian eID subjects are personal codes.
func (p *Principal) ID() string {
	switch {
	case p == nil:
		return ""
	case p.KeyID != "":
		return "key:" + p.KeyID
	case p.Subject != "":
		sum := sha256.Sum256([]byte(p.Subject))
		return "oidc:" + hex.EncodeToString(sum[:8])
	default:
		return ""
	}
}

// LogValue writes the principal to slog without its personal code or
// subject.
func (p *Principal) LogValue() slog.Value {
	if p == nil {
		return slog.StringValue("public")
	}
	attrs := []slog.Attr{slog.String("role", string(p.Role)), slog.String("id", p.ID())}
	if p.Organisation != "" {
		attrs = append(attrs, slog.String("organisation", p.Organisation))
	}
	return slog.GroupValue(attrs...)
}

// Validate checks that the principal's bindings fit its role: a submitter
// has an organisation (kutsekoda or 8 digits) and no personal code, a person
// an 11-digit personal code and no organisation, a clerk or supervisor
// neither. The error never contains the personal code.
func (p *Principal) Validate() error {
	if _, err := ParseRole(string(p.Role)); err != nil {
		return err
	}
	switch p.Role {
	case RoleSubmitter:
		if !ValidOrganisation(p.Organisation) {
			return fmt.Errorf("%w: a submitter needs an organisation: %s or an 8-digit registry code", ErrInvalidPrincipal, Kutsekoda)
		}
		if p.PersonalCode != "" {
			return fmt.Errorf("%w: a submitter is not bound to a personal code", ErrInvalidPrincipal)
		}
	case RolePerson:
		if !wellFormedPersonalCode(p.PersonalCode) {
			return fmt.Errorf("%w: a person needs an 11-digit personal code", ErrInvalidPrincipal)
		}
		if p.Organisation != "" {
			return fmt.Errorf("%w: a person is not bound to an organisation", ErrInvalidPrincipal)
		}
	default:
		if p.Organisation != "" || p.PersonalCode != "" {
			return fmt.Errorf("%w: a %s is bound to neither an organisation nor a personal code", ErrInvalidPrincipal, p.Role)
		}
	}
	return nil
}

// ValidOrganisation reports whether org names a submitter's organisation:
// Kutsekoda or an 8-digit registry code. (The registry code's check digit is
// the documents package's business; here only the shape matters.)
func ValidOrganisation(org string) bool {
	return org == Kutsekoda || (len(org) == 8 && allDigits(org))
}

// wellFormedPersonalCode checks the shape of a personal code: 11 digits, the
// first 1–6.
func wellFormedPersonalCode(s string) bool {
	return len(s) == 11 && allDigits(s) && s[0] >= '1' && s[0] <= '6'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

type principalKey struct{}

// NewContext returns a copy of ctx carrying p (nil: the public).
func NewContext(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal that ctx carries; nil for the public or
// when none was set.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}
