#!/usr/bin/env python3
"""Compares the matches of aiops's pattern rules with those of ast-grep over the same
files, rule by rule, and times both scans.

It translates each aiops pattern rule (pattern / any / all, pattern-not, inside,
not-inside, where) into an ast-grep rule, runs `aiops scan` and `ast-grep scan` over
the Python standard library and the JavaScript and TypeScript of a few pinned npm
packages, and prints per rule how many matches each tool found, how many agree, and
samples of those only one found. A match is its rule, file, start line and start
column. Then it prints the median wall time of each scan at the same thread count.

ast-grep compares text, while aiops resolves dotted callees through the file's
imports; the sample rules under scripts/astgrep-sample-rules mostly match methods of
any receiver so that the two mean the same thing, and the closing lines of README's
scan section explain the differences that remain.
"""

import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

AST_GREP_VERSION = "0.51.1"
NPM_CORPUS = ["express@4.21.2", "lodash@4.17.21", "typescript@5.6.3", "webpack@5.97.1"]

# Built-in pattern rules taken into the sample; they name their callee by its
# qualified name, which the stdlib rarely aliases.
BUILTIN_SAMPLE = [
    "rules/python/python.tempfile-mktemp.yaml",
    "rules/python/python.marshal-deserialization.yaml",
    "rules/javascript/js.weak-hash.yaml",
    "rules/javascript/js.pseudo-random-bytes.yaml",
]

# aiops language name -> ast-grep language name and the extensions both tools give it.
LANGUAGES = {
    "python": ("Python", (".py", ".pyi")),
    "javascript": ("JavaScript", (".js", ".mjs", ".cjs", ".jsx")),
    "typescript": ("TypeScript", (".ts", ".mts", ".cts")),
}


def install_ast_grep(scratch):
    binary = os.path.join(scratch, "node_modules", "@ast-grep", "cli-linux-x64-gnu", "ast-grep")
    package = os.path.join(scratch, "node_modules", "@ast-grep", "cli", "package.json")
    if os.path.exists(binary) and os.path.exists(package):
        with open(package) as f:
            if json.load(f)["version"] == AST_GREP_VERSION:
                return binary
    npm_install(scratch, [f"@ast-grep/cli@{AST_GREP_VERSION}"])
    return binary


def npm_install(scratch, packages):
    os.makedirs(scratch, exist_ok=True)
    subprocess.run(["npm", "install", "--prefix", scratch, "--no-save", "--ignore-scripts",
                    "--no-audit", "--no-fund", *packages], check=True, stdout=subprocess.DEVNULL)


def install_corpus(scratch):
    """The npm packages of the JavaScript corpus, in a folder of their own."""
    folder = os.path.join(scratch, "corpus")
    stamp = os.path.join(folder, "installed.txt")
    wanted = "\n".join(NPM_CORPUS)
    if not os.path.exists(stamp) or open(stamp).read() != wanted:
        npm_install(folder, NPM_CORPUS)
        with open(stamp, "w") as f:
            f.write(wanted)
    return os.path.join(folder, "node_modules")


# A run written between commas: ast-grep needs the comma next to it in the code, so a
# run that may be empty is also tried left out, with its comma.
SEQUENCE = re.compile(r"\s*,\s*\$\.\.\.\w+|\$\.\.\.\w+\s*,\s*")


def sequence_syntax(snippet):
    """ast-grep rules for a snippet: aiops writes a run of nodes as $...X, ast-grep as $$$X."""
    runs = list(SEQUENCE.finditer(snippet))
    variants = []
    for mask in range(1 << len(runs)):
        text, at = "", 0
        for i, run in enumerate(runs):
            text += snippet[at:run.start()] + ("" if mask >> i & 1 else run.group())
            at = run.end()
        text += snippet[at:]
        variants.append(text.replace("$..._", "$$$").replace("$...", "$$$"))
    rules = [{"pattern": v} for v in variants]
    return rules[0] if len(rules) == 1 else {"any": rules}


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def narrowed(pattern, item):
    """One ast-grep rule for a pattern and the operators that narrow it."""
    parts = [sequence_syntax(pattern)]
    for snippet in as_list(item.get("pattern-not")):
        parts.append({"not": sequence_syntax(snippet)})
    for snippet in as_list(item.get("inside")):
        parts.append({"inside": {**sequence_syntax(snippet), "stopBy": "end"}})
    for snippet in as_list(item.get("not-inside")):
        parts.append({"not": {"inside": {**sequence_syntax(snippet), "stopBy": "end"}}})
    return parts[0] if len(parts) == 1 else {"all": parts}


def clause(item):
    if isinstance(item, str):
        return sequence_syntax(item)
    return narrowed(item["pattern"], item)


def constraint(condition):
    parts = []
    if "regex" in condition:
        parts.append({"regex": condition["regex"]})
    if "not-regex" in condition:
        parts.append({"not": {"regex": condition["not-regex"]}})
    kinds = as_list(condition.get("kind"))
    if kinds:
        parts.append({"kind": kinds[0]} if len(kinds) == 1 else {"any": [{"kind": k} for k in kinds]})
    return parts[0] if len(parts) == 1 else {"all": parts}


def translate(rule):
    """The ast-grep rule of an aiops pattern rule, one per language."""
    if "pattern" in rule:
        main = clause(rule["pattern"])
    elif "any" in rule:
        main = {"any": [clause(item) for item in rule["any"]]}
    else:
        main = {"all": [clause(item) for item in rule["all"]]}
    top = narrowed("$__UNUSED", rule)
    if top != {"pattern": "$__UNUSED"}:
        main = {"all": [main] + top["all"][1:]}
    constraints = {name.lstrip("$"): constraint(c) for name, c in (rule.get("where") or {}).items()}
    out = []
    for language in rule["languages"]:
        if language not in LANGUAGES:
            continue
        doc = {"id": f"{rule['id']}@{language}", "language": LANGUAGES[language][0],
               "severity": "hint", "rule": main}
        if constraints:
            doc["constraints"] = constraints
        out.append(doc)
    return out


def load_rules(paths):
    rules = []
    for path in paths:
        if os.path.isdir(path):
            for folder, _, files in sorted(os.walk(path)):
                rules += [os.path.join(folder, f) for f in sorted(files) if f.endswith(".yaml")]
        else:
            rules.append(path)
    loaded = []
    for path in rules:
        with open(path) as f:
            loaded.append((path, yaml.safe_load(f)))
    return loaded


def write_ast_grep_project(folder, rules):
    rule_folder = os.path.join(folder, "rules")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(rule_folder)
    for _, rule in rules:
        for doc in translate(rule):
            name = doc["id"].replace("@", ".") + ".yml"
            with open(os.path.join(rule_folder, name), "w") as f:
                yaml.safe_dump(doc, f, sort_keys=False)
    config = os.path.join(folder, "sgconfig.yml")
    with open(config, "w") as f:
        yaml.safe_dump({"ruleDirs": ["rules"]}, f)
    return config


def aiops_command(binary, rule_folder, root, jobs):
    return [binary, "scan", "--no-builtin", "--rules", rule_folder, "--root", root, "--no-git",
            "--no-default-excludes", "--max-file-size", "100M", "--exclude", "site-packages/",
            "--format", "json", "--fail-on", "none", "--keep-going", "--ignore-suppressions",
            "--jobs", str(jobs), root]


def ast_grep_command(binary, config, root, jobs):
    return [binary, "scan", "--config", config, "--json=compact", "--threads", str(jobs),
            "--no-ignore", "hidden", "--no-ignore", "dot", "--no-ignore", "vcs",
            "--no-ignore", "parent", "--no-ignore", "exclude", "--no-ignore", "global",
            "--globs", "!**/site-packages/**", root]


def kept(path):
    return any(path.endswith(ext) for _, exts in LANGUAGES.values() for ext in exts)


def aiops_matches(command, root):
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.exit(f"aiops exited with {completed.returncode}: {completed.stderr[-2000:]}")
    report = json.loads(completed.stdout)
    found = collections.defaultdict(set)
    for finding in report["findings"]:
        if kept(finding["path"]):
            found[finding["rule"]].add((finding["path"], finding["start_line"], finding["start_column"]))
    return found


def ast_grep_matches(command, root):
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.exit(f"ast-grep exited with {completed.returncode}: {completed.stderr[-2000:]}")
    found = collections.defaultdict(set)
    for match in json.loads(completed.stdout or "[]"):
        path = os.path.relpath(os.path.join(os.getcwd(), match["file"]), root)
        if kept(path):
            start = match["range"]["start"]
            rule = match["ruleId"].split("@")[0]
            found[rule].add((path, start["line"] + 1, start["column"] + 1))
    return found


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_times(first, second, runs):
    """Median wall times of two commands, run in turn so both see the same machine load."""
    times = [(timed(first), timed(second)) for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def show(label, matches, samples):
    for path, line, column in sorted(matches)[:samples]:
        print(f"      {label} {path}:{line}:{column}")


def compare(rules, ours, theirs, samples, details):
    totals = collections.Counter()
    print(f"{'rule':38} {'aiops':>7} {'ast-grep':>8} {'agreed':>7} {'only-aiops':>10} {'only-sg':>7}")
    for _, rule in rules:
        a, s = ours.get(rule["id"], set()), theirs.get(rule["id"], set())
        both, only_a, only_s = a & s, a - s, s - a
        totals.update(aiops=len(a), ast_grep=len(s), agreed=len(both),
                      only_aiops=len(only_a), only_ast_grep=len(only_s))
        print(f"{rule['id']:38} {len(a):7} {len(s):8} {len(both):7} {len(only_a):10} {len(only_s):7}")
        details.setdefault(rule["id"], {"only_aiops": [], "only_ast_grep": []})
        details[rule["id"]]["only_aiops"] += sorted(only_a)
        details[rule["id"]]["only_ast_grep"] += sorted(only_s)
        show("only aiops   ", only_a, samples)
        show("only ast-grep", only_s, samples)
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aiops", default=os.path.join(REPO, "build/release/tools/aiops/aiops"))
    parser.add_argument("--ast-grep", help=f"an ast-grep binary (default: install {AST_GREP_VERSION} with npm)")
    parser.add_argument("--scratch", default=os.path.join(REPO, "build", "astgrep-compare"))
    parser.add_argument("--rules", action="append",
                        help="aiops pattern rule files or folders (default: the sample)")
    parser.add_argument("--python-root", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--corpus", choices=["python", "npm", "both"], default="both")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--details", help="write every difference to this JSON file")
    args = parser.parse_args()

    scratch = os.path.abspath(args.scratch)
    ast_grep = args.ast_grep or install_ast_grep(scratch)
    version = subprocess.run([ast_grep, "--version"], capture_output=True, text=True, check=True)
    rule_paths = args.rules or [os.path.join(REPO, p) for p in BUILTIN_SAMPLE] + [
        os.path.join(HERE, "astgrep-sample-rules")]
    rules = [(p, r) for p, r in load_rules(rule_paths) if "query" not in r and "regex" not in r]

    # aiops reads the same files through a folder of its own holding only these rules.
    aiops_rules = os.path.join(scratch, "aiops-rules")
    shutil.rmtree(aiops_rules, ignore_errors=True)
    os.makedirs(aiops_rules)
    for path, _ in rules:
        shutil.copy(path, aiops_rules)
    config = write_ast_grep_project(os.path.join(scratch, "ast-grep-project"), rules)

    corpora = [("Python stdlib", os.path.abspath(args.python_root)),
               ("npm " + " ".join(NPM_CORPUS), install_corpus(scratch))]
    corpora = [c for c in corpora if args.corpus == "both" or c[0].lower().startswith(args.corpus)]
    print(f"{len(rules)} rules; {version.stdout.strip()}; {args.jobs} threads")
    grand = collections.Counter()
    details = {}
    timings = []
    for name, root in corpora:
        print(f"\n== {name}: {root}")
        ours_cmd = aiops_command(args.aiops, aiops_rules, root, args.jobs)
        theirs_cmd = ast_grep_command(ast_grep, config, root, args.jobs)
        totals = compare(rules, aiops_matches(ours_cmd, root), ast_grep_matches(theirs_cmd, root),
                         args.samples, details)
        grand.update(totals)
        timings.append((name, *median_times(ours_cmd, theirs_cmd, args.runs)))

    if args.details:
        with open(args.details, "w") as f:
            json.dump(details, f, indent=1)
    union = grand["agreed"] + grand["only_aiops"] + grand["only_ast_grep"]
    print(f"\ntotal: aiops {grand['aiops']}, ast-grep {grand['ast_grep']}, agreed {grand['agreed']}, "
          f"only aiops {grand['only_aiops']}, only ast-grep {grand['only_ast_grep']}")
    print(f"agreement: {100.0 * grand['agreed'] / max(union, 1):.2f}% of {union} matches")
    print(f"\nwall time, median of {args.runs} runs, {args.jobs} threads:")
    for name, ours, theirs in timings:
        print(f"  {name[:40]:40} aiops {ours:7.3f} s  ast-grep {theirs:7.3f} s  "
              f"ast-grep / aiops {theirs / ours:.2f}")
    ours = sum(t[1] for t in timings)
    theirs = sum(t[2] for t in timings)
    print(f"  {'both corpora':40} aiops {ours:7.3f} s  ast-grep {theirs:7.3f} s  "
          f"ast-grep / aiops {theirs / ours:.2f} (aim: above 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
