package store

import (
	"context"
	"fmt"

	"github.com/kutsekoda/alusdok/documents"
)

// EnterDocument writes every register record a base document carries
// (R12.1), each exactly once however often it is retried.
func (s *Store) EnterDocument(ctx context.Context, doc *documents.BaseDocument, e Entry, progress func(int)) (int, error) {
	p := doc.Payload
	switch doc.Kind {
	case documents.GovernmentOrder, documents.MinisterDirective:
		if p.Council == nil {
			return 0, fmt.Errorf("%s without a council", doc.Kind)
		}
		c := *p.Council
		if doc.Kind == documents.MinisterDirective {
			// R6.4: the directive sets the members of an existing council.
			cur, err := s.Register().Council(ctx, c.ID)
			if err != nil {
				return 0, fmt.Errorf("council %s: %w", c.ID, err)
			}
			members := c.Members
			c = *cur
			c.Members = members
		}
		return 1, putVersion(ctx, s, CollCouncils, c.ID, c, e)
	case documents.StandardDecision:
		if p.Standard == nil {
			return 0, fmt.Errorf("%s without a standard", doc.Kind)
		}
		return 1, s.putStandard(ctx, *p.Standard, e)
	case documents.AwardingRightDecision:
		if p.AwardingBody == nil {
			return 0, fmt.Errorf("%s without an awarding body", doc.Kind)
		}
		return 1, putVersion(ctx, s, CollAwardingBodies, p.AwardingBody.RegistryCode, *p.AwardingBody, e)
	case documents.ProcedureDecision:
		if p.Procedure == nil {
			return 0, fmt.Errorf("%s without a procedure", doc.Kind)
		}
		return 1, putVersion(ctx, s, CollProcedures, p.Procedure.AwardingBody, *p.Procedure, e)
	case documents.CommitteeDecision:
		return len(p.Certificates), s.PutCertificates(ctx, p.Certificates, e, progress)
	case documents.Other:
		for i, ch := range p.Changes {
			if err := s.applyChange(ctx, ch, doc, e); err != nil {
				return i, fmt.Errorf("change %d: %w", i, err)
			}
		}
		return len(p.Changes), nil
	}
	return 0, fmt.Errorf("unknown kind %q", doc.Kind)
}

// applyChange changes or closes one existing record (R14.3); closing marks
// it closed with its base document, keeping it and its history.
func (s *Store) applyChange(ctx context.Context, ch documents.Change, doc *documents.BaseDocument, e Entry) error {
	closure := &documents.Closure{On: doc.Date, Reason: ch.Reason, Document: doc.Number}
	closing := ch.Action == documents.ActionClose
	reg := s.Register()
	switch ch.Target {
	case documents.RecordCouncil:
		c, err := reg.Council(ctx, ch.TargetID)
		if err != nil {
			return err
		}
		if !closing && ch.Council != nil {
			c = ch.Council
		}
		if closing {
			c.Closed = closure
		}
		return putVersion(ctx, s, CollCouncils, ch.TargetID, *c, e)
	case documents.RecordStandard:
		ref := documents.StandardRef{Version: ch.TargetVersion}
		if _, err := fmt.Sscan(ch.TargetID, &ref.ID); err != nil {
			return fmt.Errorf("standard id %q: %w", ch.TargetID, err)
		}
		std, err := reg.Standard(ctx, ref)
		if err != nil {
			return err
		}
		if !closing && ch.Standard != nil {
			std = ch.Standard
		}
		if closing {
			std.Closed = closure
		}
		return s.putStandard(ctx, *std, e)
	case documents.RecordAwardingBody:
		b, err := reg.AwardingBody(ctx, ch.TargetID)
		if err != nil {
			return err
		}
		if !closing && ch.AwardingBody != nil {
			b = ch.AwardingBody
		}
		if closing {
			b.Closed = closure
		}
		return putVersion(ctx, s, CollAwardingBodies, ch.TargetID, *b, e)
	case documents.RecordCertificate:
		key := documents.CertificateKey{Type: ch.CertificateType, Number: ch.TargetID}
		if key.Type == 0 {
			key.Type = documents.OccupationalCertificate
		}
		rec, err := s.Certificate(ctx, key)
		if err != nil {
			return err
		}
		c := rec.Data
		if !closing && ch.Certificate != nil {
			c = *ch.Certificate
		}
		if closing {
			c.Closed = closure
		}
		return putVersion(ctx, s, CollCertificates, CertificateID(key), c, e)
	}
	return fmt.Errorf("unknown target %q", ch.Target)
}
