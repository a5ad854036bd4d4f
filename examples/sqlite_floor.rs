//! What SQLite alone costs to write the rows an import leaves behind: the floor under any
//! importer that keeps the same data in the same schema, measured with the SQLite recette is
//! built with (rusqlite's bundled copy).
//!
//! Copies every row of a finished store (made by `recette import`) into an empty store with the
//! same schema (tables, indexes, triggers) and recette's settings (WAL, `synchronous=NORMAL`,
//! foreign keys on, a page cache that holds the transaction), in one transaction, parents before
//! children, then checkpoints the WAL into the database file — the work an import's inserts,
//! commit and close do. No file parsing, no validation, no application code: rows go from one
//! B-tree to another inside SQLite (`INSERT INTO main.t SELECT * FROM src.t`).
//!
//! `cargo run --release --example sqlite_floor -- STORE.db [RUNS] [--fk off] [--bound]`
//! Prints per table rows and seconds, and the best total of RUNS (default 3).

use std::collections::BTreeSet;
use std::time::Instant;

use rusqlite::Connection;

type Run = (Vec<(String, usize, f64)>, f64, f64, u64);

fn copy_once(src: &str, fk: bool, bound: bool) -> Result<Run, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let dst = dir.path().join("copy.db");
    let schema: Vec<String> = {
        let s = Connection::open(src)?;
        let mut stmt = s.prepare(
            "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
             ORDER BY type = 'index', type = 'trigger', rowid",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let d = Connection::open(&dst)?;
    d.pragma_update(None, "journal_mode", "WAL")?;
    d.pragma_update(None, "synchronous", "NORMAL")?;
    d.pragma_update(None, "foreign_keys", fk)?;
    d.pragma_update(None, "cache_size", -262_144)?;
    for q in &schema {
        d.execute_batch(q)?;
    }
    d.execute("ATTACH ?1 AS src", [src])?;
    let tables: Vec<String> = {
        let mut stmt = d.prepare(
            "SELECT name FROM src.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let parents = |t: &str| -> rusqlite::Result<BTreeSet<String>> {
        let mut stmt = d.prepare(&format!("PRAGMA src.foreign_key_list('{t}')"))?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(2))?;
        let mut set: BTreeSet<String> = rows.collect::<rusqlite::Result<_>>()?;
        set.remove(t);
        Ok(set)
    };
    let mut order: Vec<String> = Vec::new();
    while order.len() < tables.len() {
        let done: BTreeSet<String> = order.iter().cloned().collect();
        let mut ready = Vec::new();
        for t in &tables {
            if !done.contains(t) && parents(t)?.is_subset(&done) {
                ready.push(t.clone());
            }
        }
        if ready.is_empty() {
            // A cycle: take the rest as listed.
            ready = tables
                .iter()
                .filter(|t| !done.contains(*t))
                .cloned()
                .collect();
        }
        order.extend(ready);
    }
    // `--bound`: the rows are first read into memory, then written the cheapest way an
    // application can write rows it holds: multi-row INSERTs of 64 rows with bound values,
    // prepared once per table. Without it, rows go from B-tree to B-tree (INSERT ... SELECT).
    let held: Vec<(String, usize, Vec<rusqlite::types::Value>)> = if bound {
        let mut v = Vec::new();
        for t in &order {
            let mut stmt = d.prepare(&format!("SELECT * FROM src.\"{t}\""))?;
            let n = stmt.column_count();
            let mut rows = stmt.query([])?;
            let mut vals = Vec::new();
            while let Some(r) = rows.next()? {
                for i in 0..n {
                    vals.push(r.get::<_, rusqlite::types::Value>(i)?);
                }
            }
            v.push((t.clone(), n, vals));
        }
        v
    } else {
        Vec::new()
    };
    let mut per_table = Vec::new();
    let start = Instant::now();
    d.execute_batch("BEGIN IMMEDIATE")?;
    if bound {
        for (t, cols, vals) in &held {
            let t0 = Instant::now();
            let row = format!("({})", vec!["?"; *cols].join(","));
            let rows = vals.len() / cols.max(&1);
            let per = (64usize).min((32_766 / cols.max(&1)).max(1));
            let mut done = 0;
            let sql = |k: usize| {
                format!(
                    "INSERT INTO main.\"{t}\" VALUES {}",
                    vec![row.as_str(); k].join(",")
                )
            };
            let mut full = d.prepare(&sql(per))?;
            let mut last;
            while done < rows {
                let k = per.min(rows - done);
                let stmt = if k == per {
                    &mut full
                } else {
                    last = d.prepare(&sql(k))?;
                    &mut last
                };
                for (i, v) in vals[done * cols..(done + k) * cols].iter().enumerate() {
                    stmt.raw_bind_parameter(i + 1, v)?;
                }
                stmt.raw_execute()?;
                done += k;
            }
            per_table.push((t.clone(), rows, t0.elapsed().as_secs_f64()));
        }
    } else {
        for t in &order {
            let t0 = Instant::now();
            let n = d.execute(
                &format!("INSERT INTO main.\"{t}\" SELECT * FROM src.\"{t}\""),
                [],
            )?;
            per_table.push((t.clone(), n, t0.elapsed().as_secs_f64()));
        }
    }
    d.execute_batch("COMMIT")?;
    let insert = start.elapsed().as_secs_f64();
    let t1 = Instant::now();
    d.execute_batch("DETACH src")?;
    d.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    drop(d);
    let checkpoint = t1.elapsed().as_secs_f64();
    let size = std::fs::metadata(&dst)?.len();
    Ok((per_table, insert, checkpoint, size))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(src) = args.first() else {
        eprintln!("usage: sqlite_floor STORE.db [RUNS] [--fk off]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let fk = !args.windows(2).any(|w| w[0] == "--fk" && w[1] == "off");
    let bound = args.iter().any(|a| a == "--bound");
    let mut best: Option<Run> = None;
    for _ in 0..runs {
        let run = copy_once(src, fk, bound)?;
        if best.as_ref().is_none_or(|b| run.1 + run.2 < b.1 + b.2) {
            best = Some(run);
        }
    }
    let Some((per_table, insert, checkpoint, size)) = best else {
        return Ok(());
    };
    let rows: usize = per_table.iter().map(|(_, n, _)| n).sum();
    for (t, n, secs) in &per_table {
        if *n >= 1000 {
            println!("  {t:<28} {n:>9} rows {secs:6.2} s");
        }
    }
    println!(
        "floor{}: {rows} rows, {} MB: insert + commit {insert:.2} s, checkpoint {checkpoint:.2} s, \
         total {:.2} s (best of {runs}; SQLite {} bundled, foreign keys {})",
        if bound { " (bound values, 64-row INSERTs)" } else { "" },
        size / 1_000_000,
        insert + checkpoint,
        rusqlite::version(),
        if fk { "on" } else { "off" }
    );
    Ok(())
}
