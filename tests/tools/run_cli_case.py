#!/usr/bin/env python3
"""Runs one end-to-end case of the aiops binary.

A case folder holds:
  args              the arguments, one a line ({root} is the case's scratch folder)
  input/            files copied into the scratch folder, which is the working folder
  expected_exit     the exit code (default 0)
  expected_stdout   standard output, exactly ({root} substituted), when present
  stderr_contains   lines that must each appear in standard error, when present
  stdout_contains   lines that must each appear in standard output, when present
Every file the run leaves is checked by its name: *.sarif against the SARIF 2.1.0
schema, *.report.json against schemas/report.schema.json, *.behave.json against
schemas/behave-report.schema.json, *.gl-sast.json against
GitLab's SAST report schema, *.codequality.json for the fields GitLab's Code Quality
widget reads, *.junit.xml for well-formed XML whose counts match its test cases, and
*.summary.md for GitHub's 1 MiB step-summary cap.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

HERE = os.path.dirname(os.path.abspath(__file__))
CODEQUALITY_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
STEP_SUMMARY_CAP = 1024 * 1024


def read(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def check_codequality(path):
    """Problems with a GitLab Code Quality report, which has no official schema."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if text.startswith("\ufeff"):
        return ["starts with a byte order mark, which GitLab rejects"]
    issues = json.loads(text)
    if not isinstance(issues, list):
        return ["is not a JSON array"]
    problems = []
    seen = set()
    for index, issue in enumerate(issues):
        where = f"[{index}]"
        for key in ("description", "check_name", "fingerprint", "severity"):
            if not isinstance(issue.get(key), str) or not issue[key]:
                problems.append(f"{where}: '{key}' is missing or not a non-empty string")
        if issue.get("severity") not in CODEQUALITY_SEVERITIES:
            problems.append(f"{where}: severity {issue.get('severity')!r} is not one of GitLab's")
        location = issue.get("location", {})
        if not isinstance(location.get("path"), str) or not location["path"]:
            problems.append(f"{where}: 'location.path' is missing")
        begin = location.get("lines", {}).get("begin")
        if not isinstance(begin, int) or begin < 1:
            problems.append(f"{where}: 'location.lines.begin' is not a line number")
        if issue.get("fingerprint") in seen:
            problems.append(f"{where}: fingerprint {issue['fingerprint']!r} is not unique")
        seen.add(issue.get("fingerprint"))
    return problems


def check_junit(path):
    """Problems with a JUnit report: it must parse, and each count must match its cases."""
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        return [f"is not well-formed XML: {error}"]
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    if root.tag not in ("testsuites", "testsuite") or not suites:
        return [f"has no test suite (root element <{root.tag}>)"]
    problems = []
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        cases = suite.findall("testcase")
        actual = {
            "tests": len(cases),
            "failures": sum(1 for case in cases if case.find("failure") is not None),
            "errors": sum(1 for case in cases if case.find("error") is not None),
            "skipped": sum(1 for case in cases if case.find("skipped") is not None),
        }
        if not cases:
            problems.append(f"suite {suite.get('name')!r} has no test case")
        for key, value in actual.items():
            totals[key] += value
            if suite.get(key) is not None and suite.get(key) != str(value):
                problems.append(f"suite {suite.get('name')!r}: {key}={suite.get(key)}, counted {value}")
        names = [(case.get("classname"), case.get("name")) for case in cases]
        if len(set(names)) != len(names):
            problems.append(f"suite {suite.get('name')!r}: test case names repeat")
    if root.tag == "testsuites":
        for key, value in totals.items():
            if root.get(key) is not None and root.get(key) != str(value):
                problems.append(f"testsuites: {key}={root.get(key)}, counted {value}")
    return problems


def check_with_schema(schema, path):
    checked = subprocess.run([sys.executable, os.path.join(HERE, "check_schema.py"), schema, path],
                             capture_output=True, text=True)
    if checked.returncode != 0:
        return [f"is not valid against {os.path.basename(schema)}:\n{checked.stdout}{checked.stderr}"]
    return []


def check_summary(path):
    size = os.path.getsize(path)
    if size > STEP_SUMMARY_CAP:
        return [f"is {size} bytes, over GitHub's step summary cap of {STEP_SUMMARY_CAP}"]
    with open(path, encoding="utf-8") as handle:
        handle.read()
    return []


def validate_reports(root, schemas, project):
    checks = (
        (".sarif", lambda path: check_with_schema(os.path.join(schemas, "sarif-schema-2.1.0.json"), path)),
        (".report.json",
         lambda path: check_with_schema(os.path.join(project, "schemas", "report.schema.json"), path)),
        (".behave.json",
         lambda path: check_with_schema(os.path.join(project, "schemas", "behave-report.schema.json"), path)),
        (".gl-sast.json",
         lambda path: check_with_schema(os.path.join(schemas, "sast-report-format.json"), path)),
        (".codequality.json", check_codequality),
        (".junit.xml", check_junit),
        (".summary.md", check_summary),
    )
    problems = []
    for folder, _, names in os.walk(root):
        for name in sorted(names):
            path = os.path.join(folder, name)
            for suffix, check in checks:
                if name.endswith(suffix):
                    problems += [f"{name} {problem}" for problem in check(path)]
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    parser.add_argument("--schemas", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("case")
    args = parser.parse_args()
    args.aiops = os.path.abspath(args.aiops)

    scratch = tempfile.mkdtemp(prefix="aiops-cli-")
    root = os.path.join(scratch, "work")
    input_dir = os.path.join(args.case, "input")
    if os.path.isdir(input_dir):
        shutil.copytree(input_dir, root, symlinks=True)
    else:
        os.makedirs(root)
    arguments = [line.replace("{root}", root)
                 for line in read(os.path.join(args.case, "args"), "").splitlines() if line != ""]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    env["NO_COLOR"] = "1"
    completed = subprocess.run([args.aiops] + arguments, cwd=root, capture_output=True, env=env,
                               stdin=subprocess.DEVNULL, timeout=120)
    stdout = completed.stdout.decode("utf-8", "replace")
    stderr = completed.stderr.decode("utf-8", "replace")

    failures = []
    expected_exit = int(read(os.path.join(args.case, "expected_exit"), "0").strip())
    if completed.returncode != expected_exit:
        failures.append(f"exit code {completed.returncode}, expected {expected_exit}")
    expected_stdout = read(os.path.join(args.case, "expected_stdout"))
    if expected_stdout is not None and stdout != expected_stdout.replace("{root}", root):
        failures.append("standard output differs from expected_stdout")
    for name, stream in (("stderr_contains", stderr), ("stdout_contains", stdout)):
        for line in (read(os.path.join(args.case, name), "") or "").splitlines():
            if line and line.replace("{root}", root) not in stream:
                failures.append(f"{name}: {line!r} not found")
    failures += validate_reports(root, args.schemas, args.project)

    if failures:
        print(f"case {args.case}: FAILED\n  " + "\n  ".join(failures))
        print(f"--- arguments: {arguments}\n--- stdout:\n{stdout}--- stderr:\n{stderr}---")
        print(f"scratch folder kept: {scratch}")
        return 1
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"case {os.path.basename(args.case)}: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
