package pdfintake

import (
	"crypto/sha256"
	"encoding/hex"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSignedExampleOfEveryKindIsValidWithSignerPersonalCode_R10(t *testing.T) {
	in := mustInspector(t, Options{RequireSignature: true})
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			path := filepath.Join(examplesDir, kind+".pdf")
			data := mustRead(t, path)
			o := inspectWithin(t, in, data, 30*time.Second)
			if o.err != nil || len(o.defs) > 0 {
				t.Fatalf("Inspect = %v, %v; want no error and no deficiencies", o.err, o.defs)
			}
			if o.res.Pages != 1 || o.res.PDFVersion != "1.7" || o.res.Size != int64(len(data)) {
				t.Errorf("pages %d, version %q, size %d; want 1, 1.7, %d", o.res.Pages, o.res.PDFVersion, o.res.Size, len(data))
			}
			if len(o.res.Signatures) != 1 {
				t.Fatalf("%d signatures, want 1", len(o.res.Signatures))
			}
			s := o.res.Signatures[0]
			switch {
			case s.Status != SignatureValid || !s.Trusted:
				t.Errorf("status %s (trusted %t, %s), want valid and trusted", s.Status, s.Trusted, s.Reason)
			case s.PersonalCode != testSignerCode || s.SubjectSerialNumber != "PNOEE-"+testSignerCode:
				t.Errorf("personal code %q from %q, want %s", s.PersonalCode, s.SubjectSerialNumber, testSignerCode)
			case s.SignerName != testSignerName || s.Country != "EE":
				t.Errorf("signer %q (%s), want %s (EE)", s.SignerName, s.Country, testSignerName)
			case s.SigningTime.IsZero():
				t.Error("signing time missing")
			case s.ModifiedAfterSigning || s.SignedBytes != int64(len(data)):
				t.Errorf("signed %d of %d bytes (modified after signing %t), want the whole file", s.SignedBytes, len(data), s.ModifiedAfterSigning)
			case s.RevocationChecked:
				t.Error("revocation reported as checked; intake runs offline")
			}
			if want := sha256sum(t, path, data); o.res.SHA256 != want {
				t.Errorf("SHA256 %s, want %s", o.res.SHA256, want)
			}
		})
	}
}

func TestUnsignedLetterIsAcceptedWhenNoSignatureIsRequired_R10(t *testing.T) {
	in := mustInspector(t, Options{})
	for _, kind := range kinds {
		o := inspectWithin(t, in, mustRead(t, filepath.Join(unsignedDir, kind+".pdf")), 30*time.Second)
		if o.err != nil || len(o.defs) > 0 || o.res.Pages != 1 || len(o.res.Signatures) != 0 {
			t.Errorf("%s: Inspect = %+v, %v, %v; want a clean one-page unsigned document", kind, o.res, o.defs, o.err)
		}
	}
}

// sha256sum hashes path with the sha256sum tool when it is installed
// (coreutils), otherwise with crypto/sha256.
func sha256sum(tb testing.TB, path string, data []byte) string {
	tb.Helper()
	if _, err := exec.LookPath("sha256sum"); err == nil {
		out, err := exec.Command("sha256sum", path).Output()
		if err != nil {
			tb.Fatalf("sha256sum: %v", err)
		}
		return strings.Fields(string(out))[0]
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func TestDocumentIdentityIsSHA256OfOriginalBytes_R13_2(t *testing.T) {
	in := mustInspector(t, Options{})
	var files []string
	for _, dir := range []string{examplesDir, unsignedDir, hostileDir} {
		files = append(files, fixtureFiles(t, dir)...)
	}
	for _, path := range files {
		data := mustRead(t, path)
		o := inspectWithin(t, in, data, time.Minute)
		if o.err != nil {
			t.Fatalf("%s: %v", path, o.err)
		}
		if want := sha256sum(t, path, data); o.res.SHA256 != want || o.res.Size != int64(len(data)) {
			t.Errorf("%s: identity %s/%d, want %s/%d", path, o.res.SHA256, o.res.Size, want, len(data))
		}
	}
}
