// Command fixturegen writes the PDF fixtures of package pdfintake. It is run
// by scripts/make-test-pdfs.sh, which does the signing with pdfsig:
//
//	fixturegen letters EXAMPLES DIR         unsigned letters DIR/<kind>.pdf, each
//	                                        carrying EXAMPLES/<kind>.json's data
//	fixturegen hostile [-bomb N] DIR        hostile inputs that need no
//	                                        signature; decompression bombs
//	                                        inflate to N bytes (default 4 GiB)
//	fixturegen signers PKIDIR               rule-breaking test signers issued
//	                                        by PKIDIR/ca.key (kept if present)
//	fixturegen resign-sha1 SIGNED KEY CERT OUT
//	                                        the same signature made over SHA-1
//	fixturegen derive SIGNED DIR            truncated, modified-after-signing,
//	                                        flipped-byte and stretched-range
//	                                        variants of a signed PDF
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kutsekoda/alusdok/documents/pdfintake/internal/pdfcpuconf"
	"github.com/kutsekoda/alusdok/documents/pdfintake/internal/pdfgen"
	"github.com/pdfcpu/pdfcpu/pkg/api"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "fixturegen:", err)
		os.Exit(1)
	}
}

func run(_ context.Context, args []string) error {
	if len(args) < 2 {
		return errors.New("usage: fixturegen letters DIR | hostile [-bomb N] DIR | derive SIGNED DIR")
	}
	switch args[0] {
	case "letters":
		if len(args) != 3 {
			return errors.New("usage: fixturegen letters EXAMPLES DIR")
		}
		return letters(args[1], args[2])
	case "hostile":
		fs := flag.NewFlagSet("hostile", flag.ContinueOnError)
		bomb := fs.Int64("bomb", 4<<30, "decoded size of the decompression bombs in bytes")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return errors.New("usage: fixturegen hostile [-bomb N] DIR")
		}
		return hostile(fs.Arg(0), *bomb)
	case "resign-sha1":
		if len(args) != 5 {
			return errors.New("usage: fixturegen resign-sha1 SIGNED KEY CERT OUT")
		}
		return resignSHA1(args[1], args[2], args[3], args[4])
	case "signers":
		return signers(args[1])
	case "derive":
		if len(args) != 3 {
			return errors.New("usage: fixturegen derive SIGNED DIR")
		}
		return derive(args[1], args[2])
	default:
		return fmt.Errorf("unknown subcommand %q", args[0])
	}
}

func letters(examples, dir string) error {
	for _, kind := range pdfgen.Kinds() {
		meta, err := os.ReadFile(filepath.Join(examples, kind+".json"))
		if err != nil {
			return err
		}
		b, err := pdfgen.LetterFromMetadata(meta)
		if err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		if err := write(dir, kind+".pdf", b); err != nil {
			return err
		}
	}
	return nil
}

func hostile(dir string, bomb int64) error {
	letter, err := pdfgen.Letter("other")
	if err != nil {
		return err
	}
	contentBomb, err := pdfgen.FlateBombContent(bomb)
	if err != nil {
		return fmt.Errorf("content bomb: %w", err)
	}
	objStmBomb, err := pdfgen.FlateBombObjectStream(bomb)
	if err != nil {
		return fmt.Errorf("object stream bomb: %w", err)
	}
	xrefBomb, err := pdfgen.FlateBombXRefStream(bomb)
	if err != nil {
		return fmt.Errorf("xref stream bomb: %w", err)
	}
	encrypted, err := encrypt(letter, "salasõna", "omanik")
	if err != nil {
		return fmt.Errorf("encrypt with user password: %w", err)
	}
	encryptedOpen, err := encrypt(letter, "", "omanik")
	if err != nil {
		return fmt.Errorf("encrypt without user password: %w", err)
	}
	files := map[string][]byte{
		"garbage-after-header.pdf": pdfgen.Garbage(4096),
		"nested-arrays.pdf":        pdfgen.NestedArrays(100_000),
		"nested-dicts.pdf":         pdfgen.NestedDicts(100_000),
		"flate-bomb-content.pdf":   contentBomb,
		"flate-bomb-objstm.pdf":    objStmBomb,
		"flate-bomb-xref.pdf":      xrefBomb,
		"huge-xref-stream.pdf":     pdfgen.HugeXRefStream(9_000_000),
		"xref-size-bomb.pdf":       pdfgen.XRefSizeBomb(2147483647),
		"encrypted.pdf":            encrypted,
		"encrypted-no-user-pw.pdf": encryptedOpen,
		"not-a-pdf.pdf":            []byte("Lugupeetud menetleja!\nSee on tekstifail, mitte PDF.\n"),
		"header-too-late.pdf":      append(bytes.Repeat([]byte{' '}, 1024), letter...),
		"empty.pdf":                {},
	}
	for name, b := range files {
		if err := write(dir, name, b); err != nil {
			return err
		}
	}
	return nil
}

func derive(signedPath, dir string) error {
	signed, err := os.ReadFile(signedPath)
	if err != nil {
		return fmt.Errorf("read signed PDF: %w", err)
	}
	modified, err := pdfgen.AppendIncrementalUpdate(signed, 6, "MUUDETUD PÄRAST ALLKIRJASTAMIST")
	if err != nil {
		return fmt.Errorf("append incremental update: %w", err)
	}
	flipped, err := pdfgen.FlipMarkerByte(signed)
	if err != nil {
		return fmt.Errorf("flip signed byte: %w", err)
	}
	stretched, err := pdfgen.StretchByteRange(signed)
	if err != nil {
		return fmt.Errorf("stretch byte range: %w", err)
	}
	files := map[string][]byte{
		"truncated.pdf":              pdfgen.Truncate(signed, 0.6),
		"truncated-in-signature.pdf": pdfgen.Truncate(signed, 0.95),
		"modified-after-signing.pdf": modified,
		"flipped-byte.pdf":           flipped,
		"byterange-beyond-eof.pdf":   stretched,
	}
	for name, b := range files {
		if err := write(dir, name, b); err != nil {
			return err
		}
	}
	return nil
}

// encrypt encrypts pdf with AES-256 using pdfcpu and a hand-built
// configuration (never the user's pdfcpu config dir).
func encrypt(pdf []byte, userPW, ownerPW string) ([]byte, error) {
	conf := pdfcpuconf.New(pdfcpuconf.DefaultLimits())
	conf.UserPW, conf.OwnerPW = userPW, ownerPW
	conf.EncryptUsingAES, conf.EncryptKeyLength = true, 256
	var out bytes.Buffer
	if err := api.Encrypt(bytes.NewReader(pdf), &out, conf); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func write(dir, name string, b []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return nil
}
