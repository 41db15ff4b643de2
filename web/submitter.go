package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	wf "github.com/kutsekoda/alusdok/workflows"
)

const maxMetadataUpload = 16 << 20 // the API's bound on the metadata part

// uploadErrRow is one deficiency of a refused upload, at its place: a
// certificate's row (anchor row-N, N from 1) or a field of the form.
type uploadErrRow struct {
	Anchor  string
	Row     int // certificate number in the list (1-based); 0: not a certificate
	Line    int // CSV line (1 is the header); 0 for JSON
	Number  string
	Column  string
	Message string
}

type uploadData struct {
	Key     string // the form's idempotency key
	CSV     bool
	Form    map[string]string
	Rows    []uploadErrRow
	Warning []string
}

func (w *Web) submitPage(c *gin.Context) {
	w.render(c, http.StatusOK, "submit.html", "submit.title", uploadData{Key: randomToken(), Form: map[string]string{}})
}

func (w *Web) submitCSVPage(c *gin.Context) {
	w.render(c, http.StatusOK, "submit.html", "submit.csv-title", uploadData{Key: randomToken(), CSV: true, Form: map[string]string{}})
}

func (w *Web) csvTemplate(c *gin.Context) {
	c.Header("Content-Disposition", `attachment; filename="kutsetunnistused.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", csvTemplate())
}

// submit receives a PDF and its metadata JSON.
func (w *Web) submit(c *gin.Context) {
	lang := language(c)
	d := uploadData{Key: randomToken(), Form: map[string]string{}}
	meta, errs := metadataFile(c, lang)
	w.receive(c, d, meta, errs)
}

// submitCSV receives a committee decision's PDF, its header fields and its
// certificates as CSV.
func (w *Web) submitCSV(c *gin.Context) {
	lang := language(c)
	h := csvHeader{Number: c.PostForm("number"), Date: c.PostForm("date"), Issuer: c.PostForm("issuer"),
		Title: c.PostForm("title"), ContactName: c.PostForm("contactName"), ContactEmail: c.PostForm("contactEmail"),
		ContactPhone: c.PostForm("contactPhone")}
	d := uploadData{Key: randomToken(), CSV: true, Form: map[string]string{"number": h.Number, "date": h.Date, "issuer": h.Issuer,
		"title": h.Title, "contactName": h.ContactName, "contactEmail": h.ContactEmail, "contactPhone": h.ContactPhone}}
	var errs []fieldError
	var meta []byte
	fh, err := c.FormFile("certificates")
	if err != nil {
		errs = append(errs, fieldError{Field: "certificates", Message: translate(lang, "upload.csv-missing")})
	} else if f, err := fh.Open(); err == nil {
		meta, err = csvToMetadata(h, f)
		f.Close()
		var cp *csvProblem
		if errors.As(err, &cp) {
			errs = append(errs, fieldError{Field: "certificates", Message: translate(lang, cp.Key, cp.Row, cp.Arg)})
		} else if err != nil {
			w.internalError(c, err)
			return
		}
	}
	w.receive(c, d, meta, errs)
}

func metadataFile(c *gin.Context, lang string) ([]byte, []fieldError) {
	fh, err := c.FormFile("metadata")
	if err != nil {
		return nil, []fieldError{{Field: "metadata", Message: translate(lang, "upload.metadata-missing")}}
	}
	b, err := readPart(fh, maxMetadataUpload)
	if err != nil {
		return nil, []fieldError{{Field: "metadata", Message: translate(lang, "upload.metadata-missing")}}
	}
	return b, nil
}

func readPart(fh *multipart.FileHeader, limit int64) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = fmt.Errorf("larger than %d bytes", limit)
	}
	return b, err
}

// receive hands the upload to intake and answers: the submission's page,
// or the form again with every deficiency at its place (nothing stored).
func (w *Web) receive(c *gin.Context, d uploadData, meta []byte, errs []fieldError) {
	lang := language(c)
	p := principal(c)
	fh, err := c.FormFile("document")
	if err != nil {
		errs = append(errs, fieldError{Field: "document", Message: translate(lang, "upload.pdf-missing")})
	}
	page := "submit.title"
	if d.CSV {
		page = "submit.csv-title"
	}
	if len(errs) > 0 {
		pg := w.newPage(c, page, d)
		pg.Errors = errs
		w.renderPage(c, http.StatusUnprocessableEntity, "submit.html", pg)
		return
	}
	f, err := fh.Open()
	if err != nil {
		w.internalError(c, err)
		return
	}
	defer f.Close()
	key := c.PostForm("idempotency_key")
	if len(key) > 100 {
		key = ""
	}
	id, _, err := w.b.Submit(c.Request.Context(), UploadRequest{Organisation: p.Organisation, Name: p.Name,
		PDF: f, Filename: fh.Filename, Metadata: meta, IdempotencyKey: key})
	var rej *RejectedError
	if errors.As(err, &rej) {
		pg := w.newPage(c, page, d)
		pg.Errors, d.Rows = placeDeficiencies(lang, rej.Deficiencies, meta, d.CSV)
		pg.Data = d
		w.renderPage(c, http.StatusUnprocessableEntity, "submit.html", pg)
		return
	}
	if err != nil {
		w.internalError(c, err)
		return
	}
	w.settleNew(c, id)
	c.Redirect(http.StatusSeeOther, "/taotlus/"+id)
}

// placeDeficiencies puts each deficiency where the submitter sees it: a
// certificate's row (for CSV, its line in the file), or a field of the form.
func placeDeficiencies(lang string, defs deficiency.List, meta []byte, isCSV bool) ([]fieldError, []uploadErrRow) {
	var numbers []string
	if doc, _ := documents.DecodeBytes(meta, maxMetadataBytes); doc != nil {
		for _, c := range doc.Payload.Certificates {
			numbers = append(numbers, c.Number)
		}
	}
	var summary []fieldError
	var rows []uploadErrRow
	for _, def := range defs {
		if def.Severity != deficiency.Error {
			continue
		}
		msg := messageIn(lang, def.Message)
		if i, f, ok := certField(def.Field); ok {
			r := uploadErrRow{Anchor: fmt.Sprintf("row-%d", i+1), Row: i + 1, Message: msg}
			if i < len(numbers) {
				r.Number = numbers[i]
			}
			if isCSV {
				r.Line, r.Column = i+2, csvColumnOf(f)
			} else {
				r.Column = columnLabel(lang, f)
			}
			rows = append(rows, r)
			summary = append(summary, fieldError{Field: r.Anchor, Message: fieldLabel(lang, def.Field) + ": " + msg})
			continue
		}
		summary = append(summary, fieldError{Field: formFieldOf(def.Field, isCSV), Message: fieldLabel(lang, def.Field) + ": " + msg})
	}
	return summary, rows
}

// formFieldOf is the form element a non-certificate deficiency belongs to.
func formFieldOf(path string, isCSV bool) string {
	switch {
	case path == "document" || strings.HasPrefix(path, "pdf"):
		return "document"
	case !isCSV:
		return "metadata"
	}
	switch strings.TrimPrefix(path, "metadata.") {
	case "number":
		return "number"
	case "date":
		return "date"
	case "issuer":
		return "issuer"
	case "title":
		return "title"
	case "contact.name":
		return "contactName"
	case "contact.email":
		return "contactEmail"
	case "contact.phone":
		return "contactPhone"
	}
	return "certificates"
}

type ownData struct {
	Subs []SubmissionView
}

// ownSubmissions lists the organisation's submissions (R11.1: its own only).
func (w *Web) ownSubmissions(c *gin.Context) {
	subs, err := w.b.ListSubmissions(c.Request.Context(), SubmissionQuery{Organisation: principal(c).Organisation})
	if err != nil {
		w.internalError(c, err)
		return
	}
	w.render(c, http.StatusOK, "own.html", "own.title", ownData{Subs: subs})
}

// correct answers a correction request with corrected documents (R12.2).
func (w *Web) correct(c *gin.Context) {
	sub, ok := w.loadSubmission(c)
	if !ok {
		return
	}
	lang := language(c)
	p := principal(c)
	meta, errs := metadataFile(c, lang)
	fh, err := c.FormFile("document")
	if err != nil {
		errs = append(errs, fieldError{Field: "c-document", Message: translate(lang, "upload.pdf-missing")})
	}
	if len(errs) == 0 {
		f, err := fh.Open()
		if err != nil {
			w.internalError(c, err)
			return
		}
		_, err = w.b.Correct(c.Request.Context(), sub.ID, UploadRequest{Organisation: p.Organisation, Name: p.Name,
			PDF: f, Filename: fh.Filename, Metadata: meta})
		f.Close()
		var rej *RejectedError
		switch {
		case err == nil:
			w.settle(c, sub)
			c.Redirect(http.StatusSeeOther, "/taotlus/"+sub.ID)
			return
		case errors.As(err, &rej):
			errs, _ = placeDeficiencies(lang, rej.Deficiencies, meta, false)
			for i := range errs {
				errs[i].Field = "c-metadata"
			}
		default:
			reason, ok := w.b.Refusal(err)
			if !ok {
				w.internalError(c, err)
				return
			}
			errs = append(errs, fieldError{Field: "c-document", Message: w.refusalText(lang, reason)})
		}
	}
	for i := range errs {
		if errs[i].Field == "metadata" {
			errs[i].Field = "c-metadata"
		}
	}
	w.renderSubmission(c, http.StatusUnprocessableEntity, sub, errs, nil)
}

// withdraw withdraws the submission before a decision.
func (w *Web) withdraw(c *gin.Context) {
	sub, ok := w.loadSubmission(c)
	if !ok {
		return
	}
	err := w.b.Withdraw(c.Request.Context(), sub.ID, wf.Withdrawal{By: principal(c).Name, Reason: strings.TrimSpace(c.PostForm("reason"))})
	if err != nil {
		reason, ok := w.b.Refusal(err)
		if !ok {
			w.internalError(c, err)
			return
		}
		w.renderSubmission(c, http.StatusUnprocessableEntity, sub,
			[]fieldError{{Field: "withdraw-reason", Message: w.refusalText(language(c), reason)}}, nil)
		return
	}
	w.settle(c, sub)
	c.Redirect(http.StatusSeeOther, "/taotlus/"+sub.ID)
}
