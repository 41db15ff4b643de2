package accesslog

import (
	"time"

	"github.com/kutsekoda/alusdok/auth"
)

// Entry is one read of one person's data, as the person sees it listed.
type Entry struct {
	// ID identifies the entry: the Event's id and the read's index. A
	// retried Record writes the same ids and so adds nothing twice.
	ID   string    `bson:"id" json:"id"`
	When time.Time `bson:"when" json:"when"`
	Who  Accessor  `bson:"who" json:"who"`
	// What was read: "certificate KT-123456", "submission S-2026-0042".
	What string `bson:"what" json:"what"`
	// Why it was read: the purpose or the endpoint
	// ("GET /api/v1/submissions/:id").
	Why string `bson:"why" json:"why"`
}

// Accessor is who read the data: enough for the person to know who it was,
// never the reader's own personal code.
type Accessor struct {
	Name         string `bson:"name" json:"name"`
	Role         string `bson:"role" json:"role"`
	Organisation string `bson:"organisation,omitempty" json:"organisation,omitempty"`
	// Credential is the principal's ID: "key:<id>" or "oidc:<pseudonym>".
	Credential string `bson:"credential,omitempty" json:"credential,omitempty"`
}

// AccessorOf describes a principal; the public reads no personal data, but
// if it ever did the read would be recorded as "public".
func AccessorOf(p *auth.Principal) Accessor {
	if p == nil {
		return Accessor{Name: "public", Role: "public"}
	}
	return Accessor{Name: p.Name, Role: string(p.Role), Organisation: p.Organisation, Credential: p.ID()}
}

// Event is one request that read personal data, of one or many persons (a
// clerk opening a committee decision reads every holder's).
type Event struct {
	// ID identifies the event (a request id); empty: a random one. Give
	// the same ID when retrying.
	ID string
	// When the data was read; zero: now.
	When time.Time
	// Who read it; nil is the public.
	Who *auth.Principal
	// Why it was read.
	Why string
	// Reads lists whose data was read and what.
	Reads []Read
}

// Read is one person's data read in an Event.
type Read struct {
	PersonalCode string
	What         string
}
