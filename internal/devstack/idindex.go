package devstack

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // FerretDB's own SQLite driver; registered once
)

// FerretDB v1.24 on SQLite answers a query whose filter is exactly
// {_id: <string>} with `WHERE _ferretdb_sjson->'$._id' = ?`, but its unique
// index is on the expression `_ferretdb_sjson->"_id"`. SQLite uses an
// expression index only for the identical expression, so every such lookup
// scans the table (measured: 410 ms per lookup at 100k documents, 2 ms with
// the index below). alusdok keys every hot read by _id, so the embedded
// stack adds the index FerretDB's query needs to every collection's table:
// at start, and every indexInterval for collections created since.
// Production MongoDB needs none of this.
const indexInterval = 10 * time.Second

// indexIDs adds the _id pushdown index to every collection of every
// database FerretDB keeps in dir.
func indexIDs(ctx context.Context, dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := indexDatabase(ctx, f); err != nil {
			return fmt.Errorf("index %s: %w", filepath.Base(f), err)
		}
	}
	return nil
}

func indexDatabase(ctx context.Context, file string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"_alusdok_id", t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("table %s: %w", t, err)
		}
	}
	return nil
}

// keepIndexing runs indexIDs now and then every indexInterval until ctx ends.
func keepIndexing(ctx context.Context, dir string, log *slog.Logger, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(indexInterval)
	defer t.Stop()
	for {
		if err := indexIDs(ctx, dir); err != nil && ctx.Err() == nil {
			log.Warn("index _id lookups of the embedded MongoDB", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
