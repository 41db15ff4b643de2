package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/codec"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/internal/app"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/internal/devstack"
	"github.com/kutsekoda/alusdok/notices/sealtest"
	"github.com/kutsekoda/alusdok/store"
)

// DevCmd runs everything in one process on embedded servers.
type DevCmd struct {
	Embedded config.Embedded      `embed:""`
	Codec    config.Codec         `embed:""`
	HTTP     config.HTTP          `embed:""`
	Shutdown config.Shutdown      `embed:""`
	Retain   config.Retention     `embed:""`
	API      config.APIOptions    `embed:""`
	Worker   config.WorkerOptions `embed:""`
	Database string               `name:"mongodb-database" env:"ALUSDOK_MONGODB_DATABASE" default:"alusdok" help:"MongoDB database name."`
	Examples bool                 `name:"examples" env:"ALUSDOK_EXAMPLES" default:"true" negatable:"" help:"Seed the example register (councils, standards, awarding bodies, certificates) so that the example documents validate."`
	TestCA   string               `name:"test-ca" env:"ALUSDOK_TEST_CA" default:"documents/testdata/pki" help:"Directory of the TEST CA (ca.pem, ca.key) that issues a test e-seal for notices under the data directory when --seal-cert is not given (empty or missing: notices are not sealed)."`
}

// Run starts the embedded Temporal server and FerretDB, then the worker and
// the API against them, and prints where everything is.
func (d *DevCmd) Run(rc *runContext) error {
	log := rc.logger()
	started := time.Now()
	// Payloads are encrypted in dev too, with a key made on the first
	// start and kept in the data directory.
	codecCfg := d.Codec
	if codecCfg.KeysFile == "" {
		if err := os.MkdirAll(d.Embedded.Data, 0o755); err != nil {
			return err
		}
		codecCfg.KeysFile = filepath.Join(d.Embedded.Data, "codec-keys")
		if err := codec.EnsureKeyFile(codecCfg.KeysFile); err != nil {
			return err
		}
	}
	// The processing log's checkpoints are signed with a key kept there too.
	if d.Worker.AuditKey.File == "" {
		d.Worker.AuditKey.File = filepath.Join(d.Embedded.Data, "audit-key")
		if err := audit.EnsureKeyFile(d.Worker.AuditKey.File); err != nil {
			return err
		}
	}
	codecURL := "http://" + d.HTTP.Addr + "/api/v1/codec"
	stack, err := devstack.Start(rc.ctx, devstack.Options{
		UICodecEndpoint: codecURL,
		Dir:             d.Embedded.Data,
		TemporalPort:    d.Embedded.TemporalPort,
		TemporalUIPort:  d.Embedded.TemporalUIPort,
		UI:              d.Embedded.TemporalUIPort != 0,
		MongoPort:       d.Embedded.MongoPort,
		Logger:          log,
	})
	if err != nil {
		return err
	}
	defer stack.Close()
	if stack.TemporalUIURL != "" && len(codecCfg.CORSOrigins) == 0 {
		codecCfg.CORSOrigins = []string{stack.TemporalUIURL}
	}

	if d.Worker.Seal.Cert == "" && d.TestCA != "" {
		cert, key, err := sealtest.Ensure(filepath.Join(d.Embedded.Data, "test-seal"), d.TestCA, time.Now())
		if err != nil {
			log.Warn("no test e-seal: written notices are not sealed", "error", err)
		} else {
			log.Info("written notices are sealed with a TEST e-seal issued by the test CA", "cert", cert)
			d.Worker.Seal.Cert, d.Worker.Seal.Key = cert, key
		}
	}

	cfg := config.Server{
		Temporal: config.Temporal{Address: stack.TemporalAddress, Namespace: devstack.Namespace},
		Codec:    codecCfg,
		Mongo:    config.Mongo{URI: config.Secret(stack.MongoURI), Database: d.Database},
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
		if err != nil {
			return err
		}
		// The collections exist now: their _id lookups get their index at
		// once, not at the indexer's next round.
		return stack.IndexIDs(ctx)
	}
	return runServer(rc, log, cfg, app.Roles{API: true, Worker: true}, devWeb(), func(httpAddr string) {
		fmt.Fprintf(rc.stdout, `alusdok is running (started in %s)
  Web          http://%s/   (sign in as a demo identity at /sisene)
  API          http://%s/api/v1   (health: http://%s/readyz)
  Temporal UI  %s
  Temporal     %s (namespace %s)
  MongoDB      %s (database %s)
  Data         %s
`, time.Since(started).Round(time.Millisecond), httpAddr, httpAddr, httpAddr, orNone(stack.TemporalUIURL),
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

// devWeb is the web front of alusdok dev: plain HTTP, and a sign-in page
// listing the demo identities (the roles of the demo API keys, and a second
// clerk to reassign to).
func devWeb() app.WebOptions {
	ids := auth.DemoIdentities(examples.ElectriciansUnion, demoPerson())
	o := app.WebOptions{Dev: true, DemoIdentities: ids}
	for _, p := range ids {
		if p.Role == auth.RoleClerk {
			o.Clerks = append(o.Clerks, p.Name)
		}
	}
	return o
}
