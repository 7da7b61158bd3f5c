#!/usr/bin/env python3
"""End-to-end scenarios of CI matrices: `--shard I/N` splits the files, and
`aiops report merge` puts the shards' reports back together as one run would have
written them. Prints one line per scenario and closes with 'N passed, N failed'."""

import argparse
import json
import os
import subprocess
import sys

from scenario_runner import run_scenarios, write

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from run_cli_case import validate_reports  # noqa: E402

ARGS = None
SHARDS = 3
# Code with findings of several built-in rules, varied per file so that shards differ.
SNIPPETS = [
    "import subprocess\nsubprocess.call(cmd, shell=True)\n",
    "import pickle\ndata = pickle.loads(blob)\n",
    "assert user.is_admin\n",
    "import hashlib\nh = hashlib.md5(data)\n",
    "try:\n    run()\nexcept Exception:\n    pass\n",
    "x = eval(text)\n",
    "def ok(a):\n    return a + 1\n",
]


def aiops(*arguments, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    env["NO_COLOR"] = "1"
    return subprocess.run([ARGS.aiops, *arguments], cwd=cwd, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


def load(path):
    with open(path) as handle:
        return json.load(handle)


def make_project(root):
    for i in range(24):
        body = "".join(SNIPPETS[(i + k) % len(SNIPPETS)] for k in range(1 + i % 3))
        write(os.path.join(root, "src", f"pkg{i % 4}", f"module_{i}.py"), body)
    write(os.path.join(root, "src", "broken.py"), "def f(:\n")
    # Files of no supported language, counted as other files.
    write(os.path.join(root, "src", "notes.txt"), "notes\n")
    write(os.path.join(root, "src", "pkg1", "data.csv"), "a,b\n")


REPORTS = {"sarif": "sarif", "gitlab-sast": "gl-sast.json", "gitlab-codequality": "codequality.json",
           "junit": "junit.xml"}


def scan_reports(root, name, *extra):
    flags = []
    for flag, suffix in REPORTS.items():
        flags += [f"--{flag}", f"{name}.{suffix}"]
    run = aiops("scan", "--no-git", "--keep-going", "--fail-on", "none", "-q", *flags, *extra, "src",
                cwd=root)
    assert run.returncode == 0, (run.returncode, run.stdout, run.stderr)


def sarif_results(path):
    results = load(path)["runs"][0]["results"]
    return [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"], r["partialFingerprints"])
            for r in results]


def scenario_shards_cover_every_file_once(root):
    make_project(root)
    seen = []
    for index in range(1, SHARDS + 1):
        run = aiops("scan", "--no-git", "--keep-going", "--fail-on", "none", "--format", "json",
                    "--shard", f"{index}/{SHARDS}", "src", cwd=root)
        assert run.returncode == 0, run.stderr
        report = json.loads(run.stdout)
        paths = {f["path"] for f in report["findings"]}
        assert paths, f"shard {index} found nothing: the split is not spread"
        seen.append(paths)
    for i in range(SHARDS):
        for j in range(i + 1, SHARDS):
            assert not seen[i] & seen[j], (i, j, seen[i] & seen[j])


def scenario_merged_shards_equal_one_run(root):
    make_project(root)
    scan_reports(root, "all")
    for index in range(1, SHARDS + 1):
        scan_reports(root, f"shard{index}", "--shard", f"{index}/{SHARDS}")
    for flag, suffix in REPORTS.items():
        shards = [f"shard{index}.{suffix}" for index in range(1, SHARDS + 1)]
        merged = aiops("report", "merge", *shards, "-o", f"merged.{suffix}", cwd=root)
        assert merged.returncode == 0, (flag, merged.stdout, merged.stderr)
    problems = validate_reports(root, ARGS.schemas, ARGS.project)
    assert not problems, problems

    # The same results with the same fingerprints, in the same order.
    one, merged = load(os.path.join(root, "all.sarif")), load(os.path.join(root, "merged.sarif"))
    assert sarif_results(os.path.join(root, "merged.sarif")) == sarif_results(os.path.join(root, "all.sarif"))
    assert len(merged["runs"]) == 1
    rule_ids = [rule["id"] for rule in merged["runs"][0]["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids)), "a rule is listed twice"
    assert rule_ids == [rule["id"] for rule in one["runs"][0]["tool"]["driver"]["rules"]]
    for result in merged["runs"][0]["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"], result
    assert merged["runs"][0]["properties"] == one["runs"][0]["properties"], (merged["runs"][0]["properties"],
                                                                            one["runs"][0]["properties"])
    assert len(merged["runs"][0]["invocations"]) == SHARDS
    # validate counts the files of other kinds, each in its own shard.
    validate = ["validate", "--no-git", "--fail-on", "none", "-q"]
    assert aiops(*validate, "--sarif", "v-all.sarif", "src", cwd=root).returncode == 0
    for index in range(1, SHARDS + 1):
        assert aiops(*validate, "--shard", f"{index}/{SHARDS}", "--sarif", f"v{index}.sarif", "src",
                     cwd=root).returncode == 0
    merged = aiops("report", "merge", *[f"v{i}.sarif" for i in range(1, SHARDS + 1)], "-o", "v.sarif", cwd=root)
    assert merged.returncode == 0, merged.stderr
    whole = load(os.path.join(root, "v-all.sarif"))["runs"][0]["properties"]
    assert whole["otherFiles"] == 2 and load(os.path.join(root, "v.sarif"))["runs"][0]["properties"] == whole, whole

    def by_id(path):
        return sorted(v["id"] for v in load(os.path.join(root, path))["vulnerabilities"])

    assert by_id("merged.gl-sast.json") == by_id("all.gl-sast.json")
    assert load(os.path.join(root, "merged.codequality.json")) == load(os.path.join(root, "all.codequality.json"))

    import xml.etree.ElementTree as ElementTree

    def cases(path):
        suite = ElementTree.parse(os.path.join(root, path)).getroot()
        return sorted((c.get("name"), len(list(c))) for c in suite.iter("testcase")), suite.get("failures")

    assert cases("merged.junit.xml") == cases("all.junit.xml")


def scenario_overlapping_reports_keep_each_result_once(root):
    make_project(root)
    scan_reports(root, "all")
    merged = aiops("report", "merge", "all.sarif", "all.sarif", "-o", "twice.sarif", cwd=root)
    assert merged.returncode == 0, merged.stderr
    assert sarif_results(os.path.join(root, "twice.sarif")) == sarif_results(os.path.join(root, "all.sarif"))


def scenario_missing_or_repeated_shards_are_refused(root):
    make_project(root)
    for index in range(1, SHARDS + 1):
        scan_reports(root, f"shard{index}", "--shard", f"{index}/{SHARDS}")
    assert load(os.path.join(root, "shard2.sarif"))["runs"][0]["properties"]["shard"] == "2/3"
    for suffix in ("sarif", "junit.xml"):
        missing = aiops("report", "merge", f"shard1.{suffix}", f"shard2.{suffix}", "-o", f"m.{suffix}", cwd=root)
        assert missing.returncode == 2 and "shard 3/3 of the" in missing.stderr and "is missing" in missing.stderr, \
            (suffix, missing.returncode, missing.stderr)
        twice = aiops("report", "merge", f"shard1.{suffix}", f"shard1.{suffix}", f"shard2.{suffix}",
                      f"shard3.{suffix}", "-o", f"m.{suffix}", cwd=root)
        assert twice.returncode == 2, (suffix, twice.stderr)
        assert f"shard 1/3 of the" in twice.stderr and f"is given twice: 'shard1.{suffix}' and 'shard1.{suffix}'" \
            in twice.stderr, twice.stderr
    scan_reports(root, "all")
    whole = aiops("report", "merge", "shard1.sarif", "shard2.sarif", "shard3.sarif", "all.sarif", "-o", "m.sarif",
                  cwd=root)
    assert whole.returncode == 2 and "all.sarif: the 'scan' run" in whole.stderr and "a whole run" in whole.stderr, \
        whole.stderr
    assert not os.path.exists(os.path.join(root, "m.sarif")) and not os.path.exists(os.path.join(root, "m.junit.xml"))
    merged = aiops("report", "merge", "shard3.sarif", "shard1.sarif", "shard2.sarif", "-o", "m.sarif", cwd=root)
    assert merged.returncode == 0, merged.stderr
    assert "shard" not in load(os.path.join(root, "m.sarif"))["runs"][0]["properties"]


def scenario_runs_of_one_tool_and_category_must_be_one_command(root):
    make_project(root)
    scan_reports(root, "scan")
    checked = aiops("validate", "--no-git", "--checks", "syntax", "--fail-on", "none", "--sarif",
                    "validate.sarif", "src", cwd=root)
    assert checked.returncode == 0, checked.stderr
    # GitHub code scanning rejects a log with two runs of one tool and category.
    refused = aiops("report", "merge", "scan.sarif", "validate.sarif", "-o", "both.sarif", cwd=root)
    assert refused.returncode == 2, (refused.returncode, refused.stderr)
    assert "validate.sarif: the 'validate' run (tool 'aiops', no category) has the tool and category of the " \
        "'scan' run (tool 'aiops', no category) in 'scan.sarif'" in refused.stderr, refused.stderr
    assert not os.path.exists(os.path.join(root, "both.sarif"))
    for command in ("scan", "validate"):
        done = aiops(command, "--no-git", "--fail-on", "none", "--category", command,
                     "--sarif", f"{command}-c.sarif", "src", cwd=root)
        assert done.returncode == 0, done.stderr
    merged = aiops("report", "merge", "scan-c.sarif", "validate-c.sarif", "-o", "both.sarif", cwd=root)
    assert merged.returncode == 0, merged.stderr
    runs = load(os.path.join(root, "both.sarif"))["runs"]
    assert [(run["properties"]["command"], run["automationDetails"]["id"]) for run in runs] == \
        [("scan", "scan/"), ("validate", "validate/")], runs
    assert "syntax.missing" in {r["ruleId"] for r in runs[1]["results"]}, runs[1]["results"]


def scenario_behave_shards_merge_their_suite_counts(root):
    write(os.path.join(root, "smoke.suite.yaml"), SUITE.replace("cases:\n", "cases:\n" + "".join(
        f"  - id: case-{i}\n    run: [python3, -c, \"print('hello')\"]\n    assert:\n"
        f"      - stdout-equals: \"hello\\n\"\n" for i in range(6))))
    whole = aiops("behave", "-q", "--sarif", "all.sarif", "smoke.suite.yaml", cwd=root)
    assert whole.returncode == 0, whole.stderr
    shards = []
    for index in range(1, SHARDS + 1):
        done = aiops("behave", "-q", "--shard", f"{index}/{SHARDS}", "--sarif", f"b{index}.sarif",
                     "smoke.suite.yaml", cwd=root)
        assert done.returncode == 0, done.stderr
        shards.append(f"b{index}.sarif")
    merged = aiops("report", "merge", *shards, "-o", "merged.sarif", cwd=root)
    assert merged.returncode == 0, merged.stderr
    one = load(os.path.join(root, "all.sarif"))["runs"][0]["properties"]
    assert load(os.path.join(root, "merged.sarif"))["runs"][0]["properties"] == one, one


def scenario_bad_inputs_are_refused(root):
    make_project(root)
    scan_reports(root, "all")
    write(os.path.join(root, "broken.sarif"), '{"version": "2.1.0",\n  "runs": [1,,]}\n')
    broken = aiops("report", "merge", "all.sarif", "broken.sarif", "-o", "out.sarif", cwd=root)
    assert broken.returncode == 2, (broken.returncode, broken.stderr)
    assert "broken.sarif:2:14: invalid JSON" in broken.stderr, broken.stderr
    mixed = aiops("report", "merge", "all.sarif", "all.junit.xml", "-o", "out.sarif", cwd=root)
    assert mixed.returncode == 2 and "merge one format at a time" in mixed.stderr, mixed.stderr
    missing = aiops("report", "merge", "all.sarif", "nope.sarif", "-o", "out.sarif", cwd=root)
    assert missing.returncode == 2 and "'nope.sarif': no such file" in missing.stderr, missing.stderr
    folder = aiops("report", "merge", "all.sarif", "src", "-o", "out.sarif", cwd=root)
    assert folder.returncode == 2 and "'src': a folder" in folder.stderr, folder.stderr
    log = load(os.path.join(root, "all.sarif"))
    log["runs"][0]["results"] = "not a list"
    write(os.path.join(root, "typed.sarif"), json.dumps(log, indent=2))
    typed = aiops("report", "merge", "typed.sarif", "-o", "out.sarif", cwd=root)
    line = next(i for i, text in enumerate(open(os.path.join(root, "typed.sarif")), 1) if '"not a list"' in text)
    assert typed.returncode == 2, (typed.returncode, typed.stderr)
    assert f"typed.sarif:{line}:18: '/runs/0/results' must be an array, not string" in typed.stderr, typed.stderr
    write(os.path.join(root, "twice.sarif"), '{"version": "2.1.0",\n "runs": [],\n "version": "2.1.0"}\n')
    repeated = aiops("report", "merge", "twice.sarif", "-o", "out.sarif", cwd=root)
    assert repeated.returncode == 2 and "twice.sarif:3:2: the key 'version' is repeated" in repeated.stderr, \
        repeated.stderr
    write(os.path.join(root, "other.json"), '{"tests": []}\n')
    unknown = aiops("report", "merge", "other.json", "-o", "out.sarif", cwd=root)
    assert unknown.returncode == 2 and "a GitLab Code Quality report or a JUnit report" in unknown.stderr, \
        unknown.stderr
    shard = aiops("scan", "--shard", "4/3", "src", cwd=root)
    assert shard.returncode == 2 and "--shard '4/3'" in shard.stderr, shard.stderr
    # An unset variable in a matrix ("--shard $SHARD") must not check everything.
    write(os.path.join(root, "smoke.suite.yaml"), SUITE)
    for command in (["scan", "src"], ["validate", "src"], ["behave", "smoke.suite.yaml"]):
        empty = aiops(command[0], "--shard", "", command[1], cwd=root)
        assert empty.returncode == 2 and "--shard '': expected I/N" in empty.stderr, (command, empty.stderr)
    assert not os.path.exists(os.path.join(root, "out.sarif")), "a failed merge wrote a file"


SUITE = """version: 1
name: smoke
defaults: {trials: 2, threshold: 1.0, timeout: 10s}
cases:
  - id: says-hello
    run: [python3, -c, "print('hello')"]
    assert:
      - stdout-equals: "hello\\n"
"""

# Each command with two reports that can be written and a third that cannot.
COMMANDS = {
    "validate": ["validate", "--no-git", "--fail-on", "none", "src"],
    "scan": ["scan", "--no-git", "--keep-going", "--fail-on", "none", "src"],
    "behave": ["behave", "smoke.suite.yaml"],
}


def scenario_reports_are_written_all_or_none(root):
    make_project(root)
    write(os.path.join(root, "smoke.suite.yaml"), SUITE)
    write(os.path.join(root, "blocker"), "a file where a folder should be\n")
    for name, command in COMMANDS.items():
        out = os.path.join(root, "out", name)
        write(os.path.join(out, "a.sarif"), "earlier run\n")
        failed = aiops(*command, "-q", "--sarif", f"out/{name}/a.sarif", "--json", f"out/{name}/new/b.json",
                       "--junit", "blocker/j.xml", cwd=root)
        assert failed.returncode == 2, (name, failed.returncode, failed.stderr)
        assert "cannot write 'blocker/j.xml'" in failed.stderr, (name, failed.stderr)
        assert "no report was written" in failed.stderr, (name, failed.stderr)
        with open(os.path.join(out, "a.sarif")) as handle:
            assert handle.read() == "earlier run\n", name
        assert os.listdir(out) == ["a.sarif"], (name, os.listdir(out))  # no temporary file, no new folder
        # The same command with a writable third report writes all three.
        done = aiops(*command, "-q", "--sarif", f"out/{name}/a.sarif", "--json", f"out/{name}/new/b.json",
                     "--junit", f"out/{name}/j.xml", cwd=root)
        assert done.returncode in (0, 1), (name, done.returncode, done.stderr)
        assert load(os.path.join(out, "a.sarif"))["version"] == "2.1.0", name
        assert isinstance(load(os.path.join(out, "new", "b.json")), dict), name
        with open(os.path.join(out, "j.xml")) as handle:
            assert handle.read().startswith("<?xml"), name
        assert sorted(os.listdir(out)) == ["a.sarif", "j.xml", "new"], (name, os.listdir(out))


def scenario_scan_baseline_is_written_with_the_reports(root):
    make_project(root)
    write(os.path.join(root, "base.json"), "earlier baseline\n")
    write(os.path.join(root, "blocker"), "x\n")
    common = ["scan", "--no-git", "--keep-going", "--fail-on", "none", "-q", "--write-baseline", "base.json"]
    failed = aiops(*common, "--junit", "blocker/j.xml", "src", cwd=root)
    assert failed.returncode == 2 and "cannot write 'blocker/j.xml'" in failed.stderr, failed.stderr
    with open(os.path.join(root, "base.json")) as handle:
        assert handle.read() == "earlier baseline\n"
    done = aiops(*common, "--junit", "j.xml", "src", cwd=root)
    assert done.returncode == 0, done.stderr
    assert load(os.path.join(root, "base.json"))["findings"], "the baseline lists no finding"
    # The baseline works as before: with it, the same findings do not gate.
    gated = aiops("scan", "--no-git", "--keep-going", "--fail-on", "low", "-q", "--baseline", "base.json", "src",
                  cwd=root)
    assert gated.returncode == 0, (gated.returncode, gated.stdout[-500:])


def scenario_one_file_named_for_two_reports_is_refused(root):
    make_project(root)
    twice = aiops("scan", "--no-git", "--fail-on", "none", "--sarif", "r.out", "--json", "./r.out", "src",
                  cwd=root)
    assert twice.returncode == 2 and "named for two files" in twice.stderr, (twice.returncode, twice.stderr)
    assert not os.path.exists(os.path.join(root, "r.out"))


def scenario_merge_into_a_bad_path_writes_nothing(root):
    make_project(root)
    scan_reports(root, "all")
    write(os.path.join(root, "blocker"), "x\n")
    bad = aiops("report", "merge", "all.sarif", "-o", "blocker/merged.sarif", cwd=root)
    assert bad.returncode == 2 and "cannot write 'blocker/merged.sarif'" in bad.stderr, (bad.returncode,
                                                                                      bad.stderr)
    os.makedirs(os.path.join(root, "folder.sarif"))
    into_folder = aiops("report", "merge", "all.sarif", "-o", "folder.sarif", cwd=root)
    assert into_folder.returncode == 2 and "it is a folder" in into_folder.stderr, into_folder.stderr
    assert os.listdir(os.path.join(root, "folder.sarif")) == []
    assert not [n for n in os.listdir(root) if n.startswith(".")], os.listdir(root)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    parser.add_argument("--schemas", required=True)
    parser.add_argument("--project", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    return run_scenarios(globals(), "aiops-report-scenario-")


if __name__ == "__main__":
    sys.exit(main())
