package store

import "context"

// AsMongoDB makes s plan its queries as for MongoDB (isFerretDB false), so
// that the embedded FerretDB, which answers them too, tests them.
func AsMongoDB(s *Store) { s.server.Store(serverMongoDB) }

// IsFerretDB is isFerretDB.
func IsFerretDB(s *Store) bool { return s.isFerretDB(context.Background()) }
