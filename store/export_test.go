package store

import (
	"context"
	"errors"
)

// AsMongoDB makes s plan its queries as for MongoDB (isFerretDB false), so
// that the embedded FerretDB, which answers them too, tests them.
func AsMongoDB(s *Store) { s.server.Store(serverMongoDB) }

// IsFerretDB is isFerretDB.
func IsFerretDB(s *Store) bool { return s.isFerretDB(context.Background()) }

// Slots lists the slots (CollBlocks) of the block of certificate id: the
// submission of each, in slot order.
func Slots(s *Store, id string) ([]string, error) {
	var subs []string
	for n := 0; ; n++ {
		var slot blockSlot
		err := s.findByID(context.Background(), CollBlocks, slotID(blockOf(id), n), &slot)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				return subs, nil
			}
			return nil, err
		}
		subs = append(subs, slot.Submission)
	}
}
