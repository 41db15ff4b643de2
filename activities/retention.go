package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/notices"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// ListForRetention lists for a supervisor, in the batch, the base documents
// whose retention date has passed (R18): documents of submissions whose
// procedure has ended, each in one batch only. A retry answers the same
// list. Each listing is logged (R17).
func (a *Activities) ListForRetention(ctx context.Context, in wf.ListForRetentionInput) ([]wf.RetentionItem, error) {
	defer heartbeatWhileRunning(ctx)()
	if err := a.backfillRetention(ctx, in.Now); err != nil {
		return nil, err
	}
	listed, err := a.Store.RetentionRows(ctx, store.RetentionListed, time.Time{})
	if err != nil {
		return nil, err
	}
	var items []wf.RetentionItem
	ended := map[string]bool{} // batches that no longer run
	for _, r := range listed {
		if r.Batch == in.Batch {
			items = append(items, retentionItem(r))
			continue
		}
		// A row listed by a batch that was terminated would wait for ever:
		// this batch takes it over.
		gone, ok := ended[r.Batch]
		if !ok {
			gone = a.batchEnded(ctx, r.Batch)
			ended[r.Batch] = gone
		}
		if !gone || len(items) >= in.Limit {
			continue
		}
		moved, err := a.Store.RelistForRetention(ctx, r.ID, r.Batch, in.Batch, in.Now)
		if err != nil {
			return nil, err
		}
		if moved {
			a.Log.InfoContext(ctx, "retention item taken over from an ended batch", "submission", r.ID, "from", r.Batch, "batch", in.Batch)
			items = append(items, retentionItem(r))
		}
	}
	fresh := 0 // listed by this attempt
	due, err := a.Store.RetentionRows(ctx, store.RetentionHeld, in.Now)
	if err != nil {
		return nil, err
	}
	for _, r := range due {
		if len(items) >= in.Limit {
			break
		}
		sub, err := a.Store.Submission(ctx, r.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue // a request that never started its procedure
		}
		if err != nil {
			return nil, err
		}
		if sub.Open {
			continue // still in the procedure
		}
		ok, err := a.Store.ListForRetention(ctx, r.ID, in.Batch, in.Now)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // another batch listed it
		}
		if err := a.logRetention(ctx, sub, in.Batch+"/listed", audit.ActorSystem, "listed for retention",
			fmt.Sprintf("Säilitustähtaeg %s möödus; ootab järelevaataja otsust (partii %s).", r.RetainUntil.Format(time.DateOnly), in.Batch), in.Now); err != nil {
			return nil, err
		}
		r.State, r.Batch = store.RetentionListed, in.Batch
		items = append(items, retentionItem(r))
		fresh++
	}
	a.Log.InfoContext(ctx, "retention batch listed", "batch", in.Batch, "items", len(items), "new", fresh)
	if fresh > 0 {
		a.tellSupervisors(ctx, in.Batch, fresh)
	}
	return items, nil
}

// tellSupervisors e-mails the supervisors' mailbox that documents wait for
// their retention decision. Sent when this attempt listed them, so a retry
// does not send it again; a failure is logged, not retried: the list is in
// the API.
func (a *Activities) tellSupervisors(ctx context.Context, batch string, n int) {
	to := a.AlarmTo[wf.AlarmEscalation]
	if to == "" || a.Mailer == nil {
		return
	}
	subject := fmt.Sprintf("Säilitustähtaeg möödas: %d alusdokumenti ootavad otsust", n)
	body := fmt.Sprintf("%d alusdokumendi säilitustähtaeg on möödas. Otsustage, kas need arhiveerida, hävitada või säilitada kauem (partii %s, GET /api/v1/retention).\n\n"+
		"Retention: %d base documents are past their retention date and wait for your decision to archive, destroy or keep them (batch %s).\n", n, batch, n, batch)
	if err := a.Mailer.Send(ctx, notices.Message{To: to, Subject: subject, Body: body}); err != nil {
		a.Log.WarnContext(ctx, "retention batch mail not sent", "batch", batch, "error", err)
	}
}

// backfillRetention dates what was stored before every file got its date:
// a submission without a retention row gets one, and an undated file the
// date of the submission it belongs to (files of no submission are the
// janitor's). Idempotent; nothing to do once everything is dated.
func (a *Activities) backfillRetention(ctx context.Context, now time.Time) error {
	u, err := a.Store.FindUndated(ctx)
	if err != nil {
		return err
	}
	until := map[string]time.Time{}
	for _, sub := range u.Submissions {
		date, _ := time.Parse(time.DateOnly, sub.DecisionDate)
		t := a.Retention.Until(sub.Kind, date)
		until[sub.ID] = t
		if err := a.Store.HoldForRetention(ctx, store.RetentionRow{ID: sub.ID, Kind: sub.Kind, Number: sub.Number,
			DecisionDate: sub.DecisionDate, RetainUntil: t, UpdatedAt: now}); err != nil {
			return err
		}
	}
	dated := 0
	for _, b := range u.Blobs {
		owner := b.Metadata.Submission
		if owner == "" {
			continue
		}
		t, ok := until[owner]
		if !ok {
			r, err := a.Store.Retention(ctx, owner)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			t = r.RetainUntil
		}
		kind := b.Metadata.Kind
		if err := a.Store.RetainBlob(ctx, store.BucketDocuments, b.ID, t, kind, owner); err != nil {
			return err
		}
		dated++
	}
	if len(u.Submissions) > 0 || dated > 0 {
		a.Log.InfoContext(ctx, "retention dates backfilled", "submissions", len(u.Submissions), "files", dated)
	}
	return nil
}

// batchEnded reports whether a retention batch's workflow has closed
// (terminated, or failed) without deciding what it listed. Without a
// Temporal client, or when Temporal cannot say, it is taken to run.
func (a *Activities) batchEnded(ctx context.Context, batch string) bool {
	if a.Temporal == nil {
		return false
	}
	d, err := a.Temporal.DescribeWorkflowExecution(ctx, batch, "")
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return true
	}
	if err != nil {
		return false
	}
	return d.GetWorkflowExecutionInfo().GetStatus() != enums.WORKFLOW_EXECUTION_STATUS_RUNNING
}

func retentionItem(r store.RetentionRow) wf.RetentionItem {
	return wf.RetentionItem{SubmissionID: r.ID, Kind: r.Kind, Number: r.Number, DecisionDate: r.DecisionDate, RetainUntil: r.RetainUntil}
}

// Retain carries out a supervisor's decision on one listed base document:
// keep it until a new date, archive it (a self-contained package in
// ArchiveDir, then removed here) or destroy it (removed, a tombstone with
// the hashes of its files kept). A certificate its holder still needs (valid
// today) is never removed. Every step is logged (R17); a retry finishes
// what an attempt began and writes nothing twice.
func (a *Activities) Retain(ctx context.Context, in wf.RetainInput) (wf.RetainResult, error) {
	defer heartbeatWhileRunning(ctx)()
	d := in.Decision
	row, err := a.Store.Retention(ctx, in.SubmissionID)
	if err != nil {
		return wf.RetainResult{}, permanentIfMissing(err)
	}
	switch {
	case row.State == store.RetentionArchived || row.State == store.RetentionDestroyed:
		return wf.RetainResult{Outcome: row.State}, nil
	case row.Batch != in.Batch:
		return wf.RetainResult{}, temporal.NewNonRetryableApplicationError("submission "+in.SubmissionID+" is not listed in batch "+in.Batch, "not-listed", nil)
	}
	sub, err := a.Store.Submission(ctx, in.SubmissionID)
	if err != nil {
		return wf.RetainResult{}, permanentIfMissing(err)
	}
	if d.Action == wf.RetentionKeep {
		if row.State == store.RetentionListed {
			if err := a.Store.KeepLonger(ctx, sub.ID, in.Batch, d.KeepUntil, d.Reason, d.By, d.At); err != nil {
				return wf.RetainResult{}, err
			}
		}
		until := d.KeepUntil.UTC().Format(time.DateOnly)
		err := a.logRetention(ctx, sub, in.Batch+"/kept", d.By, "kept longer",
			fmt.Sprintf("Säilitatakse kuni %s. Põhjus: %s", until, d.Reason), d.At)
		return wf.RetainResult{Outcome: "kept until " + until}, err
	}

	t, err := a.Store.TombstoneOf(ctx, sub.ID)
	if errors.Is(err, store.ErrNotFound) {
		t, err = a.tombstone(ctx, sub, row, in.Batch, d)
		if err == nil {
			err = a.Store.PutTombstone(ctx, t)
		}
	}
	if err != nil {
		return wf.RetainResult{}, err
	}
	if err := a.remove(ctx, sub, t); err != nil {
		return wf.RetainResult{}, err
	}
	state, action := store.RetentionDestroyed, "destroyed"
	detail := fmt.Sprintf("Hävitatud %d faili (SHA-256 säilitatud); eemaldatud kirjed: %d; alles jäetud kehtivad kutsetunnistused: %d.", len(t.Files), len(t.Removed), len(t.Kept))
	if t.Action == string(wf.RetentionArchive) {
		state, action = store.RetentionArchived, "archived"
		detail = fmt.Sprintf("Arhiveeritud pakett %s (%d faili, manifest SHA-256); eemaldatud kirjed: %d; alles jäetud kehtivad kutsetunnistused: %d.", t.Package, len(t.Files), len(t.Removed), len(t.Kept))
	}
	if err := a.logRetention(ctx, sub, in.Batch+"/"+action, d.By, action, detail, d.At); err != nil {
		return wf.RetainResult{}, err
	}
	if err := a.Store.SetRetentionState(ctx, sub.ID, state, d.By, d.At); err != nil {
		return wf.RetainResult{}, err
	}
	a.Log.InfoContext(ctx, "retention carried out", "submission", sub.ID, "action", action, "files", len(t.Files))
	return wf.RetainResult{Outcome: state}, nil
}

// material is one file of a submission's documents.
type material struct {
	name string
	blob string
	data []byte
}

// tombstone gathers what is removed (for an archive: after writing the
// package) and what is kept.
func (a *Activities) tombstone(ctx context.Context, sub store.Submission, row store.RetentionRow, batch string, d wf.RetentionDecision) (store.Tombstone, error) {
	files, err := a.materials(ctx, sub)
	if err != nil {
		return store.Tombstone{}, err
	}
	removed, kept, expired, err := a.certificatesOf(ctx, sub, d.At)
	if err != nil {
		return store.Tombstone{}, err
	}
	t := store.Tombstone{ID: sub.ID, Action: string(d.Action), Kind: sub.Kind, Number: sub.Number, DecisionDate: sub.DecisionDate,
		Removed: removed, Kept: kept, By: d.By, At: d.At}
	if t.Removed == nil {
		t.Removed = []string{}
	}
	if t.Kept == nil {
		t.Kept = []string{}
	}
	if d.Action == wf.RetentionArchive {
		entries, err := a.logOf(ctx, sub.ID)
		if err != nil {
			return t, err
		}
		files = append(files, material{name: "processing-log.json", data: entries})
		if len(expired) > 0 {
			recs, err := json.MarshalIndent(expired, "", "  ")
			if err != nil {
				return t, err
			}
			files = append(files, material{name: "records.json", data: recs})
		}
		if t.Package, err = a.writePackage(sub, row, files); err != nil {
			return t, err
		}
	}
	for _, f := range files {
		sum := sha256.Sum256(f.data)
		t.Files = append(t.Files, store.TombstoneFile{Name: f.name, Blob: f.blob, SHA256: hex.EncodeToString(sum[:]), Length: int64(len(f.data))})
	}
	return t, nil
}

// materials reads every stored file of a submission: its documents (each
// upload's PDF and metadata), the stamped rendition, its notices.
func (a *Activities) materials(ctx context.Context, sub store.Submission) ([]material, error) {
	var out []material
	seen := map[string]bool{}
	add := func(name, blob string, optional bool) error {
		if seen[blob] {
			return nil
		}
		data, _, err := a.Store.ReadBlob(ctx, store.BucketDocuments, blob)
		if errors.Is(err, store.ErrNotFound) && optional {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		seen[blob] = true
		out = append(out, material{name: name, blob: blob, data: data})
		return nil
	}
	for i, u := range sub.Uploads {
		up, err := a.Store.Upload(ctx, u.ID)
		if err != nil {
			return nil, fmt.Errorf("upload %s: %w", u.ID, err)
		}
		suffix := ""
		if len(sub.Uploads) > 1 {
			suffix = "-" + strconv.Itoa(i+1)
		}
		if err := add("document"+suffix+".pdf", up.DocumentBlob, false); err != nil {
			return nil, err
		}
		if err := add("metadata"+suffix+".json", up.MetadataBlob, false); err != nil {
			return nil, err
		}
	}
	if err := add("rendition.pdf", store.RenditionBlobID(sub.ID), true); err != nil {
		return nil, err
	}
	for _, n := range sub.Notices {
		rec, err := a.Store.Notice(ctx, sub.ID, n.Seq)
		if err != nil {
			return nil, fmt.Errorf("notice %d: %w", n.Seq, err)
		}
		if err := add(fmt.Sprintf("notices/%d-%s.pdf", n.Seq, rec.Type), rec.Blob, false); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// certificatesOf sorts the certificates the submission entered into those
// that go (not valid on the day of the decision) and those a holder still
// needs (valid), and returns the records that go.
func (a *Activities) certificatesOf(ctx context.Context, sub store.Submission, at time.Time) (removed, kept []string, expired []store.Record[documents.Certificate], err error) {
	if sub.Status != string(wf.StatusEntered) || len(sub.Uploads) == 0 {
		return nil, nil, nil, nil
	}
	up, err := a.Store.Upload(ctx, sub.Uploads[len(sub.Uploads)-1].ID)
	if err != nil {
		return nil, nil, nil, err
	}
	raw, err := a.Store.UploadMetadata(ctx, up)
	if err != nil {
		return nil, nil, nil, err
	}
	doc, _ := documents.DecodeBytes(raw, a.Validator.Policy().Limits.MaxBytes)
	if doc == nil {
		return nil, nil, nil, nil
	}
	today := documents.DateOf(at)
	for _, c := range doc.Payload.Certificates {
		r, err := a.Store.Certificate(ctx, c.Key())
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, nil, err
		}
		if r.Submission != sub.ID {
			continue // another entry's record
		}
		if r.Data.ValidOn(today) {
			kept = append(kept, r.ID)
			continue
		}
		removed = append(removed, r.ID)
		expired = append(expired, r)
	}
	return removed, kept, expired, nil
}

// logOf is the submission's processing-log entries as JSON.
func (a *Activities) logOf(ctx context.Context, submission string) ([]byte, error) {
	var all []audit.Entry
	var after int64
	for {
		page, err := a.Audit.List(ctx, audit.Filter{SubmissionID: submission}, audit.Page{After: after, Limit: audit.MaxLimit})
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < audit.MaxLimit {
			break
		}
		after = page[len(page)-1].Seq
	}
	if all == nil {
		all = []audit.Entry{}
	}
	return json.MarshalIndent(all, "", "  ")
}

// manifest lists an archive package's files with their SHA-256.
type manifest struct {
	Submission   string          `json:"submission"`
	Kind         string          `json:"kind"`
	Number       string          `json:"number"`
	DecisionDate string          `json:"decisionDate"`
	RetainUntil  string          `json:"retainUntil"`
	Files        []manifestEntry `json:"files"`
}

type manifestEntry struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Length int    `json:"length"`
}

// ManifestName is the file in an archive package that lists the others.
const ManifestName = "manifest.json"

// writePackage writes the package into a temporary directory, reads it
// back against the hashes, and renames it into place: a package in
// ArchiveDir is whole. A package already in place (an earlier attempt) is
// checked and kept.
func (a *Activities) writePackage(sub store.Submission, row store.RetentionRow, files []material) (string, error) {
	if a.ArchiveDir == "" {
		return "", temporal.NewNonRetryableApplicationError("no archive directory is configured (--archive-dir)", "no-archive", nil)
	}
	final := filepath.Join(a.ArchiveDir, sub.ID)
	m := manifest{Submission: sub.ID, Kind: sub.Kind, Number: sub.Number, DecisionDate: sub.DecisionDate, RetainUntil: row.RetainUntil.Format(time.DateOnly)}
	for _, f := range files {
		sum := sha256.Sum256(f.data)
		m.Files = append(m.Files, manifestEntry{Name: f.name, SHA256: hex.EncodeToString(sum[:]), Length: len(f.data)})
	}
	if err := VerifyPackage(final); err == nil {
		return final, nil
	}
	tmp := final + ".partial"
	if err := os.RemoveAll(tmp); err != nil {
		return "", err
	}
	write := func(name string, data []byte) error {
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			return err
		}
		f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	for _, f := range files {
		if err := write(f.name, f.data); err != nil {
			return "", fmt.Errorf("archive package: %w", err)
		}
	}
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return "", err
	}
	if err := write(ManifestName, mj); err != nil {
		return "", fmt.Errorf("archive package: %w", err)
	}
	if err := VerifyPackage(tmp); err != nil {
		return "", err
	}
	if err := os.RemoveAll(final); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", fmt.Errorf("archive package: %w", err)
	}
	return final, nil
}

// VerifyPackage reads an archive package's manifest and checks every file
// it lists against its SHA-256.
func VerifyPackage(dir string) error {
	raw, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return err
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	if len(m.Files) == 0 {
		return errors.New("manifest lists no files")
	}
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Name)))
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != f.SHA256 {
			return fmt.Errorf("%s: SHA-256 differs from the manifest", f.Name)
		}
	}
	return nil
}

// remove deletes what the tombstone names: the stored files (a PDF another
// submission still uses only loses this submission from its list), the
// notice and upload records, and the certificates no holder needs.
func (a *Activities) remove(ctx context.Context, sub store.Submission, t store.Tombstone) error {
	for _, f := range t.Files {
		if f.Blob == "" {
			continue
		}
		shared, err := a.Store.BlobUsedElsewhere(ctx, f.Blob, sub.ID)
		if err != nil {
			return err
		}
		if shared {
			err = a.Store.ReleaseBlob(ctx, store.BucketDocuments, f.Blob, sub.ID)
		} else {
			err = a.Store.DeleteBlob(ctx, store.BucketDocuments, f.Blob)
		}
		if err != nil {
			return err
		}
	}
	for _, n := range sub.Notices {
		if err := a.Store.DeleteNotice(ctx, store.NoticeID(sub.ID, n.Seq)); err != nil {
			return err
		}
	}
	for _, id := range t.Removed {
		k, ok := certificateKeyOf(id)
		if !ok {
			continue
		}
		r, err := a.Store.Certificate(ctx, k)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if r.Data.ValidOn(documents.DateOf(t.At)) {
			continue // never while valid
		}
		if err := a.Store.DeleteCertificate(ctx, r); err != nil {
			return err
		}
	}
	for _, u := range sub.Uploads {
		if err := a.Store.DeleteUploadRecord(ctx, u.ID); err != nil {
			return err
		}
	}
	for n := 1; n <= sub.DeficiencySets; n++ {
		if err := a.Store.DeleteDeficiencies(ctx, wf.DeficiencySetRef(sub.ID, n)); err != nil {
			return err
		}
	}
	return nil
}

// certificateKeyOf reads a certificate's _id back ("1-214001").
func certificateKeyOf(id string) (documents.CertificateKey, bool) {
	i := slices.Index([]byte(id), '-')
	if i <= 0 {
		return documents.CertificateKey{}, false
	}
	n, err := strconv.Atoi(id[:i])
	if err != nil {
		return documents.CertificateKey{}, false
	}
	return documents.CertificateKey{Type: documents.CertificateType(n), Number: id[i+1:]}, true
}

// logRetention appends one step of the retention procedure to the
// processing log (R17), idempotent by key.
func (a *Activities) logRetention(ctx context.Context, sub store.Submission, key, actor, action, detail string, at time.Time) error {
	_, err := a.Audit.Append(ctx, audit.Entry{
		Key:              "retention/" + sub.ID + "/" + key,
		SubmissionID:     sub.ID,
		SubmitterName:    sub.SubmitterName,
		DocumentKind:     sub.Kind,
		DocumentKindName: kindName(sub.Kind),
		DocumentNumber:   sub.Number,
		DocumentDate:     sub.DecisionDate,
		Actor:            actor,
		Action:           action,
		Detail:           detail,
		Time:             at,
	})
	if errors.Is(err, audit.ErrInvalid) || errors.Is(err, audit.ErrCorrupt) {
		return temporal.NewNonRetryableApplicationError(err.Error(), "invalid-log-entry", err)
	}
	return err
}
