package api

import (
	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/accesslog"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/store"
)

// logDocumentRead records, for every certificate holder a base document
// names, that the caller read their data (Andmejälgija, R16.3). Reads of a
// person's own data are not recorded (the access log skips them).
func (h *handlers) logDocumentRead(c *gin.Context, sub store.Submission, up store.Upload) {
	if h.access == nil || sub.Kind != string(documents.CommitteeDecision) {
		return
	}
	ctx := c.Request.Context()
	raw, err := h.store.UploadMetadata(ctx, up)
	if err != nil {
		h.log.WarnContext(ctx, "data-access log: read metadata", "submission", sub.ID, "error", err)
		return
	}
	doc, _ := documents.DecodeBytes(raw, maxMetadataBytes*2)
	if doc == nil {
		return
	}
	ev := accesslog.Event{Who: PrincipalOf(c), Why: c.Request.Method + " " + c.FullPath()}
	for _, cert := range doc.Payload.Certificates {
		if cert.PersonalCode != "" {
			ev.Reads = append(ev.Reads, accesslog.Read{PersonalCode: cert.PersonalCode,
				What: "alusdokument " + doc.Number + ", kutsetunnistus " + cert.Number})
		}
	}
	if len(ev.Reads) == 0 {
		return
	}
	if err := h.access.Record(ctx, ev); err != nil {
		h.log.ErrorContext(ctx, "data-access log: record", "submission", sub.ID, "error", err)
	}
}
