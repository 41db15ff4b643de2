// Package accesslog is the data-access log (Andmejälgija): every read of a
// person's personal data by anyone but the person themself is recorded —
// who read it, whose data, what, why and when — and the person can list the
// entries about them (R16.3, SPEC "Beyond the statute").
//
// # Storage
//
// The entries about one person in one calendar year are one document in the
// access_log collection, its _id the person's key (see below) and the year:
// "<key>:2026". Listing a person's entries is then one lookup by _id per
// year of the listing window (ListYears, default ten): the only filter
// FerretDB v1 pushes down to SQLite is {_id: <string>}, so a filter on any
// other field — a "person" field on one document per entry, say — reads the
// whole collection (see the benchmark).
//
// Recording appends to the year document with $addToSet in an upsert keyed
// by _id, so a retried Record (the same Event, the same entry ids) adds
// nothing twice. FerretDB v1 applies an update as read, modify, write without
// a transaction, so two concurrent updates of one document may lose one;
// the Store therefore serialises its writes to one document within the
// process (alusdok dev runs one process on FerretDB). MongoDB applies $addToSet
// atomically, so several API processes are safe in production.
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
