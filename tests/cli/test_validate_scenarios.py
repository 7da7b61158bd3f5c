#!/usr/bin/env python3
"""End-to-end scenarios of `aiops validate` that fixture folders cannot hold: huge
files, links, unreadable files, FIFOs, interrupts, git work trees and thread counts.
Each scenario builds its own scratch folder. Prints one line per scenario and closes
with 'N passed, N failed'."""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

from scenario_runner import run_scenarios, write
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ARGS = None


def aiops(*arguments, cwd, user=None, timeout=120):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    env["NO_COLOR"] = "1"
    command = [ARGS.aiops, *arguments]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", "--regid=65534", "--clear-groups", *command]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=timeout)


def check_sarif(path):
    schema = os.path.join(ARGS.schemas, "sarif-schema-2.1.0.json")
    checked = subprocess.run([sys.executable, os.path.join(HERE, "..", "tools", "check_schema.py"),
                              schema, path], capture_output=True, text=True)
    assert checked.returncode == 0, f"invalid SARIF: {checked.stdout}{checked.stderr}"
    with open(path) as handle:
        return json.load(handle)


def git(cwd, *arguments):
    subprocess.run(["git", "-c", "user.name=aiops tests", "-c", "user.email=tests@example.invalid",
                    *arguments], cwd=cwd, check=True, capture_output=True)


def scenario_huge_single_line_file(root):
    with open(os.path.join(root, "huge.js"), "wb") as handle:
        handle.write(b"x=1;" * (25 * 1024 * 1024))
    write(os.path.join(root, "ok.py"), "ok = 1\n")
    started = time.monotonic()
    result = aiops("validate", "--format", "json", ".", cwd=root)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["files_checked"] == 1
    (skipped,) = report["skipped"]
    assert skipped["path"] == "huge.js" and "larger than --max-file-size" in skipped["reason"], skipped
    assert elapsed < 10, f"took {elapsed:.1f} s"


def scenario_links(root):
    write(os.path.join(root, "real", "ok.py"), "ok = 1\n")
    os.symlink("real", os.path.join(root, "folder-link"))
    os.symlink("loop-b", os.path.join(root, "loop-a.py"))
    os.symlink("loop-a.py", os.path.join(root, "loop-b"))
    os.symlink("missing.py", os.path.join(root, "broken.py"))
    outside = tempfile.mkdtemp(prefix="aiops-outside-")
    try:
        write(os.path.join(outside, "secret.py"), "x = (\n")
        os.symlink(os.path.join(outside, "secret.py"), os.path.join(root, "escape.py"))
        result = aiops("validate", "--format", "json", ".", cwd=root)
    finally:
        shutil.rmtree(outside)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    reasons = {entry["path"]: entry["reason"] for entry in report["skipped"]}
    assert reasons == {
        "broken.py": "broken symbolic link",
        "escape.py": "symbolic link points outside the workspace",
        "folder-link": "symbolic link to a folder is not followed",
        "loop-a.py": "symbolic link loop",
        "loop-b": "symbolic link loop",
    }, reasons
    assert report["summary"]["files_checked"] == 1


def scenario_link_loop_named(root):
    os.symlink("b.py", os.path.join(root, "a.py"))
    os.symlink("a.py", os.path.join(root, "b.py"))
    result = aiops("validate", "a.py", cwd=root)
    assert result.returncode == 2, result.returncode
    assert "aiops: error: 'a.py': symbolic link loop" in result.stderr, result.stderr


def scenario_spaces_and_non_ascii(root):
    folder = os.path.join(root, "mes données", "café au lait")
    write(os.path.join(folder, "naïve file.py"), "déjà = (1,\n")
    result = aiops("validate", "--sarif", "out.sarif", "--format", "json", ".", cwd=root)
    assert result.returncode == 1, result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["path"] == "mes données/café au lait/naïve file.py", finding["path"]
    assert finding["start_line"] == 1 and finding["start_column"] == 8, finding  # the open paren
    sarif = check_sarif(os.path.join(root, "out.sarif"))
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "mes%20donn%C3%A9es/caf%C3%A9%20au%20lait/na%C3%AFve%20file.py", uri


def scenario_unreadable_file(root):
    write(os.path.join(root, "ok.py"), "ok = 1\n")
    write(os.path.join(root, "locked.py"), "ok = 2\n")
    os.chmod(os.path.join(root, "locked.py"), 0)
    os.chmod(root, 0o777)
    user = None
    if os.geteuid() == 0:
        # root reads every file; an unprivileged user meets the permission check.
        user = "nobody"
        os.chmod(os.path.dirname(root), 0o755)
    result = aiops("validate", "--sarif", "out.sarif", ".", cwd=root, user=user)
    assert result.returncode == 3, (result.returncode, result.stdout, result.stderr)
    assert "locked.py: error: cannot read:" in result.stdout and "Permission denied" in result.stdout
    sarif = check_sarif(os.path.join(root, "out.sarif"))
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert any(n["level"] == "error" for n in invocation["toolExecutionNotifications"])


def scenario_fifo_does_not_hang(root):
    os.mkfifo(os.path.join(root, "pipe.py"))
    write(os.path.join(root, "ok.py"), "ok = 1\n")
    result = aiops("validate", "--format", "json", ".", cwd=root, timeout=20)
    assert result.returncode == 0, result.stderr
    reasons = {entry["path"]: entry["reason"] for entry in json.loads(result.stdout)["skipped"]}
    assert reasons == {"pipe.py": "not a regular file"}, reasons


def scenario_interrupt(root):
    # Enough code that parsing takes seconds, so the signal lands mid-run.
    chunk = "def f(x):\n    return [i * x for i in range(10) if i % 2]\n" * 20000
    for i in range(40):
        write(os.path.join(root, f"m{i}.py"), chunk)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    process = subprocess.Popen([ARGS.aiops, "validate", "--max-file-size", "10M", "--jobs", "1",
                                "--sarif", "out.sarif", "."], cwd=root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)
    assert process.returncode == 130, process.returncode
    assert not os.path.exists(os.path.join(root, "out.sarif")), "a report was written after an interrupt"
    leftovers = [name for name in os.listdir(root) if name.startswith(".out.sarif")]
    assert leftovers == [], leftovers


def scenario_jobs_do_not_change_output(root):
    for i in range(60):
        body = "x = (1,\n" if i % 3 == 0 else f"value_{i} = {i}\n"
        write(os.path.join(root, f"pkg{i % 4}", f"mod{i}.py"), body)
    outputs = []
    for jobs in ("1", "2", "7"):
        result = aiops("validate", "--jobs", jobs, "--format", "json", ".", cwd=root)
        assert result.returncode == 1, result.stderr
        report = json.loads(result.stdout)
        outputs.append(json.dumps(report["findings"]))
        assert report["summary"]["findings"] == 20
    assert outputs[0] == outputs[1] == outputs[2]


def scenario_git_work_tree(root):
    git(root, "init", "-q")
    write(os.path.join(root, ".gitignore"), "generated/\n*.log.py\n")
    write(os.path.join(root, "tracked.py"), "x = (\n")
    write(os.path.join(root, "generated", "out.py"), "y = (\n")
    write(os.path.join(root, "debug.log.py"), "z = (\n")
    git(root, "add", ".gitignore", "tracked.py")
    git(root, "commit", "-q", "-m", "first")
    write(os.path.join(root, "untracked.py"), "w = (\n")
    write(os.path.join(root, "sub", "deep.py"), "ok = 1\n")
    report = json.loads(aiops("validate", "--format", "json", cwd=root).stdout)
    paths = sorted({f["path"] for f in report["findings"]})
    assert paths == ["tracked.py", "untracked.py"], paths
    assert report["summary"]["files_checked"] == 3, report["summary"]
    # From a subfolder: that folder's files, named relative to the work tree's root.
    write(os.path.join(root, "sub", "broken.py"), "v = (\n")
    below = json.loads(aiops("validate", "--format", "json", cwd=os.path.join(root, "sub")).stdout)
    assert [f["path"] for f in below["findings"]] == ["sub/broken.py"], below["findings"]
    # A folder git ignores is still checked when it is named.
    named = json.loads(aiops("validate", "--format", "json", "generated", cwd=root).stdout)
    assert [f["path"] for f in named["findings"]] == ["generated/out.py"], named


def scenario_file_outside_root(root):
    outside = tempfile.mkdtemp(prefix="aiops-elsewhere-")
    try:
        write(os.path.join(outside, "bad.py"), "x = (\n")
        result = aiops("validate", "--sarif", "out.sarif", "--format", "json",
                       os.path.join(outside, "bad.py"), cwd=root)
        assert result.returncode == 1, result.stderr
        (finding,) = json.loads(result.stdout)["findings"]
        assert finding["path"] == os.path.join(outside, "bad.py")
        sarif = check_sarif(os.path.join(root, "out.sarif"))
        location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "file://" + os.path.join(outside, "bad.py")
        assert "uriBaseId" not in location["artifactLocation"]
    finally:
        shutil.rmtree(outside)


def scenario_empty_python_version_is_refused(root):
    # An empty value is not "any version": the flag was given, so it must name one.
    write(os.path.join(root, "a.py"), "import tomllib\n")
    result = aiops("validate", "--checks", "imports", "--python-version", "", ".", cwd=root)
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "--python-version '': expected a version from 3.8 to 3.14" in result.stderr, result.stderr


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    parser.add_argument("--schemas", required=True)
    parser.add_argument("--project", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    ARGS.schemas = os.path.abspath(ARGS.schemas)
    return run_scenarios(globals(), "aiops-scenario-")

if __name__ == "__main__":
    sys.exit(main())
