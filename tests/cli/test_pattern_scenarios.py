#!/usr/bin/env python3
"""End-to-end scenarios of pattern rules that take a timed run or a signal: matching
stays near linear in the nesting depth, and an interrupt stops a long match.
Prints one line per scenario and closes with 'N passed, N failed'."""

import argparse
import json
import os
import signal
import subprocess
import sys
import time

from scenario_runner import run_scenarios, write

ARGS = None


def aiops(*arguments, cwd, timeout=120):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    env["NO_COLOR"] = "1"
    return subprocess.run([ARGS.aiops, *arguments], cwd=cwd, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=timeout)


def rule(body):
    return "id: test.rule\nmessage: found\nseverity: high\nlanguages: [javascript]\nhelp: h\n" + body


def findings(result):
    return json.loads(result.stdout)["findings"]


def scenario_inside_on_a_long_concatenation(root):
    # 500 terms nest 500 binary expressions: each match has hundreds of ancestors.
    terms = " + ".join(f"'<td>' + row{i} + '</td>'" for i in range(500))
    write(os.path.join(root, "page.js"), "function render(row) {\n  return " + terms + ";\n}\n")
    write(os.path.join(root, "inside.yaml"),
          rule("pattern: $A + $B\nwhere:\n  B: {regex: \"^'<\"}\ninside: |\n  function $F($...P) { $...BODY }\n"))
    write(os.path.join(root, "not-inside.yaml"),
          rule("pattern: $A + $B\nwhere:\n  B: {regex: \"^'<\"}\nnot-inside: |\n  function $F($...P) { $...BODY }\n"))
    for name, expected in (("inside.yaml", 999), ("not-inside.yaml", 0)):
        started = time.monotonic()
        result = aiops("scan", "--no-builtin", "--rules", name, "--format", "json", "page.js", cwd=root,
                       timeout=60)
        elapsed = time.monotonic() - started
        assert result.returncode == (1 if expected else 0), result.stderr
        assert len(findings(result)) == expected, (name, len(findings(result)))
        assert elapsed < 20, f"{name} took {elapsed:.1f} s"


def scenario_inside_on_deeply_nested_calls(root):
    depth = 5000
    write(os.path.join(root, "deep.js"), "x = " + "f(\n" * depth + "1" + ")" * depth + ";\n")
    write(os.path.join(root, "rule.yaml"), rule("pattern: f(f($X))\ninside: x = $Y\n"))
    result = aiops("scan", "--no-builtin", "--rules", "rule.yaml", "--format", "json", "deep.js", cwd=root,
                   timeout=60)
    assert result.returncode == 1, result.stderr
    assert len(findings(result)) == depth - 1, len(findings(result))


def scenario_interrupt_stops_a_long_match(root):
    # Three runs of any length before a condition that never holds: the matcher tries
    # billions of ways to split 1500 arguments. (A regex the file's text cannot hold
    # would rule the call out before any matching; every argument starts with 'a'.)
    write(os.path.join(root, "wide.js"), "f(" + ", ".join(f"a{i}" for i in range(1500)) + ");\n")
    write(os.path.join(root, "rule.yaml"),
          rule("pattern: f($...A, $X, $...B, $Y, $...C, $Z, $...D)\nwhere:\n  Z: {not-regex: '^a'}\n"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    process = subprocess.Popen([ARGS.aiops, "scan", "--no-builtin", "--rules", "rule.yaml", "--json",
                                "out.json", "wide.js"], cwd=root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1)
    assert process.poll() is None, "the scan ended before the signal"
    process.send_signal(signal.SIGINT)
    try:
        process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise AssertionError("the scan went on for 10 s after SIGINT")
    assert process.returncode == 130, process.returncode
    assert not os.path.exists(os.path.join(root, "out.json")), "a report was written after an interrupt"


def scenario_interrupt_stops_test_rules_without_a_report(root):
    # The long match above as a rule's bad example: an interrupt leaves the examples
    # still to run undecided, and --test-rules reports none of them as failed.
    wide = "f(" + ", ".join(f"a{i}" for i in range(1500)) + ");\n"
    write(os.path.join(root, "rule.yaml"),
          rule("pattern: f($...A, $X, $...B, $Y, $...C, $Z, $...D)\nwhere:\n  Z: {not-regex: '^a'}\n"
               f"examples:\n  bad: [{json.dumps(wide)}]\n  good: [\"g(1);\\n\"]\n"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    process = subprocess.Popen([ARGS.aiops, "scan", "--test-rules", "rule.yaml"], cwd=root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    assert process.poll() is None, "the examples were done before the signal"
    process.send_signal(signal.SIGINT)
    try:
        out, err = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise AssertionError("--test-rules went on for 10 s after SIGINT")
    assert (process.returncode, out, err) == (130, "", "aiops: error: interrupted\n"), \
        (process.returncode, out, err)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    return run_scenarios(globals(), "aiops-pattern-scenario-")


if __name__ == "__main__":
    sys.exit(main())
