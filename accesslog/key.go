package accesslog

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// KeyCollection holds the development key of the data-access log.
const KeyCollection = "access_log_key"

// DevelopmentKey returns the secret key kept in database db, making it on
// first use. It is for "alusdok dev" only: a key kept next to the log it
// protects protects nothing against a copy of the database. In production
// set ALUSDOK_ACCESSLOG_KEY and keep it elsewhere.
func DevelopmentKey(ctx context.Context, db *mongo.Database) ([]byte, error) {
	coll := db.Collection(KeyCollection)
	read := func() ([]byte, error) {
		var doc struct {
			Key []byte `bson:"key"`
		}
		err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "hmac"}}).Decode(&doc)
		return doc.Key, err
	}
	key, err := read()
	if err == nil {
		return key, nil
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("data-access log key: %w", err)
	}
	key = make([]byte, MinKeyLen)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("data-access log key: %w", err)
	}
	_, err = coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "hmac"}, {Key: "key", Value: key}})
	if mongo.IsDuplicateKeyError(err) {
		// Another process made it first: use theirs.
		key, err = read()
	}
	if err != nil {
		return nil, fmt.Errorf("data-access log key: %w", err)
	}
	return key, nil
}
