#!/usr/bin/env bash
# Installs the Debian packages alusdok's tests use, only when missing:
#   pdftotext, pdfsig, pdffonts (poppler-utils) — read notices back, verify
#                                        their seal, sign test PDFs
#   certutil (libnss3-tools)          — the NSS database pdfsig signs and verifies with
#   qpdf                              — check the notices' PDF structure
#   openssl                           — the test CA
#   chromium                          — the web front's browser tests (chromedp)
#   xmllint (libxml2-utils)           — validate the open data against its XSDs
# Idempotent: a second run does nothing.
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools)
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing test dependencies: ${need[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
