package notices

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/kutsekoda/alusdok/internal/pdfwrite"
)

// docInfo is the PDF's document information dictionary.
type docInfo struct {
	Title, Author, Subject, Creator string
	Created                         time.Time
}

// pdfConfig is the configuration alusdok writes PDFs with.
func pdfConfig() *model.Configuration { return pdfwrite.Config() }

// buildPDF assembles pages (content streams that use the fonts F1
// Helvetica and F2 Helvetica-Bold) into an A4 PDF with pdfcpu. The output depends only on
// its input: pdfcpu's clock-based creation date and file id are replaced.
func buildPDF(pages []string, info docInfo) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("build pdf: pdfcpu panicked: %v", r)
		}
	}()
	ctx, err := pdfcpu.CreateContextWithXRefTable(pdfConfig(), &types.Dim{Width: pageW, Height: pageH})
	if err != nil {
		return nil, fmt.Errorf("build pdf: create context: %w", err)
	}
	xt := ctx.XRefTable
	// The fonts are direct objects: pdfcpu writes the indirect objects a
	// dictionary refers to in map order, which would make the object order,
	// and so the bytes, vary from run to run.
	fonts := types.Dict{}
	for _, f := range []fontID{regular, bold} {
		fonts[f.resource()] = types.Dict{
			"Type":     types.Name("Font"),
			"Subtype":  types.Name("Type1"),
			"BaseFont": types.Name(f.name()),
			"Encoding": types.Name("WinAnsiEncoding"),
		}
	}
	resources, err := xt.IndRefForNewObject(types.Dict{"Font": fonts})
	if err != nil {
		return nil, fmt.Errorf("build pdf: resources: %w", err)
	}
	root, err := xt.Catalog()
	if err != nil {
		return nil, fmt.Errorf("build pdf: catalog: %w", err)
	}
	pagesRef := root.IndirectRefEntry("Pages")
	if pagesRef == nil {
		return nil, fmt.Errorf("build pdf: no page tree")
	}
	pagesDict, err := xt.DereferenceDict(*pagesRef)
	if err != nil {
		return nil, fmt.Errorf("build pdf: page tree: %w", err)
	}
	kids := types.Array{}
	for i, content := range pages {
		sd, err := xt.NewStreamDictForBuf([]byte(content))
		if err != nil {
			return nil, fmt.Errorf("build pdf: page %d: %w", i+1, err)
		}
		if err := sd.Encode(); err != nil {
			return nil, fmt.Errorf("build pdf: page %d: compress: %w", i+1, err)
		}
		contentRef, err := xt.IndRefForNewObject(*sd)
		if err != nil {
			return nil, fmt.Errorf("build pdf: page %d: %w", i+1, err)
		}
		pageRef, err := xt.IndRefForNewObject(types.Dict{
			"Type":      types.Name("Page"),
			"Parent":    *pagesRef,
			"Resources": *resources,
			"Contents":  *contentRef,
		})
		if err != nil {
			return nil, fmt.Errorf("build pdf: page %d: %w", i+1, err)
		}
		kids = append(kids, *pageRef)
	}
	pagesDict["Kids"] = kids
	pagesDict["Count"] = types.Integer(len(kids))
	xt.PageCount = len(kids)

	infoDict := types.Dict{}
	for k, v := range map[string]string{"Title": info.Title, "Author": info.Author, "Subject": info.Subject, "Creator": info.Creator} {
		if v != "" {
			infoDict[k] = types.NewHexLiteral([]byte(types.EncodeUTF16String(v)))
		}
	}
	if xt.Info, err = xt.IndRefForNewObject(infoDict); err != nil {
		return nil, fmt.Errorf("build pdf: info: %w", err)
	}

	var buf bytes.Buffer
	if err := api.WriteContext(ctx, &buf); err != nil {
		return nil, fmt.Errorf("build pdf: write: %w", err)
	}
	return reproducible(buf.Bytes(), info.Created)
}

var (
	// infoDatePattern finds the dates pdfcpu writes into the information
	// dictionary from the clock.
	infoDatePattern = regexp.MustCompile(`/(?:CreationDate|ModDate)\s*\((D:\d{14}[+-]\d{2}'\d{2}')\)`)
	// fileIDPattern finds the file identifier pdfcpu hashes from the clock.
	fileIDPattern = regexp.MustCompile(`/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]`)
)

// reproducible makes pdfcpu's output a function of the document: the
// creation and modification dates become created, and the file id a hash
// of the rest of the file. Every replacement keeps the byte length, so the
// cross-reference offsets stay right.
func reproducible(pdf []byte, created time.Time) ([]byte, error) {
	date := []byte(types.DateString(created))
	dates := infoDatePattern.FindAllSubmatchIndex(pdf, -1)
	if len(dates) == 0 {
		return nil, fmt.Errorf("reproducible pdf: no creation date found")
	}
	for _, m := range dates {
		if m[3]-m[2] != len(date) {
			return nil, fmt.Errorf("reproducible pdf: date %q has another length than %q", pdf[m[2]:m[3]], date)
		}
		copy(pdf[m[2]:m[3]], date)
	}
	ids := fileIDPattern.FindAllSubmatchIndex(pdf, -1)
	if len(ids) != 1 {
		return nil, fmt.Errorf("reproducible pdf: found %d file ids, want 1", len(ids))
	}
	m := ids[0]
	zero := []byte(strings.Repeat("0", 32))
	copy(pdf[m[2]:m[3]], zero)
	copy(pdf[m[4]:m[5]], zero)
	sum := sha256.Sum256(pdf)
	id := []byte(strings.ToUpper(hex.EncodeToString(sum[:16])))
	copy(pdf[m[2]:m[3]], id)
	copy(pdf[m[4]:m[5]], id)
	return pdf, nil
}
