#!/usr/bin/env python3
"""Checks YAML and JSON documents against a JSON Schema.

Usage: check_documents.py SCHEMA PATH... where each PATH is a file or a folder (its
*.yaml, *.yml and *.json files, recursively). Prints each invalid file with its errors,
then 'N passed, N failed'; exits 1 when a file fails or none was found."""

import json
import os
import sys

import jsonschema
import yaml


def documents(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for folder, _, names in sorted(os.walk(path)):
            for name in sorted(names):
                if name.endswith((".yaml", ".yml", ".json")):
                    yield os.path.join(folder, name)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as handle:
        schema = json.load(handle)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    passed = failed = 0
    for path in documents(argv[2:]):
        with open(path) as handle:
            document = yaml.safe_load(handle)
        problems = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}"
                    for e in validator.iter_errors(document)]
        if problems:
            failed += 1
            print(f"{path}: " + "; ".join(problems))
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
