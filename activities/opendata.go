package activities

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"

	"github.com/kutsekoda/alusdok/opendata"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// OpenDataOptions configure the export.
type OpenDataOptions struct {
	BaseURL string // where the API serves the latest files (DCAT-AP's download URLs)
}

func isNotFoundErr(err error) bool {
	var nf *serviceerror.NotFound
	return errors.As(err, &nf)
}

// VersionID is the id of the version made at t.
func VersionID(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// Export writes one immutable version of the open data (SPEC.md "Open
// data"): the six datasets in XML, JSON and CSV, each XSD, the explanatory
// document and the DCAT-AP catalogue, every file streamed from the store's
// cursors through its encoder into storage, with its SHA-256. Hidden
// certificates and records under review (R14.1) are left out. Versions
// beyond in.Keep are removed, oldest first.
func (a *Activities) Export(ctx context.Context, in wf.ExportRequest) (wf.ExportResult, error) {
	defer heartbeatWhileRunning(ctx)()
	version := VersionID(in.At)
	if v, err := a.Store.OpenDataVersion(ctx, version); err == nil {
		return a.prune(ctx, v, in.Keep)
	} else if !errors.Is(err, store.ErrNotFound) {
		return wf.ExportResult{}, err
	}
	v, err := ExportVersion(ctx, a.Store, version, in.At, in.MinCell, a.OpenData.BaseURL)
	if err != nil {
		return wf.ExportResult{}, err
	}
	a.Log.InfoContext(ctx, "open data exported", "version", v.ID, "files", len(v.Files),
		"certificates", v.Certificates, "suppressed", v.Suppressed)
	return a.prune(ctx, v, in.Keep)
}

func (a *Activities) prune(ctx context.Context, v store.OpenDataVersion, keep int) (wf.ExportResult, error) {
	res := wf.ExportResult{Version: v.ID, Files: len(v.Files)}
	for _, f := range v.Files {
		res.Bytes += f.Length
	}
	if keep <= 0 {
		keep = 30
	}
	all, err := a.Store.OpenDataVersions(ctx)
	if err != nil {
		return res, err
	}
	for i := keep; i < len(all); i++ {
		if all[i].ID == v.ID {
			continue
		}
		if err := a.Store.DeleteOpenDataVersion(ctx, all[i].ID); err != nil {
			return res, err
		}
		res.Removed++
	}
	return res, nil
}

// ExportVersion writes one version made at at with id version. It is the
// export without Temporal, for `alusdok opendata export` and the benchmark.
func ExportVersion(ctx context.Context, st *store.Store, version string, at time.Time, minCell int, baseURL string) (store.OpenDataVersion, error) {
	if minCell <= 0 {
		minCell = 3
	}
	marks, err := st.ReviewMarks(ctx)
	if err != nil {
		return store.OpenDataVersion{}, err
	}
	out := store.OpenDataVersion{ID: version, CreatedAt: at.UTC()}
	put := func(name, ct string, write func(io.Writer) error) error {
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(write(pw)) }()
		f, err := st.PutOpenDataFile(ctx, version, name, ct, pr, at)
		pr.CloseWithError(err)
		if err != nil {
			return fmt.Errorf("open data %s: %w", name, err)
		}
		out.Files = append(out.Files, f)
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, name)
		}
		return nil
	}

	standards, err := st.Standards(ctx)
	if err != nil {
		return out, err
	}
	standards = visible(standards, store.CollStandards, marks)
	bodies, err := st.AwardingBodies(ctx)
	if err != nil {
		return out, err
	}
	bodies = visible(bodies, store.CollAwardingBodies, marks)
	councils, err := st.Councils(ctx)
	if err != nil {
		return out, err
	}
	councils = visible(councils, store.CollCouncils, marks)

	// The certificates: one pass over a cursor into counts.
	stats := opendata.NewStats()
	n := 0
	err = st.EachCertificateCell(ctx, func(c *store.CertificateCell) error {
		if c.Data.HideCertificate || marks[store.ReviewKey(store.CollCertificates, c.ID)] {
			return nil
		}
		stats.Add(&c.Data)
		n++
		if n%50000 == 0 && activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, n)
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	titles := map[string]string{}
	for _, s := range standards {
		titles[opendata.StandardKey(s.Data.ID, s.Data.Version)] = s.Data.Title
	}
	names := map[string]string{}
	for _, b := range bodies {
		names[b.Data.RegistryCode] = b.Data.Name
	}
	statRows, suppressed := stats.Rows(minCell, titles, names)
	out.Certificates, out.Suppressed = n, suppressed

	rows := map[string]func(emit func(opendata.Row) error) error{
		opendata.Qualifications: func(emit func(opendata.Row) error) error { return each(statRows, emit) },
		opendata.Standards: func(emit func(opendata.Row) error) error {
			for _, s := range standards {
				if err := emit(opendata.StandardRow(s.Data)); err != nil {
					return err
				}
			}
			return nil
		},
		opendata.Competences: func(emit func(opendata.Row) error) error {
			for _, s := range standards {
				if err := each(opendata.CompetenceRows(s.Data), emit); err != nil {
					return err
				}
			}
			return nil
		},
		opendata.AwardingBodies: func(emit func(opendata.Row) error) error {
			for _, b := range bodies {
				if err := emit(opendata.AwardingBodyRow(b.Data)); err != nil {
					return err
				}
			}
			return nil
		},
		opendata.Councils: func(emit func(opendata.Row) error) error {
			for _, c := range councils {
				if err := emit(opendata.CouncilRow(c.Data)); err != nil {
					return err
				}
			}
			return nil
		},
		opendata.Classifier: func(emit func(opendata.Row) error) error { return each(opendata.ClassifierRows(), emit) },
	}
	for _, d := range opendata.Datasets {
		for _, f := range opendata.Formats {
			err := put(d.ID+"."+string(f), f.ContentType(), func(w io.Writer) error {
				enc, err := opendata.NewEncoder(f, w, d, version)
				if err != nil {
					return err
				}
				if err := rows[d.ID](enc.Row); err != nil {
					return err
				}
				return enc.Close()
			})
			if err != nil {
				return out, err
			}
		}
		if err := put(d.ID+".xsd", "application/xml", d.XSD); err != nil {
			return out, err
		}
	}
	if err := put("selgitus.md", "text/markdown; charset=utf-8", func(w io.Writer) error { return opendata.Explain(w, version) }); err != nil {
		return out, err
	}
	files := make([]opendata.File, len(out.Files))
	for i, f := range out.Files {
		files[i] = opendata.File{Name: f.Name, ContentType: f.ContentType, SHA256: f.SHA256, Length: f.Length}
	}
	var cat bytes.Buffer
	if err := opendata.DCAT(&cat, baseURL, at, files); err != nil {
		return out, err
	}
	if err := put("dcat.rdf", "application/rdf+xml", func(w io.Writer) error { _, err := w.Write(cat.Bytes()); return err }); err != nil {
		return out, err
	}
	return out, st.PutOpenDataVersion(ctx, out)
}

func each(rows []opendata.Row, emit func(opendata.Row) error) error {
	for _, r := range rows {
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

// visible leaves out the records under review (R14.1).
func visible[T any](recs []store.Record[T], coll string, marks map[string]bool) []store.Record[T] {
	if len(marks) == 0 {
		return recs
	}
	out := recs[:0:0]
	for _, r := range recs {
		if !marks[store.ReviewKey(coll, r.ID)] {
			out = append(out, r)
		}
	}
	return out
}
