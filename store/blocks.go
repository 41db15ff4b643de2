package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"golang.org/x/sync/errgroup"

	"github.com/kutsekoda/alusdok/documents"
)

// CollBlocks lists the certificate numbers in the register by block, so
// that "which of these 10,000 numbers are taken?" is a point lookup per
// block of numbers, not per number, on a store that serves nothing but an
// exact _id from its index (FerretDB v1, see ExistingCertificates).
//
// A block is a certificate id without its last two characters: the
// numbers 123400–123499 of one type are one block. Each entry that enters
// numbers of a block inserts one slot of its own for it, _id
// "<block>#<n>" with n = 0, 1, 2, … — the first free one —, listing them.
// Slots are only ever inserted, never changed: FerretDB has no
// transactions and can lose one of two concurrent updates of a document
// ($addToSet included), while an insert of an _id that exists fails for
// exactly one of two writers, who then takes the next slot. A reader
// walks a block's slots from #0 to the first missing one.
//
// The slots list every number the certificates collection holds, and
// possibly more: an entry writes them after claiming its numbers and
// before its certificates, and a certificate deleted (R18) stays in its
// slot. So a number in no slot is not in the register, and a number in a
// slot is looked up to see whether it still is. Certificates entered
// before slots existed get theirs once, at start (EnsureBlocks); until
// then the register is asked number by number.
const CollBlocks = "certificate_blocks"

// blocksBuiltID is the marker EnsureBlocks writes when every certificate
// has its slot; it has no '#', so it is no slot.
const blocksBuiltID = "built"

// blockSlot is one entry's numbers of a block.
type blockSlot struct {
	ID         string   `bson:"_id"` // <block>#<n>
	Submission string   `bson:"submission"`
	IDs        []string `bson:"ids"` // CertificateIDs
}

// blockOf is the block of a certificate id.
func blockOf(id string) string {
	r := []rune(id)
	return string(r[:max(0, len(r)-2)])
}

func slotID(block string, n int) string { return fmt.Sprintf("%s#%d", block, n) }

// byBlock groups ids by block, the blocks sorted.
func byBlock(ids []string) (blocks []string, members map[string][]string) {
	members = map[string][]string{}
	for _, id := range ids {
		b := blockOf(id)
		if _, ok := members[b]; !ok {
			blocks = append(blocks, b)
		}
		members[b] = append(members[b], id)
	}
	slices.Sort(blocks)
	return blocks, members
}

// plannedCertificateIDs are the ids of the certificates an entry writes:
// the new ones and the changed ones (already noted, but a slot more is
// harmless).
func plannedCertificateIDs(plan documents.Plan) []string {
	ids := make([]string, 0, len(plan.Certificates))
	for i := range plan.Certificates {
		ids = append(ids, CertificateID(plan.Certificates[i].Key()))
	}
	for _, v := range plan.Versions {
		if v.Kind == documents.KindCertificate {
			ids = append(ids, CertificateID(v.Certificate.Key()))
		}
	}
	return ids
}

// noteBlocks gives each block of ids a slot of submission's listing its
// ids, in sorted block order from p.Blocks on: once each however often it
// is retried, since a retry that finds its own slot with these ids in the
// walk writes none. progress is called after each block.
func (s *Store) noteBlocks(ctx context.Context, ids []string, submission string, p *Progress, progress func(Progress)) error {
	blocks, members := byBlock(ids)
	for i := p.Blocks; i < len(blocks); i++ {
		if err := s.noteBlock(ctx, blocks[i], members[blocks[i]], submission); err != nil {
			return err
		}
		p.Blocks = i + 1
		progress(*p)
	}
	return nil
}

func (s *Store) noteBlock(ctx context.Context, block string, ids []string, submission string) error {
	for n := 0; ; n++ {
		var slot blockSlot
		err := s.findByID(ctx, CollBlocks, slotID(block, n), &slot)
		if err == nil {
			if slot.Submission == submission && containsAll(slot.IDs, ids) {
				return nil // an earlier attempt wrote it
			}
			// Another's, or one of this submission's for other numbers
			// (an entry that lost a claim, then corrected): not these.
			continue
		}
		if !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("note certificate numbers: %w", err)
		}
		_, err = s.c(CollBlocks).InsertOne(ctx, blockSlot{ID: slotID(block, n), Submission: submission, IDs: ids})
		if err == nil {
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("note certificate numbers: %w", err)
		}
		// Another entry took slot n meanwhile: it may be ours (a retry
		// racing itself), so it is read like the others.
		n--
	}
}

// containsAll reports whether have lists every one of want.
func containsAll(have, want []string) bool {
	set := make(map[string]bool, len(have))
	for _, id := range have {
		set[id] = true
	}
	for _, id := range want {
		if !set[id] {
			return false
		}
	}
	return true
}

// blocksBuilt reports whether every certificate has its slot (the marker
// EnsureBlocks writes). Once true it stays true.
func (s *Store) blocksBuilt(ctx context.Context) (bool, error) {
	if s.blocks.Load() {
		return true, nil
	}
	var marker struct {
		ID string `bson:"_id"`
	}
	err := s.findByID(ctx, CollBlocks, blocksBuiltID, &marker)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	s.blocks.Store(true)
	return true, nil
}

// EnsureBlocks gives every certificate entered before slots existed its
// slot (CollBlocks), then marks them built; it reads the certificates
// once, and does nothing once they are built. Entries meanwhile write
// their own slots, and a second process doing the same at once writes
// some slots twice, which readers take as they are.
func (s *Store) EnsureBlocks(ctx context.Context) error {
	built, err := s.blocksBuilt(ctx)
	if err != nil || built {
		return err
	}
	var ids []string
	err = s.each(ctx, CollCertificates, func(raw bson.Raw) error {
		if id, ok := raw.Lookup("_id").StringValueOK(); ok {
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read certificates: %w", err)
	}
	var p Progress
	if err := s.noteBlocks(ctx, ids, "before-blocks", &p, func(Progress) {}); err != nil {
		return err
	}
	if err := s.insertOnce(ctx, CollBlocks, bson.D{{Key: "_id", Value: blocksBuiltID}}); err != nil {
		return err
	}
	s.blocks.Store(true)
	return nil
}

// takenInBlocks answers which of ids are in a slot: one walk over the
// slots of each block, eight blocks at a time.
func (s *Store) takenInBlocks(ctx context.Context, ids []string) ([]string, error) {
	blocks, members := byBlock(ids)
	found := make([][]string, len(blocks))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, b := range blocks {
		g.Go(func() error {
			want := map[string]bool{}
			for _, id := range members[b] {
				want[id] = true
			}
			for n := 0; ; n++ {
				var slot blockSlot
				err := s.findByID(gctx, CollBlocks, slotID(b, n), &slot)
				if errors.Is(err, ErrNotFound) {
					return nil
				}
				if err != nil {
					return err
				}
				for _, id := range slot.IDs {
					if want[id] {
						found[i] = append(found[i], id)
						delete(want, id)
					}
				}
			}
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("read certificate numbers: %w", err)
	}
	return slices.Concat(found...), nil
}
