#!/usr/bin/env python3
"""Runs `aiops validate --checks imports` over every model reply of a folder and
compares what it finds with the reply's expected.txt.

Each reply folder holds project/ (the files the model wrote) and expected.txt (one
planted defect a line: `path:line module`, path relative to project/; empty for a
clean reply). A reply passes when every planted defect is found and nothing else is.
The module of a finding is the first quoted name of its message.
"""

import argparse
import json
import os
import re
import subprocess
import sys

QUOTED = re.compile(r"'([^']+)'")


def expected_defects(path):
    defects = set()
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            where, _, module = line.partition(" ")
            file, _, row = where.rpartition(":")
            if not file or not row.isdigit() or not module:
                sys.exit(f"{path}:{number}: expected 'path:line module', found {line!r}")
            defects.add((file, int(row), module))
    return defects


def found_defects(aiops, project):
    command = [aiops, "validate", "--checks", "imports", "--no-git", "--root", project,
               "--format", "json", "--fail-on", "none", project]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    completed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    if completed.returncode != 0:
        raise RuntimeError(f"exit {completed.returncode}: {completed.stderr.strip()}")
    findings = json.loads(completed.stdout)["findings"]
    defects = set()
    for finding in findings:
        if not finding["rule"].startswith("imports."):
            continue
        quoted = QUOTED.search(finding["message"])
        defects.add((finding["path"], finding["start_line"], quoted.group(1) if quoted else ""))
    return defects


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aiops", required=True)
    parser.add_argument("replies", help="the folder of reply folders")
    args = parser.parse_args()

    failures = 0
    cases = sorted(name for name in os.listdir(args.replies)
                   if os.path.isdir(os.path.join(args.replies, name)))
    planted = 0
    for case in cases:
        folder = os.path.join(args.replies, case)
        expected = expected_defects(os.path.join(folder, "expected.txt"))
        planted += len(expected)
        try:
            found = found_defects(os.path.abspath(args.aiops), os.path.join(folder, "project"))
        except RuntimeError as error:
            print(f"{case}: FAILED: {error}")
            failures += 1
            continue
        missed = sorted(expected - found)
        extra = sorted(found - expected)
        if missed or extra:
            failures += 1
            print(f"{case}: FAILED")
            for file, line, module in missed:
                print(f"  not found: {file}:{line} {module}")
            for file, line, module in extra:
                print(f"  not planted: {file}:{line} {module}")
        else:
            print(f"{case}: {len(expected)} planted, all found" if expected else f"{case}: clean")
    print(f"{len(cases)} replies, {planted} planted defects, {failures} failed")
    if not cases:
        print("no reply folders found")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
