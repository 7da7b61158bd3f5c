#!/usr/bin/env python3
"""Benchmark: the text rules of `aiops scan` (secrets, hidden Unicode, prompt injection)
over every text file of the Python standard library, against only reading the same
files at the same thread count (aiops_parse_only --read-only), all measured in this
run; plus what the text rules add to a scan with the Python pack.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import sysconfig
import time

TEXT_RULES = ["rules/secrets", "rules/llm", "rules/unicode"]


def check_exit(command, completed):
    """Stops the benchmark when a timed command failed: the time of a usage error says
    nothing about a scan."""
    if completed.returncode != 0:
        sys.exit(f"secrets_stdlib.py: '{' '.join(command)}' exited {completed.returncode}:\n"
                 f"{completed.stderr.strip()}")


def peak_rss_kib(command):
    """Peak resident memory of one run of the command, by GNU time."""
    completed = subprocess.run(["/usr/bin/time", "-f", "%M", *command], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, check=False)
    check_exit(command, completed)
    return int(completed.stderr.strip().splitlines()[-1])


def measure(command):
    """Wall and CPU time (user + system) of one run of the command; a failed run stops
    the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - start
    check_exit(command, completed)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def interleaved_medians(commands, runs):
    """Median wall and CPU times per command, the commands taking turns run by run, so
    that other load on the machine falls on all of them alike."""
    samples = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(measure(command))
    wall = {name: statistics.median(s[0] for s in runs_of) for name, runs_of in samples.items()}
    cpu = {name: statistics.median(s[1] for s in runs_of) for name, runs_of in samples.items()}
    return wall, cpu


def rule_flags(folders):
    """--rules takes one path: a flag per folder."""
    return [arg for folder in folders for arg in ("--rules", folder)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release", help="the CMake build folder")
    parser.add_argument("--project", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--root", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    aiops = os.path.join(args.build, "tools", "aiops", "aiops")
    parse_only = os.path.join(args.build, "bench", "aiops_parse_only")
    common = ["--root", args.root, "--no-git", "--exclude", "site-packages/", "--jobs", str(args.jobs),
              "--format", "json", "--fail-on", "none", "--keep-going"]
    secrets_rules = [os.path.join(args.project, "rules", "secrets")]
    text_rules = [os.path.join(args.project, folder) for folder in TEXT_RULES]
    python_rules = [os.path.join(args.project, "rules", "python")]
    secrets = [aiops, "scan", "--no-builtin", *rule_flags(secrets_rules), *common, "--", args.root]
    all_text = [aiops, "scan", "--no-builtin", *rule_flags(text_rules), *common, "--", args.root]
    python_only = [aiops, "scan", "--no-builtin", *rule_flags(python_rules), *common, "--", args.root]
    builtin = [aiops, "scan", *common, "--", args.root]
    read_only = [parse_only, "--read-only", str(args.jobs), args.root, "site-packages/"]

    commands = {"read": read_only, "secrets": secrets, "text": all_text, "python": python_only,
                "builtin": builtin}
    wall, cpu = interleaved_medians(commands, args.runs)
    rss = peak_rss_kib(all_text)
    print(f"corpus: {args.root}, every text file; {args.jobs} threads; median of {args.runs} interleaved runs")
    print("                             wall (s)   CPU (s)")
    labels = {"read": "read only", "secrets": "scan, secrets rules", "text": "scan, all text rules",
              "python": "scan, Python pack only", "builtin": "scan, built-in rules"}
    for name, label in labels.items():
        print(f"{label:28} {wall[name]:8.3f}  {cpu[name]:8.3f}")
    for label, a, b, aim in (("secrets / read-only", "secrets", "read", " (aim: a small multiple)"),
                             ("text rules / read-only", "text", "read", " (the unicode and llm rules also parse)"),
                             ("built-in / Python pack only", "builtin", "python", " (what the text rules add)")):
        print(f"{label + ':':29}{wall[a] / wall[b]:8.2f}  {cpu[a] / cpu[b]:8.2f}{aim}")
    print(f"text rules peak memory:      {rss / 1024:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
