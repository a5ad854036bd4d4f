#!/usr/bin/env bash
# Traceability and report benchmark (see BENCHMARKS.md, « Traçabilité et rapports »).
#
# Generates a synthetic store (10,000 requirements, 50,000 test cases, 500,000 executions over
# 5 campaigns by default), then times, with the release build:
#   - recette trace --json (latest results across all campaigns, then one campaign);
#   - recette report C-5 (bilan HTML + Markdown, matrice xlsx, PV: the full report set);
#   - StrictDoc's HTML export of the same 10,000 requirements (pip install strictdoc).
# Each recette timing is the best of 3 runs. Usage: bench/bench_reports.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/recette-bench}
REQS=${REQS:-10000}
TESTS=${TESTS:-50000}
EXECS=${EXECS:-500000}
STRICTDOC=${STRICTDOC:-strictdoc}
export RECETTE_NOW=2026-04-03T17:00:00Z RECETTE_USER=bench
unset RECETTE_DB RECETTE_LANG

cargo build --release --quiet
BIN=$PWD/target/release/recette
rm -rf "$WORK"
mkdir -p "$WORK"
DB=$WORK/recette.db

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }
best_of_3() {
  local best=""
  for _ in 1 2 3; do
    local s e d
    s=$(now); "$@" >/dev/null; e=$(now); d=$(elapsed "$s" "$e")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$d" "$best"; then best=$d; fi
  done
  echo "$best"
}

s=$(now)
"$BIN" --db "$DB" bench-gen --requirements "$REQS" --tests "$TESTS" --executions "$EXECS"
gen=$(elapsed "$s" "$(now)")

trace_latest=$(best_of_3 "$BIN" --db "$DB" trace --json)
trace_campaign=$(best_of_3 "$BIN" --db "$DB" trace --campaign C-5 --json)
report_all=$(best_of_3 "$BIN" --db "$DB" report C-5 --out "$WORK/rapports")
report_html=$(best_of_3 "$BIN" --db "$DB" report C-5 --out "$WORK/r-html" --format html)
report_xlsx=$(best_of_3 "$BIN" --db "$DB" report C-5 --out "$WORK/r-xlsx" --format xlsx)
"$BIN" --db "$DB" trace --json > "$WORK/trace.json"

echo
echo "Store generation:                 ${gen} s"
echo "recette trace --json (latest):    ${trace_latest} s"
echo "recette trace --campaign --json:  ${trace_campaign} s"
echo "recette report C-5 (4 formats):   ${report_all} s"
echo "  bilan HTML only:                ${report_html} s"
echo "  matrice xlsx only:              ${report_xlsx} s"
ls -l "$WORK/rapports" | awk 'NR>1 {printf "  %-28s %10d bytes\n", $9, $5}'

if command -v "$STRICTDOC" >/dev/null 2>&1; then
  mkdir -p "$WORK/sdoc"
  "$BIN" --db "$DB" req list --json | python3 bench/req_to_sdoc.py > "$WORK/sdoc/exigences.sdoc"
  s=$(now)
  "$STRICTDOC" export --formats html --output-dir "$WORK/sdoc-out" "$WORK/sdoc" >"$WORK/strictdoc.log" 2>&1
  sd=$(elapsed "$s" "$(now)")
  echo "StrictDoc export --formats html:  ${sd} s ($("$STRICTDOC" --version 2>/dev/null | head -1))"
  python3 -c "import sys; print(f'Ratio StrictDoc / recette report: {float(sys.argv[1]) / float(sys.argv[2]):.1f}x')" "$sd" "$report_all"
else
  echo "StrictDoc not found (pip install strictdoc, or STRICTDOC=/path/to/strictdoc)"
fi
