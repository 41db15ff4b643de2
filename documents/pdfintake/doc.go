// Package pdfintake receives a submitted base document as bytes and decides
// whether it is an acceptable PDF: that it is a PDF at all, within the size,
// page and time limits, not encrypted, and what its digital signatures are
// worth against the register's trust store.
//
// Use:
//
//	in, err := pdfintake.New(pdfintake.Options{TrustDir: dir, RequireSignature: true})
//	...
//	res, defs, err := in.Inspect(ctx, body)
//
// Bad input never yields an error: it yields deficiencies (package
// deficiency; codes in Codes) and a Result identifying the document by the
// SHA-256 of its bytes. The error return is for a failing reader or an
// ended context.
//
// # Hostile input
//
// pdfcpu, the parser, is not robust against hostile files: some malformed
// files make it panic, and a small file can make it allocate gigabytes.
// Inspect therefore
//
//   - refuses input over MaxBytes before parsing;
//   - counts tokens, objects and page objects with a pessimistic lexer
//     before parsing (complexity.go): pdfcpu's heap grows with them, at up
//     to a few hundred bytes per token;
//   - inflates every zlib stream through a counter before parsing and
//     refuses decompression bombs (expansion.go): pdfcpu v0.15.0 ignores
//     its configured decode limit for cross-reference streams, and a 17 KB
//     file drove its heap to 1.8 GB;
//   - parses with resource limits tighter than pdfcpu's defaults: decoded
//     size per stream, object count, and nesting depth;
//   - runs the parse on its own goroutine and recovers its panics;
//   - gives up after Timeout with CodeTimeout. pdfcpu cannot be stopped
//     from outside, so a timed-out parse may still run to completion in the
//     background;
//   - runs at most MaxConcurrent parses per Inspector at once. A parse that
//     overran its budget holds its slot until it really ends, so the bound
//     on concurrent parses, and with it on memory, holds.
//
// A Go stack overflow or an out-of-memory condition cannot be recovered; the
// limits above exist so that neither is reached.
//
// # Trust store
//
// Trust anchors come from Options (a directory of PEM/DER CA certificates
// and/or certificates given directly) and live in the Inspector. pdfcpu's
// own trust store is a process-global certificate directory under the
// user's configuration directory, so this package does not use pdfcpu's
// api.ValidateSignatures*: it calls pdfcpu's per-signature validators with
// the Inspector's pool, and builds pdfcpu configurations by hand so that
// nothing reads or writes ~/.config/pdfcpu.
//
// Validation is offline: no CRL or OCSP is fetched, so a signature that
// passes every other check is valid with RevocationChecked false. The
// certificate's validity period is checked at the time of inspection.
//
// # Signature policy
//
// Each signature is valid, invalid, or unknown (untrusted CA, unsupported
// format). An invalid signature is always an error. An unknown one is an
// error when Options.RequireSignature is set and no signature of the
// document is valid, and a warning otherwise: a clerk may accept a document
// co-signed by someone whose CA is not configured, but not a document whose
// only signatures cannot be confirmed. Bytes appended after a signature (an
// incremental update) are an error unless a later valid signature covers
// the whole file. Signer names and personal codes go only into the Result,
// never into deficiency messages or log lines.
package pdfintake
