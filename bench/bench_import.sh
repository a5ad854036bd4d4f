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

# run NAME CMD...: runs CMD under /usr/bin/time -v, records seconds and peak KB.
declare -A SECS KB
run() {
  local name=$1; shift
  local log="$OUT/time_${name}.txt"
  /usr/bin/time -v "$@" >"$OUT/out_${name}.txt" 2>"$log"
  local wall
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  # h:mm:ss or m:ss.cc -> seconds
  SECS[$name]=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  KB[$name]=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  printf '%-22s %8.2f s  %7d MB\n' "$name" "${SECS[$name]}" "$(( KB[$name] / 1024 ))"
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
fresh
run recette_import "$RECETTE" --db "$OUT/bench.db" import "$BOOK" --json
run recette_reimport "$RECETTE" --db "$OUT/bench.db" import "$BOOK" --json

python3 - "${SECS[openpyxl_read]}" "${SECS[recette_dry_run]}" "${SECS[recette_import]}" "${SECS[recette_reimport]}" <<'PY'
import sys
o, d, i, r = map(float, sys.argv[1:])
print(f"openpyxl read / recette dry run  : {o / d:5.1f}x")
print(f"openpyxl read / recette import   : {o / i:5.1f}x")
print(f"openpyxl read / recette re-import: {o / r:5.1f}x")
PY
python3 -c "import json,sys; t=json.load(open('$OUT/out_recette_import.txt'))['records']['totals']; print('import totals:', t)"
