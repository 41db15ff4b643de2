package main

import (
	"fmt"
	"io"
	"os"

	"github.com/kutsekoda/alusdok/documents/pdfintake"
)

// PDFCheckCmd is the child process that checks one PDF (package
// pdfintake): the job and the PDF on stdin, the report as JSON on stdout.
// The API starts it; it is not meant to be run by hand.
type PDFCheckCmd struct{}

// stdin is the child's input; tests replace it.
var stdin io.Reader = os.Stdin

// Run checks one PDF under the limits the job sets.
func (PDFCheckCmd) Run(rc *runContext) error {
	if code := pdfintake.RunChild(stdin, rc.stdout, rc.stderr); code != 0 {
		return fmt.Errorf("pdfcheck: exit status %d", code)
	}
	return nil
}

// pdfChild is the command that runs this executable as the PDF-checking
// child. main sets it; tests, which call run directly in a test binary
// that cannot serve as the child, leave it empty, and PDFs are then
// checked in process.
var pdfChild []string

// selfAsPDFChild is this executable with the pdfcheck subcommand.
func selfAsPDFChild() []string {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	return []string{exe, "pdfcheck"}
}
