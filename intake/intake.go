// Package intake receives base documents: it checks a signed PDF and its
// metadata at once (so that bad input gets a precise answer and changes
// nothing), stages what passes in MongoDB, and starts the submission's
// workflow or hands it corrected documents. It is what the HTTP API calls;
// it knows nothing of HTTP.
package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/pdfintake"
	"github.com/kutsekoda/alusdok/retention"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// Service receives submissions.
type Service struct {
	store     *store.Store
	temporal  client.Client
	validator *documents.Validator
	pdf       *pdfintake.Inspector
	// activeWarn are the kinds whose active content is a warning only.
	activeWarn map[documents.Kind]bool
	taskQueue  string
	retention  retention.Policy
	now        func() time.Time
	log        *slog.Logger
}

// Options configures New.
type Options struct {
	Store     *store.Store
	Temporal  client.Client
	Validator *documents.Validator
	PDF       pdfintake.Options // RequireSignature is set per kind
	// ActiveContentWarning lists the kinds whose PDFs may carry active
	// content (JavaScript, actions, embedded files) with a warning for
	// the clerk; for every other kind it is an error.
	ActiveContentWarning []documents.Kind
	TaskQueue            string           // default workflows.TaskQueue
	Now                  func() time.Time // default time.Now
	Logger               *slog.Logger
	// Retention dates the stored documents (R4.2); the zero Policy keeps
	// them without end.
	Retention retention.Policy
}

// New returns a Service.
func New(o Options) (*Service, error) {
	pdfOpts := o.PDF
	pdfOpts.RequireSignature = false // per kind, in check
	pdf, err := pdfintake.New(pdfOpts)
	if err != nil {
		return nil, fmt.Errorf("pdf intake: %w", err)
	}
	activeWarn := map[documents.Kind]bool{}
	for _, k := range o.ActiveContentWarning {
		activeWarn[k] = true
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.TaskQueue == "" {
		o.TaskQueue = wf.TaskQueue
	}
	return &Service{store: o.Store, temporal: o.Temporal, validator: o.Validator, pdf: pdf, activeWarn: activeWarn,
		taskQueue: o.TaskQueue, retention: o.Retention, now: o.Now, log: o.Logger}, nil
}

// TrustAnchors is how many trust anchors PDF signatures are checked
// against; with none, every signature is untrusted.
func (s *Service) TrustAnchors() int { return s.pdf.TrustAnchors() }

// Submitter is who submits, from authentication.
type Submitter struct {
	Organisation string
	Name         string
}

// Request is one upload: the PDF and its metadata JSON.
type Request struct {
	Submitter Submitter
	PDF       io.Reader
	Filename  string
	Metadata  []byte
	// IdempotencyKey, when set, makes a retried request start nothing twice.
	IdempotencyKey string
}

// RejectedError says the input is deficient; nothing was stored.
type RejectedError struct {
	Deficiencies deficiency.List
}

func (e *RejectedError) Error() string {
	return fmt.Sprintf("the base document has %d deficiencies", len(e.Deficiencies.Errors()))
}

// Receipt answers an accepted submission.
type Receipt struct {
	SubmissionID string
	UploadID     string
	ReceivedAt   time.Time
	Existing     bool // an earlier request with the same idempotency key started it
	Warnings     deficiency.List
	// Settled is the workflow's state after its first validation
	// (deadlines computed, or corrections requested), answered by the
	// workflow itself; nil when it took longer than SettleWait, or for an
	// existing submission: then the read model has what there is.
	Settled *wf.State
}

// SettleWait is how long Submit waits for the workflow's first validation
// to answer the receipt with deadlines; a 10,000-certificate decision may
// take longer, and is answered "received" without them.
const SettleWait = 3 * time.Second

// Submit checks a first submission, stages it and starts its workflow.
func (s *Service) Submit(ctx context.Context, req Request) (Receipt, error) {
	received := s.now().UTC()
	id := submissionID(req.Submitter.Organisation, req.IdempotencyKey)
	if req.IdempotencyKey != "" {
		if _, err := s.store.Submission(ctx, id); err == nil {
			return Receipt{SubmissionID: id, Existing: true}, nil
		}
	}
	st, err := s.check(ctx, req, received)
	if err != nil {
		return Receipt{}, err
	}
	defer st.release()
	up, created, err := s.stage(ctx, id, req, st, received)
	if err != nil {
		return Receipt{}, err
	}
	sum := st.summary()
	upload := wf.Upload{ID: up.ID, SHA256: up.PDF.SHA256, ReceivedAt: received}
	// The workflow starts with an Update that it answers once its first
	// validation is done (Update-with-Start): one round trip, and the
	// receipt gets the deadlines from the workflow, not by polling.
	start := s.temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID:                       wf.SubmissionWorkflowID(id),
		TaskQueue:                s.taskQueue,
		WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
	}, wf.BaseDocumentWorkflow, wf.Input{
		SubmissionID: id,
		Submitter:    wf.Submitter{Organisation: req.Submitter.Organisation, Name: req.Submitter.Name, Email: st.doc.Contact.Email},
		Upload:       upload,
		Summary:      sum,
	})
	settle, err := s.temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{
			UpdateName: wf.UpdateSettled, WaitForStage: client.WorkflowUpdateStageAccepted,
		},
	})
	if err != nil && startedAnyway(ctx, start) {
		// The workflow started; only its answer failed (a worker of an
		// earlier version that has no such Update, during a deployment):
		// the receipt goes without it.
		s.log.WarnContext(ctx, "started without the settle answer", "submission", id, "error", err)
		settle, err = nil, nil
	}
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) && req.IdempotencyKey != "" {
		// A concurrent retry of the same request won: ours is not needed.
		// Its upload may point at the very PDF blob this request created,
		// so the PDF stays; only this request's upload record and metadata go.
		s.discard(ctx, up, false)
		return Receipt{SubmissionID: id, Existing: true}, nil
	}
	if err != nil {
		s.discard(ctx, up, created)
		return Receipt{}, fmt.Errorf("start the procedure: %w", err)
	}
	rc := Receipt{SubmissionID: id, UploadID: up.ID, ReceivedAt: received, Warnings: st.warnings}
	wait, cancel := context.WithTimeout(ctx, SettleWait)
	defer cancel()
	if settle != nil {
		var state wf.State
		if err := settle.Get(wait, &state); err == nil {
			rc.Settled = &state
		} else if ctx.Err() == nil && wait.Err() == nil {
			s.log.WarnContext(ctx, "settle the receipt", "submission", id, "error", err)
		}
	}
	if rc.Settled != nil {
		// The workflow recorded its first steps: the read model has them.
		return rc, nil
	}
	// The read model's first row, so that the submission is listed at once.
	// It is written only when the workflow has not yet written its own
	// first step, which supersedes it; should it fail, that step lists it.
	if err := s.store.PutFirstSubmission(ctx, store.Submission{
		ID: id, Status: string(wf.StatusReceived), Open: true, Turn: string(wf.TurnNone),
		Organisation: req.Submitter.Organisation, SubmitterName: req.Submitter.Name,
		Kind: sum.Kind, Number: sum.Number, DecisionDate: sum.DecisionDate, Title: sum.Title, Records: sum.Records,
		Uploads:    []store.UploadRef{{ID: upload.ID, SHA256: upload.SHA256, ReceivedAt: received}},
		ReceivedAt: received, FirstReceivedAt: received, UpdatedAt: received,
	}); err != nil {
		s.log.WarnContext(ctx, "first read-model row", "submission", id, "error", err)
	}
	return rc, nil
}

// startedAnyway reports whether an Update-with-Start that answered an
// error started its workflow nonetheless: the start operation is resolved
// only when the workflow started.
func startedAnyway(ctx context.Context, start client.WithStartWorkflowOperation) bool {
	ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	run, err := start.Get(ctx)
	return err == nil && run != nil
}

// Correct checks corrected documents and hands them to the submission's
// workflow (R12.2). The workflow's validator refuses them when no
// correction is awaited; the staged upload is then removed again.
func (s *Service) Correct(ctx context.Context, submission string, req Request) (Receipt, wf.DecisionResult, error) {
	received := s.now().UTC()
	st, err := s.check(ctx, req, received)
	if err != nil {
		return Receipt{}, wf.DecisionResult{}, err
	}
	defer st.release()
	up, created, err := s.stage(ctx, submission, req, st, received)
	if err != nil {
		return Receipt{}, wf.DecisionResult{}, err
	}
	h, err := s.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   wf.SubmissionWorkflowID(submission),
		UpdateName:   wf.UpdateCorrect,
		WaitForStage: client.WorkflowUpdateStageCompleted,
		Args: []any{wf.Correction{
			Upload: wf.Upload{ID: up.ID, SHA256: up.PDF.SHA256, ReceivedAt: received},
			By:     req.Submitter.Name,
		}},
	})
	var res wf.DecisionResult
	if err == nil {
		err = h.Get(ctx, &res)
	}
	if err != nil {
		s.discard(ctx, up, created)
		return Receipt{}, res, err
	}
	return Receipt{SubmissionID: submission, UploadID: up.ID, ReceivedAt: received, Warnings: st.warnings}, res, nil
}

// checked is what check learned.
type checked struct {
	doc *documents.BaseDocument
	// pdf is the spooled upload; release closes and removes it.
	pdf      *os.File
	result   *pdfintake.Result
	warnings deficiency.List
	pdfWarns deficiency.List
	// kept is the metadata's validation, kept on the upload (store.IntakeCheck).
	kept *store.IntakeCheck
}

// release closes and removes the spooled PDF.
func (c checked) release() {
	if c.pdf != nil {
		c.pdf.Close()
		os.Remove(c.pdf.Name())
	}
}

func (c checked) summary() wf.Summary {
	return wf.Summary{Kind: string(c.doc.Kind), Number: c.doc.Number, DecisionDate: c.doc.Date.String(), Title: c.doc.Title, Issuer: c.doc.Issuer, Records: c.doc.RecordCount()}
}

// check validates the metadata (fields and register, R10, R11.1, R13.3) and
// the PDF (R13.2); any error is a RejectedError with every deficiency.
func (s *Service) check(ctx context.Context, req Request, received time.Time) (checked, error) {
	today := documents.DateOf(received)
	sub := documents.Submitter{Organisation: req.Submitter.Organisation, Name: req.Submitter.Name}
	doc, fields := s.validator.Fields(req.Metadata, today)
	mark := s.store.RegisterMark()
	reg := s.store.RecordBlocks()
	defs, err := s.validator.Check(ctx, doc, fields, sub, reg)
	if err != nil {
		return checked{}, err
	}
	kept := &store.IntakeCheck{Rules: s.validator.RulesID(), Day: today.String(), Fields: fields,
		Deficiencies: defs, RegisterMark: mark, CheckedAt: s.now().UTC(), Scoped: true, Blocks: reg.Blocks()}
	if doc != nil {
		sum := checked{doc: doc}.summary()
		kept.Summary = &store.IntakeSummary{Kind: sum.Kind, Number: sum.Number, DecisionDate: sum.DecisionDate,
			Title: sum.Title, Issuer: sum.Issuer, Records: sum.Records}
	}
	if len(fields) > s.validator.Policy().Limits.MaxDeficiencies {
		kept.Fields = nil // too many to keep: the workflow validates in full
		kept.Rules = ""
	}
	defs = defs.Prefix("metadata")
	// The PDF is checked against the kind's policy and, for a warning
	// when its text does not show them, the metadata's number and date.
	var expect pdfintake.Expect
	if doc != nil {
		expect = pdfintake.Expect{
			RequireSignature:     s.validator.Policy().RequiresSignature(doc.Kind),
			ActiveContentWarning: s.activeWarn[doc.Kind],
			Number:               doc.Number,
			Date:                 doc.Date.Time(),
		}
	}
	// The PDF is spooled to disk (at most one byte over the limit, which
	// the check then refuses), checked from there by the child process and
	// stored from there: a burst of large uploads does not grow the server.
	pdf, err := os.CreateTemp("", "alusdok-upload-*.pdf")
	if err != nil {
		return checked{}, fmt.Errorf("spool the document: %w", err)
	}
	c := checked{doc: doc, pdf: pdf, kept: kept}
	if _, err := io.Copy(pdf, io.LimitReader(req.PDF, s.pdf.MaxBytes()+1)); err != nil {
		c.release()
		return checked{}, fmt.Errorf("read the document: %w", err)
	}
	res, pdfDefs, err := s.pdf.InspectFile(ctx, pdf, expect)
	if err != nil {
		c.release()
		return checked{}, fmt.Errorf("check the document: %w", err)
	}
	all := append(defs, pdfDefs...)
	if all.HasErrors() || doc == nil {
		c.release()
		return checked{}, &RejectedError{Deficiencies: all}
	}
	c.result, c.warnings, c.pdfWarns = res, all.Warnings(), pdfDefs.Warnings()
	return c, nil
}

// stage stores the PDF (once per content) and the metadata, and records the
// upload. It reports whether the PDF blob was created by this call.
func (s *Service) stage(ctx context.Context, submission string, req Request, c checked, received time.Time) (store.Upload, bool, error) {
	uploadID := newUploadID(submission, c.result.SHA256, received)
	up := store.Upload{
		ID: uploadID, SubmissionID: submission, Organisation: req.Submitter.Organisation, Submitter: req.Submitter.Name,
		DocumentBlob: store.DocumentBlobID(c.result.SHA256), MetadataBlob: store.MetadataBlobID(uploadID),
		Filename: req.Filename, PDF: *c.result, PDFDeficiencies: c.pdfWarns, ReceivedAt: received, Intake: c.kept,
	}
	// Every stored file carries its retention date from the start (R4.2);
	// a PDF already stored by another submission keeps the later date.
	until := s.retention.Until(string(c.doc.Kind), c.doc.Date.Time())
	_, created, err := s.store.PutBlob(ctx, store.BucketDocuments, up.DocumentBlob, req.Filename, io.NewSectionReader(c.pdf, 0, c.result.Size),
		store.BlobMeta{SHA256: c.result.SHA256, ContentType: "application/pdf", Kind: string(c.doc.Kind), Submission: submission, RetainUntil: until}, received)
	if err != nil {
		return up, false, fmt.Errorf("store the document: %w", err)
	}
	if err := s.store.PutUploadMetadata(ctx, up, req.Metadata,
		store.BlobMeta{ContentType: "application/json", Kind: "metadata", Submission: submission, RetainUntil: until}, received); err != nil {
		s.discard(ctx, up, created)
		return up, false, fmt.Errorf("store the metadata: %w", err)
	}
	if err := s.store.PutUpload(ctx, up); err != nil {
		s.discard(ctx, up, created)
		return up, false, fmt.Errorf("store the upload: %w", err)
	}
	// The submission's place in the retention procedure (R18). A row of a
	// request that never starts its workflow is skipped by the procedure
	// (it has no submission).
	if err := s.store.HoldForRetention(ctx, store.RetentionRow{ID: submission, Kind: string(c.doc.Kind), Number: c.doc.Number,
		DecisionDate: c.doc.Date.String(), RetainUntil: until, UpdatedAt: received}); err != nil {
		s.discard(ctx, up, created)
		return up, false, fmt.Errorf("hold for retention: %w", err)
	}
	return up, created, nil
}

// discard removes a staged upload that did not reach a workflow, so that a
// failed request leaves nothing behind.
func (s *Service) discard(ctx context.Context, up store.Upload, pdfCreated bool) {
	if err := s.store.DeleteUpload(context.WithoutCancel(ctx), up, pdfCreated); err != nil {
		s.log.WarnContext(ctx, "discard staged upload", "upload", up.ID, "error", err)
	}
}

// submissionID is derived from the organisation and the idempotency key when
// there is one (a retried request finds its submission), else random.
func submissionID(org, key string) string {
	if key == "" {
		return randomID()
	}
	sum := sha256.Sum256([]byte("alusdok/submission/v1\x00" + org + "\x00" + key))
	return hex.EncodeToString(sum[:10])
}

func newUploadID(submission, sha string, received time.Time) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%d", submission, sha, received.UnixNano())))
	return hex.EncodeToString(sum[:10])
}
