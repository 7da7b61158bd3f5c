#!/usr/bin/env python3
"""Counts what `aiops validate` reports over code that is known to be sound.

Every finding of a check such as `artefacts` over released code (the Python standard
library, the JavaScript and TypeScript of large npm packages) is a false positive or a
deliberate idiom worth knowing about. The script installs the npm packages into a
scratch folder itself (`npm install --prefix SCRATCH`), runs the binary over each
corpus, and prints each finding (up to --show per rule) and the number of findings per
rule per corpus. With --known, every finding must be listed in that file with the
reason it is real or deliberate, else the exit status is 1. It needs the network for
the npm packages only; --no-npm leaves them out.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import sysconfig

DEFAULT_PACKAGES = ["lodash@4", "express@4", "react@18", "typescript@5", "rxjs@7", "webpack@5"]


def package_folder(scratch, spec):
    name = spec.rsplit("@", 1)[0] if spec.rfind("@") > 0 else spec
    return os.path.join(scratch, "node_modules", name), name


def install(scratch, packages):
    if all(os.path.isdir(package_folder(scratch, spec)[0]) for spec in packages):
        return
    # All at once: npm removes what an install with --no-save does not name.
    os.makedirs(scratch, exist_ok=True)
    command = ["npm", "install", "--prefix", scratch, "--no-save", "--no-audit", "--no-fund",
               "--ignore-scripts", *packages]
    print("$ " + " ".join(command), flush=True)
    completed = subprocess.run(command, stdout=subprocess.DEVNULL)
    if completed.returncode != 0:
        sys.exit(f"validate_false_positives.py: npm install failed ({completed.returncode})")


def validate(binary, checks, root, extra):
    # The corpus is its own root, so its files are not under a node_modules/ folder
    # that the default exclusions would leave out.
    command = [binary, "validate", root, "--checks", checks, "--format", "json",
               "--fail-on", "none", "--no-git", "--root", root, *extra]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode not in (0, 1):
        sys.exit(f"aiops exited with {completed.returncode}: {completed.stderr}")
    return json.loads(completed.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aiops", required=True, help="path of the aiops binary")
    parser.add_argument("--checks", default="artefacts", help="checks to run (default: artefacts)")
    parser.add_argument("--scratch", default="/tmp/aiops-fp-npm",
                        help="folder the npm packages are installed into")
    parser.add_argument("--packages", nargs="*", default=DEFAULT_PACKAGES,
                        help=f"npm packages to check (default: {' '.join(DEFAULT_PACKAGES)})")
    parser.add_argument("--stdlib", default=sysconfig.get_paths()["stdlib"],
                        help="the Python standard library to check (default: this Python's)")
    parser.add_argument("--no-stdlib", action="store_true", help="leave the standard library out")
    parser.add_argument("--no-npm", action="store_true", help="leave the npm packages out")
    parser.add_argument("--show", type=int, default=40, help="findings listed per rule and corpus")
    parser.add_argument("--known",
                        help="JSON file of the findings known per corpus ({corpus: {'path: message': "
                             "reason}}): exit 1 on any other finding")
    args = parser.parse_args()
    known = {}
    if args.known:
        with open(args.known, encoding="utf-8") as handle:
            known = json.load(handle)

    corpora = []
    if not args.no_stdlib:
        corpora.append(("python-stdlib", args.stdlib, ["--exclude", "site-packages/",
                                                       "--exclude", "dist-packages/"]))
    if not args.no_npm:
        install(args.scratch, args.packages)
        for spec in args.packages:
            folder, name = package_folder(args.scratch, spec)
            # Bundled compilers are several megabytes of JavaScript; check them whole.
            corpora.append((f"npm:{name}", folder, ["--max-file-size", "32M"]))

    unknown = []
    summary = []
    for label, root, extra in corpora:
        report = validate(args.aiops, args.checks, root, extra)
        by_rule = collections.defaultdict(list)
        for finding in report["findings"]:
            by_rule[finding["rule"]].append(finding)
        files = report["summary"]["files_checked"]
        counts = ", ".join(f"{rule} {len(found)}" for rule, found in sorted(by_rule.items()))
        summary.append(f"{label:<20} {files:>6} files  {len(report['findings']):>4} findings"
                       + (f"  ({counts})" if counts else ""))
        listed = known.get(label, {})
        for finding in report["findings"]:
            if f"{finding['path']}: {finding['message']}" not in listed:
                unknown.append(f"{label}: {finding['path']}:{finding['start_line']}: "
                               f"{finding['message']} [{finding['rule']}]")
        for rule, found in sorted(by_rule.items()):
            print(f"== {label}: {rule}: {len(found)}")
            for finding in found[:args.show]:
                print(f"   {finding['path']}:{finding['start_line']}: {finding['message']}")
            if len(found) > args.show:
                print(f"   ... and {len(found) - args.show} more")
    print()
    print(f"checks: {args.checks}")
    for line in summary:
        print(line)
    if args.known:
        for line in unknown:
            print(f"not in {os.path.basename(args.known)}: {line}")
        print(f"{len(unknown)} findings not known")
        return 1 if unknown else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
