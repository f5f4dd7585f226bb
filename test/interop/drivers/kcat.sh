#!/usr/bin/env bash
# Interop driver for kcat 1.7.1 (librdkafka 2.0.2). Contract: test/interop/support/driver.ts (env
# BOOTSTRAP, SCENARIO, TOPIC, GROUP, TXN_ID, COUNT; JSON events on stdout). kcat prints no delivery
# reports, so a "produced" event follows a kcat -P run that exited 0 (kcat exits non-zero when a
# message failed), with the offset unknown (-1). Consumed records come from kcat -J, turned into
# events by a few lines of Debian's python3 (json from its standard library).
set -euo pipefail
COUNT=${COUNT:-10}
common=(-b "$BOOTSTRAP" -X socket.timeout.ms=10000 -X topic.metadata.refresh.interval.ms=1000)
work=$(mktemp -d)
trap 'set +e; jobs -p | xargs -r kill 2>/dev/null; rm -rf "$work"' EXIT

emit() { printf '%s\n' "$1"; }
fail() { emit "{\"event\":\"error\",\"message\":\"$1\"}"; exit 1; }

# kcat -J lines -> consumed events (member from $1).
to_events() {
  /usr/bin/python3 -u -c '
import json, sys
member = sys.argv[1]
for line in sys.stdin:
    line = line.strip()
    if not line.startswith("{"):
        continue
    m = json.loads(line)
    h = m.get("headers") or []
    print(json.dumps({"event": "consumed", "member": member, "partition": m["partition"], "offset": m["offset"],
                      "key": m.get("key"), "value": m.get("payload"), "headers": dict(zip(h[0::2], h[1::2]))}), flush=True)
' "$1"
}

# produce KEY VALUE [header] [partition] [extra kcat args...]: one message, one kcat run.
produce_one() {
  local key=$1 value=$2 header=$3 partition=$4
  shift 4
  local args=(-P "${common[@]}" -t "$TOPIC" -K: "$@")
  [[ -n $header ]] && args+=(-H "$header")
  [[ -n $partition ]] && args+=(-p "$partition")
  printf '%s:%s\n' "$key" "$value" | kcat "${args[@]}" || fail "kcat -P failed for $key"
  if [[ $value == "" ]]; then v=null; else v="\"$value\""; fi
  emit "{\"event\":\"produced\",\"topic\":\"$TOPIC\",\"partition\":${partition:--1},\"offset\":-1,\"key\":\"$key\",\"value\":$v}"
}

# consume_all N [extra kcat args...]: reads N records from the beginning of TOPIC (assign mode).
consume_all() {
  local n=$1
  shift
  timeout 40 kcat -C "${common[@]}" -t "$TOPIC" -o beginning -c "$n" -J "$@" | to_events a
  [[ ${PIPESTATUS[0]} -eq 0 ]] || fail "kcat -C failed or timed out"
}

pause() {
  emit "{\"event\":\"paused\",\"what\":\"$1\"}"
  read -r _
}

case "$SCENARIO" in
produce-consume)
  for ((i = 0; i < COUNT; i++)); do produce_one "k$i" "v$i" "h=$i" ""; done
  # A balanced consumer in GROUP, reading until the end (-e) and committing as it goes.
  timeout 40 kcat -G "$GROUP" "${common[@]}" -o beginning -e -J -X enable.auto.commit=true "$TOPIC" 2>"$work/g.err" | to_events a
  [[ ${PIPESTATUS[0]} -eq 0 ]] || fail "kcat -G failed: $(tr '\n"' ' _' <"$work/g.err")"
  ;;
group)
  for ((i = 0; i < COUNT; i++)); do produce_one "k$i" "v$i" "h=$i" $((i % 2)); done
  # Member a alone, then member b joins: two balanced consumers, each logging its assignments.
  start_member() {
    kcat -G "$GROUP" "${common[@]}" -u -o beginning -J -X auto.commit.interval.ms=100 -X session.timeout.ms=10000 \
      -X heartbeat.interval.ms=500 "$TOPIC" 2>"$work/$1.err" | to_events "$1" >"$work/$1.out" &
  }
  assigned() { grep -o "assigned: .*" "$work/$1.err" | tail -1 | grep -o '\[[0-9]*\]' | tr -d '[]' | sort -n | paste -sd, -; }
  consumed() { cat "$work"/*.out 2>/dev/null | wc -l; }
  wait_for() { for ((t = 0; t < 400; t++)); do eval "$1" && return 0; sleep 0.1; done; fail "timed out waiting for: $1"; }
  start_member a
  wait_for '[[ $(consumed) -ge $COUNT ]]'
  emit "{\"event\":\"assigned\",\"member\":\"a\",\"partitions\":[$(assigned a)]}"
  start_member b
  # One partition each (the topic has two): a's old two-partition assignment no longer counts.
  wait_for '[[ $(assigned a) =~ ^[0-9]+$ && $(assigned b) =~ ^[0-9]+$ && $(assigned a) != $(assigned b) ]]'
  emit "{\"event\":\"assigned\",\"member\":\"a\",\"partitions\":[$(assigned a)]}"
  emit "{\"event\":\"assigned\",\"member\":\"b\",\"partitions\":[$(assigned b)]}"
  emit '{"event":"rebalanced"}'
  for ((i = COUNT; i < 2 * COUNT; i++)); do produce_one "k$i" "v$i" "h=$i" $((i % 2)); done
  wait_for '[[ $(consumed) -ge $((2 * COUNT)) ]]'
  sleep 0.5 # one more auto-commit interval (100 ms) before the members leave; close commits too
  jobs -p | xargs -r kill -TERM || true
  wait || true
  cat "$work/a.out" "$work/b.out"
  ;;
transactions)
  # Each kcat -P run with transactional.id is one transaction, committed when its input ends. kcat
  # aborts only when it is killed, and a run killed before its input ends (a fifo held open) had
  # not sent its records yet, so this driver commits two transactions and reads them
  # read_committed (test/interop/kcat.interop.ts).
  txn=(-X transactional.id="$TXN_ID" -X enable.idempotence=true)
  printf 'c0:c0\nc1:c1\nc2:c2\n' | kcat -P "${common[@]}" -t "$TOPIC" -K: "${txn[@]}" || fail "first transaction failed"
  emit '{"event":"committed","values":["c0","c1","c2"]}'
  printf 'c3:c3\nc4:c4\n' | kcat -P "${common[@]}" -t "$TOPIC" -K: "${txn[@]}" || fail "second transaction failed"
  emit '{"event":"committed","values":["c3","c4"]}'
  consume_all 5 -X isolation.level=read_committed
  ;;
compaction)
  for kv in a:a1 b:b1 c:c1 a:a2 b:b2 a:a3 b: c:c2; do produce_one "${kv%%:*}" "${kv#*:}" "" "" -Z; done
  pause compact
  timeout 40 kcat -C "${common[@]}" -t "$TOPIC" -o beginning -e -J | to_events a
  ;;
idempotent)
  for ((i = 0; i < COUNT; i++)); do printf 'k%d:v%d\n' "$i" "$i"; done |
    kcat -P "${common[@]}" -t "$TOPIC" -K: -X enable.idempotence=true -X retry.backoff.ms=50 || fail "idempotent produce failed"
  for ((i = 0; i < COUNT; i++)); do emit "{\"event\":\"produced\",\"topic\":\"$TOPIC\",\"partition\":0,\"offset\":-1,\"key\":\"k$i\",\"value\":\"v$i\"}"; done
  consume_all "$COUNT"
  ;;
broker-failure)
  for ((i = 0; i < COUNT; i++)); do
    [[ $i -eq $((COUNT / 2)) ]] && pause stop-leader
    produce_one "k$i" "v$i" "" "" -X acks=all -X retry.backoff.ms=100 -X message.timeout.ms=40000
  done
  consume_all "$COUNT"
  ;;
*) fail "unknown scenario $SCENARIO" ;;
esac
emit '{"event":"done"}'
