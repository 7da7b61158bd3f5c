#!/usr/bin/env python3
"""Runs the pieces users drop into their pipelines, locally, against scratch
repositories: the GitHub composite action's run script, with the files and variables a
runner gives it, and the GitLab CI template's job script. Prints one line per scenario
and closes with 'N passed, N failed'."""

import argparse
import json
import os
import re
import subprocess
import sys

import yaml

from scenario_runner import run_scenarios, write

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from run_cli_case import check_codequality, check_junit, check_with_schema  # noqa: E402

ARGS = None
BAD = "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n\n\nresult = eval(text)\n"


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
    if os.path.exists(env["GITHUB_OUTPUT"]):
        os.remove(env["GITHUB_OUTPUT"])  # each step has an output file of its own
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


def scenario_action_run_script_annotates_with_format_text(root):
    make_repository(root)
    done, outputs, _ = run_action_step(root, "scan", "--format text --fail-on medium src")
    assert outputs["exit-code"] == "1", (outputs, done.stderr)
    assert "::warning file=src/app.py,line=5" in done.stdout, done.stdout


def scenario_action_run_script_refuses_an_open_quote(root):
    make_repository(root)
    done, outputs, summary = run_action_step(root, "scan", "--fail-on low 'dir with space")
    assert done.returncode == 0 and outputs == {"exit-code": "2"}, (outputs, done.stdout, done.stderr)
    assert "::error title=aiops::the args input cannot be split into words" in done.stdout, done.stdout
    assert summary == "## earlier step\n", summary  # aiops did not run


def scenario_action_run_script_takes_the_args_sarif_and_category(root):
    make_repository(root)
    done, outputs, _ = run_action_step(root, "scan", "--fail-on medium --sarif mine.sarif --category=mine src")
    assert outputs["exit-code"] == "1", (outputs, done.stderr)
    assert outputs["sarif"] == os.path.join(root, "mine.sarif"), outputs
    log = json.load(open(outputs["sarif"]))
    assert log["runs"][0]["automationDetails"]["id"].startswith("mine"), log["runs"][0]["automationDetails"]


def scenario_action_run_script_summarises_behave_and_not_generate(root):
    make_repository(root)
    write(os.path.join(root, "t.suite.yaml"),
          "cases:\n  - id: fails\n    run: [false]\n    assert: [{exit-code: 0}]\n")
    done, outputs, summary = run_action_step(root, "behave", "t.suite.yaml")
    assert outputs["exit-code"] == "1", (outputs, done.stderr)
    assert "fails" in summary[len("## earlier step\n"):], summary
    assert not check_with_schema(os.path.join(ARGS.schemas, "sarif-schema-2.1.0.json"), outputs["sarif"])
    done, outputs, summary = run_action_step(root, "generate", "--help")
    assert outputs == {"exit-code": "0"} and summary == "## earlier step\n", (outputs, done.stderr)


def scenario_action_run_script_with_a_tiny_summary_limit(root):
    make_repository(root)
    done, outputs, summary = run_action_step(root, "scan", "src", AIOPS_SUMMARY_LIMIT="150")
    added = summary[len("## earlier step\n"):]
    assert "-50" not in added and "is left out" in added and len(added.encode()) < 200, added


def fake_tools(folder, tools):
    """Writes scripts named after tools into folder; each logs its arguments."""
    os.makedirs(folder, exist_ok=True)
    for name, body in tools.items():
        path = os.path.join(folder, name)
        write(path, "#!/bin/bash\n" + f'echo "{name} $*" >> "{folder}/calls.log"\n' + body)
        os.chmod(path, 0o755)


def install_step(root, action_path, version, repository="", **extra):
    fake = os.path.join(root, "fake")
    # Installing the package puts a fake aiops on PATH, as the real one would.
    fake_tools(fake, {"curl": "", "sudo": '"$@"\n',
                      "apt-get": f'[ "$1" = install ] && printf \'#!/bin/bash\\necho "aiops 0.1.0"\\n\' > "{fake}/aiops"'
                                 f' && chmod +x "{fake}/aiops"\ntrue\n'})
    env = clean_env(root)
    env["PATH"] = fake + os.pathsep + "/usr/bin:/bin"
    env.update({"AIOPS_VERSION": version, "AIOPS_ACTION_REPOSITORY": repository, "AIOPS_ACTION_PATH": action_path,
                "RUNNER_TEMP": os.path.join(root, "runner"), "GITHUB_PATH": os.path.join(root, "github_path")})
    env.update(extra)
    script = os.path.join(ARGS.project, ".github", "actions", "aiops", "install.sh")
    done = subprocess.run(["bash", script], cwd=root, env=env, capture_output=True, text=True, timeout=60)
    calls = read(os.path.join(fake, "calls.log")) if os.path.exists(os.path.join(fake, "calls.log")) else ""
    return done, calls


def scenario_action_install_finds_the_release_of_its_own_repository(root):
    # The runner puts an action used as acme/aiops/.github/actions/aiops@v1 here.
    action_path = os.path.join(root, "_actions", "acme", "aiops", "v1", ".github", "actions", "aiops")
    done, calls = install_step(root, action_path, "v0.1.0")
    assert done.returncode == 0, (done.stdout, done.stderr)
    url = "https://github.com/acme/aiops/releases/download/v0.1.0/aiops_0.1.0_amd64.deb"
    assert f"downloading {url}" in done.stdout, done.stdout
    lines = calls.splitlines()
    assert any(line.startswith("curl ") and line.endswith(url) for line in lines), calls
    assert lines.index("apt-get update") < next(i for i, line in enumerate(lines)
                                                 if line.startswith("apt-get install")), calls
    # The repository input wins; without either, the message names the input.
    done, calls = install_step(root, action_path, "0.2.0", repository="other/fork")
    assert "github.com/other/fork/releases/download/v0.2.0/aiops_0.2.0_amd64.deb" in done.stdout, done.stdout
    done, _ = install_step(os.path.join(root, "elsewhere"), os.path.join(root, "checkout", ".github", "actions",
                                                                         "aiops"), "0.2.0")
    assert done.returncode == 1 and "set the repository input" in done.stderr, done.stderr


def scenario_action_install_builds_from_source_once_a_job(root):
    build = os.path.join(root, "runner", "aiops-build", "bin")
    os.makedirs(build)
    with open(ARGS.aiops, "rb") as source, open(os.path.join(build, "aiops"), "wb") as copy:
        copy.write(source.read())
    os.chmod(os.path.join(build, "aiops"), 0o755)
    action_path = os.path.join(ARGS.project, ".github", "actions", "aiops")
    done, calls = install_step(root, action_path, "source")
    assert done.returncode == 0 and "built from source earlier in this job" in done.stdout, (done.stdout, done.stderr)
    assert calls == "", calls  # neither install-deps' apt-get nor a download
    assert read(os.path.join(root, "github_path")).strip() == build


def scenario_precommit_validate_hook_takes_the_files_validate_reads(root):
    # pre-commit picks a hook's files by identify's tags, as here.
    from identify import identify
    with open(os.path.join(ARGS.project, ".pre-commit-hooks.yaml")) as handle:
        hook = next(h for h in yaml.safe_load(handle) if h["id"] == "aiops-validate")
    wanted = set(hook["types_or"])
    names = ["README.md", "notes.txt", "Makefile", "setup.cfg", "pyproject.toml", "a.py", "b.pyi", "c.js", "d.jsx",
             "e.ts", "f.tsx", "g.go", "h.java", "i.rs", "j.sh", "k.c", "l.h", "m.cpp", "n.hpp", "o.rb", "p.php",
             "q.cs", "r.json", "s.yaml", "t.yml", "Gemfile", ".bashrc", "u.css", "v.html"]
    for name in names:
        write(os.path.join(root, name), "\n")
    done = subprocess.run([ARGS.aiops, "validate", "--no-git", "--format", "json", *names], cwd=root,
                          capture_output=True, text=True, env=clean_env(root), timeout=60)
    skipped = {entry["path"] for entry in json.loads(done.stdout)["skipped"]}
    for name in names:
        selected = bool(identify.tags_from_path(os.path.join(root, name)) & wanted)
        assert selected == (name not in skipped), (name, selected, skipped)


def scenario_project_workflow_caches_the_folder_ccache_uses(root):
    with open(os.path.join(ARGS.project, ".github", "workflows", "ci.yml")) as handle:
        workflow = yaml.safe_load(handle)
    steps = workflow["jobs"]["test"]["steps"]
    cached = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))["with"]["path"]
    build = next(step for step in steps if ".ci/run" in step.get("run", ""))
    # env: values reach the program as written: a "~" there is no home folder.
    assert not any(str(value).startswith("~") for value in build.get("env", {}).values()), build
    shown = subprocess.run(["bash", "-c", build["run"].replace(".ci/run", "printenv CCACHE_DIR")],
                           env={"HOME": root, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=30)
    assert shown.stdout.strip() == cached.replace("~", root, 1), (shown.stdout, cached)


def scenario_action_and_readme_upload_with_the_same_codeql_action(root):
    versions = set()
    for path in (os.path.join(".github", "actions", "aiops", "action.yml"), "README.md",
                 os.path.join("lib", "scaffold", "starter_files.cpp")):
        versions |= set(re.findall(r"github/codeql-action/upload-sarif@(v\d+)", read(os.path.join(ARGS.project, path))))
    assert versions == {"v4"}, versions


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
    # A second run in the same folder does not check the first run's reports.
    def files_checked():
        return re.search(r'name="files_checked" value="(\d+)"', read(os.path.join(root, reports["junit"]))).group(1)
    first = files_checked()
    again = subprocess.run(["bash", "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 1 and files_checked() == first == "2", (first, files_checked(), again.stderr)
    assert all(os.path.dirname(path) == "aiops-reports" for path in reports.values()), reports
    # An open quote fails the job instead of running on the defaults.
    env["AIOPS_ARGS"] = "--fail-on low 'src"
    broken = subprocess.run(["bash", "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert broken.returncode == 2 and "cannot be split into words" in broken.stderr, (broken.returncode, broken.stderr)


def scenario_gitlab_template_installs_on_a_bare_debian_image(root):
    job = gitlab_job_script(".aiops-scan")
    fake = os.path.join(root, "fake")
    # No curl and no aiops, as in debian:12: apt-get brings curl, then the package.
    fake_tools(fake, {"apt-get": f'[ "$2" = -y ] && [ "$3" = /tmp/aiops.deb ] && '
                                 f'printf \'#!/bin/bash\\necho "aiops 0.1.0"\\n\' > "{fake}/aiops" && /bin/chmod +x "{fake}/aiops"\n'
                                 f'[ "$1" = install ] && [ "$4" = ca-certificates ] && '
                                 f'printf \'#!/bin/bash\\necho "curl $*" >> "{fake}/calls.log"\\n\' > "{fake}/curl" && '
                                 f'/bin/chmod +x "{fake}/curl"\ntrue\n'})
    env = clean_env(root)
    env["PATH"] = fake
    env.update({k: str(v) for k, v in job["variables"].items()})
    env["AIOPS_DEB_URL"] = "https://127.0.0.1:9/aiops_0.1.0_amd64.deb"
    done = subprocess.run(["/bin/bash", "-eo", "pipefail", "-c", "\n".join(job["before_script"])], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.endswith("aiops 0.1.0\n"), (done.returncode, done.stdout, done.stderr)
    calls = read(os.path.join(fake, "calls.log")).splitlines()
    assert calls[0] == "apt-get update", calls
    assert calls[1] == "apt-get install -y --no-install-recommends ca-certificates curl", calls
    assert calls[2].startswith("curl ") and calls[2].endswith(env["AIOPS_DEB_URL"]), calls
    assert calls[3] == "apt-get install -y /tmp/aiops.deb", calls


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
