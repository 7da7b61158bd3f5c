#!/usr/bin/env python3
"""End-to-end scenarios of `aiops scan` that take more than one run: baselines, import
resolution across a file, the built-in pack over a project, and parse limits.
Prints one line per scenario and closes with 'N passed, N failed'."""

import argparse
import json
import os
import subprocess
import sys

from scenario_runner import run_scenarios, write

ARGS = None
RULE = """id: test.eval
message: "{{fn}} evaluates a string as code"
severity: high
languages: [python]
cwe: [CWE-95]
aliases: [B307]
help: Evaluates code.
query: |
  (call function: (_) @fn) @call
  (#qname-any-of? @fn "eval" "builtins.eval")
focus: call
examples:
  bad: ["eval(x)\\n"]
  good: ["ast.literal_eval(x)\\n"]
"""


def aiops(*arguments, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    env["NO_COLOR"] = "1"
    return subprocess.run([ARGS.aiops, *arguments], cwd=cwd, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


def scenario_baseline_fails_only_new_findings(root):
    write(os.path.join(root, "rules.yaml"), RULE)
    write(os.path.join(root, "app.py"), "x = eval(a)\n\n\ny = eval(b)\n")
    common = ["scan", "--no-builtin", "--rules", "rules.yaml", "--format", "json"]
    first = aiops(*common, "--write-baseline", "base.json", ".", cwd=root)
    assert first.returncode == 0, first.stderr  # a first baseline accepts its findings
    with open(os.path.join(root, "base.json")) as handle:
        baseline = json.load(handle)
    assert baseline["version"] == "1" and len(baseline["findings"]) == 2, baseline
    # Unrelated lines move; the old findings stay known by their fingerprints.
    write(os.path.join(root, "app.py"), "import os\n\nx = eval(a)\ny = eval(b)\n")
    second = aiops(*common, "--baseline", "base.json", ".", cwd=root)
    assert second.returncode == 0, (second.stdout, second.stderr)
    write(os.path.join(root, "app.py"), "import os\n\nx = eval(a)\ny = eval(b)\nz = eval(c)\n")
    third = aiops(*common, "--baseline", "base.json", ".", cwd=root)
    assert third.returncode == 1, third.stderr
    gating = json.loads(third.stdout)["summary"]["gating_findings"]
    assert gating == 1, gating


def scenario_bad_baseline_is_an_input_error(root):
    cases = [("{not json", "base.json:1:3: invalid JSON: 'o' is not expected here"),
             ('{"version": "1",\n "findings": [', "base.json:2:15: the JSON ends before the document is complete"),
             ('{"version": "1",\n "findings": [{"rule": "x"}]}',
              'base.json:2:15: every finding of a baseline needs a "fingerprint" string'),
             ('{"version": "2", "findings": []}',
              'base.json:1:13: a baseline is an object with "version": "1" and a "findings" list')]
    for text, expected in cases:
        write(os.path.join(root, "base.json"), text)
        result = aiops("scan", "--baseline", "base.json", ".", cwd=root)
        assert (result.returncode, result.stderr) == (2, f"aiops: error: {expected}\n"), (text, result.stderr)
    missing = aiops("scan", "--baseline", "missing.json", ".", cwd=root)
    assert (missing.returncode, missing.stderr) == (2, "aiops: error: --baseline: 'missing.json' does not exist\n"), \
        (missing.returncode, missing.stderr)
    os.makedirs(os.path.join(root, "folder"))
    folder = aiops("scan", "--baseline", "folder", ".", cwd=root)
    assert (folder.returncode, folder.stderr) == (2, "aiops: error: --baseline: 'folder' is a folder, not a file\n"), \
        (folder.returncode, folder.stderr)


def scenario_local_definition_is_not_the_builtin(root):
    write(os.path.join(root, "rules.yaml"), RULE)
    write(os.path.join(root, "a.py"), "def eval(x):\n    return x\n\neval(data)\n")
    write(os.path.join(root, "b.py"), "import builtins as b\nb.eval(data)\n")
    result = aiops("scan", "--no-builtin", "--rules", "rules.yaml", "--format", "json", ".", cwd=root)
    findings = [(f["path"], f["start_line"]) for f in json.loads(result.stdout)["findings"]]
    assert findings == [("b.py", 2)], findings


def scenario_import_inside_function(root):
    write(os.path.join(root, "app.py"),
          "def run(cmd):\n    import subprocess as sp\n    return sp.call(cmd, shell=True)\n")
    result = aiops("scan", "--format", "json", ".", cwd=root)
    rules = [f["rule"] for f in json.loads(result.stdout)["findings"]]
    assert "python.subprocess-shell-true" in rules, rules


MIXED_PACK = """rules:
  - id: test.query-eval
    message: "{{fn}} evaluates a string as code"
    severity: high
    languages: [python]
    help: Evaluates code.
    query: |
      (call function: (_) @fn) @call
      (#qname-eq? @fn "eval")
  - id: test.pattern-shell
    message: "{{CMD}} runs through a shell"
    severity: high
    languages: [python]
    help: Runs a shell.
    pattern: subprocess.call($CMD, $...REST, shell=True)
  - id: test.pattern-exec
    message: "{{CMD}} runs through a shell"
    severity: high
    languages: [javascript, typescript]
    help: Runs a shell.
    pattern: child_process.exec($CMD, $...REST)
"""


def scenario_pattern_and_query_rules_in_one_pack(root):
    write(os.path.join(root, "rules.yaml"), MIXED_PACK)
    write(os.path.join(root, "app.py"),
          "def run(cmd):\n    import subprocess as sp\n    eval(cmd)\n    return sp.call(cmd, shell=True)\n")
    write(os.path.join(root, "app.ts"), "import { exec as sh } from 'child_process';\nsh(command);\n")
    result = aiops("scan", "--no-builtin", "--rules", "rules.yaml", "--format", "json", ".", cwd=root)
    assert result.returncode == 1, result.stderr
    findings = sorted((f["path"], f["start_line"], f["rule"]) for f in json.loads(result.stdout)["findings"])
    assert findings == [("app.py", 3, "test.query-eval"), ("app.py", 4, "test.pattern-shell"),
                        ("app.ts", 2, "test.pattern-exec")], findings


def scenario_suppression_on_first_line_of_statement(root):
    write(os.path.join(root, "rules.yaml"), RULE)
    write(os.path.join(root, "app.py"),
          "x = wrap(  # aiops: ignore[test.eval] reviewed\n    eval(a),\n    1)\n"
          "y = wrap(\n    eval(b))\n")
    result = aiops("scan", "--no-builtin", "--rules", "rules.yaml", "--format", "json", ".", cwd=root)
    findings = {f["start_line"]: f["suppressed"] for f in json.loads(result.stdout)["findings"]}
    assert findings[2] == {"kind": "in_source", "justification": "reviewed"}, findings
    assert findings[5] is None, findings
    assert result.returncode == 1, result.returncode


def scenario_sarif_carries_suppressions_and_security_severity(root):
    write(os.path.join(root, "rules.yaml"), RULE)
    write(os.path.join(root, "app.py"), "eval(a)  # nosec B307 test input\neval(b)\n")
    result = aiops("scan", "--no-builtin", "--rules", "rules.yaml", "--sarif", "out.sarif", ".", cwd=root)
    assert result.returncode == 1, result.stderr
    with open(os.path.join(root, "out.sarif")) as handle:
        run = json.load(handle)["runs"][0]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "test.eval")
    assert rule["properties"]["security-severity"] == "8.0", rule["properties"]
    assert "external/cwe/cwe-95" in rule["properties"]["tags"], rule["properties"]["tags"]
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert len(suppressed) == 1 and suppressed[0]["suppressions"][0]["justification"] == "test input"


def scenario_sarif_has_line_hashes_whatever_goes_to_standard_output(root):
    # Line hashes are only made when a SARIF log is written, to a file or to stdout.
    write(os.path.join(root, "rules.yaml"), RULE)
    # A line's hash covers the 100 characters from its start: the first lines of the
    # file hash alike, the last ones differ (their window reaches its end).
    write(os.path.join(root, "app.py"), "x = eval(a)\n" * 20)
    common = ["scan", "--no-builtin", "--rules", "rules.yaml", "--fail-on", "none"]
    to_file = aiops(*common, "--format", "json", "--sarif", "out.sarif", ".", cwd=root)
    on_stdout = aiops(*common, "--format", "sarif", ".", cwd=root)
    assert to_file.returncode == 0 and on_stdout.returncode == 0, (to_file.stderr, on_stdout.stderr)
    with open(os.path.join(root, "out.sarif")) as handle:
        logs = [json.load(handle), json.loads(on_stdout.stdout)]
    for log in logs:
        results = log["runs"][0]["results"]
        hashes = [r["partialFingerprints"]["primaryLocationLineHash"].split(":") for r in results]
        assert len(hashes) == 20, hashes
        # The same text: one hash, counted once, then twice.
        assert hashes[0][0] == hashes[1][0] != hashes[-1][0], hashes
        assert (hashes[0][1], hashes[1][1], hashes[-1][1]) == ("1", "2", "1"), hashes
    assert logs[0]["runs"][0]["results"] == logs[1]["runs"][0]["results"]
    assert "line_hash" not in to_file.stdout and len(json.loads(to_file.stdout)["findings"]) == 20


def scenario_json_report_escapes_what_it_must_and_is_laid_out_as_json_dumps(root):
    write(os.path.join(root, "rules.yaml"), RULE)
    write(os.path.join(root, "src", 'we"ird\\name.py'),
          'eval(a)  # nosec B307 "quoted" \\ reason\neval(b)\t# tab\n')
    # A file name that is not UTF-8 is shown with U+FFFD.
    with open(os.path.join(root.encode(), b"src", b"bad\xffname.py"), "w") as handle:
        handle.write("eval(c)\n")
    with open(os.path.join(root, "src", "blob.py"), "wb") as handle:
        handle.write(bytes(range(256)) * 4)
    done = aiops("scan", "--no-builtin", "--rules", "rules.yaml", "--format", "json", "--fail-on", "none",
                 ".", cwd=root)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    # Two spaces a level, ", " nowhere, non-ASCII text as it is: the layout of json.dumps.
    assert done.stdout == json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    found = {(f["path"], f["start_line"]): f for f in report["findings"]}
    assert set(found) == {("src/bad\ufffdname.py", 1), ('src/we"ird\\name.py', 1), ('src/we"ird\\name.py', 2)}, found
    suppressed = found[('src/we"ird\\name.py', 1)]["suppressed"]
    assert suppressed == {"kind": "in_source", "justification": '"quoted" \\ reason'}, suppressed
    assert found[('src/we"ird\\name.py', 2)]["snippet"] == "eval(b)\t# tab"
    assert found[('src/we"ird\\name.py', 2)]["suppressed"] is None
    assert report["skipped"] == [{"path": "src/blob.py", "reason": "binary file (a NUL byte in its first 8 KiB)"}], \
        report["skipped"]
    assert report["summary"]["by_severity"] == {"high": 3} and report["notices"] == []


def scenario_text_output_keeps_each_finding_on_its_line(root):
    # A file name with line ends would otherwise print a line of its own, which a CI log
    # runs as a workflow command; a justification's terminal escapes would act.
    write(os.path.join(root, "rules.yaml"), RULE)
    write(os.path.join(root, "x\n::warning file=FAKE.py,line=1::spoofed\n.py"), "eval(a)\n")
    write(os.path.join(root, "esc.py"), "eval(b)  # nosec \x1b]0;FAKE-title\x07 \u200b zw\n")
    text = aiops("scan", "--no-builtin", "--rules", "rules.yaml", "--fail-on", "none", ".", cwd=root)
    assert text.returncode == 0, text.stderr
    assert not any(line.startswith("::") for line in text.stdout.splitlines()), text.stdout
    assert "x<U+000A>::warning file=FAKE.py,line=1::spoofed<U+000A>.py:1:1:" in text.stdout, text.stdout
    assert "(suppressed: <U+001B>]0;FAKE-title<U+0007> <U+200B> zw)" in text.stdout, text.stdout
    assert "\x1b" not in text.stdout and "\u200b" not in text.stdout
    report = json.loads(aiops("scan", "--no-builtin", "--rules", "rules.yaml", "--fail-on", "none",
                              "--format", "json", ".", cwd=root).stdout)
    suppressed = [f["suppressed"] for f in report["findings"] if f["suppressed"]]
    assert suppressed == [{"kind": "in_source", "justification": "<U+001B>]0;FAKE-title<U+0007> <U+200B> zw"}], \
        suppressed


def scenario_parse_timeout_fails_unless_keep_going(root):
    write(os.path.join(root, "big.py"), "x = [" + "1, " * 2_000_000 + "]\n")
    strict = aiops("scan", "--max-file-size", "20M", "--parse-timeout", "0.001", ".", cwd=root)
    assert strict.returncode == 3, (strict.returncode, strict.stdout)
    assert "cannot parse: parsing took longer than 1 ms" in strict.stdout, strict.stdout
    lenient = aiops("scan", "--max-file-size", "20M", "--parse-timeout", "0.001", "--keep-going", ".",
                    cwd=root)
    assert lenient.returncode == 0, lenient.returncode


def scenario_list_flags_take_one_value_each(root):
    # A path after a list flag is a path, not a second value of the flag.
    write(os.path.join(root, "rules.yaml"), RULE)
    write(os.path.join(root, "src", "app.py"), "x = eval(a)\n")
    write(os.path.join(root, "src", "skip", "old.py"), "x = eval(a)\n")
    write(os.path.join(root, "other", "tool.py"), "x = eval(a)\n")
    key = "AKIA" + "FAKE" + "J7Q2LM4XRT5W"
    write(os.path.join(root, "src", "fixtures", "keys.txt"), f"aws_access_key_id = {key}\n")
    common = ["scan", "--no-git", "--format", "json", "--fail-on", "none"]

    def paths(*arguments):
        done = aiops(*common, *arguments, cwd=root)
        assert done.returncode == 0, (arguments, done.stderr)
        return sorted({f["path"] for f in json.loads(done.stdout)["findings"]})

    assert paths("--no-builtin", "--rules", "rules.yaml", "--exclude", "src/skip/**", "src") == ["src/app.py"]
    assert paths("--no-builtin", "--rules", "rules.yaml", "--exclude=src/skip/**", "--exclude", "other/**",
                 ".") == ["src/app.py"]
    assert paths("--no-builtin", "--rules", "rules.yaml", "src", "other") == [
        "other/tool.py", "src/app.py", "src/skip/old.py"]
    assert "src/fixtures/keys.txt" in paths("--no-default-secrets-allow", "src")
    assert "src/fixtures/keys.txt" not in paths("--no-default-secrets-allow", "--secrets-allow-path",
                                                "src/fixtures/**", "src")
    # Two values after one flag: the second is a path, and a missing one says so.
    stray = aiops(*common, "--exclude", "src/skip/**", "missing", cwd=root)
    assert stray.returncode == 2 and "missing" in stray.stderr, (stray.returncode, stray.stderr)
    # A list in the configuration file still gives the flag every value.
    write(os.path.join(root, ".aiops.yaml"), "defaults:\n  exclude: [src/skip/, other/]\n")
    assert paths("--no-builtin", "--rules", "rules.yaml", ".") == ["src/app.py"]


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    return run_scenarios(globals(), "aiops-scan-scenario-")

if __name__ == "__main__":
    sys.exit(main())
