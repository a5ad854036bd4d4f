#!/usr/bin/env python3
"""What SQLite alone costs to write the rows an import leaves behind: the floor under any
importer that keeps the same data in the same schema.

Copies every row of a finished store (made by `recette import`) into an empty store with the
same schema (same tables, indexes, triggers), with recette's settings (WAL,
synchronous=NORMAL, foreign keys on, a page cache large enough to hold the transaction), in
one transaction, then checkpoints the WAL into the database file — the work an import's
commit and close do. No file parsing, no validation, no application code: rows go from one
B-tree to another inside SQLite's C code (`INSERT INTO main.t SELECT * FROM src.t`), parents
before children.

Usage: python3 bench/sqlite_floor.py STORE.db [--runs N] [--fk off]
Prints per table rows and seconds, and the best total of N runs (default 3).
"""

import argparse
import os
import sqlite3
import tempfile
import time


def copy_once(src, fk):
    dst = os.path.join(tempfile.mkdtemp(prefix="recette-floor-"), "copy.db")
    s = sqlite3.connect(src)
    schema = [
        r[0]
        for r in s.execute(
            "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
            " ORDER BY type = 'index', type = 'trigger', rowid"
        )
    ]
    s.close()
    d = sqlite3.connect(dst, isolation_level=None)
    d.execute("PRAGMA journal_mode=WAL")
    d.execute("PRAGMA synchronous=NORMAL")
    d.execute(f"PRAGMA foreign_keys={'ON' if fk else 'OFF'}")
    d.execute("PRAGMA cache_size=-262144")
    for q in schema:
        d.execute(q)
    d.execute("ATTACH ? AS src", (src,))
    tables = [
        r[0]
        for r in d.execute(
            "SELECT name FROM src.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]

    def parents(t):
        return {r[2] for r in d.execute(f"PRAGMA src.foreign_key_list('{t}')")} - {t}

    order = []
    while len(order) < len(tables):
        ready = [t for t in tables if t not in order and parents(t) <= set(order)]
        if not ready:  # a cycle: take the rest as listed
            ready = [t for t in tables if t not in order]
        order.extend(ready)
    per_table = []
    start = time.perf_counter()
    d.execute("BEGIN IMMEDIATE")
    for t in order:
        t0 = time.perf_counter()
        n = d.execute(f'INSERT INTO main."{t}" SELECT * FROM src."{t}"').rowcount
        per_table.append((t, n, time.perf_counter() - t0))
    d.execute("COMMIT")
    committed = time.perf_counter()
    d.execute("DETACH src")
    d.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    d.close()
    end = time.perf_counter()
    size = os.path.getsize(dst)
    for f in (dst, dst + "-wal", dst + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    return per_table, committed - start, end - committed, size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--fk", choices=["on", "off"], default="on")
    a = ap.parse_args()
    best = None
    for _ in range(a.runs):
        run = copy_once(a.store, a.fk == "on")
        if best is None or sum(run[1:3]) < sum(best[1:3]):
            best = run
    per_table, insert, checkpoint, size = best
    rows = sum(n for _, n, _ in per_table)
    for t, n, secs in per_table:
        if n >= 1000:
            print(f"  {t:<28} {n:>9} rows {secs:6.2f} s")
    print(
        f"floor: {rows} rows, {size / 1e6:.0f} MB: insert + commit {insert:.2f} s, "
        f"checkpoint {checkpoint:.2f} s, total {insert + checkpoint:.2f} s "
        f"(best of {a.runs}; SQLite {sqlite3.sqlite_version}, foreign keys {a.fk})"
    )


if __name__ == "__main__":
    main()
