#!/usr/bin/env bash
# Scale-from-zero, end to end: an event posted to a broker whose function has no replica, until the function's
# reply arrives at a sink (so it includes starting the process, the delivery, and dispatching the reply), over
# RUNS runs, next to the bare start time of the same function process (launch → /q/health/ready) measured in
# the same run. With the Temurin 25 JDK present, the same again with an AOT cache made by a training run.
#   bench/scale-from-zero.sh     (RUNS=10)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-10}
need_tools
app="$root/functions/greeter/target/quarkus-app"
[ -f "$app/quarkus-run.jar" ] || (cd "$root" && ./mvnw -q -B package -DskipTests)
trap 'rm -f "$app/app.aot"' EXIT

python3 "$root/bench/scale_from_zero.py" "$root" "$(command -v java)" "$RUNS" "JDK $(java -version 2>&1 | head -1)"

temurin=$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1 || true)
if [ -n "$temurin" ]; then
  echo
  echo "== training run for the AOT cache ($temurin)"
  port=$(free_port)
  "$temurin/bin/java" -XX:AOTCacheOutput="$app/app.aot" -Dquarkus.http.port=$port -Dquarkus.http.host=127.0.0.1 \
    -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -jar "$app/quarkus-run.jar" > /dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break; sleep 0.05; done
  for i in 1 2 3; do
    curl -s -o /dev/null "http://127.0.0.1:$port/" -H 'ce-specversion: 1.0' -H "ce-id: t$i" -H 'ce-source: /train' \
      -H 'ce-type: dev.surge.greet' -H 'content-type: application/json' -d '{"name":"training"}'
  done
  kill -TERM $pid; wait $pid 2>/dev/null || true
  ls -la "$app/app.aot"
  python3 "$root/bench/scale_from_zero.py" "$root" "$temurin/bin/java" "$RUNS" "Temurin 25 with an AOT cache (app.aot)"
fi
