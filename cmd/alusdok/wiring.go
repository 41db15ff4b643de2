package main

import (
	"context"
	"log/slog"

	"go.temporal.io/sdk/worker"

	"github.com/kutsekoda/alusdok/internal/app"
	"github.com/kutsekoda/alusdok/workflows"
)

// wiring holds what the worker registers and the API calls, built once from
// the clients.
type wiring struct {
	taskQueue string
	register  func(worker.Registry)
}

func newWiring(_ context.Context, _ *slog.Logger, _ app.Clients) (*wiring, error) {
	return &wiring{
		taskQueue: workflows.TaskQueue,
		register:  func(worker.Registry) {},
	}, nil
}
