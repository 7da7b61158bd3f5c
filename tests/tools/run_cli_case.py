#!/usr/bin/env python3
"""Runs one end-to-end case of the aiops binary.

A case folder holds:
  args              the arguments, one a line ({root} is the case's scratch folder)
  input/            files copied into the scratch folder, which is the working folder
  expected_exit     the exit code (default 0)
  expected_stdout   standard output, exactly ({root} substituted), when present
  stderr_contains   lines that must each appear in standard error, when present
  stdout_contains   lines that must each appear in standard output, when present
Every *.sarif file the run leaves is validated against the SARIF 2.1.0 schema and
every *.json report against schemas/report.schema.json.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def read(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def validate_reports(root, schemas, project):
    problems = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            schema = None
            if name.endswith(".sarif"):
                schema = os.path.join(schemas, "sarif-schema-2.1.0.json")
            elif name.endswith(".report.json"):
                schema = os.path.join(project, "schemas", "report.schema.json")
            if schema is None:
                continue
            checked = subprocess.run([sys.executable, os.path.join(HERE, "check_schema.py"), schema, path],
                                     capture_output=True, text=True)
            if checked.returncode != 0:
                problems.append(f"{name} is not valid against {os.path.basename(schema)}:\n"
                                f"{checked.stdout}{checked.stderr}")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    parser.add_argument("--schemas", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("case")
    args = parser.parse_args()

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
