#!/usr/bin/env python3
"""End-to-end scenarios of `aiops prompt` over git repositories built for each one: renames,
deletions, a long history, a shallow clone, a detached HEAD, uncommitted changes, another
user's repository, a folder outside git, and lock and verify.
Prints one line per scenario and closes with 'N passed, N failed'."""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from scenario_runner import run_scenarios, write

ARGS = None
IDENTITY = {"GIT_AUTHOR_NAME": "Ada Tester", "GIT_AUTHOR_EMAIL": "ada@example.invalid",
            "GIT_COMMITTER_NAME": "Ada Tester", "GIT_COMMITTER_EMAIL": "ada@example.invalid"}


def clean_env(root, identity=True):
    """An environment that reads no machine-wide or personal git configuration."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIOPS_", "GIT_")) and k not in ("HOME", "XDG_CONFIG_HOME")}
    home = os.path.join(root, ".home")
    os.makedirs(home, exist_ok=True)
    env.update({"HOME": home, "XDG_CONFIG_HOME": home, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"})
    if identity:
        env.update(IDENTITY)
    return env


def git(*arguments, cwd, root=None, stdin=None):
    result = subprocess.run(["git", "-c", "init.defaultBranch=main", *arguments], cwd=cwd,
                            env=clean_env(root or cwd), capture_output=True, text=True, input=stdin,
                            timeout=120)
    assert result.returncode == 0, f"git {' '.join(arguments)}: {result.stderr}"
    return result.stdout


def aiops(*arguments, cwd, root=None, identity=True):
    return subprocess.run([ARGS.aiops, "prompt", *arguments], cwd=cwd,
                          env=clean_env(root or cwd, identity), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


def aiops_json(*arguments, cwd, root=None, expected=0):
    result = aiops(*arguments, "--json", cwd=cwd, root=root)
    assert result.returncode == expected, (result.returncode, result.stdout, result.stderr)
    return json.loads(result.stdout)


def prompt_text(name, greeting, extra=""):
    return (f"name: {name}\nvariables:\n  - {{name: who, required: true}}\n{extra}"
            f"messages:\n  - role: user\n    template: \"{greeting} {{{{who}}}}\"\n")


def commit_all(repo, message, root=None):
    git("add", "-A", ".", cwd=repo, root=root)
    git("commit", "-q", "-m", message, cwd=repo, root=root)


def new_repo(root, name="repo"):
    repo = os.path.join(root, name)
    os.makedirs(repo)
    git("init", "-q", ".", cwd=repo, root=root)
    return repo


def three_versions(root):
    """A repository where prompt 'greet' has three versions."""
    repo = new_repo(root)
    for greeting in ("Hi", "Hello", "Good day"):
        write(os.path.join(repo, "prompts/greet.prompt.yaml"), prompt_text("greet", greeting))
        commit_all(repo, f"greet: {greeting}", root)
    return repo


def scenario_renamed_prompt_keeps_its_versions(root):
    repo = new_repo(root)
    write(os.path.join(repo, "prompts/old.prompt.yaml"), prompt_text("old", "Hi"))
    commit_all(repo, "add old", root)
    write(os.path.join(repo, "prompts/old.prompt.yaml"), prompt_text("old", "Hello"))
    commit_all(repo, "edit old", root)
    os.makedirs(os.path.join(repo, "prompts/team"))
    git("mv", "prompts/old.prompt.yaml", "prompts/team/new.prompt.yaml", cwd=repo, root=root)
    write(os.path.join(repo, "prompts/team/new.prompt.yaml"), prompt_text("team/new", "Hello"))
    commit_all(repo, "move old to team/new", root)
    history = aiops_json("versions", "team/new", cwd=repo, root=root)
    assert [v["version"] for v in history["versions"]] == [1, 2, 3], history
    assert [v["change"] for v in history["versions"]] == ["added", "modified", "renamed"]
    assert history["versions"][2]["previous_path"] == "prompts/old.prompt.yaml"
    assert history["versions"][0]["author"] == "Ada Tester"
    assert history["versions"][0]["subject"] == "add old"
    text = aiops("versions", "team/new", cwd=repo, root=root).stdout
    assert "(renamed from prompts/old.prompt.yaml)" in text, text
    first = aiops_json("show", "team/new@1", cwd=repo, root=root)
    assert first["prompt"]["name"] == "old" and first["version"] == 1
    diff = aiops("diff", "team/new@2", "team/new@3", cwd=repo, root=root)
    assert diff.returncode == 0 and 'name: "old" -> "team/new"' in diff.stdout, diff.stdout
    # Under its old name the move is a rename, not a deletion.
    old = aiops_json("versions", "old", cwd=repo, root=root)
    assert old["versions"][-1]["renamed_to"] == "prompts/team/new.prompt.yaml", old
    text = aiops("versions", "old", cwd=repo, root=root).stdout
    assert "move old to team/new (renamed to prompts/team/new.prompt.yaml)" in text, text
    assert "(deleted)" not in text, text


def commit_dated(repo, message, date, root):
    git("add", "-A", ".", cwd=repo, root=root)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, check=True, timeout=120,
                   env={**clean_env(root), "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})


def scenario_merge_never_renumbers_versions(root):
    # main: v1, then two edits; a branch from v1 edits it once, dated between v1 and
    # main's edits; the merge resolves the conflict. Numbers given before the merge stay.
    repo = new_repo(root)
    path = os.path.join(repo, "prompts/p.prompt.yaml")
    write(path, prompt_text("p", "base"))
    commit_dated(repo, "c1", "2025-01-01T00:00:00Z", root)
    git("checkout", "-q", "-b", "feature", cwd=repo, root=root)
    write(path, prompt_text("p", "feat"))
    commit_dated(repo, "f1", "2025-01-02T00:00:00Z", root)
    git("checkout", "-q", "main", cwd=repo, root=root)
    for greeting, message, day in (("mainv", "m1", 3), ("mainv2", "m2", 4)):
        write(path, prompt_text("p", greeting))
        commit_dated(repo, message, f"2025-01-0{day}T00:00:00Z", root)
    before = aiops_json("render", "p@2", "--var", "who=x", cwd=repo, root=root)
    assert before["messages"][0]["content"] == "mainv x", before
    subprocess.run(["git", "merge", "-q", "feature", "-m", "merge"], cwd=repo, env=clean_env(root),
                   capture_output=True, timeout=120)
    write(path, prompt_text("p", "resolved"))
    commit_dated(repo, "resolve", "2025-01-05T00:00:00Z", root)
    after = aiops_json("render", "p@2", "--var", "who=x", cwd=repo, root=root)
    assert after["messages"][0]["content"] == "mainv x", after
    history = aiops_json("versions", "p", cwd=repo, root=root)
    rows = [(v["subject"], v["version"], v["first_parent"]) for v in history["versions"]]
    assert rows == [("c1", 1, True), ("f1", None, False), ("m1", 2, True), ("m2", 3, True),
                    ("resolve", 4, True)], rows
    text = aiops("versions", "p", cwd=repo, root=root).stdout
    assert "f1 (on a merged branch)" in text and "counted along HEAD's first-parent chain" in text, text
    branch = history["versions"][1]["commit"]
    shown = aiops_json("show", f"p@commit:{branch[:10]}", cwd=repo, root=root)
    assert "feat {{who}}" in shown["text"] and shown["version"] is None, shown
    # A merge that brings the branch's change as it is, with no edit, is one version too.
    repo2 = three_versions(os.path.join(root, "second"))
    git("checkout", "-q", "-b", "topic", cwd=repo2, root=root)
    write(os.path.join(repo2, "prompts/greet.prompt.yaml"), prompt_text("greet", "Hey"))
    commit_all(repo2, "greet: Hey, on a branch", root)
    git("checkout", "-q", "main", cwd=repo2, root=root)
    write(os.path.join(repo2, "README"), "main moves on\n")
    commit_all(repo2, "unrelated work on main", root)
    git("merge", "-q", "--no-ff", "-m", "merge topic", "topic", cwd=repo2, root=root)
    merged = aiops_json("versions", "greet", cwd=repo2, root=root)
    rows = [(v["subject"], v["version"]) for v in merged["versions"]]
    assert rows == [("greet: Hi", 1), ("greet: Hello", 2), ("greet: Good day", 3),
                    ("greet: Hey, on a branch", None), ("merge topic", 4)], rows
    assert aiops_json("list", cwd=repo2, root=root)["prompts"][0]["state"] == "v4"


def scenario_commit_texts_are_utf8_and_dated_by_author(root):
    repo = new_repo(root)
    write(os.path.join(repo, "prompts/p.prompt.yaml"), prompt_text("p", "Hi"))
    git("add", "-A", ".", cwd=repo, root=root)
    # A message in Latin-1 with its encoding header, as i18n.commitEncoding writes it,
    # authored long before it was committed.
    with open(os.path.join(root, "message"), "wb") as handle:
        handle.write(b"Caf\xe9 subject latin1\n")
    env = {**clean_env(root), "GIT_AUTHOR_DATE": "2020-02-02T10:00:00+0100",
           "GIT_COMMITTER_DATE": "2025-05-05T10:00:00+0000"}
    subprocess.run(["git", "-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-F",
                    os.path.join(root, "message")], cwd=repo, env=env, check=True, timeout=120)
    # A message whose bytes are not UTF-8 and that names no encoding, which git commit
    # would not write, so the commit object is written as it is.
    write(os.path.join(repo, "prompts/p.prompt.yaml"), prompt_text("p", "Hello"))
    git("add", "-A", ".", cwd=repo, root=root)
    tree = git("write-tree", cwd=repo, root=root).strip()
    parent = git("rev-parse", "HEAD", cwd=repo, root=root).strip()
    raw = (f"tree {tree}\nparent {parent}\nauthor Ada Tester <ada@example.invalid> 1700000000 +0000\n"
           f"committer Ada Tester <ada@example.invalid> 1700000000 +0000\n\n").encode() + b"bad \xff\xfe bytes\n"
    made = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=repo, input=raw,
                          env=clean_env(root), capture_output=True, check=True, timeout=120)
    git("update-ref", "HEAD", made.stdout.decode().strip(), cwd=repo, root=root)
    result = aiops("versions", "p", "--json", cwd=repo, root=root)
    assert result.returncode == 0, (result.returncode, result.stderr)
    versions = json.loads(result.stdout)["versions"]
    assert versions[0]["subject"] == "Caf\u00e9 subject latin1", versions[0]
    assert versions[0]["date"] == "2020-02-02T10:00:00+01:00", versions[0]
    assert versions[1]["subject"] == "bad \ufffd\ufffd bytes", versions[1]
    text = aiops("versions", "p", cwd=repo, root=root).stdout
    assert "2020-02-02 Ada Tester       sha256:" in text and "Caf\u00e9 subject latin1" in text, text


def scenario_deleted_prompt_is_still_in_history(root):
    repo = three_versions(root)
    os.remove(os.path.join(repo, "prompts/greet.prompt.yaml"))
    write(os.path.join(repo, "prompts/other.prompt.yaml"), prompt_text("other", "Yo"))
    commit_all(repo, "drop greet", root)
    history = aiops_json("versions", "greet", cwd=repo, root=root)
    assert [v["change"] for v in history["versions"]][-1] == "deleted", history
    assert [v["version"] for v in history["versions"]] == [1, 2, 3, None]
    assert history["working"] is None
    assert aiops_json("show", "greet@2", cwd=repo, root=root)["text"].count("Hello") == 1
    names = [p["name"] for p in aiops_json("list", cwd=repo, root=root)["prompts"]]
    assert names == ["other"], names
    gone = aiops("show", "greet", cwd=repo, root=root)
    assert gone.returncode == 2 and "no prompt 'greet'" in gone.stderr, gone.stderr


def fast_import_history(repo, commits):
    """Writes `commits` commits in one git fast-import: the prompt changes in every other
    one, a README in the rest, and the prompt is renamed half way."""
    lines = []
    for index in range(commits):
        stamp = 1700000000 + index * 60
        lines.append("commit refs/heads/main")
        lines.append(f"committer Ada Tester <ada@example.invalid> {stamp} +0000")
        message = f"commit {index}"
        lines.append(f"data {len(message)}\n{message}")
        half = commits // 2
        name = "long" if index >= half else "early"
        if index == half:
            lines.append("D prompts/early.prompt.yaml")
        if index % 2 == 0 or index == half:
            body = prompt_text(name, f"Greeting number {index}")
            lines.append(f"M 100644 inline prompts/{name}.prompt.yaml")
            lines.append(f"data {len(body.encode())}\n{body}")
        else:
            body = f"readme {index}\n"
            lines.append("M 100644 inline README")
            lines.append(f"data {len(body)}\n{body}")
        lines.append("")
    git("fast-import", "--quiet", cwd=repo, stdin="\n".join(lines) + "\n")
    git("checkout", "-q", "-f", "main", cwd=repo)


def scenario_thousand_commits_list_fast(root):
    repo = new_repo(root)
    fast_import_history(repo, 1000)
    started = time.monotonic()
    result = aiops("versions", "long", "--json", cwd=repo, root=root)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    history = json.loads(result.stdout)
    versions = history["versions"]
    # 500 edits on even commits, plus the rename commit (500, itself even).
    assert len(versions) == 500, len(versions)
    assert versions[0]["version"] == 1 and versions[-1]["version"] == 500
    assert versions[250]["change"] == "renamed", versions[250]
    assert versions[-1]["subject"] == "commit 998"
    print(f"     versions over 1,000 commits: {len(versions)} versions in {elapsed:.3f} s")
    assert elapsed < 1.0, f"listing took {elapsed:.3f} s"
    first = aiops_json("show", "long@1", cwd=repo, root=root)
    assert "Greeting number 0" in first["text"], first


def fast_import_many_prompts(repo, prompts, commits):
    """Writes `commits` commits in one git fast-import, each changing one of `prompts`
    prompts in turn."""
    lines = []
    for index in range(commits):
        lines.append("commit refs/heads/main")
        lines.append(f"committer Ada Tester <ada@example.invalid> {1700000000 + index * 60} +0000")
        message = f"commit {index}"
        lines.append(f"data {len(message)}\n{message}")
        name = f"team/p{index % prompts:03}"
        body = prompt_text(name, f"Greeting number {index}")
        lines.append(f"M 100644 inline prompts/{name}.prompt.yaml")
        lines.append(f"data {len(body.encode())}\n{body}")
        lines.append("")
    git("fast-import", "--quiet", cwd=repo, stdin="\n".join(lines) + "\n")
    git("checkout", "-q", "-f", "main", cwd=repo)


def history_walks(*arguments, cwd, root):
    """How many history walks a run makes, from its debug log, and the run."""
    result = subprocess.run([ARGS.aiops, "-vv", "prompt", *arguments], cwd=cwd, env=clean_env(root),
                            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    return result.stderr.count("debug: git: history of"), result


def scenario_many_prompts_are_read_in_one_walk(root):
    repo = new_repo(root)
    fast_import_many_prompts(repo, 50, 1500)
    walks, verified = history_walks("verify", cwd=repo, root=root)
    assert verified.returncode == 2 and walks == 0, (walks, verified.stderr[-300:])
    started = time.monotonic()
    walks, locked = history_walks("lock", cwd=repo, root=root)
    elapsed = time.monotonic() - started
    assert locked.returncode == 0 and walks == 1, (walks, locked.stderr[-300:])
    assert "debug: git: history of 50 files" in locked.stderr, locked.stderr[-300:]
    print(f"     lock of 50 prompts over 1,500 commits: {elapsed:.3f} s")
    assert elapsed < 5.0, f"lock took {elapsed:.3f} s"
    lock = json.loads(read_text(os.path.join(repo, "prompts.lock")))
    assert {e["version"] for e in lock["prompts"].values()} == {30}, lock
    # verify compares hashes only: it reads no history at all.
    walks, verified = history_walks("verify", cwd=repo, root=root)
    assert verified.returncode == 0 and walks == 0, (walks, verified.stderr[-300:])
    walks, listed = history_walks("list", "--json", cwd=repo, root=root)
    assert listed.returncode == 0 and walks == 1, (walks, listed.stderr[-300:])
    assert {p["state"] for p in json.loads(listed.stdout)["prompts"]} == {"v30"}


def scenario_interrupt_stops_every_subcommand(root):
    # Ctrl-C during a long walk stops the run with 130 and leaves the old lock alone.
    repo = new_repo(root)
    fast_import_many_prompts(repo, 100, 6000)
    assert aiops("lock", cwd=repo, root=root).returncode == 0
    lock_path = os.path.join(repo, "prompts.lock")
    os.remove(os.path.join(repo, "prompts/team/p000.prompt.yaml"))
    before = read_text(lock_path)
    for action in ("lock", "list"):
        child = subprocess.Popen([ARGS.aiops, "prompt", action], cwd=repo, env=clean_env(root),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.2)
        child.send_signal(signal.SIGINT)
        started = time.monotonic()
        _, stderr = child.communicate(timeout=60)
        assert child.returncode == 130, (action, child.returncode, stderr)
        assert "interrupted" in stderr, stderr
        assert time.monotonic() - started < 2.0, "the run went on after the interrupt"
    assert read_text(lock_path) == before, "an interrupted lock changed prompts.lock"


def scenario_shallow_clone_does_not_number_wrongly(root):
    origin = three_versions(root)
    clone = os.path.join(root, "clone")
    git("clone", "-q", "--depth", "2", f"file://{origin}", clone, cwd=root, root=root)
    history = aiops_json("versions", "greet", cwd=clone, root=root)
    assert history["history"] == "shallow" and history["numbered"] is False, history
    assert [v["version"] for v in history["versions"]] == [None, None], history
    assert history["versions"][0]["change"] == "as-of-shallow-edge"
    assert "git fetch --unshallow" in history["note"]
    text = aiops("versions", "greet", cwd=clone, root=root).stdout
    assert "git fetch --unshallow" in text and "v1" not in text, text
    numbered = aiops("show", "greet@1", cwd=clone, root=root)
    assert numbered.returncode == 2, numbered.returncode
    assert "git fetch --unshallow" in numbered.stderr, numbered.stderr
    commit = history["versions"][1]["commit"][:8]
    shown = aiops_json("show", f"greet@{commit}", cwd=clone, root=root)
    assert "Good day" in shown["text"] and shown["version"] is None
    listed = aiops_json("list", cwd=clone, root=root)["prompts"][0]
    assert listed["version"] is None and listed["uncommitted_changes"] is False, listed
    # After fetching the rest, the same commit is v3.
    git("fetch", "-q", "--unshallow", cwd=clone, root=root)
    full = aiops_json("versions", "greet", cwd=clone, root=root)
    assert [v["version"] for v in full["versions"]] == [1, 2, 3], full


def scenario_lock_verify_then_refuse_after_one_edit(root):
    repo = three_versions(root)
    write(os.path.join(repo, "prompts/codegen/module.prompt.yaml"), prompt_text("codegen/module", "Write"))
    commit_all(repo, "add codegen/module", root)
    locked = aiops("lock", cwd=repo, root=root)
    assert locked.returncode == 0, locked.stderr
    with open(os.path.join(repo, "prompts.lock")) as handle:
        lock_text = handle.read()
    lock = json.loads(lock_text)
    assert sorted(lock["prompts"]) == ["codegen/module", "greet"]
    head = git("rev-parse", "HEAD~1", cwd=repo, root=root).strip()
    assert lock["prompts"]["greet"] == {"commit": head, "hash": lock["prompts"]["greet"]["hash"],
                                        "version": 3}
    assert aiops("lock", cwd=repo, root=root).returncode == 0
    with open(os.path.join(repo, "prompts.lock")) as handle:
        assert handle.read() == lock_text, "lock is not deterministic"
    accepted = aiops("verify", cwd=repo, root=root)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "2 prompts match the lock" in accepted.stdout
    path = os.path.join(repo, "prompts/greet.prompt.yaml")
    with open(path) as handle:
        text = handle.read()
    write(path, text.replace("Good day", "Good evening"))
    refused = aiops("verify", cwd=repo, root=root)
    assert refused.returncode == 1, refused.returncode
    assert "changed  greet: locked sha256:" in refused.stdout, refused.stdout
    write(os.path.join(repo, "prompts/fresh.prompt.yaml"), prompt_text("fresh", "New"))
    os.remove(os.path.join(repo, "prompts/codegen/module.prompt.yaml"))
    report = aiops_json("verify", cwd=repo, root=root, expected=1)
    assert [(d["name"], d["change"]) for d in report["differences"]] == [
        ("codegen/module", "removed"), ("fresh", "added"), ("greet", "changed")], report
    # list shows the removed prompt too, as verify does.
    listed = {p["name"]: (p["state"], p["lock"]) for p in aiops_json("list", cwd=repo, root=root)["prompts"]}
    assert listed == {"codegen/module": ("removed", "removed"), "fresh": ("uncommitted", "not-locked"),
                      "greet": ("v3+changes", "changed")}, listed
    table = aiops("list", cwd=repo, root=root).stdout
    assert "codegen/module                   removed          -                     removed" in table, table
    # A reformatted file with the same content is the same prompt.
    write(path, text.replace("  - {name: who, required: true}", "  - name: who\n    required: true"))
    os.remove(os.path.join(repo, "prompts/fresh.prompt.yaml"))
    git("checkout", "-q", "--", "prompts/codegen/module.prompt.yaml", cwd=repo, root=root)
    assert aiops("verify", cwd=repo, root=root).returncode == 0


def read_text(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def scenario_lock_is_the_same_in_a_shallow_clone(root):
    origin = three_versions(root)
    write(os.path.join(origin, "prompts/other.prompt.yaml"), prompt_text("other", "Hey"))
    commit_all(origin, "add other", root)
    assert aiops("lock", cwd=origin, root=root).returncode == 0
    commit_all(origin, "lock", root)
    full_lock = read_text(os.path.join(origin, "prompts.lock"))
    versions = {name: entry["version"] for name, entry in json.loads(full_lock)["prompts"].items()}
    assert versions == {"greet": 3, "other": 1}, full_lock
    clone = os.path.join(root, "clone")
    git("clone", "-q", "--depth", "1", f"file://{origin}", clone, cwd=root, root=root)
    # With the lock committed, locking again in the clone writes the same bytes.
    relocked = aiops("lock", cwd=clone, root=root)
    assert relocked.returncode == 0, relocked.stderr
    assert read_text(os.path.join(clone, "prompts.lock")) == full_lock
    assert aiops("verify", cwd=clone, root=root).returncode == 0
    # Without it, the commits that made the prompts are not in the clone: lock refuses
    # and leaves no file rather than write one that a full clone would write otherwise.
    os.remove(os.path.join(clone, "prompts.lock"))
    refused = aiops("lock", cwd=clone, root=root)
    assert refused.returncode == 2, (refused.returncode, refused.stderr)
    assert ("aiops: error: prompt 'greet': its content is older than this shallow clone's "
            "oldest commit") in refused.stderr, refused.stderr
    assert "git fetch --unshallow" in refused.stderr
    assert not os.path.exists(os.path.join(clone, "prompts.lock"))
    # A prompt changed in the clone's own commits has a commit the clone knows, and its
    # version is counted from the lock's: the same lock as a full clone writes.
    path = os.path.join(clone, "prompts/other.prompt.yaml")
    write(path, prompt_text("other", "Hey there"))
    git("checkout", "-q", "--", "prompts.lock", cwd=clone, root=root)
    commit_all(clone, "edit other", root)
    assert aiops("lock", cwd=clone, root=root).returncode == 0
    lock = json.loads(read_text(os.path.join(clone, "prompts.lock")))
    assert lock["prompts"]["other"]["commit"] == git("rev-parse", "HEAD", cwd=clone, root=root).strip()
    assert lock["prompts"]["other"]["version"] == 2, lock
    assert lock["prompts"]["greet"] == json.loads(full_lock)["prompts"]["greet"], lock
    git("fetch", "-q", "--unshallow", cwd=clone, root=root)
    assert aiops("lock", cwd=clone, root=root).returncode == 0
    assert json.loads(read_text(os.path.join(clone, "prompts.lock"))) == lock
    # A lock without version numbers, as older versions wrote them, gives none to count
    # from: a shallow clone refuses rather than guess.
    older = json.loads(full_lock)
    for entry in older["prompts"].values():
        del entry["version"]
    write(os.path.join(origin, "prompts.lock"), json.dumps(older, indent=2) + "\n")
    commit_all(origin, "an older lock", root)
    clone2 = os.path.join(root, "clone2")
    git("clone", "-q", "--depth", "1", f"file://{origin}", clone2, cwd=root, root=root)
    assert aiops("verify", cwd=clone2, root=root).returncode == 0
    refused = aiops("lock", cwd=clone2, root=root)
    assert refused.returncode == 2 and "git fetch --unshallow" in refused.stderr, refused.stderr


def scenario_malformed_lock_is_placed(root):
    repo = three_versions(root)
    lock = os.path.join(repo, "prompts.lock")
    write(lock, '{"lock_version": 1,\n "prompts": {\n  "greet": {"hash": "sha256:FAKE"},\n'
                '  "greet": {"hash": "sha256:FAKE2"}}}\n')
    result = aiops("verify", cwd=repo, root=root)
    assert result.returncode == 2, result.returncode
    assert "prompts.lock:4:3: duplicate key 'greet' (first at line 3, column 3)" in result.stderr, result.stderr
    write(lock, '{"lock_version": 1,\n "prompts": {\n')
    result = aiops("list", cwd=repo, root=root)
    assert result.returncode == 2, result.returncode
    assert "prompts.lock:3:1: not a prompts.lock: invalid JSON: syntax error" in result.stderr, \
        result.stderr


def scenario_lock_is_read_strictly(root):
    repo = three_versions(root)
    assert aiops("lock", cwd=repo, root=root).returncode == 0
    lock_path = os.path.join(repo, "prompts.lock")
    good = json.loads(read_text(lock_path))
    entry = good["prompts"]["greet"]
    # Two hashes that agree in their first twelve digits are shown far enough to differ.
    near = entry["hash"][:7 + 14] + ("0" if entry["hash"][7 + 14] != "0" else "1") + entry["hash"][7 + 15:]
    for changed, expected in (({"extra": 1}, "unknown key 'extra' in prompt 'greet'"),
                              ({"hash": "md5:abc"}, "'hash' must be 'sha256:' and 64 lowercase hex digits"),
                              ({"commit": "zzz"}, "'commit' must be a full commit id"),
                              ({"version": -1}, "'version' must be a whole number above 0")):
        write(lock_path, json.dumps({"lock_version": 1, "prompts": {"greet": {**entry, **changed}}},
                                    indent=2) + "\n")
        result = aiops("verify", cwd=repo, root=root)
        assert result.returncode == 2, (changed, result.returncode, result.stdout)
        assert "prompts.lock:" in result.stderr and expected in result.stderr, result.stderr
    write(lock_path, json.dumps({"lock_version": 1, "prompts": {"../x": entry}}) + "\n")
    result = aiops("verify", cwd=repo, root=root)
    assert result.returncode == 2 and "'../x' is not a prompt name" in result.stderr, result.stderr
    write(lock_path, json.dumps({"lock_version": 1, "prompts": {"greet": {**entry, "hash": near}}}) + "\n")
    result = aiops("verify", cwd=repo, root=root)
    assert result.returncode == 1, result.stderr
    assert f"changed  greet: locked {near[:7 + 15]}, now {entry['hash'][:7 + 15]}" in result.stdout, \
        result.stdout


def scenario_verify_without_lock_is_a_usage_error(root):
    repo = three_versions(root)
    result = aiops("verify", cwd=repo, root=root)
    assert result.returncode == 2 and "run 'aiops prompt lock'" in result.stderr, result.stderr


def scenario_detached_head(root):
    repo = three_versions(root)
    git("checkout", "-q", "--detach", "HEAD~1", cwd=repo, root=root)
    history = aiops_json("versions", "greet", cwd=repo, root=root)
    assert history["head_detached"] is True
    assert [v["version"] for v in history["versions"]] == [1, 2], history
    assert history["working"]["differs_from_last_version"] is False


def scenario_uncommitted_changes_are_reported(root):
    repo = three_versions(root)
    path = os.path.join(repo, "prompts/greet.prompt.yaml")
    write(path, prompt_text("greet", "Howdy"))
    listed = aiops_json("list", cwd=repo, root=root)["prompts"][0]
    assert listed["state"] == "v3+changes" and listed["uncommitted_changes"] is True, listed
    text = aiops("versions", "greet", cwd=repo, root=root).stdout
    assert "differs from the last committed version" in text, text
    shown = aiops("show", "greet", cwd=repo, root=root).stdout
    assert "# version: working copy, not committed as it is" in shown, shown
    diff = aiops_json("diff", "greet@3", "greet@working", cwd=repo, root=root)
    assert diff["same"] is False and "+Howdy {{who}}" in diff["messages"][0]["diff"], diff


def scenario_another_users_repository(root):
    repo = three_versions(root)
    if os.geteuid() != 0:
        print("     (not root: the repository cannot be given to another user; checked the owner's view only)")
        assert aiops("list", cwd=repo, root=root).returncode == 0
        return
    os.chown(root, 0, 0)
    for folder, dirs, files in os.walk(repo):
        for name in dirs + files:
            os.lchown(os.path.join(folder, name), 65534, 65534)
    os.lchown(repo, 65534, 65534)
    result = aiops("list", cwd=repo, root=root)
    assert result.returncode == 3, (result.returncode, result.stderr)
    assert "belongs to another user" in result.stderr, result.stderr
    assert f"'git config --global --add safe.directory {repo}'" in result.stderr, result.stderr


def scenario_outside_git_only_the_working_copy(root):
    folder = os.path.join(root, "plain")
    write(os.path.join(folder, "prompts/greet.prompt.yaml"), prompt_text("greet", "Hi"))
    history = aiops_json("versions", "greet", cwd=folder, root=root)
    assert history["history"] == "no-git" and history["versions"] == [], history
    text = aiops("versions", "greet", cwd=folder, root=root).stdout
    assert "is not in a git repository: only the working copy exists" in text, text
    numbered = aiops("show", "greet@1", cwd=folder, root=root)
    assert numbered.returncode == 2 and "only the working copy exists" in numbered.stderr
    assert aiops_json("list", cwd=folder, root=root)["prompts"][0]["state"] == "working"
    assert aiops("lock", cwd=folder, root=root).returncode == 0
    assert aiops("verify", cwd=folder, root=root).returncode == 0


def scenario_registry_found_from_below_or_named(root):
    repo = three_versions(root)
    deep = os.path.join(repo, "src/deep")
    os.makedirs(deep)
    assert aiops_json("list", cwd=deep, root=root)["prompts"][0]["name"] == "greet"
    elsewhere = os.path.join(root, "elsewhere")
    os.makedirs(elsewhere)
    none = aiops("list", cwd=elsewhere, root=root)
    assert none.returncode == 2 and "no prompts/ folder" in none.stderr, none.stderr
    named = aiops("--registry", repo, "list", "--json", cwd=elsewhere, root=root)
    assert named.returncode == 0 and json.loads(named.stdout)["prompts"][0]["name"] == "greet"


def scenario_registry_without_prompts_folder_is_refused(root):
    folder = os.path.join(root, "not-a-registry")
    os.makedirs(folder)
    for action in ("list", "lock", "verify", "lint"):
        result = aiops("--registry", folder, action, cwd=root, root=root)
        assert result.returncode == 2, (action, result.returncode, result.stdout)
        assert f"the registry '{folder}' has no prompts/ folder" in result.stderr, result.stderr
    assert os.listdir(folder) == [], "a refused run wrote a file"
    draft = os.path.join(root, "draft.yaml")
    write(draft, prompt_text("greet", "Hi"))
    started = aiops("--registry", folder, "register", "greet", "--file", draft, cwd=root, root=root)
    assert started.returncode == 0, started.stderr
    assert os.path.isfile(os.path.join(folder, "prompts/greet.prompt.yaml"))


def scenario_register_and_commit(root):
    repo = new_repo(root)
    os.makedirs(os.path.join(repo, "prompts"))
    draft = os.path.join(root, "draft.yaml")
    write(draft, prompt_text("codegen/python-module", "Write"))
    git("config", "user.name", "Repo Owner", cwd=repo, root=root)
    git("config", "user.email", "owner@example.invalid", cwd=repo, root=root)
    result = aiops("register", "codegen/python-module", "--file", draft, "--commit", cwd=repo, root=root,
                   identity=False)
    assert result.returncode == 0, result.stderr
    assert "committed as" in result.stdout
    assert "note: git hooks (pre-commit, commit-msg) were not run and the commit is not signed" \
        in result.stdout, result.stdout
    log = git("log", "--format=%an|%s", cwd=repo, root=root).strip()
    assert log == "Repo Owner|prompt: register codegen/python-module", log
    with open(os.path.join(repo, "prompts/codegen/python-module.prompt.yaml")) as handle:
        assert handle.read() == prompt_text("codegen/python-module", "Write")
    assert git("status", "--porcelain", cwd=repo, root=root) == ""
    assert aiops_json("versions", "codegen/python-module", cwd=repo, root=root)["versions"][0]["version"] == 1
    commits = git("rev-list", "--count", "HEAD", cwd=repo, root=root)
    again = aiops("register", "codegen/python-module", "--file", draft, "--commit", cwd=repo, root=root,
                  identity=False)
    assert again.returncode == 0, again.stderr
    assert "nothing to commit: HEAD holds the file as it is" in again.stdout, again.stdout
    assert git("rev-list", "--count", "HEAD", cwd=repo, root=root) == commits, "an empty commit"
    absent = aiops("register", "codegen/python-module", "--file", "no-such.yaml", cwd=repo, root=root)
    assert absent.returncode == 2 and "--file 'no-such.yaml': no such file" in absent.stderr, absent.stderr
    absent = aiops("render", "codegen/python-module", "--vars", "no-such.yaml", cwd=repo, root=root)
    assert absent.returncode == 2 and "--vars 'no-such.yaml': no such file" in absent.stderr, absent.stderr
    wrong = aiops("register", "other", "--file", draft, cwd=repo, root=root)
    assert wrong.returncode == 2 and "by its path but says name" in wrong.stderr, wrong.stderr


def tree_state(repo, root):
    """What git sees of the work tree and index, and every file's bytes."""
    files = {}
    for folder, _, names in os.walk(repo):
        if ".git" in folder.split(os.sep):
            continue
        for name in names:
            files[os.path.relpath(os.path.join(folder, name), repo)] = read_text(os.path.join(folder, name))
    return git("status", "--porcelain", "--untracked-files=all", cwd=repo, root=root), files


def scenario_register_commit_without_identity_changes_nothing(root):
    repo = three_versions(root)
    draft = os.path.join(root, "draft.yaml")
    write(draft, prompt_text("greet", "Howdy"))
    write(os.path.join(repo, "prompts/fresh.prompt.yaml"), prompt_text("fresh", "New"))
    before = tree_state(repo, root)
    head = git("rev-parse", "HEAD", cwd=repo, root=root)
    empty_config = os.path.join(root, "empty.gitconfig")
    write(empty_config, "")
    env = clean_env(root, identity=False)
    env["GIT_CONFIG_GLOBAL"] = empty_config
    other_draft = os.path.join(root, "other.yaml")
    write(other_draft, prompt_text("codegen/new", "Write"))
    # One run would replace a committed prompt, the other add a new one.
    for name, source in (("greet", draft), ("codegen/new", other_draft)):
        result = subprocess.run([ARGS.aiops, "prompt", "register", name, "--file", source, "--commit"],
                                cwd=repo, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, (result.returncode, result.stderr)
        assert ("aiops: error: --commit: git: no identity to commit with: set user.name and "
                "user.email ('git config --global user.name \"Your Name\"'") in result.stderr, result.stderr
        assert "; nothing was written" in result.stderr, result.stderr
        assert tree_state(repo, root) == before, "a refused register changed the work tree"
        assert git("rev-parse", "HEAD", cwd=repo, root=root) == head


def scenario_register_commit_outside_git_changes_nothing(root):
    folder = os.path.join(root, "plain")
    os.makedirs(os.path.join(folder, "prompts"))
    draft = os.path.join(root, "draft.yaml")
    write(draft, prompt_text("greet", "Hi"))
    result = aiops("register", "greet", "--file", draft, "--commit", cwd=folder, root=root)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "is not in a git repository; nothing was written" in result.stderr, result.stderr
    assert os.listdir(os.path.join(folder, "prompts")) == []


def scenario_render_is_strict(root):
    repo = three_versions(root)
    write(os.path.join(repo, "values.yaml"), "who: world\n")
    rendered = aiops("render", "greet", "--vars", "values.yaml", cwd=repo, root=root)
    assert rendered.returncode == 0 and rendered.stdout == "[user]\nGood day world\n", rendered.stdout
    overridden = aiops_json("render", "greet@1", "--vars", "values.yaml", "--var", "who=you", cwd=repo, root=root)
    assert overridden["messages"] == [{"role": "user", "content": "Hi you"}], overridden
    assert overridden["version"] == 1
    # The prompt's name after --var is the name, not a second value.
    before = aiops_json("render", "--var", "who=you", "--var", "x=y", "greet@2", cwd=repo, root=root)
    assert before["messages"] == [{"role": "user", "content": "Hello you"}], before
    missing = aiops("render", "greet", cwd=repo, root=root)
    assert missing.returncode == 2 and "required variable 'who' has no value" in missing.stderr
    unknown = aiops("render", "greet", "--var", "who=x", "--var", "colour=red", cwd=repo, root=root)
    assert unknown.returncode == 0
    assert "aiops: warning: prompt 'greet' declares no variable 'colour'" in unknown.stderr, unknown.stderr
    bad = aiops("render", "greet", "--var", "novalue", cwd=repo, root=root)
    assert bad.returncode == 2 and "expected NAME=VALUE" in bad.stderr


def scenario_render_lists_objects_and_null(root):
    repo = new_repo(root)
    write(os.path.join(repo, "prompts/files.prompt.yaml"),
          "name: files\nvariables:\n  - {name: files}\n  - {name: owner}\n  - {name: note}\n"
          "messages:\n  - role: user\n    template: |\n"
          "      {{#owner}}Owner: {{name}}{{/owner}}\n"
          "      {{#files}}- {{path}} ({{lines}} lines)\n      {{/files}}{{^files}}no files\n"
          "      {{/files}}Note: {{note}}.\n")
    write(os.path.join(repo, "values.yaml"),
          "files:\n  - {path: a.py, lines: 3}\n  - {path: b.py, lines: 10}\nowner: {name: Ada}\n"
          "note: null\n")
    rendered = aiops("render", "files", "--vars", "values.yaml", cwd=repo, root=root)
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout == ("[user]\nOwner: Ada\n- a.py (3 lines)\n- b.py (10 lines)\n"
                               "Note: .\n"), rendered.stdout
    # A null value is no value; an optional variable without one inserts nothing.
    assert rendered.stderr == "", rendered.stderr
    write(os.path.join(repo, "nested.yaml"), "owner: {name: null}\n")
    nested = aiops("render", "files", "--vars", "nested.yaml", cwd=repo, root=root)
    assert nested.returncode == 0 and nested.stdout.startswith("[user]\nOwner: \n"), nested.stdout
    assert "aiops: warning: prompts/files.prompt.yaml:9:24: 'name' is null, so it renders as " \
           "empty text" in nested.stderr, nested.stderr
    inline = aiops("render", "files", "--vars", "{files: [], note: fine}", cwd=repo, root=root)
    assert inline.returncode == 0, inline.stderr
    assert inline.stdout == "[user]\n\nno files\nNote: fine.\n", inline.stdout
    # A list where text goes is an error at the tag, not an empty line.
    write(os.path.join(repo, "prompts/flat.prompt.yaml"),
          "name: flat\nvariables:\n  - {name: files}\nmessages:\n"
          "  - role: user\n    template: \"Files: {{files}}\"\n")
    flat = aiops("render", "flat", "--vars", "values.yaml", cwd=repo, root=root)
    assert flat.returncode == 2, (flat.returncode, flat.stdout)
    assert ("aiops: error: prompts/flat.prompt.yaml:6:23: 'files' is a list, which a variable tag "
            "cannot insert as text; iterate it with {{#files}}...{{/files}}") in flat.stderr, flat.stderr
    assert flat.stdout == ""


def scenario_render_refuses_keys_given_twice(root):
    repo = three_versions(root)
    write(os.path.join(repo, "values.yaml"), "who: world\nwho: moon\n")
    twice = aiops("render", "greet", "--vars", "values.yaml", cwd=repo, root=root)
    assert twice.returncode == 2, twice.returncode
    assert "aiops: error: values.yaml:2:1: duplicate key 'who' (first at line 1, column 1)" in twice.stderr, \
        twice.stderr
    write(os.path.join(repo, "values.json"), '{"who": {"a": 1,\n  "a": 2}}')
    nested = aiops("render", "greet", "--vars", "values.json", cwd=repo, root=root)
    assert nested.returncode == 2
    assert "values.json:2:3: duplicate key 'a' (first at line 1, column 10)" in nested.stderr, nested.stderr
    inline = aiops("render", "greet", "--vars", '{"who": "a", "who": "b"}', cwd=repo, root=root)
    assert inline.returncode == 2
    assert "aiops: error: --vars:1:14: duplicate key 'who' (first at line 1, column 2)" in inline.stderr, \
        inline.stderr


def scenario_bad_bytes_and_numbers_are_input_errors(root):
    repo = three_versions(root)
    assert aiops("lock", cwd=repo, root=root).returncode == 0
    bad = b'name: badutf8\nmessages:\n  - {role: user, template: "hi \xff\xfe"}\n'
    write(os.path.join(repo, "prompts/badutf8.prompt.yaml"), bad)
    for arguments in (("show", "badutf8"), ("show", "badutf8", "--json"), ("list",), ("lint",),
                      ("verify",), ("lock",)):
        result = aiops(*arguments, cwd=repo, root=root)
        assert result.returncode == 2, (arguments, result.returncode, result.stderr)
        assert "prompts/badutf8.prompt.yaml:3:32: invalid UTF-8 (byte 0xFF)" in result.stderr, result.stderr
    # Committed, it is a version that does not load; the history still lists it.
    commit_all(repo, "a file that is not UTF-8", root)
    write(os.path.join(repo, "prompts/badutf8.prompt.yaml"), prompt_text("badutf8", "Hi"))
    history = aiops_json("versions", "badutf8", cwd=repo, root=root)
    assert "invalid UTF-8" in history["versions"][0]["problem"], history
    os.remove(os.path.join(repo, "prompts/badutf8.prompt.yaml"))
    # Values: numbers as written, a number out of range, bytes that are not UTF-8.
    write(os.path.join(repo, "prompts/n.prompt.yaml"),
          "name: n\nvariables:\n  - {name: n}\n  - {name: m}\n  - {name: k}\nmessages:\n"
          "  - {role: user, template: \"[{{n}}] [{{m}}] [{{k}}]\"}\n")
    write(os.path.join(repo, "v.json"), '{"n": 12345678901234567890123, "m": 1e400, "k": 0.1}')
    result = aiops("render", "n", "--vars", "v.json", cwd=repo, root=root)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "aiops: error: v.json:1:37: number out of range: '1e400'" in result.stderr, result.stderr
    write(os.path.join(repo, "v.yaml"), "n: 3.10\nm: 1e3\nk: 18446744073709551616\n")
    result = aiops("render", "n", "--vars", "v.yaml", cwd=repo, root=root)
    assert result.stdout == "[user]\n[3.10] [1e3] [18446744073709551616]\n", result.stdout
    write(os.path.join(repo, "v2.json"), '{"n": 12345678901234567890123, "m": 1.0, "k": 3.10}')
    result = aiops("render", "n", "--vars", "v2.json", cwd=repo, root=root)
    assert result.stdout == "[user]\n[12345678901234567890123] [1.0] [3.10]\n", result.stdout
    write(os.path.join(repo, "bad.yaml"), b"n: \"\xff\"\n")
    result = aiops("render", "n", "--vars", "bad.yaml", cwd=repo, root=root)
    assert result.returncode == 2 and "bad.yaml:1:5: invalid UTF-8" in result.stderr, result.stderr
    result = subprocess.run([ARGS.aiops, "prompt", "render", "n", "--json", b"--var=n=\xff"], cwd=repo,
                            env=clean_env(root), capture_output=True, timeout=120)
    assert result.returncode == 2 and b"--var 'n': the value is not valid UTF-8" in result.stderr, result
    twice = aiops("render", "n", "--var", "n=x", "--var", "n=y", cwd=repo, root=root)
    assert twice.returncode == 2 and "--var 'n' is given twice" in twice.stderr, twice.stderr


def digit_commit(repo, root):
    """Adds empty commits until HEAD's id starts with seven decimal digits; returns them."""
    for attempt in range(2000):
        commit = git("commit-tree", "HEAD^{tree}", "-p", "HEAD", "-m", f"empty {attempt}",
                     cwd=repo, root=root).strip()
        if commit[:7].isdigit():
            git("update-ref", "HEAD", commit, cwd=repo, root=root)
            return commit[:7]
    raise AssertionError("no commit id starting with seven digits in 2000 tries")


def scenario_references_name_git_revisions(root):
    repo = three_versions(root)
    write(os.path.join(repo, "prompts/greet.prompt.yaml"), prompt_text("greet", "Welcome"))
    git("add", "-A", ".", cwd=repo, root=root)
    git("commit", "-q", "-m", "welcome", "--author", "Bartholomew Longname-Smythe <b@example.invalid>",
        cwd=repo, root=root)
    table = aiops("versions", "greet", cwd=repo, root=root).stdout.splitlines()
    assert table[4].split()[3:5] == ["Bartholomew", "Lon\u2026"], table
    assert table[4].index("sha256:") == table[1].index("sha256:"), table
    git("reset", "-q", "--hard", "HEAD~1", cwd=repo, root=root)
    for revision, greeting in (("HEAD", "Good day"), ("HEAD~1", "Hello"), ("main", "Good day"),
                               ("commit:HEAD~2", "Hi"), ("main~2", "Hi")):
        shown = aiops_json("show", f"greet@{revision}", cwd=repo, root=root)
        assert f"{greeting} {{{{who}}}}" in shown["text"], (revision, shown["text"])
    assert aiops_json("show", "greet@HEAD~1", cwd=repo, root=root)["version"] == 2
    diff = aiops("diff", "greet@HEAD~2", "greet@main", cwd=repo, root=root)
    assert diff.returncode == 0 and "-Hi {{who}}\n+Good day {{who}}\n" in diff.stdout, diff.stdout
    unknown = aiops("show", "greet@no-such-branch", cwd=repo, root=root)
    assert unknown.returncode == 2, unknown.returncode
    assert ("'greet@no-such-branch': 'no-such-branch' is not a version: use a number (3 or v3), "
            "'working', 'sha256:PREFIX' or a git revision") in unknown.stderr, unknown.stderr
    missing = aiops("show", "greet@7", cwd=repo, root=root)
    assert missing.returncode == 2
    assert "'greet@7': prompt 'greet' has versions v1 to v3 (see" in missing.stderr, missing.stderr


def scenario_digits_are_always_a_version(root):
    repo = three_versions(root)
    v1 = git("rev-parse", "HEAD~2", cwd=repo, root=root).strip()
    v3 = git("rev-parse", "HEAD", cwd=repo, root=root).strip()
    # Tags that read like version numbers, on other commits than those versions: the
    # number is still the version; the tag is reached with commit:.
    git("tag", "2", "HEAD", cwd=repo, root=root)
    git("tag", "v1", v3, cwd=repo, root=root)
    git("tag", "1", v3, cwd=repo, root=root)
    assert "Hello" in aiops_json("show", "greet@2", cwd=repo, root=root)["text"]
    for reference in ("greet@1", "greet@v1"):
        shown = aiops_json("show", reference, cwd=repo, root=root)
        assert shown["version"] == 1 and shown["commit"] == v1, (reference, shown)
    assert "Good day" in aiops_json("show", "greet@commit:2", cwd=repo, root=root)["text"]
    assert aiops_json("show", "greet@commit:v1", cwd=repo, root=root)["commit"] == v3
    # A number that is no version, where a tag of that name exists, says how to reach it.
    git("tag", "v7", v1, cwd=repo, root=root)
    missing = aiops("show", "greet@v7", cwd=repo, root=root)
    assert missing.returncode == 2, missing.returncode
    assert ("'greet@v7': prompt 'greet' has versions v1 to v3 (see 'aiops prompt versions greet'); "
            "'v7' also names a git revision, which is 'greet@commit:v7'") in missing.stderr, missing.stderr
    # Six digits are a version number; seven or more a commit.
    digits = digit_commit(repo, root)
    six = aiops("show", f"greet@{digits[:6]}", cwd=repo, root=root)
    assert six.returncode == 2 and f"'greet@commit:{digits[:6]}'" in six.stderr, six.stderr
    shown = aiops_json("show", f"greet@{digits}", cwd=repo, root=root)
    assert shown["commit"].startswith(digits) and shown["version"] == 3, shown
    assert aiops_json("show", f"greet@commit:{digits[:6]}", cwd=repo, root=root)["commit"].startswith(digits)
    # A shallow clone cannot number versions: a number is refused, with the ways out.
    clone = os.path.join(root, "clone")
    git("clone", "-q", "--depth", "1", f"file://{repo}", clone, cwd=root, root=root)
    shallow = aiops("show", "greet@2", cwd=clone, root=root)
    assert shallow.returncode == 2, shallow.returncode
    assert ("'greet@2': version numbers are not available in this shallow clone" in shallow.stderr
            and "'greet@commit:REV'" in shallow.stderr and "git fetch --unshallow" in shallow.stderr), \
        shallow.stderr
    assert aiops_json("show", f"greet@commit:{digits[:6]}", cwd=clone, root=root)["commit"].startswith(digits)
    assert aiops_json("show", f"greet@{digits}", cwd=clone, root=root)["commit"].startswith(digits)


def scenario_lint_finds_problems(root):
    repo = new_repo(root)
    write(os.path.join(repo, "prompts/clean.prompt.yaml"), prompt_text("clean", "Hi"))
    assert aiops("lint", cwd=repo, root=root).returncode == 0
    write(os.path.join(repo, "prompts/risky.prompt.yaml"),
          "name: risky\nvariables:\n  - {name: user_input}\n  - {name: spare}\nmessages:\n"
          "  - role: system\n    template: \"Obey. {{user_input}} {{missing}} sk_live_FAKE1234567890abcdefghijkl\u200b\"\n")
    result = aiops("lint", cwd=repo, root=root)
    assert result.returncode == 1, result.stdout
    report = aiops_json("lint", cwd=repo, root=root, expected=1)
    checks = sorted(p["check"] for p in report["problems"])
    assert checks == ["hidden-unicode", "secret", "unknown-variable", "unused-variable",
                      "user-input-in-system"], checks
    assert report["errors"] == 4 and report["warnings"] == 1
    assert "FAKE1234567890abcdefghijkl" not in result.stdout, "the secret is printed"
    assert "prompts/risky.prompt.yaml:7:" in result.stdout, result.stdout


def scenario_lint_guesses_user_input_from_common_spellings(root):
    repo = new_repo(root)
    names = ["input", "question", "query", "request", "user_input", "user_message", "userInput",
             "user-input", "customer_question", "user_query", "search_query", "message", "prompt",
             "text", "input_text", "question_text", "user", "request_id", "inputs", "queries"]
    text = ("name: u\nvariables:\n" + "".join(f"  - {{name: {n}}}\n" for n in names)
            + "messages:\n  - role: system\n    template: \""
            + " ".join("{{" + n + "}}" for n in names) + "\"\n")
    write(os.path.join(repo, "prompts/u.prompt.yaml"), text)
    report = aiops_json("lint", cwd=repo, root=root, expected=1)
    flagged = [p["message"].split("'")[1] for p in report["problems"] if p["check"] == "user-input-in-system"]
    assert flagged == [n for n in names if n not in ("prompt", "text", "request_id")], flagged


def scenario_lint_and_scan_find_the_same_secrets(root):
    repo = new_repo(root)
    secrets = [
        "anthropic: sk-ant-api03-FAKEabcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789abcdefghijklmnopqr"
        "stuvwxyzAB-FAKEAA",
        "openai_old: sk-FAKE1234567890abcdefghijklmnopqrstuvwxyzABCD",
        "slack: xoxb-123456789012-1234567890123-FAKEabcdefghijklmnopqrstu",
        "stripe: sk_live_FAKE1234567890abcdefghijkl",
        "google: AIzaSyFAKE1234567890abcdefghijklmnopqrs",
        "jwt: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJGQUtFIn0.FAKEsignatureFAKEsignatureFAKEsig12",
        "password: password=FAKEhunter2secret",
        "gitlab: glpat-FAKEabcdefghij123456",
        "url: https://user:FAKEpass123@example.com/x",
        "benign1: use the task-list and ask-me-anything skills",
        "benign2: the placeholder sk-... goes here",
    ]
    text = "name: t/sec\nmessages:\n" + "".join(
        f"  - role: user\n    template: \"{secret}\"\n" for secret in secrets)
    write(os.path.join(repo, "prompts/t/sec.prompt.yaml"), text)
    linted = aiops_json("lint", "t/sec", cwd=repo, root=root, expected=1)
    found_by_lint = sorted((p["line"], p["column"], p["message"].split("(")[-1].split(")")[0])
                           for p in linted["problems"] if p["check"] == "secret")
    scanned = subprocess.run([ARGS.aiops, "scan", "prompts/t/sec.prompt.yaml", "--format", "json"],
                             cwd=repo, env=clean_env(root), capture_output=True, text=True, timeout=120)
    findings = json.loads(scanned.stdout)["findings"]
    found_by_scan = sorted((f["start_line"], f["start_column"], f["rule"])
                           for f in findings if f["rule"].startswith("secrets."))
    assert found_by_lint == found_by_scan, (found_by_lint, found_by_scan)
    rules = {rule for _, _, rule in found_by_lint}
    assert {"secrets.stripe-secret-key", "secrets.gitlab-personal-token", "secrets.jwt",
            "secrets.google-api-key"} <= rules, rules


def scenario_small_mistakes_get_messages_that_say_what_to_do(root):
    repo = three_versions(root)
    unknown = aiops("frobnicate", cwd=repo, root=root)
    assert unknown.returncode == 2 and "unknown subcommand 'frobnicate' (list, show," in unknown.stderr, \
        unknown.stderr
    close = aiops("lst", cwd=repo, root=root)
    assert "unknown subcommand 'lst'; did you mean 'list'?" in close.stderr, close.stderr
    write(os.path.join(repo, "a.yaml"), "who: a\n")
    twice = aiops("render", "greet", "--vars", "a.yaml", "--vars", "a.yaml", cwd=repo, root=root)
    assert twice.returncode == 2 and "--vars is given more than once" in twice.stderr, twice.stderr
    versioned = aiops("lint", "greet@1", cwd=repo, root=root)
    assert versioned.returncode == 2, versioned.returncode
    assert "lint 'greet@1': lint checks the working copies, so it takes names without '@VERSION' ('greet')" \
        in versioned.stderr, versioned.stderr
    assert aiops("lock", cwd=repo, root=root).returncode == 0
    as_file = aiops("--registry", "prompts.lock", "list", cwd=repo, root=root)
    assert "--registry 'prompts.lock': not a folder" in as_file.stderr, as_file.stderr
    inner = aiops("--registry", "prompts", "list", cwd=repo, root=root)
    assert f"has no prompts/ folder; name the folder that holds it ('{repo}')" in inner.stderr, inner.stderr
    # render --json carries its warnings too.
    rendered = aiops_json("render", "greet", "--var", "who=a", "--var", "colour=red", cwd=repo, root=root)
    assert rendered["warnings"] == ["prompt 'greet' declares no variable 'colour'; its value is not used"], \
        rendered
    # lint goes on past a file that does not load, then fails with exit 2.
    write(os.path.join(repo, "prompts/broken.prompt.yaml"), "name: broken\nmessages: [\n")
    write(os.path.join(repo, "prompts/risky.prompt.yaml"),
          "name: risky\nvariables:\n  - {name: spare}\nmessages:\n  - {role: user, template: hi}\n")
    linted = aiops("lint", cwd=repo, root=root)
    assert linted.returncode == 2, (linted.returncode, linted.stdout, linted.stderr)
    assert "prompts/risky.prompt.yaml:3:5: warning: variable 'spare' is declared" in linted.stdout, linted.stdout
    assert "2 prompts checked" in linted.stdout, linted.stdout
    assert "prompts/broken.prompt.yaml:3:1: invalid YAML" in linted.stderr, linted.stderr
    assert "lint: 1 prompt file did not load (above); the other prompts were checked" in linted.stderr
    # A name with a space on disk is placed as verify places it.
    os.remove(os.path.join(repo, "prompts/broken.prompt.yaml"))
    write(os.path.join(repo, "prompts/with space/x.prompt.yaml"), prompt_text("x", "Hi"))
    listed = aiops("list", cwd=repo, root=root)
    assert listed.returncode == 2 and "prompts/with space/x.prompt.yaml:1:7:" in listed.stderr, listed.stderr


def scenario_malformed_prompt_is_an_input_error(root):
    repo = new_repo(root)
    write(os.path.join(repo, "prompts/bad.prompt.yaml"),
          "name: bad\nmessages:\n  - role: user\n    templte: hi\n")
    result = aiops("list", cwd=repo, root=root)
    assert result.returncode == 2, result.returncode
    assert ("prompts/bad.prompt.yaml:4:5: unknown key 'templte' in messages[0]; did you mean "
            "'template'?") in result.stderr, result.stderr


def scenario_diff_lists_changed_fields(root):
    repo = new_repo(root)
    path = os.path.join(repo, "prompts/greet.prompt.yaml")
    write(path, prompt_text("greet", "Hi", "model: {temperature: 0.2}\n"))
    commit_all(repo, "one", root)
    write(path, prompt_text("greet", "Hello", "model: {temperature: 0.7, max_tokens: 50}\n"))
    commit_all(repo, "two", root)
    diff = aiops("diff", "greet@1", "greet@2", cwd=repo, root=root)
    assert diff.returncode == 0, diff.stderr
    assert "model.max_tokens: null -> 50\nmodel.temperature: 0.2 -> 0.7\n" in diff.stdout, diff.stdout
    assert "-Hi {{who}}\n+Hello {{who}}\n" in diff.stdout
    same = aiops("diff", "greet@2", "greet", cwd=repo, root=root)
    assert "are the same prompt" in same.stdout, same.stdout
    # Only the template's final newline changed: the hunk shows it.
    with open(path) as handle:
        text = handle.read()
    write(path, text.replace('"Hello {{who}}"', '"Hello {{who}}\\n"'))
    newline = aiops("diff", "greet@2", "greet", cwd=repo, root=root)
    assert newline.stdout.endswith("@@ -1,1 +1,1 @@\n-Hello {{who}}\n\\ No newline at end of template\n"
                                   "+Hello {{who}}\n"), newline.stdout
    report = aiops_json("diff", "greet@2", "greet", cwd=repo, root=root)
    assert report["same"] is False and len(report["messages"]) == 1, report
    # Two prompts: the header names both.
    write(os.path.join(repo, "prompts/other.prompt.yaml"), prompt_text("other", "Hi"))
    both = aiops("diff", "greet@1", "other", cwd=repo, root=root)
    assert both.stdout.startswith("prompts greet v1 (sha256:"), both.stdout
    assert ") -> other working (sha256:" in both.stdout.splitlines()[0], both.stdout


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    if shutil.which("git") is None:
        print("git is not installed")
        return 1
    return run_scenarios(globals(), "aiops-prompt-scenario-")


if __name__ == "__main__":
    sys.exit(main())
