// Package activities does BaseDocumentWorkflow's I/O: validating documents,
// computing working-day deadlines, keeping the read model and the processing
// log, writing register records, storing and sending notices. Activities are
// methods on Activities, which holds their clients; every write is idempotent
// (deterministic IDs, upserts), because FerretDB has no transactions and an
// activity may be retried after a crash.
package activities

import (
	"log/slog"

	"github.com/kutsekoda/alusdok/workdays"
)

// Activities holds what the activities need. Register it once with a
// pointer: worker.RegisterActivity(&Activities{...}).
type Activities struct {
	Calendar *workdays.Calendar
	Periods  Periods
	Log      *slog.Logger
}
