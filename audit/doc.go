// Package audit is the processing log of R17: an append-only, tamper-evident
// record of every step of the procedure (received, validated, corrections
// requested, entered, refused, …) with the submitter's name, the base
// document's kind, number and date, who acted and when.
//
// # Hash chain
//
// Entries are numbered 1, 2, 3, … without gaps. Each entry carries the hash
// of the entry before it (PrevHash; the first entry carries GenesisHash) and
// its own Hash, the hex SHA-256 of a canonical encoding of all its other
// fields including PrevHash (see Canonical). Changing, deleting, inserting or
// reordering entries therefore breaks the chain at the first entry touched,
// and Verify names that entry. What a hash chain cannot show on its own is
// the loss of the newest entries together with the head hint: to detect
// that, the last hash that Verify reports must be kept somewhere else too
// (a supervisor's report, a signed daily notice).
//
// # Storage
//
// Three collections, all with string _ids:
//
//   - audit (CollEntries): the entries, _id = the sequence number padded to
//     twelve digits ("000000000042"), so that _id order is seq order.
//   - audit_keys (CollKeys): one claim per idempotency key, _id = the key,
//     inserted when the first append with that key begins.
//   - audit_head (CollHead): one document, _id "head", with the seq and hash
//     of the newest entry. It is only a hint: it may lag behind the tail
//     and, because FerretDB's updates are not atomic across clients, may in
//     rare races even move back; it always names a real entry with its
//     hash.
//
// The one primitive relied on is that inserting a document whose _id exists
// fails atomically with a duplicate-key error. There are no transactions and
// no compare-and-set updates.
//
// Reads are what cost on FerretDB v1 (SQLite): its "pushdown" of a filter
// {_id: <string>} reaches SQLite as a WHERE on _ferretdb_sjson->'$._id',
// which does not match the expression of the unique _id index
// (_ferretdb_sjson->"_id"), so SQLite scans the table (EXPLAIN QUERY PLAN:
// SCAN), stopping at the first match. A lookup of a missing or a recent
// entry therefore costs a scan of the whole log, while the duplicate check
// of an insert uses the index. So Append's usual path reads only the
// one-document head and otherwise only inserts; it reads entries and scans
// only when retried or when it loses a race.
//
// # Append
//
//  1. Take the Log's mutex (appenders in one process queue here rather than
//     race in the database; it is held over two inserts).
//  2. Read the head: (h, hash of h), or (0, GenesisHash). A Log that has
//     written or read an entry since it started uses the newest such entry
//     instead of reading the head document: every entry written after it
//     has a higher seq, which is all the argument below needs of a head.
//  3. Claim the key: insert {_id: key} into audit_keys. A duplicate-key
//     error means an append with this key began before (a retry, or an
//     attempt running beside this one): look for an entry with the key
//     (a scan; on MongoDB an index on key would make it a lookup); if there
//     is one, return it and write nothing.
//  4. Insert entry h+1 with PrevHash = the head's hash. On a duplicate-key
//     error, entry h+1 exists: read it; if it carries our key, return it
//     (another attempt with the key wrote it); else step over it and
//     insert h+2, and so on.
//  5. Release the mutex, then move the head forward to the entry written.
//
// Why a key never gets two entries, even when a retry runs beside the
// attempt it retries: every attempt reads its head before it claims, and
// inserts at seq s only after reading every entry between its head and s
// (step 4). Take the first attempt A (its claim succeeded) and a later one
// B. B's entry would be inserted after B's claim, hence after A's claim and
// A's head read, so it lies after A's head. A's entry either existed when
// B's scan began (and B's scan returns it), or was inserted after B's head
// read, so it lies after B's head. Whichever of the two entries has the
// lower seq was thus read by the other attempt's walk, which returned it
// instead of inserting. Two later attempts compare the same way.
//
// Crash windows, each safe on retry with the same key:
//
//   - before the claim: nothing was written; the retry is a first attempt.
//   - after the claim, before the entry: the retry finds the claim, scans,
//     finds no entry, and appends it.
//   - after the entry, before the head moves: the entry is a valid link of
//     the chain; the retry finds it by its scan. The next appender's insert
//     of h+1 meets it and steps over it.
//
// A retried append returns the entry already written, whatever the retry's
// other fields say (its Time, typically, differs).
//
// # Reading
//
// Verify reads the whole collection once, in _id order, and checks every
// link; a broken chain is a Report, not an error. List serves supervisors
// (R19.2) and persons asking what was done with their data (R16.3, by
// Subjects); its filters are not by _id, so on FerretDB they scan the whole
// collection. They are rare, and paged by seq.
//
// # Personal data
//
// Entries name the submitter and the clerk, never a personal code: Subjects
// holds the caller's keys of persons (hashes of their personal codes), and
// Append refuses a subject that looks like a raw code. Detail is free text
// that callers promise to keep free of personal codes.
package audit
