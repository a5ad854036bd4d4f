#!/usr/bin/env bash
# Import benchmark (issue 4): `recette import` of a 100,000-row vendor workbook (release build,
# fresh store each time; dry run, then full import that validates and persists everything)
# against Python openpyxl in read-only mode merely reading every cell of the same file.
# Prints wall time, peak memory (max RSS from /usr/bin/time -v) and the ratio.
#
#   bench/bench_import.sh [ROWS]        (default 100000)
#
# Needs: cargo, python3 with openpyxl (pip install openpyxl), GNU time at /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${1:-100000}"
OUT=target/bench
BOOK="$OUT/cahier_${ROWS}.xlsx"
mkdir -p "$OUT"

cargo build --release --quiet --bin recette --example gen_workbook
[ -f "$BOOK" ] || target/release/examples/gen_workbook "$ROWS" "$BOOK" >/dev/null
RECETTE=target/release/recette
export RECETTE_NOW=2026-03-15T09:00:00Z RECETTE_USER=bench

# run NAME CMD...: runs CMD under /usr/bin/time -v, records wall seconds, CPU seconds
# (user + sys, less sensitive than wall time to other processes on a shared machine) and peak KB.
declare -A SECS CPU KB
run() {
  local name=$1; shift
  local log="$OUT/time_${name}.txt"
  /usr/bin/time -v "$@" >"$OUT/out_${name}.txt" 2>"$log"
  local wall
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  # h:mm:ss or m:ss.cc -> seconds
  SECS[$name]=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  CPU[$name]=$(awk -F: '/User time|System time/ { s += $2 } END { print s }' "$log")
  KB[$name]=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  printf '%-22s %8.2f s wall  %6.2f s CPU  %7d MB\n' "$name" "${SECS[$name]}" "${CPU[$name]}" "$(( KB[$name] / 1024 ))"
}

fresh() {
  rm -f "$OUT/bench.db" "$OUT/bench.db-wal" "$OUT/bench.db-shm"
  "$RECETTE" --db "$OUT/bench.db" init --project bench >/dev/null
}

echo "Workbook: $BOOK ($(du -h "$BOOK" | cut -f1), $ROWS rows)"
echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB"
run openpyxl_read python3 bench/openpyxl_read.py "$BOOK"
fresh
run recette_dry_run "$RECETTE" --db "$OUT/bench.db" import "$BOOK" --dry-run --json
# The same import on one thread (read the whole workbook, then apply), for comparison.
fresh
RECETTE_IMPORT_STREAM=never run recette_one_thread "$RECETTE" --db "$OUT/bench.db" import "$BOOK" --json
fresh
run recette_import "$RECETTE" --db "$OUT/bench.db" import "$BOOK" --json
run recette_reimport "$RECETTE" --db "$OUT/bench.db" import "$BOOK" --json

echo "Load average: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "${SECS[openpyxl_read]}" "${SECS[recette_dry_run]}" "${SECS[recette_import]}" "${SECS[recette_reimport]}" "${SECS[recette_one_thread]}" \
  "${CPU[openpyxl_read]}" "${CPU[recette_dry_run]}" "${CPU[recette_import]}" "${CPU[recette_reimport]}" "${CPU[recette_one_thread]}" <<'PY'
import sys
o, d, i, r, t, oc, dc, ic, rc, tc = map(float, sys.argv[1:])
print("openpyxl read / recette            wall     CPU")
print(f"  dry run                       {o / d:5.1f}x  {oc / dc:5.1f}x")
print(f"  import                        {o / i:5.1f}x  {oc / ic:5.1f}x")
print(f"  import on one thread          {o / t:5.1f}x  {oc / tc:5.1f}x")
print(f"  re-import                     {o / r:5.1f}x  {oc / rc:5.1f}x")
PY
python3 -c "import json,sys; t=json.load(open('$OUT/out_recette_import.txt'))['records']['totals']; print('import totals:', t)"
# What SQLite alone needs to write the rows this import left behind (same schema and settings,
# no parsing, no application code): the floor under any importer storing the same data.
cargo build --release --quiet --example sqlite_floor
target/release/examples/sqlite_floor "$OUT/bench.db" 3 | tail -1
target/release/examples/sqlite_floor "$OUT/bench.db" 3 --bound | tail -1
