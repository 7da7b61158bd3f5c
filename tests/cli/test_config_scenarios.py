#!/usr/bin/env python3
"""End-to-end scenarios of the configuration file, .aiops.yaml: where it is found,
what wins over what, the errors it gives, `aiops config show`, and that its schema
names exactly the flags the commands take. Prints one line per scenario and closes
with 'N passed, N failed'."""

import argparse
import json
import os
import subprocess
import sys

import yaml

from scenario_runner import run_scenarios

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from run_cli_case import check_with_schema  # noqa: E402

ARGS = None
BAD = "import pickle\npickle.loads(b)\n"


def aiops(*arguments, cwd, **env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    env["NO_COLOR"] = "1"
    env.update(env_extra)
    return subprocess.run([ARGS.aiops, *arguments], cwd=cwd, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


def write(path, content):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as handle:
        handle.write(content)


def project(root, config):
    os.makedirs(os.path.join(root, ".git"))  # the top of a work tree, for the search
    write(os.path.join(root, "src", "a.py"), BAD)
    write(os.path.join(root, ".aiops.yaml"), config)


def scenario_flags_then_environment_then_file_then_defaults(root):
    project(root, "scan:\n  fail-on: medium\n")
    assert aiops("scan", "--no-git", "src", cwd=root).returncode == 1  # the file: medium fails
    assert aiops("scan", "--no-git", "--fail-on", "high", "src", cwd=root).returncode == 0
    assert aiops("scan", "--no-git", "src", cwd=root, AIOPS_FAIL_ON="high").returncode == 0
    os.remove(os.path.join(root, ".aiops.yaml"))
    assert aiops("scan", "--no-git", "src", cwd=root).returncode == 0  # default: high


def scenario_found_from_a_subfolder_up_to_the_work_tree_root(root):
    project(os.path.join(root, "repo"), "scan:\n  fail-on: medium\n")
    sub = os.path.join(root, "repo", "src")
    assert aiops("scan", "--no-git", ".", cwd=sub).returncode == 1
    # Above the work tree's root it is not looked for.
    write(os.path.join(root, ".aiops.yaml"), "scan:\n  fail-onn: x\n")
    assert aiops("scan", "--no-git", ".", cwd=sub).returncode == 1


def scenario_defaults_apply_to_every_command_with_the_flag(root):
    project(root, "defaults:\n  fail-on: info\nscan:\n  fail-on: high\n")
    write(os.path.join(root, "src", "b.py"), "def f(:\n")
    shown = json.loads(aiops("config", "show", "--json", cwd=root).stdout)
    assert shown["commands"]["validate"]["fail-on"] == {"value": "info", "source": ".aiops.yaml:2:3",
                                                        "kind": "value"}, shown["commands"]["validate"]
    assert shown["commands"]["scan"]["fail-on"]["value"] == "high"
    assert shown["commands"]["scan"]["fail-on"]["source"] == ".aiops.yaml:4:3"
    env_shown = json.loads(aiops("config", "show", "scan", "--json", cwd=root, AIOPS_JOBS="3").stdout)
    assert env_shown["commands"]["scan"]["jobs"] == {"value": "3", "source": "environment AIOPS_JOBS",
                                                     "kind": "value"}
    assert list(env_shown["commands"]) == ["scan"]


def scenario_errors_name_the_place(root):
    cases = {
        "scan:\n  fail-onn: medium\n": ".aiops.yaml:2:3: unknown key 'fail-onn' in 'scan'; did you mean 'fail-on'?",
        "scann:\n  jobs: 2\n": ".aiops.yaml:1:1: unknown section 'scann'; did you mean 'scan'?",
        "scan:\n  fail-on: mediumm\n": ".aiops.yaml:2:3: --fail-on: mediumm not in",
        "scan:\n  no-git: maybe\n": ".aiops.yaml:2:11: 'no-git' is a switch: true or false",
        "scan:\n  fail-on: [low, high]\n": ".aiops.yaml:2:12: 'fail-on' takes one value, not a list",
        "scan: [\n": ".aiops.yaml:2:1: invalid YAML",
        "- scan\n": ".aiops.yaml:1:1: the configuration is a mapping of command names to flags",
        "defaults:\n  frobnicate: 1\n": ".aiops.yaml:2:3: unknown key 'frobnicate' in 'defaults'",
    }
    project(root, "")
    for text, expected in cases.items():
        write(os.path.join(root, ".aiops.yaml"), text)
        done = aiops("scan", "--no-git", "src", cwd=root)
        assert done.returncode == 2, (text, done.returncode, done.stderr)
        assert expected in done.stderr, (text, done.stderr)
    missing = aiops("--config", "nope.yaml", "scan", "src", cwd=root)
    assert missing.returncode == 2 and "nope.yaml" in missing.stderr, missing.stderr


def scenario_the_schema_names_every_flag_and_no_other(root):
    with open(os.path.join(ARGS.project, "schemas", "config.schema.json")) as handle:
        schema = json.load(handle)
    shown = json.loads(aiops("config", "show", "--json", cwd=root).stdout)
    sections = schema["properties"]
    every = set()
    for command, entries in shown["commands"].items():
        assert command in sections, f"the schema has no section '{command}'"
        assert set(sections[command]["properties"]) == set(entries), (
            command, set(sections[command]["properties"]) ^ set(entries), "run scripts/config_schema.py")
        every |= set(entries)
        for key, entry in entries.items():
            wanted = "boolean" if entry["kind"] == "switch" else None
            if wanted:
                assert sections[command]["properties"][key]["type"] == wanted, (command, key)
    assert set(sections) == set(shown["commands"]) | {"defaults"}, set(sections)
    assert set(sections["defaults"]["properties"]) == every
    # The example project's configuration is valid, and aiops reads it.
    example = os.path.join(ARGS.project, "examples", "inventory", ".aiops.yaml")
    with open(example) as handle:
        as_json = os.path.join(root, "example.json")
        with open(as_json, "w") as out:
            json.dump(yaml.safe_load(handle), out)
    assert not check_with_schema(os.path.join(ARGS.project, "schemas", "config.schema.json"), as_json)
    shown = aiops("--config", example, "config", "show", "scan", cwd=root)
    assert shown.returncode == 0 and "fail-on:" in shown.stdout and ".aiops.yaml:6:3" in shown.stdout, shown.stdout


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    parser.add_argument("--project", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    ARGS.project = os.path.abspath(ARGS.project)
    return run_scenarios(globals(), "aiops-config-scenario-")


if __name__ == "__main__":
    sys.exit(main())
