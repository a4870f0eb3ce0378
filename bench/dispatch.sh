#!/usr/bin/env bash
# Surge's dispatcher: time to drain a pre-loaded backlog to a trivial HTTP sink (nginx answering 202 at
# once, unordered delivery), and the steady rate during the drain. Baselines in the same run: Kafka's own
# consumer reading the same backlog, and the sink's own HTTP rate under wrk.
#   bench/dispatch.sh          (EVENTS=250000 by default; about 300 MB written, then deleted)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
EVENTS=${EVENTS:-250000}
BATCH=500
need_tools
command -v nginx >/dev/null || { apt-get update -qq && apt-get install -y -qq nginx-light; }

SINK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/surge-sink.XXXXXX")
SINK_PORT=$(free_port)
cat > "$SINK_DIR/nginx.conf" <<NGINX
worker_processes 1;
pid $SINK_DIR/nginx.pid;
error_log $SINK_DIR/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $SINK_DIR;
  client_body_buffer_size 64k;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$SINK_PORT; location / { return 202; } }
}
NGINX
nginx -c "$SINK_DIR/nginx.conf"
cleanup() { nginx -c "$SINK_DIR/nginx.conf" -s stop 2>/dev/null || true; rm -rf "$SINK_DIR"; stop_surge; }
trap cleanup EXIT

broker="apiVersion: surge.dev/v1alpha1
kind: Broker
metadata: {name: dispatch, namespace: bench}
spec: {partitions: 3}"
trigger="---
apiVersion: surge.dev/v1alpha1
kind: Trigger
metadata: {name: drain, namespace: bench}
spec:
  broker: dispatch
  uri: http://127.0.0.1:$SINK_PORT/events"

echo "== pre-loading $EVENTS events of 1 KiB through the ingress (batches of $BATCH)"
start_surge "$broker"
trap cleanup EXIT
python3 - "$WORK/batch.json" "$BATCH" <<'PY'
import json, sys
events = [{"specversion": "1.0", "id": f"drain-{i}", "source": "/bench", "type": "bench.event",
           "datacontenttype": "application/json", "data": "x" * 1022} for i in range(int(sys.argv[2]))]
open(sys.argv[1], "w").write(json.dumps(events))
PY
for _ in $(seq 1 $((EVENTS / BATCH))); do
  curl -sf -o /dev/null -H 'Content-Type: application/cloudevents-batch+json' --data-binary "@$WORK/batch.json" \
    "http://localhost:$HTTP_PORT/bench/dispatch"
done

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
sink_rate=$(wrk -t2 -c100 -d10s -s "$WORK/post.lua" "http://127.0.0.1:$SINK_PORT/events" | awk '/Requests\/sec/ {print $2}')
echo "sink: $sink_rate req/s"

echo "== Surge draining the backlog with a trigger (unordered, maxInFlight 100)"
kill -TERM "$SURGE_PID"; wait "$SURGE_PID" 2>/dev/null || true
printf '%s\n%s\n' "$broker" "$trigger" > "$WORK/surge.yaml"
java ${SURGE_JAVA_OPTS:-} -jar "$jar" up "$WORK/surge.yaml" --port "$HTTP_PORT" --kafka-port "$KAFKA_PORT" \
  --data-dir "$WORK/data" > "$WORK/surge2.log" 2>&1 &
SURGE_PID=$!
metric() {
  curl -s "http://localhost:$HTTP_PORT/q/metrics" 2>/dev/null \
    | awk '/^surge_dispatch_delivered_total\{.*trigger="drain"/ {print int($2)}' || true
}
samples="$WORK/samples"; : > "$samples"
deadline=$((SECONDS + 600))
while [ $SECONDS -lt $deadline ]; do
  n=$(metric); n=${n:-0}
  echo "$(date +%s.%N) $n" >> "$samples"
  [ "$n" -ge "$EVENTS" ] && break
  sleep 0.25
done
python3 - "$samples" "$EVENTS" "$consumer_rate" "$sink_rate" <<'PY'
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
total = int(sys.argv[2]); consumer = float(sys.argv[3]); sink = float(sys.argv[4])
started = next(i for i, r in enumerate(rows) if r[1] > 0)
t0 = rows[started - 1][0] if started > 0 else rows[0][0]   # last sample before the first delivery
end = next(r for r in rows if r[1] >= total)
drain = end[0] - t0
# steady rate: deliveries between 20% and 80% of the backlog
a = next(r for r in rows if r[1] >= 0.2 * total); b = next(r for r in rows if r[1] >= 0.8 * total)
steady = (b[1] - a[1]) / (b[0] - a[0])
ideal = total / steady
print("\ntimeline (s since the last sample before the first delivery → delivered):")
step = max(1, len(rows[started:]) // 12)
for t, n in rows[max(0, started - 1)::step]:
    print(f"  {t - t0:5.1f} s  {int(n):7d}")
print(f"  {end[0] - t0:5.1f} s  {int(end[1]):7d}")
print()
print(f"RESULTS ({total} events of 1 KiB, unordered, 3 partitions)")
print(f"  Kafka consumer (baseline)        {consumer:12.0f} events/s")
print(f"  sink alone under wrk (baseline)  {sink:12.0f} req/s")
print(f"  Surge steady dispatch            {steady:12.0f} events/s   ratio to consumer {steady/consumer:.2f}, to sink {steady/sink:.2f}")
print(f"  Surge drain time                 {drain:12.1f} s          {drain/ideal:.2f} x count/steady ({ideal:.1f} s)")
PY
