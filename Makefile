# alusdok — the two commands that matter: `make run` and `make test`.
GO      ?= go
BIN     := bin/alusdok
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
# workflowcheck: the static checker of workflow determinism.
WORKFLOWCHECK := go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0

.PHONY: run build test bench bench-speed stress lint test-deps topology topology-ci

## run: everything in one process on embedded Temporal and MongoDB, data in ./data;
## the test CA is trusted so that the example documents can be submitted
run: build
	./$(BIN) dev --data ./data --trust-dir documents/testdata/trust

## build: the alusdok binary in bin/
build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/alusdok

## test: every test, with the race detector (installs what the tests need first)
test: test-deps
	$(GO) test -race -count=1 -timeout 30m ./...

## test-deps: Debian packages the tests use (poppler-utils, libnss3-tools, chromium, libxml2-utils); idempotent
test-deps:
	bash scripts/install-test-deps.sh

## bench: benchmarks, each next to a baseline measured in the same run (-v: without it
## go test keeps only the first 10 lines a benchmark logs)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 -timeout 60m -v ./...

## bench-speed: issue #15's three figures only (procedure, 10,000-certificate decision,
## status endpoint), each a ratio to a baseline in the same run, one after the other
bench-speed:
	for b in BenchmarkSpeedProcedure BenchmarkSpeedLargeDecision BenchmarkSpeedStatus; do \
		$(GO) test -run '^$$' -bench "^$$b$$" -benchtime=1x -count=1 -timeout 30m -v ./e2e || exit 1; \
	done

## stress: the whole procedure at twice the cores' worth of documents in flight for
## 10 minutes (ALUSDOK_STRESS_MINUTES), progress reported per minute
stress:
	ALUSDOK_STRESS=1 $(GO) test -run '^$$' -bench BenchmarkStress -benchtime=1x -timeout 30m -v ./e2e

## topology: the production topology on this machine — PostgreSQL, Temporal and FerretDB as
## processes of their own, two `alusdok api` and two `alusdok worker` — checked across the
## processes, under faults, and measured next to `alusdok dev` (200 documents a phase)
topology:
	bash scripts/topology.sh

## topology-ci: the same, smaller (30 documents a phase, a 2,000-certificate entry killed)
topology-ci:
	TOPOLOGY_DOCS=30 TOPOLOGY_LARGE=2000 bash scripts/topology.sh

## lint: gofmt, go vet, workflowcheck and go mod tidy
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(WORKFLOWCHECK) ./workflows/...
	@$(GO) mod tidy -diff >/dev/null || { echo "go mod tidy would change go.mod/go.sum: run it and commit"; exit 1; }
