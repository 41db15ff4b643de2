package pdfintake

// The complexity guard.
//
// pdfcpu keeps every object of a document in memory as Go values, at tens
// to hundreds of bytes of heap per PDF token. Measured on files under the
// 20 MiB size limit: one array of 9 million integers, 520 MiB peak heap;
// 400 000 small objects in a classic xref table (which pdfcpu's object
// limit does not cover), 450 MiB; 120 000 pages, 566 MiB. So before pdfcpu
// sees a file, a lexer counts its tokens, "obj" keywords and "/Type /Page"
// pairs, and the decompression-bomb guard feeds it the inflated content of
// object streams as well.
//
// The count is deliberately pessimistic: it knows no string literals,
// comments or stream data, because a hostile file can hide objects from a
// lexer that does (an unbalanced "(" or a fake "stream" keyword), while
// pdfcpu still finds them through the cross-reference offsets. Every
// maximal run of regular characters is a token, and so is every "[", "(",
// "<" and "{". That bounds what pdfcpu can tokenise from above. Binary data
// yields about one pseudo-token per 16 bytes, so a 20 MiB file of images
// stays well below the default limit.

// lexer counts PDF tokens, "obj" keywords and page objects, fed in chunks.
type lexer struct {
	inTok     bool // inside a run of regular characters
	name      bool // the run started with '/'
	tok       [8]byte
	tokLen    int
	afterType bool // the previous token was the name /Type
	tokens    int
	objects   int
	pages     int // "/Type /Page" pairs: page objects, in any revision
}

// Write lexes p. It never fails.
func (l *lexer) Write(p []byte) (int, error) {
	for _, b := range p {
		l.byte(b)
	}
	return len(p), nil
}

func (l *lexer) byte(b byte) {
	switch b {
	case 0, '\t', '\n', '\f', '\r', ' ', ')', ']', '}', '>', '%':
		l.endToken()
	case '[', '(', '<', '{':
		l.endToken()
		l.tokens++
		l.afterType = false
	case '/':
		l.endToken()
		l.name = true
	default:
		if !l.inTok {
			l.inTok, l.tokLen = true, 0
			l.tokens++
		}
		if l.tokLen < len(l.tok) {
			l.tok[l.tokLen] = b
		}
		l.tokLen++
	}
}

func (l *lexer) endToken() {
	if !l.inTok {
		l.name = false
		return
	}
	tok := ""
	if l.tokLen <= len(l.tok) {
		tok = string(l.tok[:l.tokLen])
	}
	switch {
	case !l.name && tok == "obj":
		l.objects++
	case l.name && tok == "Page" && l.afterType:
		l.pages++
	}
	l.afterType = l.name && tok == "Type"
	l.inTok, l.name = false, false
}

// flush ends a token at the end of input.
func (l *lexer) flush() { l.endToken() }

// complexity is what the lexer counted in a file.
type complexity struct {
	tokens, objects, pages int
}

// countComplexity lexes data.
func countComplexity(data []byte) complexity {
	var l lexer
	_, _ = l.Write(data)
	l.flush()
	return complexity{tokens: l.tokens, objects: l.objects, pages: l.pages}
}
