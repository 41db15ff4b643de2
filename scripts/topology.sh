#!/usr/bin/env bash
# make topology: alusdok in its production shape, on this machine.
#
# Starts a throwaway PostgreSQL cluster (Debian's packages, as an
# unprivileged user, in a temporary directory), Temporal's schema set up by
# Temporal's own SQL tool, a Temporal server and a FerretDB on that
# PostgreSQL, two `alusdok api` and two `alusdok worker` processes
# configured only by ALUSDOK_* variables, and a round-robin in front of the
# APIs; checks what must hold across the processes, runs a batch under
# faults, measures throughput next to `alusdok dev`, and stops everything.
# The work is internal/topology's TestProductionTopology; this script builds
# what it runs, hands it the paths and cleans up whatever a failed run left.
#
#   TOPOLOGY_DOCS=200       committee decisions per phase
#   TOPOLOGY_LARGE=5000     certificates of the decision whose worker is killed
#   TOPOLOGY_IN_FLIGHT=16   documents in flight
#   TOPOLOGY_FERRETDB_POOL=200  FerretDB's PostgreSQL connections (FerretDB's own
#                           default, 50, starved once: see README)
#   TOPOLOGY_KEEP=1         keep the run's directory (logs) afterwards
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
root=$(pwd)

# Temporal's tools at the version of the server that alusdok's go.mod
# pins (the embedded devserver's): the server and its SQL tool.
version=$($GO list -m -f '{{.Version}}' go.temporal.io/server)
moddir=$($GO list -m -f '{{.Dir}}' go.temporal.io/server)
if [ -z "$moddir" ]; then
	$GO mod download go.temporal.io/server
	moddir=$($GO list -m -f '{{.Dir}}' go.temporal.io/server)
fi
tools=$root/bin/topology/temporal-$version
if [ ! -x "$tools/server" ] || [ ! -x "$tools/sql" ]; then
	echo "building temporal-server and temporal-sql-tool $version (once; several minutes)"
	GOBIN=$tools $GO install "go.temporal.io/server/cmd/server@$version" "go.temporal.io/server/cmd/tools/sql@$version"
fi
$GO build -o "$tools/ferretdb" ./internal/topology/ferretdb
make --no-print-directory build >/dev/null

pgbin=${TOPOLOGY_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ ! -x "$pgbin/initdb" ]; then
	echo "PostgreSQL's server binaries are missing: apt-get install postgresql" >&2
	exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/alusdok-topology.XXXXXX")
chmod 755 "$dir"
cleanup() {
	# Whatever the test could not stop (a panic, a timeout): each
	# process's group, by the pid it recorded.
	for f in "$dir"/pids/*; do
		[ -e "$f" ] || continue
		pid=$(cat "$f")
		kill -KILL -- "-$pid" 2>/dev/null || true
	done
	if [ "${TOPOLOGY_KEEP:-}" = 1 ]; then
		echo "kept $dir"
	else
		rm -rf "$dir"
	fi
}
trap cleanup EXIT

begin=$(date +%s)
TOPOLOGY_FERRETDB_POOL=${TOPOLOGY_FERRETDB_POOL:-200} TOPOLOGY_RUN=1 TOPOLOGY_DIR=$dir TOPOLOGY_ALUSDOK=$root/bin/alusdok TOPOLOGY_TOOLS=$tools \
	TOPOLOGY_SCHEMA=$moddir/schema/postgresql/v12 TOPOLOGY_PG_BIN=$pgbin \
	$GO test -run '^TestProductionTopology$' -count=1 -v -timeout 60m ./internal/topology
echo "make topology: $(( $(date +%s) - begin )) s"
