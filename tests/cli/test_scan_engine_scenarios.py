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

from scenario_runner import run_scenarios, write

ARGS = None


def aiops(*arguments, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    env["NO_COLOR"] = "1"
    return subprocess.run([ARGS.aiops, *arguments], cwd=cwd, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=300)


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
    # Plain passwords: a password hash (bcrypt's "$2b$12$...") is not a secret.
    write(os.path.join(root, "users.json"),
          "[" + ",".join(f'{{"id": {i}, "name": "user{i}", "password": '
                         f'"FAKE{i:06d}q7Zp9Lm2Xw4Rt8Yv1Bn3Cd5Ef7Gh9Jk1Lm3Np5Qr"}}'
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


def scenario_a_script_known_by_its_shebang_alone_gets_the_built_in_rules(root):
    # The built-in rules are compiled for the languages of the files found; a script
    # without an extension counts in the language its first line names, also when no
    # other file of that language is there.
    write(os.path.join(root, "deploy"), "#!/usr/bin/env python3\nimport subprocess\n"
                                        "subprocess.run(cmd, shell=True)\n")
    write(os.path.join(root, "tool"), "#!/usr/bin/env -S node --no-warnings\neval(input);\n")
    write(os.path.join(root, "notes"), "#!not a program\nplain text\n")
    result = aiops("scan", "--no-git", "--format", "json", "--fail-on", "info", ".", cwd=root)
    found = sorted((f["path"], f["start_line"], f["rule"]) for f in findings(result))
    assert ("deploy", 3, "python.subprocess-shell-true") in found, found
    assert ("tool", 2, "js.eval-non-literal") in found, found
    assert not [f for f in found if f[0] == "notes"], found


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


RULE = """id: t.fail
message: x
severity: high
languages: [python]
help: h
query: |
  (call function: (identifier) @f) @c
  (#eq? @f "eval")
examples:
  bad: ["exec(x)\\n", "eval(x)\\n"]
  good: ["eval(y)\\n", "def f(:\\n  eval(x)\\n"]
"""


def scenario_flags_a_mode_would_ignore_are_refused(root):
    write(os.path.join(root, "tr", "fail.yaml"), RULE)
    write(os.path.join(root, "base.py"), "eval(x)\n")
    cases = [(["--list-rules", "--test-rules", "tr"], "'--list-rules' cannot be combined with '--test-rules'"),
             (["--list-rules", "base.py", "--sarif", "z.sarif"], "'--list-rules' cannot be combined with '--sarif'"),
             (["--list-rules", "--write-baseline", "zb.json"],
              "'--list-rules' cannot be combined with '--write-baseline'"),
             (["--test-rules", "tr", "base.py"], "'--test-rules' takes no paths to scan, but 'base.py' was given"),
             (["--test-rules", "tr", "--json=out.json"], "'--test-rules' cannot be combined with '--json'")]
    for arguments, message in cases:
        result = aiops("scan", *arguments, cwd=root)
        assert result.returncode == 2 and result.stderr.startswith(f"aiops: error: {message}"), \
            (arguments, result.returncode, result.stderr)
    assert not os.path.exists(os.path.join(root, "z.sarif"))
    assert not os.path.exists(os.path.join(root, "zb.json"))


def scenario_a_gate_without_rules_does_not_pass(root):
    write(os.path.join(root, "base.py"), "eval(x)\n")
    os.makedirs(os.path.join(root, "emptydir"))
    write(os.path.join(root, "jsononly", "rule.json"), "{}")
    cases = [(["--no-builtin", "--rules", "emptydir"],
              "--rules 'emptydir': the folder holds no rule file (rule files are YAML: *.yaml, *.yml)"),
             (["--no-builtin", "--rules", "jsononly"],
              "--rules 'jsononly': the folder holds no rule file (rule files are YAML: *.yaml, *.yml)"),
             (["--rules", "emptydir"],
              "--rules 'emptydir': the folder holds no rule file (rule files are YAML: *.yaml, *.yml)"),
             (["--no-builtin"],
              "no rules to run: --no-builtin leaves out the built-in rules, and no --rules were given")]
    for arguments, message in cases:
        result = aiops("scan", "--no-git", *arguments, "base.py", cwd=root)
        assert (result.returncode, result.stderr) == (2, f"aiops: error: {message}\n"), \
            (arguments, result.returncode, result.stderr)


def scenario_test_rules_points_at_the_failing_example(root):
    write(os.path.join(root, "tr", "fail.yaml"), RULE)
    missing = aiops("scan", "--test-rules", "nonexist", cwd=root)
    assert (missing.returncode, missing.stderr) == \
        (2, "aiops: error: --test-rules 'nonexist': no such file or folder\n"), missing.stderr
    text = aiops("scan", "--test-rules", "tr", cwd=root)
    assert text.returncode == 1, text.stderr
    assert text.stdout.splitlines() == [
        "tr/fail.yaml:11:23: t.fail: good example 2 (python) does not parse: missing ')' at line 1, column 7",
        "tr/fail.yaml:10:9: t.fail: bad example 1 (python) is not found",
        "tr/fail.yaml:11:10: t.fail: good example 1 (python) is found 1 time",
        "tr/fail.yaml:11:23: t.fail: good example 2 (python) is found 1 time",
        "1 rules, 4 examples: 0 passed, 4 failed"], text.stdout
    as_json = json.loads(aiops("scan", "--test-rules", "tr", "--format", "json", cwd=root).stdout)
    assert (as_json["rules"], as_json["examples"], as_json["failed"]) == (1, 4, 4), as_json
    assert as_json["failures"][1] == {"rule": "t.fail", "file": "tr/fail.yaml", "line": 10, "column": 9,
                                      "problem": "bad example 1 (python) is not found"}, as_json


def scenario_parse_timeout_says_what_is_wrong(root):
    write(os.path.join(root, "base.py"), "x = 1\n")
    for value, message in [("abc", "must be a number from 0 to 86400, not 'abc'"),
                           ("1e300", "must be a number from 0 to 86400, not '1e300'")]:
        result = aiops("scan", "--parse-timeout", value, "base.py", cwd=root)
        assert result.returncode == 2 and f"--parse-timeout: {message}" in result.stderr, result.stderr


def scenario_rule_files_and_baselines(root):
    rule = RULE.replace("t.fail", "t.eval").replace('"exec(x)\\n", ', "").replace(', "def f(:\\n  eval(x)\\n"', "")
    rule = rule.replace('good: ["eval(y)\\n"]', 'good: ["exec(y)\\n"]')
    write(os.path.join(root, "rules", "a.yaml"), rule)
    write(os.path.join(root, "rules", "b.yaml"), "\n" + rule)
    write(os.path.join(root, "one", "a.yaml"), rule)
    write(os.path.join(root, "base.py"), "eval(x)\n")
    duplicate = aiops("scan", "--no-builtin", "--rules", "rules", "base.py", cwd=root)
    assert duplicate.stderr == ("aiops: error: rules/b.yaml:2:5: duplicate rule id 't.eval' "
                                "(first defined at rules/a.yaml:1:5)\n"), duplicate.stderr
    # The same file named twice, or on its own and in its folder, is read once.
    twice = aiops("scan", "--no-git", "--no-builtin", "--rules", "one/a.yaml", "--rules", "one/a.yaml",
                  "--rules", "one", "--write-baseline", "base.json", "base.py", cwd=root)
    assert twice.returncode == 0, twice.stderr  # a first baseline accepts its findings
    with open(os.path.join(root, "base.json")) as handle:
        baseline = json.load(handle)
    baseline["extra"] = 1
    write(os.path.join(root, "bad.json"), json.dumps(baseline))
    unknown = aiops("scan", "--no-git", "--no-builtin", "--rules", "one", "--baseline", "bad.json", "base.py",
                    cwd=root)
    assert unknown.returncode == 2 and "unknown key 'extra' in a baseline" in unknown.stderr, unknown.stderr
    # Updating a baseline still gates the findings the old one did not have.
    write(os.path.join(root, "base.py"), "eval(x)\neval(y)\n")
    update = aiops("scan", "--no-git", "--no-builtin", "--rules", "one", "--baseline", "base.json",
                   "--write-baseline", "new.json", "base.py", cwd=root)
    assert update.returncode == 1, update.stderr


def scenario_hidden_characters_are_shown_one_way(root):
    write(os.path.join(root, "bidi.py"), "foo(x, shell=\"a\u202eb\")\n")
    found = findings(aiops("scan", "--no-git", "--format", "json", "--fail-on", "none", ".", cwd=root))
    shown = sorted((f["rule"], f["message"], f["snippet"]) for f in found)
    assert shown == [
        ("python.call-with-shell-true",
         "'foo' is called with shell=\"a<U+202E>b\": if it runs a command, a shell may read it",
         "foo(x, shell=\"a<U+202E>b\")"),
        ("unicode.bidi-control",
         "A Unicode bidirectional control character (<U+202E>): the text may not read as it runs (Trojan Source)",
         "foo(x, shell=\"a<U+202E>b\")")], shown


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    return run_scenarios(globals(), "aiops-scan-engine-scenario-")


if __name__ == "__main__":
    sys.exit(main())
