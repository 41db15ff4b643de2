package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestPDFCheckSubcommandReportsOnOnePDF runs `alusdok pdfcheck` as the API
// runs it: a job line, then the PDF, on stdin; the report on stdout.
func TestPDFCheckSubcommandReportsOnOnePDF(t *testing.T) {
	pdf, err := os.ReadFile("../../documents/testdata/examples/other.pdf")
	if err != nil {
		t.Fatal(err)
	}
	// No memory or time limit in the job: RunChild would apply them to
	// this test process.
	job := `{"maxPages":500,"maxDecodedStreamBytes":67108864,"maxObjects":200000,"maxTokens":5242880,"requireSignature":true}` + "\n"
	defer func() { stdin = os.Stdin }()
	stdin = strings.NewReader(job + string(pdf))
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"pdfcheck"}, func(string) string { return "" }, &stdout, &stderr); err != nil {
		t.Fatalf("pdfcheck: %v\n%s", err, stderr.String())
	}
	var rep struct {
		Pages        int
		Signatures   []struct{ Identity string }
		Deficiencies []struct{ Code string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("report %q: %v", stdout.String(), err)
	}
	// No trust anchors in this job: the signature is untrusted.
	if rep.Pages != 1 || len(rep.Signatures) != 1 || rep.Signatures[0].Identity != "estonian" ||
		len(rep.Deficiencies) != 1 || rep.Deficiencies[0].Code != "pdf.signature.untrusted" {
		t.Errorf("report %s", stdout.String())
	}
}
