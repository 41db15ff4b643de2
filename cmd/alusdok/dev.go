package main

import (
	"fmt"
	"time"

	"github.com/kutsekoda/alusdok/internal/app"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/internal/devstack"
)

// DevCmd runs everything in one process on embedded servers.
type DevCmd struct {
	Embedded config.Embedded      `embed:""`
	HTTP     config.HTTP          `embed:""`
	Shutdown config.Shutdown      `embed:""`
	API      config.APIOptions    `embed:""`
	Worker   config.WorkerOptions `embed:""`
	Database string               `name:"mongodb-database" env:"ALUSDOK_MONGODB_DATABASE" default:"alusdok" help:"MongoDB database name."`
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
		API:      d.API,
		Worker:   d.Worker,
	}
	return runServer(rc, log, cfg, app.Roles{API: true, Worker: true}, func(httpAddr string) {
		fmt.Fprintf(rc.stdout, `alusdok is running (started in %s)
  API          http://%s/api/v1   (health: http://%s/readyz)
  Temporal UI  %s
  Temporal     %s (namespace %s)
  MongoDB      %s (database %s)
  Data         %s
Press Ctrl-C to stop.
`, time.Since(started).Round(time.Millisecond), httpAddr, httpAddr, orNone(stack.TemporalUIURL),
			stack.TemporalAddress, devstack.Namespace, stack.MongoURI, d.Database, d.Embedded.Data)
	})
}

func orNone(s string) string {
	if s == "" {
		return "(off)"
	}
	return s
}
