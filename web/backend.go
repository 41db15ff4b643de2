package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kutsekoda/alusdok/accesslog"
	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/intake"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// This file is the one adapter from the layers below (store, intake, audit,
// accesslog) to the web front's ports (ports.go). When their types change,
// only this file changes.

// maxMetadataBytes bounds a decoded metadata blob (the API's bound, doubled).
const maxMetadataBytes = 32 << 20

// NewBackend adapts the store, intake, the processing log and the
// data-access log (nil: reads are not logged) to Backend.
func NewBackend(st *store.Store, in *intake.Service, log *audit.Log, access *accesslog.Store) Backend {
	return &backend{store: st, intake: in, audit: log, access: access}
}

type backend struct {
	store  *store.Store
	intake *intake.Service
	audit  *audit.Log
	access *accesslog.Store

	statsMu sync.Mutex
	statsAt time.Time
	stats   []StatRow
}

func viewOf(s store.Submission) SubmissionView {
	v := SubmissionView{
		ID: s.ID, Status: wf.Status(s.Status), Turn: wf.Turn(s.Turn), Organisation: s.Organisation, SubmitterName: s.SubmitterName,
		Kind: s.Kind, Number: s.Number, DecisionDate: s.DecisionDate, Title: s.Title, Records: s.Records,
		ReceivedAt: s.ReceivedAt, FirstReceivedAt: s.FirstReceivedAt, Late: s.Late, Escalated: s.Escalated,
		EntryDeadline: s.Deadlines.Entry, CorrectionLimit: s.Deadlines.CorrectionLimit, LateMark: s.Deadlines.LateMark,
		ExtendedDays: s.Deadlines.ExtendedDays, CorrectionRounds: s.CorrectionRounds, Deficiencies: s.Deficiencies,
		Uploads: len(s.Uploads), Reason: s.Reason, DecidedAt: s.DecidedAt, Assignee: s.Assignee,
	}
	for _, n := range s.Notices {
		v.Notices = append(v.Notices, NoticeView{Seq: n.Seq, Type: wf.NoticeType(n.Type), At: n.At, Delivery: wf.Delivery(n.Delivery)})
	}
	for _, x := range s.Extensions {
		v.Extensions = append(v.Extensions, wf.Extension{WorkingDays: x.WorkingDays, Reason: x.Reason, NewDeadline: x.NewDeadline, Clerk: x.Clerk, At: x.At})
	}
	return v
}

func (b *backend) ListSubmissions(ctx context.Context, q SubmissionQuery) ([]SubmissionView, error) {
	f := store.SubmissionFilter{Organisation: q.Organisation, Kind: q.Kind, Escalated: q.Escalated, Assignee: q.Assignee, Now: time.Now()}
	for _, st := range q.Statuses {
		f.Statuses = append(f.Statuses, string(st))
	}
	subs, _, err := b.store.ListSubmissions(ctx, f, 0, 1<<31-1)
	if err != nil {
		return nil, err
	}
	out := make([]SubmissionView, len(subs))
	for i, s := range subs {
		out[i] = viewOf(s)
	}
	return out, nil
}

func (b *backend) Submission(ctx context.Context, id string) (SubmissionView, error) {
	s, err := b.store.Submission(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return SubmissionView{}, ErrNotFound
	}
	if err != nil {
		return SubmissionView{}, err
	}
	return viewOf(s), nil
}

func (b *backend) latest(ctx context.Context, id string) (store.Submission, store.Upload, error) {
	s, err := b.store.Submission(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return s, store.Upload{}, ErrNotFound
	}
	if err != nil {
		return s, store.Upload{}, err
	}
	if len(s.Uploads) == 0 {
		return s, store.Upload{}, ErrNotFound
	}
	up, err := b.store.Upload(ctx, s.Uploads[len(s.Uploads)-1].ID)
	if errors.Is(err, store.ErrNotFound) {
		return s, up, ErrNotFound
	}
	return s, up, err
}

func (b *backend) LatestUpload(ctx context.Context, sub SubmissionView) (UploadView, *documents.BaseDocument, error) {
	_, up, err := b.latest(ctx, sub.ID)
	if err != nil {
		return UploadView{}, nil, err
	}
	v := UploadView{Filename: up.Filename, Size: up.PDF.Size, Pages: up.PDF.Pages, SHA256: up.PDF.SHA256,
		ReceivedAt: up.ReceivedAt, Warnings: up.PDFDeficiencies}
	for _, s := range up.PDF.Signatures {
		v.Signatures = append(v.Signatures, SignatureView{Signer: s.SignerName, Time: s.SigningTime,
			Status: string(s.Status), Trusted: s.Trusted, Reason: s.Reason})
	}
	raw, err := b.store.UploadMetadata(ctx, up)
	if err != nil {
		return v, nil, fmt.Errorf("read metadata: %w", err)
	}
	doc, _ := documents.DecodeBytes(raw, maxMetadataBytes)
	return v, doc, nil
}

func (b *backend) OpenDocument(ctx context.Context, sub SubmissionView, which DocumentRef) (Blob, error) {
	var id, name string
	switch {
	case which.Notice > 0:
		if which.Notice > len(sub.Notices) {
			return Blob{}, ErrNotFound
		}
		rec, err := b.store.Notice(ctx, sub.ID, which.Notice)
		if err != nil {
			return Blob{}, notFound(err)
		}
		id, name = rec.Blob, fmt.Sprintf("teade-%s-%d.pdf", sub.ID, which.Notice)
	case which.Rendition:
		if sub.Status != wf.StatusEntered {
			return Blob{}, ErrNotFound
		}
		id, name = store.RenditionBlobID(sub.ID), "kantud-"+sub.ID+".pdf"
	default:
		_, up, err := b.latest(ctx, sub.ID)
		if err != nil {
			return Blob{}, err
		}
		id, name = up.DocumentBlob, "alusdokument-"+sub.ID+".pdf"
	}
	st, err := b.store.StatBlob(ctx, store.BucketDocuments, id)
	if err != nil {
		return Blob{}, notFound(err)
	}
	return Blob{Length: st.Length, SHA256: st.Metadata.SHA256, Filename: name, WriteTo: func(w io.Writer) error {
		return b.store.WriteBlob(ctx, store.BucketDocuments, st, w)
	}}, nil
}

func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	}
	return err
}

func (b *backend) LogRead(ctx context.Context, who *auth.Principal, why, docNumber string, certs []documents.Certificate) {
	if b.access == nil {
		return
	}
	ev := accesslog.Event{Who: who, Why: why}
	for _, c := range certs {
		if c.PersonalCode != "" {
			ev.Reads = append(ev.Reads, accesslog.Read{PersonalCode: c.PersonalCode,
				What: "alusdokument " + docNumber + ", kutsetunnistus " + c.Number})
		}
	}
	if len(ev.Reads) == 0 {
		return
	}
	_ = b.access.Record(ctx, ev) // best effort, as the API's (which logs the failure)
}

func logEntryOf(e audit.Entry) LogEntry {
	return LogEntry{Seq: e.Seq, Time: e.Time, SubmissionID: e.SubmissionID, SubmitterName: e.SubmitterName,
		DocumentKind: e.DocumentKind, DocumentNumber: e.DocumentNumber, DocumentDate: e.DocumentDate,
		Actor: e.Actor, Action: e.Action, Detail: e.Detail}
}

func (b *backend) Timeline(ctx context.Context, id string) ([]LogEntry, error) {
	return b.AuditLog(ctx, AuditFilter{SubmissionID: id, Limit: audit.MaxLimit})
}

func (b *backend) AuditLog(ctx context.Context, f AuditFilter) ([]LogEntry, error) {
	entries, err := b.audit.List(ctx, audit.Filter{SubmissionID: f.SubmissionID, Actor: f.Actor, From: f.From, To: f.To},
		audit.Page{After: f.After, Limit: f.Limit})
	if err != nil {
		return nil, err
	}
	out := make([]LogEntry, len(entries))
	for i, e := range entries {
		out[i] = logEntryOf(e)
	}
	return out, nil
}

func (b *backend) VerifyLog(ctx context.Context) (ChainReport, error) {
	r, err := b.audit.Verify(ctx)
	if err != nil {
		return ChainReport{}, err
	}
	cr := ChainReport{Whole: r.Whole(), Count: r.Count, LastHash: r.LastHash}
	if r.Broken != nil {
		cr.BrokenAt, cr.Problem = r.Broken.Seq, string(r.Broken.Problem)
	}
	return cr, nil
}

func (b *backend) Submit(ctx context.Context, req UploadRequest) (string, deficiency.List, error) {
	rc, err := b.intake.Submit(ctx, intake.Request{Submitter: intake.Submitter{Organisation: req.Organisation, Name: req.Name},
		PDF: req.PDF, Filename: req.Filename, Metadata: req.Metadata, IdempotencyKey: req.IdempotencyKey})
	if err != nil {
		return "", nil, rejected(err)
	}
	return rc.SubmissionID, rc.Warnings, nil
}

func (b *backend) Correct(ctx context.Context, id string, req UploadRequest) (deficiency.List, error) {
	rc, _, err := b.intake.Correct(ctx, id, intake.Request{Submitter: intake.Submitter{Organisation: req.Organisation, Name: req.Name},
		PDF: req.PDF, Filename: req.Filename, Metadata: req.Metadata})
	if err != nil {
		return nil, rejected(err)
	}
	return rc.Warnings, nil
}

func rejected(err error) error {
	var rej *intake.RejectedError
	if errors.As(err, &rej) {
		return &RejectedError{Deficiencies: rej.Deficiencies}
	}
	return err
}

func (b *backend) Decide(ctx context.Context, id string, d wf.Decision) error {
	_, err := b.intake.Decide(ctx, id, d)
	return err
}

func (b *backend) Withdraw(ctx context.Context, id string, w wf.Withdrawal) error {
	_, err := b.intake.Withdraw(ctx, id, w)
	return err
}

func (b *backend) Assign(ctx context.Context, id, assignee, by string) error {
	_, err := b.intake.Assign(ctx, id, assignee, by)
	if errors.Is(err, intake.ErrAssignUnsupported) {
		return ErrAssignUnsupported
	}
	return err
}

func (b *backend) Refusal(err error) (string, bool) { return intake.Refusal(err) }

func (b *backend) Standards(ctx context.Context) ([]documents.Standard, error) {
	recs, err := b.store.Standards(ctx)
	out := make([]documents.Standard, len(recs))
	for i, r := range recs {
		out[i] = r.Data
	}
	return out, err
}

func (b *backend) Councils(ctx context.Context) ([]PublicCouncil, error) {
	recs, err := b.store.Councils(ctx)
	out := make([]PublicCouncil, len(recs))
	for i, r := range recs {
		d := r.Data
		out[i] = PublicCouncil{ID: d.ID, Name: d.Name, FormationDate: d.FormationDate, Institutions: d.Institutions,
			Members: len(d.Members), Fields: d.Fields, Closed: d.Closed != nil}
	}
	return out, err
}

func (b *backend) AwardingBodies(ctx context.Context) ([]documents.AwardingBody, error) {
	recs, err := b.store.AwardingBodies(ctx)
	out := make([]documents.AwardingBody, len(recs))
	for i, r := range recs {
		out[i] = r.Data
		out[i].Procedures = nil // committee members are people: not published
	}
	return out, err
}

func (b *backend) Certificate(ctx context.Context, number string, typ documents.CertificateType) (PublicCertificate, error) {
	key := documents.CertificateKey{Type: typ, Number: number}
	rec, err := b.store.Certificate(ctx, key)
	if errors.Is(err, store.ErrNotFound) || err == nil && rec.Data.HideCertificate {
		return PublicCertificate{}, ErrNotFound
	}
	if err != nil {
		return PublicCertificate{}, err
	}
	// R14.1: reported wrong, closed until its correctness is established.
	if _, err := b.store.UnderReview(ctx, store.CertificateReviewKey(key)); err == nil {
		return PublicCertificate{Number: number, Type: typ, UnderReview: true}, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return PublicCertificate{}, err
	}
	d := rec.Data
	today := documents.DateOf(time.Now())
	pc := PublicCertificate{Number: d.Number, Type: d.Type, Level: d.Level, Specialisation: d.Specialisation,
		Issuer: d.Issuer, IssuedOn: d.IssuedOn, ValidFrom: d.ValidFrom, ValidUntil: d.ValidUntil,
		Duplicate: d.DuplicateOf != "", Closed: d.Closed != nil,
		Valid: d.ValidOn(today)}
	if std, err := b.store.Register().Standard(ctx, d.Standard); err == nil {
		pc.Qualification = std.Title
	}
	if body, err := b.store.Register().AwardingBody(ctx, d.Issuer); err == nil {
		pc.IssuerName = body.Name
	}
	return pc, nil
}

// Statistics counts the public certificates by year, standard and level,
// kept for five minutes (they read every certificate).
func (b *backend) Statistics(ctx context.Context) ([]StatRow, error) {
	b.statsMu.Lock()
	defer b.statsMu.Unlock()
	if b.stats == nil || time.Since(b.statsAt) >= 5*time.Minute {
		rows, err := b.countStatistics(ctx)
		if err != nil {
			return nil, err
		}
		b.stats, b.statsAt = rows, time.Now()
	}
	return b.withoutReviewed(ctx, b.stats)
}

// withoutReviewed takes the certificates under review (R14.1) out of the
// counts, at every answer: a report closes them out of the statistics at
// once, however fresh the cache.
func (b *backend) withoutReviewed(ctx context.Context, rows []StatRow) ([]StatRow, error) {
	marks, err := b.store.ReviewMarks(ctx)
	if err != nil || len(marks) == 0 {
		return rows, err
	}
	out := slices.Clone(rows)
	for key := range marks {
		id, ok := strings.CutPrefix(key, store.CollCertificates+"/")
		if !ok {
			continue
		}
		typ, num, _ := strings.Cut(id, "-")
		t, _ := strconv.Atoi(typ)
		rec, err := b.store.Certificate(ctx, documents.CertificateKey{Type: documents.CertificateType(t), Number: num})
		if errors.Is(err, store.ErrNotFound) || err == nil && rec.Data.HideCertificate {
			continue
		}
		if err != nil {
			return nil, err
		}
		for i := range out {
			r := &out[i]
			if r.Year == rec.Data.IssuedOn.Year() && r.StandardID == rec.Data.Standard.ID && r.Level == rec.Data.Level && r.Count > 0 {
				r.Count--
				break
			}
		}
	}
	return slices.DeleteFunc(out, func(r StatRow) bool { return r.Count == 0 }), nil
}

// countStatistics counts every public certificate.
func (b *backend) countStatistics(ctx context.Context) ([]StatRow, error) {
	type key struct{ year, std, level int }
	counts := map[key]int{}
	err := b.store.EachCertificate(ctx, func(r store.Record[documents.Certificate]) error {
		if !r.Data.HideCertificate {
			counts[key{r.Data.IssuedOn.Year(), r.Data.Standard.ID, r.Data.Level}]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	titles := map[int]string{}
	if stds, err := b.Standards(ctx); err == nil {
		for _, s := range stds {
			titles[s.ID] = s.Title
		}
	}
	rows := make([]StatRow, 0, len(counts))
	for k, n := range counts {
		rows = append(rows, StatRow{Year: k.year, StandardID: k.std, StandardTitle: titles[k.std], Level: k.level, Count: n})
	}
	sort.Slice(rows, func(i, j int) bool {
		a, c := rows[i], rows[j]
		if a.Year != c.Year {
			return a.Year < c.Year
		}
		if a.StandardID != c.StandardID {
			return a.StandardID < c.StandardID
		}
		return a.Level < c.Level
	})
	return rows, nil
}

func (b *backend) Me(ctx context.Context, personalCode string) (MeView, error) {
	recs, err := b.store.PersonCertificates(ctx, personalCode)
	if err != nil {
		return MeView{}, err
	}
	var v MeView
	subs := map[string]bool{}
	for _, r := range recs {
		mc := MyCertificate{Certificate: r.Data, EntryNumber: r.EntryNumber, Document: r.Document}
		if std, err := b.store.Register().Standard(ctx, r.Data.Standard); err == nil {
			mc.Qualification = std.Title
		}
		v.Certificates = append(v.Certificates, mc)
		subs[r.Submission] = true
	}
	ids := make([]string, 0, len(subs))
	for id := range subs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		entries, err := b.Timeline(ctx, id)
		if err != nil {
			return MeView{}, err
		}
		v.Log = append(v.Log, entries...)
	}
	if b.access != nil {
		if v.Reads, err = b.access.ListForPerson(ctx, personalCode); err != nil {
			return MeView{}, err
		}
	}
	return v, nil
}
