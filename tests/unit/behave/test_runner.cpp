#include "behave/behave.hpp"
#include "behave/behave_report.hpp"
#include "behave/model_layer.hpp"
#include "behave/process.hpp"
#include "core/interrupt.hpp"
#include "llm/mock_server.hpp"
#include "metrics/exposition.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

namespace behave = aiops::behave;
namespace core = aiops::core;

namespace {

behave::Suite suite_of(const std::string& text)
{
    auto suite = behave::parse_suite(text, "t.suite.yaml", std::filesystem::current_path());
    if (!suite) {
        FAIL(suite.error().message());
    }
    return std::move(suite).take();
}

behave::CaseResult run_one(const std::string& text,
                           const behave::BehaveOptions& options = {},
                           behave::ModelCaller* caller = nullptr)
{
    auto report = behave::run_behave({suite_of(text)}, options, caller);
    if (!report) {
        FAIL(report.error().message());
    }
    REQUIRE(report->suites.size() == 1);
    REQUIRE(report->suites[0].cases.size() == 1);
    return report->suites[0].cases[0];
}

/// A script that fails one run in four, from the trial index aiops passes.
constexpr const char* k_flaky_script = "#!/bin/sh\n"
                                       "if [ $(( (AIOPS_TRIAL + 1) % 4 )) -eq 0 ]; then\n"
                                       "  echo boom >&2; exit 1\n"
                                       "fi\n"
                                       "echo ok\n";

/// Whether a process is gone or dead: a zombie waiting for its new parent to reap it
/// counts as ended. Waits up to a second for it.
bool process_ended(int pid)
{
    for (int i = 0; i < 50; ++i) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string skipped;
        std::string state;
        if (!(stat >> skipped >> skipped >> state) || state == "Z") {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

/// A stand-in for the model layer: the answer depends on the trial index only, as a
/// recorded cache replays it.
class ScriptedModel : public behave::ModelCaller
{
public:
    explicit ScriptedModel(std::vector<std::string> answers) : m_answers(std::move(answers)) {}

    core::Result<behave::ModelReply> call(const behave::ModelRequest& request, int trial) override
    {
        std::lock_guard lock(m_mutex);
        m_trials.insert(trial);
        m_requests.push_back(request);
        behave::ModelReply reply;
        reply.text = m_answers[static_cast<std::size_t>(trial) % m_answers.size()];
        reply.latency_ms = 10.0 + trial;
        reply.input_tokens = 5;
        reply.output_tokens = 3;
        reply.cost_usd = 0.01;
        reply.truncated = m_truncated_trials.contains(trial);
        reply.filtered = m_filtered_trials.contains(trial);
        return reply;
    }

    std::optional<double> worst_case_cost(const behave::ModelRequest&) override { return 0.02; }

    unsigned concurrency_limit() const override { return 2; }

    std::set<int> m_trials;
    std::vector<behave::ModelRequest> m_requests;
    std::set<int> m_truncated_trials;
    std::set<int> m_filtered_trials;

private:
    std::mutex m_mutex;
    std::vector<std::string> m_answers;
};

} // namespace

TEST_SUITE("behave")
{
    TEST_CASE("behave::run_process")
    {
        SUBCASE("stdin, env, working folder and exit code")
        {
            std::filesystem::create_directories("work");
            behave::ProcessSpec spec;
            spec.argv = {"sh", "-c", "cat; echo \"$GREETING\"; pwd; echo err >&2; exit 4"};
            spec.stdin_text = "from stdin\n";
            spec.env = {{"GREETING", "hi"}};
            spec.working_folder = std::filesystem::absolute("work");
            const auto result = behave::run_process(spec);
            REQUIRE(result.ok());
            CHECK(result->stdout_text == "from stdin\nhi\n" + spec.working_folder.string() + "\n");
            CHECK(result->stderr_text == "err\n");
            CHECK(result->exit_code == 4);
            CHECK_FALSE(result->timed_out);
        }
        SUBCASE("a timeout kills the whole process group")
        {
            behave::ProcessSpec spec;
            spec.argv = {"sh", "-c", "sleep 30 & sleep 30; echo never"};
            spec.timeout = std::chrono::milliseconds(300);
            const auto result = behave::run_process(spec);
            REQUIRE(result.ok());
            CHECK(result->timed_out);
            CHECK(result->stdout_text.empty());
            CHECK(result->latency_ms < 5000);
        }
        SUBCASE("output past the cap is named, and the child stopped")
        {
            behave::ProcessSpec spec;
            spec.argv = {"sh", "-c", "head -c 100000 /dev/zero >&2; sleep 30"};
            spec.max_output_bytes = 1000;
            const auto result = behave::run_process(spec);
            REQUIRE(result.ok());
            CHECK(result->stderr_text.size() == 1000);
            CHECK(result->over_cap == "standard error");
            CHECK(result->signal == SIGKILL);
            CHECK(result->latency_ms < 5000);
        }
        SUBCASE("output up to the cap is whole")
        {
            behave::ProcessSpec spec;
            spec.argv = {"sh", "-c", "head -c 1000 /dev/zero"};
            spec.max_output_bytes = 1000;
            const auto result = behave::run_process(spec);
            REQUIRE(result.ok());
            CHECK(result->stdout_text.size() == 1000);
            CHECK(result->over_cap.empty());
            CHECK(result->exit_code == 0);
        }
        SUBCASE("a child that leaves a daemon holding its output is done when it exits")
        {
            behave::ProcessSpec spec;
            spec.argv = {"sh", "-c", "setsid sleep 30 & echo quick"};
            spec.timeout = std::chrono::milliseconds(2000);
            const auto result = behave::run_process(spec);
            REQUIRE(result.ok());
            CHECK_FALSE(result->timed_out);
            CHECK(result->stdout_text == "quick\n");
            CHECK(result->exit_code == 0);
            CHECK(result->latency_ms < 1000);
        }
        SUBCASE("what the child leaves in its group is killed when it exits")
        {
            behave::ProcessSpec spec;
            spec.argv = {"sh", "-c", "sleep 30 & echo $! > leftover.pid"};
            const auto result = behave::run_process(spec);
            REQUIRE(result.ok());
            CHECK(result->exit_code == 0);
            std::ifstream pid_file("leftover.pid");
            int pid = 0;
            pid_file >> pid;
            REQUIRE(pid > 0);
            CHECK(process_ended(pid));
        }
        SUBCASE("an interrupt kills the child's group at once")
        {
            behave::ProcessSpec spec;
            spec.argv = {"sh", "-c", "sleep 25 & sleep 25"};
            std::thread interrupter([] {
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                core::request_interrupt();
            });
            const auto started = std::chrono::steady_clock::now();
            const auto result = behave::run_process(spec);
            interrupter.join();
            core::clear_interrupt();
            const auto took = std::chrono::steady_clock::now() - started;
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().code() == core::ErrorCode::interrupted);
            CHECK(took < std::chrono::seconds(2));
        }
        SUBCASE("a child that ignores a large stdin does not break the run")
        {
            behave::ProcessSpec spec;
            spec.argv = {"true"};
            spec.stdin_text = std::string(1 << 20, 'x');
            const auto result = behave::run_process(spec);
            REQUIRE(result.ok());
            CHECK(result->exit_code == 0);
        }
        SUBCASE("a missing program is an I/O error")
        {
            behave::ProcessSpec spec;
            spec.argv = {"no-such-program-anywhere"};
            const auto result = behave::run_process(spec);
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().code() == core::ErrorCode::io);
            CHECK(result.error().message()
                  == "cannot run 'no-such-program-anywhere': No such file or directory");
        }
    }

    TEST_CASE("behave::run_behave command cases")
    {
        SUBCASE("a program that cannot start is an I/O error at the case's line")
        {
            auto report = behave::run_behave(
                {suite_of("cases:\n  - id: gone\n    run: [no-such-program-anywhere]\n"
                          "    assert: [{exit-code: 0}]\n")},
                {},
                nullptr);
            REQUIRE_FALSE(report.ok());
            CHECK(report.error().code() == core::ErrorCode::io);
            CHECK(
                report.error().message()
                == "t.suite.yaml:2:5: case 'gone': cannot run 'no-such-program-anywhere': No such "
                   "file or directory");
        }

        aiops::test::write_file("flaky.sh", k_flaky_script);
        std::filesystem::permissions("flaky.sh", std::filesystem::perms::owner_all);

        SUBCASE("a case that fails one run in four is caught")
        {
            behave::BehaveOptions options;
            options.jobs = 4;
            const auto result =
                run_one("defaults: {trials: 20, threshold: 0.95}\n"
                        "cases:\n  - id: flaky\n    run: [./flaky.sh]\n"
                        "    assert: [{exit-code: 0}, {stdout-equals: \"ok\\n\"}]\n",
                        options);
            CHECK(result.trials_run == 20);
            CHECK(result.passes == 15);
            CHECK(result.pass_rate == doctest::Approx(0.75));
            CHECK_FALSE(result.passed);
            CHECK(result.distinct_outputs == 2);
            CHECK(result.consistency == doctest::Approx(0.75));
            CHECK(result.wilson.lower == doctest::Approx(0.531).epsilon(1e-2));
            REQUIRE(result.reasons.size() == 1);
            CHECK(result.reasons[0] == "pass rate 0.750 (15/20) is under the threshold 0.95");
            REQUIRE(result.failed_trials.size() == 3);
            CHECK(result.failed_trials[0].trial == 3);
            CHECK(result.failed_trials[1].trial == 7);
            CHECK(result.trials_needed == 59U);
        }
        SUBCASE("the same case passes a 0.7 threshold, and --confidence fails it")
        {
            const std::string text =
                "defaults: {trials: 20, threshold: 0.7}\n"
                "cases:\n  - id: flaky\n    run: [./flaky.sh]\n    assert: [{exit-code: 0}]\n";
            CHECK(run_one(text).passed);
            behave::BehaveOptions options;
            options.confidence = 0.95;
            const auto strict = run_one(text, options);
            CHECK_FALSE(strict.passed);
            CHECK(strict.reasons[0]
                  == "the 95% Wilson lower bound of the pass rate, 0.531 (15/20), is under the "
                     "threshold 0.7");
        }
        SUBCASE("the trials the note asks for pass the gate that the note is about")
        {
            // 59 passes: the exact bound's count, which the --confidence gate (Wilson) refuses.
            const std::string text = "defaults: {trials: 59, threshold: 0.95}\n"
                                     "cases:\n  - id: always\n    run: [\"true\"]\n"
                                     "    assert: [{exit-code: 0}]\n";
            CHECK(run_one(text).passed);
            behave::BehaveOptions options;
            options.confidence = 0.95;
            auto report = behave::run_behave({suite_of(text)}, options, nullptr);
            REQUIRE(report.ok());
            const auto& strict = report->suites[0].cases[0];
            CHECK_FALSE(strict.passed);
            // 59 / (59 + 1.959964^2) = 0.9389; 73 is the first n with n / (n + z^2) >= 0.95.
            CHECK(strict.reasons[0]
                  == "the 95% Wilson lower bound of the pass rate, 0.939 (59/59), is under the "
                     "threshold 0.95");
            CHECK(strict.trials_needed == 73U);
            CHECK(behave::write_behave_text(*report, false)
                      .find("note: case 'always': the gate's 95% Wilson lower bound reaches 0.95 "
                            "only after 73 passing trials in a row; this case ran 59\n")
                  != std::string::npos);
            options.trials = 73;
            const auto enough = run_one(text, options);
            CHECK(enough.passed);
            CHECK_FALSE(enough.trials_needed.has_value());
            options.trials = 72;
            CHECK_FALSE(run_one(text, options).passed);
        }
        SUBCASE("a threshold of 1 without --confidence brings no note")
        {
            auto report = behave::run_behave(
                {suite_of("cases:\n  - {id: a, trials: 2, run: [\"true\"], assert: [{exit-code: "
                          "0}]}\n  - {id: b, trials: 2, run: [\"true\"], assert: [{exit-code: "
                          "0}]}\n")},
                {},
                nullptr);
            REQUIRE(report.ok());
            CHECK(behave::write_behave_text(*report, false).find("note:") == std::string::npos);
        }
        SUBCASE("consistency.min fails a case whose outputs vary")
        {
            const auto result =
                run_one("cases:\n  - id: varies\n    trials: 8\n    threshold: 0\n"
                        "    run: [sh, -c, 'echo $((AIOPS_TRIAL % 2))']\n"
                        "    consistency: {min: 0.6}\n    assert: [{exit-code: 0}]\n");
            CHECK(result.consistency == doctest::Approx(0.5));
            CHECK(result.distinct_outputs == 2);
            CHECK_FALSE(result.passed);
            CHECK(result.reasons[0]
                  == "consistency 0.500 (2 distinct outputs) is under consistency.min 0.6");
        }
        SUBCASE("--trials and --consistency-threshold override the suite")
        {
            behave::BehaveOptions options;
            options.trials = 3;
            options.threshold = 0.5;
            const auto result = run_one(
                "defaults: {trials: 50, threshold: 1}\n"
                "cases:\n  - id: flaky\n    run: [./flaky.sh]\n    assert: [{exit-code: 0}]\n",
                options);
            CHECK(result.trials_run == 3);
            CHECK(result.passed);
        }
        SUBCASE("--early-stop ends a case once its verdict is fixed, whatever --jobs is")
        {
            for (const unsigned jobs : {1U, 3U}) {
                behave::BehaveOptions options;
                options.early_stop = true;
                options.jobs = jobs;
                // Threshold 0.9 over 40 trials allows 4 failures; the fifth is trial 19.
                const auto result = run_one(
                    "defaults: {trials: 40, threshold: 0.9}\n"
                    "cases:\n  - id: flaky\n    run: [./flaky.sh]\n    assert: [{exit-code: 0}]\n",
                    options);
                CHECK(result.trials_run == 20);
                CHECK(result.trials_saved == 20);
                CHECK_FALSE(result.passed);
            }
        }
        SUBCASE("--sequential decides a clear failure early")
        {
            behave::BehaveOptions options;
            options.sequential = true;
            options.max_trials = 500;
            const auto result = run_one(
                "defaults: {threshold: 0.95}\n"
                "cases:\n  - id: flaky\n    run: [./flaky.sh]\n    assert: [{exit-code: 0}]\n",
                options);
            CHECK(result.sequential == behave::SequentialOutcome::fail);
            CHECK_FALSE(result.passed);
            CHECK(result.trials_run < 100);
            CHECK(result.trials_saved == 500 - result.trials_run);
        }
        SUBCASE("a trial that times out fails")
        {
            const auto result = run_one("cases:\n  - id: slow\n    trials: 2\n    timeout: 200ms\n"
                                        "    run: [sleep, '5']\n    assert: [{exit-code: 0}]\n");
            CHECK(result.passes == 0);
            CHECK(result.failed_trials[0].messages[0] == "timed out after 200 ms");
        }
        SUBCASE("forbidden text past the old 1 MiB cap is seen")
        {
            const std::string text =
                "version: 1\nname: trunc\ndefaults: {trials: 1}\ncases:\n"
                "  - id: should-fail-not-contains\n"
                "    run: [python3, -c, \"import sys; sys.stdout.write('log line\\\\n'*150000 + "
                "'Traceback (most recent call last): boom\\\\n')\"]\n"
                "    assert: [{not-contains: Traceback}]\n"
                "  - id: should-fail-stderr\n"
                "    run: [python3, -c, \"import sys; sys.stderr.write('warn\\\\n'*250000 + "
                "'Traceback: boom\\\\n')\"]\n"
                "    assert: [{not: {stderr-contains: Traceback}}]\n"
                "  - id: should-fail-regex\n"
                "    run: [python3, -c, \"import sys; sys.stdout.write('ok\\\\n'*600000 + "
                "'ERROR\\\\n')\"]\n"
                "    assert: [{not: {regex: ERROR}}]\n";
            auto report = behave::run_behave({suite_of(text)}, {}, nullptr);
            REQUIRE(report.ok());
            REQUIRE(report->suites[0].cases.size() == 3);
            std::vector<std::string> messages;
            for (const auto& result : report->suites[0].cases) {
                CHECK_FALSE(result.passed);
                REQUIRE(result.failed_trials.size() == 1);
                messages.push_back(result.failed_trials[0].messages.at(0));
            }
            CHECK(messages[0].ends_with("contains 'Traceback'"));
            CHECK(messages[1] == "not stderr-contains: the assertion holds");
            CHECK(messages[2] == "not regex: the assertion holds");
            CHECK(behave_exit_code(*report) == core::ExitCode::gate_failed);
        }
        SUBCASE("an output past max-output fails its trial, naming the cap")
        {
            const auto result = run_one(
                "defaults: {trials: 1, max-output: 1M}\ncases:\n"
                "  - id: should-fail-not-contains\n"
                "    run: [python3, -c, \"import sys; sys.stdout.write('log line\\\\n'*150000 + "
                "'Traceback (most recent call last): boom\\\\n')\"]\n"
                "    assert: [{not-contains: Traceback}]\n");
            CHECK_FALSE(result.passed);
            REQUIRE(result.failed_trials.size() == 1);
            CHECK(result.failed_trials[0].messages
                  == std::vector<std::string>{
                      "its standard output passed the cap of 1048576 bytes, so the trial fails "
                      "without judging a part of it; raise 'max-output' in the case or the "
                      "suite's defaults"});
        }
        SUBCASE("a command that cannot start ends the run")
        {
            auto report = behave::run_behave(
                {suite_of(
                    "cases:\n  - id: x\n    run: [./missing]\n    assert: [{exit-code: 0}]\n")},
                {},
                nullptr);
            REQUIRE_FALSE(report.ok());
            CHECK(report.error().code() == core::ErrorCode::io);
        }
        SUBCASE("--shard splits the cases by id, and every case lands in one shard")
        {
            const auto suite =
                suite_of("cases:\n"
                         "  - {id: a, trials: 1, run: [true], assert: [{exit-code: 0}]}\n"
                         "  - {id: b, trials: 1, run: [true], assert: [{exit-code: 0}]}\n"
                         "  - {id: c, trials: 1, run: [true], assert: [{exit-code: 0}]}\n"
                         "  - {id: d, trials: 1, run: [true], assert: [{exit-code: 0}]}\n");
            std::multiset<std::string> seen;
            for (unsigned index = 1; index <= 2; ++index) {
                behave::BehaveOptions options;
                options.shard = aiops::source::Shard{index, 2};
                auto report = behave::run_behave({suite}, options, nullptr);
                REQUIRE(report.ok());
                CHECK(report->cases_skipped_by_shard + report->suites[0].cases.size() == 4);
                for (const auto& result : report->suites[0].cases) {
                    seen.insert(result.id);
                }
            }
            CHECK(seen == std::multiset<std::string>{"a", "b", "c", "d"});
        }
    }

    TEST_CASE("behave::run_behave prompt cases")
    {
        const std::string text =
            "defaults: {trials: 8, threshold: 0.7, provider: openai, model: m1}\n"
            "cases:\n  - id: answer\n    messages: [{role: user, content: 'Say {{w}}'}]\n"
            "    vars: {w: yes}\n"
            "    consistency: {min: 0.7, normalise: case}\n"
            "    assert: [{icontains: yes}, {max-cost: 0.05}]\n";
        SUBCASE("without the model layer, a prompt case stops the run before any trial")
        {
            auto report = behave::run_behave({suite_of(text)}, {}, nullptr);
            REQUIRE_FALSE(report.ok());
            CHECK(report.error().code() == core::ErrorCode::internal);
            CHECK(report.error().message()
                  == "t.suite.yaml:3:5: case 'answer' is a prompt case, which needs a model "
                     "caller, and none was given");
        }
        SUBCASE("a case the model layer cannot call is a usage error before any trial runs")
        {
            behave::ModelLayerOptions layer;
            layer.cache = "off";
            layer.base_url = "http://127.0.0.1:9/v1"; // never reached: the check comes first
            auto caller = behave::make_model_layer_caller(layer);
            REQUIRE(caller.ok());
            const auto error_of = [&](const std::string& suite_text) {
                auto report = behave::run_behave({suite_of(suite_text)}, {}, caller->get());
                REQUIRE_FALSE(report.ok());
                CHECK(report.error().code() == core::ErrorCode::usage);
                return report.error().message();
            };
            aiops::test::write_file("ran.sh", "#!/bin/sh\ntouch ran.txt\n");
            std::filesystem::permissions("ran.sh", std::filesystem::perms::owner_all);
            CHECK(error_of(
                      "cases:\n  - id: first\n    run: [./ran.sh]\n    assert: [{exit-code: 0}]\n"
                      "  - id: answer\n    messages: [{role: user, content: hi}]\n"
                      "    assert: [{contains: x}]\n")
                  == "t.suite.yaml:5:5: case 'answer': no model: set 'model' in the case or the "
                     "suite's defaults, e.g. 'openai:gpt-4o-mini'");
            CHECK_FALSE(std::filesystem::exists("ran.txt"));
            CHECK(
                error_of("defaults: {model: 'llama3:8b'}\ncases:\n  - id: answer\n"
                         "    messages: [{role: user, content: hi}]\n    assert: [{contains: x}]\n")
                == "t.suite.yaml:3:5: case 'answer': unknown provider 'llama3' in the model "
                   "'llama3:8b' (openai, anthropic); write a model whose name holds ':' as "
                   "'openai:llama3:8b', or set 'provider'");
            CHECK(
                error_of("defaults: {model: m, provider: olla}\ncases:\n  - id: answer\n"
                         "    messages: [{role: user, content: hi}]\n    assert: [{contains: x}]\n")
                == "t.suite.yaml:3:5: case 'answer': unknown provider 'olla' (openai, anthropic)");
        }
        SUBCASE("a reply cut off at max_tokens fails its trial though its text passes")
        {
            ScriptedModel model({"yes"});
            model.m_truncated_trials = {2, 5};
            const auto result = run_one(text, {}, &model);
            CHECK(result.trials_run == 8);
            CHECK(result.passes == 6);
            REQUIRE(result.failed_trials.size() == 2);
            CHECK(result.failed_trials[0].trial == 2);
            CHECK(result.failed_trials[0].messages
                  == std::vector<std::string>{
                      "the reply was cut off at max_tokens (finish_reason 'length')"});
        }
        SUBCASE("a reply a content filter stopped fails its trial though its text passes")
        {
            ScriptedModel model({"yes"});
            model.m_filtered_trials = {1};
            const auto result = run_one(text, {}, &model);
            CHECK(result.passes == 7);
            REQUIRE(result.failed_trials.size() == 1);
            CHECK(result.failed_trials[0].messages
                  == std::vector<std::string>{"the reply was stopped by a content filter or "
                                              "refused (finish_reason 'content_filter')"});
        }
        SUBCASE("tokens and cost count the calls made beside the trial that settled the verdict")
        {
            // 40 trials at threshold 0.9 allow 4 failures: the fifth, trial 4, settles it.
            // The model runs 2 calls at once, so trial 5 ran beside it and was paid for.
            ScriptedModel model({"no"});
            behave::BehaveOptions options;
            options.early_stop = true;
            options.jobs = 4;
            const auto result = run_one("defaults: {trials: 40, threshold: 0.9, model: m1}\n"
                                        "cases:\n  - id: allfail\n"
                                        "    messages: [{role: user, content: hi}]\n"
                                        "    assert: [{contains: hello}]\n",
                                        options,
                                        &model);
            CHECK(model.m_trials.size() == 6);
            CHECK(result.trials_run == 5);
            CHECK(result.tokens == 6 * 8);
            CHECK(result.cost_usd == doctest::Approx(6 * 0.01));
        }
        SUBCASE("each trial is its own call, and a replay gives the same statistics")
        {
            ScriptedModel model({"Yes", "YES", "yes", "no"});
            const auto first = run_one(text, {}, &model);
            CHECK(model.m_trials == std::set<int>{0, 1, 2, 3, 4, 5, 6, 7});
            CHECK(model.m_requests.front().model == "m1");
            CHECK(model.m_requests.front().variables.at("w") == "yes");
            CHECK(first.passes == 6);
            CHECK(first.consistency == doctest::Approx(0.75));
            CHECK(first.distinct_outputs == 2);
            CHECK(first.tokens == 64);
            CHECK(first.cost_usd == doctest::Approx(0.08));
            CHECK(first.latency_p50_ms == doctest::Approx(13.0));
            CHECK(first.passed);
            ScriptedModel replay({"Yes", "YES", "yes", "no"});
            const auto second = run_one(text, {}, &replay);
            CHECK(second.passes == first.passes);
            CHECK(second.consistency == first.consistency);
        }
        SUBCASE("--max-cost refuses a run whose worst case is over budget, before any call")
        {
            ScriptedModel model({"yes"});
            behave::BehaveOptions options;
            options.max_cost = 0.1; // 8 trials at up to $0.02 each may cost $0.16
            auto report = behave::run_behave({suite_of(text)}, options, &model);
            REQUIRE(report.ok());
            CHECK(report->budget_exceeded);
            CHECK(model.m_trials.empty());
            CHECK(behave::behave_exit_code(*report) == core::ExitCode::gate_failed);
        }
        SUBCASE("--max-cost holds back calls the budget cannot pay for at their worst")
        {
            ScriptedModel model({"yes"});
            behave::BehaveOptions options;
            options.max_cost = 0.17; // the worst case, 8 x $0.02, fits; each call costs $0.01
            auto report = behave::run_behave({suite_of(text)}, options, &model);
            REQUIRE(report.ok());
            CHECK_FALSE(report->budget_exceeded);
            CHECK(model.m_trials.size() == 8);
        }
        SUBCASE("--max-cost refuses a model it cannot price, at the case's line")
        {
            class Unpriced : public ScriptedModel
            {
            public:
                Unpriced() : ScriptedModel({"yes"}) {}

                std::optional<double> worst_case_cost(const behave::ModelRequest&) override
                {
                    return std::nullopt;
                }
            };

            Unpriced model;
            behave::BehaveOptions options;
            options.max_cost = 1;
            auto report = behave::run_behave({suite_of(text)}, options, &model);
            REQUIRE_FALSE(report.ok());
            CHECK(report.error().code() == core::ErrorCode::usage);
            CHECK(report.error().message()
                  == "t.suite.yaml:3:5: case 'answer': --max-cost cannot bound the cost of model "
                     "'m1', which has no price (give one with --prices)");
            CHECK(model.m_trials.empty());
        }
        SUBCASE("--max-cost stops a run that spends more than it may")
        {
            class Expensive : public ScriptedModel
            {
            public:
                Expensive() : ScriptedModel({"yes"}) {}

                std::optional<double> worst_case_cost(const behave::ModelRequest&) override
                {
                    return 0.001;
                }
            };

            Expensive model;
            behave::BehaveOptions options;
            options.max_cost = 0.03; // each call really costs $0.01
            auto report = behave::run_behave({suite_of(text)}, options, &model);
            REQUIRE(report.ok());
            CHECK(report->budget_exceeded);
            CHECK(model.m_trials.size() == 4); // two batches of the model's 2 concurrent calls
            REQUIRE(report->suites[0].cases.size() == 1);
            CHECK(report->suites[0].cases[0].trials_run == 4);
            CHECK(report->suites[0].cases[0].trials_saved == 0);
            CHECK(
                report->budget_message
                == "spent $0.0400, more than --max-cost $0.0300: the run stopped in case 'answer'");
        }
    }

    TEST_CASE("behave::run_behave through the model layer")
    {
        aiops::test::MockModelServer server;
        ::setenv("AIOPS_TEST_BEHAVE_KEY", "sk-FAKE-behave-0000", 1);
        behave::ModelLayerOptions layer;
        layer.cache = "dir:cache";
        layer.base_url = server.url() + "/v1";
        layer.api_key_env = "AIOPS_TEST_BEHAVE_KEY";
        layer.retry.base_delay = std::chrono::milliseconds(1);
        const auto run = [&](const std::string& suite_text,
                             const behave::ModelLayerOptions& options,
                             const behave::BehaveOptions& run_options = {}) {
            auto caller = behave::make_model_layer_caller(options);
            REQUIRE(caller.ok());
            return behave::run_behave({suite_of(suite_text)}, run_options, caller->get());
        };

        SUBCASE("a replay judges max-cost and max-latency-ms by the recorded call")
        {
            // 12 prompt and 7 completion tokens of gpt-4o-mini at $0.15 and $0.60 a million.
            const double cost = 12 * 0.15 / 1e6 + 7 * 0.60 / 1e6;
            auto slow = aiops::test::openai_reply("ok", "stop", 12, 7);
            slow.delay = std::chrono::milliseconds(200);
            server.script({slow});
            const std::string suite =
                "defaults: {trials: 2, threshold: 1, model: openai:gpt-4o-mini}\ncases:\n"
                "  - {id: too-expensive, messages: [{role: user, content: hi}], assert: "
                "[{max-cost: 0.000005}]}\n"
                "  - {id: cheap-enough, messages: [{role: user, content: hi2}], assert: "
                "[{max-cost: 0.00001}]}\n"
                "  - {id: slow, messages: [{role: user, content: hi3}], assert: "
                "[{max-latency-ms: 100}]}\n";
            const auto verdicts = [](const behave::BehaveReport& report) {
                std::vector<bool> out;
                for (const auto& result : report.suites[0].cases) {
                    out.push_back(result.passed);
                }
                return out;
            };
            auto live = run(suite, layer);
            REQUIRE(live.ok());
            CHECK(server.requests().size() == 6);
            CHECK(verdicts(*live) == std::vector<bool>{false, true, false});
            CHECK(live->suites[0].cases[0].cost_usd == doctest::Approx(2 * cost));
            CHECK(live->suites[0].cases[2].latency_p50_ms >= 200.0);

            auto offline_layer = layer;
            offline_layer.offline = true;
            auto replay = run(suite, offline_layer);
            REQUIRE(replay.ok());
            CHECK(server.requests().size() == 6);
            CHECK(verdicts(*replay) == std::vector<bool>{false, true, false});
            CHECK(replay->suites[0].cases[0].cost_usd == doctest::Approx(2 * cost));
            CHECK(replay->suites[0].cases[2].latency_p50_ms >= 200.0);
            CHECK(replay->suites[0].cases[0].failed_trials[0].messages[0]
                  == "max-cost: cost $0.000006, more than $5e-06");

            // A plain second run is served from the cache just the same.
            auto again = run(suite, layer);
            REQUIRE(again.ok());
            CHECK(server.requests().size() == 6);
            CHECK(verdicts(*again) == std::vector<bool>{false, true, false});

            SUBCASE("--max-cost lets a replay run, which cannot cost anything")
            {
                behave::BehaveOptions budget;
                budget.max_cost = 0.0000001;
                auto offline = run(suite, offline_layer, budget);
                REQUIRE(offline.ok());
                CHECK_FALSE(offline->budget_exceeded);
                CHECK(offline->suites[0].cases.size() == 3);
                // Online too: every trial is in the cache.
                auto cached = run(suite, layer, budget);
                REQUIRE(cached.ok());
                CHECK_FALSE(cached->budget_exceeded);
                CHECK(server.requests().size() == 6);
                // A trial the cache lacks is counted at its worst case.
                budget.trials = 3;
                auto more = run(suite, layer, budget);
                REQUIRE(more.ok());
                CHECK(more->budget_exceeded);
                CHECK(server.requests().size() == 6);
            }
        }
        SUBCASE("a case's timeout bounds the model call, retries included")
        {
            auto late = aiops::test::openai_reply("say ok", "stop");
            late.delay = std::chrono::milliseconds(3000);
            server.script({late});
            auto uncached = layer;
            uncached.cache = "off";
            const auto started = std::chrono::steady_clock::now();
            auto report = run("defaults: {timeout: 1s, trials: 1, threshold: 1, model: "
                              "openai:gpt-4o-mini}\ncases:\n  - id: one\n"
                              "    messages: [{role: user, content: \"say ok\"}]\n"
                              "    assert: [{contains: ok}]\n",
                              uncached);
            const auto took = std::chrono::steady_clock::now() - started;
            REQUIRE(report.ok());
            const auto& result = report->suites[0].cases[0];
            CHECK_FALSE(result.passed);
            CHECK(result.failed_trials[0].messages
                  == std::vector<std::string>{"no reply within the timeout of 1000 ms"});
            CHECK(server.requests().size() == 1); // the time was up: no retry
            CHECK(took < std::chrono::milliseconds(2500));
        }
        SUBCASE("the provider a model names chooses the provider")
        {
            server.script({aiops::test::openai_reply("ok")});
            auto uncached = layer;
            uncached.cache = "off";
            auto report = run("defaults: {trials: 1, threshold: 1, provider: anthropic, model: "
                              "claude-3-5-haiku-latest}\ncases:\n  - id: colon-model\n"
                              "    model: \"openai:org/model:tag\"\n"
                              "    messages: [{role: user, content: hi}]\n"
                              "    assert: [{contains: ok}]\n",
                              uncached);
            REQUIRE(report.ok());
            CHECK(report->suites[0].cases[0].passed);
            REQUIRE(server.requests().size() == 1);
            CHECK(server.requests()[0].target == "/v1/chat/completions");
            CHECK(nlohmann::json::parse(server.requests()[0].body)["model"] == "org/model:tag");

            auto conflict = run("defaults: {trials: 1}\ncases:\n  - id: conflict\n"
                                "    provider: openai\n"
                                "    model: anthropic:claude-3-5-haiku-latest\n"
                                "    messages: [{role: user, content: hi}]\n"
                                "    assert: [{contains: ok}]\n",
                                uncached);
            REQUIRE_FALSE(conflict.ok());
            CHECK(conflict.error().code() == core::ErrorCode::input);
            CHECK(conflict.error().message()
                  == "t.suite.yaml:3:5: case 'conflict': the provider 'openai' and the model "
                     "'anthropic:claude-3-5-haiku-latest' name different providers: drop one");
            CHECK(server.requests().size() == 1);
        }
        SUBCASE("a key with a line break in it is refused before any call, unshown")
        {
            server.script({aiops::test::openai_reply("ok")});
            for (const char* key : {"sk-FAKE-x\r\nX-Evil: 1", "sk-FAKE-trailing\n"}) {
                ::setenv("AIOPS_TEST_BEHAVE_KEY", key, 1);
                auto report = run("defaults: {trials: 1, model: openai:gpt-4o-mini}\ncases:\n"
                                  "  - id: one\n    messages: [{role: user, content: hi}]\n"
                                  "    assert: [{contains: ok}]\n",
                                  layer);
                REQUIRE_FALSE(report.ok());
                CHECK(report.error().code() == core::ErrorCode::usage);
                CHECK(report.error().message()
                      == "t.suite.yaml:3:5: case 'one': the environment variable "
                         "'AIOPS_TEST_BEHAVE_KEY' that holds the openai API key has a control "
                         "character in it (a line break at its end?): remove it; the key was not "
                         "sent");
            }
            ::setenv("AIOPS_TEST_BEHAVE_KEY", "sk-FAKE-behave-0000", 1);
            CHECK(server.requests().empty());
        }
        SUBCASE("--max-concurrent calls are in flight at once, and --stream reads events")
        {
            auto slow = aiops::test::openai_reply("ok");
            slow.delay = std::chrono::milliseconds(1000);
            server.script({slow});
            auto wide = layer;
            wide.cache = "off";
            wide.max_concurrent = 12;
            const std::string suite = "defaults: {trials: 24, model: openai:gpt-4o-mini}\n"
                                      "cases:\n  - id: one\n"
                                      "    messages: [{role: user, content: hi}]\n"
                                      "    assert: [{contains: ok}]\n";
            auto report = run(suite, wide);
            REQUIRE(report.ok());
            CHECK(report->suites[0].cases[0].passes == 24);
            // Each reply is held back a second, so a batch meets at the server: never more
            // than twelve, and more than the old cap of 8 even when a busy machine makes
            // a few of a batch late.
            CHECK(server.requests().size() == 24);
            CHECK(server.peak_in_flight() <= 12);
            CHECK(server.peak_in_flight() > 8);

            aiops::test::MockReply events;
            events.content_type = "text/event-stream";
            events.pieces = {"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"o\"}}]}"
                             "\n\n",
                             "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"k\"},"
                             "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"};
            server.script({events});
            wide.stream = true;
            auto streamed = run(suite, wide);
            REQUIRE(streamed.ok());
            CHECK(streamed->suites[0].cases[0].passes == 24);
            CHECK(nlohmann::json::parse(server.requests().back().body)["stream"] == true);
        }
        SUBCASE("an interrupt stops a call in flight at once")
        {
            auto hung = aiops::test::openai_reply("ok");
            hung.delay = std::chrono::milliseconds(5000);
            server.script({hung});
            auto uncached = layer;
            uncached.cache = "off";
            std::thread interrupter([] {
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                core::request_interrupt();
            });
            const auto started = std::chrono::steady_clock::now();
            auto report = run("defaults: {trials: 4, model: openai:gpt-4o-mini}\ncases:\n"
                              "  - id: one\n    messages: [{role: user, content: hi}]\n"
                              "    assert: [{contains: ok}]\n",
                              uncached);
            const auto took = std::chrono::steady_clock::now() - started;
            interrupter.join();
            core::clear_interrupt();
            REQUIRE_FALSE(report.ok());
            CHECK(report.error().code() == core::ErrorCode::interrupted);
            CHECK(took < std::chrono::milliseconds(2500));
        }
    }

    TEST_CASE("behave reports")
    {
        aiops::test::write_file("flaky.sh", k_flaky_script);
        std::filesystem::permissions("flaky.sh", std::filesystem::perms::owner_all);
        auto report = behave::run_behave(
            {suite_of("name: demo\ndefaults: {trials: 8, threshold: 0.9}\ncases:\n"
                      "  - id: flaky\n    run: [./flaky.sh]\n    assert: [{exit-code: 0}]\n"
                      "  - id: steady\n    run: [echo, ok]\n    assert: [{contains: ok}]\n")},
            {},
            nullptr);
        REQUIRE(report.ok());
        SUBCASE("metrics")
        {
            CHECK(behave::behave_metrics(*report, nullptr)
                  == "# HELP behave_pass_ratio Share of a behave case's trials that passed.\n"
                     "# TYPE behave_pass_ratio gauge\n"
                     "behave_pass_ratio{suite=\"demo\",case=\"flaky\"} 0.75\n"
                     "behave_pass_ratio{suite=\"demo\",case=\"steady\"} 1\n");
        }
        SUBCASE("metrics escape labels and carry the model calls after the pass ratios")
        {
            behave::BehaveReport odd = *report;
            odd.suites[0].name = R"(a "quoted" suite\)";
            odd.suites[0].cases[0].id = "say \"hi\"\\\nthen";
            aiops::metrics::LlmMetrics calls;
            aiops::llm::CallRecord call;
            call.model = "gpt-4o-mini";
            call.status = "cache_hit";
            calls.observe(call);
            const std::string text = behave::behave_metrics(odd, &calls);
            CHECK(text.starts_with(
                "# HELP behave_pass_ratio Share of a behave case's trials that passed.\n"
                "# TYPE behave_pass_ratio gauge\n"
                R"(behave_pass_ratio{suite="a \"quoted\" suite\\",case="say \"hi\"\\\nthen"} 0.75)"
                "\n"
                R"(behave_pass_ratio{suite="a \"quoted\" suite\\",case="steady"} 1)"
                "\n# HELP llm_requests_total "));
            CHECK(text.find(R"(llm_requests_total{model="gpt-4o-mini",status="cache_hit"} 1)")
                  != std::string::npos);

            REQUIRE(aiops::metrics::write_exposition("out.prom", text).ok());
            const auto promtool = aiops::test::find_program("promtool");
            REQUIRE_MESSAGE(promtool.has_value(),
                            "'promtool' not found: install the Debian package 'prometheus'");
            CHECK(aiops::test::run(*promtool + " check metrics < out.prom > promtool.txt 2>&1")
                  == 0);

            const auto gateway = aiops::test::start_pushgateway();
            const std::string url = "http://127.0.0.1:" + std::to_string(gateway->port());
            const aiops::llm::HttpClient http;
            REQUIRE(aiops::metrics::push_exposition(http, url, "aiops_behave", text).ok());
            auto scraped = http.send({"GET", url + "/metrics", {}, ""});
            REQUIRE(scraped.ok());
            aiops::test::write_file("scraped.txt", scraped->body); // for a look on failure
            CHECK(
                scraped->body.find(
                    R"(behave_pass_ratio{case="say \"hi\"\\\nthen",instance="",job="aiops_behave",suite="a \"quoted\" suite\\"} 0.75)"
                    "\n")
                != std::string::npos);
            CHECK(
                scraped->body.find(
                    R"(behave_pass_ratio{case="steady",instance="",job="aiops_behave",suite="a \"quoted\" suite\\"} 1)"
                    "\n")
                != std::string::npos);
        }
        SUBCASE("SARIF findings sit on the failed case's line")
        {
            const auto findings = behave::behave_to_findings(*report);
            REQUIRE(findings.findings.size() == 1);
            CHECK(findings.findings[0].location.path == "t.suite.yaml");
            CHECK(findings.findings[0].location.start_line == 4);
            CHECK(findings.findings[0].snippet == "  - id: flaky");
            CHECK(findings.findings[0].fingerprint.size() == 64);
            CHECK(findings.findings[0].message
                  == "case 'flaky': pass rate 0.750 (6/8) is under the threshold 0.9");
        }
        SUBCASE("JSON")
        {
            const auto json = behave::behave_to_json(*report);
            CHECK(json["summary"]["failed"] == 1);
            CHECK(json["suites"][0]["cases"][0]["passes"] == 6);
            CHECK(json["suites"][0]["cases"][0]["trials_needed"] == 29);
            CHECK(json["suites"][0]["cases"][1]["passed"] == true);
        }
        SUBCASE("JUnit carries the statistics and the failing outputs")
        {
            const std::string junit = behave::write_behave_junit(*report);
            CHECK(junit.find("<testsuites name=\"aiops behave\" tests=\"2\" failures=\"1\"")
                  != std::string::npos);
            CHECK(junit.find("<property name=\"pass_rate\" value=\"0.7500\"/>")
                  != std::string::npos);
            CHECK(junit.find("trial 3:\n  exit-code: exit code 1, expected 0\n")
                  != std::string::npos);
        }
        SUBCASE("Markdown")
        {
            const std::string markdown = behave::write_behave_markdown(*report);
            CHECK(markdown.find("| t.suite.yaml | flaky | 8 | 75.0% (6/8) |") != std::string::npos);
            CHECK(markdown.find("1 of 2 cases passed.") != std::string::npos);
        }
    }

    TEST_CASE("behave::write_behave_junit: an output XML 1.0 cannot hold stays well-formed")
    {
        behave::CaseResult result;
        result.id = "a|b";
        result.reasons = {"case 'a|b': pass rate 0.000 (0/1) is under the threshold 1"};
        // A program printed markup, control bytes, U+FFFE and U+FFFF, and a Latin-1 byte.
        result.failed_trials.push_back({1,
                                        "<a>&amp; ]]> \x01\x1b[31mred\x1b[0m \xef\xbf\xbe "
                                        "\xef\xbf\xbf |pipe| caf\xe9\n",
                                        {"contains: no 'x'"}});
        behave::BehaveReport report;
        report.suites.push_back({"a|b/x.suite.yaml", "x", {result}});

        const std::string junit = behave::write_behave_junit(report);
        CHECK(
            junit.find("  output: &lt;a&gt;&amp;amp; ]]&gt; [31mred[0m   |pipe| caf\xef\xbf\xbd\n")
            != std::string::npos);
        CHECK(junit.find("\xef\xbf\xbe") == std::string::npos);
        CHECK(junit.find("\xef\xbf\xbf") == std::string::npos);
        CHECK(junit.find("\x01") == std::string::npos);
        CHECK(junit.find("\x1b") == std::string::npos);
    }

    TEST_CASE("behave::write_behave_text: a sequential test still undecided is said so")
    {
        behave::CaseResult result;
        result.id = "a";
        result.trials_planned = 3;
        result.trials_run = 3;
        result.passes = 3;
        result.pass_rate = 1.0;
        result.passed = true;
        result.gate.threshold = 0.8;
        result.sequential = behave::SequentialOutcome::undecided;
        behave::BehaveReport report;
        report.suites.push_back({"t2.suite.yaml", "t2", {result}});

        CHECK(behave::write_behave_text(report, /*color=*/false)
                  .find("  note: case 'a': the sequential test was still undecided after 3 "
                        "trials (--max-trials); the pass-rate gate judged them\n")
              != std::string::npos);
    }
}
