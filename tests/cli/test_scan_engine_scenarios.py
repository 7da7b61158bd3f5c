#!/usr/bin/env python3
"""End-to-end scenarios of `aiops scan` about the scan itself rather than one rule:
suppression comments, long one-line files, line endings, baselines of repeated code,
and flags that cannot go together. Prints one line per scenario and closes with
'N passed, N failed'."""

import argparse
import json
import os
import resource
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


def peak_memory_mib(*arguments, cwd):
    """Runs aiops in a child of a fresh Python, so that RUSAGE_CHILDREN holds that run
    alone, and returns its exit code and peak resident memory in MiB."""
    measure = ("import resource, subprocess, sys\n"
               "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
               "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    done = subprocess.run([sys.executable, "-c", measure, ARGS.aiops, *arguments], cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    code, kib = done.stdout.split()
    return int(code), int(kib) / 1024


def scenario_long_one_line_files_cost_memory_by_finding_not_by_line(root):
    # Minified code and data on one line, each with thousands of findings: what a
    # finding holds must not grow with the line it is on.
    padding = "x" * 90
    table = "TABLE = [" + ", ".join(f"eval(a{i}), '{padding}'" for i in range(10000)) + "]\n"
    write(os.path.join(root, "gen.py"), table)
    write(os.path.join(root, "bundle.js"),
          "".join(f"function f{i}(a){{return eval(a)}}" for i in range(10000)) + "\n")
    write(os.path.join(root, "users.json"),
          "[" + ",".join(f'{{"id": {i}, "name": "user{i}", "password": '
                         f'"$2b$12$FAKE{i:06d}q7Zp9Lm2Xw4Rt8Yv1Bn3Cd5Ef7Gh9Jk1Lm3Np5Qr"}}'
                         for i in range(4000)) + "]\n")
    write(os.path.join(root, "nested.py"), "eval(" * 5000 + "x" + ")" * 5000 + "\n")
    code, mib = peak_memory_mib("scan", "--no-git", "--max-file-size", "5M", "--json", "out.json", ".",
                                cwd=root)
    assert code == 1, code
    assert mib < 300, f"peak memory {mib:.0f} MiB"
    with open(os.path.join(root, "out.json")) as handle:
        report = json.load(handle)
    counts = {}
    for finding in report["findings"]:
        key = (finding["path"], finding["rule"])
        counts[key] = counts.get(key, 0) + 1
        assert len(finding["snippet"]) < 1000, (key, len(finding["snippet"]))
    assert counts[("gen.py", "python.eval-used")] == 10000, counts
    assert counts[("bundle.js", "js.eval-non-literal")] == 10000, counts
    assert counts[("nested.py", "python.eval-used")] == 5000, counts
    assert counts[("users.json", "secrets.generic-secret-assignment")] == 4000, counts
    # A finding far into a line still knows its column, and shows the code there.
    last = max((f for f in report["findings"] if f["path"] == "gen.py"), key=lambda f: f["start_column"])
    assert last["start_column"] == table.index("eval(a9999)") + 1, last["start_column"]
    assert "eval(a9999)" in last["snippet"] and last["snippet"].startswith("..."), last["snippet"]


def scenario_a_lone_carriage_return_ends_a_line(root):
    # As Python counts lines: eval(d) is on line 3, column 1.
    write(os.path.join(root, "crlf.py"), "import os\r\nx = 1\reval(d)  # nosec B307\reval(e)\n", newline="")
    result = aiops("scan", "--no-git", "--format", "json", "--fail-on", "info", ".", cwd=root)
    found = [(f["start_line"], f["start_column"], f["rule"], f["suppressed"] is not None)
             for f in findings(result)]
    assert found == [(3, 1, "python.eval-used", True), (4, 1, "python.eval-used", False)], found


def scenario_a_second_identical_line_is_the_new_finding(root):
    old = ("import subprocess\n\n\ndef a(cmd):\n    subprocess.run(cmd, shell=True)\n\n\n"
           "def b(cmd):\n    subprocess.run(cmd, shell=True)\n")
    write(os.path.join(root, "app.py"), old)
    first = aiops("scan", "--no-git", "--write-baseline", "base.json", "app.py", cwd=root)
    assert os.path.exists(os.path.join(root, "base.json")), first.stderr
    # Lines added above, a second identical call in a(), and a new function c().
    new = ("import subprocess\n# a comment added\n# another\n\n\ndef a(cmd):\n"
           "    subprocess.run(cmd, shell=True)\n    subprocess.run(cmd, shell=True)\n\n\n"
           "def b(cmd):\n    subprocess.run(cmd, shell=True)\n\n\n"
           "def c(cmd):\n    subprocess.run(cmd, shell=True)\n")
    write(os.path.join(root, "app.py"), new)
    second = aiops("scan", "--no-git", "--baseline", "base.json", "--format", "json", "app.py", cwd=root)
    state = [(f["start_line"], f["suppressed"] is not None) for f in findings(second)
             if f["rule"] == "python.subprocess-shell-true"]
    assert state == [(7, True), (8, False), (12, True), (16, False)], state


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    return run_scenarios(globals(), "aiops-scan-engine-scenario-")


if __name__ == "__main__":
    sys.exit(main())
