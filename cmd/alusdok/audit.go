package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/internal/connect"
)

// AuditCmd works with the processing log (R17), the audit collection in
// MongoDB; with "alusdok dev" running, the defaults reach its embedded
// database.
type AuditCmd struct {
	Mongo   config.Mongo `embed:""`
	KeyFile string       `name:"audit-key-file" env:"ALUSDOK_AUDIT_KEY_FILE" help:"File of the Ed25519 seed (base64) that signs processing-log checkpoints (alusdok dev makes one in its data directory)."`

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
	l := audit.New(mc.Database(cfg.Database))
	if rc.cli.Audit.KeyFile == "" {
		// Without the key only the chain itself is checked: a consistent
		// rewrite of the whole chain would pass.
		rep, err := l.Verify(rc.ctx)
		if err != nil {
			return err
		}
		if !rep.Whole() {
			return errors.New(rep.String())
		}
		_, err = fmt.Fprintln(rc.stdout, rep.String()+" (chain only: no --audit-key-file, so not checked against signed checkpoints)")
		return err
	}
	// With the key: checked against every signed checkpoint, and, when
	// whole, anchored by a new one.
	s, err := audit.LoadSigner(rc.cli.Audit.KeyFile)
	if err != nil {
		return err
	}
	rep, cp, err := l.Checkpoint(rc.ctx, s, time.Now())
	if err != nil {
		return err
	}
	if !rep.Whole() {
		return errors.New(rep.String())
	}
	msg := rep.String() + "; checked against the signed checkpoints"
	if cp != nil {
		msg += fmt.Sprintf("; checkpoint signed at entry %d (key %s)", cp.Count, cp.KeyID)
	}
	_, err = fmt.Fprintln(rc.stdout, msg)
	return err
}
