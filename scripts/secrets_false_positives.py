#!/usr/bin/env python3
"""Runs the secrets, hidden-Unicode and prompt-injection rules over corpora that hold no
real secrets: the Python standard library and the JavaScript of a few large npm
packages (installed with `npm install --prefix` into a scratch folder). Prints the
findings per corpus, secrets redacted as aiops reports them, for review; exits 1 when
a corpus has more findings than --max allows.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import sysconfig
import tempfile

PACKAGES = ["typescript@5.4.5", "lodash@4.17.21", "webpack@5.91.0", "react-dom@18.3.1", "axios@1.7.2",
            "eslint@8.57.0"]
RULE_FOLDERS = ["rules/secrets", "rules/llm", "rules/unicode"]


def scan(aiops, project, root, extra):
    rules = [os.path.join(project, folder) for folder in RULE_FOLDERS]
    rule_flags = [arg for folder in rules for arg in ("--rules", folder)]  # one path a flag
    command = [aiops, "scan", "--no-builtin", *rule_flags, "--root", root, "--no-git", "--format", "json",
               "--fail-on", "none", "--keep-going", *extra, "--", root]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode not in (0, 1):
        sys.exit(f"secrets_false_positives.py: aiops failed ({completed.returncode}): {completed.stderr}")
    return json.loads(completed.stdout)


def install(folder):
    if os.path.isdir(os.path.join(folder, "node_modules")):
        return
    subprocess.run(["npm", "install", "--prefix", folder, "--ignore-scripts", "--no-audit", "--no-fund",
                    "--loglevel", "error", *PACKAGES], check=True)


def report(name, result):
    findings = [f for f in result["findings"] if not f["rule"].startswith("aiops.")]
    counts = collections.Counter(f["rule"] for f in findings)
    print(f"{name}: {result['summary']['files_checked']} files, {len(findings)} findings")
    for rule, count in sorted(counts.items()):
        print(f"  {count:4d} {rule}")
    for finding in findings:
        print(f"    {finding['path']}:{finding['start_line']}: [{finding['rule']}] {finding['message'][:140]}")
    return len(findings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aiops", default="build/release/tools/aiops/aiops")
    parser.add_argument("--project", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--stdlib", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--npm-folder", default=os.path.join(tempfile.gettempdir(), "aiops-secrets-npm-corpus"))
    parser.add_argument("--no-npm", action="store_true", help="only the standard library")
    parser.add_argument("--max", type=int, default=-1, help="fail when a corpus has more findings")
    args = parser.parse_args()
    aiops = os.path.abspath(args.aiops)

    totals = {}
    stdlib = scan(aiops, args.project, args.stdlib, ["--exclude", "site-packages/"])
    totals["python standard library"] = report(f"python standard library ({args.stdlib})", stdlib)
    if not args.no_npm:
        install(args.npm_folder)
        modules = os.path.join(args.npm_folder, "node_modules")
        # Minified bundles and node_modules are excluded by default; this corpus is them.
        npm = scan(aiops, args.project, modules, ["--no-default-excludes"])
        totals["npm packages"] = report(f"npm packages ({', '.join(PACKAGES)})", npm)
    too_many = [name for name, count in totals.items() if 0 <= args.max < count]
    return 1 if too_many else 0


if __name__ == "__main__":
    sys.exit(main())
