#!/usr/bin/env python3
"""End-to-end scenarios of the configuration file, .aiops.yaml: where it is found,
what wins over what, the errors it gives, `aiops config show`, and that its schema
names exactly the flags the commands take. Prints one line per scenario and closes
with 'N passed, N failed'."""

import argparse
import json
import os
import re
import subprocess
import sys

import yaml

from scenario_runner import run_scenarios, write

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
    assert env_shown["commands"]["scan"]["jobs"] == {"value": 3, "source": "environment AIOPS_JOBS",
                                                     "kind": "integer"}
    assert list(env_shown["commands"]) == ["scan"]


def scenario_errors_name_the_place(root):
    cases = {
        "scan:\n  fail-onn: medium\n": ".aiops.yaml:2:3: unknown key 'fail-onn' in 'scan'; did you mean 'fail-on'?",
        "scann:\n  jobs: 2\n": ".aiops.yaml:1:1: unknown section 'scann'; did you mean 'scan'?",
        "scan:\n  fail-on: mediumm\n": ".aiops.yaml:2:12: 'fail-on' must be one of critical, high, medium, "
                                      "low, info, none, not 'mediumm'",
        "scan:\n  jobs: -3\n": ".aiops.yaml:2:9: 'jobs' must be a whole number from 0 to 1024, not '-3'",
        "scan:\n  parse-timeout: -1\n": ".aiops.yaml:2:18: 'parse-timeout' must be a number from 0 to "
                                        "86400, not '-1'",
        "scna:\n  jobs: 2\n": ".aiops.yaml:1:1: unknown section 'scna'; did you mean 'scan'?",
        "scan:\n  checks: syntax\n": ".aiops.yaml:2:3: unknown key 'checks' in 'scan'; it is a flag of "
                                     "generate and validate, not of scan",
        "behave:\n  ca-bundle: missing.pem\n": ".aiops.yaml:2:14: 'ca-bundle': File does not exist: missing.pem",
        "scan:\n  category: true\n": ".aiops.yaml:2:13: 'category' must be a string, and true reads as a "
                                     "boolean: put it in quotes for the text",
        "scan:\n  category: \"abc\n": ".aiops.yaml:2:13: invalid YAML: the quoted string is not closed",
        "scan:\n  fail-on: high\n---\nscan:\n  fail-on: low\n": ".aiops.yaml:3:1: a second YAML document "
                                                                 "starts here; the file must hold one document",
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
        # The usage hint is for a command line; it does not help with the file.
        assert "--help" not in done.stderr, (text, done.stderr)
    missing = aiops("--config", "nope.yaml", "scan", "src", cwd=root)
    assert missing.returncode == 2 and "nope.yaml" in missing.stderr, missing.stderr
    # An address whose password the message hides is still found in the file.
    write(os.path.join(root, ".aiops.yaml"), 'behave:\n  base-url: "ftp://u:FAKE-pw@127.0.0.1/"\n')
    write(os.path.join(root, "s.suite.yaml"), "cases:\n  - id: a\n    run: [true]\n    assert: [{exit-code: 0}]\n")
    address = aiops("behave", "s.suite.yaml", cwd=root)
    assert address.returncode == 2 and ".aiops.yaml:2:13: --base-url 'ftp://***@127.0.0.1/': expected an " \
        "http:// or https:// address (from the configuration file)" in address.stderr, address.stderr
    assert "FAKE-pw" not in address.stderr, address.stderr
    # Help is shown whatever the file holds.
    write(os.path.join(root, ".aiops.yaml"), "scna:\n  jobs: 2\n")
    helped = aiops("scan", "--help", cwd=root)
    assert helped.returncode == 0 and "--fail-on" in helped.stdout, (helped.returncode, helped.stderr)
    # A command-line value stays a command-line error, with the hint, even when the
    # file sets the same flag.
    write(os.path.join(root, ".aiops.yaml"), "scan:\n  jobs: 2\n  rules: [src/]\n")
    wrong = aiops("scan", "--rules", "nowhere/", "src", cwd=root)
    assert wrong.returncode == 2 and "configuration file" not in wrong.stderr, wrong.stderr
    wrong = aiops("scan", "--jobs", "-3", "src", cwd=root)
    assert wrong.returncode == 2 and "--jobs: must be a whole number from 0 to 1024, not '-3'" in wrong.stderr, \
        wrong.stderr
    assert "Run 'aiops --help'" in wrong.stderr and "Could not convert" not in wrong.stderr, wrong.stderr
    assert "configuration file" not in wrong.stderr, wrong.stderr


def scenario_invalid_utf8_and_a_dangling_link_are_errors(root):
    project(root, "")
    with open(os.path.join(root, ".aiops.yaml"), "wb") as handle:
        handle.write(b"scan:\n  category: \xff\xfe\n")
    done = aiops("scan", "--no-git", "src", cwd=root)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert ".aiops.yaml:2:13: invalid UTF-8 (byte 0xFF)" in done.stderr, done.stderr
    os.remove(os.path.join(root, ".aiops.yaml"))
    os.symlink("gone.yaml", os.path.join(root, ".aiops.yaml"))
    for folder in (root, os.path.join(root, "src")):
        done = aiops("config", "show", cwd=folder)
        assert done.returncode == 2, (done.returncode, done.stdout)
        assert "aiops.yaml: a symbolic link to 'gone.yaml', which does not exist" in done.stderr, done.stderr


def scenario_paths_in_the_file_are_relative_to_its_folder(root):
    config = "scan:\n  fail-on: medium\n  rules: [security/rules/]\n  root: .\nprompt:\n  registry: reg\n"
    project(root, config)
    write(os.path.join(root, "security", "rules", "my.print.yaml"),
          "id: my.print\nmessage: print used\nseverity: medium\nconfidence: high\nhelp: no prints\n"
          "languages: [python]\npattern: print($X)\nexamples:\n  bad: ['print(1)\\n']\n  good: ['x = 1\\n']\n")
    write(os.path.join(root, "src", "a.py"), "print(1)\n")
    write(os.path.join(root, "reg", "prompts", "team", "ask.prompt.yaml"),
          "name: team/ask\nmessages:\n  - {role: user, template: hi}\n")
    deep = os.path.join(root, "sub", "deeper")
    # An empty registry where aiops runs must not stand in for the configured one.
    os.makedirs(os.path.join(deep, "reg", "prompts"))
    # A first baseline accepts today's findings, so the run passes; it holds the finding.
    assert aiops("scan", "--no-git", "--write-baseline", "base.json", "src", cwd=root).returncode == 0
    with open(os.path.join(root, "base.json"), encoding="utf-8") as handle:
        assert "my.print" in handle.read()
    write(os.path.join(root, ".aiops.yaml"), config.replace("scan:\n", "scan:\n  baseline: base.json\n"))
    for folder, target in ((root, "src"), (deep, "../../src")):
        done = aiops("scan", "--no-git", target, cwd=folder)
        # The baseline holds today's findings: nothing new, yet the rules were loaded.
        assert done.returncode == 0, (folder, done.returncode, done.stderr)
        shown = json.loads(aiops("config", "show", "scan", "--json", cwd=folder).stdout)
        expected = "security/rules/" if folder == root else "../../security/rules/"
        assert shown["commands"]["scan"]["rules"]["value"] == [expected], shown["commands"]["scan"]["rules"]
    write(os.path.join(root, ".aiops.yaml"), config)
    done = aiops("scan", "--no-git", "--format", "json", "../../src", cwd=deep)
    assert done.returncode == 1 and "my.print" in done.stdout, (done.returncode, done.stderr)
    listed = aiops("prompt", "list", cwd=deep)
    assert listed.returncode == 0 and "team/ask" in listed.stdout, (listed.returncode, listed.stdout, listed.stderr)
    assert aiops("prompt", "lock", cwd=deep).returncode == 0
    assert os.path.exists(os.path.join(root, "reg", "prompts.lock"))
    assert not os.path.exists(os.path.join(deep, "reg", "prompts.lock"))
    # --config names a file elsewhere: its paths are relative to it too.
    os.rename(os.path.join(root, ".aiops.yaml"), os.path.join(root, "sub", "ci.yaml"))
    write(os.path.join(root, "sub", "ci.yaml"), "scan:\n  rules: [../security/rules/]\n  fail-on: medium\n")
    done = aiops("--config", "sub/ci.yaml", "scan", "--no-git", "src", cwd=root)
    assert done.returncode == 1 and "my.print" in done.stdout, (done.returncode, done.stdout, done.stderr)


def git(root, *arguments):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIOPS_", "GIT_"))}
    env.update({"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T",
                "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": root})
    subprocess.run(["git", *arguments], cwd=root, check=True, capture_output=True, env=env)


def scenario_a_flag_overrides_the_files_choice_of_files(root):
    write(os.path.join(root, "src", "ok.py"), "x = 1\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-qm", "start")
    write(os.path.join(root, "src", "bad.py"), BAD)
    git(root, "add", "src/bad.py")
    write(os.path.join(root, ".aiops.yaml"), "scan:\n  fail-on: medium\n  diff: main\n")
    # The file's diff gives way to --staged (a pre-commit hook) and to --no-diff.
    done = aiops("scan", "--staged", cwd=root)
    assert done.returncode == 1 and "bad.py" in done.stdout, (done.returncode, done.stdout, done.stderr)
    every = aiops("scan", "--no-diff", "--format", "json", cwd=root)
    changed = aiops("scan", "--format", "json", cwd=root)
    assert every.returncode == 1 and changed.returncode == 1, (every.stderr, changed.stderr)
    checked = [json.loads(done.stdout)["summary"]["files_checked"] for done in (every, changed)]
    assert checked[0] == checked[1] + 1, checked  # src/ok.py, unchanged since main
    done = aiops("scan", "--no-diff", cwd=root, AIOPS_DIFF="main")
    assert done.returncode == 1, (done.returncode, done.stderr)
    done = aiops("scan", "--staged", cwd=root, AIOPS_DIFF="main")
    assert done.returncode == 1, (done.returncode, done.stderr)
    done = aiops("scan", "--history", cwd=root)
    assert done.returncode == 0 and "--diff" not in done.stderr, (done.returncode, done.stderr)
    contradiction = aiops("scan", "--diff", "main", "--no-diff", cwd=root)
    assert contradiction.returncode == 2 and "--diff and --no-diff" in contradiction.stderr, contradiction.stderr
    # And the file's staged gives way to --diff.
    write(os.path.join(root, ".aiops.yaml"), "scan:\n  fail-on: medium\n  staged: true\n")
    done = aiops("scan", "--diff", "main", cwd=root)
    assert done.returncode == 1 and "bad.py" in done.stdout, (done.returncode, done.stdout, done.stderr)
    # A file that sets both is still wrong.
    write(os.path.join(root, ".aiops.yaml"), "scan:\n  diff: main\n  staged: true\n")
    done = aiops("scan", cwd=root)
    assert done.returncode == 2 and ".aiops.yaml:2:9: --diff and --staged" in done.stderr, done.stderr


def scenario_a_default_applies_where_its_value_is_accepted(root):
    project(root, "defaults:\n  format: sarif\n")
    write(os.path.join(root, "t.suite.yaml"),
          "cases:\n  - id: a\n    run: [true]\n    assert: [{exit-code: 0}]\n")
    for arguments in (["config", "show", "behave"], ["behave", "t.suite.yaml"]):
        done = aiops(*arguments, cwd=root)
        assert done.returncode == 0, (arguments, done.returncode, done.stderr)
    shown = json.loads(aiops("config", "show", "--json", cwd=root).stdout)["commands"]
    assert shown["behave"]["format"] == {"value": "text", "source": "default", "kind": "value"}
    assert shown["scan"]["format"]["value"] == "sarif" and shown["validate"]["format"]["value"] == "sarif"
    scanned = aiops("scan", "--no-git", "src", cwd=root)
    assert json.loads(scanned.stdout)["version"] == "2.1.0", scanned.stdout[:200]
    write(os.path.join(root, ".aiops.yaml"), "defaults:\n  format: xml\n")
    done = aiops("behave", "t.suite.yaml", cwd=root)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert ".aiops.yaml:2:11: 'format' in 'defaults' suits no command: for " in done.stderr, done.stderr


def scenario_config_show_json_keeps_types_and_hides_credentials(root):
    project(root, "scan:\n  exclude: [\"a b/\", \"c,d/\", x]\n  jobs: 1\n  no-git: true\n"
                  "behave:\n  base-url: http://user:sk-FAKE-secretpass@127.0.0.1:18431/v1\n"
                  "  api-key-env: sk-FAKE-1234567890abcdef\n")
    done = aiops("config", "show", "--json", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "secretpass" not in done.stdout and "sk-FAKE-1234" not in done.stdout, done.stdout
    shown = json.loads(done.stdout)["commands"]
    assert shown["scan"]["exclude"]["value"] == ["a b/", "c,d/", "x"]
    assert shown["scan"]["jobs"]["value"] == 1 and shown["scan"]["no-git"]["value"] is True
    assert shown["scan"]["parse-timeout"] == {"value": 30, "source": "default", "kind": "number"}
    assert shown["behave"]["trials"]["value"] is None
    assert shown["behave"]["base-url"]["value"] == "http://***@127.0.0.1:18431/v1"
    text = aiops("config", "show", "behave", cwd=root, AIOPS_BASE_URL="https://u:sk-FAKE-pw@127.0.0.1/v1")
    assert "sk-FAKE" not in text.stdout and "https://***@127.0.0.1/v1" in text.stdout, text.stdout


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


def scenario_the_man_page_and_readme_name_every_variable_and_command(root):
    with open(os.path.join(ARGS.project, "docs", "aiops.1")) as handle:
        man = handle.read().replace("\\-", "-").replace("\\fB", "").replace("\\fR", "").replace("\\fI", "")
    with open(os.path.join(ARGS.project, "README.md")) as handle:
        readme = handle.read()
    variables = set()
    for command in ("generate", "validate", "scan", "behave", "prompt", None):
        shown = aiops(*([command] if command else []), "--help", cwd=root).stdout
        variables |= set(re.findall(r"Env:(AIOPS_[A-Z_]+)", shown))
    assert {"AIOPS_DIFF", "AIOPS_JOBS", "AIOPS_PROMPT_REGISTRY"} <= variables, variables
    for variable in sorted(variables):
        assert variable in man, f"docs/aiops.1 does not name {variable}"
        assert variable in readme, f"README.md does not name {variable}"
    for words in ("--diff", "--no-diff", "--staged", "--config", "config show", "behave", "prompt list"):
        assert words in man, f"docs/aiops.1 does not name {words}"


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
