package activities_test

import (
	"reflect"
	"testing"

	"github.com/kutsekoda/alusdok/activities"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// TestEveryActivityTheWorkflowCallsIsAMethod: the workflow names its
// activities; the worker registers *Activities' methods by name.
func TestEveryActivityTheWorkflowCallsIsAMethod(t *testing.T) {
	typ := reflect.TypeOf(&activities.Activities{})
	for _, name := range wf.ActivityNames() {
		if _, ok := typ.MethodByName(name); !ok {
			t.Errorf("workflow calls activity %q, which *activities.Activities does not have", name)
		}
	}
}
