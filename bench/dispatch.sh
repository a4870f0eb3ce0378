#!/usr/bin/env bash
# Surge's dispatcher, warm: the time to drain a backlog to a trivial HTTP sink (nginx answering 202 at once,
# unordered delivery, maxInFlight 100), and the steady rate during the drain. Baselines in the same run:
# Kafka's own consumer reading the same backlog, and the sink's own HTTP rate under wrk.
#
# How: Surge runs two triggers. 'warmup' drains EVENTS events to sink A first, so the JIT has compiled the
# delivery path. 'drain' targets sink B, which is down while EVENTS events are loaded: its deliveries fail
# (connection refused) and are retried every 100 ms, the backlog waits in Kafka. Then sink B starts, as a
# target that comes back after an outage would, and the clock runs until the backlog is delivered.
#   bench/dispatch.sh          (EVENTS=250000 by default; about 600 MB written, then deleted)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
EVENTS=${EVENTS:-250000}
BATCH=500
need_tools
command -v nginx >/dev/null || { apt-get update -qq && apt-get install -y -qq nginx-light; }

SINK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/surge-sink.XXXXXX")
sink_conf() { # name port
  mkdir -p "$SINK_DIR/$1"
  cat > "$SINK_DIR/$1/nginx.conf" <<NGINX
worker_processes 1;
pid $SINK_DIR/$1/nginx.pid;
error_log $SINK_DIR/$1/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $SINK_DIR/$1;
  client_body_buffer_size 64k;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$2; location / { return 202; } }
}
NGINX
}
SINK_A=$(free_port); SINK_B=$(free_port)
sink_conf a "$SINK_A"; sink_conf b "$SINK_B"
on_exit 'rm -rf "$SINK_DIR"'
on_exit 'for s in a b; do [ -f "$SINK_DIR/$s/nginx.pid" ] && nginx -c "$SINK_DIR/$s/nginx.conf" -s stop; done'
nginx -c "$SINK_DIR/a/nginx.conf"

start_surge "apiVersion: surge.dev/v1alpha1
kind: Broker
metadata: {name: warm, namespace: bench}
spec: {partitions: 3}
---
apiVersion: surge.dev/v1alpha1
kind: Broker
metadata: {name: dispatch, namespace: bench}
spec: {partitions: 3}
---
apiVersion: surge.dev/v1alpha1
kind: Trigger
metadata: {name: warmup, namespace: bench}
spec: {broker: warm, uri: 'http://127.0.0.1:$SINK_A/events'}
---
apiVersion: surge.dev/v1alpha1
kind: Trigger
metadata: {name: drain, namespace: bench}
spec:
  broker: dispatch
  uri: http://127.0.0.1:$SINK_B/events
  delivery: {retry: 1000, backoffDelay: PT0.01S, backoffCap: PT0.1S}"

python3 - "$WORK/batch.json" "$BATCH" <<'PY'
import json, sys
events = [{"specversion": "1.0", "id": f"drain-{i}", "source": "/bench", "type": "bench.event",
           "datacontenttype": "application/json", "data": "x" * 1022} for i in range(int(sys.argv[2]))]
open(sys.argv[1], "w").write(json.dumps(events))
PY
load() { # broker
  for _ in $(seq 1 $((EVENTS / BATCH))); do
    curl -sf -o /dev/null -H 'Content-Type: application/cloudevents-batch+json' --data-binary "@$WORK/batch.json" \
      "http://localhost:$HTTP_PORT/bench/$1"
  done
}
delivered() { # trigger
  curl -s "http://localhost:$HTTP_PORT/q/metrics" 2>/dev/null \
    | awk -v t="trigger=\"$1\"" '/^surge_dispatch_delivered_total\{/ && index($0, t) {print int($2)}' || true
}

echo "== warm-up: $EVENTS events of 1 KiB through the 'warmup' trigger"
load warm
for _ in $(seq 1 600); do n=$(delivered warmup); [ "${n:-0}" -ge "$EVENTS" ] && break; sleep 0.5; done

echo "== loading the backlog: $EVENTS events of 1 KiB for the 'drain' trigger, whose sink is down"
load dispatch

echo "== baseline 1: Kafka's consumer reading the backlog"
consumer=$(java -cp "$KAFKA_TOOLS_CP" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server localhost:$KAFKA_PORT \
  --topic surge.bench.dispatch --messages "$EVENTS" --group bench-baseline --hide-header 2>/dev/null | tail -1)
echo "consumer: $consumer (start, end, MB, MB/s, records, records/s, ...)"
consumer_rate=$(echo "$consumer" | awk -F', *' '{print $6}')

echo "== baseline 2: the sink's own HTTP rate (wrk, 100 connections, 1 KiB POST)"
cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.rep("x", 1024)
LUA
sink_rate=$(wrk -t2 -c100 -d10s -s "$WORK/post.lua" "http://127.0.0.1:$SINK_A/events" | awk '/Requests\/sec/ {print $2}')
echo "sink: $sink_rate req/s"

echo "== the drain sink comes up; Surge drains the backlog"
samples="$WORK/samples"; : > "$samples"
echo "$(date +%s.%N) $(delivered drain)" >> "$samples"
nginx -c "$SINK_DIR/b/nginx.conf"
deadline=$((SECONDS + 600))
while [ $SECONDS -lt $deadline ]; do
  n=$(delivered drain); n=${n:-0}
  echo "$(date +%s.%N) $n" >> "$samples"
  [ "$n" -ge "$EVENTS" ] && break
  sleep 0.1
done
python3 - "$samples" "$EVENTS" "$consumer_rate" "$sink_rate" <<'PY'
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
total = int(sys.argv[2]); consumer = float(sys.argv[3]); sink = float(sys.argv[4])
t0 = rows[0][0]                     # the sink came up
end = next(r for r in rows if r[1] >= total)
drain = end[0] - t0
a = next(r for r in rows if r[1] >= 0.2 * total); b = next(r for r in rows if r[1] >= 0.8 * total)
steady = (b[1] - a[1]) / (b[0] - a[0])
ideal = total / steady
print("\ntimeline (s since the sink came up → delivered):")
step = max(1, len(rows) // 12)
for t, n in rows[::step]:
    print(f"  {t - t0:5.1f} s  {int(n):7d}")
print(f"  {end[0] - t0:5.1f} s  {int(end[1]):7d}")
tail = next(r for r in rows if r[1] >= 0.9 * total)
print()
print(f"RESULTS ({total} events of 1 KiB, unordered, 3 partitions, warm dispatcher)")
print(f"  Kafka consumer (baseline)        {consumer:12.0f} events/s")
print(f"  sink alone under wrk (baseline)  {sink:12.0f} req/s")
print(f"  Surge steady dispatch            {steady:12.0f} events/s   ratio to consumer {steady/consumer:.2f}, to sink {steady/sink:.2f}")
print(f"  Surge drain time                 {drain:12.1f} s          {drain/ideal:.2f} x count/steady ({ideal:.1f} s)")
print(f"  last 10 % of the backlog         {end[0] - tail[0]:12.2f} s          {(end[0] - tail[0]) / (0.1 * ideal):.2f} x steady")
PY
