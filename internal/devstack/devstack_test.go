package devstack_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/kutsekoda/alusdok/internal/devstack"
)

// noteActivities writes a note through the ordinary MongoDB driver.
type noteActivities struct{ coll *mongo.Collection }

func (a *noteActivities) WriteNote(ctx context.Context, id, text string) error {
	_, err := a.coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$setOnInsert", Value: bson.D{{Key: "text", Value: text}}}},
		options.UpdateOne().SetUpsert(true))
	return err
}

func noteWorkflow(ctx workflow.Context, id, text string) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
	var a *noteActivities
	return workflow.ExecuteActivity(ctx, a.WriteNote, id, text).Get(ctx, nil)
}

// TestEmbeddedStackKeepsWorkflowsAndDocumentsAcrossRestart boots the embedded
// Temporal server and FerretDB on a temporary directory, runs a workflow whose
// activity writes to MongoDB, stops everything, boots again on the same
// directory and finds both the document and the completed workflow.
func TestEmbeddedStackKeepsWorkflowsAndDocumentsAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	// First life: run the workflow.
	func() {
		stack, tc, db := boot(ctx, t, dir)
		defer stack.Close()
		defer tc.Close()
		w := worker.New(tc, "restart-test", worker.Options{})
		w.RegisterWorkflow(noteWorkflow)
		w.RegisterActivity(&noteActivities{coll: db.Collection("notes")})
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		defer w.Stop()
		run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: "note-1", TaskQueue: "restart-test",
			WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		}, noteWorkflow, "note-1", "Kutsetunnistus kantud registrisse")
		if err != nil {
			t.Fatal(err)
		}
		if err := run.Get(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}()

	// Second life on the same directory: everything is still there.
	stack, tc, db := boot(ctx, t, dir)
	defer stack.Close()
	defer tc.Close()
	var got struct {
		Text string `bson:"text"`
	}
	if err := db.Collection("notes").FindOne(ctx, bson.D{{Key: "_id", Value: "note-1"}}).Decode(&got); err != nil {
		t.Fatalf("document after restart: %v", err)
	}
	if got.Text != "Kutsetunnistus kantud registrisse" {
		t.Errorf("document text = %q", got.Text)
	}
	desc, err := tc.DescribeWorkflowExecution(ctx, "note-1", "")
	if err != nil {
		t.Fatalf("workflow after restart: %v", err)
	}
	if st := desc.GetWorkflowExecutionInfo().GetStatus(); st != enums.WORKFLOW_EXECUTION_STATUS_COMPLETED {
		t.Errorf("workflow status after restart = %v, want completed", st)
	}
	// Its ID is taken: starting it again is refused, not repeated.
	_, err = tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: "note-1", TaskQueue: "restart-test",
		WorkflowIDReusePolicy:                    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, noteWorkflow, "note-1", "again")
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if !errors.As(err, &started) {
		t.Errorf("second start with the same ID: err = %v, want already started", err)
	}
}

func TestPortInUseIsAClearError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	_, err = devstack.Start(context.Background(), devstack.Options{Dir: t.TempDir(), MongoPort: port})
	if !devstack.IsPortInUse(err) {
		t.Fatalf("err = %v, want a PortInUseError", err)
	}
	want := "MongoDB port 127.0.0.1:" + strconv.Itoa(port) + " is already in use; choose another with --mongodb-port"
	if err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
}

func boot(ctx context.Context, t *testing.T, dir string) (*devstack.Stack, client.Client, *mongo.Database) {
	t.Helper()
	stack, err := devstack.Start(ctx, devstack.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	tc, err := client.DialContext(ctx, client.Options{HostPort: stack.TemporalAddress, Namespace: devstack.Namespace})
	if err != nil {
		stack.Close()
		t.Fatal(err)
	}
	mc, err := mongo.Connect(options.Client().ApplyURI(stack.MongoURI))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mc.Disconnect(context.Background()) })
	return stack, tc, mc.Database("alusdok_test")
}
