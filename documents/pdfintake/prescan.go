package pdfintake

import (
	"context"

	"github.com/kutsekoda/alusdok/deficiency"
)

// pageObjectFactor: before parsing, a file may hold this many times
// MaxPages page objects (old revisions keep replaced pages) before it is
// refused as too complex; the exact page count is checked after parsing.
const pageObjectFactor = 4

// prescan runs the guards that must pass before pdfcpu sees data: the
// complexity guard (tokens, objects, page objects) and the
// decompression-bomb guard. It returns deficiencies for a refused file,
// and an error only when c ends.
func (in *Inspector) prescan(c context.Context, data []byte) (deficiency.List, error) {
	var l deficiency.List
	cx := countComplexity(data)
	if cx.objects > in.opts.MaxObjects || cx.tokens > in.opts.MaxTokens ||
		cx.pages > pageObjectFactor*in.opts.MaxPages {
		add(&l, deficiency.Error, FieldDocument, CodeTooComplex)
		return l, nil
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	objStmTokens, err := checkExpansion(c, data, in.opts.MaxDecodedStreamBytes)
	switch {
	case c.Err() != nil:
		return nil, c.Err()
	case err != nil:
		add(&l, deficiency.Error, FieldDocument, CodeStreamTooLarge, humanBytes(in.opts.MaxDecodedStreamBytes))
	case cx.tokens+objStmTokens > in.opts.MaxTokens:
		add(&l, deficiency.Error, FieldDocument, CodeTooComplex)
	}
	return l, nil
}
