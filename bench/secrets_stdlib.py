#!/usr/bin/env python3
"""Benchmark: the text rules of `aiops scan` (secrets, hidden Unicode, prompt injection)
over every text file of the Python standard library, against only reading the same
files at the same thread count (aiops_parse_only --read-only), all measured in this
run; plus what the text rules add to a scan with the Python pack.
"""

import argparse
import os
import sys
import sysconfig

from validate_stdlib import median_time, peak_rss_kib

TEXT_RULES = ["rules/secrets", "rules/llm", "rules/unicode"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release", help="the CMake build folder")
    parser.add_argument("--project", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--root", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    aiops = os.path.join(args.build, "tools", "aiops", "aiops")
    parse_only = os.path.join(args.build, "bench", "aiops_parse_only")
    common = ["--root", args.root, "--no-git", "--exclude", "site-packages/", "--jobs", str(args.jobs),
              "--format", "json", "--fail-on", "none", "--keep-going"]
    secrets_rules = [os.path.join(args.project, "rules", "secrets")]
    text_rules = [os.path.join(args.project, folder) for folder in TEXT_RULES]
    python_rules = [os.path.join(args.project, "rules", "python")]
    secrets = [aiops, "scan", "--no-builtin", "--rules", *secrets_rules, *common, "--", args.root]
    all_text = [aiops, "scan", "--no-builtin", "--rules", *text_rules, *common, "--", args.root]
    python_only = [aiops, "scan", "--no-builtin", "--rules", *python_rules, *common, "--", args.root]
    builtin = [aiops, "scan", *common, "--", args.root]
    read_only = [parse_only, "--read-only", str(args.jobs), args.root, "site-packages/"]

    t_read = median_time(read_only, args.runs)
    t_secrets = median_time(secrets, args.runs)
    t_text = median_time(all_text, args.runs)
    t_python = median_time(python_only, args.runs)
    t_builtin = median_time(builtin, args.runs)
    rss = peak_rss_kib(all_text)
    print(f"corpus: {args.root}, every text file; {args.jobs} threads; median of {args.runs} runs")
    print(f"read only                    {t_read:8.3f} s")
    print(f"scan, secrets rules          {t_secrets:8.3f} s")
    print(f"scan, all text rules         {t_text:8.3f} s")
    print(f"scan, Python pack only       {t_python:8.3f} s")
    print(f"scan, built-in rules         {t_builtin:8.3f} s")
    print(f"secrets / read-only:         {t_secrets / t_read:.2f} (aim: a small multiple)")
    print(f"text rules / read-only:      {t_text / t_read:.2f}")
    print(f"built-in / Python pack only: {t_builtin / t_python:.3f} (what the text rules add to a scan)")
    print(f"text rules peak memory:      {rss / 1024:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
