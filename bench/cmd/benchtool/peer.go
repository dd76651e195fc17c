package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the peer engine: SQLite FTS5 in pure Go, in this tool only

	"github.com/lga-digital/bulletin/index"
)

// The peer is the engine a user would otherwise embed: SQLite's FTS5 (porter
// stemming, bm25 ranking with the title weighed twice, as our title boost)
// over the same items, asked the same queries of the mix for the top 20 and
// the total, as bare as our "bare" search. It lives here, never in the
// binary (modernc.org/sqlite is imported by this tool only).

// peerQuery is one query of the mix in SQLite: an FTS5 MATCH expression
// (empty for a query without words) and an SQL condition on the meta table m.
type peerQuery struct {
	match, where string
}

func unix(y, m, d int) int64 { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() }

// peerQueries translates every query of the mix by hand: FTS5 has its own
// syntax (NOT for our "-", column filters for title:) and fields are columns.
var peerQueries = map[string]peerQuery{
	"council":                             {match: "council"},
	"digital inclusion":                   {match: "digital inclusion"},
	`"connected places"`:                  {match: `"connected places"`},
	"cyber OR ransomware":                 {match: "cyber OR ransomware"},
	"procure*":                            {match: "procure*"},
	"title:budget":                        {match: "title:budget"},
	"org:NCSC":                            {where: "m.rowid IN (SELECT item FROM org WHERE org = 'ncsc')"},
	"ai -webinar":                         {match: "ai NOT webinar"},
	"date:2005":                           {where: fmt.Sprintf("m.published >= %d AND m.published < %d", unix(2005, 1, 1), unix(2006, 1, 1))},
	`"local government" after:2005-01-01`: {match: `"local government"`, where: fmt.Sprintf("m.published >= %d", unix(2005, 1, 1))},
	"":                                    {},
	"section:events":                      {where: "m.section = 'events'"},
	"skills framework":                    {match: "skills framework"},
	"microsoft negotiations":              {match: "microsoft negotiations"},
	"edition:100":                         {where: "m.edition = 100"},
	"salford OR leeds":                    {match: "salford OR leeds"},
}

const peerSchema = `
CREATE VIRTUAL TABLE fts USING fts5(title, text, tokenize = 'porter unicode61');
CREATE TABLE meta(rowid INTEGER PRIMARY KEY, published INTEGER, position INTEGER, section TEXT, source TEXT, edition INTEGER);
CREATE TABLE org(item INTEGER, org TEXT);
`

const peerIndexes = `
CREATE INDEX meta_published ON meta(published DESC, position);
CREATE INDEX meta_section ON meta(section, published DESC);
CREATE INDEX meta_edition ON meta(edition);
CREATE INDEX org_org ON org(org, item);
INSERT INTO fts(fts) VALUES ('optimize');
`

// peerBuildCmd copies every item of our index into a new SQLite database.
func peerBuildCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("peer-build", flag.ContinueOnError)
	dir := fs.String("index", "", "our index directory (data_dir/index)")
	dbPath := fs.String("db", "", "SQLite database to create")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || *dbPath == "" {
		return errors.New("-index and -db are required")
	}
	ix, err := index.Open(*dir)
	if err != nil {
		return err
	}
	defer ix.Close()
	os.Remove(*dbPath)
	db, err := sql.Open("sqlite", "file:"+*dbPath+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, peerSchema); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	began := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	insFTS, _ := tx.PrepareContext(ctx, "INSERT INTO fts(rowid, title, text) VALUES (?, ?, ?)")
	insMeta, _ := tx.PrepareContext(ctx, "INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?)")
	insOrg, _ := tx.PrepareContext(ctx, "INSERT INTO org VALUES (?, ?)")
	n := int64(0)
	for page := 1; ; page++ {
		res, err := ix.Search(ctx, index.Request{Sort: "date", Page: page, Size: index.MaxSize})
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			it := h.Item
			n++
			if _, err := insFTS.ExecContext(ctx, n, it.Title, it.Text); err != nil {
				return err
			}
			section := strings.ToLower(strings.Join(strings.Fields(it.Section), " "))
			if _, err := insMeta.ExecContext(ctx, n, it.Published.Unix(), it.Position, section, it.Source, it.EditionNumber); err != nil {
				return err
			}
			for _, o := range it.Orgs {
				if _, err := insOrg.ExecContext(ctx, n, strings.ToLower(o)); err != nil {
					return err
				}
			}
		}
		if len(res.Hits) < index.MaxSize {
			break
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, peerIndexes); err != nil {
		return fmt.Errorf("indexes: %w", err)
	}
	st, err := os.Stat(*dbPath)
	if err != nil {
		return err
	}
	fmt.Printf("mode=peer-build items=%d seconds=%.1f items_per_s=%.0f db_mib=%.1f\n",
		n, time.Since(began).Seconds(), float64(n)/time.Since(began).Seconds(), float64(st.Size())/(1<<20))
	return nil
}

// peerDB opens the peer database for reading by c connections, mapping it
// into memory as Bleve maps its segments.
func peerDB(path string, c int) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=mmap_size(4294967296)&_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(c)
	db.SetMaxIdleConns(c)
	return db, nil
}

// peerSearch runs one query of the mix: the top 20 (by bm25, or newest
// first without words) with their title and text, and the total.
func peerSearch(ctx context.Context, db *sql.DB, q string) (int, error) {
	pq, ok := peerQueries[q]
	if !ok {
		return 0, fmt.Errorf("query %q has no SQLite translation (peer.go)", q)
	}
	where := "1"
	if pq.where != "" {
		where = pq.where
	}
	var top, count string
	var args []any
	if pq.match != "" {
		top = "SELECT fts.rowid, fts.title, fts.text FROM fts JOIN meta m ON m.rowid = fts.rowid WHERE fts MATCH ? AND " + where +
			" ORDER BY bm25(fts, 2.0, 1.0) LIMIT 20"
		count = "SELECT count(*) FROM fts JOIN meta m ON m.rowid = fts.rowid WHERE fts MATCH ? AND " + where
		args = []any{pq.match}
	} else {
		top = "SELECT fts.rowid, fts.title, fts.text FROM (SELECT rowid FROM meta m WHERE " + where +
			" ORDER BY m.published DESC, m.position LIMIT 20) t JOIN fts ON fts.rowid = t.rowid"
		count = "SELECT count(*) FROM meta m WHERE " + where
	}
	rows, err := db.QueryContext(ctx, top, args...)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", q, err)
	}
	for rows.Next() {
		var id int64
		var title, text string
		if err := rows.Scan(&id, &title, &text); err != nil {
			rows.Close()
			return 0, err
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var total int
	if err := db.QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
		return 0, fmt.Errorf("%q: %w", q, err)
	}
	return total, nil
}

// peerCmd runs the query mix on the peer database, as searchCmd does on ours.
func peerCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("peer", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database made by peer-build")
	cs := fs.String("c", "1", "concurrent clients, comma-separated for several runs")
	duration := fs.Duration("duration", 5*time.Second, "how long each run lasts")
	max := fs.Int("max", 1000000, "most searches per run")
	perQuery := fs.Int("per-query", 0, "instead: run each query of the mix this many times, alone, and print its median time")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, q := range queryMix {
		if _, ok := peerQueries[q]; !ok {
			return fmt.Errorf("query %q has no SQLite translation (peer.go)", q)
		}
	}
	counts, err := parseCounts(*cs)
	if err != nil {
		return err
	}
	db, err := peerDB(*dbPath, slicesMax(counts))
	if err != nil {
		return err
	}
	defer db.Close()
	if *perQuery > 0 {
		for _, q := range queryMix {
			var times []time.Duration
			total := 0
			for range *perQuery {
				t0 := time.Now()
				if total, err = peerSearch(ctx, db, q); err != nil {
					return err
				}
				times = append(times, time.Since(t0))
			}
			fmt.Printf("query=%q total=%d sqlite_ms=%.2f\n", q, total, float64(median(times).Microseconds())/1000)
		}
		return nil
	}
	do := func(ctx context.Context, i int) (int, error) {
		if _, err := peerSearch(ctx, db, queryMix[i%len(queryMix)]); err != nil {
			return 500, err
		}
		return 200, nil
	}
	for _, c := range counts {
		res := drive(ctx, c, *duration, *max, 2*len(queryMix), do)
		fmt.Printf("mode=sqlite c=%d %s\n", c, res)
		if res.errs > 0 {
			return fmt.Errorf("%d of %d searches failed", res.errs, res.n)
		}
	}
	return nil
}

// parseCounts reads a comma-separated list of positive client counts.
func parseCounts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		var c int
		if _, err := fmt.Sscan(f, &c); err != nil || c < 1 {
			return nil, fmt.Errorf("-c %q: want positive integers", s)
		}
		out = append(out, c)
	}
	return out, nil
}

func slicesMax(xs []int) int {
	m := 1
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
