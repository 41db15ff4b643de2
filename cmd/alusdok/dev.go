package main

import (
	"context"
	"fmt"
	"time"

	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/internal/app"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/internal/devstack"
	"github.com/kutsekoda/alusdok/store"
)

// DevCmd runs everything in one process on embedded servers.
type DevCmd struct {
	Embedded config.Embedded      `embed:""`
	HTTP     config.HTTP          `embed:""`
	Shutdown config.Shutdown      `embed:""`
	Retain   config.Retention     `embed:""`
	API      config.APIOptions    `embed:""`
	Worker   config.WorkerOptions `embed:""`
	Database string               `name:"mongodb-database" env:"ALUSDOK_MONGODB_DATABASE" default:"alusdok" help:"MongoDB database name."`
	Examples bool                 `name:"examples" env:"ALUSDOK_EXAMPLES" default:"true" negatable:"" help:"Seed the example register (councils, standards, awarding bodies, certificates) so that the example documents validate."`
}

// Run starts the embedded Temporal server and FerretDB, then the worker and
// the API against them, and prints where everything is.
func (d *DevCmd) Run(rc *runContext) error {
	log := rc.logger()
	started := time.Now()
	stack, err := devstack.Start(rc.ctx, devstack.Options{
		Dir:            d.Embedded.Data,
		TemporalPort:   d.Embedded.TemporalPort,
		TemporalUIPort: d.Embedded.TemporalUIPort,
		UI:             d.Embedded.TemporalUIPort != 0,
		MongoPort:      d.Embedded.MongoPort,
		Logger:         log,
	})
	if err != nil {
		return err
	}
	defer stack.Close()

	cfg := config.Server{
		Temporal: config.Temporal{Address: stack.TemporalAddress, Namespace: devstack.Namespace},
		Mongo:    config.Mongo{URI: stack.MongoURI, Database: d.Database},
		HTTP:     d.HTTP,
		Shutdown: d.Shutdown,
		Retain:   d.Retain,
		API:      d.API,
		Worker:   d.Worker,
	}
	var keys auth.DemoKeys
	prepare := func(ctx context.Context, w *app.Wiring) error {
		if d.Examples {
			if err := w.Store.Seed(ctx, examples.Register(), store.Entry{SubmissionID: "examples", EntryNumber: "KR-examples", At: started}); err != nil {
				return fmt.Errorf("seed the example register: %w", err)
			}
		}
		var err error
		keys, err = w.Keys.EnsureDemoKeys(ctx, auth.DemoSetup{AwardingBody: examples.ElectriciansUnion, PersonalCode: demoPerson()})
		return err
	}
	return runServer(rc, log, cfg, app.Roles{API: true, Worker: true}, func(httpAddr string) {
		fmt.Fprintf(rc.stdout, `alusdok is running (started in %s)
  API          http://%s/api/v1   (health: http://%s/readyz)
  Temporal UI  %s
  Temporal     %s (namespace %s)
  MongoDB      %s (database %s)
  Data         %s
`, time.Since(started).Round(time.Millisecond), httpAddr, httpAddr, orNone(stack.TemporalUIURL),
			stack.TemporalAddress, devstack.Namespace, stack.MongoURI, d.Database, d.Embedded.Data)
		if err := keys.Write(rc.stdout); err != nil {
			log.Warn("print demo keys", "error", err)
		}
		fmt.Fprintln(rc.stdout, "Press Ctrl-C to stop.")
	}, prepare)
}

func orNone(s string) string {
	if s == "" {
		return "(off)"
	}
	return s
}

// demoPerson is the personal code of the example committee decision's first
// holder, so that the demo person key finds certificates once it is entered.
func demoPerson() string {
	for _, c := range examples.Document(documents.CommitteeDecision).Payload.Certificates {
		if c.PersonalCode != "" {
			return c.PersonalCode
		}
	}
	return ""
}
