// Package workflows holds the durable procedure of one base document
// (SPEC.md R11–R14): BaseDocumentWorkflow. This file is its contract: the task
// queue, message names, workflow-ID helpers and the structs that cross the
// boundary. Callers (the API) import this contract, not the workflow's
// internals.
package workflows

// TaskQueue is the Temporal task queue of alusdok's worker.
const TaskQueue = "alusdok"
