// Package sealtest issues test e-seal certificates from a test CA, for
// tests and for "alusdok dev". What it makes protects nothing.
package sealtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// oidOrganizationIdentifier is the subject's organizationIdentifier
// (ETSI EN 319 412-1: "NTREE-" and the business register code).
var oidOrganizationIdentifier = asn1.ObjectIdentifier{2, 5, 4, 97}

// Subject is the test seal's subject: Sihtasutus Kutsekoda's register,
// marked as a test.
func Subject() pkix.Name {
	return pkix.Name{
		Country:      []string{"EE"},
		Organization: []string{"Sihtasutus Kutsekoda"},
		CommonName:   "Kutseregister TEST e-tempel",
		SerialNumber: "NTREE-90000245",
		ExtraNames:   []pkix.AttributeTypeAndValue{{Type: oidOrganizationIdentifier, Value: "NTREE-90000245"}},
	}
}

// Issue makes an RSA 2048 key and a seal certificate for subject issued
// by the CA (PEM certificate and PEM private key), valid from an hour
// before now for five years. It returns the certificate followed by the
// CA certificate, and the key, both PEM.
func Issue(caCertPEM, caKeyPEM []byte, subject pkix.Name, now time.Time) (certPEM, keyPEM []byte, err error) {
	cb, _ := pem.Decode(caCertPEM)
	if cb == nil {
		return nil, nil, errors.New("sealtest: no PEM CA certificate")
	}
	ca, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("sealtest: CA certificate: %w", err)
	}
	kb, _ := pem.Decode(caKeyPEM)
	if kb == nil {
		return nil, nil, errors.New("sealtest: no PEM CA key")
	}
	caKey, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		if k, err1 := x509.ParsePKCS1PrivateKey(kb.Bytes); err1 == nil {
			caKey, err = k, nil
		} else {
			return nil, nil, fmt.Errorf("sealtest: CA key: %w", err)
		}
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, fmt.Errorf("sealtest: %w", err)
	}
	spki, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, nil, fmt.Errorf("sealtest: %w", err)
	}
	ski := sha256.Sum256(spki)
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, nil, fmt.Errorf("sealtest: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		BasicConstraintsValid: true,
		SubjectKeyId:          ski[:20],
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, fmt.Errorf("sealtest: issue: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("sealtest: %w", err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	certPEM = append(certPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})...)
	return certPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

// Ensure keeps a test seal in dir (seal.pem and seal.key), issued by the
// CA in caDir (ca.pem and ca.key): it reuses the seal already there while
// it is valid for another month and was issued by that CA, and issues a
// new one otherwise. It returns the two files' paths.
func Ensure(dir, caDir string, now time.Time) (certFile, keyFile string, err error) {
	certFile, keyFile = filepath.Join(dir, "seal.pem"), filepath.Join(dir, "seal.key")
	caCert, err := os.ReadFile(filepath.Join(caDir, "ca.pem"))
	if err != nil {
		return "", "", fmt.Errorf("sealtest: test CA: %w", err)
	}
	if current(certFile, caCert, now) {
		if _, err := os.Stat(keyFile); err == nil {
			return certFile, keyFile, nil
		}
	}
	caKey, err := os.ReadFile(filepath.Join(caDir, "ca.key"))
	if err != nil {
		return "", "", fmt.Errorf("sealtest: test CA: %w", err)
	}
	certPEM, keyPEM, err := Issue(caCert, caKey, Subject(), now)
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("sealtest: %w", err)
	}
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		return "", "", fmt.Errorf("sealtest: %w", err)
	}
	if err := os.WriteFile(certFile, certPEM, 0o644); err != nil {
		return "", "", fmt.Errorf("sealtest: %w", err)
	}
	return certFile, keyFile, nil
}

// current reports whether the seal in certFile was issued by the CA and
// is valid for at least another month.
func current(certFile string, caPEM []byte, now time.Time) bool {
	data, err := os.ReadFile(certFile)
	if err != nil {
		return false
	}
	b, rest := pem.Decode(data)
	cb, _ := pem.Decode(caPEM)
	if b == nil || cb == nil {
		return false
	}
	c, err1 := x509.ParseCertificate(b.Bytes)
	ca, err2 := x509.ParseCertificate(cb.Bytes)
	_ = rest
	if err1 != nil || err2 != nil || c.CheckSignatureFrom(ca) != nil {
		return false
	}
	return now.AddDate(0, 1, 0).Before(c.NotAfter) && !now.Before(c.NotBefore)
}
