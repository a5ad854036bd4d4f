#!/usr/bin/env bash
# Measures `recette import` of a big JUnit file against Python readers, in one run, on the same
# file: recette (release build, fresh store holding requirements PC-0001..PC-2000 so that every
# result is linked and its automated test case and links are created), junitparser
# (JUnitXml.fromfile then every case) and xml.etree.ElementTree.iterparse (reading only).
# Prints wall time, CPU time (user+sys) and peak RSS (/usr/bin/time -v) of each, and ratios.
#
# Usage: bench/bench_results.sh [CASES]      (default 200000, about 100 MB; try 400000 for 2x)
# Needs: python3, /usr/bin/time, `pip install junitparser`.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES="${1:-200000}"
WORK="${BENCH_DIR:-$(mktemp -d)}"
FILE="$WORK/junit-$CASES.xml"
RECETTE="${RECETTE:-target/release/recette}"   # RECETTE=path/to/other/build to compare

cargo build --release --quiet
[ -f "$FILE" ] || python3 bench/gen_junit.py "$FILE" --cases "$CASES"
python3 -c "import junitparser" 2>/dev/null || { echo "pip install junitparser" >&2; exit 1; }

# A fresh store with 2000 requirements (imported from a CSV) and a campaign.
DB="$WORK/bench.db"
rm -f "$DB" "$DB-wal" "$DB-shm"
python3 - "$WORK/exigences.csv" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("Référence;Intitulé;Criticité\n")
    for i in range(1, 2001):
        f.write(f"PC-{i:04d};Exigence {i};majeure\n")
PY
$RECETTE --db "$DB" init --project bench >/dev/null
$RECETTE --db "$DB" import "$WORK/exigences.csv" >/dev/null
$RECETTE --db "$DB" campaign create BENCH >/dev/null

# measure NAME COMMAND...: runs it under /usr/bin/time -v, prints "NAME wall cpu rss".
measure() {
    local name="$1"; shift
    /usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out"
    python3 - "$name" "$WORK/$name.time" <<'PY'
import sys, re
name, path = sys.argv[1], sys.argv[2]
t = open(path).read()
def field(label):
    return re.search(re.escape(label) + r": (.*)", t).group(1).strip()
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
parts = [float(p) for p in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
rss = int(field("Maximum resident set size (kbytes)")) / 1024
print(f"{name} {secs:.2f} {cpu:.2f} {rss:.1f}")
PY
}

SIZE=$(du -m "$FILE" | cut -f1)
echo "file: $FILE ($SIZE MB, $CASES cases); machine: $(nproc) cores, $(uname -sr); load: $(cut -d' ' -f1-3 /proc/loadavg)"
{
    measure recette "$RECETTE" --db "$DB" import "$FILE" --campaign BENCH --json
    measure junitparser python3 bench/py_junitparser.py "$FILE"
    measure iterparse python3 bench/py_iterparse.py "$FILE"
} | tee "$WORK/results.txt"
python3 - "$WORK/results.txt" "$WORK/recette.out" <<'PY'
import sys, json
rows = {l.split()[0]: [float(x) for x in l.split()[1:]] for l in open(sys.argv[1])}
report = json.load(open(sys.argv[2]))["automated"]
print(f"recette: {report['results']} results, {report['created_tests']} test cases created, "
      f"{report['links']} links, {report['executions']} executions")
r = rows["recette"]
print(f"{'reader':<12} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'wall ÷ recette':>15} {'cpu ÷ recette':>14}")
for name, (wall, cpu, rss) in rows.items():
    print(f"{name:<12} {wall:>8.2f} {cpu:>8.2f} {rss:>9.1f} {wall / r[0]:>14.2f}x {cpu / r[1]:>13.2f}x")
PY
echo "store: $(du -m "$DB" | cut -f1) MB; work folder: $WORK"
# What SQLite alone needs to write the rows this import left behind (same schema and settings,
# no parsing, no application code): the floor under any importer storing the same data.
cargo build --release --quiet --example sqlite_floor
target/release/examples/sqlite_floor "$DB" 2 | tail -1
