#!/usr/bin/env python3
"""End-to-end scenarios of runs that read git: `--diff REF` (only what changed since
the merge base, and only findings on changed lines), `--staged` (the index, as
pre-commit hooks need) and the hooks file itself. Builds its repositories with the
git command in scratch folders. Prints one line per scenario and closes with
'N passed, N failed'."""

import argparse
import json
import os
import subprocess
import sys

import yaml

from scenario_runner import run_scenarios

ARGS = None
OLD = "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n"
CLEAN = "def add(a, b):\n    return a + b\n"


def environment(root):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIOPS_", "GIT_"))}
    env.update({"NO_COLOR": "1", "HOME": root, "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
                "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com"})
    return env


def git(*arguments, cwd):
    done = subprocess.run(["git", *arguments], cwd=cwd, env=environment(cwd), capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, (arguments, done.stderr)
    return done.stdout.strip()


def aiops(*arguments, cwd):
    return subprocess.run([ARGS.aiops, *arguments], cwd=cwd, env=environment(cwd), capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120)


def write(path, content):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as handle:
        handle.write(content)


def findings(done):
    assert done.returncode in (0, 1), (done.returncode, done.stdout, done.stderr)
    return sorted((f["path"], f["start_line"], f["rule"]) for f in json.loads(done.stdout)["findings"])


def repository(root):
    git("init", "-q", "-b", "main", cwd=root)
    write(os.path.join(root, "src", "old.py"), OLD)
    write(os.path.join(root, "src", "moved.py"), OLD)
    write(os.path.join(root, "src", "clean.py"), CLEAN)
    git("add", ".", cwd=root)
    git("commit", "-qm", "old code", cwd=root)


def scenario_diff_reports_only_new_findings(root):
    repository(root)
    git("checkout", "-qb", "feature", cwd=root)
    # A new finding in a file that has an old one, a renamed file, a new file, and
    # an edit not committed yet.
    write(os.path.join(root, "src", "old.py"), OLD + "\n\nvalue = eval(text)\n")
    git("mv", "src/moved.py", "src/renamed.py", cwd=root)
    write(os.path.join(root, "src", "new.py"), "import subprocess\nsubprocess.call(cmd, shell=True)\n")
    git("add", ".", cwd=root)
    git("commit", "-qm", "feature", cwd=root)
    write(os.path.join(root, "src", "clean.py"), CLEAN + "\nresult = eval(x)\n")
    every = findings(aiops("scan", "--format", "json", "src", cwd=root))
    assert ("src/old.py", 5, "python.pickle-deserialization") in every, every
    changed = findings(aiops("scan", "--format", "json", "--diff", "main", "src", cwd=root))
    assert changed == [("src/clean.py", 4, "python.eval-used"),
                       ("src/new.py", 1, "python.import-subprocess"),
                       ("src/new.py", 2, "python.subprocess-shell-true"),
                       ("src/old.py", 8, "python.eval-used")], changed
    # Validate reads the same changes.
    write(os.path.join(root, "src", "broken_old.py"), "def f(:\n")
    done = aiops("validate", "--format", "json", "--diff", "main", "src", cwd=root)
    assert [f["path"] for f in json.loads(done.stdout)["findings"]] == ["src/broken_old.py"], done.stdout


def scenario_diff_names_what_to_fetch(root):
    origin = os.path.join(root, "origin")
    os.makedirs(origin)
    repository(origin)
    base = git("rev-parse", "HEAD", cwd=origin)
    for i in range(3):
        write(os.path.join(origin, "src", f"more_{i}.py"), CLEAN)
        git("add", ".", cwd=origin)
        git("commit", "-qm", f"more {i}", cwd=origin)
    clone = os.path.join(root, "clone")
    git("clone", "-q", "--depth", "1", "file://" + origin, clone, cwd=root)
    done = aiops("scan", "--diff", base, "src", cwd=clone)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "shallow clone" in done.stderr and "git fetch --deepen" in done.stderr, done.stderr
    # The usual CI checkout: the branch at depth 1, the base branch fetched at depth 1
    # after it moved on, so the merge base is in neither.
    git("checkout", "-qb", "feature", cwd=origin)
    write(os.path.join(origin, "src", "feature.py"), "x = eval(y)\n")
    git("add", ".", cwd=origin)
    git("commit", "-qm", "feature", cwd=origin)
    git("checkout", "-q", "main", cwd=origin)
    write(os.path.join(origin, "src", "later.py"), CLEAN)
    git("add", ".", cwd=origin)
    git("commit", "-qm", "main moves on", cwd=origin)
    branch = os.path.join(root, "branch")
    git("clone", "-q", "--depth", "1", "--branch", "feature", "file://" + origin, branch, cwd=root)
    git("fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main", cwd=branch)
    cut = aiops("scan", "--diff", "origin/main", "src", cwd=branch)
    assert cut.returncode == 2, (cut.returncode, cut.stderr)
    assert "git fetch --deepen=100 origin main" in cut.stderr, cut.stderr
    missing = aiops("scan", "--diff", "origin/nope", "src", cwd=clone)
    assert missing.returncode == 2 and "--diff 'origin/nope': not a commit" in missing.stderr, missing.stderr
    empty = aiops("scan", "--diff", "", "src", cwd=clone)
    assert empty.returncode == 2 and "--diff needs a ref" in empty.stderr, empty.stderr
    both = aiops("scan", "--diff", base, "--staged", "src", cwd=clone)
    assert both.returncode == 2 and "--staged" in both.stderr, both.stderr
    outside = aiops("scan", "--no-git", "--diff", "main", ".", cwd=os.path.join(root))
    assert outside.returncode == 2 and "not inside a git work tree" in outside.stderr, outside.stderr


def scenario_staged_reads_the_index(root):
    repository(root)
    write(os.path.join(root, "src", "clean.py"), CLEAN + "\nresult = eval(x)\n")
    git("add", "src/clean.py", cwd=root)
    write(os.path.join(root, "src", "clean.py"), CLEAN)  # fixed in the work tree only
    write(os.path.join(root, "src", "unstaged.py"), "x = eval(y)\n")
    staged = findings(aiops("scan", "--format", "json", "--staged", "src", cwd=root))
    assert staged == [("src/clean.py", 4, "python.eval-used")], staged
    git("add", "src/clean.py", cwd=root)  # now the index holds the fix
    assert findings(aiops("scan", "--format", "json", "--staged", "src", cwd=root)) == []


def scenario_pre_commit_hooks_check_staged_files(root):
    with open(os.path.join(ARGS.project, ".pre-commit-hooks.yaml")) as handle:
        hooks = {hook["id"]: hook for hook in yaml.safe_load(handle)}
    assert set(hooks) == {"aiops-validate", "aiops-scan"}
    repository(root)
    write(os.path.join(root, "src", "bad.py"), "import subprocess\nsubprocess.call(c, shell=True)\ndef f(:\n")
    git("add", "src/bad.py", cwd=root)
    for hook_id, hook in hooks.items():
        assert hook["language"] == "system" and hook["pass_filenames"], hook
        command = hook["entry"].split()
        assert command[0] == "aiops"
        done = aiops(*command[1:], "src/bad.py", "src/clean.py", cwd=root)
        assert done.returncode == 1, (hook_id, done.returncode, done.stdout, done.stderr)
        assert "src/bad.py" in done.stdout and "src/clean.py:" not in done.stdout, done.stdout


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    parser.add_argument("--project", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    ARGS.project = os.path.abspath(ARGS.project)
    return run_scenarios(globals(), "aiops-git-scenario-")


if __name__ == "__main__":
    sys.exit(main())
