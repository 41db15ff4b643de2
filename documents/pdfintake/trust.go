package pdfintake

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// trustAnchors collects the trust anchors from a directory and
// certificates given directly. The pool built from them must never be
// nil: x509 verification with a nil pool would fall back to the system
// roots, which are not the register's trust anchors.
func trustAnchors(dir string, certs []*x509.Certificate) ([]*x509.Certificate, error) {
	out := make([]*x509.Certificate, 0, len(certs))
	for _, c := range certs {
		if c == nil {
			return nil, errors.New("nil trusted certificate")
		}
		out = append(out, c)
	}
	if dir == "" {
		return out, nil
	}
	fromDir, err := loadTrustDir(dir)
	if err != nil {
		return nil, err
	}
	if len(fromDir) == 0 {
		return nil, fmt.Errorf("trust directory %s holds no certificates", dir)
	}
	return append(out, fromDir...), nil
}

// poolOf parses DER trust anchors (sent to the child) into a pool.
func poolOf(ders [][]byte) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	for _, der := range ders {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("parse trust anchor: %w", err)
		}
		pool.AddCert(c)
	}
	return pool, nil
}

// loadTrustDir reads every *.pem, *.crt, *.cer and *.der file in dir (not
// recursively). Other files are ignored; a certificate file that does not
// parse is an error, so that a broken trust store is noticed at start-up.
func loadTrustDir(dir string) ([]*x509.Certificate, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read trust directory: %w", err)
	}
	var out []*x509.Certificate
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".pem", ".crt", ".cer", ".der":
		default:
			continue
		}
		p := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read trusted certificate: %w", err)
		}
		certs, err := parseCertificates(b)
		if err != nil {
			return nil, fmt.Errorf("parse trusted certificate %s: %w", e.Name(), err)
		}
		out = append(out, certs...)
	}
	return out, nil
}

// parseCertificates parses every CERTIFICATE block of a PEM file, or a
// single DER certificate.
func parseCertificates(b []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	rest := b
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) > 0 {
		return out, nil
	}
	c, err := x509.ParseCertificate(b)
	if err != nil {
		return nil, fmt.Errorf("neither PEM certificates nor DER: %w", err)
	}
	return []*x509.Certificate{c}, nil
}
