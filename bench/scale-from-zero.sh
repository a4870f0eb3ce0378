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
data=$(mktemp -d "${TMPDIR:-/tmp}/surge-zero-data.XXXXXX")
on_exit 'rm -f "$app/app.aot"; rm -rf "$data"'

python3 "$root/bench/scale_from_zero.py" "$root" "$(command -v java)" "$RUNS" "JDK $(java -version 2>&1 | head -1)" "$data/jdk17"

temurin=$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1 || true)
if [ -n "$temurin" ]; then
  echo
  echo "== training run for the AOT cache ($temurin)"
  java -jar "$jar" aot-train --functions-java "$temurin/bin/java" --data-dir "$data/jdk25" "$app"
  python3 "$root/bench/scale_from_zero.py" "$root" "$temurin/bin/java" "$RUNS" "Temurin 25 with an AOT cache (app.aot)" "$data/jdk25"
fi
