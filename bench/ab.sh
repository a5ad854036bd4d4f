#!/usr/bin/env bash
# Interleaved A/B timing of two (or more) recette binaries on the same import, fresh store each
# run: `sheet` imports the 100,000-row workbook of bench_import.sh, `results` the 200,000-case
# JUnit file of bench_results.sh into a store holding its 2,000 requirements. Prints, per binary,
# min and median wall and CPU time (user + sys) and peak RSS. Interleaving runs A, B, A, B...
# keeps a noisy shared machine from favouring one binary.
#
#   bench/ab.sh sheet|results RUNS BIN_A BIN_B [...]
#   e.g. git stash; cargo build --release; cp target/release/recette /tmp/before; git stash pop
#        cargo build --release; bench/ab.sh sheet 5 /tmp/before target/release/recette
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=$1; RUNS=$2; shift 2
WORK="${BENCH_DIR:-$(mktemp -d)}"
export RECETTE_NOW=2026-03-15T09:00:00Z RECETTE_USER=bench
TIMES="$WORK/ab.times"; : >"$TIMES"
if [ "$KIND" = sheet ]; then
  INPUT=target/bench/cahier_100000.xlsx
  [ -f "$INPUT" ] || { cargo build --release --quiet --example gen_workbook; mkdir -p target/bench
    target/release/examples/gen_workbook 100000 "$INPUT" >/dev/null; }
else
  INPUT="$WORK/junit-200000.xml"
  [ -f "$INPUT" ] || python3 bench/gen_junit.py "$INPUT" --cases 200000
  python3 - "$WORK/exigences.csv" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("Référence;Intitulé;Criticité\n")
    for i in range(1, 2001):
        f.write(f"PC-{i:04d};Exigence {i};majeure\n")
PY
  rm -f "$WORK/base.db"*
  "$1" --db "$WORK/base.db" init --project bench >/dev/null
  "$1" --db "$WORK/base.db" import "$WORK/exigences.csv" >/dev/null
  "$1" --db "$WORK/base.db" campaign create BENCH >/dev/null
fi
DB="$WORK/ab.db"
for _ in $(seq "$RUNS"); do
  for b in "$@"; do
    rm -f "$DB" "$DB-wal" "$DB-shm"
    if [ "$KIND" = sheet ]; then
      "$b" --db "$DB" init --project bench >/dev/null
      /usr/bin/time -f "$b %e %U %S %M" -a -o "$TIMES" "$b" --db "$DB" import "$INPUT" --json >/dev/null
    else
      cp "$WORK/base.db" "$DB"
      /usr/bin/time -f "$b %e %U %S %M" -a -o "$TIMES" "$b" --db "$DB" import "$INPUT" --campaign BENCH --json >/dev/null
    fi
  done
done
python3 - "$TIMES" <<'PY'
import collections, statistics as st, sys
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) == 5:
        d[p[0]].append((float(p[1]), float(p[2]) + float(p[3]), int(p[4])))
for b, v in d.items():
    w = [x[0] for x in v]; c = [x[1] for x in v]
    print(f"{b:40s} wall min {min(w):.2f} med {st.median(w):.2f}  cpu min {min(c):.2f} "
          f"med {st.median(c):.2f}  rss {max(x[2] for x in v) // 1024} MB  n={len(v)}")
PY
