#!/usr/bin/env python3
"""Writes schemas/config.schema.json from the flags the commands take, as
`aiops config show --json` lists them. Run it after adding or renaming a flag; the
tests check that the schema and the commands agree."""

import argparse
import json
import os
import subprocess
import tempfile

# What each kind of flag takes in the file. A string may be written as a number
# (`python-version: 3.12`), as on the command line; a boolean where a string belongs is
# refused, as it is most often a slip (`diff: no`).
TEXT = {"type": ["string", "number"]}


def property_of(kind):
    if kind == "switch":
        return {"type": "boolean"}
    if kind == "integer":
        return {"type": ["integer", "string"]}
    if kind == "number":
        return {"type": ["number", "string"]}
    if kind == "values":
        return {"oneOf": [TEXT, {"type": "array", "items": TEXT}]}
    return TEXT


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aiops", default="build/release/tools/aiops/aiops")
    parser.add_argument("--output", default="schemas/config.schema.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as empty:  # no configuration file in the way
        shown = json.loads(subprocess.run([os.path.abspath(args.aiops), "config", "show", "--json"],
                                          cwd=empty, check=True, capture_output=True, text=True).stdout)
    sections, shared = {}, {}
    for command, entries in shown["commands"].items():
        properties = {key: property_of(entry["kind"]) for key, entry in entries.items()}
        sections[command] = {"type": "object", "additionalProperties": False, "properties": properties}
        shared.update(properties)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:aiops:schema:config:1",
        "title": "aiops configuration (.aiops.yaml)",
        "description": "One section per command whose keys are the command's long flags; 'defaults' "
                       "holds flags that several commands share, and each value there applies to the "
                       "commands that accept it. Flags on the command line win, then AIOPS_* "
                       "environment variables, then this file, then the built-in defaults. A relative "
                       "path is relative to the file's folder.",
        "type": "object",
        "additionalProperties": False,
        "properties": {"defaults": {"type": "object", "additionalProperties": False,
                                    "properties": dict(sorted(shared.items()))}, **sections},
    }
    with open(args.output, "w") as handle:
        json.dump(schema, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
