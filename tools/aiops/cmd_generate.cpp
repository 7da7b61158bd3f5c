#include "cli_common.hpp"
#include "commands.hpp"
#include "core/atomic_file.hpp"
#include "generate/generate.hpp"
#include "generate/safe_writer.hpp"
#include "value_checks.hpp"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <memory>

namespace aiops::cli {

namespace {

struct GenerateFlags
{
    std::vector<std::string> specs;
    std::string output;
    bool dry_run = false;
    bool force = false;
    bool allow_extra_files = false;
    int max_repairs = 2;
    std::string model;
    std::optional<double> temperature;
    std::optional<std::int64_t> max_tokens;
    std::optional<double> max_cost;
    std::string checks = "syntax,artefacts,imports,conformance";
    unsigned jobs = 0;
    std::string json;
    ModelFlags connection;
};

generate::GenerateOptions to_options(const GenerateFlags& flags)
{
    generate::GenerateOptions options;
    options.specs.assign(flags.specs.begin(), flags.specs.end());
    options.output = flags.output;
    options.dry_run = flags.dry_run;
    options.force = flags.force;
    options.allow_extra_files = flags.allow_extra_files;
    options.max_repairs = flags.max_repairs;
    if (!flags.model.empty()) {
        options.model = flags.model;
    }
    options.temperature = flags.temperature;
    options.max_tokens = flags.max_tokens;
    options.max_cost = flags.max_cost;
    options.checks.clear();
    for (const auto& check : core::split(flags.checks, ',')) {
        if (!core::trim(check).empty()) {
            options.checks.emplace_back(core::trim(check));
        }
    }
    options.jobs = flags.jobs;
    options.connection = to_connection(flags.connection);
    if (!flags.connection.registry.empty()) {
        options.registry = flags.connection.registry;
    }
    return options;
}

int run(const GenerateFlags& flags)
{
    // A report that cannot be written must stop the run before it spends anything.
    if (!flags.json.empty()) {
        generate::check_destination(flags.json, "--json", false).take();
    }
    const generate::GenerateReport report = generate::run_generate(to_options(flags)).take();
    const auto code = generate::generate_exit_code(report);
    // An interrupted run writes no report, as no command does.
    if (!flags.json.empty() && code != core::ExitCode::interrupted) {
        core::write_file_atomically(flags.json, generate::generate_to_json(report).dump(2) + "\n")
            .take();
    }
    std::fputs(generate::generate_text(report).c_str(), stdout);
    return static_cast<int>(code);
}

} // namespace

void register_generate(CLI::App& app, CommandAction& action)
{
    auto flags = std::make_shared<GenerateFlags>();
    CLI::App* command = app.add_subcommand(
        "generate",
        "Turn a spec (own YAML or OpenAPI 3) into code through a model, with provenance");
    command->footer(
        "Examples:\n"
        "  aiops generate --spec specs/api.yaml --output generated/\n"
        "  aiops generate --spec specs/api.yaml --output generated/ --dry-run   the prompt and "
        "cost\n"
        "  aiops generate --spec specs/ --output generated/      every spec, each in its own "
        "folder\n"
        "  aiops generate --spec api.openapi.yaml --output gen/ --model openai:gpt-4o-mini\n"
        "  aiops generate --spec specs/api.yaml --output generated/ --offline   replay the cache\n"
        "The reply's files are checked (syntax, artefacts, imports against the spec's\n"
        "dependencies, conformance) before anything is written; findings go back to the model\n"
        "up to --max-repairs times. Files still failing are kept in DIR/.aiops/rejected/.\n"
        "DIR/.aiops/manifest.json records hashes, prompt, model, tokens, cost and repairs.\n"
        "Exit codes: 0 written, 1 findings left after the repairs, a reply cut off, refused\n"
        "or unreadable, or --max-cost exceeded, 2 usage or spec error, 3 could not finish\n"
        "(network, provider, offline cache miss, I/O), 130 interrupted.");
    command
        ->add_option("--spec",
                     flags->specs,
                     "Spec file (own YAML or OpenAPI 3.0/3.1), or a folder of them; repeatable")
        ->required();
    command
        ->add_option("-o,--output",
                     flags->output,
                     "Output folder; with several specs, each writes into a folder named after "
                     "its file")
        ->required()
        ->check(CLI::Validator(
            [](std::string& value) {
                return value.empty() ? std::string("a folder name is needed") : std::string();
            },
            "DIR"));
    command->add_flag("--dry-run",
                      flags->dry_run,
                      "Print the rendered messages and the cost estimate; call nothing");
    command->add_flag("--force", flags->force, "Overwrite files edited since the last generation");
    command->add_flag("--allow-extra-files",
                      flags->allow_extra_files,
                      "Write files the reply adds beyond the spec's outputs");
    command
        ->add_option(
            "--max-repairs", flags->max_repairs, "Rounds of findings sent back (default: 2)")
        ->check(number_range(0, 20, /*whole=*/true));
    command->add_option(
        "--model", flags->model, "provider:model, overriding the spec's (e.g. openai:gpt-4o-mini)");
    command->add_option("--temperature", flags->temperature, "Overrides the spec's temperature")
        ->check(number_range(0, 2, /*whole=*/false));
    command->add_option("--max-tokens", flags->max_tokens, "Overrides the spec's max_tokens")
        ->check(number_range(1, 10000000, /*whole=*/true));
    command
        ->add_option("--max-cost", flags->max_cost, "Budget in USD for the model calls of the run")
        ->check(number_range(0, std::nullopt, /*whole=*/false));
    command->add_option("--checks",
                        flags->checks,
                        "Checks run before writing: syntax, artefacts, imports, conformance "
                        "(default: all four)");
    command
        ->add_option("--json",
                     flags->json,
                     "Also write the outcome of each spec as JSON to this file "
                     "(schemas/generate-report.schema.json)")
        ->check(file_name());
    command->add_option("-j,--jobs", flags->jobs, "Specs generated at once (default: all cores)")
        ->check(job_count())
        ->envname("AIOPS_JOBS");
    add_model_flags(command, flags->connection, "; a repair round is its own entry");
    command->callback([&action, flags] {
        action = [flags](const GlobalOptions& /*globals*/) { return run(*flags); };
    });
}

} // namespace aiops::cli
