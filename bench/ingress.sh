#!/usr/bin/env bash
# Surge's HTTP ingress vs Kafka's own producer, on the same embedded broker, in one run; and the ingress with
# the demo's four triggers consuming its broker (no event matching them) vs the ingress with no trigger.
#   bench/ingress.sh            (DURATION=15s RECORDS=1000000 by default; about 3 GB written, then deleted)
# Prints each rate and its ratio to its baseline. Bounded: every load runs for DURATION, the producer sends
# RECORDS records; the broker and all it wrote are deleted at the end.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${DURATION:-15s}
RECORDS=${RECORDS:-1000000}
BATCH=${BATCH:-100}
need_tools

# The demo's resources (surge.yaml: broker demo/default, its four functions and four triggers) with absolute
# paths, a broker with no trigger as the baseline of the same shape, and the producer's broker.
demo=$(sed "s#path: functions/#path: $root/functions/#" "$root/surge.yaml")
start_surge "apiVersion: surge.dev/v1alpha1
kind: Broker
metadata: {name: ingress, namespace: bench}
spec: {partitions: 3}
---
apiVersion: surge.dev/v1alpha1
kind: Broker
metadata: {name: baseline, namespace: demo}
spec: {partitions: 3, retention: P7D}
---
$demo"
url="http://localhost:$HTTP_PORT/bench/ingress"
data=$(python3 -c 'print("x" * 1022)')   # with the quotes: 1 KiB of JSON data

# Kafka's own producer on the same broker: measured first and again right after the batched phase, so the
# baseline of the batched ratio is taken next to it too; the ratios use the mean.
producer_rate() {
  local out
  out=$(java -cp "$KAFKA_TOOLS_CP" org.apache.kafka.tools.ProducerPerformance --topic surge.bench.ingress \
    --num-records "$RECORDS" --record-size 1024 --throughput -1 \
    --producer-props bootstrap.servers=localhost:$KAFKA_PORT acks=all linger.ms=5 batch.size=131072 | tail -1)
  echo "$out" >&2
  echo "$out" | sed -E 's/.* records sent, ([0-9.]+) records\/sec.*/\1/'
}
echo "== Kafka's producer: $RECORDS records of 1 KiB, acks=all (1 of 2)"
producer1=$(producer_rate)

cat > "$WORK/binary.lua" <<LUA
wrk.method = "POST"
wrk.headers["ce-specversion"] = "1.0"
wrk.headers["ce-id"] = "bench-1"
wrk.headers["ce-source"] = "/bench"
wrk.headers["ce-type"] = "bench.event"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '"$data"'
LUA
python3 - "$WORK/batch.json" "$BATCH" <<'PY'
import json, sys
events = [{"specversion": "1.0", "id": f"bench-{i}", "source": "/bench", "type": "bench.event",
           "datacontenttype": "application/json", "data": "x" * 1022} for i in range(int(sys.argv[2]))]
open(sys.argv[1], "w").write(json.dumps(events))
PY
cat > "$WORK/batch.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/cloudevents-batch+json"
local f = io.open("$WORK/batch.json", "r"); wrk.body = f:read("*a"); f:close()
LUA

run_wrk() { # connections script [url] → prints "rps p50 p99 non2xx"
  local o; o=$(wrk -t2 -c"$1" -d"$DURATION" --latency -s "$2" "${3:-$url}")
  echo "$o" >&2
  local rps p50 p99 bad
  rps=$(echo "$o" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$o" | awk '$1=="50%" {print $2}')
  p99=$(echo "$o" | awk '$1=="99%" {print $2}')
  bad=$(echo "$o" | awk '/Non-2xx/ {print $5}'); bad=${bad:-0}
  echo "$rps $p50 $p99 $bad"
}

echo "== warm-up (not counted)"
wrk -t2 -c32 -d5s -s "$WORK/binary.lua" "$url" >/dev/null
declare -A RPS P50 P99
for c in 32 128; do
  echo "== Surge ingress, binary mode, 1 KiB, $c connections"
  read -r RPS[$c] P50[$c] P99[$c] bad < <(run_wrk "$c" "$WORK/binary.lua")
  [ "$bad" = 0 ] || echo "WARNING: $bad responses were not 2xx"
done

# Events of a type none of the demo's triggers matches, to the demo's broker: its four triggers read and pass
# over every one. Baseline: the same load to a broker of the same shape with no trigger, before and after.
demo_url="http://localhost:$HTTP_PORT/demo/default"
baseline_url="http://localhost:$HTTP_PORT/demo/baseline"
# The four triggers' reading (record parsing, header views, filters) is code of its own too: warm it up, then
# let the triggers catch up, so that neither the JIT nor a backlog is measured.
demo_lag() {
  java -cp "$KAFKA_TOOLS_CP" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server \
    "localhost:$KAFKA_PORT" --describe --all-groups 2>/dev/null \
    | awk '$1 ~ /^surge\.demo\./ && $6 ~ /^[0-9]+$/ {lag += $6} END {print lag + 0}'
}
echo "== warm-up of the triggers' path (not counted)"
wrk -t2 -c128 -d${TRIGGER_WARMUP:-15s} -s "$WORK/binary.lua" "$demo_url" >/dev/null
for _ in $(seq 1 120); do [ "$(demo_lag)" = 0 ] && break; sleep 0.5; done
echo "== ingress to a broker with no trigger (baseline, 1 of 2), 128 connections"
read -r A1 _ _ bad < <(run_wrk 128 "$WORK/binary.lua" "$baseline_url")
echo "== ingress to demo/default with its four triggers consuming, no event matching, 128 connections"
read -r B BP50 BP99 bad < <(run_wrk 128 "$WORK/binary.lua" "$demo_url")
[ "$bad" = 0 ] || echo "WARNING: $bad responses were not 2xx"
# The triggers read what the run above wrote: let them catch up first, or the second baseline would share the
# cores with their reading and come out low (which would flatter the ratio).
for _ in $(seq 1 120); do [ "$(demo_lag)" = 0 ] && break; sleep 0.5; done
echo "== ingress to a broker with no trigger (baseline, 2 of 2), 128 connections"
read -r A2 _ _ bad < <(run_wrk 128 "$WORK/binary.lua" "$baseline_url")
triggers=$(curl -s "http://localhost:$HTTP_PORT/triggers" | python3 -c 'import json,sys; print(" ".join(t["name"]+":"+t["state"] for t in json.load(sys.stdin) if t["namespace"]=="demo"))')
started=$(curl -s "http://localhost:$HTTP_PORT/functions" | python3 -c 'import json,sys; print(sum(f["replicas"] for f in json.load(sys.stdin)))')
restarts=$(grep -c "exited with code\|ready on port" "$WORK/surge.log" || true)
# The batched path is other code than the binary one: warm it up as well, or the measurement is the JIT's
# compiling it (on 2 cores C2 took 2-3 s per method of it and half a core for 20 s).
echo "== warm-up of batched mode (not counted)"
wrk -t2 -c32 -d${BATCH_WARMUP:-15s} -s "$WORK/batch.lua" "$url" >/dev/null
echo "== Surge ingress, batched mode, $BATCH events of 1 KiB per request, 32 connections"
read -r brps bp50 bp99 bad < <(run_wrk 32 "$WORK/batch.lua")
[ "$bad" = 0 ] || echo "WARNING: $bad responses were not 2xx"
bevents=$(python3 -c "print(round($brps * $BATCH))")
echo "== Kafka's producer: $RECORDS records of 1 KiB, acks=all (2 of 2)"
producer2=$(producer_rate)
producer=$(python3 -c "print(($producer1 + $producer2) / 2)")

echo
echo "RESULTS ($(nproc) cores, $(date -u +%F))"
printf '%-44s %12s %8s %8s %7s\n' "what" "rate/s" "p50" "p99" "ratio"
printf '%-44s %12.0f %8s %8s %7s\n' "Kafka producer (1 KiB, acks=all, mean)" "$producer" "-" "-" "1.00"
for c in 32 128; do
  printf '%-44s %12.0f %8s %8s %7s\n' "Surge binary, $c connections (req/s)" "${RPS[$c]}" "${P50[$c]}" "${P99[$c]}" "$(ratio "${RPS[$c]}" "$producer")"
done
printf '%-44s %12.0f %8s %8s %7s\n' "Surge batched x$BATCH, 32 connections (events/s)" "$bevents" "$bp50" "$bp99" "$(ratio "$bevents" "$producer")"
echo
baseline=$(python3 -c "print(($A1 + $A2) / 2)")
printf '%-44s %12.0f %8s %8s %7s\n' "no trigger, 128 connections (req/s, mean)" "$baseline" "-" "-" "1.00"
printf '%-44s %12.0f %8s %8s %7s\n' "4 triggers consuming, none matching (req/s)" "$B" "$BP50" "$BP99" "$(ratio "$B" "$baseline")"
echo "  producer runs: $producer1 and $producer2 records/s"
echo "  baseline runs: $A1 and $A2 req/s; demo triggers: $triggers"
echo "  function replicas started during the run: $started (function processes started or exited: $restarts)"
