#!/usr/bin/env python3
"""End-to-end scenarios of `aiops behave` prompt cases through the model layer, against
a mock OpenAI-compatible server on 127.0.0.1 that the test starts and stops: every
trial is its own call, a recorded run replays offline without the server, an offline
miss is exit 3, registry prompts render, a model that is wrong one time in four fails
the gate, a server that needs no key is sent none, a missing key variable says what to
do, and the API key appears in no output, even when it is given where its variable's
name belongs; HTTPS to a server with a private CA works with --ca-bundle and fails
clearly, without retries, with the wrong one. Prints one line per scenario and closes
with 'N passed, N failed'."""

import argparse
import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request

from scenario_runner import run_scenarios, write

ARGS = None
KEY = "sk-FAKE-behave-key-0000"


class MockModel:
    """Answers chat completions; `wrong_every` makes every N-th answer wrong."""

    def __init__(self, wrong_every=0, cut_every=0, tls=None):
        self.requests = []
        self.wrong_every = wrong_every
        self.cut_every = cut_every
        model = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server interface
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                model.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                       "body": body})
                count = len(model.requests)
                user = [m["content"] for m in body["messages"] if m["role"] == "user"][-1]
                wrong = model.wrong_every and count % model.wrong_every == 0
                text = "I cannot help" if wrong else f"Bonjour! ({user})"
                cut = model.cut_every and count % model.cut_every == 0
                reply = json.dumps({
                    "id": f"chatcmpl-{count}", "object": "chat.completion", "model": body["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                 "finish_reason": "length" if cut else "stop"}],
                    "usage": {"prompt_tokens": 12, "completion_tokens": 5, "total_tokens": 17}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}/v1"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


SUITE = """version: 1
name: greetings
defaults:
  trials: 6
  threshold: 0.9
  model: openai:gpt-4o-mini
  temperature: 0.7
cases:
  - id: greets-in-french
    messages:
      - {role: system, content: "Answer in French."}
      - {role: user, content: "Say hello to {{who}}."}
    vars: {who: Ada}
    assert:
      - contains: Bonjour
      - icontains: "say hello to ada"
"""


def behave(root, *arguments, url=None, key_env="BEHAVE_TEST_KEY"):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIOPS_")}
    env.update({"NO_COLOR": "1", "BEHAVE_TEST_KEY": KEY, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"})
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        env.pop(name, None)
    command = [ARGS.aiops, "behave", "--api-key-env", key_env, "--cache", "dir:cache",
               "--json", "report.json", *arguments, "greetings.suite.yaml"]
    if url:
        command[2:2] = ["--base-url", url]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


def report_case(root):
    with open(os.path.join(root, "report.json")) as handle:
        report = json.load(handle)
    return report["suites"][0]["cases"][0] if "suites" in report else report["cases"][0]


def no_key_anywhere(root, done):
    assert KEY not in done.stdout and KEY not in done.stderr
    for folder, _, names in os.walk(root):
        for name in names:
            with open(os.path.join(folder, name), errors="replace") as handle:
                assert KEY not in handle.read(), os.path.join(folder, name)


def scenario_each_trial_is_a_call_and_replays_offline(root):
    write(os.path.join(root, "greetings.suite.yaml"), SUITE)
    model = MockModel()
    try:
        done = behave(root, url=model.url)
    finally:
        model.stop()
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert len(model.requests) == 6, len(model.requests)
    first = model.requests[0]
    assert first["path"] == "/v1/chat/completions" and first["auth"] == "Bearer " + KEY
    assert first["body"]["model"] == "gpt-4o-mini" and first["body"]["temperature"] == 0.7
    assert first["body"]["messages"][1]["content"] == "Say hello to Ada.", first["body"]
    case = report_case(root)
    assert case["trials_run"] == 6 and case["passes"] == 6, case
    no_key_anywhere(root, done)
    # The server is gone: the recorded run replays trial by trial from the cache.
    replay = behave(root, "--offline", url=model.url)
    assert replay.returncode == 0, (replay.returncode, replay.stdout, replay.stderr)
    assert report_case(root)["passes"] == 6
    entries = os.listdir(os.path.join(root, "cache"))
    assert len([e for e in entries if e.endswith(".json")]) == 6, entries


def scenario_an_empty_api_key_env_sends_no_key_to_a_local_server(root):
    write(os.path.join(root, "greetings.suite.yaml"), SUITE.replace("trials: 6", "trials: 2"))
    model = MockModel()
    try:
        command = [ARGS.aiops, "behave", "--api-key-env", "", "--cache", "off", "--base-url", model.url,
                   "greetings.suite.yaml"]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AIOPS_", "OPENAI_"))}
        env.update({"NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"})
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
            env.pop(name, None)
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, timeout=60)
    finally:
        model.stop()
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert [r["auth"] for r in model.requests] == [None, None], model.requests


def scenario_an_offline_miss_is_exit_3(root):
    write(os.path.join(root, "greetings.suite.yaml"), SUITE)
    done = behave(root, "--offline")
    assert done.returncode == 3, (done.returncode, done.stdout, done.stderr)
    assert "cache" in done.stderr.lower(), done.stderr


def scenario_a_model_wrong_one_time_in_four_fails_the_gate(root):
    write(os.path.join(root, "greetings.suite.yaml"), SUITE.replace("trials: 6", "trials: 12"))
    model = MockModel(wrong_every=4)
    try:
        done = behave(root, url=model.url)
    finally:
        model.stop()
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    case = report_case(root)
    assert case["trials_run"] == 12 and case["passes"] == 9, case


def scenario_a_reply_cut_off_at_max_tokens_fails_its_trial_live_and_replayed(root):
    write(os.path.join(root, "greetings.suite.yaml"), SUITE)
    model = MockModel(cut_every=3)
    try:
        done = behave(root, url=model.url)
    finally:
        model.stop()
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    case = report_case(root)
    assert case["trials_run"] == 6 and case["passes"] == 4, case
    assert case["failed_trials"][0]["messages"] == [
        "the reply was cut off at max_tokens (finish_reason 'length')"], case
    replay = behave(root, "--offline", url=model.url)
    assert replay.returncode == 1, (replay.returncode, replay.stdout, replay.stderr)
    assert report_case(root)["passes"] == 4


def scenario_registry_prompts_render_with_variables(root):
    write(os.path.join(root, "prompts", "greet.prompt.yaml"),
          "name: greet\ndescription: Greets someone.\nvariables:\n  - {name: who, required: true}\n"
          "messages:\n  - role: user\n    template: \"Say hello to {{who}}.\"\n")
    write(os.path.join(root, "greetings.suite.yaml"),
          SUITE.replace("    messages:\n      - {role: system, content: \"Answer in French.\"}\n"
                        "      - {role: user, content: \"Say hello to {{who}}.\"}\n",
                        "    prompt: greet\n"))
    model = MockModel()
    try:
        done = behave(root, "--registry", ".", url=model.url)
    finally:
        model.stop()
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert model.requests[0]["body"]["messages"] == [{"role": "user", "content": "Say hello to Ada."}], \
        model.requests[0]["body"]["messages"]


def scenario_a_registry_prompts_model_settings_apply_unless_the_suite_gives_its_own(root):
    write(os.path.join(root, "prompts", "greet.prompt.yaml"),
          "name: greet\nvariables:\n  - {name: who, required: true}\n"
          "model: {model: 'openai:gpt-4o-mini', temperature: 0.2, max_tokens: 1200}\n"
          "messages:\n  - role: user\n    template: \"Say hello to {{who}}.\"\n")
    suite = SUITE.replace("trials: 6", "trials: 1").replace(
        "    messages:\n      - {role: system, content: \"Answer in French.\"}\n"
        "      - {role: user, content: \"Say hello to {{who}}.\"}\n", "    prompt: greet\n")
    # Without a model or temperature in the suite, the prompt's settings are sent.
    write(os.path.join(root, "greetings.suite.yaml"),
          suite.replace("  model: openai:gpt-4o-mini\n  temperature: 0.7\n", ""))
    model = MockModel()
    try:
        done = behave(root, "--registry", ".", url=model.url)
        assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
        body = model.requests[-1]["body"]
        assert (body["model"], body["temperature"], body["max_tokens"]) == ("gpt-4o-mini", 0.2, 1200), body
        # The suite's own temperature wins over the prompt's.
        write(os.path.join(root, "greetings.suite.yaml"), suite)
        done = behave(root, "--registry", ".", url=model.url)
        assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
        body = model.requests[-1]["body"]
        assert (body["temperature"], body["max_tokens"]) == (0.7, 1200), body
    finally:
        model.stop()


def scenario_a_server_that_needs_no_key_is_sent_none(root):
    write(os.path.join(root, "greetings.suite.yaml"), SUITE.replace("trials: 6", "trials: 1"))
    model = MockModel()
    try:
        done = behave(root, url=model.url, key_env="")
    finally:
        model.stop()
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert [r["auth"] for r in model.requests] == [None], model.requests


def scenario_a_missing_key_variable_is_exit_2_and_says_what_to_do(root):
    write(os.path.join(root, "greetings.suite.yaml"), SUITE)
    model = MockModel()
    try:
        done = behave(root, url=model.url, key_env="BEHAVE_UNSET_KEY")
    finally:
        model.stop()
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert ("the environment variable 'BEHAVE_UNSET_KEY' that holds the openai API key is not set: "
            "set it, or name another variable with --api-key-env ('' for a server that needs no key)"
            in done.stderr), done.stderr
    assert model.requests == [], model.requests


def scenario_a_key_pasted_as_the_variable_name_is_not_shown(root):
    write(os.path.join(root, "greetings.suite.yaml"), SUITE)
    model = MockModel()
    try:
        done = behave(root, url=model.url, key_env=KEY)
    finally:
        model.stop()
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert model.requests == [], model.requests
    assert "is not a variable name (is it the key itself?" in done.stderr, done.stderr
    no_key_anywhere(root, done)


def make_certificates(folder):
    """A throwaway CA, a certificate for 127.0.0.1 it signs, and an unrelated CA."""
    def openssl(*arguments):
        subprocess.run(["openssl", *arguments], cwd=folder, check=True, capture_output=True)
    for ca in ("ca", "other-ca"):
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "2", "-subj", f"/CN=aiops FAKE scenario {ca}",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", f"{ca}.key", "-out", f"{ca}.pem")
    write(os.path.join(folder, "server.ext"), "subjectAltName=IP:127.0.0.1\n")
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-subj", "/CN=aiops FAKE scenario server", "-keyout", "server.key", "-out", "server.csr")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-set_serial", "7", "-days", "2", "-extfile", "server.ext", "-out", "server.pem")
    return os.path.join(folder, "server.pem"), os.path.join(folder, "server.key")


def scenario_https_with_a_private_ca_through_ca_bundle(root):
    write(os.path.join(root, "greetings.suite.yaml"), SUITE.replace("trials: 6", "trials: 2"))
    model = MockModel(tls=make_certificates(root))
    try:
        trusted = behave(root, "--ca-bundle", "ca.pem", url=model.url)
        shutil.rmtree(os.path.join(root, "cache"))  # so the next run has to call the server
        untrusted = behave(root, "-vv", "--ca-bundle", "other-ca.pem", url=model.url)
        missing = behave(root, "--ca-bundle", "no-such.pem", url=model.url)
    finally:
        model.stop()
    assert trusted.returncode == 0, (trusted.returncode, trusted.stdout, trusted.stderr)
    assert len(model.requests) == 2, model.requests
    assert untrusted.returncode == 3, (untrusted.returncode, untrusted.stdout, untrusted.stderr)
    host = model.url.split("//")[1].split("/")[0]
    assert (f"the TLS certificate of '{host}' could not be verified against the CA bundle "
            "'other-ca.pem' (" in untrusted.stderr), untrusted.stderr
    assert "give that CA's certificate as a PEM file with --ca-bundle FILE" in untrusted.stderr
    # -vv logs each attempt and each retry; a certificate that fails verification gets
    # one attempt per trial and no retry.
    assert f"aiops: debug: POST {host}: status 0" in untrusted.stderr, untrusted.stderr
    assert "retrying" not in untrusted.stderr, untrusted.stderr
    assert missing.returncode == 2, (missing.returncode, missing.stdout, missing.stderr)
    assert "no-such.pem" in missing.stderr, missing.stderr


def free_loopback_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Pushgateway:
    """A prometheus-pushgateway of the test's own, in memory only, on a free loopback port."""

    def __init__(self, root):
        self.port = free_loopback_port()
        self.log = open(os.path.join(root, "pushgateway.log"), "w")
        self.process = subprocess.Popen(
            ["prometheus-pushgateway", f"--web.listen-address=127.0.0.1:{self.port}",
             "--persistence.file=", "--log.level=warn"], stdout=self.log, stderr=self.log)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("prometheus-pushgateway did not start; see pushgateway.log")
                time.sleep(0.05)

    def scrape(self):
        # No proxy from the environment: the gateway is on loopback.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(self.url + "/metrics", timeout=10) as reply:
            return reply.read().decode()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


def scenario_metrics_go_to_a_file_and_a_pushgateway(root):
    # The suite's name holds the characters the text format must escape.
    write(os.path.join(root, "greetings.suite.yaml"),
          SUITE.replace("name: greetings", 'name: \'say "hi" \\ twice\'')
          .replace("trials: 6", "trials: 4"))
    model = MockModel(wrong_every=4)
    gateway = Pushgateway(root)
    try:
        done = behave(root, "--metrics", "behave.prom", "--pushgateway", gateway.url,
                      url=model.url)
        scraped = gateway.scrape()
    finally:
        model.stop()
        gateway.stop()
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert len(model.requests) == 4, len(model.requests)
    with open(os.path.join(root, "behave.prom")) as handle:
        text = handle.read()
    lines = text.splitlines()
    assert r'behave_pass_ratio{suite="say \"hi\" \\ twice",case="greets-in-french"} 0.75' in lines, text
    assert 'llm_requests_total{model="gpt-4o-mini",status="ok"} 4' in lines, text
    assert 'llm_tokens_total{model="gpt-4o-mini",kind="input"} 48' in lines, text
    assert 'llm_latency_seconds_count{model="gpt-4o-mini"} 4' in lines, text
    checked = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    pushed = scraped.splitlines()
    assert (r'behave_pass_ratio{case="greets-in-french",instance="",job="aiops_behave",'
            r'suite="say \"hi\" \\ twice"} 0.75') in pushed, scraped
    assert ('llm_requests_total{instance="",job="aiops_behave",model="gpt-4o-mini",status="ok"} 4'
            in pushed), scraped


def scenario_each_shard_pushes_its_own_group(root):
    cases = "".join(f"  - id: case-{n}\n    run: [echo, ok]\n    assert: [{{contains: ok}}]\n"
                    for n in range(1, 7))
    write(os.path.join(root, "greetings.suite.yaml"), f"name: shards\ndefaults: {{trials: 2}}\ncases:\n{cases}")
    gateway = Pushgateway(root)
    try:
        for shard in ("1/2", "2/2"):
            done = behave(root, "--shard", shard, "--pushgateway", gateway.url)
            assert done.returncode == 0, (shard, done.returncode, done.stdout, done.stderr)
        scraped = gateway.scrape()
    finally:
        gateway.stop()
    found = {}
    for line in scraped.splitlines():
        if line.startswith("behave_pass_ratio{"):
            labels = dict(part.split("=", 1) for part in line[len("behave_pass_ratio{"):line.index("}")].split(","))
            found[labels["case"].strip('"')] = labels["shard"].strip('"')
    assert sorted(found) == [f"case-{n}" for n in range(1, 7)], scraped
    assert set(found.values()) == {"1-of-2", "2-of-2"}, found


def scenario_a_pushgateway_that_is_not_http_is_refused_before_any_call(root):
    write(os.path.join(root, "greetings.suite.yaml"), SUITE)
    model = MockModel()
    try:
        done = behave(root, "--pushgateway", "127.0.0.1:9091", url=model.url)
    finally:
        model.stop()
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "--pushgateway '127.0.0.1:9091': expected an http:// or https:// address" in done.stderr, done.stderr
    assert model.requests == [], model.requests


def scenario_a_base_url_that_is_not_http_is_refused_before_any_trial(root):
    write(os.path.join(root, "greetings.suite.yaml"), SUITE)
    done = behave(root, url="127.0.0.1:11434/v1")
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert done.stderr == ("aiops: error: --base-url '127.0.0.1:11434/v1': expected an http:// or "
                           "https:// address\n"), done.stderr
    assert not os.path.exists(os.path.join(root, "report.json"))


def scenario_a_failed_push_is_exit_3_after_the_reports(root):
    write(os.path.join(root, "greetings.suite.yaml"), SUITE)
    model = MockModel()
    try:
        done = behave(root, "--metrics", "behave.prom", "--sarif", "behave.sarif", "--pushgateway",
                      f"http://127.0.0.1:{free_loopback_port()}", url=model.url)
    finally:
        model.stop()
    assert done.returncode == 3, (done.returncode, done.stdout, done.stderr)
    assert "cannot push metrics" in done.stderr, done.stderr
    assert "1 of 1 cases passed" in done.stdout, done.stdout
    for name in ("behave.prom", "behave.sarif"):
        assert os.path.exists(os.path.join(root, name)), name
    assert report_case(root)["passes"] == 6


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--aiops", required=True)
    ARGS = parser.parse_args()
    ARGS.aiops = os.path.abspath(ARGS.aiops)
    return run_scenarios(globals(), "aiops-behave-model-scenario-")


if __name__ == "__main__":
    sys.exit(main())
