#!/usr/bin/env python3
"""Benchmark: `aiops validate` over the Python standard library, against a parse-only
pass over the same files at the same thread count and against `python3 -m compileall`;
validate runs with the syntax check alone and with the syntax and imports checks.

Each command runs --runs times (after one warm-up run that fills the page cache); the
median wall time is reported with ratios to the parse-only pass and to compileall,
and the peak resident memory of aiops is read from GNU time. All are measured in
this run, on this machine. --checks names the checks validate runs (default: syntax):
two runs, with syntax and with syntax,artefacts, give the cost of the artefacts check.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time


def timed(command, env=None, cpu=False):
    """Wall time, or with cpu the user and system CPU time of the command."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu:
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - started


def median_time(command, runs, env=None, cpu=False):
    timed(command, env)
    return statistics.median(timed(command, env, cpu) for _ in range(runs))


def peak_rss_kib(command):
    completed = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True)
    return int(completed.stderr.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release", help="the CMake build folder")
    parser.add_argument("--root", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.path.exists("/usr/bin/time"):
        sys.exit("validate_stdlib.py: GNU time is needed for peak memory (Debian package 'time')")

    aiops = os.path.join(args.build, "tools", "aiops", "aiops")
    parse_only = os.path.join(args.build, "bench", "aiops_parse_only")
    validate = [aiops, "validate", "--root", args.root, "--no-git", "--exclude", "site-packages/",
                "--jobs", str(args.jobs), "--format", "json", "--fail-on", "none", args.root]
    with_imports = validate + ["--checks", "syntax,imports"]
    baseline = [parse_only, str(args.jobs), args.root, "site-packages/"]
    cache = tempfile.mkdtemp(prefix="aiops-bench-pycache-")
    compileall = [sys.executable, "-m", "compileall", "-q", "-f", "-j", str(args.jobs),
                  "-x", "site-packages", args.root]
    env = dict(os.environ, PYTHONPYCACHEPREFIX=cache)
    try:
        t_validate = median_time(validate, args.runs)
        t_imports = median_time(with_imports, args.runs)
        # CPU time shows what the imports check costs when other work shares the cores.
        cpu_validate = median_time(validate, args.runs, cpu=True)
        cpu_imports = median_time(with_imports, args.runs, cpu=True)
        t_parse = median_time(baseline, args.runs)
        t_compileall = median_time(compileall, args.runs, env)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    rss = peak_rss_kib(validate)
    files = subprocess.run(baseline, capture_output=True, text=True).stdout.strip()

    print(f"corpus: {args.root} ({files}); {args.jobs} threads; median of {args.runs} runs")
    print(f"aiops validate      {t_validate:8.3f} s")
    print(f"  + imports check   {t_imports:8.3f} s")
    print(f"parse only          {t_parse:8.3f} s")
    print(f"python -m compileall{t_compileall:8.3f} s")
    print(f"validate / parse-only: {t_validate / t_parse:.3f} (aim: within 1.1)")
    print(f"validate with imports / parse-only: {t_imports / t_parse:.3f}")
    print(f"validate with imports / validate:   {t_imports / t_validate:.3f}")
    print(f"CPU time: validate {cpu_validate:.3f} s, with imports {cpu_imports:.3f} s, "
          f"ratio {cpu_imports / cpu_validate:.3f}")
    print(f"validate / compileall: {t_validate / t_compileall:.3f}")
    print(f"validate peak memory:  {rss / 1024:.1f} MiB (aim: under 50 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
