#!/usr/bin/env python3
"""Validates JSON documents against a JSON Schema, formats included.

Usage: check_schema.py SCHEMA FILE...
Exit status 0 when every file is valid, 1 when one is not (each error is printed as
file: json-path: message), 2 on bad usage or an unreadable file.
"""

import json
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("check_schema.py: the Debian package python3-jsonschema is required")


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as handle:
        schema = json.load(handle)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    # uri and uri-reference formats are checked only when rfc3987 is present; the
    # reports must percent-encode paths, so a missing checker would hide real errors.
    checker = jsonschema.FormatChecker()
    if "uri-reference" not in checker.checkers:
        print("check_schema.py: the Debian package python3-rfc3987 is required to check URIs",
              file=sys.stderr)
        return 2
    validator = validator_class(schema, format_checker=checker)
    failed = False
    for path in argv[2:]:
        try:
            with open(path) as handle:
                document = json.load(handle)
        except (OSError, ValueError) as error:
            print(f"{path}: {error}", file=sys.stderr)
            return 2
        for error in validator.iter_errors(document):
            failed = True
            where = "/".join(str(part) for part in error.absolute_path)
            print(f"{path}: /{where}: {error.message}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
