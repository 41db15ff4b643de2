package main

import (
	"bytes"
	"crypto/sha1" //nolint:gosec // the point: a weak-digest fixture
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/pkcs7"
)

var byteRangeRE = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)

// resignSHA1 replaces the (only) signature of a signed PDF with a PKCS#7
// signature over the same bytes that uses a SHA-1 digest: pdfsig 22.12
// signs with SHA-256 only.
func resignSHA1(in, keyPEM, certPEM, out string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	m := byteRangeRE.FindSubmatch(data)
	if m == nil {
		return errors.New("no /ByteRange")
	}
	var br [4]int
	for i := range br {
		br[i], _ = strconv.Atoi(string(m[i+1]))
	}
	h := sha1.New()
	h.Write(data[br[0] : br[0]+br[1]])
	h.Write(data[br[2] : br[2]+br[3]])
	key, cert, err := loadPair(keyPEM, certPEM)
	if err != nil {
		return err
	}
	sd, err := pkcs7.NewSignedData()
	if err != nil {
		return err
	}
	if err := sd.AddSigner(cert, key, h.Sum(nil), pkcs7.OIDDigestAlgorithmSHA1, pkcs7.SignerInfoConfig{}); err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	der, err := sd.Finish()
	if err != nil {
		return err
	}
	hole := data[br[0]+br[1] : br[2]] // "<…>"
	enc := []byte(hex.EncodeToString(der))
	if len(enc)+2 > len(hole) {
		return errors.New("signature does not fit the /Contents hole")
	}
	repl := append([]byte{'<'}, enc...)
	repl = append(repl, bytes.Repeat([]byte{'0'}, len(hole)-2-len(enc))...)
	repl = append(repl, '>')
	copy(hole, repl)
	return os.WriteFile(out, data, 0o644)
}

func loadPair(keyPath, certPath string) (any, *x509Cert, error) {
	kb, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, err
	}
	cb, err := os.ReadFile(certPath)
	if err != nil {
		return nil, nil, err
	}
	return parsePair(kb, cb)
}
