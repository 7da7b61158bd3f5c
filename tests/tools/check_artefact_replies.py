#!/usr/bin/env python3
"""Checks that `aiops validate --checks syntax,artefacts` finds every planted defect.

The folder holds model replies saved as source files, each with defects planted on
purpose (a markdown fence, prose, elided code, a stub, a cut-off end), and an
expected.json listing every defect by file, line and rule id, plus clean files that
must give no findings. Prints the recall per rule and overall, every defect that was
missed, every finding that was not expected, and every syntax finding left in a reply
(each syntax problem of a reply comes from a planted defect, which should explain it).
Exit status: 0 when recall is 100% and nothing unexpected was reported, else 1.
"""

import argparse
import collections
import json
import os
import subprocess
import sys


def run_validate(binary, folder):
    command = [binary, "validate", "--checks", "syntax,artefacts", "--format", "json",
               "--fail-on", "none", "--no-git", "--root", folder, folder]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.exit(f"aiops exited with {completed.returncode}: {completed.stderr}")
    return json.loads(completed.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aiops", required=True, help="path of the aiops binary")
    parser.add_argument("folder", help="the folder of replies with its expected.json")
    args = parser.parse_args()

    with open(os.path.join(args.folder, "expected.json"), encoding="utf-8") as handle:
        expected = json.load(handle)
    report = run_validate(args.aiops, args.folder)
    found = collections.Counter(
        (f["path"], f["start_line"], f["rule"]) for f in report["findings"])
    planted = collections.Counter(
        (d["file"], d["line"], d["rule"]) for d in expected["defects"])

    problems = []
    per_rule = collections.defaultdict(lambda: [0, 0])
    for key, count in sorted(planted.items()):
        hits = min(count, found.get(key, 0))
        per_rule[key[2]][0] += hits
        per_rule[key[2]][1] += count
        if hits < count:
            problems.append(f"missed: {key[0]}:{key[1]}: {key[2]}")
    for key, count in sorted(found.items()):
        extra = count - planted.get(key, 0)
        if extra <= 0:
            continue
        path, line, rule = key
        if rule.startswith("syntax."):
            problems.append(f"syntax finding left unexplained: {path}:{line}: {rule}")
        else:
            problems.append(f"not planted: {path}:{line}: {rule}")
    on_disk = {os.path.relpath(os.path.join(dirpath, name), args.folder).replace(os.sep, "/")
               for dirpath, _, names in os.walk(args.folder) for name in names}
    listed = {d["file"] for d in expected["defects"]} | set(expected["clean"])
    for path in sorted(on_disk - listed - {"expected.json"}):
        problems.append(f"not listed in expected.json: {path}")
    for path in sorted(listed - on_disk):
        problems.append(f"listed but missing: {path}")

    total_hits = sum(hits for hits, _ in per_rule.values())
    total = sum(count for _, count in per_rule.values())
    for rule, (hits, count) in sorted(per_rule.items()):
        print(f"{rule:<30} {hits:>3}/{count:<3} recall {hits / count:.0%}")
    replies = len({d["file"] for d in expected["defects"]})
    print(f"{'all planted defects':<30} {total_hits:>3}/{total:<3} recall {total_hits / total:.0%} "
          f"({replies} replies, {len(expected['clean'])} clean files)")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
