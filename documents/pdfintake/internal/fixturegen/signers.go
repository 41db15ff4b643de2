package main

import (
	"crypto/rand"
	"crypto/rsa"
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

// specialSigner is a test signer whose certificate breaks one signer rule.
type specialSigner struct {
	name     string
	serial   string // subject serialNumber; "" for none
	bits     int
	keyUsage x509.KeyUsage
	extUsage []x509.ExtKeyUsage
	from, to time.Time
}

// specialSigners are the rule-breaking signers of the test PKI. The
// personal code of "impossible-date" has a correct check digit for
// 30 February 1988.
func specialSigners() []specialSigner {
	from, to := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2124, 1, 1, 0, 0, 0, 0, time.UTC)
	nr := x509.KeyUsageContentCommitment
	return []specialSigner{
		{"bad-check-digit", "PNOEE-48803150231", 2048, nr, nil, from, to},
		{"impossible-date", "PNOEE-38802300212", 2048, nr, nil, from, to},
		{"no-serial", "", 2048, nr, nil, from, to},
		{"foreign-serial", "PNOLV-150288-12345", 2048, nr, nil, from, to},
		{"no-nonrepudiation", "PNOEE-48803150230", 2048, x509.KeyUsageKeyEncipherment, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, from, to},
		{"expired", "PNOEE-48803150230", 2048, nr, nil, time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"rsa1024", "PNOEE-48803150230", 1024, nr, nil, from, to},
	}
}

var (
	oidSerialNumber = asn1.ObjectIdentifier{2, 5, 4, 5}
	oidGivenName    = asn1.ObjectIdentifier{2, 5, 4, 42}
	oidSurname      = asn1.ObjectIdentifier{2, 5, 4, 4}
)

// signers writes DIR/<name>.key and .pem for every special signer,
// issued by DIR/ca.key and DIR/ca.pem; existing ones are kept.
func signers(dir string) error {
	caKey, caCert, err := loadCA(dir)
	if err != nil {
		return err
	}
	for i, s := range specialSigners() {
		keyPath, certPath := filepath.Join(dir, s.name+".key"), filepath.Join(dir, s.name+".pem")
		if _, err := os.Stat(certPath); err == nil {
			continue
		}
		key, err := rsa.GenerateKey(rand.Reader, s.bits)
		if err != nil {
			return fmt.Errorf("%s: key: %w", s.name, err)
		}
		subject := pkix.Name{
			Country:    []string{"EE"},
			CommonName: "TAMM,MARI," + s.name,
			ExtraNames: []pkix.AttributeTypeAndValue{{Type: oidSurname, Value: "TAMM"}, {Type: oidGivenName, Value: "MARI"}},
		}
		if s.serial != "" {
			subject.ExtraNames = append(subject.ExtraNames, pkix.AttributeTypeAndValue{Type: oidSerialNumber, Value: s.serial})
		}
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(int64(0x5151_0000 + i)),
			Subject:               subject,
			NotBefore:             s.from,
			NotAfter:              s.to,
			KeyUsage:              s.keyUsage,
			ExtKeyUsage:           s.extUsage,
			BasicConstraintsValid: true,
			PolicyIdentifiers:     []asn1.ObjectIdentifier{{1, 3, 6, 1, 4, 1, 51361, 1, 1, 1}, {0, 4, 0, 194112, 1, 2}},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
		if err != nil {
			return fmt.Errorf("%s: certificate: %w", s.name, err)
		}
		kder, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return err
		}
		if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
			return err
		}
		if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func loadCA(dir string) (any, *x509.Certificate, error) {
	kb, err := os.ReadFile(filepath.Join(dir, "ca.key"))
	if err != nil {
		return nil, nil, err
	}
	cb, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		return nil, nil, err
	}
	kp, _ := pem.Decode(kb)
	cp, _ := pem.Decode(cb)
	if kp == nil || cp == nil {
		return nil, nil, errors.New("test CA key or certificate is not PEM")
	}
	key, err := x509.ParsePKCS8PrivateKey(kp.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("CA key: %w", err)
	}
	cert, err := x509.ParseCertificate(cp.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("CA certificate: %w", err)
	}
	return key, cert, nil
}

type x509Cert = x509.Certificate

// parsePair parses a PEM private key (PKCS#8 or PKCS#1) and certificate.
func parsePair(kb, cb []byte) (any, *x509.Certificate, error) {
	kp, _ := pem.Decode(kb)
	cp, _ := pem.Decode(cb)
	if kp == nil || cp == nil {
		return nil, nil, errors.New("key or certificate is not PEM")
	}
	key, err := x509.ParsePKCS8PrivateKey(kp.Bytes)
	if err != nil {
		if k1, err1 := x509.ParsePKCS1PrivateKey(kp.Bytes); err1 == nil {
			key, err = k1, nil
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("key: %w", err)
	}
	cert, err := x509.ParseCertificate(cp.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate: %w", err)
	}
	return key, cert, nil
}
