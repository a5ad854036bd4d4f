#!/usr/bin/env bash
# CSV import benchmark (issue 20): `recette import` of a requirements CSV (5 columns) of
# 100,000 and 1,000,000 rows (release build, fresh store each time), beside Python's csv
# module merely reading every field of the same file, in one run. Prints wall time, CPU time,
# peak memory (max RSS from /usr/bin/time -v) and the growth from 100,000 to 1,000,000 rows.
#
#   bench/bench_import_csv.sh [ROWS...]        (default 100000 1000000)
#
# Needs: cargo, python3, GNU time at /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
mkdir -p "$OUT"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
cargo build --release --quiet --bin recette
RECETTE=target/release/recette
export RECETTE_NOW=2026-03-15T09:00:00Z RECETTE_USER=bench

gen() { # gen ROWS FILE: a requirements CSV as a vendor would send it
  python3 - "$1" "$2" <<'PY'
import csv, sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["Référence", "Intitulé", "Criticité", "Catégorie", "Description"])
    for i in range(n):
        w.writerow([f"EXI-{i:07d}", f"Exigence numéro {i} du cahier des charges",
                    "majeure" if i % 3 else "critique", f"Lot {i % 17}",
                    f"Le système doit permettre la fonction {i} avec un délai de réponse "
                    f"inférieur à {i % 9 + 1} secondes."])
PY
}

# run LABEL CMD...: prints wall s, CPU s and peak MiB; sets WALL and KB.
run() {
  local label=$1; shift
  local log="$OUT/time_csv.txt"
  /usr/bin/time -v "$@" >/dev/null 2>"$log"
  local wall cpu
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' \
    | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  cpu=$(awk -F: '/User time|System time/ { s += $2 } END { print s }' "$log")
  KB=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  WALL=$wall
  printf '%-34s %7.2f s wall %7.2f s CPU %7d MiB\n' "$label" "$wall" "$cpu" "$(( KB / 1024 ))"
}

declare -A T M
for n in "${SIZES[@]}"; do
  f="$OUT/req_${n}.csv"
  [ -f "$f" ] || gen "$n" "$f"
  echo "== $n rows ($(du -h "$f" | cut -f1))"
  run "python csv.reader (read only)" python3 -c \
    'import csv,sys; n=0
for row in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")): n += len(row)
print(n)' "$f"
  for mode in dry-run import; do
    rm -f "$OUT/csv.db" "$OUT/csv.db-wal" "$OUT/csv.db-shm"
    "$RECETTE" --db "$OUT/csv.db" init --project bench >/dev/null
    args=(import "$f" --json)
    [ "$mode" = dry-run ] && args+=(--dry-run)
    run "recette $mode" "$RECETTE" --db "$OUT/csv.db" "${args[@]}"
    T[$mode,$n]=$WALL; M[$mode,$n]=$KB
  done
done
if [ ${#SIZES[@]} -ge 2 ]; then
  a=${SIZES[0]}; b=${SIZES[-1]}
  python3 - "$a" "$b" "${T[import,$a]}" "${T[import,$b]}" "${M[import,$a]}" "${M[import,$b]}" <<'PY'
import sys
a, b, ta, tb, ma, mb = map(float, sys.argv[1:])
print(f"import {int(b)} rows / {int(a)} rows: time x{tb / ta:.1f} (rows x{b / a:.0f}), "
      f"peak memory {ma / 1024:.0f} -> {mb / 1024:.0f} MiB "
      f"({(mb - ma) * 1024 / (b - a):.0f} bytes a row)")
PY
fi
echo "Load average: $(cut -d' ' -f1-3 /proc/loadavg)"
