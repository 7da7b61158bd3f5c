#include "commands.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "report/output.hpp"
#include "source/language.hpp"
#include "validate/validate.hpp"

#include <CLI/CLI.hpp>

#include <memory>

namespace aiops::cli {

namespace {

using core::Error;
using core::ErrorCode;

struct ValidateFlags
{
    std::vector<std::string> paths;
    std::string root;
    std::string checks = "syntax";
    unsigned jobs = 0;
    std::string lang;
    std::vector<std::string> excludes;
    bool no_default_excludes = false;
    bool no_git = false;
    std::string max_file_size = "1M";
    std::size_t max_errors_per_file = 50;
    std::string fail_on = "low";
    std::string format = "text";
    std::string sarif;
    std::string json;
    std::string gitlab_sast;
    std::string gitlab_codequality;
    std::string junit;
    std::string markdown;
    bool github = false;
    std::string category;
};

validate::ValidateOptions to_options(const ValidateFlags& flags)
{
    validate::ValidateOptions options;
    for (const auto& path : flags.paths) {
        options.walk.paths.emplace_back(path);
    }
    if (!flags.root.empty()) {
        options.walk.root = flags.root;
    }
    options.walk.default_excludes = !flags.no_default_excludes;
    options.walk.excludes = flags.excludes;
    options.walk.use_git = !flags.no_git;
    const auto size = core::parse_byte_size(flags.max_file_size);
    if (!size || *size == 0) {
        throw Error(ErrorCode::usage,
                    "--max-file-size '" + flags.max_file_size
                        + "': expected a size such as 1048576, 512K or 2M");
    }
    options.walk.max_file_size = *size;
    if (!flags.lang.empty()) {
        options.walk.forced_language = source::language_from_name(flags.lang);
        if (!options.walk.forced_language) {
            throw Error(ErrorCode::usage, "--lang '" + flags.lang + "': unknown language");
        }
    }
    options.checks.clear();
    for (const auto& check : core::split(flags.checks, ',')) {
        if (!core::trim(check).empty()) {
            options.checks.emplace_back(core::trim(check));
        }
    }
    options.jobs = flags.jobs;
    options.max_problems_per_file = flags.max_errors_per_file;
    if (flags.fail_on == "none") {
        options.fail_on.reset();
    } else {
        options.fail_on = core::parse_severity(flags.fail_on);
    }
    options.category = flags.category;
    return options;
}

report::OutputOptions to_outputs(const ValidateFlags& flags, const GlobalOptions& globals)
{
    report::OutputOptions outputs;
    outputs.format = *report::parse_format(flags.format);
    if (!flags.sarif.empty()) {
        outputs.sarif_file = flags.sarif;
    }
    if (!flags.json.empty()) {
        outputs.json_file = flags.json;
    }
    if (!flags.gitlab_sast.empty()) {
        outputs.gitlab_sast_file = flags.gitlab_sast;
    }
    if (!flags.gitlab_codequality.empty()) {
        outputs.gitlab_codequality_file = flags.gitlab_codequality;
    }
    if (!flags.junit.empty()) {
        outputs.junit_file = flags.junit;
    }
    if (!flags.markdown.empty()) {
        outputs.markdown_file = flags.markdown;
    }
    outputs.github_annotations = flags.github;
    outputs.color = globals.color == "always"  ? report::ColorMode::always
                    : globals.color == "never" ? report::ColorMode::never
                                               : report::ColorMode::automatic;
    return outputs;
}

int run(const ValidateFlags& flags, const GlobalOptions& globals)
{
    validate::ValidateOptions options = to_options(flags);
    options.command_line = globals.command_line;
    const report::OutputOptions outputs = to_outputs(flags, globals);
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
        "Exit codes: 0 passed, 1 findings at or above --fail-on, 2 usage or input error,\n"
        "3 a file could not be read, 130 interrupted.");
    command->add_option("paths", flags->paths, "Files and folders to check (default: .)");
    command->add_option("--checks", flags->checks, "Comma-separated checks to run (syntax)")
        ->envname("AIOPS_CHECKS");
    command->add_option("--root", flags->root,
                        "Folder report paths are relative to (default: the git work tree, else .)");
    command->add_option("-j,--jobs", flags->jobs, "Files checked in parallel (default: all cores)")
        ->envname("AIOPS_JOBS");
    command->add_option("--lang", flags->lang, "Language of the files named on the command line");
    command->add_option("--exclude", flags->excludes, "Leave out paths matching a gitignore pattern")
        ->take_all();
    command->add_flag("--no-default-excludes", flags->no_default_excludes,
                      "Also check node_modules, vendor, dist, build, .venv, __pycache__ and minified files");
    command->add_flag("--no-git", flags->no_git, "List files from the file system even inside a git work tree");
    command->add_option("--max-file-size", flags->max_file_size, "Skip larger files (default: 1M)");
    command->add_option("--max-errors-per-file", flags->max_errors_per_file,
                        "Syntax problems described per file (default: 50)")
        ->check(CLI::Range(1, 100000));
    command->add_option("--fail-on", flags->fail_on,
                        "Lowest severity that fails the gate: critical, high, medium, low, info or none")
        ->check(CLI::IsMember({"critical", "high", "medium", "low", "info", "none"}))
        ->envname("AIOPS_FAIL_ON");
    command->add_option("--format", flags->format, "Standard output format: text, json, sarif or github")
        ->check(CLI::IsMember({"text", "json", "sarif", "github"}))
        ->envname("AIOPS_FORMAT");
    command->add_option("--sarif", flags->sarif, "Also write a SARIF 2.1.0 log to this file");
    command->add_option("--json", flags->json, "Also write the JSON report to this file");
    command->add_option("--gitlab-sast",
                        flags->gitlab_sast,
                        "Also write a GitLab SAST report (artifacts:reports:sast) to this file");
    command->add_option("--gitlab-codequality",
                        flags->gitlab_codequality,
                        "Also write a GitLab Code Quality report (artifacts:reports:codequality)");
    command->add_option("--junit", flags->junit, "Also write a JUnit XML report to this file");
    command->add_option(
        "--markdown",
        flags->markdown,
        "Also write a Markdown summary to this file, e.g. \"$GITHUB_STEP_SUMMARY\"; "
        "the file is replaced, not appended to");
    command->add_flag("--github", flags->github, "Also print GitHub Actions annotations");
    command->add_option("--category", flags->category,
                        "SARIF automationDetails category, to tell analyses apart");
    command->callback([&action, flags] {
        action = [flags](const GlobalOptions& globals) { return run(*flags, globals); };
    });
}

} // namespace aiops::cli
