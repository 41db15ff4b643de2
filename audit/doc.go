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
// Three collections, all addressed by string _id so that every lookup is a
// point lookup (the only query FerretDB v1 on SQLite pushes down; any other
// filter scans the collection):
//
//   - audit (CollEntries): the entries, _id = the sequence number padded to
//     twelve digits ("000000000042"), so that _id order is seq order.
//   - audit_keys (CollKeys): _id = an entry's idempotency key, seq = its
//     entry's number.
//   - audit_head (CollHead): one document, _id "head", seq = a hint of the
//     newest entry. It is only a hint: it may lag behind the true tail and,
//     because FerretDB's updates are not atomic across clients, may even move
//     back; every value it ever holds satisfies the invariant below.
//
// The one primitive relied on is that inserting a document whose _id exists
// fails atomically with a duplicate-key error. There are no transactions and
// no compare-and-set updates.
//
// # Append
//
// Invariant: for every value h the head hint has ever held, every entry with
// seq ≤ h has its key recorded in audit_keys.
//
//  1. Take the Log's mutex (appenders in one process queue here rather than
//     race in the database).
//  2. Read the head hint h.
//  3. Look the entry's key up in audit_keys; if it is there, return the entry
//     it names and write nothing.
//  4. Read entry h, then entries h+1, h+2, … by _id until one is missing; the
//     last one read is the tail t. For every entry walked past the hint,
//     record its key in audit_keys (insert; a duplicate-key error means it is
//     already recorded); if one of them carries our key, an earlier attempt
//     wrote it: go to 6 with that entry.
//  5. Insert entry t+1 with PrevHash = t's hash. On a duplicate-key error
//     another appender took t+1: continue the walk of step 4 from t.
//  6. Record the key (insert into audit_keys; a duplicate is fine) and move
//     the hint to the entry's seq with $max (forward only).
//
// Reading the hint before looking the key up (2 before 3) is what makes the
// invariant enough: if the key was not recorded when looked up, its entry, if
// any, lies after h, and step 4 reads every entry after h. Step 4 recording
// the keys of walked entries is what keeps the invariant true when an
// appender crashed between writing its entry and recording its key and
// another appender then moves the hint past that entry.
//
// Crash windows, each safe on retry with the same key:
//
//   - before step 5's insert: nothing was written; the retry appends anew.
//   - after the insert, before the key is recorded: the entry is in the log
//     (a valid link of the chain) but not in audit_keys. A retry finds it in
//     step 4's walk, since the hint has not passed it unless someone recorded
//     its key first, in which case step 3 finds it. If no retry ever comes,
//     the entry stays; it did happen.
//   - after the key, before the hint moves: the retry finds the key in step
//     3; the next appender walks one entry further.
//
// Two attempts with the same key running at once (an activity retried while
// its first attempt still runs) are also safe: both walk to the same tail,
// one insert wins, and the loser's continued walk meets the winner's entry.
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
