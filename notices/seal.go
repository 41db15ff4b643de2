package notices

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// Seal is the register's electronic seal (e-tempel): the seal
// certificate with its issuers and the private key. Seal.Sign adds a
// signature to a notice, so that its recipient can check that the
// register sent it and that nobody changed it since.
//
// The signature is a PAdES baseline signature (ETSI EN 319 142-1):
// SubFilter ETSI.CAdES.detached, SHA-256, the ESS signing-certificate-v2
// attribute, the claimed signing time in the signature dictionary (B-B);
// with a timestamp authority (TSA) its RFC 3161 token over the signature
// (B-T). See pades.go.
type Seal struct {
	// Certificate is the seal certificate; Chain its issuers, nearest
	// first (the root may be left out).
	Certificate *x509.Certificate
	Chain       []*x509.Certificate
	// Key is the seal's private key.
	Key crypto.Signer
	// TSA is the URL of an RFC 3161 timestamp authority; empty: no
	// timestamp (B-B).
	TSA string
	// Location and Reason are written into the signature dictionary.
	Location, Reason string
}

// SealFiles says where the seal is: a PKCS#12 file (.p12 or .pfx, with
// its password), or a PEM certificate file (the seal certificate first,
// then its issuers) with a PEM key file (PKCS#8, PKCS#1 or SEC 1,
// unencrypted).
type SealFiles struct {
	// Certificate is the PKCS#12 file or the PEM certificate file.
	Certificate string
	// Key is the PEM key file; empty for PKCS#12.
	Key string
	// Password opens the PKCS#12 file.
	Password string
	// TSA is the timestamp authority's URL, if any.
	TSA string
}

// LoadSeal reads the seal from files and checks that the key belongs to
// the certificate and that the certificate is in force now.
func LoadSeal(f SealFiles, now time.Time) (*Seal, error) {
	data, err := os.ReadFile(f.Certificate)
	if err != nil {
		return nil, fmt.Errorf("load seal: %w", err)
	}
	s := &Seal{TSA: f.TSA, Location: "Tallinn", Reason: "Kutseregistri teade"}
	if f.Key == "" && !bytes.Contains(data, []byte("-----BEGIN")) {
		key, cert, chain, err := pkcs12.DecodeChain(data, f.Password)
		if err != nil {
			return nil, fmt.Errorf("load seal: PKCS#12 %s: %w", f.Certificate, err)
		}
		signer, ok := key.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("load seal: PKCS#12 %s: key of type %T cannot sign", f.Certificate, key)
		}
		s.Certificate, s.Chain, s.Key = cert, chain, signer
	} else {
		certs, err := parseCertificates(data)
		if err != nil {
			return nil, fmt.Errorf("load seal: %s: %w", f.Certificate, err)
		}
		if f.Key == "" {
			return nil, fmt.Errorf("load seal: %s is PEM: the key file is missing", f.Certificate)
		}
		keyPEM, err := os.ReadFile(f.Key)
		if err != nil {
			return nil, fmt.Errorf("load seal: %w", err)
		}
		key, err := parsePrivateKey(keyPEM)
		if err != nil {
			return nil, fmt.Errorf("load seal: %s: %w", f.Key, err)
		}
		s.Certificate, s.Chain, s.Key = certs[0], certs[1:], key
	}
	if err := s.check(now); err != nil {
		return nil, fmt.Errorf("load seal: %w", err)
	}
	return s, nil
}

// check tells whether the key matches the certificate and the certificate
// is in force at now.
func (s *Seal) check(now time.Time) error {
	if s.Certificate == nil || s.Key == nil {
		return errors.New("no certificate or key")
	}
	pub, ok := s.Key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(s.Certificate.PublicKey) {
		return errors.New("the key does not belong to the certificate")
	}
	if now.Before(s.Certificate.NotBefore) || now.After(s.Certificate.NotAfter) {
		return fmt.Errorf("the seal certificate is valid from %s to %s",
			s.Certificate.NotBefore.Format(time.DateOnly), s.Certificate.NotAfter.Format(time.DateOnly))
	}
	return nil
}

// Name is the seal holder's name: the certificate subject's organisation,
// else its common name.
func (s *Seal) Name() string {
	if o := s.Certificate.Subject.Organization; len(o) > 0 && o[0] != "" {
		return o[0]
	}
	return s.Certificate.Subject.CommonName
}

// tsaTimeout bounds the request to the timestamp authority.
const tsaTimeout = 30 * time.Second

// Sign returns pdf with the seal's signature added as an incremental
// update (the original bytes stay as they are, in front), with at as the
// claimed signing time (/M). pdf is a letter as buildPDF writes it (a
// classic cross-reference table, no form). It is only read.
func (s *Seal) Sign(pdf []byte, at time.Time) ([]byte, error) {
	if at.Before(s.Certificate.NotBefore) || at.After(s.Certificate.NotAfter) {
		return nil, fmt.Errorf("seal: the seal certificate is not in force at %s (valid %s to %s)", at.Format(time.RFC3339),
			s.Certificate.NotBefore.Format(time.DateOnly), s.Certificate.NotAfter.Format(time.DateOnly))
	}
	out, err := s.sealPDF(context.Background(), pdf, at)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return out, nil
}

// parseCertificates reads every certificate of a PEM file.
func parseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("no PEM certificate")
	}
	return certs, nil
}

// parsePrivateKey reads the first private key of a PEM file.
func parsePrivateKey(data []byte) (crypto.Signer, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, errors.New("no PEM private key")
		}
		if !strings.HasSuffix(b.Type, "PRIVATE KEY") {
			continue
		}
		if strings.Contains(b.Type, "ENCRYPTED") || b.Headers["Proc-Type"] != "" {
			return nil, errors.New("encrypted PEM keys are not supported: use PKCS#12 with a password")
		}
		var key any
		var err error
		switch b.Type {
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(b.Bytes)
		default:
			key, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		}
		if err != nil {
			return nil, err
		}
		switch k := key.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case *ecdsa.PrivateKey:
			return k, nil
		case ed25519.PrivateKey:
			return nil, errors.New("ed25519 keys cannot seal PDFs here")
		}
		return nil, fmt.Errorf("unsupported key type %T", key)
	}
}
