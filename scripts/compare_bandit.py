#!/usr/bin/env python3
"""Compares `aiops scan` with Bandit over a Python code base (default: this Python's
standard library), per Bandit check id.

For each id it prints Bandit's count, aiops's count (findings of the rules that carry
the id as an alias), how many are on the same file and line, and samples of what only
one of them found. Needs Debian's `bandit` package. Writes every finding of both to
--details as JSON when asked.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import sysconfig


def bandit_version():
    completed = subprocess.run(["bandit", "--version"], capture_output=True, text=True)
    return completed.stdout.splitlines()[0] if completed.stdout else "bandit"


def run_bandit(root, excludes):
    command = ["bandit", "-r", root, "-f", "json", "-q", "-x", ",".join(os.path.join(root, e) for e in excludes)]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode not in (0, 1):
        sys.exit(f"bandit exited with {completed.returncode}: {completed.stderr[-2000:]}")
    report = json.loads(completed.stdout)
    found = collections.defaultdict(set)
    for result in report["results"]:
        path = os.path.relpath(result["filename"], root)
        found[result["test_id"]].add((path, result["line_number"]))
    return found, len(report.get("errors", []))


def run_aiops(binary, root, excludes, jobs):
    rules = json.loads(subprocess.run([binary, "scan", "--list-rules", "--format", "json"],
                                      capture_output=True, text=True, check=True).stdout)
    alias_of = {rule["id"]: [a for a in rule["aliases"] if a.startswith("B")] for rule in rules}
    command = [binary, "scan", "--root", root, "--no-git", "--format", "json", "--fail-on", "none",
               "--ignore-suppressions", "--keep-going", "--jobs", str(jobs), root]
    for pattern in excludes:
        command += ["--exclude", pattern + "/"]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.exit(f"aiops exited with {completed.returncode}: {completed.stderr[-2000:]}")
    report = json.loads(completed.stdout)
    found = collections.defaultdict(set)
    for finding in report["findings"]:
        for alias in alias_of.get(finding["rule"], []):
            found[alias].add((finding["path"], finding["start_line"]))
    return found, alias_of


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aiops", required=True)
    parser.add_argument("--root", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--exclude", action="append", default=["site-packages"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--details")
    args = parser.parse_args()

    bandit, bandit_errors = run_bandit(args.root, args.exclude)
    aiops, alias_of = run_aiops(args.aiops, args.root, args.exclude, args.jobs)
    covered = sorted({alias for aliases in alias_of.values() for alias in aliases})
    print(f"corpus: {args.root}; {bandit_version()} could not parse {bandit_errors} files")
    print(f"{'id':6} {'bandit':>7} {'aiops':>7} {'same':>7} {'bandit only':>12} {'aiops only':>11}")
    totals = [0, 0, 0]
    details = {}
    for check in sorted(set(bandit) | set(covered)):
        b = bandit.get(check, set())
        a = aiops.get(check, set())
        same = b & a
        totals[0] += len(b)
        totals[1] += len(a)
        totals[2] += len(same)
        marker = "" if check in covered else "  (no aiops rule)"
        print(f"{check:6} {len(b):7} {len(a):7} {len(same):7} {len(b - a):12} {len(a - b):11}{marker}")
        for label, only in (("bandit only", sorted(b - a)), ("aiops only", sorted(a - b))):
            for path, line in only[: args.samples]:
                print(f"         {label}: {path}:{line}")
        details[check] = {"bandit_only": sorted(b - a), "aiops_only": sorted(a - b), "same": sorted(same)}
    print(f"{'all':6} {totals[0]:7} {totals[1]:7} {totals[2]:7}")
    if args.details:
        with open(args.details, "w") as handle:
            json.dump(details, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
