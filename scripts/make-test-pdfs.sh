#!/usr/bin/env bash
# make-test-pdfs.sh — (re)creates the PDF fixtures of documents/pdfintake.
#
# Uses only Debian tools (openssl; certutil and pk12util from libnss3-tools;
# pdfsig from poppler-utils) plus `go run` of the repository's own fixture
# generator (documents/pdfintake/internal/fixturegen). Nothing is downloaded.
#
# Outputs, under the repository root (or under $FIXTURE_ROOT if set):
#   documents/testdata/pki/          TEST-ONLY CA and signer keys and certificates,
#                                    kept between runs so that the trust anchor
#                                    stays stable (FORCE_PKI=1 makes new ones)
#   documents/testdata/trust/ca.pem  the test CA certificate: the trust store
#   documents/testdata/examples/     one signed letter per kind of base document
#   documents/pdfintake/testdata/unsigned/  the same letters, unsigned
#   documents/pdfintake/testdata/hostile/   hostile and invalid inputs
#   documents/pdfintake/testdata/signers/   other.pdf signed by test signers whose
#                                           certificates break one signer rule each
#                                           (bad check digit, impossible date, no
#                                           serial, foreign serial, no nonRepudiation,
#                                           expired at signing, RSA 1024) and over SHA-1
#   documents/pdfintake/testdata/revisions/ signed PDFs with later revisions: content
#                                           changed and signed again, co-signed
#
# BOMB_BYTES sets how far the decompression bombs inflate (default 4 GiB;
# generating them takes about 20 s).
#
# Idempotent: every run rebuilds the NSS database in a temporary directory
# and rewrites every output. Signatures carry the signing time, so the PDFs'
# bytes differ between runs while their shape does not.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=${FIXTURE_ROOT:-$repo}
pki="$root/documents/testdata/pki"
trust="$root/documents/testdata/trust"
examples="$root/documents/testdata/examples"
unsigned="$root/documents/pdfintake/testdata/unsigned"
hostile="$root/documents/pdfintake/testdata/hostile"
signers="$root/documents/pdfintake/testdata/signers"
revisions="$root/documents/pdfintake/testdata/revisions"
special=(bad-check-digit impossible-date no-serial foreign-serial no-nonrepudiation expired rsa1024)

kinds=(government-order minister-directive standard-decision awarding-right-decision
	procedure-decision committee-decision other)

# Test identities. The personal codes are made up but valid (checksum
# included).
signer_code=48803150230
signer_subject="/C=EE/CN=TAMM,MARI,$signer_code/SN=TAMM/GN=MARI/serialNumber=PNOEE-$signer_code"
rogue_code=38001085718
rogue_subject="/C=EE/CN=KASK,JAAN,$rogue_code/SN=KASK/GN=JAAN/serialNumber=PNOEE-$rogue_code"
p12pass=test-only

need() {
	for tool in "$@"; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "make-test-pdfs: $tool not found (apt-get install -y openssl libnss3-tools poppler-utils)" >&2
			exit 1
		fi
	done
}
need openssl certutil pk12util pdfsig go

# Keys are RSA: poppler 22.12's pdfsig fails on ECDSA keys ("unable update
# signature"), although current ID cards carry P-384 keys.

# new_ca NAME SUBJECT: a self-signed root valid for 100 years.
new_ca() {
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$pki/$1.key" 2>/dev/null
	openssl req -x509 -new -key "$pki/$1.key" -sha256 -days 36500 -set_serial 1 \
		-subj "$2" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-addext "subjectKeyIdentifier=hash" \
		-out "$pki/$1.pem"
}

# new_signer NAME SUBJECT CA SERIAL: a signing certificate shaped like the
# one on an Estonian ID card (non-repudiation, personal code in
# serialNumber), valid for 100 years.
new_signer() {
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/$1.key" 2>/dev/null
	openssl req -new -key "$pki/$1.key" -subj "$2" -out "$work/$1.csr"
	printf '%s\n' \
		"basicConstraints=critical,CA:FALSE" \
		"keyUsage=critical,nonRepudiation" \
		"certificatePolicies=1.3.6.1.4.1.51361.1.1.1,0.4.0.194112.1.2" \
		"subjectKeyIdentifier=hash" \
		"authorityKeyIdentifier=keyid" >"$work/$1.ext"
	openssl x509 -req -in "$work/$1.csr" -CA "$pki/$3.pem" -CAkey "$pki/$3.key" \
		-set_serial "$4" -days 36500 -sha256 -extfile "$work/$1.ext" -out "$pki/$1.pem" 2>/dev/null
}

# pdfsig_q runs pdfsig without the harmless "NSS_Shutdown failed" notice
# that poppler 22.12 prints after every run.
pdfsig_q() {
	local rc=0
	pdfsig "$@" 2>"$work/pdfsig.err" || rc=$?
	grep -v '^NSS_Shutdown failed' "$work/pdfsig.err" >&2 || true
	return "$rc"
}

# sign NICK IN OUT [FIELD]: adds one adbe.pkcs7.detached signature (poppler
# 22.12 refuses -etsi together with -add-signature).
sign() {
	rm -f "$3"
	pdfsig_q -add-signature -nssdir "sql:$nss" -nick "$1" -digest SHA256 \
		-reason "Allkirjastatud alusdoku testiks" -new-signature-field-name "${4:-Allkiri1}" \
		"$2" "$3"
}

gen() { (cd "$repo" && go run ./documents/pdfintake/internal/fixturegen "$@"); }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$pki" "$trust" "$examples" "$unsigned" "$hostile" "$signers" "$revisions"

if [[ ${FORCE_PKI:-0} == 1 || ! -s "$pki/ca.key" || ! -s "$pki/rogue-ca.key" ||
	! -s "$pki/signer.pem" || ! -s "$pki/rogue-signer.pem" ]]; then
	echo "make-test-pdfs: creating the test PKI in $pki"
	new_ca ca "/C=EE/O=alusdok TEST ONLY/CN=alusdok TEST ESTEID CA"
	new_ca rogue-ca "/C=EE/O=Untrusted TEST ONLY/CN=Untrusted TEST CA"
	new_signer signer "$signer_subject" ca 0x4d61726954616d6d
	new_signer rogue-signer "$rogue_subject" rogue-ca 0x4a61616e4b61736b
	cat >"$pki/README" <<-'EOF'
		TEST ONLY. scripts/make-test-pdfs.sh made these keys and certificates to
		sign the test fixtures. They protect nothing; never trust them outside tests.
	EOF
fi
# The rule-breaking signers, issued by the test CA (made once, like the rest).
gen signers "$pki"
cp "$pki/ca.pem" "$trust/ca.pem"

# NSS database for pdfsig, rebuilt from the PKI on every run.
nss="$work/nss"
mkdir -p "$nss"
certutil -N -d "sql:$nss" --empty-password
for who in signer rogue-signer "${special[@]}"; do
	openssl pkcs12 -export -inkey "$pki/$who.key" -in "$pki/$who.pem" \
		-name "$who" -passout "pass:$p12pass" -out "$work/$who.p12"
	pk12util -i "$work/$who.p12" -d "sql:$nss" -W "$p12pass" >/dev/null
done
certutil -A -d "sql:$nss" -n alusdok-test-ca -t "CT,C,C" -i "$pki/ca.pem"
certutil -A -d "sql:$nss" -n untrusted-test-ca -t "CT,C,C" -i "$pki/rogue-ca.pem"

# The letters carry exactly the data of the example metadata (read from the
# repository, also when FIXTURE_ROOT is elsewhere).
gen letters "$repo/documents/testdata/examples" "$unsigned"
for kind in "${kinds[@]}"; do
	sign signer "$unsigned/$kind.pdf" "$examples/$kind.pdf"
done

gen hostile -bomb "${BOMB_BYTES:-4294967296}" "$hostile"
gen derive "$examples/government-order.pdf" "$hostile"
sign rogue-signer "$unsigned/other.pdf" "$hostile/untrusted-ca.pdf"

# One signature per rule-breaking signer; SHA-1 by re-signing (pdfsig 22.12
# signs with SHA-256 only).
for who in "${special[@]}"; do
	sign "$who" "$unsigned/other.pdf" "$signers/$who.pdf"
done
gen resign-sha1 "$examples/other.pdf" "$pki/signer.key" "$pki/signer.pem" "$signers/sha1.pdf"

# Later revisions: a co-signature adds only a signature (by a trusted and an
# untrusted signer); a content change signed again afterwards, by a valid
# signer and by one whose personal code is wrong.
rm -f "$hostile/two-signatures-second-untrusted.pdf"
sign signer "$examples/committee-decision.pdf" "$revisions/cosigned.pdf" Allkiri2
sign rogue-signer "$examples/committee-decision.pdf" "$revisions/cosigned-untrusted.pdf" Allkiri2
sign signer "$hostile/modified-after-signing.pdf" "$revisions/changed-then-signed.pdf" Allkiri2
sign bad-check-digit "$hostile/modified-after-signing.pdf" "$revisions/changed-then-signed-bad-code.pdf" Allkiri2

# Cross-check with poppler: every example must verify.
for kind in "${kinds[@]}"; do
	if ! pdfsig_q -nssdir "sql:$nss" -no-ocsp "$examples/$kind.pdf" | grep -q "Signature Validation: Signature is Valid."; then
		echo "make-test-pdfs: pdfsig does not accept $examples/$kind.pdf" >&2
		exit 1
	fi
done
echo "make-test-pdfs: done"
