#include "generate/generate.hpp"

#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"
#include "core/strings.hpp"
#include "core/thread_pool.hpp"
#include "core/version.hpp"
#include "generate/extract.hpp"
#include "generate/folder_switch.hpp"
#include "generate/job.hpp"
#include "generate/prompt_assembly.hpp"
#include "generate/safe_writer.hpp"
#include "llm/budget.hpp"
#include "llm/model_client.hpp"
#include "prompt/registry.hpp"
#include "source/language.hpp"
#include "spec/manifest.hpp"
#include "spec/spec.hpp"
#include "validate/declarations.hpp"
#include "validate/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace aiops::generate {

namespace fs = std::filesystem;

namespace {

bool is_spec_name(const fs::path& path)
{
    const std::string extension = path.extension().string();
    return extension == ".yaml" || extension == ".yml" || extension == ".json";
}

core::Result<std::optional<spec::Manifest>> read_previous_manifest(const fs::path& output)
{
    const fs::path path = output / spec::k_manifest_path;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::optional<spec::Manifest>();
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto manifest = spec::read_manifest(path.generic_string(), text.str());
    if (!manifest) {
        return manifest.error();
    }
    return std::optional<spec::Manifest>(std::move(*manifest));
}

/// The registries of the run, one a root folder, opened once each.
class Registries
{
public:
    explicit Registries(std::optional<fs::path> root) : m_root(std::move(root)) {}

    core::Result<const prompt::Registry*> for_spec(const fs::path& spec_file)
    {
        prompt::RegistryOptions options;
        options.root = m_root;
        options.start = spec_file.has_parent_path() ? spec_file.parent_path() : fs::path(".");
        fs::path root;
        if (m_root) {
            root = *m_root;
        } else {
            auto found = prompt::find_registry_root(options.start);
            if (!found) {
                return static_cast<const prompt::Registry*>(nullptr);
            }
            root = *found;
        }
        auto& slot = m_opened[fs::absolute(root).lexically_normal().string()];
        if (!slot) {
            options.root = root;
            auto opened = prompt::Registry::open(options);
            if (!opened) {
                return opened.error();
            }
            slot = std::make_unique<prompt::Registry>(std::move(*opened));
        }
        return static_cast<const prompt::Registry*>(slot.get());
    }

private:
    std::optional<fs::path> m_root;
    std::map<std::string, std::unique_ptr<prompt::Registry>> m_opened;
};

core::Result<bool> choose_model(const GenerateOptions& options, Job& job)
{
    std::string provider;
    std::string model;
    if (options.model) {
        model = *options.model;
    } else if (job.spec.model && !job.spec.model->model.empty()) {
        provider = job.spec.model->provider;
        model = job.spec.model->model;
    } else if (job.prompt.model) {
        model = *job.prompt.model;
    }
    std::tie(provider, model) = llm::split_model_name(provider, model);
    if (model.empty()) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("{}: no model: set 'model' in the spec, or pass --model "
                                       "provider:model",
                                       job.spec.path));
    }
    job.provider_name = provider.empty() ? "openai" : provider;
    const auto kind = llm::parse_provider_kind(job.provider_name);
    if (!kind) {
        // The name came from --model, the spec's model settings, or the prompt file.
        const std::string where =
            options.model ? fmt::format("--model '{}'", *options.model)
            : job.spec.model && !job.spec.model->model.empty()
                ? fmt::format("{}:{}:{}",
                              job.spec.path,
                              job.spec.model->origin.line,
                              job.spec.model->origin.column)
                : fmt::format("{}: prompt '{}'", job.spec.path, job.prompt.identity.name);
        return core::Error(
            core::ErrorCode::usage,
            fmt::format("{}: unknown provider '{}' (openai, anthropic)", where, job.provider_name));
    }
    job.provider = *kind;
    job.request.model = model;
    const auto& settings = job.spec.model;
    job.request.temperature = options.temperature                 ? options.temperature
                              : settings && settings->temperature ? settings->temperature
                                                                  : job.prompt.temperature;
    job.request.max_tokens = options.max_tokens ? options.max_tokens
                             : settings && settings->max_tokens
                                 ? std::optional<std::int64_t>(*settings->max_tokens)
                                 : job.prompt.max_tokens;
    job.request.messages = job.prompt.messages;
    return true;
}

/// The files in which the spec declares functions, classes or endpoints whose language
/// aiops reads no declarations of, each with its language's name.
std::vector<std::string> unreadable_declarations(const spec::Spec& spec)
{
    std::set<std::string> files;
    for (const auto& function : spec.functions) {
        files.insert(function.file);
    }
    for (const auto& type : spec.classes) {
        files.insert(type.file);
    }
    for (const auto& endpoint : spec.endpoints) {
        files.insert(endpoint.file);
    }
    std::vector<std::string> unreadable;
    for (const auto& file : files) {
        auto language = source::language_from_path(file);
        if (!language) {
            language = source::language_from_name(spec.language);
        }
        if (!file.empty() && (!language || !validate::declarations_supported(*language))) {
            const std::string name =
                language ? std::string(source::language_name(*language)) : spec.language;
            unreadable.push_back(fmt::format("'{}' ({})", file, name.empty() ? "unknown" : name));
        }
    }
    return unreadable;
}

/// The checks for a spec: --checks, without conformance when the spec's declarations
/// lie in a language aiops does not read, which would otherwise fail every round
/// whatever the model wrote. Says so, as a gate must about what it does not check.
std::vector<std::string> checks_for(const GenerateOptions& options, const spec::Spec& spec)
{
    std::vector<std::string> checks = options.checks;
    if (!spec.language.empty() && !source::language_from_name(spec.language)) {
        core::log::warn("{}: aiops does not parse {} code, so its files are not checked",
                        spec.path,
                        spec.language);
    }
    const auto conformance = std::find(checks.begin(), checks.end(), "conformance");
    if (conformance == checks.end()) {
        return checks;
    }
    if (const auto unreadable = unreadable_declarations(spec); !unreadable.empty()) {
        core::log::warn("{}: conformance is not checked: aiops does not read the declarations "
                        "in {}, so the functions, classes and endpoints the spec declares there "
                        "are left to the model",
                        spec.path,
                        fmt::join(unreadable, ", "));
        checks.erase(conformance);
    }
    return checks;
}

/// The spec's path relative to the repository that holds it (the nearest folder above
/// it with a .git), else its file name: how the model sees it.
std::string spec_shown(const fs::path& spec_file)
{
    const fs::path absolute = fs::absolute(spec_file).lexically_normal();
    std::error_code error;
    for (fs::path folder = absolute.parent_path(); !folder.empty(); folder = folder.parent_path()) {
        if (fs::exists(folder / ".git", error)) {
            return absolute.lexically_relative(folder).generic_string();
        }
        if (folder == folder.parent_path()) {
            break;
        }
    }
    return absolute.filename().generic_string();
}

/// Completes the switch to a generation that a killed run decided but left part-way,
/// so the folder holds one generation again before it is compared with its manifest.
/// A dry run only says so.
core::Result<bool> finish_switch(const GenerateOptions& options, const Job& job)
{
    if (options.dry_run) {
        if (has_unfinished_switch(job.output)) {
            core::log::warn("{}: the last generation in {} was stopped while it switched the "
                            "files; the next run without --dry-run finishes it",
                            job.spec.path,
                            job.output.generic_string());
        }
        return true;
    }
    auto finished = finish_unfinished_switch(job.output);
    if (!finished) {
        return finished.error();
    }
    if (*finished) {
        core::log::warn("{}: finished switching {} to the generation a stopped run had decided",
                        job.spec.path,
                        job.output.generic_string());
    }
    return true;
}

core::Result<Job> prepare(const GenerateOptions& options,
                          const fs::path& spec_file,
                          const fs::path& output,
                          Registries& registries)
{
    Job job;
    job.spec_file = spec_file;
    job.spec_shown = spec_shown(spec_file);
    job.output = output;
    auto loaded = spec::load_spec_file(spec_file);
    if (!loaded) {
        return loaded.error();
    }
    job.spec = std::move(*loaded);
    job.checks = checks_for(options, job.spec);
    for (const auto& file : job.spec.outputs) {
        job.outputs.push_back(file.path);
    }
    if (job.outputs.empty()) {
        return core::Error(core::ErrorCode::input,
                           fmt::format("{}:1:1: the spec lists no outputs (the files to write); "
                                       "an OpenAPI document lists them in x-aiops.outputs",
                                       job.spec.path));
    }
    for (const auto& file : job.spec.outputs) {
        if (auto refused = refuse_path(output, file.path, job.outputs, false)) {
            return core::Error(core::ErrorCode::input,
                               fmt::format("{}:{}:{}: output '{}' cannot be written: {}",
                                           job.spec.path,
                                           file.origin.line,
                                           file.origin.column,
                                           file.path,
                                           *refused));
        }
    }
    const prompt::Registry* registry = nullptr;
    if (job.spec.prompt) {
        auto found = registries.for_spec(spec_file);
        if (!found) {
            return found.error();
        }
        registry = *found;
    }
    auto assembled = assemble_prompt(job.spec, registry);
    if (!assembled) {
        return assembled.error();
    }
    job.prompt = std::move(*assembled);
    if (auto chosen = choose_model(options, job); !chosen) {
        return chosen.error();
    }
    if (auto finished = finish_switch(options, job); !finished) {
        return finished.error();
    }
    auto previous = read_previous_manifest(output);
    if (!previous) {
        return previous.error();
    }
    job.previous = std::move(*previous);
    if (!options.force && !options.dry_run) {
        if (const auto edited = edited_paths(job.output, job.outputs, job.previous);
            !edited.empty()) {
            return edited_error(job, edited);
        }
    }
    return job;
}

std::string parameters_text(const llm::Request& request)
{
    std::string out;
    if (request.temperature) {
        out += fmt::format(", temperature {}", *request.temperature);
    }
    if (request.max_tokens) {
        out += fmt::format(", max_tokens {}", *request.max_tokens);
    }
    return out;
}

std::string dry_run_text(const Job& job)
{
    std::string out = fmt::format("== {} -> {}\nprompt {}@{} (sha256:{}), {}:{}{}\n",
                                  job.spec.path,
                                  job.output.generic_string(),
                                  job.prompt.identity.name,
                                  job.prompt.identity.version,
                                  job.prompt.identity.sha256,
                                  job.provider_name,
                                  job.request.model,
                                  parameters_text(job.request));
    for (const auto& message : job.request.messages) {
        out += fmt::format("--- {}\n{}", llm::to_string(message.role), message.content);
        if (!message.content.ends_with('\n')) {
            out += '\n';
        }
    }
    const std::int64_t prompt_tokens = llm::estimate_prompt_tokens(job.request);
    const std::int64_t max_tokens = job.request.max_tokens.value_or(llm::k_default_max_tokens);
    const auto cost =
        llm::worst_case_cost_usd({job.provider, job.request}, llm::PriceTable::builtin());
    out += fmt::format("--- estimate\nat most about {} prompt tokens and {} reply tokens: ",
                       prompt_tokens,
                       max_tokens);
    out += cost ? fmt::format("at most ${:.6f} for the first call; each repair round costs about "
                              "as much again\n",
                              *cost)
                : fmt::format("cost unknown ({})\n", cost.failure().message);
    return out;
}

/// Where each spec writes: the output folder itself for one spec, else a folder of the
/// spec's name (its file's stem when it has none) inside it.
core::Result<std::vector<fs::path>> output_folders(const GenerateOptions& options,
                                                   const std::vector<fs::path>& files)
{
    std::vector<fs::path> out;
    if (files.size() == 1) {
        out.push_back(options.output);
        return out;
    }
    std::map<std::string, fs::path> taken;
    for (const auto& file : files) {
        std::string name = file.stem().string();
        if (name.ends_with(".openapi")) {
            name.resize(name.size() - 8);
        }
        if (const auto [at, inserted] = taken.emplace(name, file); !inserted) {
            return core::Error(core::ErrorCode::usage,
                               fmt::format("'{}' and '{}' would both write to '{}': give them "
                                           "separate runs",
                                           at->second.generic_string(),
                                           file.generic_string(),
                                           (options.output / name).generic_string()));
        }
        out.push_back(options.output / name);
    }
    return out;
}

} // namespace

core::Result<std::vector<fs::path>> find_spec_files(const std::vector<fs::path>& paths)
{
    std::vector<fs::path> found;
    for (const auto& path : paths) {
        std::error_code error;
        if (fs::is_regular_file(path, error)) {
            found.push_back(path);
            continue;
        }
        if (!fs::is_directory(path, error)) {
            return core::Error(core::ErrorCode::usage,
                               "--spec '" + path.generic_string() + "': no such file or folder");
        }
        std::vector<fs::path> in_folder;
        auto it = fs::recursive_directory_iterator(path, error);
        for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
            if (it->is_directory() && it->path().filename().string().starts_with(".")) {
                it.disable_recursion_pending();
            } else if (it->is_regular_file() && is_spec_name(it->path())) {
                in_folder.push_back(it->path().lexically_normal());
            }
        }
        std::sort(in_folder.begin(), in_folder.end());
        found.insert(found.end(), in_folder.begin(), in_folder.end());
    }
    if (found.empty()) {
        return core::Error(core::ErrorCode::usage,
                           "no spec found: name a spec file, or a folder of *.yaml specs");
    }
    return found;
}

namespace {

/// The checks --checks may name: validate's, less the manifest check, which has no
/// manifest to read in the folder where the reply's files are checked.
const std::vector<std::string> k_generate_checks{"syntax", "artefacts", "imports", "conformance"};

core::Result<bool> check_names(const std::vector<std::string>& checks)
{
    const auto known = fmt::format("{}", fmt::join(k_generate_checks, ", "));
    if (checks.empty()) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("--checks names no check (there are {})", known));
    }
    for (const auto& check : checks) {
        if (std::find(k_generate_checks.begin(), k_generate_checks.end(), check)
            == k_generate_checks.end()) {
            std::string message = fmt::format("--checks: unknown check '{}'", check);
            if (auto suggestion = core::closest_match(check, k_generate_checks)) {
                message += fmt::format("; did you mean '{}'?", *suggestion);
            } else {
                message += fmt::format(" (there are {})", known);
            }
            return core::Error(core::ErrorCode::usage, message);
        }
    }
    return true;
}

/// What the flags name that can be found wrong before any spec is read.
core::Result<bool> check_flags(const GenerateOptions& options)
{
    if (auto checked = check_names(options.checks); !checked) {
        return checked;
    }
    if (auto checked = llm::check_base_url(options.connection); !checked) {
        return checked;
    }
    if (options.max_cost && (!std::isfinite(*options.max_cost) || *options.max_cost < 0)) {
        return core::Error(
            core::ErrorCode::usage,
            fmt::format("--max-cost {}: expected an amount of USD, 0 or more", *options.max_cost));
    }
    return check_destination(options.output, "--output", true);
}

/// Every spec loaded, with its prompt rendered and its model chosen.
core::Result<std::vector<Job>> prepare_all(const GenerateOptions& options)
{
    if (auto checked = check_flags(options); !checked) {
        return checked.error();
    }
    auto files = find_spec_files(options.specs);
    if (!files) {
        return files.error();
    }
    auto folders = output_folders(options, *files);
    if (!folders) {
        return folders.error();
    }
    Registries registries(options.registry);
    std::vector<Job> jobs;
    for (std::size_t i = 0; i < files->size(); ++i) {
        auto job = prepare(options, (*files)[i], (*folders)[i], registries);
        if (!job) {
            return job.error();
        }
        jobs.push_back(std::move(*job));
    }
    return jobs;
}

/// Whether the first call of every spec could, at its worst, pass the budget; then
/// every spec is marked as refused for it.
bool over_budget(const std::vector<Job>& jobs, const llm::Budget& budget, GenerateReport& report)
{
    if (!budget.max_cost_usd()) {
        return false;
    }
    std::vector<llm::PlannedCall> plan;
    for (const auto& job : jobs) {
        plan.push_back({job.provider, job.request});
    }
    auto checked = budget.check_plan(plan, llm::PriceTable::builtin());
    if (checked) {
        return false;
    }
    for (auto& outcome : report.specs) {
        outcome.status = SpecStatus::rejected;
        outcome.budget_exceeded = true;
        outcome.problem = checked.failure().message;
    }
    return true;
}

/// One client a provider the specs use, sharing the cache, the limits and the budget.
core::Result<std::map<int, std::unique_ptr<llm::ModelClient>>>
make_clients(const GenerateOptions& options,
             const std::vector<Job>& jobs,
             const std::shared_ptr<llm::Budget>& budget)
{
    auto cache = llm::open_settings_cache(options.connection);
    if (!cache) {
        return cache.error();
    }
    const auto limiter = std::make_shared<llm::RateLimiter>(
        llm::RateLimits{options.max_concurrent_requests, options.requests_per_minute});
    std::map<int, std::unique_ptr<llm::ModelClient>> clients;
    for (const auto& job : jobs) {
        auto& slot = clients[static_cast<int>(job.provider)];
        if (!slot) {
            auto client_options =
                llm::client_options(job.provider, options.connection, *cache, limiter);
            client_options.budget = budget;
            slot = std::make_unique<llm::ModelClient>(std::move(client_options));
        }
    }
    return clients;
}

} // namespace

core::Result<GenerateReport> run_generate(const GenerateOptions& options)
{
    auto prepared = prepare_all(options);
    if (!prepared) {
        return prepared.error();
    }
    const std::vector<Job>& jobs = *prepared;
    GenerateReport report;
    report.specs.resize(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        report.specs[i].spec_path = jobs[i].spec.path;
        report.specs[i].name = jobs[i].spec.name;
        report.specs[i].output = jobs[i].output;
        if (options.dry_run) {
            report.specs[i].status = SpecStatus::planned;
            report.specs[i].dry_run_text = dry_run_text(jobs[i]);
        }
    }
    if (options.dry_run) {
        return report;
    }
    const auto budget = std::make_shared<llm::Budget>(options.max_cost);
    if (over_budget(jobs, *budget, report)) {
        return report;
    }
    auto clients = make_clients(options, jobs, budget);
    if (!clients) {
        return clients.error();
    }
    const unsigned threads = options.jobs > 0 ? options.jobs : core::hardware_threads();
    core::Progress progress("generate", "specs", jobs.size());
    core::parallel_for(jobs.size(), threads, [&](std::size_t i) {
        run_repair_loop(
            options, jobs[i], *(*clients)[static_cast<int>(jobs[i].provider)], report.specs[i]);
        progress.tick();
    });
    return report;
}

core::ExitCode generate_exit_code(const GenerateReport& report)
{
    bool failed = false;
    bool rejected = false;
    for (const auto& outcome : report.specs) {
        if (outcome.status == SpecStatus::interrupted) {
            return core::ExitCode::interrupted;
        }
        failed = failed || outcome.status == SpecStatus::failed;
        rejected = rejected || outcome.status == SpecStatus::rejected;
    }
    if (core::interrupted()) {
        return core::ExitCode::interrupted;
    }
    return failed     ? core::ExitCode::failure
           : rejected ? core::ExitCode::gate_failed
                      : core::ExitCode::success;
}

namespace {

std::string usage_text(const SpecOutcome& outcome)
{
    return fmt::format("{} call{} ({} from the cache), {} input and {} output tokens, ${:.6f}, {} "
                       "repair round{}",
                       outcome.calls,
                       outcome.calls == 1 ? "" : "s",
                       outcome.cache_hits,
                       outcome.input_tokens,
                       outcome.output_tokens,
                       outcome.cost_usd,
                       outcome.repairs,
                       outcome.repairs == 1 ? "" : "s");
}

std::string rejected_text(const SpecOutcome& outcome)
{
    const std::string output = outcome.output.generic_string();
    std::string out = fmt::format("{}: rejected, nothing written to {}: {}; {}\n",
                                  outcome.spec_path,
                                  output,
                                  outcome.problem,
                                  usage_text(outcome));
    for (const auto& finding : outcome.findings) {
        out += fmt::format("  {}:{}:{}: {}: {}\n",
                           finding.location.path,
                           finding.location.start_line,
                           finding.location.start_column,
                           finding.rule_id,
                           finding.message);
    }
    if (outcome.reply_kept) {
        out += fmt::format("  the reply is kept in {}/.aiops/rejected/ for inspection\n", output);
    }
    return out;
}

std::string outcome_text(const SpecOutcome& outcome)
{
    const std::string output = outcome.output.generic_string();
    switch (outcome.status) {
    case SpecStatus::written:
    case SpecStatus::unchanged:
        return fmt::format("{}: {} {} file{} in {} ({}); {}\n",
                           outcome.spec_path,
                           outcome.status == SpecStatus::written ? "wrote" : "unchanged,",
                           outcome.files.size(),
                           outcome.files.size() == 1 ? "" : "s",
                           output,
                           fmt::join(outcome.files, ", "),
                           usage_text(outcome));
    case SpecStatus::rejected:
        return rejected_text(outcome);
    case SpecStatus::failed:
        return fmt::format(
            "{}: failed, nothing written to {}: {}\n", outcome.spec_path, output, outcome.problem);
    case SpecStatus::interrupted:
        return fmt::format("{}: interrupted, nothing written to {}\n", outcome.spec_path, output);
    case SpecStatus::planned:
        return outcome.dry_run_text;
    }
    return {};
}

} // namespace

std::string generate_text(const GenerateReport& report)
{
    std::string out;
    for (const auto& outcome : report.specs) {
        out += outcome_text(outcome);
    }
    return out;
}

namespace {

std::string_view status_name(SpecStatus status)
{
    switch (status) {
    case SpecStatus::written:
        return "written";
    case SpecStatus::unchanged:
        return "unchanged";
    case SpecStatus::planned:
        return "planned";
    case SpecStatus::rejected:
        return "rejected";
    case SpecStatus::failed:
        return "failed";
    case SpecStatus::interrupted:
        return "interrupted";
    }
    return "failed";
}

nlohmann::json finding_json(const core::Finding& finding)
{
    return {{"path", finding.location.path},
            {"line", finding.location.start_line},
            {"column", finding.location.start_column},
            {"rule_id", finding.rule_id},
            {"severity", core::to_string(finding.severity)},
            {"message", finding.message}};
}

} // namespace

nlohmann::json generate_to_json(const GenerateReport& report)
{
    nlohmann::json specs = nlohmann::json::array();
    for (const auto& outcome : report.specs) {
        nlohmann::json findings = nlohmann::json::array();
        for (const auto& finding : outcome.findings) {
            findings.push_back(finding_json(finding));
        }
        specs.push_back({{"spec", outcome.spec_path},
                         {"name", outcome.name},
                         {"output", outcome.output.generic_string()},
                         {"status", status_name(outcome.status)},
                         {"problem", outcome.problem},
                         {"files", outcome.files},
                         {"findings", findings},
                         {"repairs", outcome.repairs},
                         {"calls", outcome.calls},
                         {"cache_hits", outcome.cache_hits},
                         {"input_tokens", outcome.input_tokens},
                         {"output_tokens", outcome.output_tokens},
                         {"cost_usd", outcome.cost_usd},
                         {"budget_exceeded", outcome.budget_exceeded}});
    }
    return {{"version", "1"},
            {"tool", {{"name", "aiops"}, {"version", core::k_version}}},
            {"specs", specs},
            {"exit_code", static_cast<int>(generate_exit_code(report))}};
}

} // namespace aiops::generate
