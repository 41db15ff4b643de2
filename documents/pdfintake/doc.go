// Package pdfintake receives a submitted base document as bytes and decides
// whether it is an acceptable PDF: that it is a PDF at all, within the size,
// page and time limits, not encrypted, free of active content, what its
// digital signatures are worth against the register's trust store and
// whom they name, and whether its text shows the metadata's number and
// date.
//
// Use:
//
//	in, err := pdfintake.New(pdfintake.Options{TrustDir: dir,
//		Child: &pdfintake.Command{Path: exe, Args: []string{"pdfcheck"}}})
//	...
//	res, defs, err := in.InspectFor(ctx, body, pdfintake.Expect{RequireSignature: true, Number: "14", Date: d})
//
// and in the child's main, RunChild(os.Stdin, os.Stdout, os.Stderr).
//
// Bad input never yields an error: it yields deficiencies (package
// deficiency; codes in Codes, listed in documents/CODES.md) and a Result
// identifying the document by the SHA-256 of its bytes. The error return is
// for a failing reader, an ended context, or a child that cannot be
// started.
//
// # Hostile input
//
// pdfcpu, the parser, is not robust against hostile files: some malformed
// files make it panic, a small file can make it allocate gigabytes or loop
// for minutes, and a parse cannot be stopped from outside. So:
//
//   - input over MaxBytes is refused before anything else, and the header,
//     the %%EOF marker and every cross-reference /Size and subsection are
//     checked in this process (xrefsize.go): a 500-byte file declaring
//     /Size 2147483647 made pdfcpu grow by 3 GiB;
//   - everything else runs in a child process (Options.Child, RunChild)
//     that limits its own address space (RLIMIT_AS, ChildMemory over its
//     size at start) and CPU time (RLIMIT_CPU) before reading the PDF,
//     and that the parent kills with its process group when Timeout
//     passes. Running out of memory is CodeTooComplex, the budget
//     CodeTimeout, any other crash CodeMalformed. At most MaxConcurrent
//     children run at once.
//   - in the child, before pdfcpu sees the file, a pessimistic lexer counts
//     its tokens, objects and page objects (complexity.go) and every zlib
//     stream is inflated through a counter (expansion.go): pdfcpu v0.15.0
//     ignores its configured decode limit for cross-reference streams;
//   - pdfcpu runs with resource limits tighter than its defaults, and its
//     panics are recovered into CodeMalformed.
//
// Options.InProcess runs the same checks in this process instead, on a
// goroutine with the time budget and panic recovery but no memory bound:
// for fuzzing and for test binaries that cannot serve as the child.
//
// # Trust store
//
// Trust anchors come from Options (a directory of PEM/DER CA certificates
// and/or certificates given directly), live in the Inspector and go to the
// child in DER. pdfcpu's own trust store is a process-global certificate
// directory under the user's configuration directory, so this package does
// not use pdfcpu's api.ValidateSignatures*: it calls pdfcpu's per-signature
// validators with its own pool, and builds pdfcpu configurations by hand so
// that nothing reads or writes ~/.config/pdfcpu.
//
// Validation is offline: no CRL or OCSP is fetched, so a signature that
// passes every other check is valid with RevocationChecked false. pdfcpu
// checks the certificate's validity period at the time of inspection; the
// signer rules also check it at the signing time.
//
// # Signature policy
//
// Each signature is valid, invalid, or unknown (untrusted CA, unsupported
// format). An invalid signature is always an error. An unknown one is an
// error when a signature is required and no signature of the document is
// valid, and a warning otherwise. The signer rules (identity.go: the
// ETSI EN 319 412-1 identifier, nonRepudiation, validity at signing,
// SHA-1/MD5/short keys) apply to every signature. A revision appended
// after a signature is compared with the signed revision (revisions.go):
// changed content is an error whatever signs it afterwards, added
// signatures or validation data a warning. Signer names and personal codes
// go only into the Result, never into deficiency messages or log lines.
package pdfintake
