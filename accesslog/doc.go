// Package accesslog is the data-access log (Andmejälgija): every read of a
// person's personal data by anyone but the person themself is recorded —
// who read it, whose data, what, why and when — and the person can list the
// entries about them (R16.3, SPEC "Beyond the statute").
//
// # Storage
//
// The entries about one person are one document in the access_log
// collection, its _id the person's key (see below). Listing them is one
// lookup by _id, and recording a read is one upsert by _id: the only filter
// FerretDB v1 hands to SQLite is {_id: <string>}; any other — a "person"
// field on one document per entry, say — is applied in Go to every document
// of the collection (see BenchmarkListForPersonAt100kEntries).
//
// FerretDB v1.24 on SQLite still scans the table for that _id filter: its
// query reads _ferretdb_sjson->'$._id' while its unique index is on
// _ferretdb_sjson->"_id", and SQLite uses an expression index only for the
// same expression (EXPLAIN QUERY PLAN: SCAN). The scan runs in SQLite, an
// order of magnitude faster than FerretDB's in Go but still proportional to
// the collection; an index on the expression FerretDB queries makes the
// lookup a SEARCH. MongoDB uses its _id index.
//
// Recording appends to the person's document with $addToSet in an upsert,
// so a retried Record (the same Event, the same entry ids) adds nothing
// twice. FerretDB v1 applies an update as read, modify, write without a
// transaction, so two concurrent updates of one document lose one (measured:
// 24 concurrent reads of one person left 4 entries); the Store therefore
// serialises its writes to one document within the process (alusdok dev runs
// one process on FerretDB). MongoDB applies $addToSet atomically, so several
// API processes are safe in production.
//
// # Personal codes
//
// The log does not store personal codes. A person's key is an HMAC-SHA-256
// of their personal code under a secret key (ALUSDOK_ACCESSLOG_KEY): a
// personal code has only about 10⁹ possible values, so a plain hash would be
// reversed by trying them all, while the keyed hash reveals nothing without
// the secret. A copy of the collection alone thus does not tell whose data
// was read; the person, who knows their code, lists their entries through
// the API. The price: the secret must be kept for as long as the entries,
// and changing it orphans the entries filed under the old one.
//
// Nothing here writes a personal code to slog or into an error.
package accesslog
