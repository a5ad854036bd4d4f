#!/usr/bin/env bash
# Load benchmark of the team server (issue "Team workspace 1/2"): one `recette serve` on this
# machine, N concurrent testers (10, then 50) logged in through the JSON API, each recording
# executions with three steps for 30 s; then the lead opens the campaign page of 5,000 tests.
# Prints executions per second, p50/p99 latency, errors, and checks that every execution the
# server acknowledged is in the store (examples/web_load.rs). Client and server share the
# same cores, as a small team server would with its reverse proxy.
#
#   bench/bench_web.sh [SECONDS] [TESTERS...]     (default: 30 s, 10 and 50 testers)
#
# Anchor (documented, not run here: it needs a Django + MariaDB install): Kiwi TCMS reports
# about 45,000 executions per hour (~12.5/s, 33 ms mean) on an AWS t3.medium with MariaDB.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-30}; shift || true
TESTERS=("$@"); [ ${#TESTERS[@]} -gt 0 ] || TESTERS=(10 50)
WORK="${BENCH_DIR:-$(mktemp -d)}"
cargo build --release --quiet --bin recette --example web_load
BIN=target/release/recette
LOAD=target/release/examples/web_load
export RECETTE_LANG=fr
MAX=0; for n in "${TESTERS[@]}"; do [ "$n" -gt "$MAX" ] && MAX=$n; done
for n in "${TESTERS[@]}"; do
  DB="$WORK/web-$n.db"; rm -f "$DB" "$DB-wal" "$DB-shm"
  "$BIN" --db "$DB" bench-gen --requirements 1000 --tests 5000 --executions 0 --campaigns 1 \
    --anomalies 50 --steps 3 >/dev/null
  NAMES=""
  for k in $(seq "$n"); do
    echo "bench-password-1" | "$BIN" --db "$DB" user add "testeur-$k" --role tester --password-stdin >/dev/null
    NAMES="$NAMES${NAMES:+,}testeur-$k"
  done
  echo "bench-password-1" | "$BIN" --db "$DB" user add pilote --role lead --password-stdin >/dev/null
  "$BIN" --db "$DB" campaign assign C-1 --all --spread "$NAMES" >/dev/null
  PORT=$((18000 + RANDOM % 2000))
  "$BIN" --db "$DB" serve --addr "127.0.0.1:$PORT" >"$WORK/serve-$n.log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$PORT/login" >/dev/null 2>&1 && break; sleep 0.1
  done
  "$LOAD" "http://127.0.0.1:$PORT" "$DB" C-1 "$n" "$SECONDS_RUN" 3 5000
  kill $SERVER; wait $SERVER 2>/dev/null || true
  trap - EXIT
done
