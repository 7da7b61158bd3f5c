#!/usr/bin/env python3
"""Checks every rule file under a folder against schemas/rule.schema.json, that each
file holds one rule named like the file (rules/<language>/<id>.yaml), and that each
rule of the llm pack names an OWASP Top 10 for LLM Applications 2025 id.

Usage: check_rule_files.py SCHEMA RULES_FOLDER. Prints 'N passed, N failed'."""

import json
import os
import re
import sys

import jsonschema
import yaml


def main(argv):
    with open(argv[1]) as handle:
        schema = json.load(handle)
    validator = jsonschema.Draft202012Validator(schema)
    passed = failed = 0
    for folder, _, names in sorted(os.walk(argv[2])):
        for name in sorted(names):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(folder, name)
            with open(path) as handle:
                document = yaml.safe_load(handle)
            problems = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}"
                        for e in validator.iter_errors(document)]
            if isinstance(document, dict) and "id" in document:
                if os.path.splitext(name)[0] != document["id"]:
                    problems.append(f"the file name should be {document['id']}.yaml")
                llm_ids = [i for i in document.get("owasp", []) if re.fullmatch(r"LLM(0[1-9]|10):2025", i)]
                if document["id"].startswith("llm.") and not llm_ids:
                    problems.append("an llm rule names an OWASP LLM 2025 id (LLM01:2025 ... LLM10:2025)")
            if problems:
                failed += 1
                print(f"{path}: " + "; ".join(problems))
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
