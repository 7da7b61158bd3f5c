#!/usr/bin/env python3
"""Runs the pieces users drop into their pipelines, locally, against scratch
repositories: the GitHub composite action's run script, with the files and variables a
runner gives it, and the GitLab CI template's job script. Prints one line per scenario
and closes with 'N passed, N failed'."""

import argparse
import json
import os
import subprocess
import sys

import yaml

from scenario_runner import run_scenarios

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from run_cli_case import check_codequality, check_junit, check_with_schema  # noqa: E402

ARGS = None
BAD = "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n\n\nresult = eval(text)\n"


def write(path, content):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as handle:
        handle.write(content)


def read(path):
    with open(path) as handle:
        return handle.read()


def make_repository(root):
    write(os.path.join(root, "src", "app.py"), BAD)
    write(os.path.join(root, "src", "ok.py"), "def add(a, b):\n    return a + b\n")
    env = clean_env(root)
    for command in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "start"]):
        subprocess.run(command, cwd=root, check=True, env=env, capture_output=True)


def clean_env(root):
    # A CI runner's own variables (CI=true turns progress off) must not leak in.
    env = {k: v for k, v in os.environ.items()
           if k != "CI" and not k.startswith(("AIOPS_", "GITHUB_", "CI_"))}
    env.update({"NO_COLOR": "1", "HOME": root, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com",
                "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.com",
                "PATH": os.path.dirname(ARGS.aiops) + os.pathsep + os.environ.get("PATH", "")})
    return env


def run_action_step(root, command, args, **extra):
    runner = os.path.join(root, "runner")
    os.makedirs(runner, exist_ok=True)
    env = clean_env(root)
    env.update({"RUNNER_TEMP": runner, "GITHUB_STEP_SUMMARY": os.path.join(runner, "summary.md"),
                "GITHUB_OUTPUT": os.path.join(runner, "output"), "AIOPS_COMMAND": command,
                "AIOPS_ARGS": args, "AIOPS_SARIF_CATEGORY": command})
    env.update(extra)
    write(env["GITHUB_STEP_SUMMARY"], "## earlier step\n")
    script = os.path.join(ARGS.project, ".github", "actions", "aiops", "run.sh")
    done = subprocess.run(["bash", script], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert os.path.exists(env["GITHUB_OUTPUT"]), (done.returncode, done.stdout, done.stderr)
    outputs = dict(line.split("=", 1) for line in read(env["GITHUB_OUTPUT"]).splitlines())
    return done, outputs, read(env["GITHUB_STEP_SUMMARY"])


def scenario_action_run_script_reports_and_defers_the_gate(root):
    make_repository(root)
    done, outputs, summary = run_action_step(root, "scan", "--fail-on 'medium' src")
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert outputs["exit-code"] == "1", outputs
    assert "::warning file=src/app.py,line=5" in done.stdout, done.stdout
    sarif = outputs["sarif"]
    assert not check_with_schema(os.path.join(ARGS.schemas, "sarif-schema-2.1.0.json"), sarif)
    log = json.load(open(sarif))
    assert log["runs"][0]["automationDetails"]["id"].startswith("scan"), log["runs"][0]["automationDetails"]
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"python.eval-used", "python.pickle-deserialization"}
    assert summary.startswith("## earlier step\n") and "python.eval-used" in summary, summary[:500]


def scenario_action_run_script_passes_a_clean_tree(root):
    make_repository(root)
    done, outputs, _ = run_action_step(root, "validate", "src")
    assert done.returncode == 0 and outputs["exit-code"] == "0", (outputs, done.stderr)


def scenario_action_run_script_keeps_the_summary_under_the_cap(root):
    make_repository(root)
    for i in range(40):
        write(os.path.join(root, "src", f"bad_{i}.py"), BAD)
    done, outputs, summary = run_action_step(root, "scan", "src", AIOPS_SUMMARY_LIMIT="2000")
    assert outputs["exit-code"] == "0", outputs
    added = summary[len("## earlier step\n"):]
    assert len(added.encode()) <= 2000, len(added.encode())
    assert "summary was cut at 1800 bytes" in added, added[-300:]


def scenario_action_run_script_leaves_json_output_alone(root):
    make_repository(root)
    done, outputs, _ = run_action_step(root, "scan", "--format json src")
    assert outputs["exit-code"] == "0", (outputs, done.stderr)
    json.loads(done.stdout)  # no annotation lines mixed into the document


def gitlab_job_script(job):
    with open(os.path.join(ARGS.project, "ci", "aiops.gitlab-ci.yml")) as handle:
        template = yaml.safe_load(handle)
    chain, name = [], job
    while name:
        chain.insert(0, template[name])
        name = template[name].get("extends")
    merged = {"variables": {}}
    for part in chain:
        for key, value in part.items():
            if key == "variables":
                merged["variables"].update(value)
            elif key != "extends":
                merged[key] = value
    return merged


def scenario_gitlab_template_job_writes_its_reports(root):
    make_repository(root)
    job = gitlab_job_script(".aiops-scan")
    assert set(job["artifacts"]["reports"]) == {"sast", "codequality", "junit"}
    env = clean_env(root)
    env.update({k: str(v) for k, v in job["variables"].items()})
    env.update({"AIOPS_ARGS": "--fail-on medium src", "CI_PROJECT_DIR": root})
    script = "set -eo pipefail\n" + "\n".join(job["before_script"] + job["script"])
    done = subprocess.run(["bash", "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    reports = job["artifacts"]["reports"]
    assert not check_with_schema(os.path.join(ARGS.schemas, "sast-report-format.json"),
                                 os.path.join(root, reports["sast"]))
    assert not check_codequality(os.path.join(root, reports["codequality"]))
    assert not check_junit(os.path.join(root, reports["junit"]))
    sast = json.load(open(os.path.join(root, reports["sast"])))
    assert len(sast["vulnerabilities"]) >= 2, sast


def scenario_gitlab_template_job_fails_clearly_without_aiops(root):
    job = gitlab_job_script(".aiops-validate")
    env = clean_env(root)
    env["PATH"] = "/usr/bin:/bin"
    env.update({k: str(v) for k, v in job["variables"].items()})
    done = subprocess.run(["bash", "-c", "\n".join(job["before_script"])], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3 and "AIOPS_DEB_URL" in done.stderr, (done.returncode, done.stderr)


def run_on_terminal(arguments, cwd, env):
    """Runs aiops with standard error on a pseudo-terminal; returns (exit code, what the
    terminal showed)."""
    import pty
    leader, follower = pty.openpty()
    done = subprocess.Popen([ARGS.aiops, *arguments], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return done.wait(timeout=120), shown.decode(errors="replace")


def scenario_progress_shows_on_a_terminal_only(root):
    # Enough code that one thread takes more than a second.
    line = "def f{0}(a, b):\n    return [x * {0} for x in range(a, b) if x % 3]\n"
    body = "".join(line.format(i) for i in range(4000))
    for i in range(30):
        write(os.path.join(root, "src", f"m{i}.py"), body)
    arguments = ["scan", "--no-git", "--jobs", "1", "--max-file-size", "10M", "src"]
    env = clean_env(root)
    code, shown = run_on_terminal(arguments, root, env)
    assert code == 0, (code, shown)
    assert "scan: " in shown and " files/s" in shown and "/30 files" in shown, repr(shown[-300:])
    assert shown.endswith("\r\x1b[K") or "\r\x1b[K" in shown, repr(shown[-100:])
    env["CI"] = "true"
    code, shown = run_on_terminal(arguments, root, env)
    assert code == 0 and "files/s" not in shown, repr(shown)
    piped = subprocess.run([ARGS.aiops, *arguments], cwd=root, env=clean_env(root), capture_output=True,
                           text=True, timeout=120)
    assert "files/s" not in piped.stderr, piped.stderr


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    parser.add_argument("--schemas", required=True)
    parser.add_argument("--project", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    ARGS.project = os.path.abspath(ARGS.project)
    ARGS.schemas = os.path.abspath(ARGS.schemas)
    return run_scenarios(globals(), "aiops-ci-scenario-")


if __name__ == "__main__":
    sys.exit(main())
