#!/usr/bin/env python3
"""End-to-end scenarios of how `aiops behave` finds its suites: links that loop or
dangle inside a folder are passed by, a suite named twice runs once, and two suites
sharing a name are refused before any case runs. Prints one line per scenario and
closes with 'N passed, N failed'."""

import argparse
import json
import os
import subprocess
import sys

from scenario_runner import run_scenarios, write

ARGS = None


def suite(name, marker):
    return (f"name: {name}\ncases:\n  - id: probe\n    run: [sh, -c, 'echo x >> {marker}; echo ok']\n"
            "    trials: 2\n    assert: [{contains: ok}]\n")


def behave(root, *arguments):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    env["NO_COLOR"] = "1"
    return subprocess.run([ARGS.aiops, "behave", "--format", "json", *arguments], cwd=root,
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)


def trials_of(done):
    report = json.loads(done.stdout)
    return [(s["path"], c["id"], c["trials_run"]) for s in report["suites"] for c in s["cases"]]


def scenario_links_that_loop_or_dangle_are_passed_by(root):
    write(os.path.join(root, "suites", "one.suite.yaml"), suite("one", "runs.txt"))
    os.symlink("loop2", os.path.join(root, "suites", "loop1"))
    os.symlink("loop1", os.path.join(root, "suites", "loop2"))
    os.symlink("nowhere.suite.yaml", os.path.join(root, "suites", "dangling.suite.yaml"))
    done = behave(root, "suites")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert trials_of(done) == [("suites/one.suite.yaml", "probe", 2)], done.stdout


def scenario_a_suite_named_twice_runs_once(root):
    write(os.path.join(root, "suites", "one.suite.yaml"), suite("one", "../runs.txt"))
    done = behave(root, "suites/one.suite.yaml", "suites", "./suites/../suites/one.suite.yaml")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert trials_of(done) == [("suites/one.suite.yaml", "probe", 2)], done.stdout
    with open(os.path.join(root, "runs.txt")) as handle:
        assert handle.read() == "x\nx\n"


def scenario_two_suites_sharing_a_name_are_refused_before_any_case_runs(root):
    write(os.path.join(root, "a.suite.yaml"), suite("smoke", "runs.txt"))
    write(os.path.join(root, "b.suite.yaml"), suite("smoke", "runs.txt"))
    done = behave(root, "a.suite.yaml", "b.suite.yaml")
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert done.stderr == ("aiops: error: 'a.suite.yaml' and 'b.suite.yaml' are both named 'smoke': "
                           "their reports and metrics would mix; rename one\n"), done.stderr
    assert not os.path.exists(os.path.join(root, "runs.txt"))


def scenario_sequential_says_what_it_does_not_use_and_what_it_left_undecided(root):
    write(os.path.join(root, "s.suite.yaml"),
          "name: s\ndefaults: {threshold: 0.8}\ncases:\n  - id: a\n    run: ['true']\n"
          "    assert: [{exit-code: 0}]\n")
    done = behave(root, "--sequential", "--trials", "5", "--max-trials", "3", "s.suite.yaml")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert ("--trials 5 is not used with --sequential, which draws trials until it decides, at "
            "most --max-trials (3)") in done.stderr, done.stderr
    assert trials_of(done) == [("s.suite.yaml", "a", 3)], done.stdout
    text = subprocess.run([ARGS.aiops, "behave", "--sequential", "--max-trials", "3", "s.suite.yaml"],
                          cwd=root, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60,
                          env={**{k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")},
                               "NO_COLOR": "1"})
    assert text.returncode == 0, (text.returncode, text.stdout, text.stderr)
    assert ("note: case 'a': the sequential test was still undecided after 3 trials (--max-trials); "
            "the pass-rate gate judged them") in text.stdout, text.stdout
    assert "--trials" not in text.stderr, text.stderr


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    return run_scenarios(globals(), "aiops-behave-scenario-")


if __name__ == "__main__":
    sys.exit(main())
