#include "scaffold/scaffold.hpp"

// The starter project's files. Each must pass the check that reads it: the
// configuration loads strictly, the prompt lints clean, the code conforms to the
// spec, the suite's cases pass and the workflow is valid YAML (the tests run them).

namespace aiops::scaffold {

namespace {

constexpr std::string_view k_config =
    R"aiops(# aiops configuration: a section per command, whose keys are the command's long
# flags ('aiops config show' prints each one's value and where it came from). A flag
# on the command line wins, then an AIOPS_* variable, then this file.
defaults:
  # Gitignore patterns no command checks: here the reports the workflow writes.
  exclude: [aiops-reports/]
validate:
  # The lowest severity that fails the gate: critical, high, medium, low, info or none.
  fail-on: low
scan:
  fail-on: high
)aiops";

constexpr std::string_view k_prompt =
    R"aiops(# A prompt of the registry in prompts/. 'aiops prompt render codegen/python-module
# --var path=... --var spec=...' shows the messages a model gets, 'aiops prompt lock'
# pins every prompt in prompts.lock and 'aiops prompt verify' gates on the lock.
name: codegen/python-module
description: Writes one Python module from its spec.
variables:
  - name: path
    description: Where the module goes, such as src/greeting.py
    required: true
  - name: spec
    description: The module's spec, as YAML
    required: true
model:
  temperature: 0.2
  max_tokens: 2000
messages:
  - role: system
    template: |
      You write Python modules. Answer with one fenced code block holding the whole
      file, and nothing else. Never leave a function body unfinished.
  - role: user
    template: |
      Write {{path}} so that it offers what this spec asks for:

      {{spec}}
)aiops";

constexpr std::string_view k_spec =
    R"aiops(# What the code in src/ must offer. 'aiops validate --spec specs/greeting.yaml src/'
# checks that it does: the file, the function and its parameters. Paths are relative
# to the folder validate is given.
version: 1
name: greeting
description: Greets people by name.
language: python
outputs:
  - path: greeting.py
    description: The greeting function.
functions:
  - name: greet
    description: Returns a greeting for a name; an empty name greets the world.
    parameters:
      - {name: name, type: str}
    returns: str
requirements:
  - greet("Ada") returns "Hello, Ada!".
  - greet("") returns "Hello, world!".
dependencies: []
)aiops";

constexpr std::string_view k_code =
    R"aiops("""Greets people by name: the module specs/greeting.yaml describes."""


def greet(name: str) -> str:
    """Returns a greeting for a name; an empty name greets the world."""
    return f"Hello, {name or 'world'}!"
)aiops";

constexpr std::string_view k_suite =
    R"aiops(# A behave suite: each case runs its command 'trials' times, and the gate fails a
# case whose share of passing trials is under 'threshold'. Run it with
# 'aiops behave behave/'.
version: 1
name: smoke
defaults:
  trials: 3
  threshold: 0.9
  timeout: 10s
cases:
  - id: greets-by-name
    description: src/greeting.py answers as specs/greeting.yaml requires
    run: [python3, -B, -c, "from greeting import greet; print(greet('Ada'))"]
    cwd: ../src
    assert:
      - exit-code: 0
      - stdout-equals: "Hello, Ada!\n"
  - id: greets-the-world
    run: [python3, -B, -c, "from greeting import greet; print(greet(''))"]
    cwd: ../src
    assert:
      - exit-code: 0
      - stdout-equals: "Hello, world!\n"
)aiops";

constexpr std::string_view k_workflow =
    R"aiops(# The aiops gates of this repository. Each gate runs even when an earlier one
# failed, so that all of them report; the job fails when any of them does.
name: aiops
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  aiops:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
      security-events: write  # to upload the SARIF logs to code scanning
    env:
      # The aiops package to install when the runner has none: the address of an
      # aiops_VERSION_amd64.deb built for the runner's system (cpack builds one).
      AIOPS_DEB_URL: ""
    steps:
      - uses: actions/checkout@v4

      - name: Install aiops
        id: install
        run: |
          if ! command -v aiops >/dev/null 2>&1; then
            if [ -z "$AIOPS_DEB_URL" ]; then
              echo "::error::aiops is not installed: set AIOPS_DEB_URL in .github/workflows/aiops.yml"
              exit 3
            fi
            curl --fail --location --silent --show-error --retry 3 --output "$RUNNER_TEMP/aiops.deb" "$AIOPS_DEB_URL"
            sudo apt-get update -q
            sudo apt-get install -y "$RUNNER_TEMP/aiops.deb"
          fi
          aiops --version

      # To have a model write the code the spec describes, uncomment this step. It needs
      # the provider's key as a repository secret; the validate step below then checks
      # what it wrote. --force lets it replace the starter src/greeting.py, which was
      # written by hand, not generated (the runner's checkout is fresh every run).
      # - name: Generate
      #   env:
      #     OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}
      #   run: aiops generate --spec specs/greeting.yaml --output src/ --model openai:gpt-4o-mini --force

      - name: Validate
        if: ${{ !cancelled() && steps.install.outcome == 'success' }}
        run: >-
          aiops validate --spec specs/greeting.yaml src/ --github
          --sarif aiops-reports/validate.sarif --category validate
          --markdown "$GITHUB_STEP_SUMMARY"
      - name: Upload the validate SARIF log
        if: ${{ !cancelled() && hashFiles('aiops-reports/validate.sarif') != '' }}
        uses: github/codeql-action/upload-sarif@v4
        with:
          sarif_file: aiops-reports/validate.sarif
          category: validate

      - name: Scan
        if: ${{ !cancelled() && steps.install.outcome == 'success' }}
        run: >-
          aiops scan --github --sarif aiops-reports/scan.sarif --category scan
          --markdown "$GITHUB_STEP_SUMMARY"
      - name: Upload the scan SARIF log
        if: ${{ !cancelled() && hashFiles('aiops-reports/scan.sarif') != '' }}
        uses: github/codeql-action/upload-sarif@v4
        with:
          sarif_file: aiops-reports/scan.sarif
          category: scan

      - name: Lint the prompts
        if: ${{ !cancelled() && steps.install.outcome == 'success' }}
        run: aiops prompt lint

      - name: Behave
        if: ${{ !cancelled() && steps.install.outcome == 'success' }}
        run: aiops behave behave/ --markdown "$GITHUB_STEP_SUMMARY"
)aiops";

} // namespace

const std::vector<StarterFile>& starter_files()
{
    static const std::vector<StarterFile> files{
        {".aiops.yaml", k_config},
        {"prompts/codegen/python-module.prompt.yaml", k_prompt},
        {"specs/greeting.yaml", k_spec},
        {"src/greeting.py", k_code},
        {"behave/smoke.suite.yaml", k_suite},
        {".github/workflows/aiops.yml", k_workflow},
    };
    return files;
}

} // namespace aiops::scaffold
