package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Swept names what Sweep removed.
type Swept struct {
	Uploads []string // staged uploads no submission lists
	Blobs   []string // stored files nothing references
}

// Sweep removes what a killed request or a crash left behind, older than
// before: uploads staged but never listed by a submission (a request killed
// between staging and starting its workflow, or a correction whose Update
// never arrived), then stored files that no upload, notice or submission
// references (their metadata, a PDF only they used). The read model is
// the reference: every upload a workflow accepted is in its submission's
// row within a step. It reads the collections once each: a daily job.
func (s *Store) Sweep(ctx context.Context, before time.Time) (Swept, error) {
	var out Swept
	listed := map[string]bool{}     // upload ids in submissions
	renditions := map[string]bool{} // rendition blob ids of submissions
	err := s.each(ctx, CollSubmissions, func(raw bson.Raw) error {
		var sub struct {
			ID      string      `bson:"_id"`
			Uploads []UploadRef `bson:"uploads"`
		}
		if err := bson.Unmarshal(raw, &sub); err != nil {
			return err
		}
		renditions[RenditionBlobID(sub.ID)] = true
		for _, u := range sub.Uploads {
			listed[u.ID] = true
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	referenced := map[string]bool{}
	var orphans []Upload
	err = s.each(ctx, CollUploads, func(raw bson.Raw) error {
		var u Upload
		if err := bson.Unmarshal(raw, &u); err != nil {
			return err
		}
		if !listed[u.ID] && u.ReceivedAt.Before(before) {
			orphans = append(orphans, u)
			return nil
		}
		referenced[u.DocumentBlob], referenced[u.MetadataBlob] = true, true
		return nil
	})
	if err != nil {
		return out, err
	}
	for _, u := range orphans {
		if _, err := s.c(CollUploads).DeleteOne(ctx, byID(u.ID)); err != nil {
			return out, fmt.Errorf("delete upload %s: %w", u.ID, err)
		}
		out.Uploads = append(out.Uploads, u.ID)
	}
	err = s.each(ctx, CollNotices, func(raw bson.Raw) error {
		if id, ok := raw.Lookup("blob").StringValueOK(); ok {
			referenced[id] = true
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	var unreferenced []string
	err = s.each(ctx, BucketDocuments+".files", func(raw bson.Raw) error {
		var b Blob
		if err := bson.Unmarshal(raw, &b); err != nil {
			return err
		}
		if !referenced[b.ID] && !renditions[b.ID] && b.UploadDate.Before(before) {
			unreferenced = append(unreferenced, b.ID)
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	for _, id := range unreferenced {
		if err := s.DeleteBlob(ctx, BucketDocuments, id); err != nil {
			return out, err
		}
		out.Blobs = append(out.Blobs, id)
	}
	return out, nil
}

// each calls fn with every document of coll.
func (s *Store) each(ctx context.Context, coll string, fn func(bson.Raw) error) error {
	cur, err := s.c(coll).Find(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("read %s: %w", coll, err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		if err := fn(cur.Current); err != nil {
			return fmt.Errorf("read %s: %w", coll, err)
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("read %s: %w", coll, err)
	}
	return nil
}
