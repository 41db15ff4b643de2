// Package topology runs alusdok in its production shape on this machine and
// checks what must hold across processes. Its test (run by `make
// topology`, scripts/topology.sh) starts a throwaway PostgreSQL cluster,
// sets up Temporal's schema with Temporal's own SQL tool, and runs, each as
// a process of its own, a Temporal server and a FerretDB on that
// PostgreSQL, two `alusdok api` and two `alusdok worker` processes
// configured only through their ALUSDOK_* variables, and a round-robin in
// front of the APIs. It then checks idempotency, rate limits, key
// revocation, readiness and exactly-once entry across the processes, runs
// a batch of committee decisions while one worker is SIGKILLed in a large
// entry and one API SIGTERMed, and measures throughput next to `alusdok
// dev`. Everything it starts it stops.
//
// ferretdb/ is the FerretDB process the runner starts.
package topology
