# Shared by the benchmark scripts: start a Surge of their own on free ports with data in a folder of
# their own, and remove both on exit, also on failure.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Everything a script started is stopped on exit, whatever the exit: Surge, then what the script added
# with on_exit (run in reverse order of adding).
EXIT_HOOKS=()
on_exit() { EXIT_HOOKS=("$1" "${EXIT_HOOKS[@]}"); }
run_exit_hooks() {
  stop_surge
  for hook in "${EXIT_HOOKS[@]}"; do eval "$hook" || true; done
}
trap run_exit_hooks EXIT
jar="$root/runtime/app/target/quarkus-app/quarkus-run.jar"

need_tools() {
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
  command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl; }
  [ -f "$jar" ] || (cd "$root" && ./mvnw -q -B package -DskipTests)
  KAFKA_TOOLS_CP=$(cd "$root" && ./mvnw -q -B -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_surge RESOURCE_YAML: sets SURGE_PID, HTTP_PORT, KAFKA_PORT, WORK
start_surge() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/surge-bench.XXXXXX")
  HTTP_PORT=$(free_port); KAFKA_PORT=$(free_port)
  printf '%s\n' "$1" > "$WORK/surge.yaml"
  java ${SURGE_JAVA_OPTS:-} -jar "$jar" up "$WORK/surge.yaml" --port "$HTTP_PORT" --kafka-port "$KAFKA_PORT" \
    --data-dir "$WORK/data" > "$WORK/surge.log" 2>&1 &
  SURGE_PID=$!
  for _ in $(seq 1 120); do
    curl -sf "http://localhost:$HTTP_PORT/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$SURGE_PID" 2>/dev/null || { cat "$WORK/surge.log"; return 1; }
    sleep 0.5
  done
  echo "Surge did not get ready; see $WORK/surge.log" >&2; return 1
}

stop_surge() {
  if [ -n "${SURGE_PID:-}" ] && kill -0 "$SURGE_PID" 2>/dev/null; then
    kill -TERM "$SURGE_PID"; wait "$SURGE_PID" 2>/dev/null || true
  fi
  [ -n "${WORK:-}" ] && rm -rf "$WORK"
}

# ratio A B: A/B with two decimals
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
