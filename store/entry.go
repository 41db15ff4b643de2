package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/sync/errgroup"

	"github.com/kutsekoda/alusdok/documents"
)

// CollClaims holds one claim per certificate number ever entered: the
// guard that makes a committee decision's entry all or nothing.
const CollClaims = "certificate_claims"

// Progress is how far an entry got: the activity heartbeats it, and a
// retry resumes from it instead of starting again.
type Progress struct {
	Claimed      int `json:"claimed"`      // certificate numbers claimed, in claim order
	Blocks       int `json:"blocks"`       // blocks of numbers noted (CollBlocks): 0, or all once noted
	Versions     int `json:"versions"`     // versioned records written
	Certificates int `json:"certificates"` // certificates written
}

// claim is a certificate number taken by a submission.
type claim struct {
	ID         string `bson:"_id"` // CertificateID
	Submission string `bson:"submission"`
}

// EnterPlan writes what an entry's plan says (R12.1), all or nothing and
// each record exactly once however often it is retried. FerretDB has no
// transactions, so the order does the work:
//
//  1. every certificate number is claimed first, one insert per number in
//     a fixed (sorted) order; a number another submission claimed stops
//     the entry, this entry's own claims are released again, and a
//     *documents.ConflictError names the certificate — nothing was entered.
//     Two entries that share numbers meet at the first shared one in that
//     order, so exactly one of them goes on;
//  2. meanwhile, the numbers are noted in their blocks (CollBlocks), the
//     register's index of numbers for the check at receipt (R13.3);
//  3. then the versioned records (councils, standards, awarding bodies,
//     procedures, changed certificates), each once per submission;
//  4. then the certificates themselves and their index by person.
//
// Once step 1 has passed nothing can conflict, so a crash after it is
// finished by the retry. The entry is journalled as a register change
// (CollChanges) from before step 1 until it has written everything. from
// is where an earlier attempt got to; progress is called as the entry
// advances.
func (s *Store) EnterPlan(ctx context.Context, plan documents.Plan, e Entry, from Progress, progress func(Progress)) (int, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	change := "entry/" + e.SubmissionID
	ids := plannedCertificateIDs(plan)
	if err := s.changeStarting(ctx, change, entryScope(plan, ids)); err != nil {
		return 0, err
	}
	p := from
	// Steps 1 and 2 run at once: the blocks need only be noted before the
	// certificates are written, and a number noted whose claim then
	// fails is one readers look up and do not find.
	var mu sync.Mutex // over p and progress
	report := func(field func(*Progress) *int) func(Progress) {
		return func(q Progress) {
			mu.Lock()
			defer mu.Unlock()
			*field(&p) = *field(&q)
			progress(p)
		}
	}
	claimed, noted := from, from
	var g errgroup.Group
	g.Go(func() error {
		return s.claimCertificates(ctx, plan.Certificates, e.SubmissionID, &claimed, report(func(q *Progress) *int { return &q.Claimed }))
	})
	g.Go(func() error {
		return s.noteBlocks(ctx, ids, e.SubmissionID, &noted, report(func(q *Progress) *int { return &q.Blocks }))
	})
	err := g.Wait()
	p.Claimed, p.Blocks = claimed.Claimed, noted.Blocks
	if err != nil {
		var conflict *documents.ConflictError
		if errors.As(err, &conflict) {
			// Nothing was entered: the change is over.
			if ferr := s.changeFinished(ctx, change); ferr != nil {
				return 0, ferr
			}
		}
		return 0, err
	}
	for i := p.Versions; i < len(plan.Versions); i++ {
		if err := s.putPlannedVersion(ctx, plan.Versions[i], e); err != nil {
			return 0, fmt.Errorf("record %d: %w", i, err)
		}
		p.Versions = i + 1
		progress(p)
	}
	err = s.putCertificates(ctx, plan.Certificates[min(p.Certificates, len(plan.Certificates)):], e, func(n int) {
		p.Certificates = from.Certificates + n
		progress(p)
	})
	if err != nil {
		return 0, err
	}
	if err := s.changeFinished(ctx, change); err != nil {
		return 0, err
	}
	return plan.Records(), nil
}

// entryScope is what an entry of plan writes: only the certificates ids
// (plannedCertificateIDs) when it enters or changes nothing else, else
// anything.
func entryScope(plan documents.Plan, ids []string) changeScope {
	for _, v := range plan.Versions {
		if v.Kind != documents.KindCertificate {
			return anyRecord
		}
	}
	return certificatesIn(ids)
}

func (s *Store) putPlannedVersion(ctx context.Context, v documents.Version, e Entry) error {
	switch v.Kind {
	case documents.KindCouncil:
		return putVersion(ctx, s, CollCouncils, v.Council.ID, *v.Council, e)
	case documents.KindStandard:
		return s.putStandard(ctx, *v.Standard, e)
	case documents.KindAwardingBody:
		return putVersion(ctx, s, CollAwardingBodies, v.AwardingBody.RegistryCode, *v.AwardingBody, e)
	case documents.KindProcedure:
		return putVersion(ctx, s, CollProcedures, v.Procedure.AwardingBody, *v.Procedure, e)
	case documents.KindCertificate:
		return putVersion(ctx, s, CollCertificates, CertificateID(v.Certificate.Key()), *v.Certificate, e)
	}
	return fmt.Errorf("unknown record kind %q", v.Kind)
}

// claimCertificates claims every number of certs for submission, in sorted
// order, resuming after p.Claimed.
func (s *Store) claimCertificates(ctx context.Context, certs []documents.Certificate, submission string, p *Progress, progress func(Progress)) error {
	if len(certs) == 0 {
		return nil
	}
	type keyed struct {
		id    string
		index int // in the document
	}
	order := make([]keyed, len(certs))
	for i := range certs {
		order[i] = keyed{CertificateID(certs[i].Key()), i}
	}
	slices.SortFunc(order, func(a, b keyed) int { return strings.Compare(a.id, b.id) })
	// release gives up this entry's own claims: all those before the
	// conflict in claim order. Should it fail, the error is retried, and
	// the retry meets the same conflict and releases again.
	release := func(upTo int) error {
		ids := make([]string, upTo)
		for i := range upTo {
			ids[i] = order[i].id
		}
		return s.deleteByIDs(ctx, CollClaims, ids)
	}
	const batch = 1000
	for p.Claimed < len(order) {
		end := min(len(order), p.Claimed+batch)
		docs := make([]any, 0, end-p.Claimed)
		for _, k := range order[p.Claimed:end] {
			docs = append(docs, claim{ID: k.id, Submission: submission})
		}
		_, err := s.c(CollClaims).InsertMany(ctx, docs, options.InsertMany().SetOrdered(true))
		if err == nil {
			p.Claimed = end
			progress(*p)
			continue
		}
		at, ok := firstDuplicate(err)
		if !ok {
			return fmt.Errorf("claim certificate numbers: %w", err)
		}
		// Everything before at is claimed now. From at on, walk over the
		// numbers already claimed — by an earlier attempt of this entry,
		// one point lookup each — to the first free one, or to another
		// submission's claim: the conflict.
		for at += p.Claimed; at < len(order); at++ {
			if at%heartbeatEvery == 0 {
				// A long walk (a retry after a worker died with its last
				// heartbeat far behind) still reports progress, or the
				// attempt misses its heartbeat timeout on a slow database
				// and the next one walks again: everything before at is
				// this entry's own claim.
				q := *p
				q.Claimed = at
				progress(q)
			}
			var c claim
			err := s.findByID(ctx, CollClaims, order[at].id, &c)
			if errors.Is(err, ErrNotFound) {
				break
			}
			if err != nil {
				return fmt.Errorf("claim certificate numbers: %w", err)
			}
			if c.Submission != submission {
				if err := release(at); err != nil {
					return fmt.Errorf("release claims after a conflict: %w", err)
				}
				return documents.CertificateConflict(order[at].index)
			}
		}
		p.Claimed = at
		progress(*p)
	}
	return nil
}

// heartbeatEvery is how many point lookups a retry's walk over what an
// earlier attempt wrote makes between two progress reports (heartbeats).
const heartbeatEvery = 100

// firstDuplicate is the index within an ordered insert of the document that
// stopped it with a duplicate key.
func firstDuplicate(err error) (int, bool) {
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) {
		return 0, false
	}
	for _, we := range bwe.WriteErrors {
		if we.Code == 11000 {
			return we.Index, true
		}
		return 0, false
	}
	return 0, false
}

// deleteByIDs deletes documents by _id, one point delete each (the only
// filter FerretDB serves without scanning).
func (s *Store) deleteByIDs(ctx context.Context, coll string, ids []string) error {
	for _, id := range ids {
		if _, err := s.c(coll).DeleteOne(ctx, byID(id)); err != nil {
			return fmt.Errorf("delete %s %s: %w", coll, id, err)
		}
	}
	return nil
}

// EnsureClaims gives every certificate entered before claims existed its
// claim, so that an entry cannot take its number. It does nothing when
// every certificate has one (counted), and is idempotent.
func (s *Store) EnsureClaims(ctx context.Context) error {
	nc, err := s.c(CollCertificates).EstimatedDocumentCount(ctx)
	if err != nil {
		return fmt.Errorf("count certificates: %w", err)
	}
	nk, err := s.c(CollClaims).EstimatedDocumentCount(ctx)
	if err != nil {
		return fmt.Errorf("count claims: %w", err)
	}
	if nk >= nc {
		return nil
	}
	cur, err := s.c(CollCertificates).Find(ctx, struct{}{}, options.Find().SetProjection(map[string]int{"submission": 1}))
	if err != nil {
		return fmt.Errorf("read certificates: %w", err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var c claim
		if err := cur.Decode(&c); err != nil {
			return fmt.Errorf("read certificates: %w", err)
		}
		if err := s.insertOnce(ctx, CollClaims, c); err != nil {
			return err
		}
	}
	return cur.Err()
}
