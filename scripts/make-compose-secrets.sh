#!/usr/bin/env bash
# Makes the secrets docker-compose.yml mounts, once, in ./secrets (mode 600):
# database passwords, the MongoDB URI with its password, the data-access
# log's key, the Temporal payload key and the processing log's signing key.
# The UI's OpenID Connect client secret is the identity provider's: put it
# in secrets/ui-oidc-client-secret yourself. Existing files are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077
mkdir -p secrets trust
make() { [ -s "secrets/$1" ] || { printf '%s\n' "$2" > "secrets/$1"; echo "made secrets/$1"; }; }
rand() { head -c "$1" /dev/urandom | base64 | tr -d '\n/+=' | head -c "$2"; }
make postgres-password "$(rand 48 40)"
make mongodb-password "$(rand 48 40)"
make mongodb-uri "mongodb://alusdok:$(cat secrets/mongodb-password)@mongodb:27017/?replicaSet=rs0&authSource=admin"
make accesslog-key "$(rand 64 48)"
make codec-keys "prod-1:$(head -c 32 /dev/urandom | base64)"
make audit-key "$(head -c 32 /dev/urandom | base64)"
[ -s secrets/ui-oidc-client-secret ] || touch secrets/ui-oidc-client-secret
echo "Put the CA certificates that sign Estonian eID signatures in ./trust (README: trust store)."
