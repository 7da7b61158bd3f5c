#!/usr/bin/env python3
"""Benchmark: trials per second of prompt cases, `aiops behave` against promptfoo.

One run starts a mock OpenAI-compatible server on 127.0.0.1 that answers at once,
writes one suite (--cases prompt cases of --trials trials each, checked with contains,
is-json and regex, which both tools have) in aiops's format and in promptfoo's, and
runs it through both at the same concurrency with their caches off. Each rate is
trials over the wall-clock time of the whole command, start-up included, the median of
--runs runs. The mock counts the requests of every run: each tool must send cases x
trials, so neither can pass by answering from a cache.

promptfoo is installed from the npm registry, at a pinned version, into a scratch
folder under the build folder. The measured runs then happen in a network namespace of
their own that holds only a loopback interface (when `unshare` is allowed, as for
root), so neither tool can reach any other host; promptfoo also gets every variable
that turns off its telemetry, update check, sharing and remote features, and a fake
key.
"""

import argparse
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

PROMPTFOO_VERSION = "0.121.20"  # the newest release that still runs on Node.js 20
FAKE_KEY = "sk-FAKE-bench-key-0000"
MODEL = "gpt-4o-mini"
ISOLATED = "AIOPS_BENCH_ISOLATED"

# Everything promptfoo reads to stay local: no telemetry, no update check, no sharing,
# no remote generation or grading, its files in the scratch folder, its cache off.
PROMPTFOO_ENV = {
    "PROMPTFOO_DISABLE_TELEMETRY": "1",
    "PROMPTFOO_DISABLE_UPDATE": "1",
    "PROMPTFOO_DISABLE_SHARING": "1",
    "PROMPTFOO_DISABLE_SHARE_EMAIL_REQUEST": "1",
    "PROMPTFOO_DISABLE_REMOTE_GENERATION": "1",
    "PROMPTFOO_DISABLE_REDTEAM_REMOTE_GENERATION": "1",
    "PROMPTFOO_DISABLE_REDTEAM_MODERATION": "1",
    "PROMPTFOO_SELF_HOSTED": "1",
    "PROMPTFOO_CACHE_ENABLED": "false",
    "PROMPTFOO_DISABLE_RUNTIME_WARNINGS": "1",
    "OPENAI_API_KEY": FAKE_KEY,
}


class MockModel:
    """Answers every chat completion at once with a JSON object naming the case."""

    def __init__(self):
        self.count = 0
        self.first = self.last = None  # when the run's first and last requests came
        self.lock = threading.Lock()
        model = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real provider offers
            # The headers and the body go out as two writes; with Nagle's algorithm on,
            # the second waits for the client's delayed ACK (about 40 ms) on every call.
            disable_nagle_algorithm = True

            def do_POST(self):  # noqa: N802 - the http.server interface
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with model.lock:
                    model.count += 1
                    count = model.count
                    model.last = time.perf_counter()
                    model.first = model.first or model.last
                user = body["messages"][-1]["content"]
                item = user.rsplit(" ", 1)[-1].rstrip(".")
                text = json.dumps({"item": item, "status": "ok"})
                reply = json.dumps({
                    "id": f"chatcmpl-{count}", "object": "chat.completion", "created": 0,
                    "model": body["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 12, "completion_tokens": 9, "total_tokens": 21}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def take_count(self):
        """The requests since the last call, and the seconds from the first to the last."""
        with self.lock:
            count, span = self.count, (self.last - self.first if self.count else 0.0)
            self.count, self.first, self.last = 0, None, None
        return count, span

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def item_names(cases):
    return [f"item-{index}" for index in range(1, cases + 1)]


def aiops_suite(cases, trials):
    lines = ["version: 1", "name: bench", "defaults:", f"  trials: {trials}", "  threshold: 1",
             f"  model: openai:{MODEL}", "  temperature: 0", "cases:"]
    for item in item_names(cases):
        lines += [f"  - id: {item}",
                  f"    messages: [{{role: user, content: 'Describe {item}.'}}]",
                  "    assert:",
                  f"      - contains: '\"{item}\"'",
                  "      - is-json:",
                  "      - regex: '\"status\": \"ok\"'"]
    return "\n".join(lines) + "\n"


def promptfoo_config(cases, url):
    config = {
        "description": "bench",
        "prompts": ["Describe {{item}}."],
        "providers": [{"id": f"openai:chat:{MODEL}",
                       "config": {"apiBaseUrl": url, "apiKey": FAKE_KEY, "temperature": 0}}],
        "tests": [{"vars": {"item": item},
                   "assert": [{"type": "contains", "value": f'"{item}"'},
                              {"type": "is-json"},
                              {"type": "regex", "value": '"status": "ok"'}]}
                  for item in item_names(cases)],
        "evaluateOptions": {"cache": False},
    }
    return json.dumps(config, indent=2) + "\n"


def clean_env(extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIOPS_", "PROMPTFOO_", "OPENAI_", "ANTHROPIC_"))
           and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env.update({"NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1", "NO_COLOR": "1"})
    env.update(extra)
    return env


def timed(command, env, cwd):
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=900)
    return time.perf_counter() - started, done


def run_aiops(aiops, folder, model, expected, concurrency):
    env = clean_env({"BENCH_KEY": FAKE_KEY})
    seconds, done = timed([aiops, "behave", "bench.suite.yaml", "--cache", "off", "--base-url", model.url,
                           "--api-key-env", "BENCH_KEY", "--jobs", str(concurrency), "--format", "json"],
                          env, folder)
    if done.returncode != 0:
        sys.exit(f"aiops behave failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    ran = sum(c["trials_run"] for s in report["suites"] for c in s["cases"])
    passed = sum(c["passes"] for s in report["suites"] for c in s["cases"])
    return (seconds, *model.take_count(), ran, passed)


def run_promptfoo(promptfoo, folder, model, trials, concurrency):
    env = clean_env({**PROMPTFOO_ENV, "PROMPTFOO_CONFIG_DIR": os.path.join(folder, "promptfoo-home")})
    seconds, done = timed([promptfoo, "eval", "-c", "promptfooconfig.json", "--repeat", str(trials),
                           "--max-concurrency", str(concurrency), "--no-cache", "--no-table",
                           "--no-progress-bar", "--no-share", "-o", "promptfoo-results.json"],
                          env, folder)
    results_path = os.path.join(folder, "promptfoo-results.json")
    if not os.path.exists(results_path):
        sys.exit(f"promptfoo eval wrote no results ({done.returncode}):\n{done.stdout[-2000:]}\n"
                 f"{done.stderr[-2000:]}")
    with open(results_path) as handle:
        results = json.load(handle)["results"]
    os.remove(results_path)
    stats = results.get("stats", {})
    ran = stats.get("successes", 0) + stats.get("failures", 0) + stats.get("errors", 0)
    if done.returncode not in (0, 100):  # 100: promptfoo's exit code when a test failed
        sys.exit(f"promptfoo eval failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return (seconds, *model.take_count(), ran, stats.get("successes", 0))


def install_promptfoo(build):
    prefix = os.path.join(build, "bench-promptfoo")
    binary = os.path.join(prefix, "node_modules", ".bin", "promptfoo")
    package = os.path.join(prefix, "node_modules", "promptfoo", "package.json")
    if os.path.exists(package):
        with open(package) as handle:
            if json.load(handle).get("version") == PROMPTFOO_VERSION:
                return os.path.abspath(binary)
    os.makedirs(prefix, exist_ok=True)
    print(f"installing promptfoo {PROMPTFOO_VERSION} into {prefix} ...", file=sys.stderr)
    # --ignore-scripts: no package's install script runs. promptfoo's eval works without
    # them on this version; the run below fails loudly if it ever does not.
    subprocess.run(["npm", "install", "--prefix", prefix, "--ignore-scripts", "--no-audit", "--no-fund",
                    "--save-exact", f"promptfoo@{PROMPTFOO_VERSION}"], check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.abspath(binary)


def isolate_network():
    """Runs this script again in a network namespace with only loopback, when allowed."""
    if os.environ.get(ISOLATED) or not shutil.which("unshare") or not shutil.which("ip"):
        return False
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True)
    if probe.returncode != 0:
        return False
    script = "ip link set lo up && exec \"$@\""
    env = dict(os.environ, **{ISOLATED: "1"})
    done = subprocess.run(["unshare", "--net", "sh", "-c", script, "sh", sys.executable, *sys.argv], env=env)
    sys.exit(done.returncode)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release", help="the CMake build folder")
    parser.add_argument("--cases", type=int, default=5)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=4, help="calls at once, for both tools")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    aiops = os.path.abspath(os.path.join(args.build, "tools", "aiops", "aiops"))
    if not os.environ.get(ISOLATED):
        install_promptfoo(os.path.dirname(os.path.abspath(args.build)))
        isolate_network()
        print("note: no network namespace (unshare not allowed); only promptfoo's own "
              "variables keep it local", file=sys.stderr)
    promptfoo = install_promptfoo(os.path.dirname(os.path.abspath(args.build)))
    expected = args.cases * args.trials
    model = MockModel()
    try:
        with tempfile.TemporaryDirectory(prefix="aiops-bench-") as folder:
            with open(os.path.join(folder, "bench.suite.yaml"), "w") as handle:
                handle.write(aiops_suite(args.cases, args.trials))
            with open(os.path.join(folder, "promptfooconfig.json"), "w") as handle:
                handle.write(promptfoo_config(args.cases, model.url))
            measured = {"aiops behave": [], f"promptfoo {PROMPTFOO_VERSION}": []}
            for _ in range(args.runs):
                # Interleaved, so a slow moment of the machine falls on both.
                for name in measured:
                    if name == "aiops behave":
                        result = run_aiops(aiops, folder, model, expected, args.concurrency)
                    else:
                        result = run_promptfoo(promptfoo, folder, model, args.trials, args.concurrency)
                    seconds, requests, span, ran, passed = result
                    if requests != expected or ran != expected or passed != expected:
                        sys.exit(f"{name}: expected {expected} trials, requests and passes; the mock "
                                 f"counted {requests} requests, the report {ran} trials, {passed} passes")
                    measured[name].append((seconds, requests, span))
    finally:
        model.stop()
    print(f"{args.cases} cases x {args.trials} trials = {expected} calls a run, concurrency "
          f"{args.concurrency}, caches off, mock on loopback with no delay, median of {args.runs} runs"
          f"{', network namespace with loopback only' if os.environ.get(ISOLATED) else ''}")
    rates = {}
    for name, runs in measured.items():
        seconds = statistics.median(run[0] for run in runs)
        span = statistics.median(run[2] for run in runs)
        rates[name] = expected / seconds
        # Between the first and the last request the tool's start-up is left out.
        print(f"  {name:<20} {rates[name]:8.1f} trials/s  ({seconds:6.2f} s a run; "
              f"{runs[0][1]} requests counted by the mock in each, the first to the last "
              f"in {span:5.2f} s)")
    aiops_rate, promptfoo_rate = rates.values()
    print(f"  aiops behave / promptfoo: {aiops_rate / promptfoo_rate:.1f}x")


if __name__ == "__main__":
    main()
