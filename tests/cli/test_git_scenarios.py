#!/usr/bin/env python3
"""End-to-end scenarios of runs that read git: `--diff REF` (only what changed since
the merge base, and only the findings the change brings), `--staged` (the index, as
pre-commit hooks need), the hooks file itself, and what happens when libgit2, which
the binary loads when a run first reads git, cannot be loaded. Builds its repositories
with the git command in scratch folders. Prints one line per scenario and closes with
'N passed, N failed'."""

import argparse
import json
import os
import re
import subprocess
import sys

import yaml

from scenario_runner import run_scenarios, write

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
    assert "'git fetch --deepen=100 origin main:refs/remotes/origin/main'" in cut.stderr, cut.stderr
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


def commit_all(root, message):
    git("add", "-A", cwd=root)
    git("commit", "-qm", message, cwd=root)


def scenario_diff_keeps_a_finding_whose_lines_hold_the_change(root):
    git("init", "-q", "-b", "main", cwd=root)
    call = "import subprocess\n\n\ndef go(cmd):\n    subprocess.call(\n        cmd,\n        shell=False,\n    )\n"
    load = "import yaml\n\n\ndef load(s):\n    return yaml.load(\n        s,\n        Loader=yaml.SafeLoader,\n    )\n"
    write(os.path.join(root, "run.py"), call)
    write(os.path.join(root, "y.py"), load)
    write(os.path.join(root, "old.py"), "def f(s):\n    return eval(s)\n\n\nX = 1\n")
    commit_all(root, "base")
    git("checkout", "-qb", "pr", cwd=root)
    # The changed argument is on a later line than the call the finding starts at; the
    # Loader line is only removed; old.py's eval is old and its lines are untouched.
    write(os.path.join(root, "run.py"), call.replace("shell=False", "shell=True"))
    write(os.path.join(root, "y.py"), load.replace("        Loader=yaml.SafeLoader,\n", ""))
    write(os.path.join(root, "old.py"), "def f(s):\n    return eval(s)\n\n\nX = 2\n")
    commit_all(root, "unsafe")
    done = aiops("scan", "--format", "json", "--fail-on", "medium", "--diff", "main", cwd=root)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert findings(done) == [("run.py", 5, "python.subprocess-shell-true"),
                              ("y.py", 5, "python.yaml-load")], findings(done)


def scenario_diff_validate_reports_breakage_shown_on_unchanged_lines(root):
    git("init", "-q", "-b", "main", cwd=root)
    write(os.path.join(root, "trunc.py"), "def first():\n    return 1\n\n\ndef second():\n    x = 1\n    return x\n")
    write(os.path.join(root, "calc.py"), "def compute(a, b):\n    total = sum(\n        [a, b],\n    )\n    return total\n")
    commit_all(root, "base")
    git("checkout", "-qb", "pr", cwd=root)
    # One added line makes the parser stop on the next, unchanged one (7:7).
    write(os.path.join(root, "trunc.py"), "def first():\n    return 1\n\n\ndef second():\n    y = [1,\n    x = 1\n    return x\n")
    commit_all(root, "open bracket")
    done = aiops("validate", "--format", "json", "--diff", "main", cwd=root)
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert ("trunc.py", 7, "syntax.error") in findings(done), findings(done)
    # A removed closing bracket: the truncation shows at the call's start.
    git("checkout", "-q", "main", cwd=root)
    git("checkout", "-qb", "pr2", cwd=root)
    write(os.path.join(root, "calc.py"), "def compute(a, b):\n    total = sum(\n        [a, b],\n    return total\n")
    commit_all(root, "drop a line")
    every = findings(aiops("validate", "--format", "json", cwd=root))
    changed = findings(aiops("validate", "--format", "json", "--diff", "main", cwd=root))
    assert every and changed == every, (every, changed)
    assert all(path == "calc.py" for path, _, _ in changed), changed


def scenario_diff_validate_spec_reports_a_removed_function(root):
    git("init", "-q", "-b", "main", cwd=root)
    write(os.path.join(root, "specs", "greeting.yaml"), SPEC)
    write(os.path.join(root, "src", "greeting.py"), GREETING)
    write(os.path.join(root, "src", "other.py"), "def z():\n    return 1\n")
    commit_all(root, "base")
    run = lambda *more: aiops("validate", "--format", "json", "--spec", "specs/greeting.yaml", *more, "src/", cwd=root)
    git("checkout", "-qb", "drop", cwd=root)
    write(os.path.join(root, "src", "greeting.py"), "\"\"\"Greets people.\"\"\"\n\n\ndef other():\n    return 2\n")
    commit_all(root, "drop greet")
    assert findings(run("--diff", "main")) == [("src/greeting.py", 1, "conformance.missing-function")]
    # A change to other.py alone says nothing about greeting.py, which is not checked.
    git("checkout", "-q", "main", cwd=root)
    git("checkout", "-qb", "touch", cwd=root)
    write(os.path.join(root, "src", "other.py"), "def z():\n    return 2\n")
    commit_all(root, "touch")
    done = run("--diff", "main")
    assert done.returncode == 0 and findings(done) == [], (done.stdout, done.stderr)
    # A change to the spec alone judges its files again, against the spec as it was.
    git("checkout", "-q", "main", cwd=root)
    git("checkout", "-qb", "spec", cwd=root)
    write(os.path.join(root, "specs", "greeting.yaml"), SPEC.replace("parameters: []}", "parameters: [{name: a}]}"))
    commit_all(root, "z takes a")
    assert findings(run()) == [("src/other.py", 1, "conformance.parameters")]
    assert findings(run("--diff", "main")) == [("src/other.py", 1, "conformance.parameters")]
    # Deleting a file the spec names is new; one that was missing before is not.
    git("checkout", "-q", "main", cwd=root)
    git("checkout", "-qb", "delete", cwd=root)
    git("rm", "-q", "src/other.py", cwd=root)
    commit_all(root, "delete other")
    deleted = run("--diff", "main")
    assert [(f["rule"], f["message"].split("'")[1]) for f in json.loads(deleted.stdout)["findings"]] == \
        [("conformance.missing-file", "src/other.py")], deleted.stdout
    git("checkout", "-qb", "later", cwd=root)
    write(os.path.join(root, "src", "greeting.py"), GREETING + "\n\nX = 1\n")
    commit_all(root, "later")
    assert findings(run("--diff", "delete")) == []


def scenario_diff_validate_spec_malformed_at_the_base(root):
    git("init", "-q", "-b", "main", cwd=root)
    write(os.path.join(root, "specs", "greeting.yaml"), SPEC.replace("description: g}", "description: g"))
    write(os.path.join(root, "src", "greeting.py"), "def other():\n    return 1\n")
    write(os.path.join(root, "src", "other.py"), "def z():\n    return 1\n")
    commit_all(root, "base with a broken spec")
    write(os.path.join(root, "specs", "greeting.yaml"), SPEC)
    # The base's spec could not be read: what the fixed spec finds is new, and the
    # error is not blamed on the spec the work tree holds.
    done = aiops("validate", "--format", "json", "--spec", "specs/greeting.yaml", "--diff", "main", "src/", cwd=root)
    assert findings(done) == [("src/greeting.py", 1, "conformance.missing-function")], (done.stdout, done.stderr)


SPEC = """version: 1
name: greeting
language: python
outputs:
  - {path: greeting.py, description: g}
  - {path: other.py, description: o}
functions:
  - {name: greet, file: greeting.py, parameters: [{name: name, type: str}], returns: str}
  - {name: z, file: other.py, parameters: []}
dependencies: []
"""
GREETING = "\"\"\"Greets people.\"\"\"\n\n\ndef greet(name: str) -> str:\n    return f\"Hello, {name}!\"\n"


def scenario_validate_spec_shards_merge_to_the_unsharded_run(root):
    write(os.path.join(root, "specs", "greeting.yaml"),
          SPEC.replace("outputs:\n", "outputs:\n  - {path: gone.py, description: never written}\n"))
    write(os.path.join(root, "src", "greeting.py"), GREETING)
    write(os.path.join(root, "src", "other.py"), "def z():\n    return 1\n")
    write(os.path.join(root, "src", "helper.py"), "def h():\n    return 1\n")
    write(os.path.join(root, "src", "uses.py"), "import helper\n\n\ndef u():\n    return helper.h()\n")
    git("init", "-q", "-b", "main", cwd=root)
    commit_all(root, "base")
    base = ["validate", "--format", "json", "--spec", "specs/greeting.yaml", "src/"]
    whole = findings(aiops(*base, cwd=root))
    assert whole == [("specs/greeting.yaml", 5, "conformance.missing-file")], whole
    for count in (2, 3, 4):
        shards = []
        for index in range(1, count + 1):
            shards += findings(aiops(*base, "--shard", f"{index}/{count}", cwd=root))
        assert sorted(shards) == whole, (count, shards)


API = """version: 1
name: api
language: python
outputs:
  - {path: a.py, description: a}
  - {path: b.py, description: b}
  - {path: c.py, description: c}
endpoints:
  - {method: GET, path: /users, operationId: list_users}
  - {method: POST, path: /users, operationId: add_user}
  - {method: DELETE, path: /users, operationId: nowhere}
"""


def scenario_validate_spec_endpoints_any_file_may_serve(root):
    write(os.path.join(root, "specs", "api.yaml"), API)
    write(os.path.join(root, "src", "a.py"), "def list_users():\n    return 1\n")
    write(os.path.join(root, "src", "b.py"), "def add_user():\n    return 1\n")
    write(os.path.join(root, "src", "c.py"), "X = 1\n")
    git("init", "-q", "-b", "main", cwd=root)
    commit_all(root, "base")
    base = ["validate", "--format", "json", "--spec", "specs/api.yaml", "src/"]
    whole = findings(aiops(*base, cwd=root))
    assert whole == [("specs/api.yaml", 11, "conformance.missing-endpoint")], whole
    # Each shard finds the handlers the others hold, and one shard reports the rest.
    for count in (2, 3):
        shards = []
        for index in range(1, count + 1):
            shards += findings(aiops(*base, "--shard", f"{index}/{count}", cwd=root))
        assert shards == whole, (count, shards)
    # A change elsewhere keeps the old missing handler quiet; removing one is new.
    git("checkout", "-qb", "pr", cwd=root)
    write(os.path.join(root, "src", "c.py"), "X = 2\n")
    commit_all(root, "touch c")
    assert findings(aiops(*base, "--diff", "main", cwd=root)) == []
    write(os.path.join(root, "src", "b.py"), "def other():\n    return 1\n")
    commit_all(root, "drop add_user")
    assert findings(aiops(*base, "--diff", "main", cwd=root)) == [("specs/api.yaml", 10, "conformance.missing-endpoint")]


def scenario_staged_checks_each_named_file_as_the_index_holds_it(root):
    repository(root)
    write(os.path.join(root, "bad.py"), "def bad(s):\n    return eval(s)\n")
    commit_all(root, "committed")
    # Named files without staged changes are checked too (pre-commit --all-files).
    done = aiops("scan", "--format", "json", "--staged", "--fail-on", "medium", "bad.py", "src/clean.py", cwd=root)
    assert done.returncode == 1 and findings(done) == [("bad.py", 2, "python.eval-used")], (done.stdout, done.stderr)
    # The index's version, not the work tree's, and a named file the index lacks is
    # skipped with the reason.
    write(os.path.join(root, "bad.py"), "def bad(s):\n    return s\n")
    write(os.path.join(root, "untracked.py"), "x = eval(y)\n")
    done = aiops("scan", "--format", "json", "--staged", "bad.py", "untracked.py", cwd=root)
    assert findings(done) == [("bad.py", 2, "python.eval-used")], done.stdout
    assert {"path": "untracked.py", "reason": "not in the index: it is not staged"} in json.loads(done.stdout)["skipped"]
    # A folder still means its files with staged changes.
    assert findings(aiops("scan", "--format", "json", "--staged", ".", cwd=root)) == []


def scenario_staged_reads_dependency_manifests_from_the_index(root):
    git("init", "-q", "-b", "main", cwd=root)
    write(os.path.join(root, "requirements.txt"), "flask\n")
    commit_all(root, "base")
    write(os.path.join(root, "net.py"), "import requests\n")
    git("add", "net.py", cwd=root)
    # The work tree declares requests, the index does not: the commit would lack it.
    write(os.path.join(root, "requirements.txt"), "flask\nrequests\n")
    write(os.path.join(root, "requirements-dev.txt"), "requests\n")
    assert findings(aiops("validate", "--format", "json", "net.py", cwd=root)) == []
    staged = aiops("validate", "--format", "json", "--staged", cwd=root)
    assert findings(staged) == [("net.py", 1, "imports.undeclared")], (staged.stdout, staged.stderr)
    git("add", "requirements.txt", cwd=root)
    assert findings(aiops("validate", "--format", "json", "--staged", cwd=root)) == []


def same_second_history(root):
    origin = os.path.join(root, "origin")
    os.makedirs(origin)
    git("init", "-q", "-b", "main", cwd=origin)
    dated = {"GIT_COMMITTER_DATE": "2026-01-01T00:00:00", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00"}
    def commit(message):
        git("add", "-A", cwd=origin)
        subprocess.run(["git", "commit", "-qm", message], cwd=origin, env={**environment(origin), **dated},
                       check=True, capture_output=True)
    write(os.path.join(origin, "old.py"), "import os\n")
    commit("c1")
    for i in range(2, 6):
        write(os.path.join(origin, "notes.txt"), f"c{i}\n")
        commit(f"c{i}")
    git("checkout", "-qb", "feature", cwd=origin)
    write(os.path.join(origin, "new.py"), "def b(s):\n    return eval(s)\n")
    commit("f1")
    write(os.path.join(origin, "notes.txt"), "more\n")
    commit("f2")
    git("checkout", "-q", "main", cwd=origin)
    write(os.path.join(origin, "notes.txt"), "m\n")
    commit("m6")
    return origin


def scenario_diff_finds_the_base_in_a_shallow_clone_by_its_commits(root):
    origin = same_second_history(root)
    clone = os.path.join(root, "clone")
    git("clone", "-q", "--depth", "3", "--no-single-branch", "--branch", "feature", "file://" + origin, clone, cwd=root)
    done = aiops("scan", "--format", "json", "--fail-on", "medium", "--diff", "origin/main", cwd=clone)
    assert done.returncode == 1 and findings(done) == [("new.py", 2, "python.eval-used")], (done.stdout, done.stderr)
    assert aiops("scan", "--diff", "HEAD~1", cwd=clone).returncode == 0
    # The merge base is an edge commit of the clone (main's), the parent of the other
    # edge (feature's): present, though git's own walk stops at the edges.
    edge = os.path.join(root, "edge")
    git("clone", "-q", "--depth", "2", "--no-single-branch", "--branch", "feature", "file://" + origin, edge, cwd=root)
    done = aiops("scan", "--format", "json", "--fail-on", "medium", "--diff", "origin/main", cwd=edge)
    assert findings(done) == [("new.py", 2, "python.eval-used")], (done.stdout, done.stderr)


def hinted_command(stderr):
    start = stderr.index("'git fetch") + 1
    return stderr[start:stderr.index("'", start)].split()


def scenario_diff_fetch_hints_work_as_given(root):
    origin = same_second_history(root)
    single = os.path.join(root, "single")
    git("clone", "-q", "--depth", "1", "--branch", "feature", "file://" + origin, single, cwd=root)
    refused = aiops("scan", "--diff", "origin/main", cwd=single)
    assert refused.returncode == 2, (refused.returncode, refused.stderr)
    command = hinted_command(refused.stderr)
    assert command == ["git", "fetch", "--deepen=100", "origin", "main:refs/remotes/origin/main"], refused.stderr
    git(*command[1:], cwd=single)
    done = aiops("scan", "--format", "json", "--fail-on", "medium", "--diff", "origin/main", cwd=single)
    assert findings(done) == [("new.py", 2, "python.eval-used")], (done.stdout, done.stderr)
    # A revision expression is not turned into a refspec.
    again = os.path.join(root, "again")
    git("clone", "-q", "--depth", "1", "--branch", "feature", "file://" + origin, again, cwd=root)
    refused = aiops("scan", "--diff", "HEAD~1", cwd=again)
    assert refused.returncode == 2, refused.stderr
    command = hinted_command(refused.stderr)
    assert command == ["git", "fetch", "--deepen=100", "origin"], refused.stderr
    git(*command[1:], cwd=again)
    assert aiops("scan", "--diff", "HEAD~1", cwd=again).returncode == 0
    for ref in ("main..feature", "-x"):
        odd = aiops("scan", f"--diff={ref}", cwd=again)
        assert odd.returncode == 2 and "git fetch" not in odd.stderr, odd.stderr
    assert "--diff takes the base alone" in aiops("scan", "--diff=main..feature", cwd=again).stderr
    unborn = os.path.join(root, "unborn")
    os.makedirs(unborn)
    git("init", "-q", cwd=unborn)
    done = aiops("scan", "--diff", "HEAD", cwd=unborn)
    assert done.returncode == 2 and "HEAD is not a commit yet" in done.stderr and "fetch" not in done.stderr, \
        done.stderr


def scenario_conflicting_flags_are_refused(root):
    repository(root)
    for flags, words in ((["--diff", "main", "--history"], "--history scans committed versions, --diff"),
                         (["--staged", "--history"], "--history scans committed versions, --staged"),
                         (["--staged", "--no-git"], "--staged reads the git index, which --no-git")):
        for command in ("scan", "validate"):
            if command == "validate" and "--history" in flags:
                continue  # validate has no --history
            done = aiops(command, *flags, cwd=root)
            assert done.returncode == 2 and words in done.stderr, (command, flags, done.returncode, done.stderr)


def with_broken_libgit2(root):
    """The environment of aiops runs with a file that is no shared library first on the
    library path, under the soname the binary loads libgit2 by, and the glibc loader
    logging the files it opens to root/loader.PID."""
    broken = os.path.join(root, "broken-libs")
    write(os.path.join(broken, ARGS.libgit2), "not a shared library\n")
    env = environment(root)
    env.update({"LD_LIBRARY_PATH": broken, "LD_DEBUG": "files",
                "LD_DEBUG_OUTPUT": os.path.join(root, "loader")})
    return env


def loader_opened(root):
    """The names of the files the loader was asked for, from every loader.PID log."""
    names = set()
    for name in os.listdir(root):
        if name.startswith("loader."):
            with open(os.path.join(root, name), encoding="utf-8", errors="replace") as log:
                names.update(re.findall(r"file=(\S+)", log.read()))
            os.remove(os.path.join(root, name))
    return names


def scenario_a_broken_libgit2_fails_only_the_runs_that_read_git(root):
    env = with_broken_libgit2(root)
    # A tree outside any repository, scanned with --no-git from a named root, reads no
    # git: libgit2 is never even looked for, and the findings are those of a normal run.
    tree = os.path.join(root, "tree")
    write(os.path.join(tree, "src", "old.py"), OLD)
    write(os.path.join(tree, "src", "clean.py"), CLEAN)
    scan = ["scan", "--no-git", "--root", tree, "--format", "json", "--fail-on", "none", tree]
    expected = findings(aiops(*scan, cwd=root))
    assert expected and ("src/old.py", 5, "python.pickle-deserialization") in expected, expected
    loader_opened(root)
    done = subprocess.run([ARGS.aiops, *scan], cwd=root, env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert findings(done) == expected, done.stdout
    assert done.stderr == "", done.stderr
    opened = loader_opened(root)
    assert any(name.startswith("libfmt.so") for name in opened), opened  # the log is read
    assert not any("libgit2" in name for name in opened), opened

    # A run that needs git fails as other git failures do (exit 3), naming the file, what
    # the loader said and the package to install, and writes no report.
    repo = os.path.join(root, "repo")
    os.makedirs(repo)
    repository(repo)
    package = "libgit2-" + ARGS.libgit2[len("libgit2.so."):]
    cannot_load = f"aiops: error: git: cannot load libgit2 from '{ARGS.libgit2}' ("
    for flags in (["--history"], ["--diff", "main"], ["--staged"]):
        report = os.path.join(root, "report.json")
        done = subprocess.run([ARGS.aiops, "scan", *flags, "--format", "json", "--json", report, "src"],
                              cwd=repo, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              timeout=120)
        assert done.returncode == 3, (flags, done.returncode, done.stdout, done.stderr)
        assert cannot_load in done.stderr, (flags, done.stderr)
        assert f"{os.path.join(root, 'broken-libs', ARGS.libgit2)}: " in done.stderr, (flags, done.stderr)
        assert f"install the Debian package '{package}'" in done.stderr, (flags, done.stderr)
        assert done.stdout == "" and not os.path.exists(report), (flags, done.stdout)
        assert any("libgit2" in name for name in loader_opened(root)), flags

    # A plain scan inside the repository lists the files without git, as when git cannot
    # read the repository, and says why.
    done = subprocess.run([ARGS.aiops, "scan", "--format", "json", "--fail-on", "none", "src"], cwd=repo,
                          env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert ("src/old.py", 5, "python.pickle-deserialization") in findings(done), done.stdout
    assert f"aiops: warning: git: cannot load libgit2 from '{ARGS.libgit2}'" in done.stderr, done.stderr
    assert "listing the folder's files without git" in done.stderr, done.stderr
    # Without --root, the root would be the repository's top folder: the working folder
    # taken instead is said too.
    assert "; the root is the working folder" in done.stderr, done.stderr


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--libgit2", required=True, help="the soname the binary loads libgit2 by")
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    ARGS.project = os.path.abspath(ARGS.project)
    return run_scenarios(globals(), "aiops-git-scenario-")


if __name__ == "__main__":
    sys.exit(main())
