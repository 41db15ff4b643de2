package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/internal/connect"
)

// AuditCmd works with the processing log (R17), the audit collection in
// MongoDB; with "alusdok dev" running, the defaults reach its embedded
// database.
type AuditCmd struct {
	Mongo config.Mongo `embed:""`

	Verify AuditVerifyCmd `cmd:"" help:"Check the processing log's hash chain; exit 0 only when it is whole."`
}

// AuditVerifyCmd checks the processing log's hash chain.
type AuditVerifyCmd struct{}

// Run verifies the log. A whole log is reported on stdout; a broken one is
// returned as the error, which names the first broken entry, so that the
// exit status is non-zero.
func (AuditVerifyCmd) Run(rc *runContext) error {
	cfg := rc.cli.Audit.Mongo
	mc, err := connect.Mongo(rc.ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { _ = mc.Disconnect(context.WithoutCancel(rc.ctx)) }()
	rep, err := audit.New(mc.Database(cfg.Database)).Verify(rc.ctx)
	if err != nil {
		return err
	}
	if !rep.Whole() {
		return errors.New(rep.String())
	}
	_, err = fmt.Fprintln(rc.stdout, rep.String())
	return err
}
