#include "cli_common.hpp"
#include "commands.hpp"
#include "core/interrupt.hpp"
#include "validate/validate.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>

namespace aiops::cli {

namespace {

struct ValidateFlags
{
    WalkFlags walk;
    ReportFlags report;
    std::string checks = "syntax,artefacts,imports,manifest";
    std::string spec;
    std::size_t max_errors_per_file = 50;
    std::optional<std::string> python_version; ///< given, even empty, means checked
};

int run(const ValidateFlags& flags, const GlobalOptions& globals)
{
    validate::ValidateOptions options;
    options.walk = to_walk_options(flags.walk);
    options.checks.clear();
    for (const auto& check : core::split(flags.checks, ',')) {
        if (!core::trim(check).empty()) {
            options.checks.emplace_back(core::trim(check));
        }
    }
    if (!flags.spec.empty()) {
        options.spec = flags.spec;
    }
    options.jobs = flags.walk.jobs;
    options.max_problems_per_file = flags.max_errors_per_file;
    options.python_version = flags.python_version;
    options.fail_on = to_fail_on(flags.report);
    options.category = flags.report.category;
    options.command_line = globals.command_line;
    const report::OutputOptions outputs = to_outputs(flags.report, globals);
    report::Report result = validate::run_validate(options).take();
    if (core::interrupted()) {
        return static_cast<int>(core::ExitCode::interrupted);
    }
    report::write_outputs(result, outputs).take();
    return static_cast<int>(report::gate_exit_code(result));
}

} // namespace

void register_validate(CLI::App& app, CommandAction& action)
{
    auto flags = std::make_shared<ValidateFlags>();
    CLI::App* command = app.add_subcommand(
        "validate", "Check that code is sound: every syntax error, with its exact range");
    command->footer(
        "Examples:\n"
        "  aiops validate                              check the repository you are in\n"
        "  aiops validate src/ --sarif out.sarif       also write a SARIF log for code scanning\n"
        "  aiops validate --format github generated/   annotations in a GitHub Actions step\n"
        "  aiops validate --lang python bin/tool       a script without an extension\n"
        "  aiops validate --checks syntax,artefacts    also fences, prose, elided code, stubs\n"
        "  aiops validate --checks syntax,imports      also check imports against the manifests\n"
        "  aiops validate --spec specs/api.yaml gen/   the code in gen/ against its spec\n"
        "Spec paths are relative to the one folder named, else to the report root. A folder\n"
        "holding .aiops/manifest.json has its generated files compared with the manifest.\n"
        "Exit codes: 0 passed, 1 findings at or above --fail-on, 2 usage or input error,\n"
        "3 a file could not be read, 130 interrupted.");
    add_walk_flags(command, flags->walk);
    command
        ->add_option("--checks",
                     flags->checks,
                     "Comma-separated checks to run: syntax, artefacts, imports, manifest, "
                     "conformance (default: syntax,artefacts,imports,manifest)")
        ->envname("AIOPS_CHECKS");
    command->add_option("--spec",
                        flags->spec,
                        "Spec (own YAML or OpenAPI 3) to check the code against; turns on the "
                        "conformance check");
    command
        ->add_option("--max-errors-per-file",
                     flags->max_errors_per_file,
                     "Syntax problems described per file (default: 50)")
        ->check(number_range(1, 100000, /*whole=*/true));
    command->add_option("--python-version",
                        flags->python_version,
                        "Python whose standard library the imports check uses, 3.8 to 3.14 "
                        "(default: the project's requires-python, else any)");
    add_report_flags(command, flags->report, "low");
    command->callback([&action, flags] {
        action = [flags](const GlobalOptions& globals) { return run(*flags, globals); };
    });
}

} // namespace aiops::cli
