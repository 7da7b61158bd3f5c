#include "behave/behave.hpp"
#include "behave/behave_report.hpp"
#include "behave/model_layer.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#include "core/atomic_file.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "llm/http_client.hpp"
#include "metrics/exposition.hpp"
#include "metrics/llm_metrics.hpp"
#include "report/output.hpp"
#include "report/writers.hpp"
#include "value_checks.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace aiops::cli {

namespace {

// The Pushgateway job the metrics replace on each push.
constexpr std::string_view k_pushgateway_job = "aiops_behave";

/// The model layer's limits, which `behave` exposes beside the shared model flags.
struct ModelLayerFlags
{
    double connect_timeout = 10;
    double request_timeout = 600;
    int max_attempts = 3;
    double retry_delay = 0.5;
    double retry_max_delay = 8;
    int max_concurrent = 8;
    int requests_per_minute = 0;
    std::string prices;
    bool stream = false;
};

std::chrono::milliseconds seconds(double value)
{
    return std::chrono::milliseconds(std::llround(value * 1000.0));
}

void add_model_layer_flags(CLI::App* command, ModelLayerFlags& flags)
{
    command
        ->add_option("--connect-timeout",
                     flags.connect_timeout,
                     "Seconds to wait for a connection to the provider (default: 10)")
        ->check(CLI::Range(0.1, 3600.0));
    command
        ->add_option("--request-timeout",
                     flags.request_timeout,
                     "Seconds one HTTP attempt of a model call may take (default: 600); a case's "
                     "'timeout' bounds the whole call, retries included")
        ->check(CLI::Range(0.1, 86400.0));
    command
        ->add_option("--max-attempts",
                     flags.max_attempts,
                     "Attempts of a model call in all, the first included (default: 3)")
        ->check(CLI::Range(1, 100));
    command
        ->add_option("--retry-delay",
                     flags.retry_delay,
                     "Seconds of the first retry's backoff, doubled each time, with full jitter "
                     "(default: 0.5)")
        ->check(CLI::Range(0.0, 3600.0));
    command
        ->add_option("--retry-max-delay",
                     flags.retry_max_delay,
                     "Seconds the backoff between attempts grows to at most (default: 8)")
        ->check(CLI::Range(0.0, 3600.0));
    command
        ->add_option("--max-concurrent",
                     flags.max_concurrent,
                     "Model calls in flight at once per provider, within --jobs (default: 8)")
        ->check(CLI::Range(1, 1024));
    command
        ->add_option("--requests-per-minute",
                     flags.requests_per_minute,
                     "Model calls started per minute per provider; 0 for no limit (default: 0)")
        ->check(CLI::Range(0, 1000000));
    command
        ->add_option("--prices",
                     flags.prices,
                     "A JSON price table in the format of lib/llm/prices.json whose entries add to "
                     "or replace the built-in prices")
        ->check(CLI::ExistingFile);
    command->add_flag(
        "--stream", flags.stream, "Read model replies as server-sent events (streaming)");
}

void apply_model_layer_flags(const ModelLayerFlags& flags, behave::ModelLayerOptions& options)
{
    options.connect_timeout = seconds(flags.connect_timeout);
    options.request_timeout = seconds(flags.request_timeout);
    options.retry.max_attempts = flags.max_attempts;
    options.retry.base_delay = seconds(flags.retry_delay);
    options.retry.max_delay = seconds(flags.retry_max_delay);
    options.max_concurrent = flags.max_concurrent;
    options.requests_per_minute = flags.requests_per_minute;
    if (!flags.prices.empty()) {
        options.prices_file = flags.prices;
    }
    options.stream = flags.stream;
}

struct BehaveFlags
{
    std::vector<std::string> suites;
    std::optional<std::size_t> trials;
    std::optional<double> threshold;
    std::optional<double> confidence;
    bool early_stop = false;
    bool sequential = false;
    std::size_t max_trials = 200;
    unsigned jobs = 0;
    std::optional<double> max_cost;
    std::optional<std::string> shard;
    std::string format = "text";
    std::string json;
    std::string junit;
    std::string markdown;
    std::string sarif;
    std::string metrics;
    std::string pushgateway;
    std::string category;
    ModelFlags model;
    ModelLayerFlags layer;
};

bool is_suite_file(const std::filesystem::path& path)
{
    const std::string name = path.filename().string();
    const auto ends_with = [&name](std::string_view tail) {
        return name.size() > tail.size()
               && name.compare(name.size() - tail.size(), tail.size(), tail) == 0;
    };
    return ends_with(".suite.yaml") || ends_with(".suite.yml");
}

/// The suite files the arguments name: files as given, folders searched for *.suite.yaml.
std::vector<std::filesystem::path> find_suites(const std::vector<std::string>& arguments)
{
    std::vector<std::filesystem::path> found;
    for (const auto& argument : arguments.empty() ? std::vector<std::string>{"."} : arguments) {
        const std::filesystem::path path(argument);
        std::error_code error;
        if (std::filesystem::is_regular_file(path, error)) {
            found.push_back(path);
            continue;
        }
        if (!std::filesystem::is_directory(path, error)) {
            throw core::Error(core::ErrorCode::usage,
                              "'" + argument + "': no such suite file or folder");
        }
        std::vector<std::filesystem::path> in_folder;
        auto it = std::filesystem::recursive_directory_iterator(path, error);
        for (; !error && it != std::filesystem::recursive_directory_iterator();
             it.increment(error)) {
            const std::string name = it->path().filename().string();
            // A link that loops or dangles has no status; it is no suite and is passed by.
            std::error_code status_error;
            if (it->is_directory(status_error)
                && (name.starts_with(".") || name == "node_modules" || name == "build")) {
                it.disable_recursion_pending();
            } else if (it->is_regular_file(status_error) && is_suite_file(it->path())) {
                in_folder.push_back(it->path().lexically_normal());
            }
        }
        if (error) {
            throw core::Error(core::ErrorCode::io,
                              "cannot search '" + argument + "' for suites: " + error.message());
        }
        std::sort(in_folder.begin(), in_folder.end());
        found.insert(found.end(), in_folder.begin(), in_folder.end());
    }
    // A suite named twice (as a file and inside a folder, say) runs once.
    std::set<std::filesystem::path> seen;
    std::erase_if(found, [&seen](const std::filesystem::path& path) {
        std::error_code error;
        const auto canonical = std::filesystem::weakly_canonical(path, error);
        return !seen.insert(error ? path : canonical).second;
    });
    if (found.empty()) {
        throw core::Error(core::ErrorCode::usage,
                          "no suite found: name a suite file, or a folder with *.suite.yaml files");
    }
    return found;
}

behave::BehaveOptions to_options(const BehaveFlags& flags)
{
    behave::BehaveOptions options;
    options.trials = flags.trials;
    options.threshold = flags.threshold;
    options.confidence = flags.confidence;
    if (flags.confidence) {
        options.sequential_confidence = *flags.confidence;
    }
    options.early_stop = flags.early_stop;
    options.sequential = flags.sequential;
    options.max_trials = flags.max_trials;
    options.jobs = flags.jobs;
    options.max_cost = flags.max_cost;
    options.shard = to_shard(flags.shard);
    // Both addresses are checked before a trial runs, not when the first call fails.
    for (const auto& [flag, address] : {std::pair{"--pushgateway", &flags.pushgateway},
                                        std::pair{"--base-url", &flags.model.base_url}}) {
        if (!address->empty() && !address->starts_with("http://")
            && !address->starts_with("https://")) {
            throw core::Error(core::ErrorCode::usage,
                              fmt::format("{} '{}': expected an http:// or https:// address",
                                          flag,
                                          core::redact_userinfo(*address)));
        }
    }
    // Not an error: a configuration file's trials may meet a --sequential run.
    if (flags.sequential && flags.trials) {
        core::log::warn("--trials {} is not used with --sequential, which draws trials until it "
                        "decides, at most --max-trials ({})",
                        *flags.trials,
                        flags.max_trials);
    }
    if (flags.sequential && flags.early_stop) {
        throw core::Error(
            core::ErrorCode::usage,
            "--sequential already stops each case when it decides: drop --early-stop");
    }
    return options;
}

void write_reports(const behave::BehaveReport& result,
                   const metrics::LlmMetrics& calls,
                   const BehaveFlags& flags,
                   const GlobalOptions& globals)
{
    // All the report files or none, as for the other commands.
    core::FileBatch batch;
    const auto write = [&batch](const std::string& file, const std::string& text) {
        if (file.empty()) {
            return;
        }
        if (auto staged = batch.stage(file, text); !staged) {
            throw core::Error(staged.error().code(),
                              staged.error().message() + " (no report was written)");
        }
    };
    write(flags.json, behave::behave_to_json(result).dump(2) + "\n");
    write(flags.junit, behave::write_behave_junit(result));
    write(flags.markdown, behave::write_behave_markdown(result));
    const std::string exposition = behave::behave_metrics(result, calls.empty() ? nullptr : &calls);
    if (!flags.metrics.empty()) {
        metrics::write_exposition(flags.metrics, exposition).take();
    }
    if (!flags.sarif.empty()) {
        report::Report findings = behave::behave_to_findings(result);
        findings.root = std::filesystem::current_path();
        findings.category = flags.category;
        if (const auto shard = to_shard(flags.shard)) {
            findings.shard = fmt::format("{}/{}", shard->index, shard->count);
        }
        write(flags.sarif, report::to_sarif(findings).dump(2) + "\n");
    }
    batch.commit().take();
    if (flags.format == "json") {
        std::fputs((behave::behave_to_json(result).dump(2) + "\n").c_str(), stdout);
    } else {
        const bool color =
            report::use_color(globals.color == "always"  ? report::ColorMode::always
                              : globals.color == "never" ? report::ColorMode::never
                                                         : report::ColorMode::automatic);
        std::fputs(behave::write_behave_text(result, color).c_str(), stdout);
    }
    // Last, so a Pushgateway that is down costs none of the other reports.
    if (!flags.pushgateway.empty()) {
        std::fflush(stdout);
        const llm::HttpClient http;
        // Each shard of a CI matrix pushes its own group, so one does not replace another.
        std::string shard;
        std::vector<metrics::Label> grouping;
        if (const auto parsed = to_shard(flags.shard)) {
            shard = fmt::format("{}-of-{}", parsed->index, parsed->count);
            grouping.emplace_back("shard", shard);
        }
        metrics::push_exposition(http, flags.pushgateway, k_pushgateway_job, exposition, grouping)
            .take();
    }
}

int run(const BehaveFlags& flags, const GlobalOptions& globals)
{
    const behave::BehaveOptions options = to_options(flags);
    std::vector<behave::Suite> suites;
    std::map<std::string, std::string> named; // suite name -> the file that has it
    for (const auto& path : find_suites(flags.suites)) {
        suites.push_back(behave::load_suite(path, path.generic_string()).take());
        const behave::Suite& suite = suites.back();
        if (suite.name.empty()) {
            continue;
        }
        // Reports and metrics tell suites apart by name.
        const auto [first, added] = named.emplace(suite.name, suite.display_path);
        if (!added) {
            throw core::Error(core::ErrorCode::usage,
                              "'" + first->second + "' and '" + suite.display_path
                                  + "' are both named '" + suite.name
                                  + "': their reports and metrics would mix; rename one");
        }
    }
    behave::ModelLayerOptions model_options;
    const llm::ConnectionSettings connection = to_connection(flags.model);
    model_options.cache = connection.cache;
    model_options.offline = connection.offline;
    model_options.base_url = connection.base_url;
    model_options.api_key_env = connection.api_key_env;
    model_options.ca_bundle = connection.ca_bundle;
    if (!flags.model.registry.empty()) {
        model_options.registry = flags.model.registry;
    }
    if (!suites.empty()) {
        model_options.start = suites.front().path.parent_path();
        if (model_options.start.empty()) {
            model_options.start = ".";
        }
    }
    apply_model_layer_flags(flags.layer, model_options);
    metrics::LlmMetrics calls;
    model_options.observer = calls.observer();
    const auto caller = behave::make_model_layer_caller(model_options).take();
    behave::BehaveReport result = behave::run_behave(suites, options, caller.get()).take();
    if (core::interrupted()) {
        return static_cast<int>(core::ExitCode::interrupted);
    }
    result.command_line = globals.command_line;
    write_reports(result, calls, flags, globals);
    return static_cast<int>(behave::behave_exit_code(result));
}

} // namespace

void register_behave(CLI::App& app, CommandAction& action)
{
    auto flags = std::make_shared<BehaveFlags>();
    CLI::App* command = app.add_subcommand(
        "behave", "Run each behavioural case many times; gate on pass rate and consistency");
    command->footer(
        "Examples:\n"
        "  aiops behave tests/behave/                       every *.suite.yaml in the folder\n"
        "  aiops behave cli.suite.yaml --trials 59          enough all-pass trials to show 0.95\n"
        "  aiops behave s.suite.yaml --confidence 0.95 --trials 73   the Wilson bound needs 73\n"
        "  aiops behave s.suite.yaml --sequential --max-trials 300   stop when an SPRT decides\n"
        "  aiops behave s.suite.yaml --junit behave.junit.xml --markdown \"$GITHUB_STEP_SUMMARY\"\n"
        "Exit codes: 0 every case passed, 1 a case failed or --max-cost was exceeded,\n"
        "2 usage or suite error, 3 could not finish (a command would not start), 130 interrupted.");
    command->add_option(
        "suites", flags->suites, "Suite files, or folders holding *.suite.yaml (default: .)");
    command->add_option("--trials", flags->trials, "Trials per case, overriding the suites")
        ->check(number_range(1, 10000000, /*whole=*/true));
    command
        ->add_option("--consistency-threshold",
                     flags->threshold,
                     "Least pass rate a case needs, overriding the suites (0 to 1)")
        ->check(number_range(0, 1, /*whole=*/false));
    command
        ->add_option("--confidence",
                     flags->confidence,
                     "Gate on the Wilson lower bound at this confidence (e.g. 0.95) instead of the "
                     "pass rate")
        ->check(number_range(0.6, 0.9999, /*whole=*/false));
    command->add_flag(
        "--early-stop", flags->early_stop, "Stop a case as soon as its verdict cannot change");
    command->add_flag(
        "--sequential",
        flags->sequential,
        "Draw trials until a sequential probability ratio test decides (at --confidence, "
        "default 0.95), within --max-trials");
    command
        ->add_option("--max-trials", flags->max_trials, "Ceiling for --sequential (default: 200)")
        ->check(number_range(1, 10000000, /*whole=*/true));
    command->add_option("-j,--jobs", flags->jobs, "Trials run at once (default: all cores)")
        ->check(job_count())
        ->envname("AIOPS_JOBS");
    command
        ->add_option("--max-cost", flags->max_cost, "Budget in USD for the model calls of the run")
        ->check(number_range(0, std::nullopt, /*whole=*/false));
    command
        ->add_option(
            "--shard", flags->shard, "Run only part I of N of the cases (I/N), for CI matrices")
        ->envname("AIOPS_SHARD");
    command->add_option("--format", flags->format, "Standard output format: text or json")
        ->check(one_of({"text", "json"}))
        ->envname("AIOPS_FORMAT");
    command->add_option("--json", flags->json, "Also write the JSON report to this file")
        ->check(file_name());
    command->add_option("--junit", flags->junit, "Also write a JUnit XML report to this file")
        ->check(file_name());
    command->add_option("--markdown",
                        flags->markdown,
                        "Also write a Markdown summary, e.g. \"$GITHUB_STEP_SUMMARY\"");
    command->add_option("--sarif", flags->sarif, "Also write a SARIF 2.1.0 log of the failed cases")
        ->check(file_name());
    command
        ->add_option("--metrics",
                     flags->metrics,
                     "Also write behave_pass_ratio and the model calls' llm_* metrics in "
                     "Prometheus text format")
        ->check(file_name());
    command
        ->add_option("--pushgateway",
                     flags->pushgateway,
                     "Also push those metrics to a Prometheus Pushgateway at this address (job "
                     "aiops_behave; each --shard its own group)")
        ->envname("AIOPS_PUSHGATEWAY");
    command->add_option("--category", flags->category, "SARIF automationDetails category");
    add_model_flags(command, flags->model, "; each trial has its own entry");
    add_model_layer_flags(command, flags->layer);
    command->callback([&action, flags] {
        action = [flags](const GlobalOptions& globals) { return run(*flags, globals); };
    });
}

} // namespace aiops::cli
