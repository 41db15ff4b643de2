package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
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
// ids: once each however often it is retried, since a retry that finds its
// own slot with these ids in the walk writes none. The blocks' first free
// slots are found eight blocks at a time and inserted with one unordered
// InsertMany; a slot another entry took meanwhile is taken again, block by
// block. progress is called once all are noted.
func (s *Store) noteBlocks(ctx context.Context, ids []string, submission string, p *Progress, progress func(Progress)) error {
	blocks, members := byBlock(ids)
	if p.Blocks >= len(blocks) {
		return nil
	}
	free := make([]int, len(blocks)) // the first free slot; -1: noted already
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, b := range blocks {
		g.Go(func() (err error) {
			free[i], err = s.freeSlot(gctx, b, members[b], submission)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return fmt.Errorf("note certificate numbers: %w", err)
	}
	var slots []any
	var of []string // the block of each slot
	for i, b := range blocks {
		if free[i] >= 0 {
			slots = append(slots, blockSlot{ID: slotID(b, free[i]), Submission: submission, IDs: members[b]})
			of = append(of, b)
		}
	}
	if len(slots) > 0 {
		_, err := s.c(CollBlocks).InsertMany(ctx, slots, options.InsertMany().SetOrdered(false))
		taken, ok := duplicates(err)
		if !ok {
			return fmt.Errorf("note certificate numbers: %w", err)
		}
		for _, i := range taken {
			if err := s.noteBlock(ctx, of[i], members[of[i]], submission); err != nil {
				return err
			}
		}
	}
	p.Blocks = len(blocks)
	progress(*p)
	return nil
}

// eachSlot reads a block's slots from #0 to the first missing one, calling
// fn with each until it answers false; it returns the slot it stopped at
// (the first missing one when fn never stopped).
func (s *Store) eachSlot(ctx context.Context, block string, fn func(blockSlot) bool) (int, error) {
	for n := 0; ; n++ {
		var slot blockSlot
		err := s.findByID(ctx, CollBlocks, slotID(block, n), &slot)
		if errors.Is(err, ErrNotFound) {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
		if !fn(slot) {
			return n, nil
		}
	}
}

// freeSlot walks a block's slots to the first free one; -1 when one of
// them is submission's with ids.
func (s *Store) freeSlot(ctx context.Context, block string, ids []string, submission string) (int, error) {
	noted := false
	n, err := s.eachSlot(ctx, block, func(slot blockSlot) bool {
		// Another's, or one of this submission's for other numbers (an
		// entry that lost a claim, then corrected), is not these.
		noted = slot.Submission == submission && containsAll(slot.IDs, ids)
		return !noted
	})
	if noted {
		return -1, nil // an earlier attempt wrote it
	}
	return n, err
}

// noteBlock gives one block its slot, from the first free one on.
func (s *Store) noteBlock(ctx context.Context, block string, ids []string, submission string) error {
	for {
		n, err := s.freeSlot(ctx, block, ids, submission)
		if err != nil {
			return fmt.Errorf("note certificate numbers: %w", err)
		}
		if n < 0 {
			return nil
		}
		_, err = s.c(CollBlocks).InsertOne(ctx, blockSlot{ID: slotID(block, n), Submission: submission, IDs: ids})
		if err == nil {
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("note certificate numbers: %w", err)
		}
		// Another entry took slot n meanwhile (or a retry of this one):
		// walk again.
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
			_, err := s.eachSlot(gctx, b, func(slot blockSlot) bool {
				for _, id := range slot.IDs {
					if want[id] {
						found[i] = append(found[i], id)
						delete(want, id)
					}
				}
				return true
			})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("read certificate numbers: %w", err)
	}
	return slices.Concat(found...), nil
}

// BlockRecorder is the register for a check whose result is kept (intake):
// it notes the blocks of every certificate the check asks about, so that
// the result can later be re-used while no writer of those blocks, nor of
// anything but certificates, has written since (RegisterChangedIn).
type BlockRecorder struct {
	documents.Register
	mu     sync.Mutex
	blocks map[string]bool
}

// RecordBlocks returns the register of s, noting blocks.
func (s *Store) RecordBlocks() *BlockRecorder {
	return &BlockRecorder{Register: s.Register(), blocks: map[string]bool{}}
}

// ExistingCertificates implements documents.Register.
func (r *BlockRecorder) ExistingCertificates(ctx context.Context, keys []documents.CertificateKey) (map[documents.CertificateKey]documents.Certificate, error) {
	r.mu.Lock()
	for _, k := range keys {
		r.blocks[blockOf(CertificateID(k))] = true
	}
	r.mu.Unlock()
	return r.Register.ExistingCertificates(ctx, keys)
}

// Blocks are the blocks of the certificates asked about so far, sorted.
func (r *BlockRecorder) Blocks() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.blocks))
	for b := range r.blocks {
		out = append(out, b)
	}
	slices.Sort(out)
	return out
}
