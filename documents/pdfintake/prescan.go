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
// cross-reference /Size guard (again, for documents that reached the
// child from a file), the complexity guard (tokens, objects, page objects)
// and the decompression-bomb guard. It returns deficiencies for a refused file,
// and an error only when c ends.
func prescan(c context.Context, data []byte, j job) (deficiency.List, error) {
	var l deficiency.List
	if code, bad := checkXRefSizes(data, j.MaxObjects); bad && !j.SkipXRefSizeGuard {
		add(&l, deficiency.Error, FieldDocument, code)
		return l, nil
	}
	cx := countComplexity(data)
	if cx.objects > j.MaxObjects || cx.tokens > j.MaxTokens ||
		cx.pages > pageObjectFactor*j.MaxPages {
		add(&l, deficiency.Error, FieldDocument, CodeTooComplex)
		return l, nil
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	objStmTokens, err := checkExpansion(c, data, j.MaxDecodedStreamBytes)
	switch {
	case c.Err() != nil:
		return nil, c.Err()
	case err != nil:
		add(&l, deficiency.Error, FieldDocument, CodeStreamTooLarge, "max", humanBytes(j.MaxDecodedStreamBytes))
	case cx.tokens+objStmTokens > j.MaxTokens:
		add(&l, deficiency.Error, FieldDocument, CodeTooComplex)
	}
	return l, nil
}
