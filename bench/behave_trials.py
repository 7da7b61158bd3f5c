#!/usr/bin/env python3
"""Benchmark: trials per second of `aiops behave` on command cases, measured in this run.

Two suites, each one case: `true` (the cost of starting a process, which bounds the
rate), and a command that prints JSON checked by is-json, json-path and json-schema (the
cost of the assertions on top). Each runs at --jobs 1 and at every core, and the rate
is the median of --runs runs. The same trials run as a plain loop of subprocess calls
in Python give a reference for the process-start cost on this machine.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

SUITES = {
    "spawn-only": """
cases:
  - id: true-command
    run: [true]
    assert: [{exit-code: 0}]
""",
    "json-assertions": """
cases:
  - id: json-reply
    run: [printf, '{"status": "ok", "items": [1, 2, 3]}']
    consistency: {min: 1, normalise: json}
    assert:
      - is-json:
      - json-path: {path: $.status, equals: ok}
      - json-path: {path: '$.items[*]', contains: 2}
      - json-schema: {type: object, required: [status, items], properties: {items: {type: array, maxItems: 5}}}
""",
}


def rate(aiops, suite, trials, jobs, runs):
    rates = []
    for _ in range(runs):
        started = time.perf_counter()
        completed = subprocess.run([aiops, "behave", suite, "--trials", str(trials), "--jobs", str(jobs),
                                    "--format", "json"], capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if completed.returncode != 0:
            sys.exit(f"aiops behave failed ({completed.returncode}): {completed.stderr}")
        report = json.loads(completed.stdout)
        ran = sum(case["trials_run"] for suite in report["suites"] for case in suite["cases"])
        if ran != trials:
            sys.exit(f"expected {trials} trials, the report counts {ran}")
        rates.append(trials / elapsed)
    return statistics.median(rates)


def python_loop_rate(trials):
    started = time.perf_counter()
    for _ in range(trials):
        subprocess.run(["true"], check=True)
    return trials / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release", help="the CMake build folder")
    parser.add_argument("--trials", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    aiops = os.path.join(args.build, "tools", "aiops", "aiops")
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="aiops-bench-") as folder:
        print(f"{args.trials} trials a run, median of {args.runs} runs, {cores} cores")
        for name, text in SUITES.items():
            suite = os.path.join(folder, f"{name}.suite.yaml")
            with open(suite, "w", encoding="utf-8") as handle:
                handle.write(text)
            for jobs in sorted({1, cores}):
                print(f"  {name:<16} --jobs {jobs}: {rate(aiops, suite, args.trials, jobs, args.runs):8.0f} trials/s")
        print(f"  python subprocess loop of 'true' (reference): {python_loop_rate(args.trials):8.0f} runs/s")


if __name__ == "__main__":
    main()
