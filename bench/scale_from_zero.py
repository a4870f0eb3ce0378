"""Scale-from-zero: event posted -> function invoked, next to the bare start of the same function process.

Driven by bench/scale-from-zero.sh; see there. Prints medians and maxima over RUNS runs.
"""
import http.server, json, os, statistics, subprocess, sys, tempfile, threading, time, urllib.request, socket

root, java, runs, label, data_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
app = os.path.join(root, "functions/greeter/target/quarkus-app")
jar = os.path.join(root, "runtime/app/target/quarkus-app/quarkus-run.jar")
jvm_options = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k"]   # as FunctionProcess.JVM_OPTIONS
aot = os.path.join(app, "app.aot")


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def get(url, timeout=1.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""
    except OSError:
        return 0, b""


def wait_ready(url, proc, limit=60):
    end = time.perf_counter() + limit
    while time.perf_counter() < end:
        if proc.poll() is not None:
            raise SystemExit(f"process exited with {proc.returncode}")
        if get(url, 0.5)[0] == 200:
            return time.perf_counter()
        time.sleep(0.005)
    raise SystemExit(f"{url} not ready after {limit} s")


def java_feature_version():
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    return int(out.split('version "')[1].split(".")[0].split('"')[0])


def aot_options():
    """As local mode does: the app's AOT cache, on JDK 25 and newer only."""
    return [f"-XX:AOTCache={aot}"] if os.path.exists(aot) and java_feature_version() >= 25 else []


def agent_options():
    """The parent-watch agent Surge gives every function process (written by Surge into its data folder)."""
    return [f"-javaagent:{os.path.join(data_dir, 'agent', 'parent-watch.jar')}={os.getpid()}"]


def bare_start():
    port = free_port()
    t0 = time.perf_counter()
    p = subprocess.Popen([java, f"-Dquarkus.http.port={port}", "-Dquarkus.http.host=127.0.0.1", *jvm_options,
                          *agent_options(), *aot_options(), "-jar", os.path.join(app, "quarkus-run.jar")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return wait_ready(f"http://127.0.0.1:{port}/q/health/ready", p) - t0
    finally:
        p.terminate(); p.wait(20)


replies = {}
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        replies[json.loads(body)["message"]] = time.perf_counter()
        self.send_response(202); self.end_headers()
    def log_message(self, *a):
        pass


def surge_runs():
    sink = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    work = tempfile.mkdtemp(prefix="surge-zero.")
    port, kafka_port = free_port(), free_port()
    yaml = f"""apiVersion: surge.dev/v1alpha1
kind: Broker
metadata: {{name: zero, namespace: bench}}
---
apiVersion: surge.dev/v1alpha1
kind: Function
metadata: {{name: greeter, namespace: bench}}
spec:
  path: {app}
  scaling: {{cooldownPeriod: PT1S, stabilizationWindow: PT1S, pollingInterval: PT0.2S}}
---
apiVersion: surge.dev/v1alpha1
kind: Trigger
metadata: {{name: greet, namespace: bench}}
spec: {{broker: zero, filters: [{{exact: {{type: dev.surge.greet}}}}], function: greeter}}
---
apiVersion: surge.dev/v1alpha1
kind: Trigger
metadata: {{name: replies, namespace: bench}}
spec: {{broker: zero, filters: [{{exact: {{type: dev.surge.greeting}}}}], uri: "http://127.0.0.1:{sink.server_port}/"}}
"""
    open(os.path.join(work, "surge.yaml"), "w").write(yaml)
    log = open(os.path.join(work, "surge.log"), "w")
    surge = subprocess.Popen(["java", "-jar", jar, "up", os.path.join(work, "surge.yaml"), "--port", str(port),
                              "--kafka-port", str(kafka_port), "--data-dir", data_dir,
                              "--functions-java", java], stdout=log, stderr=subprocess.STDOUT)
    times = []
    try:
        wait_ready(f"http://localhost:{port}/q/health/ready", surge)
        status = f"http://localhost:{port}/functions/bench/greeter"
        for i in range(runs + 1):                     # run 0 warms Surge up and is not counted
            end = time.perf_counter() + 60
            while json.loads(get(status)[1] or b"{}").get("replicas", 1) != 0:
                if time.perf_counter() > end:
                    raise SystemExit("greeter did not scale to zero")
                time.sleep(0.05)
            name = f"run-{i}"
            req = urllib.request.Request(f"http://localhost:{port}/bench/zero", method="POST",
                                         data=json.dumps({"name": name}).encode(),
                                         headers={"ce-specversion": "1.0", "ce-id": name, "ce-source": "/bench",
                                                  "ce-type": "dev.surge.greet", "Content-Type": "application/json"})
            t0 = time.perf_counter()
            urllib.request.urlopen(req, timeout=10).read()
            key = f"Hello, {name}!"
            while key not in replies:
                if time.perf_counter() - t0 > 60:
                    raise SystemExit("no reply within 60 s")
                time.sleep(0.002)
            if i > 0:
                times.append(replies[key] - t0)
    finally:
        surge.terminate(); surge.wait(60); log.close(); sink.shutdown()
        subprocess.run(["rm", "-rf", work])
    return times


e2e = surge_runs()          # first: Surge writes the agent jar the bare starts use too
bare = [bare_start() for _ in range(runs)]
ms = lambda xs: f"median {statistics.median(xs) * 1000:6.0f} ms, max {max(xs) * 1000:6.0f} ms"
print(f"{label}")
print(f"  bare start of the greeter (launch -> ready)        {ms(bare)}")
print(f"  Surge scale from zero (event posted -> reply seen) {ms(e2e)}")
print(f"  overhead (median - median)                        {(statistics.median(e2e) - statistics.median(bare)) * 1000:6.0f} ms")
