#!/usr/bin/env python3
"""Compares `aiops validate` with CPython's compiler over a Python code base.

For every .py file, CPython's verdict is whether compile() (what py_compile runs)
accepts the file; aiops's verdict is whether it reports a syntax finding for it.
Prints the agreement and every disagreement with CPython's message, and writes the
details as JSON when asked. Exit status: 0 when every disagreement is listed in the
known-disagreements file (if one is given) and no listed one has gone away, else 1.
"""

import argparse
import json
import os
import subprocess
import sys
import sysconfig
import warnings


def cpython_verdicts(root, files):
    verdicts = {}
    for rel in files:
        path = os.path.join(root, rel)
        with open(path, "rb") as handle:
            data = handle.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                compile(data, path, "exec", dont_inherit=True)
                verdicts[rel] = None
            except (SyntaxError, ValueError, UnicodeDecodeError) as error:
                line = getattr(error, "lineno", None)
                verdicts[rel] = f"{type(error).__name__}: {error.args[0] if error.args else error}" + (
                    f" (line {line})" if line else "")
    return verdicts


def aiops_report(binary, root, jobs, excludes):
    command = [binary, "validate", "--checks", "syntax", "--root", root, "--format", "json", "--fail-on", "none",
               "--no-git", "--jobs", str(jobs), root]
    for pattern in excludes:
        command += ["--exclude", pattern]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.exit(f"aiops exited with {completed.returncode}: {completed.stderr}")
    return json.loads(completed.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aiops", required=True, help="path of the aiops binary")
    parser.add_argument("--root", default=sysconfig.get_paths()["stdlib"],
                        help="code base to compare over (default: this Python's standard library)")
    parser.add_argument("--exclude", action="append", default=["site-packages/"],
                        help="gitignore pattern to leave out (default: site-packages/)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--known", help="JSON file of known disagreements: {path: reason}")
    parser.add_argument("--details", help="write every verdict to this JSON file")
    args = parser.parse_args()

    report = aiops_report(args.aiops, args.root, args.jobs, args.exclude)
    flagged = {}
    for finding in report["findings"]:
        flagged.setdefault(finding["path"], []).append(
            f'{finding["start_line"]}:{finding["start_column"]} {finding["message"]}')
    skipped = {entry["path"]: entry["reason"] for entry in report["skipped"]}

    checked = []
    for folder, dirs, names in os.walk(args.root):
        rel_folder = os.path.relpath(folder, args.root)
        dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "__pycache__"))
        for name in sorted(names):
            if name.endswith(".py"):
                rel = os.path.normpath(os.path.join(rel_folder, name))
                checked.append(rel)
    cpython = cpython_verdicts(args.root, checked)

    disagreements = {}
    skipped_py = 0
    for rel in checked:
        if rel in skipped:
            skipped_py += 1
            # A skipped file is no verdict; CPython rejecting it is still a disagreement.
            if cpython[rel] is not None:
                disagreements[rel] = {"cpython": cpython[rel], "aiops": "skipped: " + skipped[rel]}
            continue
        rejected = cpython[rel] is not None
        reported = rel in flagged
        if rejected != reported:
            disagreements[rel] = {
                "cpython": cpython[rel] or "accepted",
                "aiops": "; ".join(flagged.get(rel, [])[:3]) or "no syntax finding",
            }

    total = len(checked)
    rejected_count = sum(1 for v in cpython.values() if v is not None)
    agree = total - len(disagreements)
    print(f"Python files: {total} (CPython {sys.version.split()[0]} rejects {rejected_count}; "
          f"aiops skipped {skipped_py})")
    print(f"agreement: {agree}/{total} files ({100.0 * agree / max(total, 1):.2f}%), "
          f"{len(disagreements)} disagreements")
    for rel, verdict in sorted(disagreements.items()):
        print(f"  {rel}\n    cpython: {verdict['cpython']}\n    aiops:   {verdict['aiops']}")
    if args.details:
        with open(args.details, "w") as handle:
            json.dump({"total": total, "disagreements": disagreements}, handle, indent=2)

    if args.known:
        with open(args.known) as handle:
            known = json.load(handle)
        unexpected = sorted(set(disagreements) - set(known))
        # A listed file that this Python's library does not have is no news.
        gone = sorted(rel for rel in set(known) - set(disagreements) if rel in cpython)
        for rel in unexpected:
            print(f"new disagreement: {rel}")
        for rel in gone:
            print(f"listed disagreement no longer seen: {rel}")
        return 1 if unexpected or gone else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
