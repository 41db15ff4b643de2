// Package rendition makes viewing copies of base documents: a copy of the
// PDF with a stamp such as "Kantud registrisse 02.03.2027, kanne nr
// KR-2027-000123" in the top right corner of its pages.
//
// The original is never modified: the register keeps the submitted bytes
// (R13.2), and a signed original stays verifiable. The copy is rewritten by
// pdfcpu, so a signature in it no longer verifies; it is for viewing only.
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

// Stamp returns a copy of the PDF original with text stamped in the top
// right corner of the selected pages, in Helvetica (WinAnsi: every
// Estonian letter is in it), on a white box with a thin border. original
// is only read. A panic inside pdfcpu is returned as an error.
func Stamp(original []byte, text string, opts Options) (out []byte, err error) {
	wm, err := watermark(text, opts)
	if err != nil {
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
	var pages []string
	if opts.Pages == FirstPage {
		pages = []string{"1"}
	}
	var buf bytes.Buffer
	if err := api.AddWatermarks(bytes.NewReader(original), &buf, pages, wm, pdfConfig()); err != nil {
		return nil, fmt.Errorf("stamp: %w", err)
	}
	return buf.Bytes(), nil
}

// watermark builds pdfcpu's description of the stamp.
func watermark(text string, opts Options) (*model.Watermark, error) {
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
	// pdfcpu drops a lone percent sign; %% is a percent sign.
	wm, err := pdfcpu.ParseTextWatermarkDetails(strings.ReplaceAll(text, "%", "%%"), desc, true, types.POINTS)
	if err != nil {
		return nil, fmt.Errorf("describe stamp: %w", err)
	}
	return wm, nil
}

// pdfConfig is the configuration alusdok writes PDFs with.
func pdfConfig() *model.Configuration { return pdfwrite.Config() }
