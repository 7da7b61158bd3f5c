#!/usr/bin/env python3
"""End-to-end scenarios of `aiops init`: the starter project it writes passes the
gates the README lists and its workflow runs, a second run changes nothing, files
already there are kept, and a bad folder writes nothing. Prints one line per
scenario and closes with 'N passed, N failed'."""

import argparse
import json
import os
import re
import subprocess
import sys

import jsonschema
import yaml

from scenario_runner import run_scenarios, write

ARGS = None
STARTER = [".aiops.yaml", "prompts/codegen/python-module.prompt.yaml", "specs/greeting.yaml", "src/greeting.py",
           "behave/smoke.suite.yaml", ".github/workflows/aiops.yml"]


def clean_env(root):
    env = {k: v for k, v in os.environ.items()
           if k != "CI" and not k.startswith(("AIOPS_", "GITHUB_", "CI_"))}
    env.update({"NO_COLOR": "1", "HOME": root,
                "PATH": os.path.dirname(ARGS.aiops) + os.pathsep + os.environ.get("PATH", "")})
    return env


def aiops(*arguments, cwd):
    return subprocess.run([ARGS.aiops, *arguments], cwd=cwd, capture_output=True, text=True,
                          env=clean_env(cwd), stdin=subprocess.DEVNULL, timeout=120)


def files_under(root):
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            found.append(os.path.relpath(os.path.join(folder, name), root))
    return sorted(found)


def snapshot(root):
    """Every file's bytes and modification time, by path."""
    result = {}
    for path in files_under(root):
        full = os.path.join(root, path)
        with open(full, "rb") as handle:
            result[path] = (handle.read(), os.stat(full).st_mtime_ns)
    return result


def new_repository(root):
    repo = os.path.join(root, "repo")
    os.makedirs(repo)
    subprocess.run(["git", "init", "-q", "."], cwd=repo, check=True, env=clean_env(root))
    return repo


def readme_pipeline():
    """The commands the README's init section says pass in a fresh project."""
    with open(os.path.join(ARGS.project, "README.md")) as handle:
        text = handle.read()
    section = text.split("## Start a project: `aiops init`", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in section.splitlines() if line.startswith("    aiops ")]
    assert len(commands) == 4, commands
    return commands


def scenario_init_then_the_readme_pipeline_passes(root):
    repo = new_repository(root)
    done = aiops("init", cwd=repo)
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert [line.split()[1] for line in done.stdout.splitlines() if line.startswith("wrote ")] == STARTER
    assert files_under(repo) == sorted(STARTER), files_under(repo)
    for command in readme_pipeline():
        assert f"  {command}\n" in done.stdout, (command, done.stdout)  # init names the same gates
        ran = subprocess.run(command, shell=True, cwd=repo, capture_output=True, text=True, env=clean_env(root),
                             timeout=300)
        assert ran.returncode == 0, (command, ran.returncode, ran.stdout, ran.stderr)
        assert "aiops: warning" not in ran.stderr, (command, ran.stderr)
    # The gates leave nothing behind in the work tree.
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo,
                            capture_output=True, text=True, check=True).stdout
    assert sorted(line[3:] for line in status.splitlines()) == sorted(STARTER), status


def scenario_the_gates_fail_when_the_code_breaks_its_spec(root):
    # The starter checks are real: the same commands fail on code that breaks the spec.
    repo = new_repository(root)
    assert aiops("init", cwd=repo).returncode == 0
    write(os.path.join(repo, "src", "greeting.py"), "def greet(person):\n    return 'Hi ' + person\n")
    validate = aiops("validate", "--spec", "specs/greeting.yaml", "src/", cwd=repo)
    assert validate.returncode == 1 and "conformance.parameters" in validate.stdout, validate.stdout
    behave = aiops("behave", "behave/", cwd=repo)
    assert behave.returncode == 1, (behave.returncode, behave.stdout)


def scenario_second_init_changes_nothing(root):
    repo = new_repository(root)
    assert aiops("init", cwd=repo).returncode == 0
    before = snapshot(repo)
    again = aiops("init", cwd=repo)
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert [line.split()[1] for line in lines if line.startswith("skipped ")] == STARTER, again.stdout
    assert not any(line.startswith("wrote ") for line in lines), again.stdout
    assert lines[-1] == "nothing written: all 6 starter files are already there", lines[-1]
    assert snapshot(repo) == before


def scenario_files_already_there_are_kept(root):
    repo = new_repository(root)
    mine = b"# my own settings\r\nscan:\n  fail-on: medium"  # no final newline, CRLF: kept as is
    with open(os.path.join(repo, ".aiops.yaml"), "wb") as handle:
        handle.write(mine)
    os.makedirs(os.path.join(repo, "specs"))
    os.symlink("../elsewhere/greeting.yaml", os.path.join(repo, "specs", "greeting.yaml"))  # points nowhere
    done = aiops("init", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "skipped  .aiops.yaml (already there, left as it is)" in done.stdout, done.stdout
    assert "skipped  specs/greeting.yaml" in done.stdout, done.stdout
    assert done.stdout.count("wrote ") == 4, done.stdout
    with open(os.path.join(repo, ".aiops.yaml"), "rb") as handle:
        assert handle.read() == mine
    assert os.readlink(os.path.join(repo, "specs", "greeting.yaml")) == "../elsewhere/greeting.yaml"
    assert not os.path.exists(os.path.join(root, "elsewhere")), "init wrote through a link"


def scenario_a_bad_folder_writes_nothing(root):
    write(os.path.join(root, "afile"), "x\n")
    on_file = aiops("init", "afile", cwd=root)
    assert on_file.returncode == 2 and "aiops: error: 'afile': not a folder" in on_file.stderr, on_file.stderr
    project = os.path.join(root, "project")
    write(os.path.join(project, ".github"), "a file where a folder should be\n")
    blocked = aiops("init", "project", cwd=root)
    assert blocked.returncode == 2, (blocked.returncode, blocked.stderr)
    assert "cannot write 'project/.github/workflows/aiops.yml'" in blocked.stderr, blocked.stderr
    assert "nothing was written" in blocked.stderr, blocked.stderr
    assert files_under(project) == [".github"], files_under(project)  # no file, folder or temporary left
    assert blocked.stdout == "", blocked.stdout
    empty = aiops("init", "", cwd=project)
    assert empty.returncode == 2 and "a folder name is needed" in empty.stderr, (empty.returncode, empty.stderr)
    assert files_under(project) == [".github"], files_under(project)


def scenario_a_missing_folder_is_created(root):
    done = aiops("init", "new/service", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "wrote    new/service/.aiops.yaml" in done.stdout, done.stdout
    assert "Run the gates in 'new/service' as the workflow does:" in done.stdout, done.stdout
    assert files_under(os.path.join(root, "new", "service")) == sorted(STARTER)


def scenario_config_is_valid_for_loader_and_schema(root):
    repo = new_repository(root)
    assert aiops("init", cwd=repo).returncode == 0
    with open(os.path.join(repo, ".aiops.yaml")) as handle:
        config = yaml.safe_load(handle)
    with open(os.path.join(ARGS.project, "schemas", "config.schema.json")) as handle:
        jsonschema.validate(config, json.load(handle))
    shown = aiops("config", "show", "scan", "--json", cwd=repo)
    assert shown.returncode == 0, shown.stderr
    entries = json.loads(shown.stdout)["commands"]["scan"]
    assert entries["exclude"]["value"] == ["aiops-reports/"], entries["exclude"]
    assert entries["exclude"]["source"].startswith(".aiops.yaml:"), entries["exclude"]
    assert entries["fail-on"]["value"] == "high"


def workflow_steps(text):
    workflow = yaml.safe_load(text)
    # YAML 1.1 reads the key 'on' as true.
    assert set(workflow.get("on", workflow.get(True))) == {"push", "pull_request"}, workflow
    job = workflow["jobs"]["aiops"]
    assert job["permissions"]["security-events"] == "write", job["permissions"]
    return job["steps"]


def scenario_workflow_parses_and_its_gate_steps_run(root):
    repo = new_repository(root)
    assert aiops("init", cwd=repo).returncode == 0
    with open(os.path.join(repo, ".github", "workflows", "aiops.yml")) as handle:
        text = handle.read()
    steps = workflow_steps(text)
    assert steps[0] == {"uses": "actions/checkout@v4"}, steps[0]
    names = [step.get("name") for step in steps[1:]]
    assert names == ["Install aiops", "Validate", "Upload the validate SARIF log", "Scan",
                     "Upload the scan SARIF log", "Lint the prompts", "Behave"], names
    uploads = {step["with"]["category"]: step["with"]["sarif_file"] for step in steps
               if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")}
    assert uploads == {"validate": "aiops-reports/validate.sarif", "scan": "aiops-reports/scan.sarif"}, uploads
    # The install step keeps an aiops that is there, and without one and a package says so.
    install = next(step for step in steps if step.get("name") == "Install aiops")["run"]
    kept = subprocess.run(["bash", "-e", "-c", install], cwd=repo, env=dict(clean_env(root), AIOPS_DEB_URL=""),
                          capture_output=True, text=True, timeout=60)
    assert kept.returncode == 0 and kept.stdout.startswith("aiops "), (kept.returncode, kept.stdout, kept.stderr)
    if not any(os.path.exists(os.path.join(folder, "aiops")) for folder in ("/usr/bin", "/bin")):
        missing = subprocess.run(["bash", "-e", "-c", install], cwd=repo, capture_output=True, text=True,
                                 env=dict(clean_env(root), PATH="/usr/bin:/bin", AIOPS_DEB_URL=""), timeout=60)
        assert missing.returncode == 3, (missing.returncode, missing.stdout, missing.stderr)
        assert "::error::aiops is not installed: set AIOPS_DEB_URL" in missing.stdout, missing.stdout
    # The gate steps run as a runner would run them, and write the logs the uploads name.
    summary = os.path.join(root, "summary.md")
    env = dict(clean_env(root), GITHUB_STEP_SUMMARY=summary)
    gates = [step for step in steps if step.get("run", "").startswith("aiops ")]
    assert [step["name"] for step in gates] == ["Validate", "Scan", "Lint the prompts", "Behave"], gates
    for step in gates:
        ran = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True,
                             timeout=300)
        assert ran.returncode == 0, (step["name"], ran.returncode, ran.stdout, ran.stderr)
    for category, path in uploads.items():
        with open(os.path.join(repo, path)) as handle:
            log = json.load(handle)
        assert log["runs"][0]["automationDetails"]["id"].startswith(category + "/"), log["runs"][0]
    with open(summary) as handle:
        assert "smoke" in handle.read()  # the behave step's summary, the last one written


def scenario_generate_step_is_valid_yaml_once_uncommented(root):
    repo = new_repository(root)
    assert aiops("init", cwd=repo).returncode == 0
    with open(os.path.join(repo, ".github", "workflows", "aiops.yml")) as handle:
        text = handle.read()
    block = re.search(r"^( *)# - name: Generate\n(?:\1#   .*\n)+", text, re.MULTILINE)
    assert block, "no commented-out generate step"
    uncommented = re.sub(r"^( *)# ", r"\1", block.group(0), flags=re.MULTILINE)
    steps = workflow_steps(text.replace(block.group(0), uncommented))
    names = [step.get("name") for step in steps]
    generate = steps[names.index("Generate")]
    assert names.index("Generate") == names.index("Validate") - 1, names
    assert generate["env"] == {"OPENAI_API_KEY": "${{ secrets.OPENAI_API_KEY }}"}, generate
    # Uncommented, the step runs: against a loopback mock of the provider here, it
    # replaces the hand-written starter code, which the validate step then passes.
    from test_generate_scenarios import MockModel
    code = 'def greet(name: str) -> str:\n    """Greets."""\n    return f"Hello, {name or \'world\'}!"\n'
    model = MockModel(["```python\n" + code + "```\n"])
    try:
        env = dict(clean_env(root), OPENAI_API_KEY="sk-FAKE-init-0000", AIOPS_BASE_URL=model.url)
        ran = subprocess.run(["bash", "-e", "-c", generate["run"]], cwd=repo, env=env, capture_output=True,
                             text=True, timeout=120)
    finally:
        model.stop()
    assert ran.returncode == 0, (ran.returncode, ran.stdout, ran.stderr)
    assert [request["body"]["model"] for request in model.requests] == ["gpt-4o-mini"], model.requests
    with open(os.path.join(repo, "src", "greeting.py")) as handle:
        assert handle.read() == code
    validate = steps[names.index("Validate")]["run"]
    ran = subprocess.run(["bash", "-e", "-c", validate], cwd=repo, capture_output=True, text=True, timeout=120,
                         env=dict(clean_env(root), GITHUB_STEP_SUMMARY=os.path.join(root, "summary.md")))
    assert ran.returncode == 0, (ran.returncode, ran.stdout, ran.stderr)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    parser.add_argument("--project", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    ARGS.project = os.path.abspath(ARGS.project)
    return run_scenarios(globals(), "aiops-init-scenario-")


if __name__ == "__main__":
    sys.exit(main())
