// Command alusdok runs the statutory procedure of the Estonian Register of
// Occupational Qualifications: the HTTP API, the Temporal worker, and for
// development both together with an embedded Temporal server and MongoDB.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/gin-gonic/gin"
)

func main() {
	gin.SetMode(gin.ReleaseMode)
	pdfChild = selfAsPDFChild()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "alusdok:", err)
		os.Exit(1)
	}
}

// Env looks up an environment variable; os.Getenv in main, a map in tests.
type Env func(string) string

// run parses args and the environment and runs the chosen subcommand.
func run(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	cli, kctx, err := parse(args, getenv, stdout, stderr)
	if err != nil || kctx == nil {
		return err
	}
	return kctx.Run(&runContext{ctx: ctx, cli: cli, stdout: stdout, stderr: stderr})
}
