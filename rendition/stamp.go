// Package rendition makes viewing copies of base documents: a copy of the
// PDF with a stamp such as "KOOPIA · Kantud registrisse 02.03.2027, kanne
// nr KR-2027-000123" in the top right corner of its pages.
//
// The original is never modified: the register keeps the submitted bytes
// (R13.2), and a signed original stays verifiable. The copy is rewritten by
// pdfcpu, which would break the original's signatures; so the copy carries
// none: its signature fields lose their values (/V), the form its
// /SigFlags and the catalog its /Perms, and the stamp says on its face
// that it is a copy and that the signatures are in the original. No tool
// then reports a broken signature on the copy.
package rendition

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/kutsekoda/alusdok/internal/pdfwrite"
)

// Pages says which pages get the stamp.
type Pages int

// Which pages to stamp.
const (
	// AllPages stamps every page (the default).
	AllPages Pages = iota
	// FirstPage stamps the first page only.
	FirstPage
)

// Options change the stamp's look. The zero value is a 8 pt dark blue
// stamp on every page.
type Options struct {
	// Pages selects the stamped pages.
	Pages Pages
	// FontSize is the size in points; 0 means 8.
	FontSize float64
	// Color is the text and border colour as "#RRGGBB"; empty means
	// "#1F3A68", a dark blue.
	Color string
}

// The defaults of Options.
const (
	defaultFontSize = 8
	defaultColor    = "#1F3A68"
	maxFontSize     = 72
	// maxTextLen bounds the stamp text: a stamp is a line, not a page.
	maxTextLen = 500
)

// ErrInvalidInput is wrapped by errors about the arguments (as opposed to
// a PDF that pdfcpu cannot process).
var ErrInvalidInput = errors.New("invalid stamp input")

var (
	hexColor = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
	// placeholder matches what pdfcpu expands in a stamp's text even when
	// the percent sign is doubled: page number, page count, time, version.
	placeholder = regexp.MustCompile(`%[pPtv]`)
)

// The copy's marks.
const (
	// CopyMark starts every stamp: the copy says on its face what it is.
	CopyMark = "KOOPIA"
	// SignaturesRemoved is the stamp's second line on a copy of a signed
	// original.
	SignaturesRemoved = "Digiallkirjad on originaalis, koopias neid ei ole."
)

// Stamp returns a copy of the PDF original with "KOOPIA · " and text
// stamped in the top right corner of the selected pages, in Helvetica
// (WinAnsi: every Estonian letter is in it), on a white box with a thin
// border. The copy's signature fields are emptied (see the package
// documentation); when there were any, the stamp's second line says that
// the signatures are in the original. original is only read. A panic
// inside pdfcpu is returned as an error.
func Stamp(original []byte, text string, opts Options) (out []byte, err error) {
	if _, err := watermark(text, "", opts); err != nil {
		return nil, fmt.Errorf("stamp: %w", err)
	}
	if len(original) == 0 {
		return nil, fmt.Errorf("stamp: %w: empty PDF", ErrInvalidInput)
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("stamp: pdfcpu panicked: %v", r)
		}
	}()
	conf := pdfConfig()
	conf.Cmd = model.ADDWATERMARKS
	conf.OptimizeDuplicateContentStreams = false
	ctx, err := api.ReadValidateAndOptimize(bytes.NewReader(original), conf)
	if err != nil {
		return nil, fmt.Errorf("stamp: %w", err)
	}
	removed, err := dropSignatures(ctx)
	if err != nil {
		return nil, fmt.Errorf("stamp: %w", err)
	}
	second := ""
	if removed > 0 {
		second = SignaturesRemoved
	}
	wm, err := watermark(text, second, opts)
	if err != nil {
		return nil, fmt.Errorf("stamp: %w", err)
	}
	var selected []string
	if opts.Pages == FirstPage {
		selected = []string{"1"}
	}
	pages, err := api.PagesForPageSelection(ctx.PageCount, selected, true, false)
	if err != nil {
		return nil, fmt.Errorf("stamp: pages: %w", err)
	}
	if err := pdfcpu.AddWatermarks(ctx, pages, wm); err != nil {
		return nil, fmt.Errorf("stamp: %w", err)
	}
	var buf bytes.Buffer
	if err := api.Write(ctx, &buf, conf); err != nil {
		return nil, fmt.Errorf("stamp: write: %w", err)
	}
	return buf.Bytes(), nil
}

// dropSignatures empties the document's signature fields: every field of
// type Sig (its own /FT or inherited) loses its value /V and its /Lock
// and /SV, the form loses /SigFlags, and the catalog its /Perms (DocMDP
// and UR3 point at signatures). The signatures' appearances stay on the
// pages. It returns how many signature values it removed.
func dropSignatures(ctx *model.Context) (int, error) {
	xt := ctx.XRefTable
	root, err := xt.Catalog()
	if err != nil {
		return 0, fmt.Errorf("catalog: %w", err)
	}
	delete(root, "Perms")
	removed := 0
	seen := map[int]bool{}
	var walk func(o types.Object, ft string, depth int)
	walk = func(o types.Object, ft string, depth int) {
		if depth > 32 {
			return
		}
		if ref, ok := o.(types.IndirectRef); ok {
			if seen[ref.ObjectNumber.Value()] {
				return
			}
			seen[ref.ObjectNumber.Value()] = true
		}
		d, err := xt.DereferenceDict(o)
		if err != nil || d == nil {
			return
		}
		if n := d.NameEntry("FT"); n != nil {
			ft = *n
		} else if ft == "" {
			// A widget found on a page inherits its field's type.
			if p, err := xt.DereferenceDict(d["Parent"]); err == nil && p != nil {
				if n := p.NameEntry("FT"); n != nil && *n == "Sig" {
					walk(d["Parent"], "", depth+1)
				}
			}
		}
		if ft == "Sig" {
			if _, ok := d["V"]; ok {
				removed++
			}
			delete(d, "V")
			delete(d, "Lock")
			delete(d, "SV")
		}
		kids, err := xt.DereferenceArray(d["Kids"])
		if err != nil {
			return
		}
		for _, k := range kids {
			walk(k, ft, depth+1)
		}
	}
	if obj, ok := root.Find("AcroForm"); ok && obj != nil {
		if form, err := xt.DereferenceDict(obj); err == nil && form != nil {
			delete(form, "SigFlags")
			if fields, err := xt.DereferenceArray(form["Fields"]); err == nil {
				for _, f := range fields {
					walk(f, "", 0)
				}
			}
		}
	}
	// Signers such as poppler's pdfsig leave the form's /Fields empty and
	// reach the signature only through the page's widget annotations.
	for i := 1; i <= ctx.PageCount; i++ {
		page, _, _, err := ctx.PageDict(i, false)
		if err != nil || page == nil {
			continue
		}
		annots, err := xt.DereferenceArray(page["Annots"])
		if err != nil {
			continue
		}
		for _, a := range annots {
			walk(a, "", 0)
		}
	}
	return removed, nil
}

// watermark builds pdfcpu's description of the stamp: "KOOPIA · " and
// text, and second, if any, on a line of its own.
func watermark(text, second string, opts Options) (*model.Watermark, error) {
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		return nil, fmt.Errorf("%w: empty text", ErrInvalidInput)
	}
	if len(text) > maxTextLen {
		return nil, fmt.Errorf("%w: text of %d bytes, at most %d", ErrInvalidInput, len(text), maxTextLen)
	}
	if placeholder.MatchString(text) {
		return nil, fmt.Errorf("%w: %q would be expanded by pdfcpu (%%p, %%P, %%t, %%v)", ErrInvalidInput, placeholder.FindString(text))
	}
	size := opts.FontSize
	if size == 0 {
		size = defaultFontSize
	}
	if size < 4 || size > maxFontSize {
		return nil, fmt.Errorf("%w: font size %g outside 4–%d", ErrInvalidInput, size, maxFontSize)
	}
	color := opts.Color
	if color == "" {
		color = defaultColor
	}
	if !hexColor.MatchString(color) {
		return nil, fmt.Errorf("%w: colour %q is not #RRGGBB", ErrInvalidInput, color)
	}
	if opts.Pages != AllPages && opts.Pages != FirstPage {
		return nil, fmt.Errorf("%w: pages %d", ErrInvalidInput, opts.Pages)
	}
	desc := strings.Join([]string{
		"fontname:Helvetica",
		fmt.Sprintf("points:%g", size),
		"position:tr",
		"offset:-18 -18",
		"scalefactor:1 abs",
		"rotation:0",
		"fillcolor:" + color,
		"backgroundcolor:#FFFFFF",
		"border:0.6 " + color,
		"margins:3 5",
		"opacity:0.95",
	}, ", ")
	text = CopyMark + " · " + text
	if second != "" {
		text += "\n" + second
	}
	// pdfcpu drops a lone percent sign; %% is a percent sign.
	wm, err := pdfcpu.ParseTextWatermarkDetails(strings.ReplaceAll(text, "%", "%%"), desc, true, types.POINTS)
	if err != nil {
		return nil, fmt.Errorf("describe stamp: %w", err)
	}
	return wm, nil
}

// pdfConfig is the configuration alusdok writes PDFs with.
func pdfConfig() *model.Configuration { return pdfwrite.Config() }
