#!/usr/bin/env python3
"""Runs `aiops validate --checks imports` over the standard library of the python3 that
runs this script, and compares the findings with the known ones for its version.

The standard library imports only itself, so each finding is a false positive unless it
is listed, with the reason, in the known file: {"3.11": [{"path", "module", "count",
"why"}, ...]} (how many times the file imports the module; lines are left out, as they
move between patch releases). A known entry counts only when its file is installed
(Debian's python3.11 has no test/ folder). A Python version the file does not list is
a failure, so that a new version is looked at rather than passed over.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import sysconfig

QUOTED = re.compile(r"'([^']+)'")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aiops", required=True)
    parser.add_argument("--known", required=True)
    args = parser.parse_args()

    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    with open(args.known, encoding="utf-8") as handle:
        known = json.load(handle)
    if version not in known:
        print(f"no known findings for Python {version} in {args.known}: run this check by hand "
              f"and record what it finds for that version")
        return 1
    root = sysconfig.get_paths()["stdlib"]
    command = [args.aiops, "validate", "--checks", "imports", "--no-git", "--root", root,
               "--exclude", "site-packages/", "--exclude", "dist-packages/",
               "--format", "json", "--fail-on", "none", root]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if completed.returncode != 0:
        print(f"aiops exited {completed.returncode}: {completed.stderr.strip()}")
        return 1
    report = json.loads(completed.stdout)
    found = collections.Counter()
    for finding in report["findings"]:
        quoted = QUOTED.search(finding["message"])
        found[(finding["path"], quoted.group(1) if quoted else "")] += 1
    expected = {(item["path"], item["module"]): item["count"] for item in known[version]
                if os.path.exists(os.path.join(root, item["path"]))}
    checked = report["summary"]["files_checked"]
    print(f"{root}: {checked} files checked, {sum(found.values())} findings, "
          f"{sum(expected.values())} known")
    failed = False
    for (path, module), count in sorted(found.items()):
        if expected.get((path, module)) != count:
            failed = True
            print(f"  {path}: '{module}' found {count} times, known {expected.get((path, module), 0)}")
    for (path, module), count in sorted(expected.items()):
        if (path, module) not in found:
            failed = True
            print(f"  {path}: '{module}' is known {count} times but no longer found")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
