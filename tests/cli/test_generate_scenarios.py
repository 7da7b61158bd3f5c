#!/usr/bin/env python3
"""End-to-end scenarios of `aiops generate` against a mock OpenAI-compatible server on
127.0.0.1 that the test starts and stops: one-file, multi-file and OpenAPI specs, every
way a reply may name its files, every refused path, a reply cut off at the token limit,
repairs that succeed on the second round or never, a run killed or interrupted while
the model is answering, several specs at once, --dry-run, --max-cost, files edited by
hand, and --offline replay from the cache. Prints one line per scenario and closes with
'N passed, N failed'."""

import argparse
import hashlib
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time

from scenario_runner import run_scenarios, write

ARGS = None
KEY = "sk-FAKE-generate-key-0000"


class MockModel:
    """Answers chat completions with `replies` in turn (the last one again once they run
    out); each reply is text, (text, finish_reason), or a dict of the message's fields
    (content, refusal), finish_reason and usage. `delay` seconds pass before each
    answer."""

    def __init__(self, replies, delay=0.0):
        self.requests = []
        self.replies = replies
        self.delay = delay
        self.received = threading.Event()
        model = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server interface
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                model.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                       "body": body})
                model.received.set()
                count = len(model.requests)
                answer = model.replies[min(count, len(model.replies)) - 1]
                if not isinstance(answer, dict):
                    text, finish = answer if isinstance(answer, tuple) else (answer, "stop")
                    answer = {"content": text, "finish_reason": finish}
                message = {"role": "assistant", "content": answer.get("content")}
                if "refusal" in answer:
                    message["refusal"] = answer["refusal"]
                time.sleep(model.delay)
                usage = answer.get("usage", {"prompt_tokens": 300, "completion_tokens": 120})
                reply = json.dumps({
                    "id": f"chatcmpl-{count}", "object": "chat.completion",
                    "model": body["model"] + "-2024-07-18",
                    "choices": [{"index": 0, "message": message,
                                 "finish_reason": answer.get("finish_reason", "stop")}],
                    "usage": usage}).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(reply)))
                    self.end_headers()
                    self.wfile.write(reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def user_messages(self, index):
        return [m["content"] for m in self.requests[index]["body"]["messages"] if m["role"] == "user"]


ONE_FILE_SPEC = """version: 1
name: greeter
description: Greets people.
language: python
outputs:
  - path: greet.py
    description: The greeting.
functions:
  - name: greet
    file: greet.py
    parameters:
      - {name: who, type: str}
    returns: str
model: {provider: openai, model: gpt-4o-mini, temperature: 0.2, max_tokens: 800}
"""

GREET = 'def greet(who: str) -> str:\n    return f"Hello, {who}!"\n'

TWO_FILE_SPEC = """version: 1
name: shapes
language: python
outputs: [shapes/area.py, shapes/names.py]
functions:
  - {name: square, file: shapes/area.py, parameters: [{name: side, type: float}], returns: float}
  - {name: label, file: shapes/names.py, parameters: [{name: sides, type: int}], returns: str}
model: {provider: openai, model: gpt-4o-mini}
"""

AREA = "def square(side: float) -> float:\n    return side * side\n"
NAMES = 'def label(sides: int) -> str:\n    return {3: "triangle", 4: "square"}.get(sides, "polygon")\n'

OPENAPI_SPEC = """openapi: 3.0.3
info: {title: pets, version: 1.0.0}
x-aiops:
  language: python
  framework: flask
  outputs: [app.py]
  file: app.py
  dependencies: [flask]
  model: {provider: openai, model: gpt-4o-mini}
paths:
  /pets/{pet_id}:
    get:
      operationId: get_pet
      summary: Read a pet
      parameters:
        - {name: pet_id, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: The pet}
"""

PETS = ('from flask import Flask, jsonify\n\napp = Flask(__name__)\n\n\n'
        '@app.get("/pets/<int:pet_id>")\ndef get_pet(pet_id):\n    return jsonify(id=pet_id)\n')


def fence(path, text, language="python"):
    return f"```{language} path={path}\n{text}```\n"


def two_file_reply():
    return ("Here are the two modules.\n\n" + fence("shapes/area.py", AREA) + "\nAnd the names:\n\n"
            + fence("shapes/names.py", NAMES) + "\nThey use only the standard library.\n")


def read(path):
    with open(path) as handle:
        return handle.read()


def environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    env.update({"NO_COLOR": "1", "GENERATE_TEST_KEY": KEY, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"})
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        env.pop(name, None)
    return env


def command(*arguments, url=None):
    cache = [] if "--cache" in arguments else ["--cache", "dir:cache"]
    line = [ARGS.aiops, "generate", "--api-key-env", "GENERATE_TEST_KEY", *cache, *arguments]
    if url:
        line += ["--base-url", url]
    return line


def generate(root, *arguments, url=None):
    return subprocess.run(command(*arguments, url=url), cwd=root, capture_output=True, text=True,
                          env=environment(), stdin=subprocess.DEVNULL, timeout=120)


def generate_with(root, replies, *arguments, delay=0.0):
    model = MockModel(replies, delay=delay)
    try:
        done = generate(root, *arguments, url=model.url)
    finally:
        model.stop()
    return done, model


def listing(folder):
    out = []
    for base, _, names in os.walk(folder):
        for name in names:
            out.append(os.path.relpath(os.path.join(base, name), folder))
    return sorted(out)


def manifest(folder):
    return json.loads(read(os.path.join(folder, ".aiops", "manifest.json")))


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def no_key_anywhere(root, done):
    assert KEY not in done.stdout and KEY not in done.stderr
    for folder, _, names in os.walk(root):
        for name in names:
            with open(os.path.join(folder, name), errors="replace") as handle:
                assert KEY not in handle.read(), os.path.join(folder, name)


def scenario_a_one_file_spec_is_written_with_its_manifest(root):
    write(os.path.join(root, "greeter.yaml"), ONE_FILE_SPEC)
    done, model = generate_with(root, ["Sure:\n\n```python\n" + GREET + "```\n"],
                                "--spec", "greeter.yaml", "--output", "out")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert read(os.path.join(root, "out", "greet.py")) == GREET
    assert listing(os.path.join(root, "out")) == [".aiops/manifest.json", "greet.py"], listing(os.path.join(root, "out"))
    request = model.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer " + KEY
    body = request["body"]
    assert body["model"] == "gpt-4o-mini" and body["temperature"] == 0.2 and body["max_tokens"] == 800, body
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "- greet(who: str) -> str in greet.py" in body["messages"][1]["content"], body["messages"][1]
    record = manifest(os.path.join(root, "out"))
    assert record["files"] == [{"path": "greet.py", "sha256": sha256(GREET)}], record["files"]
    assert record["spec"]["path"] == "greeter.yaml" and len(record["spec"]["sha256"]) == 64
    assert record["prompt"]["name"] == "builtin/python", record["prompt"]
    assert record["provider"] == "openai" and record["model"] == "gpt-4o-mini"
    assert record["model_snapshot"] == "gpt-4o-mini-2024-07-18", record
    assert record["parameters"] == {"temperature": 0.2, "max_tokens": 800}, record["parameters"]
    usage = record["usage"]
    assert usage["input_tokens"] == 300 and usage["output_tokens"] == 120 and usage["calls"] == 1, usage
    assert usage["cache_hits"] == 0 and usage["cache_hit"] is False and usage["cost_usd"] > 0, usage
    assert record["repairs"] == 0 and record["aiops_version"] and record["generated_at"].endswith("Z")
    assert "wrote 1 file in out (greet.py)" in done.stdout, done.stdout
    no_key_anywhere(root, done)


def scenario_a_multi_file_spec_is_written(root):
    write(os.path.join(root, "shapes.yaml"), TWO_FILE_SPEC)
    done, _ = generate_with(root, [two_file_reply()], "--spec", "shapes.yaml", "--output", "out",
                            "--json", "report.json")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert read(os.path.join(root, "out", "shapes", "area.py")) == AREA
    assert read(os.path.join(root, "out", "shapes", "names.py")) == NAMES
    assert [f["path"] for f in manifest(os.path.join(root, "out"))["files"]] == ["shapes/area.py", "shapes/names.py"]
    spec = json_report(root)["specs"][0]
    assert spec["status"] == "written" and spec["files"] == ["shapes/area.py", "shapes/names.py"], spec
    assert spec["output"] == "out" and spec["findings"] == [] and spec["problem"] == "", spec


def scenario_an_openapi_spec_becomes_endpoints(root):
    write(os.path.join(root, "pets.openapi.yaml"), OPENAPI_SPEC)
    done, model = generate_with(root, [fence("app.py", PETS)], "--spec", "pets.openapi.yaml", "--output", "out")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    user = model.user_messages(0)[0]
    assert "- GET /pets/{pet_id} (operationId get_pet) in app.py: Read a pet; parameters: pet_id in path " \
           "(integer, required)" in user, user
    assert "Dependencies allowed besides the standard library: flask" in user, user
    assert read(os.path.join(root, "out", "app.py")) == PETS


def scenario_an_openapi_handler_that_is_missing_is_a_finding(root):
    write(os.path.join(root, "pets.openapi.yaml"), OPENAPI_SPEC)
    other = PETS.replace('"/pets/<int:pet_id>"', '"/animals/<int:pet_id>"').replace("def get_pet", "def fetch")
    done, model = generate_with(root, [fence("app.py", other)], "--spec", "pets.openapi.yaml",
                                "--output", "out", "--max-repairs", "0")
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "conformance" in done.stdout and "get_pet" in done.stdout, done.stdout
    assert not os.path.exists(os.path.join(root, "out", "app.py"))
    # The model is shown the spec's place relative to its repository, not where it lies
    # on this machine.
    subprocess.run(["git", "init", "-q", root], check=True)
    write(os.path.join(root, "specs", "pets.openapi.yaml"), OPENAPI_SPEC)
    done, model = generate_with(root, [fence("app.py", other)], "--spec", os.path.join(root, "specs"),
                                "--output", "out2", "--max-repairs", "1", "--cache", "off")
    repair = model.user_messages(1)[-1]
    assert "- specs/pets.openapi.yaml:12:5: conformance.missing-endpoint: " in repair, repair
    assert root not in json.dumps(model.requests[1]["body"]), repair


EXTRACTION_FORMS = {
    "info string with the language": lambda: fence("shapes/area.py", AREA) + fence("shapes/names.py", NAMES),
    "info string with the path alone": lambda: f"```shapes/area.py\n{AREA}```\n```shapes/names.py\n{NAMES}```\n",
    "a heading before the block": lambda: f"### shapes/area.py\n\n```python\n{AREA}```\n\n## `shapes/names.py`\n```python\n{NAMES}```\n",
    "File: before the block": lambda: f"File: shapes/area.py\n```python\n{AREA}```\nFile: shapes/names.py\n```python\n{NAMES}```\n",
    "a bold path before the block": lambda: f"**shapes/area.py**\n```python\n{AREA}```\n**shapes/names.py**\n```python\n{NAMES}```\n",
    "prose and a shell block around the files": lambda: ("Install nothing; run:\n```bash\npython -m shapes\n```\n"
                                                         + two_file_reply()),
}


def scenario_every_extraction_form_gives_the_same_files(root):
    write(os.path.join(root, "shapes.yaml"), TWO_FILE_SPEC)
    for number, (form, reply) in enumerate(EXTRACTION_FORMS.items()):
        out = f"out{number}"
        done, _ = generate_with(root, [reply()], "--spec", "shapes.yaml", "--output", out, "--cache", "off")
        assert done.returncode == 0, (form, done.returncode, done.stdout, done.stderr)
        assert read(os.path.join(root, out, "shapes", "area.py")) == AREA, form
        assert read(os.path.join(root, out, "shapes", "names.py")) == NAMES, form


def scenario_a_readme_with_a_code_sample_keeps_its_nested_fence(root):
    readme = "# Greeter\n\nUse it:\n\n```python\nfrom greet import greet\nprint(greet('Ada'))\n```\n\nThat is all.\n"
    spec = ONE_FILE_SPEC.replace("  - path: greet.py\n    description: The greeting.\n",
                                 "  - path: greet.py\n  - path: README.md\n")
    write(os.path.join(root, "greeter.yaml"), spec)
    reply = fence("greet.py", GREET) + "\n" + fence("README.md", readme, language="markdown")
    done, _ = generate_with(root, [reply], "--spec", "greeter.yaml", "--output", "out")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert read(os.path.join(root, "out", "README.md")) == readme


CALC_SPEC = """name: calc
language: python
outputs:
  - path: calc.py
functions:
  - name: add
    parameters:
      - {name: a, type: int}
      - {name: b, type: int, default: "0"}
    returns: int
model: {provider: openai, model: gpt-4o-mini, max_tokens: 1000}
"""

ADD = "def add(a: int, b: int = 0) -> int:\n    return a + b\n"


def scenario_a_readme_whose_sample_opens_with_a_bare_fence_is_written_whole(root):
    write(os.path.join(root, "calc.yaml"), CALC_SPEC.replace("  - path: calc.py\n",
                                                             "  - path: calc.py\n  - path: README.md\n")
          .replace("  - name: add\n", "  - name: add\n    file: calc.py\n"))
    readme = "# T\n\nRun:\n\n```\npython calc.py\n```\n"
    reply = fence("calc.py", ADD) + "```markdown path=README.md\n" + readme + "```\n"
    done, _ = generate_with(root, [reply], "--spec", "calc.yaml", "--output", "out")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert read(os.path.join(root, "out", "README.md")) == readme
    assert manifest(os.path.join(root, "out"))["files"][0] == {"path": "README.md", "sha256": sha256(readme)}
    # Bare fences that pair up two ways are refused and go back to the model.
    unclear = "```markdown path=README.md\n# T\n\n```\nsome text\n```\nmore\n```\ntail\n```\n"
    done, model = generate_with(root, [fence("calc.py", ADD) + unclear], "--spec", "calc.yaml", "--output", "out2",
                                "--max-repairs", "1")
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "which one ends it is unclear (lines 8, 12)" in done.stdout, done.stdout
    assert "give each code sample in it a language" in model.user_messages(1)[-1], model.user_messages(1)
    assert not os.path.exists(os.path.join(root, "out2", "README.md"))


def scenario_paths_with_spaces_and_fences_inside_a_list(root):
    spec = CALC_SPEC.split("functions:")[0].replace("  - path: calc.py\n", "  - my app/a.py\n  - app/b.py\n")
    write(os.path.join(root, "pkg.yaml"), spec + "model: {provider: openai, model: gpt-4o-mini}\n")
    quoted = '```python path="my app/a.py"\nA = 1\n```\n' + fence("app/b.py", "B = 2\n")
    done, model = generate_with(root, [quoted], "--spec", "pkg.yaml", "--output", "out")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert read(os.path.join(root, "out", "my app", "a.py")) == "A = 1\n"
    assert '```python path="my app/a.py"' in model.requests[0]["body"]["messages"][0]["content"]
    # Unquoted, the path is unclear: refused, and nothing named 'my' is written.
    unquoted = "```python path=my app/a.py\nA = 1\n```\n" + fence("app/b.py", "B = 2\n")
    done, _ = generate_with(root, [unquoted], "--spec", "pkg.yaml", "--output", "out2", "--max-repairs", "0",
                            "--allow-extra-files")
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "has words after 'path=my': quote a path that holds spaces" in done.stdout, done.stdout
    assert not os.path.exists(os.path.join(root, "out2", "my"))
    # Each file in a numbered list item, its fence indented by three spaces.
    listed = ("1. first\n   ```python path=app/b.py\n   def fb() -> int:\n       return 2\n   ```\n"
              "2. second\n   ```python path=\"my app/a.py\"\n   def fa() -> int:\n       return 1\n   ```\n")
    done, _ = generate_with(root, [listed], "--spec", "pkg.yaml", "--output", "out3", "--max-repairs", "0")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert read(os.path.join(root, "out3", "app", "b.py")) == "def fb() -> int:\n    return 2\n"


def scenario_a_one_file_reply_beside_a_shell_block(root):
    write(os.path.join(root, "calc.yaml"), CALC_SPEC)
    reply = "Install:\n```bash\npip install nothing\n```\n```python\n" + ADD + "```\n"
    done, _ = generate_with(root, [reply], "--spec", "calc.yaml", "--output", "out", "--max-repairs", "0")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert read(os.path.join(root, "out", "calc.py")) == ADD


def scenario_an_ambiguous_reply_shows_its_outline_and_writes_nothing(root):
    write(os.path.join(root, "shapes.yaml"), TWO_FILE_SPEC)
    reply = f"Two blocks:\n```python\n{AREA}```\n```python\n{NAMES}```\n"
    done, model = generate_with(root, [reply], "--spec", "shapes.yaml", "--output", "out", "--max-repairs", "1")
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "which block is which file is unclear" in done.stdout, done.stdout
    assert "lines 2-5: ```python -> no path" in done.stdout, done.stdout
    # The problem went back to the model once, then the run gave up.
    assert len(model.requests) == 2
    assert model.user_messages(1)[-1].startswith(
        "Your reply could not be read as files: 'shapes/area.py', 'shapes/names.py' are missing, and the "
        "blocks at lines 2, 6 name no path: which block is which file is unclear\n"), model.user_messages(1)[-1]
    assert listing(os.path.join(root, "out")) == [".aiops/rejected/reply.md"], listing(os.path.join(root, "out"))


def refused(root, path, *extra, prepare=None):
    out = os.path.join(root, "out")
    os.makedirs(out, exist_ok=True)
    if prepare:
        prepare(out)
    before = [p for p in listing(out) if not p.startswith(".aiops/rejected/")]
    reply = fence("greet.py", GREET) + fence(path, "x = 1\n")
    done, _ = generate_with(root, [reply], "--spec", "greeter.yaml", "--output", "out", "--cache", "off", *extra)
    assert done.returncode == 1, (path, done.returncode, done.stdout, done.stderr)
    assert "which is refused" in done.stdout and "nothing was written" in done.stdout, done.stdout
    after = [p for p in listing(out) if not p.startswith(".aiops/rejected/")]
    assert after == before, (path, before, after)
    return done.stdout


def scenario_every_refused_path_writes_nothing(root):
    write(os.path.join(root, "greeter.yaml"), ONE_FILE_SPEC)
    outside = os.path.join(root, "escape-absolute.py")
    assert "an absolute path" in refused(root, outside, "--allow-extra-files")
    assert not os.path.exists(outside)
    assert "climbs out of the output folder" in refused(root, "../escape.py", "--allow-extra-files")
    assert not os.path.exists(os.path.join(root, "escape.py"))
    os.makedirs(os.path.join(root, "elsewhere"))

    def link(out):
        if not os.path.islink(os.path.join(out, "linked")):
            os.symlink(os.path.join(root, "elsewhere"), os.path.join(out, "linked"))

    assert "'linked' is a symbolic link" in refused(root, "linked/x.py", "--allow-extra-files", prepare=link)
    assert os.listdir(os.path.join(root, "elsewhere")) == []
    assert "'nul' names a device" in refused(root, "nul", "--allow-extra-files")

    def pipe(out):
        if not os.path.exists(os.path.join(out, "pipe")):
            os.mkfifo(os.path.join(out, "pipe"))

    assert "names a device, pipe or socket" in refused(root, "pipe", "--allow-extra-files", prepare=pipe)
    assert "does not list it among its outputs" in refused(root, "extra.py")
    assert "more than the 255 a file name may have" in refused(root, "n" * 300 + ".py", "--allow-extra-files")
    assert "'greet.py' is a file of the reply too" in refused(root, "greet.py/x.py", "--allow-extra-files")

    def git_work_tree(out):
        if not os.path.exists(os.path.join(out, ".git")):
            subprocess.run(["git", "init", "-q", out], check=True)

    git_work_tree(os.path.join(root, "out"))
    config = read(os.path.join(root, "out", ".git", "config"))
    for path in (".git/config", ".git/hooks/pre-commit", "sub/.git"):
        message = refused(root, path, "--allow-extra-files", "--force", prepare=git_work_tree)
        assert "holds a version control system's own files" in message, message
    assert read(os.path.join(root, "out", ".git", "config")) == config
    assert not os.path.exists(os.path.join(root, "out", ".git", "hooks", "pre-commit"))


def scenario_allow_extra_files_writes_an_unlisted_file(root):
    write(os.path.join(root, "greeter.yaml"), ONE_FILE_SPEC)
    reply = fence("greet.py", GREET) + fence("greet_cli.py", "print('hi')\n")
    done, _ = generate_with(root, [reply], "--spec", "greeter.yaml", "--output", "out", "--allow-extra-files")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert listing(os.path.join(root, "out")) == [".aiops/manifest.json", "greet.py", "greet_cli.py"]


def scenario_a_reply_cut_off_at_the_token_limit_writes_nothing(root):
    write(os.path.join(root, "greeter.yaml"), ONE_FILE_SPEC)
    done, model = generate_with(root, [("```python path=greet.py\ndef greet(who: str) -> str:\n    return f\"He", "length")],
                                "--spec", "greeter.yaml", "--output", "out")
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "cut off at the token limit (max_tokens 800, finish reason 'length')" in done.stdout, done.stdout
    assert len(model.requests) == 1
    assert listing(os.path.join(root, "out")) == [".aiops/rejected/reply.md"]


def scenario_a_reply_stopped_by_the_filter_or_for_no_known_reason_writes_nothing(root):
    write(os.path.join(root, "calc.yaml"), CALC_SPEC)
    for finish, shown in (("content_filter", "the model refused, or the provider's content filter stopped "
                                             "the reply (finish reason 'content_filter')"),
                          ("eos", "the reply did not end with a clean stop (finish reason 'eos')"),
                          (None, "the reply did not end with a clean stop (finish reason none given)")):
        done, model = generate_with(root, [(fence("calc.py", ADD), finish)], "--spec", "calc.yaml",
                                    "--output", "out", "--cache", "off", "--json", "report.json")
        assert done.returncode == 1, (finish, done.returncode, done.stdout, done.stderr)
        assert shown in done.stdout, (finish, done.stdout)
        assert len(model.requests) == 1, finish
        assert listing(os.path.join(root, "out")) == [".aiops/rejected/reply.md"], listing(os.path.join(root, "out"))
        assert json_report(root)["specs"][0]["status"] == "rejected"


def scenario_a_refusal_is_shown_not_taken_for_an_empty_reply(root):
    write(os.path.join(root, "calc.yaml"), CALC_SPEC)
    refusal = "I'm sorry, I can't help with that."
    done, model = generate_with(root, [{"content": None, "refusal": refusal}], "--spec", "calc.yaml",
                                "--output", "out")
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "(finish reason 'stop'): 'I'm sorry, I can't help with that.'; nothing was written" in done.stdout, \
        done.stdout
    assert "(empty)" not in done.stdout and len(model.requests) == 1
    assert read(os.path.join(root, "out", ".aiops", "rejected", "reply.md")) == refusal


def validate_spec(root, spec, folder):
    return subprocess.run([ARGS.aiops, "validate", "--no-git", "--spec", spec, folder], cwd=root,
                          capture_output=True, text=True, env=environment(), timeout=60)


def scenario_generate_and_validate_agree_on_the_spec_dependencies(root):
    write(os.path.join(root, "calc.yaml"), CALC_SPEC + "dependencies: [requests]\n")
    uses = "import requests\n\n\n" + ADD
    done, _ = generate_with(root, [fence("calc.py", uses)], "--spec", "calc.yaml", "--output", "out")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    checked = validate_spec(root, "calc.yaml", "out/")
    assert checked.returncode == 0, (checked.returncode, checked.stdout, checked.stderr)
    # An import the spec does not list fails both, and the message names the spec.
    write(os.path.join(root, "out", "calc.py"), "import flask\n\n\n" + ADD)
    checked = validate_spec(root, "calc.yaml", "out/")
    assert checked.returncode == 1, (checked.returncode, checked.stdout, checked.stderr)
    assert "'flask' is imported but not among the spec's dependencies (calc.yaml)" in checked.stdout, \
        checked.stdout


def scenario_a_reply_cannot_declare_its_own_dependencies(root):
    write(os.path.join(root, "calc.yaml"), CALC_SPEC)
    uses = "import yaml\n\n\n" + ADD
    for manifest_path, text in (("requirements.txt", "pyyaml\n"),
                                ("pyproject.toml", '[project]\nname = "calc"\ndependencies = ["pyyaml"]\n')):
        reply = fence("calc.py", uses) + fence(manifest_path, text, language="text")
        done, model = generate_with(root, [reply], "--spec", "calc.yaml", "--output", "out", "--cache", "off",
                                    "--allow-extra-files", "--max-repairs", "1")
        assert done.returncode == 1, (manifest_path, done.returncode, done.stdout, done.stderr)
        assert "calc.py:1:8: imports.undeclared" in done.stdout, (manifest_path, done.stdout)
        repair = model.user_messages(1)[-1]
        assert "'yaml' is imported but its package 'PyYAML' is not allowed: the spec (calc.yaml) lists no " \
               "dependencies" in repair, repair
        assert "requirements.txt" not in repair and "pyproject.toml" not in repair, repair
        assert not os.path.exists(os.path.join(root, "out", manifest_path))
    # A dependency file already in the folder, not written by a generation, counts.
    write(os.path.join(root, "out", "requirements.txt"), "pyyaml\n")
    done, _ = generate_with(root, [fence("calc.py", uses)], "--spec", "calc.yaml", "--output", "out",
                            "--cache", "off")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert validate_spec(root, "calc.yaml", "out/").returncode == 0


def scenario_a_repair_succeeds_on_the_second_round(root):
    write(os.path.join(root, "greeter.yaml"), ONE_FILE_SPEC)
    broken = "def greet(who: str) -> str:\n    return f\"Hello, {who}!\"\n    # ... rest of the code ...\n" \
             "def (\n"
    done, model = generate_with(root, [fence("greet.py", broken), fence("greet.py", GREET)],
                                "--spec", "greeter.yaml", "--output", "out")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert len(model.requests) == 2
    second = model.requests[1]["body"]["messages"]
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"], [m["role"] for m in second]
    assert second[2]["content"] == fence("greet.py", broken)
    assert "- greet.py:3:5: artefacts.elided-code: code elided" in second[3]["content"], second[3]["content"]
    assert "- greet.py:4:5: artefacts.truncated: " in second[3]["content"], second[3]["content"]
    assert read(os.path.join(root, "out", "greet.py")) == GREET
    record = manifest(os.path.join(root, "out"))
    assert record["repairs"] == 1 and record["usage"]["calls"] == 2, record
    assert record["usage"]["input_tokens"] == 600, record["usage"]
    assert not os.path.exists(os.path.join(root, "out", ".aiops", "rejected"))


def json_report(root, name="report.json"):
    """The --json report, checked against its schema."""
    import jsonschema
    report = json.loads(read(os.path.join(root, name)))
    schema = json.loads(read(os.path.join(ARGS.project, "schemas", "generate-report.schema.json")))
    jsonschema.validate(report, schema)
    return report


def scenario_a_repair_that_never_succeeds_keeps_the_files_aside(root):
    write(os.path.join(root, "greeter.yaml"), ONE_FILE_SPEC)
    broken = "def greet(who: str) -> str:\n    return (\n"
    done, model = generate_with(root, [fence("greet.py", broken)], "--spec", "greeter.yaml", "--output", "out",
                                "--json", "report.json")
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert len(model.requests) == 3, len(model.requests)
    assert "rejected, nothing written to out" in done.stdout and "2 repair rounds" in done.stdout, done.stdout
    assert "  greet.py:2:" in done.stdout, done.stdout
    out = os.path.join(root, "out")
    assert listing(out) == [".aiops/rejected/greet.py", ".aiops/rejected/reply.md"], listing(out)
    assert read(os.path.join(out, ".aiops", "rejected", "greet.py")) == broken
    report = json_report(root)
    assert report["exit_code"] == 1 and len(report["specs"]) == 1, report
    spec = report["specs"][0]
    assert spec["status"] == "rejected" and spec["repairs"] == 2 and spec["calls"] == 3, spec
    assert spec["files"] == [] and spec["input_tokens"] == 900, spec
    assert [(f["path"], f["line"], f["rule_id"]) for f in spec["findings"]] == [
        ("greet.py", 1, "conformance.missing-function"), ("greet.py", 2, "artefacts.truncated")], spec["findings"]


def first_generation(root):
    write(os.path.join(root, "greeter.yaml"), ONE_FILE_SPEC)
    done, model = generate_with(root, [fence("greet.py", GREET)], "--spec", "greeter.yaml", "--output", "out")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    first_generation.url = model.url
    return {name: read(os.path.join(root, "out", name)) for name in listing(os.path.join(root, "out"))}


def scenario_a_run_killed_while_the_model_answers_leaves_the_folder_as_it_was(root):
    before = first_generation(root)
    other = fence("greet.py", GREET.replace("Hello", "Hi"))
    for stop in (signal.SIGKILL, signal.SIGINT, signal.SIGTERM):
        # The reply would take 30 s: an interrupt must not wait for it.
        model = MockModel([other], delay=30)
        try:
            process = subprocess.Popen(command("--spec", "greeter.yaml", "--output", "out", "--cache", "off",
                                               "--json", "report.json", url=model.url),
                                       cwd=root, env=environment(), stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
            assert model.received.wait(30), "the request never arrived"
            time.sleep(0.5)
            signalled = time.monotonic()
            process.send_signal(stop)
            _, stderr = process.communicate(timeout=60)
            took = time.monotonic() - signalled
        finally:
            model.stop()
        expected = -signal.SIGKILL if stop == signal.SIGKILL else 130
        assert process.returncode == expected, (stop, process.returncode, stderr)
        assert took < 3, (stop, took)
        after = {name: read(os.path.join(root, "out", name)) for name in listing(os.path.join(root, "out"))}
        assert after == before, (stop, sorted(after), sorted(before))
        assert not os.path.exists(os.path.join(root, "report.json")), stop


def many_files_spec(count):
    outputs = "".join(f"  - path: part/f{i:02}.py\n" for i in range(count))
    return f"version: 1\nname: parts\nlanguage: python\noutputs:\n{outputs}model: {{provider: openai, model: gpt-4o-mini}}\n"


def many_files_reply(count, version, lines=4000):
    body = "".join(f"value_{n} = {n * version}\n" for n in range(lines))
    return "".join(fence(f"part/f{i:02}.py", f"# version {version}\n" + body) for i in range(count))


def file_text(reply, path):
    return reply.split(f"```python path={path}\n")[1].split("```")[0]


def scenario_a_run_killed_while_it_checks_and_writes_leaves_no_half_written_file(root):
    count = 24
    paths = [f"part/f{i:02}.py" for i in range(count)]
    write(os.path.join(root, "parts.yaml"), many_files_spec(count))

    def attempt(version, kill_after):
        """One run writing `version`, killed kill_after seconds after its request
        arrived (None: not killed); returns its exit code and how long it ran on."""
        model = MockModel([many_files_reply(count, version)])
        try:
            process = subprocess.Popen(command("--spec", "parts.yaml", "--output", "out", "--cache", "off",
                                               "--force", url=model.url),
                                       cwd=root, env=environment(), stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            assert model.received.wait(30), "the request never arrived"
            start = time.monotonic()
            if kill_after is not None:
                time.sleep(kill_after)
                process.kill()
            process.wait(timeout=60)
            return process.returncode, time.monotonic() - start
        finally:
            model.stop()

    # How long a whole run takes once the model is asked, to spread the kills over it:
    # while the reply is read, the files checked, written and renamed.
    code, whole = attempt(1, None)
    assert code == 0, code
    on_disk = {path: read(os.path.join(root, "out", path)) for path in paths}
    killed = 0
    previous = many_files_reply(count, 1)
    # Later and later kills, until a run gets through.
    for step in range(40):
        version = step + 2
        code, _ = attempt(version, whole * step / 14)
        killed += code == -signal.SIGKILL
        # Every file is whole: as it was before this run, as the run before decided it
        # (a switch this run finished first), or as this run wrote it.
        reply = many_files_reply(count, version)
        for path in paths:
            text = read(os.path.join(root, "out", path))
            assert text in (on_disk[path], file_text(previous, path), file_text(reply, path)), \
                (step, path, len(text))
            on_disk[path] = text
        previous = reply
        if os.environ.get("GENERATE_SCENARIO_TRACE"):
            hidden = [n for n in listing(os.path.join(root, "out")) if os.path.basename(n).startswith(".")]
            print(step, code, sorted({t[:13] for t in on_disk.values()}), len(hidden))
        if code == 0:
            break
    assert killed >= 8 and code == 0, (killed, code)
    # A run that finishes removes the temporaries killed ones left beside the files.
    done, _ = generate_with(root, [many_files_reply(count, 99)], "--spec", "parts.yaml", "--output", "out",
                            "--cache", "off", "--force")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    hidden = [name for name in listing(os.path.join(root, "out")) if os.path.basename(name).startswith(".")]
    assert hidden == [], hidden
    assert read(os.path.join(root, "out", "part", "f07.py")).startswith("# version 99\n")


def versions_on_disk(folder, paths):
    """The version each file of many_files_reply holds, by path."""
    return {path: int(read(os.path.join(folder, path)).split("\n", 1)[0].split()[-1]) for path in paths}


def scenario_a_run_killed_while_it_switches_the_files_is_finished_by_the_next(root):
    count = 200
    paths = [f"part/f{i:02}.py" for i in range(count)]
    write(os.path.join(root, "parts.yaml"), many_files_spec(count))
    done, _ = generate_with(root, [many_files_reply(count, 1)], "--spec", "parts.yaml", "--output", "out",
                            "--cache", "off")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    out = os.path.join(root, "out")
    journal = os.path.join(out, ".aiops", "switch.json")
    # Killed as soon as the switch is decided, a run leaves its journal among the
    # renames; each try that misses it leaves the folder wholly at one version.
    caught = False
    for version in range(2, 12):
        model = MockModel([many_files_reply(count, version)])
        try:
            process = subprocess.Popen(command("--spec", "parts.yaml", "--output", "out", "--cache", "off",
                                               url=model.url),
                                       cwd=root, env=environment(), stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            while process.poll() is None and not os.path.exists(journal):
                pass
            process.kill()
            process.wait(timeout=60)
        finally:
            model.stop()
        versions = set(versions_on_disk(out, paths).values())
        if os.environ.get("GENERATE_SCENARIO_TRACE"):
            print(version, os.path.exists(journal), sorted(versions))
        if not os.path.exists(journal):
            assert len(versions) == 1, (version, versions)
            continue
        caught = True
        assert versions <= {version - 1, version}, (version, versions)
        checked = subprocess.run([ARGS.aiops, "validate", "--checks", "manifest", "out"], cwd=root,
                                 capture_output=True, text=True, env=environment(), timeout=60)
        assert checked.returncode == 1, (checked.returncode, checked.stdout, checked.stderr)
        assert "out/.aiops/switch.json:1:1: high: the generation of 'out' was stopped while it switched the " \
               "files" in checked.stdout, checked.stdout
        assert "[manifest.unfinished-switch]" in checked.stdout and "manifest.edited" not in checked.stdout
        # The next run finishes the switch first, so nothing counts as edited by hand.
        done, _ = generate_with(root, [many_files_reply(count, version + 100)], "--spec", "parts.yaml",
                                "--output", "out", "--cache", "off")
        assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
        assert "finished switching out to the generation a stopped run had decided" in done.stderr, done.stderr
        assert set(versions_on_disk(out, paths).values()) == {version + 100}
        assert not os.path.exists(journal) and sorted(os.listdir(os.path.join(out, ".aiops"))) == ["manifest.json"]
        checked = subprocess.run([ARGS.aiops, "validate", "--checks", "manifest", "out"], cwd=root,
                                 capture_output=True, text=True, env=environment(), timeout=60)
        assert checked.returncode == 0, (checked.returncode, checked.stdout, checked.stderr)
        break
    assert caught, "no kill landed among the renames"


def scenario_a_rerun_to_the_same_files_writes_nothing_and_dropped_outputs_go(root):
    two = CALC_SPEC.replace("  - path: calc.py\n", "  - path: calc.py\n  - path: old/extra.py\n") \
        .replace("  - name: add\n", "  - name: add\n    file: calc.py\n")
    write(os.path.join(root, "calc.yaml"), two)
    reply = fence("calc.py", ADD) + fence("old/extra.py", "X = 1\n")
    done, _ = generate_with(root, [reply], "--spec", "calc.yaml", "--output", "out")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    out = os.path.join(root, "out")
    before = {name: os.stat(os.path.join(out, name)) for name in listing(out)}
    time.sleep(0.05)
    done, _ = generate_with(root, [reply], "--spec", "calc.yaml", "--output", "out", "--cache", "off")
    assert done.returncode == 0 and "unchanged, 2 files in out" in done.stdout, (done.stdout, done.stderr)
    after = {name: os.stat(os.path.join(out, name)) for name in listing(out)}
    assert {n: (s.st_ino, s.st_mtime_ns) for n, s in after.items()} == \
        {n: (s.st_ino, s.st_mtime_ns) for n, s in before.items()}
    # An output dropped from the spec is removed with the folder it leaves empty.
    write(os.path.join(root, "calc.yaml"), CALC_SPEC)
    done, _ = generate_with(root, [fence("calc.py", ADD)], "--spec", "calc.yaml", "--output", "out")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert "wrote 1 file in out (calc.py)" in done.stdout, done.stdout
    assert listing(out) == [".aiops/manifest.json", "calc.py"], listing(out)
    assert [f["path"] for f in manifest(out)["files"]] == ["calc.py"]


def writing_started(out):
    """Whether a run has begun to put files into the output folder: staged ones, or
    temporaries beside the targets."""
    if os.path.exists(os.path.join(out, ".aiops", "staging")):
        return True
    part = os.path.join(out, "part")
    return any(name.startswith(".") for name in os.listdir(part)) if os.path.isdir(part) else False


def scenario_an_interrupt_while_many_files_are_checked_and_staged_stops_at_once(root):
    count = 600
    paths = [f"part/f{i:02}.py" for i in range(count)]
    write(os.path.join(root, "parts.yaml"), many_files_spec(count))
    done, _ = generate_with(root, [many_files_reply(count, 1, lines=20)], "--spec", "parts.yaml", "--output", "out",
                            "--cache", "off")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    took = []
    for stop in (signal.SIGINT, signal.SIGTERM):
        model = MockModel([many_files_reply(count, 2, lines=20)])
        try:
            process = subprocess.Popen(command("--spec", "parts.yaml", "--output", "out", "--cache", "off",
                                               url=model.url),
                                       cwd=root, env=environment(), stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            assert model.received.wait(30), "the request never arrived"
            while process.poll() is None and not writing_started(os.path.join(root, "out")):
                time.sleep(0.001)
            signalled = time.monotonic()
            process.send_signal(stop)
            process.wait(timeout=120)
            took.append(time.monotonic() - signalled)
        finally:
            model.stop()
        assert process.returncode == 130, (stop, process.returncode)
        assert set(versions_on_disk(os.path.join(root, "out"), paths).values()) == {1}, stop
        assert sorted(os.listdir(os.path.join(root, "out", ".aiops"))) == ["manifest.json"], stop
    assert max(took) < 4, took


def scenario_a_file_edited_by_hand_is_kept_without_force(root):
    first_generation(root)
    edited = GREET + "# kept by hand\n"
    write(os.path.join(root, "out", "greet.py"), edited)
    other = fence("greet.py", GREET.replace("Hello", "Hi"))
    done, model = generate_with(root, [other], "--spec", "greeter.yaml", "--output", "out")
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "'out/greet.py' differs from what the last generation wrote there" in done.stderr, done.stderr
    assert "--force" in done.stderr and len(model.requests) == 0
    assert read(os.path.join(root, "out", "greet.py")) == edited
    done, _ = generate_with(root, [other], "--spec", "greeter.yaml", "--output", "out", "--force")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert "Hi, " in read(os.path.join(root, "out", "greet.py"))


def scenario_a_hand_written_file_is_not_called_edited_since_a_generation(root):
    write(os.path.join(root, "greeter.yaml"), ONE_FILE_SPEC)
    write(os.path.join(root, "out", "greet.py"), GREET + "# written by hand\n")
    done, model = generate_with(root, [fence("greet.py", GREET)], "--spec", "greeter.yaml", "--output", "out")
    assert done.returncode == 2 and len(model.requests) == 0, (done.returncode, done.stderr)
    assert ("greeter.yaml: 'out/greet.py' is there, and no generation wrote it (there is no "
            "out/.aiops/manifest.json); --force overwrites it") in done.stderr, done.stderr
    assert not os.path.exists(os.path.join(root, "out", ".aiops"))


def scenario_offline_replay_from_the_cache(root):
    first_generation(root)
    written = read(os.path.join(root, "out", "greet.py"))
    os.remove(os.path.join(root, "out", "greet.py"))
    # The server is gone; the address stays part of the request, as recorded.
    replay = generate(root, "--spec", "greeter.yaml", "--output", "out", "--offline", url=first_generation.url)
    assert replay.returncode == 0, (replay.returncode, replay.stdout, replay.stderr)
    assert read(os.path.join(root, "out", "greet.py")) == written
    usage = manifest(os.path.join(root, "out"))["usage"]
    assert usage["cache_hit"] is True and usage["cache_hits"] == 1 and usage["cost_usd"] == 0, usage
    # Another temperature is another request: offline, a miss is exit 3.
    miss = generate(root, "--spec", "greeter.yaml", "--output", "out", "--offline", "--temperature", "0.9",
                    url=first_generation.url)
    assert miss.returncode == 3, (miss.returncode, miss.stdout, miss.stderr)
    assert "offline" in miss.stdout and "no reply for key" in miss.stdout, miss.stdout
    assert f"at {first_generation.url} (the key covers the base URL too)" in miss.stdout, miss.stdout


def scenario_offline_replay_from_the_committed_example_cache(root):
    # The example's cache holds a sample reply keyed for the default OpenAI address: it
    # replays with no server and no key into the files committed beside it. A replay makes
    # no request, so it needs no libcurl: a broken one first on the library path is never
    # loaded.
    project = ARGS.project
    env = environment()
    env.pop("OPENAI_API_KEY", None)
    broken = os.path.join(root, "broken-libs")
    os.makedirs(broken)
    with open(os.path.join(broken, "libcurl.so.4"), "w", encoding="utf-8") as stub:
        stub.write("not a shared library\n")
    env["LD_LIBRARY_PATH"] = broken
    done = subprocess.run([ARGS.aiops, "generate", "--spec", os.path.join(project, "examples/specs/users.yaml"),
                           "--output", "users", "--cache", "dir:" + os.path.join(project, "examples/cache"),
                           "--offline", "--allow-extra-files"],
                          cwd=root, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    committed = os.path.join(project, "examples/generated/users")
    for name in ("app/__init__.py", "app/api.py", "app/store.py"):
        text = read(os.path.join(root, "users", name))
        assert text == read(os.path.join(committed, name)), name
        assert text.startswith("# Sample: a reply written by hand"), name
    record = manifest(os.path.join(root, "users"))
    assert record["prompt"]["name"] == "python-service" and record["prompt"]["version"] == "v1", record["prompt"]
    # What generate accepted, validate --spec accepts: the spec allows flask.
    checked = validate_spec(root, os.path.join(project, "examples/specs/users.yaml"), "users/")
    assert checked.returncode == 0, (checked.returncode, checked.stdout, checked.stderr)
    assert record["usage"]["cache_hit"] is True and record["usage"]["calls"] == 1, record["usage"]
    assert record["files"] == manifest(committed)["files"], record["files"]


def scenario_a_spec_output_through_a_link_is_refused_before_calling(root):
    write(os.path.join(root, "greeter.yaml"), ONE_FILE_SPEC)
    os.makedirs(os.path.join(root, "out"))
    os.symlink(os.path.join(root, "greeter.yaml"), os.path.join(root, "out", "greet.py"))
    done, model = generate_with(root, ["unused"], "--spec", "greeter.yaml", "--output", "out")
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "greeter.yaml:6:5: output 'greet.py' cannot be written: 'greet.py' is a symbolic link" \
        in done.stderr, done.stderr
    assert len(model.requests) == 0


def scenario_several_specs_from_a_folder(root):
    write(os.path.join(root, "specs", "greeter.yaml"), ONE_FILE_SPEC)
    write(os.path.join(root, "specs", "shapes.yaml"), TWO_FILE_SPEC)

    def answer(body):
        return fence("greet.py", GREET) if "greet.py" in json.dumps(body) else two_file_reply()

    class Router(MockModel):
        pass

    model = Router([""])
    model.replies = None
    original = model.server.RequestHandlerClass.do_POST

    def do_post(handler):
        length = int(handler.headers["Content-Length"])
        body = json.loads(handler.rfile.read(length))
        model.requests.append({"body": body})
        reply = json.dumps({"choices": [{"index": 0, "message": {"role": "assistant", "content": answer(body)},
                                         "finish_reason": "stop"}], "model": body["model"],
                            "usage": {"prompt_tokens": 10, "completion_tokens": 10}}).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(reply)))
        handler.end_headers()
        handler.wfile.write(reply)

    model.server.RequestHandlerClass.do_POST = do_post
    try:
        done = generate(root, "--spec", "specs", "--output", "out", "--jobs", "2", url=model.url)
    finally:
        model.server.RequestHandlerClass.do_POST = original
        model.stop()
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert len(model.requests) == 2
    assert listing(os.path.join(root, "out")) == [
        "greeter/.aiops/manifest.json", "greeter/greet.py",
        "shapes/.aiops/manifest.json", "shapes/shapes/area.py", "shapes/shapes/names.py"], listing(os.path.join(root, "out"))


def scenario_dry_run_prints_the_messages_and_calls_nothing(root):
    write(os.path.join(root, "greeter.yaml"), ONE_FILE_SPEC)
    done, model = generate_with(root, ["unused"], "--spec", "greeter.yaml", "--output", "out", "--dry-run")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert len(model.requests) == 0 and not os.path.exists(os.path.join(root, "out"))
    assert "--- system\nYou write python code" in done.stdout, done.stdout
    assert "--- user\nWrite greeter: Greets people." in done.stdout, done.stdout
    assert "openai:gpt-4o-mini, temperature 0.2, max_tokens 800" in done.stdout, done.stdout
    assert "reply tokens: at most $" in done.stdout, done.stdout


def scenario_max_cost_refuses_the_run_before_calling(root):
    write(os.path.join(root, "greeter.yaml"), ONE_FILE_SPEC)
    done, model = generate_with(root, ["unused"], "--spec", "greeter.yaml", "--output", "out",
                                "--max-cost", "0.00001")
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert len(model.requests) == 0 and "budget" in done.stdout.lower(), done.stdout


def scenario_a_call_past_the_budget_is_counted_and_its_reply_kept(root):
    write(os.path.join(root, "calc.yaml"), CALC_SPEC)
    costly = {"content": fence("calc.py", ADD), "usage": {"prompt_tokens": 1000000, "completion_tokens": 100000}}
    done, model = generate_with(root, [costly], "--spec", "calc.yaml", "--output", "out", "--cache", "off",
                                "--max-cost", "0.01", "--json", "r.json")
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert len(model.requests) == 1
    # gpt-4o-mini: $0.15 a million input tokens, $0.60 a million output tokens.
    assert "the run spent $0.2100, past its budget of $0.0100; 1 call (0 from the cache), 1000000 input and " \
           "100000 output tokens, $0.210000" in done.stdout, done.stdout
    spec = json_report(root, "r.json")["specs"][0]
    assert (spec["status"], spec["calls"], spec["input_tokens"], spec["output_tokens"]) == \
        ("rejected", 1, 1000000, 100000), spec
    assert abs(spec["cost_usd"] - 0.21) < 1e-9 and spec["budget_exceeded"] is True, spec
    assert read(os.path.join(root, "out", ".aiops", "rejected", "reply.md")) == fence("calc.py", ADD)
    assert not os.path.exists(os.path.join(root, "out", "calc.py"))


def scenario_a_malformed_spec_is_exit_2_with_its_place(root):
    write(os.path.join(root, "greeter.yaml"), ONE_FILE_SPEC.replace("returns: str", "retruns: str"))
    done, model = generate_with(root, ["unused"], "--spec", "greeter.yaml", "--output", "out")
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "greeter.yaml:13:5: unknown key 'retruns' in a function; did you mean 'returns'?" in done.stderr and "retruns" in done.stderr, done.stderr
    assert len(model.requests) == 0 and not os.path.exists(os.path.join(root, "out"))


def scenario_help_and_bad_usage(root):
    shown = subprocess.run([ARGS.aiops, "generate", "--help"], capture_output=True, text=True, cwd=root)
    assert shown.returncode == 0 and "--max-repairs" in shown.stdout and "Examples:" in shown.stdout
    missing = subprocess.run([ARGS.aiops, "generate", "--spec", "nope.yaml", "--output", "out"],
                             capture_output=True, text=True, cwd=root, env=environment())
    assert missing.returncode == 2 and "'nope.yaml': no such file or folder" in missing.stderr, missing.stderr
    write(os.path.join(root, "greeter.yaml"), ONE_FILE_SPEC)
    typo = subprocess.run([ARGS.aiops, "generate", "--spec", "greeter.yaml", "--output", "out", "--checks", "syntax,imprts"],
                          capture_output=True, text=True, cwd=root, env=environment())
    assert typo.returncode == 2, (typo.returncode, typo.stderr)
    assert "--checks: unknown check 'imprts'; did you mean 'imports'?" in typo.stderr, typo.stderr


def scenario_a_spec_in_a_language_whose_declarations_aiops_cannot_read(root):
    write(os.path.join(root, "lib.yaml"), "name: lib\nlanguage: rust\noutputs: [src/lib.rs]\n"
                                          "functions:\n  - {name: add, parameters: [a, b]}\n"
                                          "model: {provider: openai, model: gpt-4o-mini}\n")
    code = "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n"
    done, model = generate_with(root, [fence("src/lib.rs", code, language="rust")], "--spec", "lib.yaml",
                                "--output", "out", "--max-repairs", "2")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert len(model.requests) == 1
    assert "lib.yaml: conformance is not checked: aiops does not read the declarations in 'src/lib.rs' " \
           "(rust)" in done.stderr, done.stderr
    assert read(os.path.join(root, "out", "src", "lib.rs")) == code
    # The files are still checked for what aiops does read: a syntax error goes back.
    broken = "pub fn add(a: i32, b: i32) -> i32 {\n    a +\n"
    done, model = generate_with(root, [fence("src/lib.rs", broken, language="rust")], "--spec", "lib.yaml",
                                "--output", "out2", "--max-repairs", "0")
    assert done.returncode == 1 and "src/lib.rs:" in done.stdout, (done.returncode, done.stdout)


def scenario_messages_say_what_is_there(root):
    write(os.path.join(root, "calc.yaml"), CALC_SPEC)
    # A file that no manifest records: the message names no manifest as if it existed.
    write(os.path.join(root, "out", "calc.py"), "# written by hand\n")
    done, model = generate_with(root, [fence("calc.py", ADD)], "--spec", "calc.yaml", "--output", "out")
    assert done.returncode == 2 and len(model.requests) == 0, (done.returncode, done.stderr)
    assert "calc.yaml: 'out/calc.py' is there, and no generation wrote it (there is no " \
           "out/.aiops/manifest.json); --force overwrites it" in done.stderr, done.stderr
    # An extra file of the reply over one written by hand is found after the call.
    done, _ = generate_with(root, [fence("calc.py", ADD)], "--spec", "calc.yaml", "--output", "out", "--force")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    write(os.path.join(root, "out", "notes.txt"), "mine\n")
    reply = fence("calc.py", ADD) + fence("notes.txt", "the model's\n", language="text")
    done, _ = generate_with(root, [reply], "--spec", "calc.yaml", "--output", "out", "--allow-extra-files",
                            "--cache", "off")
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "calc.yaml: rejected, nothing written to out: 'out/notes.txt' is there, and the last " \
           "generation did not write it (see out/.aiops/manifest.json); --force overwrites it;" \
           in done.stdout, done.stdout
    assert read(os.path.join(root, "out", "notes.txt")) == "mine\n"
    assert read(os.path.join(root, "out", ".aiops", "rejected", "notes.txt")) == "the model's\n"
    # An unknown provider, and a spec without outputs, at their place in the spec.
    write(os.path.join(root, "acme.yaml"), CALC_SPEC.replace("provider: openai", "provider: acme"))
    done, _ = generate_with(root, ["unused"], "--spec", "acme.yaml", "--output", "out3")
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "acme.yaml:11:19: unknown provider 'acme' (openai, anthropic)" in done.stderr, done.stderr
    write(os.path.join(root, "none.yaml"), CALC_SPEC.replace("outputs:\n  - path: calc.py\n", "outputs: []\n"))
    done, _ = generate_with(root, ["unused"], "--spec", "none.yaml", "--output", "out3")
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "none.yaml:5:5: the spec lists no outputs, so this declaration names no file" in done.stderr, \
        done.stderr


REGISTRY_PROMPT = """name: codegen/gen
description: Writes the code.
variables:
  - {name: name, required: true}
  - {name: ticket, required: true}
messages:
  - role: user
    template: "Write {{name}} for {{ticket}}."
"""


def scenario_a_registry_prompt_that_needs_what_a_spec_does_not_give(root):
    subprocess.run(["git", "init", "-q", root], check=True)
    write(os.path.join(root, "prompts", "codegen", "gen.prompt.yaml"), REGISTRY_PROMPT)
    write(os.path.join(root, "specs", "calc.yaml"), CALC_SPEC + "prompt: codegen/gen@v1\n")
    git = ["git", "-C", root, "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "prompt"], check=True)
    done, model = generate_with(root, ["unused"], "--spec", "specs/calc.yaml", "--output", "out")
    assert done.returncode == 2 and len(model.requests) == 0, (done.returncode, done.stderr)
    assert "specs/calc.yaml:12:9: prompt 'codegen/gen@v1' requires variable 'ticket', which a spec does not " \
           "give (a spec gives " in done.stderr, done.stderr
    assert "--var" not in done.stderr, done.stderr
    # With a default it renders; the manifest names the prompt as the registry does.
    write(os.path.join(root, "prompts", "codegen", "gen.prompt.yaml"),
          REGISTRY_PROMPT.replace("{name: ticket, required: true}", "{name: ticket, default: T-1}"))
    subprocess.run(git + ["commit", "-qam", "default"], check=True)
    write(os.path.join(root, "specs", "calc.yaml"), CALC_SPEC + "prompt: codegen/gen@v2\n")
    done, model = generate_with(root, [fence("calc.py", ADD)], "--spec", "specs/calc.yaml", "--output", "out")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert model.user_messages(0) == ["Write calc for T-1."], model.user_messages(0)
    assert manifest(os.path.join(root, "out"))["prompt"]["name"] == "codegen/gen"


def scenario_bad_flags_are_exit_2_before_any_call(root):
    write(os.path.join(root, "calc.yaml"), CALC_SPEC)
    write(os.path.join(root, "f.txt"), "a file\n")
    cases = [
        (["--output", "f.txt"], "--output 'f.txt': it is a file, not a folder"),
        (["--output", "f.txt/out"], "--output 'f.txt/out': 'f.txt' on its way is a file, not a folder"),
        (["--output", "out", "--checks", ""], "--checks names no check (there are syntax, artefacts, imports, "
                                              "conformance)"),
        (["--output", "out", "--checks", "manifest"], "--checks: unknown check 'manifest' (there are syntax,"),
        (["--output", "out", "--base-url", "ftp://127.0.0.1/v1"], "--base-url 'ftp://127.0.0.1/v1': expected an "
                                                                  "http:// or https:// address"),
        (["--output", "out", "--base-url", "not a url"], "--base-url 'not a url': expected"),
        (["--output", "out", "--max-cost", "nan"], "must be a number of at least 0, not 'nan'"),
        (["--output", "out", "--max-cost", "inf"], "must be a number of at least 0, not 'inf'"),
        (["--output", "out", "--max-cost", "-1"], "must be a number of at least 0, not '-1'"),
        (["--output", "out", "--json", "f.txt/report.json"], "--json 'f.txt/report.json': 'f.txt' on its way is a "
                                                             "file"),
        (["--output", "out", "--json", "."], "--json '.': it is a folder, not a file"),
    ]
    for arguments, message in cases:
        model = MockModel([fence("calc.py", ADD)])
        try:
            url = [] if "--base-url" in arguments else ["--base-url", model.url]
            line = [ARGS.aiops, "generate", "--api-key-env", "GENERATE_TEST_KEY", "--cache", "off", "--spec",
                    "calc.yaml", *url, *arguments]
            done = subprocess.run(line, cwd=root, capture_output=True, text=True, env=environment(), timeout=60)
        finally:
            model.stop()
        assert done.returncode == 2, (arguments, done.returncode, done.stdout, done.stderr)
        assert message in done.stderr, (arguments, done.stderr)
        assert len(model.requests) == 0, arguments
    assert not os.path.exists(os.path.join(root, "out"))
    # A report into folders that do not exist yet makes them, as the other reports do.
    done, _ = generate_with(root, [fence("calc.py", ADD)], "--spec", "calc.yaml", "--output", "out",
                            "--json", "reports/new/r.json")
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert json_report(root, "reports/new/r.json")["specs"][0]["status"] == "written"


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    parser.add_argument("--project", required=True, help="the repository, for the example's cache")
    ARGS = parser.parse_args()
    ARGS.project = os.path.abspath(ARGS.project)
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    return run_scenarios(globals(), "aiops-generate-scenario-")


if __name__ == "__main__":
    sys.exit(main())
