#pragma once

// Flags shared by the gate commands: which files, and which reports. Each command
// binds them to its own CLI11 subcommand and turns them into library options.

#include "commands.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "llm/client_setup.hpp"
#include "report/output.hpp"
#include "source/language.hpp"
#include "source/workspace.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace aiops::cli {

/// Refuses an empty file name: an unset variable in a CI script ("--sarif $OUT") must
/// not lose the report without a word.
inline CLI::Validator file_name()
{
    return CLI::Validator(
        [](std::string& value) {
            return value.empty() ? std::string("a file name is needed") : std::string();
        },
        "FILE");
}

struct WalkFlags
{
    std::vector<std::string> paths;
    std::string root;
    unsigned jobs = 0;
    std::string lang;
    std::vector<std::string> excludes;
    bool no_default_excludes = false;
    bool no_git = false;
    std::string max_file_size = "1M";
    std::optional<std::string> shard;
    std::optional<std::string> diff;
    bool staged = false;
};

inline void add_walk_flags(CLI::App* command, WalkFlags& flags)
{
    command->add_option("paths", flags.paths, "Files and folders to check (default: .)");
    command->add_option("--root",
                        flags.root,
                        "Folder report paths are relative to (default: the git work tree, else .)");
    command->add_option("-j,--jobs", flags.jobs, "Files checked in parallel (default: all cores)")
        ->envname("AIOPS_JOBS");
    command->add_option("--lang", flags.lang, "Language of the files named on the command line");
    command
        ->add_option("--exclude",
                     flags.excludes,
                     "Leave out paths matching a gitignore pattern (repeatable: one pattern each)")
        ->take_all();
    command->add_flag(
        "--no-default-excludes",
        flags.no_default_excludes,
        "Also check node_modules, vendor, dist, build, .venv, __pycache__ and minified files");
    command->add_flag(
        "--no-git", flags.no_git, "List files from the file system even inside a git work tree");
    command->add_option("--max-file-size", flags.max_file_size, "Skip larger files (default: 1M)");
    command
        ->add_option("--shard",
                     flags.shard,
                     "Check only part I of N of the files (I/N, e.g. 2/4), for CI matrices; "
                     "merge the reports with 'aiops report merge'")
        ->envname("AIOPS_SHARD");
    command
        ->add_option("--diff",
                     flags.diff,
                     "Check only files changed since the merge base of REF and HEAD (committed, "
                     "staged or not), and report only the findings the change brings: on "
                     "changed lines, or not found in the base's version of the file")
        ->envname("AIOPS_DIFF");
    command->add_flag("--staged",
                      flags.staged,
                      "Check what the next commit holds, from the index: each named file, and the "
                      "files with staged changes in named folders (for pre-commit hooks)");
}

/// The shard `--shard` names; nullopt when it is not given. An empty value is refused:
/// an unset variable in a CI matrix ("--shard $SHARD") must not check every file in
/// every job.
inline std::optional<source::Shard> to_shard(const std::optional<std::string>& text)
{
    if (!text) {
        return std::nullopt;
    }
    const auto shard = source::parse_shard(*text);
    if (!shard) {
        throw core::Error(core::ErrorCode::usage,
                          "--shard '" + *text + "': expected I/N with 1 <= I <= N, such as 2/4"
                              + (core::trim(*text).empty()
                                     ? std::string(" (was the variable that should hold it empty?)")
                                     : std::string()));
    }
    return shard;
}

inline source::WalkOptions to_walk_options(const WalkFlags& flags)
{
    source::WalkOptions walk;
    for (const auto& path : flags.paths) {
        walk.paths.emplace_back(path);
    }
    if (!flags.root.empty()) {
        walk.root = flags.root;
    }
    walk.default_excludes = !flags.no_default_excludes;
    walk.excludes = flags.excludes;
    walk.use_git = !flags.no_git;
    const auto size = core::parse_byte_size(flags.max_file_size);
    if (!size || *size == 0) {
        throw core::Error(core::ErrorCode::usage,
                          "--max-file-size '" + flags.max_file_size
                              + "': expected a size such as 1048576, 512K or 2M");
    }
    walk.max_file_size = *size;
    if (flags.diff) {
        // An unset variable in a CI script ("--diff $BASE") must not check everything.
        if (core::trim(*flags.diff).empty()) {
            throw core::Error(core::ErrorCode::usage,
                              "--diff needs a ref, such as origin/main (was the variable that "
                              "should hold it empty?)");
        }
        if (flags.staged) {
            throw core::Error(core::ErrorCode::usage,
                              "--diff and --staged both choose the files to check: use one");
        }
        walk.diff_ref = *flags.diff;
    }
    // Outside git there is no index: the gate would check nothing and pass.
    if (flags.staged && flags.no_git) {
        throw core::Error(core::ErrorCode::usage,
                          "--staged reads the git index, which --no-git turns away: use one");
    }
    walk.staged = flags.staged;
    walk.shard = to_shard(flags.shard);
    if (!flags.lang.empty()) {
        walk.forced_language = source::language_from_name(flags.lang);
        if (!walk.forced_language) {
            throw core::Error(core::ErrorCode::usage,
                              "--lang '" + flags.lang + "': unknown language");
        }
    }
    return walk;
}

struct ReportFlags
{
    std::string fail_on;
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

inline void
add_report_flags(CLI::App* command, ReportFlags& flags, const std::string& default_fail_on)
{
    flags.fail_on = default_fail_on;
    command
        ->add_option(
            "--fail-on",
            flags.fail_on,
            "Lowest severity that fails the gate: critical, high, medium, low, info or none "
            "(default: "
                + default_fail_on + ")")
        ->check(CLI::IsMember({"critical", "high", "medium", "low", "info", "none"}))
        ->envname("AIOPS_FAIL_ON");
    command
        ->add_option(
            "--format", flags.format, "Standard output format: text, json, sarif or github")
        ->check(CLI::IsMember({"text", "json", "sarif", "github"}))
        ->envname("AIOPS_FORMAT");
    command->add_option("--sarif", flags.sarif, "Also write a SARIF 2.1.0 log to this file")
        ->check(file_name());
    command->add_option("--json", flags.json, "Also write the JSON report to this file")
        ->check(file_name());
    command
        ->add_option("--gitlab-sast",
                     flags.gitlab_sast,
                     "Also write a GitLab SAST report (artifacts:reports:sast) to this file")
        ->check(file_name());
    command
        ->add_option("--gitlab-codequality",
                     flags.gitlab_codequality,
                     "Also write a GitLab Code Quality report (artifacts:reports:codequality)")
        ->check(file_name());
    command->add_option("--junit", flags.junit, "Also write a JUnit XML report to this file")
        ->check(file_name());
    command->add_option(
        "--markdown",
        flags.markdown,
        "Also write a Markdown summary to this file, e.g. \"$GITHUB_STEP_SUMMARY\"; "
        "the file is replaced, not appended to");
    command->add_flag("--github", flags.github, "Also print GitHub Actions annotations");
    command->add_option(
        "--category", flags.category, "SARIF automationDetails category, to tell analyses apart");
}

inline std::optional<core::Severity> to_fail_on(const ReportFlags& flags)
{
    if (flags.fail_on == "none") {
        return std::nullopt;
    }
    return core::parse_severity(flags.fail_on);
}

inline report::OutputOptions to_outputs(const ReportFlags& flags, const GlobalOptions& globals)
{
    // Annotations after a JSON or SARIF document would make standard output unreadable.
    if (flags.github && (flags.format == "json" || flags.format == "sarif")) {
        throw core::Error(core::ErrorCode::usage,
                          "--github prints annotations to standard output, which --format "
                              + flags.format
                              + " fills with one document: write the document with --"
                              + flags.format + " FILE instead");
    }
    report::OutputOptions outputs;
    outputs.format = *report::parse_format(flags.format);
    if (!flags.sarif.empty()) {
        outputs.sarif_file = flags.sarif;
    }
    const auto set = [](std::optional<std::filesystem::path>& target, const std::string& value) {
        if (!value.empty()) {
            target = value;
        }
    };
    set(outputs.json_file, flags.json);
    set(outputs.gitlab_sast_file, flags.gitlab_sast);
    set(outputs.gitlab_codequality_file, flags.gitlab_codequality);
    set(outputs.junit_file, flags.junit);
    set(outputs.markdown_file, flags.markdown);
    outputs.github_annotations = flags.github;
    outputs.color = globals.color == "always"  ? report::ColorMode::always
                    : globals.color == "never" ? report::ColorMode::never
                                               : report::ColorMode::automatic;
    return outputs;
}

/// The flags of the commands that call models: the cache, offline replay, the
/// provider's address and key variable, and the prompt registry.
struct ModelFlags
{
    std::string cache = "dir:.aiops/cache";
    bool offline = false;
    std::string base_url;
    std::optional<std::string> api_key_env; ///< given as '': no key at all
    std::string ca_bundle;
    std::string registry;
};

/// Adds the model flags; `cache_note` ends --cache's help ("each trial has its own entry").
inline void add_model_flags(CLI::App* command, ModelFlags& flags, const std::string& cache_note)
{
    command
        ->add_option("--cache",
                     flags.cache,
                     "Model replies cache: dir:PATH, redis://HOST:PORT/DB or off (default: "
                     "dir:.aiops/cache)"
                         + cache_note)
        ->envname("AIOPS_CACHE");
    command->add_flag(
        "--offline", flags.offline, "Serve model replies only from the cache; a miss is exit 3");
    command
        ->add_option("--base-url",
                     flags.base_url,
                     "The provider's API address, e.g. http://127.0.0.1:11434/v1 for a local "
                     "OpenAI-compatible server")
        ->envname("AIOPS_BASE_URL");
    command->add_option("--api-key-env",
                        flags.api_key_env,
                        "The variable holding the API key (default: OPENAI_API_KEY or "
                        "ANTHROPIC_API_KEY); '' sends none, for a local server that needs no key");
    command
        ->add_option("--ca-bundle",
                     flags.ca_bundle,
                     "A PEM file of CA certificates to verify the provider's TLS certificate "
                     "with, instead of the system's (for a private CA)")
        ->check(CLI::ExistingFile)
        ->envname("AIOPS_CA_BUNDLE");
    command->add_option(
        "--registry", flags.registry, "The folder holding prompts/ for 'prompt: name@version'");
}

inline llm::ConnectionSettings to_connection(const ModelFlags& flags)
{
    llm::ConnectionSettings settings;
    settings.cache = flags.cache;
    settings.offline = flags.offline;
    if (!flags.base_url.empty()) {
        settings.base_url = flags.base_url;
    }
    settings.api_key_env = flags.api_key_env;
    if (!flags.ca_bundle.empty()) {
        settings.ca_bundle = flags.ca_bundle;
    }
    return settings;
}

} // namespace aiops::cli
