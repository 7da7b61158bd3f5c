#!/usr/bin/env python3
"""Checks every prompt file under a folder against schemas/prompt.schema.json and that
each one's name is its path under the folder (prompts/<name>.prompt.yaml).

Usage: check_prompt_files.py SCHEMA PROMPTS_FOLDER. Prints 'N passed, N failed'."""

import json
import os
import sys

import jsonschema
import yaml

SUFFIX = ".prompt.yaml"


def main(argv):
    with open(argv[1]) as handle:
        schema = json.load(handle)
    validator = jsonschema.Draft202012Validator(schema)
    passed = failed = 0
    for folder, _, names in sorted(os.walk(argv[2])):
        for name in sorted(names):
            if not name.endswith(SUFFIX):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as handle:
                document = yaml.safe_load(handle)
            problems = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}"
                        for e in validator.iter_errors(document)]
            expected = os.path.relpath(path, argv[2])[:-len(SUFFIX)].replace(os.sep, "/")
            if isinstance(document, dict) and document.get("name") != expected:
                problems.append(f"the name should be '{expected}', as the path says")
            if problems:
                failed += 1
                print(f"{path}: " + "; ".join(problems))
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
