#!/usr/bin/env python3
"""End-to-end scenarios of `aiops scan --history`: which file versions and lines a range
of commits added, tags, merges, paths and excludes, flags that cannot go with it, the
commit in every report, baselines, shallow clones. Prints one line per scenario and
closes with 'N passed, N failed'.

Every secret here is fake and assembled at run time from pieces, so that this file
holds no whole token."""

import argparse
import json
import os
import subprocess
import sys

from scenario_runner import run_scenarios, write

ARGS = None
NPM_TOKEN = "npm_" + "FAKE" + "oYE3JVkHQ2w81rmkRvQbVp2fmaWzTaUE"
GITHUB_TOKEN = "ghp_" + "FAKE" + "a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV"
HF_TOKEN = "hf_" + "FAKE" + "Qcie0xe9qG1qhGrCAn8YznsPz1G5uw"


def aiops(*arguments, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    env["NO_COLOR"] = "1"
    return subprocess.run([ARGS.aiops, *arguments], cwd=cwd, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


def git(*arguments, cwd, date=None):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t.test", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t.test", GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    if date:
        env["GIT_COMMITTER_DATE"] = date
    return subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True, env=env,
                          check=True).stdout.strip()


class Repo:
    """A repository whose commits get one day each, so that their order is clear."""

    def __init__(self, root):
        self.path = os.path.join(root, "repo")
        os.makedirs(self.path)
        git("init", "-q", "-b", "main", cwd=self.path)
        self.day = 0

    def commit(self, message, files=None, remove=()):
        for name, content in (files or {}).items():
            write(os.path.join(self.path, name), content)
            git("add", name, cwd=self.path)
        for name in remove:
            git("rm", "-q", name, cwd=self.path)
        self.day += 1
        date = f"2024-01-{self.day:02d}T00:00:00"
        git("commit", "-qm", message, "--date", date, cwd=self.path, date=date)
        return git("rev-parse", "HEAD", cwd=self.path)

    def git(self, *arguments):
        return git(*arguments, cwd=self.path)


def findings(result):
    assert result.returncode in (0, 1), (result.returncode, result.stderr)
    return [(f["path"], f["rule"].split(".")[-1], f.get("commit", "")[:12])
            for f in json.loads(result.stdout)["findings"] if not f["rule"].startswith("aiops.")]


def scan_history(repo, *arguments):
    return aiops("scan", "--history", *arguments, "--format", "json", cwd=repo.path)


def scenario_a_range_reports_only_what_its_commits_added(root):
    repo = Repo(root)
    old = repo.commit("legacy", {"legacy.env": f"# fake\nNPM={NPM_TOKEN}\n", "app.py": "x = 1\n"})
    repo.git("checkout", "-q", "-b", "pr")
    # The pull request changes another line of the file that holds an old secret.
    docs = repo.commit("docs", {"docs.py": "\"\"\"Docs.\"\"\"\n",
                                "legacy.env": f"# fake, to be rotated\nNPM={NPM_TOKEN}\n"})
    assert findings(scan_history(repo, "main..pr")) == []
    added = repo.commit("a key", {"app.py": f"x = 1\nKEY = \"{GITHUB_TOKEN}\"  # fake\n"})
    result = scan_history(repo, "main..pr")
    assert findings(result) == [("app.py", "github-classic-token", added[:12])], result.stdout
    assert result.returncode == 1
    # All of history names each secret once, at the commit that added it, oldest first.
    everything = findings(scan_history(repo))
    assert everything == [("legacy.env", "npm-token", old[:12]),
                          ("app.py", "github-classic-token", added[:12])], everything
    assert findings(scan_history(repo, f"{docs}..pr")) == [("app.py", "github-classic-token", added[:12])]


def scenario_tags_name_the_commits_they_point_at(root):
    repo = Repo(root)
    first = repo.commit("key", {"config.py": f"KEY = \"{GITHUB_TOKEN}\"  # fake\n"})
    repo.git("tag", "-a", "v1", "-m", "release 1")
    later = repo.commit("another", {"main.env": f"HF={HF_TOKEN}\n"})
    assert findings(scan_history(repo, "v1..HEAD")) == [("main.env", "huggingface-token", later[:12])]
    assert findings(scan_history(repo, "v1")) == [("config.py", "github-classic-token", first[:12])]
    tree = aiops("scan", "--history", "HEAD^{tree}", cwd=repo.path)
    assert tree.returncode == 2 and "names no commit" in tree.stderr, tree.stderr


def scenario_a_merge_adds_what_no_parent_had(root):
    repo = Repo(root)
    repo.commit("base", {"app.py": "x = 1\n"})
    repo.git("checkout", "-q", "-b", "feature")
    feature = repo.commit("feature key", {"feature.yml": f"token: {GITHUB_TOKEN}\n"})
    repo.git("checkout", "-q", "main")
    main = repo.commit("main key", {"main.env": f"HF={HF_TOKEN}\n"})
    repo.day += 1
    git("merge", "-q", "--no-edit", "feature", cwd=repo.path, date=f"2024-01-{repo.day:02d}T00:00:00")
    assert findings(scan_history(repo)) == [("feature.yml", "github-classic-token", feature[:12]),
                                            ("main.env", "huggingface-token", main[:12])]
    # The merge itself added nothing: main's side had the key before it.
    assert findings(scan_history(repo, "HEAD~1..HEAD")) == [
        ("feature.yml", "github-classic-token", feature[:12])]


def scenario_paths_and_excludes_choose_the_files(root):
    repo = Repo(root)
    first = repo.commit("keys", {"a/one.txt": f"NPM={NPM_TOKEN}\n", "b/two.txt": f"HF={HF_TOKEN}\n",
                                 "node_modules/pkg/c.js": f"var t = \"{GITHUB_TOKEN}\";\n",
                                 "other/c.js": f"var t = \"{GITHUB_TOKEN}\";\n"})
    # One file version at two paths: the excluded one does not hide the other.
    assert findings(scan_history(repo)) == [("a/one.txt", "npm-token", first[:12]),
                                            ("b/two.txt", "huggingface-token", first[:12]),
                                            ("other/c.js", "github-classic-token", first[:12])]
    assert findings(scan_history(repo, "--exclude", "other/")) == [
        ("a/one.txt", "npm-token", first[:12]), ("b/two.txt", "huggingface-token", first[:12])]
    everything = findings(scan_history(repo, "--no-default-excludes"))
    assert ("node_modules/pkg/c.js", "github-classic-token", first[:12]) in everything, everything
    assert findings(scan_history(repo, "HEAD", "a/")) == [("a/one.txt", "npm-token", first[:12])]
    inside = aiops("scan", "--history", "HEAD", ".", "--format", "json", cwd=os.path.join(repo.path, "b"))
    assert findings(inside) == [("b/two.txt", "huggingface-token", first[:12])], inside.stdout
    missing = aiops("scan", "--history", "HEAD", "nosuchpath/", cwd=repo.path)
    assert missing.returncode == 2 and "'nosuchpath/' does not exist" in missing.stderr, missing.stderr


def scenario_flags_of_the_work_tree_are_refused(root):
    repo = Repo(root)
    repo.commit("first", {"app.py": "x = 1\n"})
    for flags in (["--staged"], ["--diff", "main"], ["--no-git"]):
        result = aiops("scan", "--history", "HEAD", *flags, cwd=repo.path)
        assert result.returncode == 2, (flags, result.returncode, result.stderr)
        assert f"--history scans committed versions, {flags[0]}" in result.stderr, result.stderr


def scenario_a_repository_without_commits(root):
    repo = Repo(root)
    result = aiops("scan", "--history", cwd=repo.path)
    assert result.returncode == 2 and "the repository has no commits yet" in result.stderr, result.stderr


def scenario_the_commit_is_in_json_sarif_and_baselines_match_the_work_tree(root):
    repo = Repo(root)
    removed = repo.commit("old key", {"config.py": f"KEY = \"{GITHUB_TOKEN}\"  # fake\n"})
    repo.commit("removed", remove=["config.py"])
    kept = repo.commit("kept key", {"main.env": f"HF={HF_TOKEN}\n"})
    result = aiops("scan", "--history", "--format", "json", "--sarif", "h.sarif", cwd=repo.path)
    commits = {f["path"]: f["commit"] for f in json.loads(result.stdout)["findings"]}
    assert commits == {"config.py": removed, "main.env": kept}, commits
    with open(os.path.join(repo.path, "h.sarif"), encoding="utf-8") as handle:
        sarif = json.load(handle)["runs"][0]["results"]
    assert sorted(r["properties"]["commit"] for r in sarif) == sorted([removed, kept]), sarif
    # A baseline of the work tree holds the secret still there; the removed one gates.
    written = aiops("scan", "--write-baseline", "base.json", ".", cwd=repo.path)
    assert written.returncode == 0, written.stderr
    gated = aiops("scan", "--history", "--baseline", "base.json", "--format", "json", cwd=repo.path)
    summary = json.loads(gated.stdout)["findings"]
    assert [(f["path"], f["suppressed"] is not None) for f in summary] == [("config.py", False),
                                                                            ("main.env", True)], summary
    assert gated.returncode == 1
    os.remove(os.path.join(repo.path, "base.json"))
    aiops("scan", "--history", "--write-baseline", "base.json", cwd=repo.path)
    os.remove(os.path.join(repo.path, "h.sarif"))
    tree = aiops("scan", "--baseline", "base.json", ".", cwd=repo.path)
    assert tree.returncode == 0, (tree.stdout, tree.stderr)


def scenario_a_shallow_clone_warns_only_when_the_range_reaches_its_edge(root):
    repo = Repo(root)
    for day in range(3):
        repo.commit(f"c{day}", {"app.py": f"x = {day}\n"})
    clone = os.path.join(root, "clone")
    subprocess.run(["git", "clone", "-q", "--depth", "2", "file://" + repo.path, clone], check=True,
                   capture_output=True)
    edge = git("rev-parse", "HEAD~1", cwd=clone)
    reaches = aiops("scan", "--history", cwd=clone)
    assert f"history stops at commit {edge}" in reaches.stdout + reaches.stderr, reaches
    inside = aiops("scan", "--history", "HEAD~1..HEAD", cwd=clone)
    assert "shallow clone" not in inside.stdout + inside.stderr, inside


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    return run_scenarios(globals(), "aiops-history-scenario-")


if __name__ == "__main__":
    sys.exit(main())
