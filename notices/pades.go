package notices

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/digitorus/timestamp"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// The seal is a PAdES baseline signature (ETSI EN 319 142-1) written by
// alusdok itself as an incremental update of the letter:
//
//   - SubFilter ETSI.CAdES.detached; the claimed signing time in the
//     signature dictionary's /M, and no CMS signing-time attribute (B-B);
//   - a CMS SignedData (RFC 5652) over the whole file but the signature,
//     SHA-256, with the signed attributes content-type, message-digest and
//     ESS signing-certificate-v2 (RFC 5035), the seal certificate and its
//     chain;
//   - with a timestamp authority, its RFC 3161 token over the signature
//     value as the unsigned signature-time-stamp attribute (B-T).
//
// The form gets one signature field (an invisible widget on the first
// page) and /SigFlags 3. The update only appends: the letter's bytes stay
// in front, unchanged.

// Object identifiers of the CMS.
var (
	oidData                 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningCertificateV2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidSignatureTimeStamp   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
	oidSHA256               = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidRSAEncryption        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidECDSAWithSHA256      = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	errSignatureDoesNotFit  = errors.New("the signature is larger than the room kept for it")
	trailerRoot             = regexp.MustCompile(`/Root (\d+) 0 R`)
	trailerInfoRef          = regexp.MustCompile(`/Info (\d+) 0 R`)
	trailerSize             = regexp.MustCompile(`/Size (\d+)`)
	trailerID               = regexp.MustCompile(`/ID \[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]`)
	lastStartXref           = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	firstKid                = regexp.MustCompile(`/Kids \[\s*(\d+) 0 R`)
	pagesRef                = regexp.MustCompile(`/Pages (\d+) 0 R`)
)

// The room kept for the CMS, in bytes (hex doubles it): the certificates,
// and for the signature, the attributes and the structure up to
// cmsOverhead (an RSA 4096 signature is 512 bytes); a timestamp token with
// its authority's certificates up to tokenRoom more.
const (
	cmsOverhead = 2 << 10
	tokenRoom   = 16 << 10
)

// contentsRoom is the room the seal's CMS gets.
func (s *Seal) contentsRoom() int {
	n := len(s.Certificate.Raw) + cmsOverhead
	for _, c := range s.Chain {
		n += len(c.Raw)
	}
	if s.TSA != "" {
		n += tokenRoom
	}
	return n
}

// sealPDF appends the seal's signature to the letter pdf, a PDF with a
// classic cross-reference table and trailer (what buildPDF writes).
func (s *Seal) sealPDF(ctx context.Context, pdf []byte, at time.Time) ([]byte, error) {
	tail := pdf[max(0, len(pdf)-2048):]
	m := lastStartXref.FindSubmatch(tail)
	if m == nil {
		return nil, errors.New("no startxref at the end")
	}
	prev := string(m[1])
	ti := bytes.LastIndex(pdf, []byte("\ntrailer"))
	if ti < 0 {
		return nil, errors.New("no trailer (a cross-reference stream is not supported)")
	}
	trailer := pdf[ti:]
	rootM, sizeM := trailerRoot.FindSubmatch(trailer), trailerSize.FindSubmatch(trailer)
	if rootM == nil || sizeM == nil {
		return nil, errors.New("trailer without /Root or /Size")
	}
	root, _ := strconv.Atoi(string(rootM[1]))
	size, _ := strconv.Atoi(string(sizeM[1]))
	prevAt, _ := strconv.Atoi(prev)
	catalog, err := objectBody(pdf, prevAt, root)
	if err != nil {
		return nil, err
	}
	if bytes.Contains(catalog, []byte("/AcroForm")) {
		return nil, errors.New("the document has a form already")
	}
	page := ""
	if pm := pagesRef.FindSubmatch(catalog); pm != nil {
		if pages, err := objectBody(pdf, prevAt, mustAtoi(pm[1])); err == nil {
			if km := firstKid.FindSubmatch(pages); km != nil {
				page = " /P " + string(km[1]) + " 0 R"
			}
		}
	}
	sigObj, widgetObj := size, size+1

	room := s.contentsRoom()
	var u bytes.Buffer
	if !bytes.HasSuffix(pdf, []byte("\n")) {
		u.WriteByte('\n')
	}
	base := len(pdf)
	offsets := map[int]int{}
	offsets[sigObj] = base + u.Len()
	fmt.Fprintf(&u, "%d 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n", sigObj)
	byteRangeAt := base + u.Len() + len("/ByteRange [")
	u.WriteString("/ByteRange [" + strings.Repeat(" ", 43) + "]\n")
	contentsAt := base + u.Len() + len("/Contents ")
	u.WriteString("/Contents <" + strings.Repeat("0", 2*room) + ">\n")
	contentsEnd := base + u.Len() - 2 // the ">"
	fmt.Fprintf(&u, "/M %s\n/Name %s\n/Reason %s\n/Location %s\n/Prop_Build << /App << /Name /alusdok >> >>\n>>\nendobj\n",
		pdfDate(at), pdfTextString(s.Name()), pdfTextString(s.Reason), pdfTextString(s.Location))
	offsets[widgetObj] = base + u.Len()
	fmt.Fprintf(&u, "%d 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T %s /V %d 0 R /F 132 /Rect [0 0 0 0]%s >>\nendobj\n",
		widgetObj, pdfTextString("Kutseregistri e-tempel"), sigObj, page)
	offsets[root] = base + u.Len()
	body := bytes.TrimSpace(catalog)
	body = bytes.TrimSuffix(body, []byte(">>"))
	fmt.Fprintf(&u, "%d 0 obj\n%s/AcroForm << /Fields [%d 0 R] /SigFlags 3 >>\n>>\nendobj\n", root, body, widgetObj)
	xref := base + u.Len()
	fmt.Fprintf(&u, "xref\n%d 1\n%010d 00000 n \n%d 2\n%010d 00000 n \n%010d 00000 n \n", root, offsets[root], sigObj, offsets[sigObj], offsets[widgetObj])
	fmt.Fprintf(&u, "trailer\n<< /Size %d /Root %d 0 R", size+2, root)
	if im := trailerInfoRef.FindSubmatch(trailer); im != nil {
		fmt.Fprintf(&u, " /Info %s 0 R", im[1])
	}
	if id := trailerID.Find(trailer); id != nil {
		u.WriteString(" " + string(id))
	}
	fmt.Fprintf(&u, " /Prev %s >>\nstartxref\n%d\n%%%%EOF\n", prev, xref)

	out := append(append(make([]byte, 0, len(pdf)+u.Len()), pdf...), u.Bytes()...)
	br := fmt.Sprintf("0 %d %d %d", contentsAt, contentsEnd+1, len(out)-contentsEnd-1)
	if len(br) > 43 {
		return nil, errors.New("byte range too long")
	}
	copy(out[byteRangeAt:], br)

	h := sha256.New()
	h.Write(out[:contentsAt])
	h.Write(out[contentsEnd+1:])
	cms, err := s.cms(ctx, h.Sum(nil))
	if err != nil {
		return nil, err
	}
	if 2*len(cms) > 2*room {
		return nil, fmt.Errorf("%w: %d bytes, room for %d", errSignatureDoesNotFit, len(cms), room)
	}
	hex.Encode(out[contentsAt+1:], cms)
	return out, nil
}

// objectBody returns what is between "n 0 obj" and "endobj", finding the
// object through the cross-reference table at xrefAt (one section, as
// buildPDF writes it).
func objectBody(pdf []byte, xrefAt, n int) ([]byte, error) {
	if xrefAt <= 0 || xrefAt >= len(pdf) || !bytes.HasPrefix(pdf[xrefAt:], []byte("xref")) {
		return nil, errors.New("no cross-reference table at startxref")
	}
	lines := bytes.Split(pdf[xrefAt:min(len(pdf), xrefAt+64<<10)], []byte("\n"))
	offset := -1
	for i := 1; i < len(lines) && offset < 0; {
		var first, count int
		if _, err := fmt.Sscanf(string(lines[i]), "%d %d", &first, &count); err != nil {
			break
		}
		if n >= first && n < first+count && i+1+n-first < len(lines) {
			entry := strings.Fields(string(lines[i+1+n-first]))
			if len(entry) == 3 && entry[2] == "n" {
				offset, _ = strconv.Atoi(entry[0])
			}
			break
		}
		i += 1 + count
	}
	head := []byte(strconv.Itoa(n) + " 0 obj")
	if offset < 0 || offset >= len(pdf) || !bytes.HasPrefix(pdf[offset:], head) {
		return nil, fmt.Errorf("object %d not found", n)
	}
	rest := pdf[offset+len(head):]
	j := bytes.Index(rest, []byte("endobj"))
	if j < 0 {
		return nil, fmt.Errorf("object %d has no end", n)
	}
	return bytes.TrimSpace(rest[:j]), nil
}

func mustAtoi(b []byte) int {
	n, _ := strconv.Atoi(string(b))
	return n
}

// pdfDate is a PDF date string with the time zone: (D:20261128174327+02'00').
func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("(D:%s%c%02d'%02d')", t.Format("20060102150405"), sign, off/3600, off%3600/60)
}

// pdfTextString is a PDF text string in UTF-16BE, as hex.
func pdfTextString(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// cms is the DER of the ContentInfo of a detached SignedData over the
// document digest.
func (s *Seal) cms(ctx context.Context, digest []byte) ([]byte, error) {
	certHash := sha256.Sum256(s.Certificate.Raw)
	attrs := [][]byte{
		attribute(oidContentType, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidData) }),
		attribute(oidMessageDigest, func(b *cryptobyte.Builder) { b.AddASN1OctetString(digest) }),
		attribute(oidSigningCertificateV2, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SigningCertificateV2
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // certs
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ESSCertIDv2, SHA-256 by default
						b.AddASN1OctetString(certHash[:])
					})
				})
			})
		}),
	}
	// DER orders a SET OF by the encodings of its elements.
	slices.SortFunc(attrs, bytes.Compare)
	var set cryptobyte.Builder
	set.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
		for _, a := range attrs {
			b.AddBytes(a)
		}
	})
	signedAttrs, err := set.Bytes()
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(signedAttrs)
	signature, err := s.Key.Sign(rand.Reader, h[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	var sigAlg asn1.ObjectIdentifier
	switch s.Key.(type) {
	case *rsa.PrivateKey:
		sigAlg = oidRSAEncryption
	case *ecdsa.PrivateKey:
		sigAlg = oidECDSAWithSHA256
	default:
		if _, ok := s.Key.Public().(*rsa.PublicKey); ok {
			sigAlg = oidRSAEncryption
		} else {
			sigAlg = oidECDSAWithSHA256
		}
	}
	var token []byte
	if s.TSA != "" {
		if token, err = s.timestamp(ctx, signature); err != nil {
			return nil, err
		}
	}
	serial, err := asn1.Marshal(s.Certificate.SerialNumber)
	if err != nil {
		return nil, err
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ContentInfo
		b.AddASN1ObjectIdentifier(oidSignedData)
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignedData
				b.AddASN1Int64(1)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { algorithm(b, oidSHA256, false) })
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidData) })
				b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					b.AddBytes(s.Certificate.Raw)
					for _, c := range s.Chain {
						b.AddBytes(c.Raw)
					}
				})
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignerInfo
						b.AddASN1Int64(1)
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // IssuerAndSerialNumber
							b.AddBytes(s.Certificate.RawIssuer)
							b.AddBytes(serial)
						})
						algorithm(b, oidSHA256, false)
						// The signed attributes, [0] IMPLICIT instead of SET.
						b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
							for _, a := range attrs {
								b.AddBytes(a)
							}
						})
						algorithm(b, sigAlg, sigAlg.Equal(oidRSAEncryption))
						b.AddASN1OctetString(signature)
						if token != nil {
							b.AddASN1(cbasn1.Tag(1).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
								b.AddBytes(attribute(oidSignatureTimeStamp, func(b *cryptobyte.Builder) { b.AddBytes(token) }))
							})
						}
					})
				})
			})
		})
	})
	return b.Bytes()
}

// attribute is the DER of an Attribute with one value.
func attribute(oid asn1.ObjectIdentifier, value func(*cryptobyte.Builder)) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
		b.AddASN1(cbasn1.SET, value)
	})
	return b.BytesOrPanic()
}

// algorithm adds an AlgorithmIdentifier, with NULL parameters if null.
func algorithm(b *cryptobyte.Builder, oid asn1.ObjectIdentifier, null bool) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
		if null {
			b.AddASN1NULL()
		}
	})
}

// timestamp asks the timestamp authority for a token over the signature
// value (RFC 3161, SHA-256, with its certificates).
func (s *Seal) timestamp(ctx context.Context, signature []byte) ([]byte, error) {
	req, err := timestamp.CreateRequest(bytes.NewReader(signature), &timestamp.RequestOptions{Hash: crypto.SHA256, Certificates: true})
	if err != nil {
		return nil, fmt.Errorf("timestamp request: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, tsaTimeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, s.TSA, bytes.NewReader(req))
	if err != nil {
		return nil, fmt.Errorf("timestamp authority: %w", err)
	}
	hr.Header.Set("Content-Type", "application/timestamp-query")
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("timestamp authority: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("timestamp authority: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("timestamp authority answered %s", resp.Status)
	}
	ts, err := timestamp.ParseResponse(body)
	if err != nil {
		return nil, fmt.Errorf("timestamp authority: %w", err)
	}
	if !bytes.Equal(ts.HashedMessage, sha256Of(signature)) {
		return nil, errors.New("timestamp authority: the token is for other data")
	}
	return ts.RawToken, nil
}

func sha256Of(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}
