#!/usr/bin/env python3
"""Benchmark: `aiops scan` with the whole built-in pack over the Python standard
library, against a parse-only pass over the same files at the same thread count and
against Bandit (Debian's `bandit` package), all measured in this run; plus aiops's
peak resident memory.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import sysconfig

from validate_stdlib import median_time, peak_rss_kib, timed


def instructions(command):
    """Instructions the command executes, counted by valgrind's callgrind: unlike time
    on a shared machine, the same from run to run."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + command,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if not found:
        sys.exit("scan_stdlib.py: valgrind counted nothing: " + done.stderr[-400:])
    return int(found.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release", help="the CMake build folder")
    parser.add_argument("--root", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bandit-runs", type=int, default=1, help="Bandit takes minutes a run")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions of both on one thread (valgrind, minutes)")
    args = parser.parse_args()
    if not shutil.which("bandit"):
        sys.exit("scan_stdlib.py: install Debian's 'bandit' package to compare with it")

    aiops = os.path.join(args.build, "tools", "aiops", "aiops")
    parse_only = os.path.join(args.build, "bench", "aiops_parse_only")

    def scan_on(jobs):
        return [aiops, "scan", "--root", args.root, "--no-git", "--exclude", "site-packages/",
                "--jobs", str(jobs), "--format", "json", "--fail-on", "none", "--keep-going", args.root]

    def parse_on(jobs):
        return [parse_only, str(jobs), args.root, "site-packages/"]

    scan = scan_on(args.jobs)
    baseline = parse_on(args.jobs)
    bandit = ["bandit", "-r", args.root, "-q", "-f", "json", "-x", os.path.join(args.root, "site-packages")]

    t_scan = median_time(scan, args.runs)
    t_parse = median_time(baseline, args.runs)
    t_bandit = min(timed(bandit) for _ in range(args.bandit_runs))
    rss = peak_rss_kib(scan)
    print(f"corpus: {args.root}; {args.jobs} threads; median of {args.runs} runs (Bandit: best of {args.bandit_runs})")
    print(f"aiops scan          {t_scan:8.3f} s")
    print(f"parse only          {t_parse:8.3f} s")
    print(f"bandit              {t_bandit:8.3f} s")
    print(f"scan / parse-only:  {t_scan / t_parse:.3f} (aim: within 1.3)")
    print(f"bandit / scan:      {t_bandit / t_scan:.1f} times slower than aiops")
    print(f"scan peak memory:   {rss / 1024:.1f} MiB (aim: under 50 MiB)")
    if args.instructions:
        if not shutil.which("valgrind"):
            sys.exit("scan_stdlib.py: install Debian's 'valgrind' package for --instructions")
        scan_count = instructions(scan_on(1))
        parse_count = instructions(parse_on(1))
        print(f"instructions, 1 thread: scan {scan_count / 1e9:.2f} G, parse only "
              f"{parse_count / 1e9:.2f} G, ratio {scan_count / parse_count:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
