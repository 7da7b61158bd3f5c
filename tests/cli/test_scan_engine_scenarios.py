#!/usr/bin/env python3
"""End-to-end scenarios of `aiops scan` about the scan itself rather than one rule:
suppression comments, long one-line files, line endings, baselines of repeated code,
and flags that cannot go together. Prints one line per scenario and closes with
'N passed, N failed'."""

import argparse
import json
import os
import subprocess
import sys

from scenario_runner import run_scenarios

ARGS = None


def aiops(*arguments, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    env["NO_COLOR"] = "1"
    return subprocess.run([ARGS.aiops, *arguments], cwd=cwd, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=300)


def write(path, content, newline=None):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", newline=newline) as handle:
        handle.write(content)


def findings(result):
    return json.loads(result.stdout)["findings"]


def scenario_suppression_markers_are_whole_words_at_the_start_of_a_comment(root):
    write(os.path.join(root, "app.py"),
          "import subprocess  # nosec B404\n"
          "def go(cmd):\n"
          "    subprocess.run(cmd, shell=True)  # nosecurity\n"
          "    subprocess.run(cmd, shell=True)  # some text nosec\n"
          "    subprocess.run(cmd, shell=True)  # TODO: do not add a nosec here, fix it\n"
          "    subprocess.run(cmd, shell=True)  # aiops: ignored, see ticket\n"
          "    subprocess.run(cmd, shell=True)  # aiops: ignore-next-line\n"
          "    subprocess.run(cmd, shell=True)  # aiops: ignore[] empty\n"
          "    subprocess.run(cmd, shell=True)  # aiops: ignore[B602 reason without closing\n"
          "    subprocess.run(cmd, shell=True)  # noqa: E501  # nosec B602\n"
          "    subprocess.run(cmd, shell=True)  # nosec B602, B607\n")
    write(os.path.join(root, ".env"), "API_TOKEN3=FAKEbZ97Qw2Lx8Rt5Yp3KdM4vB6n # nosecret-rotation-pending\n")
    write(os.path.join(root, "s.js"),
          "const cp = require('child_process');\n"
          "function go(user) {\n"
          "  /* nosec */ cp.exec(\"ls \" + user);\n"
          "  cp.exec(\"ls \" + user); /* aiops: ignore[js.child-process-command-built] block */\n"
          "}\n")
    result = aiops("scan", "--no-git", "--format", "json", "--fail-on", "info", ".", cwd=root)
    found = {(f["path"], f["start_line"], f["rule"]): f for f in findings(result)}
    shell = "python.subprocess-shell-true"
    for line in range(3, 10):
        assert found[("app.py", line, shell)]["suppressed"] is None, line
    for line in (10, 11):
        assert found[("app.py", line, shell)]["suppressed"] is not None, line
    bad = sorted((line, f["start_column"], f["message"].split(",")[0])
                 for (path, line, rule), f in found.items() if rule == "aiops.bad-suppression")
    assert bad == [(6, 38, "'aiops: ignored' is not a suppression"),
                   (7, 38, "'aiops: ignore-next-line' is not a suppression"),
                   (8, 38, "'aiops: ignore[]' names no rule"),
                   (9, 38, "the '[' after 'aiops: ignore' is never closed with ']'")], bad
    # The part of a suppression that hides nothing is reported, at the comment.
    unused = found[("app.py", 11, "aiops.unused-suppression")]
    assert (unused["start_column"], unused["end_column"], unused["message"]) == \
        (38, 56, "this suppression of 'B607' suppresses no finding"), unused
    assert found[(".env", 1, "secrets.generic-secret-env")]["suppressed"] is None
    js = "js.child-process-command-built"
    assert found[("s.js", 3, js)]["suppressed"] == {"kind": "in_source", "justification": ""}
    assert found[("s.js", 4, js)]["suppressed"] == {"kind": "in_source", "justification": "block"}
    assert ("s.js", 4, "aiops.unused-suppression") not in found


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    return run_scenarios(globals(), "aiops-scan-engine-scenario-")


if __name__ == "__main__":
    sys.exit(main())
