package documents_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
)

// The JSON examples under testdata/examples are examples.Document encoded;
// go test -run TestExampleFilesAreUpToDate -update rewrites them.
func TestExampleFilesAreUpToDate(t *testing.T) {
	for _, k := range documents.Kinds() {
		t.Run(string(k), func(t *testing.T) {
			want := mustJSON(t, examples.Document(k))
			if *update {
				if err := os.MkdirAll("testdata/examples", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(exampleFile(k), want, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := readExample(t, k); !bytes.Equal(got, want) {
				t.Errorf("%s is out of date; run go test -run TestExampleFilesAreUpToDate -update", exampleFile(k))
			}
		})
	}
}

// Every example of the seven kinds (R10) passes the whole pipeline with no
// deficiency, not even a warning, when its entitled submitter sends it.
func TestEveryExamplePassesValidate_R10(t *testing.T) {
	for _, k := range documents.Kinds() {
		t.Run(string(k), func(t *testing.T) {
			doc, defs := validate(t, readExample(t, k), examples.Submitter(k), examples.Register())
			wantClean(t, defs)
			if doc == nil || doc.Kind != k {
				t.Fatalf("decoded kind = %v, want %s", doc, k)
			}
		})
	}
}

// The generated committee decision is valid for every size up to the
// limit, with distinct valid personal codes.
func TestGeneratedCommitteeDecisionIsValid_R8(t *testing.T) {
	for _, n := range []int{1, 37, 1000} {
		doc := examples.GenerateCommitteeDecision(n)
		seen := map[string]bool{}
		for _, c := range doc.Payload.Certificates {
			if !documents.ValidPersonalCode(c.PersonalCode) || seen[c.PersonalCode] {
				t.Fatalf("n=%d: personal code invalid or repeated", n)
			}
			seen[c.PersonalCode] = true
		}
		wantClean(t, validateDoc(t, doc, examples.Submitter(documents.CommitteeDecision), examples.Register()))
	}
}
