package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// DemoSetup says what the demo keys of "alusdok dev" are bound to.
type DemoSetup struct {
	// AwardingBody is the registry code of the example awarding body whose
	// submitter key is made.
	AwardingBody string
	// PersonalCode is the person the person key speaks for.
	PersonalCode string
}

// DemoKeys is what EnsureDemoKeys did: the keys it made now (print them, they
// are shown once) and the demo keys that already existed (their secrets were
// shown when they were made and cannot be shown again).
type DemoKeys struct {
	Issued   []IssuedKey
	Existing []KeyInfo
}

// demoSlot is one demo key: a fixed, readable id and what it is bound to.
type demoSlot struct {
	id   string
	spec KeySpec
}

func demoSlots(s DemoSetup) []demoSlot {
	return []demoSlot{
		{"demo-submitter-kutsekoda", KeySpec{Role: RoleSubmitter, Organisation: Kutsekoda, Name: "Demo: Kutsekoda staff"}},
		{"demo-submitter-body", KeySpec{Role: RoleSubmitter, Organisation: s.AwardingBody, Name: "Demo: awarding body " + s.AwardingBody}},
		{"demo-clerk", KeySpec{Role: RoleClerk, Name: "Demo: clerk"}},
		{"demo-supervisor", KeySpec{Role: RoleSupervisor, Name: "Demo: supervisor"}},
		{"demo-person", KeySpec{Role: RolePerson, PersonalCode: s.PersonalCode, Name: "Demo: person"}},
	}
}

// EnsureDemoKeys makes sure that one demo key per role exists — a submitter
// for Kutsekoda, a submitter for the example awarding body, a clerk, a
// supervisor and a person — for "alusdok dev".
//
// It is idempotent: the demo keys have fixed ids (demo-clerk, …), so a
// restart finds them and makes no duplicates. An existing demo key is kept
// as it is and reported in Existing, since its secret cannot be shown again;
// a demo key that was revoked, or whose binding no longer matches setup, is
// replaced by a new one with a new secret and reported in Issued. To get new
// demo keys: "alusdok keys revoke demo-clerk" (or any other) and restart, or
// make an ordinary key with "alusdok keys create".
func (s *KeyStore) EnsureDemoKeys(ctx context.Context, setup DemoSetup) (DemoKeys, error) {
	var out DemoKeys
	for _, slot := range demoSlots(setup) {
		issued, existing, err := s.ensureDemoKey(ctx, slot)
		if err != nil {
			return DemoKeys{}, fmt.Errorf("demo key %s: %w", slot.id, err)
		}
		if issued != nil {
			out.Issued = append(out.Issued, *issued)
		} else {
			out.Existing = append(out.Existing, existing)
		}
	}
	return out, nil
}

func (s *KeyStore) ensureDemoKey(ctx context.Context, slot demoSlot) (*IssuedKey, KeyInfo, error) {
	old, err := s.get(ctx, slot.id)
	switch {
	case errors.Is(err, ErrNoSuchKey):
	case err != nil:
		return nil, KeyInfo{}, err
	case old.Revoked == nil && old.Role == slot.spec.Role && old.Organisation == slot.spec.Organisation &&
		old.PersonalCode == slot.spec.PersonalCode:
		return nil, old.info(), nil
	}
	doc, key, err := s.newDoc(slot.id, slot.spec)
	if err != nil {
		return nil, KeyInfo{}, err
	}
	if old.ID == "" {
		_, err = s.coll.InsertOne(ctx, doc)
		if mongo.IsDuplicateKeyError(err) {
			// Another process made it in the meantime: it printed the key.
			existing, err := s.get(ctx, slot.id)
			return nil, existing.info(), err
		}
	} else {
		_, err = s.coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: slot.id}}, doc)
	}
	if err != nil {
		return nil, KeyInfo{}, err
	}
	s.cache.forget(slot.id) // a replaced key's old secret stops here at once
	return &IssuedKey{KeyInfo: doc.info(), Key: key}, KeyInfo{}, nil
}

// Write prints the demo keys for a person at a terminal: the new keys in
// full (this is the only time they are shown), the existing ones by id.
func (d DemoKeys) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if len(d.Issued) > 0 {
		fmt.Fprintln(tw, "Demo API keys (shown once; send as \"Authorization: ApiKey <key>\" or \"X-API-Key: <key>\"):")
		for _, k := range d.Issued {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", k.Role, bindingOf(k.KeyInfo), k.Key)
		}
	}
	if len(d.Existing) > 0 {
		fmt.Fprintln(tw, "Demo API keys exist already (their secrets were shown when they were made):")
		for _, k := range d.Existing {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", k.Role, bindingOf(k), k.ID)
		}
		fmt.Fprintln(tw, "  For new ones: alusdok keys revoke <id> and restart, or alusdok keys create.")
	}
	return tw.Flush()
}

// bindingOf says what a key is bound to, without showing a personal code.
func bindingOf(k KeyInfo) string {
	switch {
	case k.Organisation != "":
		return k.Organisation
	case k.PersonalCode != "":
		return MaskPersonalCode(k.PersonalCode)
	default:
		return "-"
	}
}

// MaskPersonalCode shows only the last four digits of a personal code, as
// banks do on statements: enough for its holder to recognise it.
func MaskPersonalCode(code string) string {
	if len(code) <= 4 {
		return "*******"
	}
	return "*******" + code[len(code)-4:]
}

// DemoIdentities are the people the web front of "alusdok dev" lets one
// sign in as without authentication: a clerk and a substitute clerk, a
// supervisor, Kutsekoda's submitter, the example awarding body's submitter
// and a person. Never offered outside alusdok dev.
func DemoIdentities(awardingBody, personalCode string) []Principal {
	return []Principal{
		{Role: RoleClerk, Name: "Mari Menetleja"},
		{Role: RoleClerk, Name: "Jaan Asendaja"},
		{Role: RoleSupervisor, Name: "Urve Järelevalve"},
		{Role: RoleSubmitter, Organisation: Kutsekoda, Name: "Kati Kutsekoda"},
		{Role: RoleSubmitter, Organisation: awardingBody, Name: "Tiina Org"},
		{Role: RolePerson, PersonalCode: personalCode, Name: "Mart Kuusk"},
	}
}
