#include "cli_common.hpp"
#include "commands.hpp"
#include "core/interrupt.hpp"
#include "scan/baseline.hpp"
#include "scan/scan.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string_view>
#include <utility>

namespace aiops::cli {

namespace {

struct ScanFlags
{
    WalkFlags walk;
    ReportFlags report;
    std::vector<std::string> rules;
    bool no_builtin = false;
    bool list_rules = false;
    std::string test_rules;
    bool test_rules_given = false;
    std::string baseline;
    std::string write_baseline;
    bool ignore_suppressions = false;
    bool keep_going = false;
    double parse_timeout = 30;
    std::vector<std::string> secrets_allow_paths;
    bool no_default_secrets_allow = false;
    std::string history;
    bool history_given = false;
};

int list_rules(const ScanFlags& flags)
{
    const rules::RuleSet set = scan::load_rule_set(!flags.no_builtin, flags.rules).take();
    if (flags.report.format == "json") {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& rule : set.rules) {
            nlohmann::ordered_json languages = nlohmann::ordered_json::array();
            for (const auto language : rule->languages) {
                languages.push_back(source::language_name(language));
            }
            list.push_back({{"id", rule->id},
                            {"severity", core::to_string(rule->severity)},
                            {"confidence", rule->confidence},
                            {"kind", rules::is_text_rule(*rule) ? "text" : "tree"},
                            {"languages", languages},
                            {"aliases", rule->aliases},
                            {"cwe", rule->cwe},
                            {"origin", rule->origin.file}});
        }
        std::puts(list.dump(2).c_str());
        return 0;
    }
    for (const auto& rule : set.rules) {
        std::vector<std::string> languages;
        for (const auto language : rule->languages) {
            languages.emplace_back(source::language_name(language));
        }
        if (rules::is_text_rule(*rule)) {
            languages.emplace_back("text");
        }
        std::printf("%s\t%s\t%s\t%s\n",
                    rule->id.c_str(),
                    std::string(core::to_string(rule->severity)).c_str(),
                    fmt::format("{}", fmt::join(languages, ",")).c_str(),
                    fmt::format("{}", fmt::join(rule->aliases, ",")).c_str());
    }
    std::printf("%zu rules\n", set.rules.size());
    return 0;
}

void print_example_failures(const std::vector<scan::ExampleFailure>& failures,
                            std::size_t rule_count,
                            std::size_t examples,
                            const std::string& format)
{
    const std::size_t passed = examples - std::min(examples, failures.size());
    if (format == "json") {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& failure : failures) {
            list.push_back({{"rule", failure.rule_id},
                            {"file", failure.origin.file},
                            {"line", failure.origin.line},
                            {"column", failure.origin.column},
                            {"problem", failure.problem}});
        }
        const nlohmann::ordered_json document = {{"rules", rule_count},
                                                 {"examples", examples},
                                                 {"passed", passed},
                                                 {"failed", failures.size()},
                                                 {"failures", list}};
        std::puts(document.dump(2).c_str());
        return;
    }
    for (const auto& failure : failures) {
        std::printf("%s:%d:%d: %s: %s\n",
                    failure.origin.file.c_str(),
                    failure.origin.line,
                    failure.origin.column,
                    failure.rule_id.c_str(),
                    failure.problem.c_str());
    }
    std::printf("%zu rules, %zu examples: %zu passed, %zu failed\n",
                rule_count,
                examples,
                passed,
                failures.size());
}

int test_rules(const ScanFlags& flags)
{
    std::vector<scan::RulePath> paths;
    for (const auto& path : flags.rules) {
        paths.push_back({path, "--rules"});
    }
    if (!flags.test_rules.empty()) {
        paths.push_back({flags.test_rules, "--test-rules"});
    }
    // Naming a folder tests that folder's rules; the built-in ones only without one.
    const bool builtin = !flags.no_builtin && flags.test_rules.empty();
    const rules::RuleSet set = scan::load_rule_set(builtin, paths).take();
    std::size_t examples = 0;
    const auto failures = scan::test_rule_examples(set, examples);
    // An interrupt fails the examples still to run: their report would be false.
    if (core::interrupted()) {
        throw core::Error(core::ErrorCode::interrupted, "interrupted");
    }
    print_example_failures(failures, set.rules.size(), examples, flags.report.format);
    return failures.empty() ? 0 : 1;
}

/// The flags of a scan that a mode which only reads rules has no use for.
constexpr std::string_view k_scan_only_flags[] = {"--sarif",
                                                  "--json",
                                                  "--junit",
                                                  "--gitlab-sast",
                                                  "--gitlab-codequality",
                                                  "--markdown",
                                                  "--github",
                                                  "--baseline",
                                                  "--write-baseline",
                                                  "--history",
                                                  "--diff",
                                                  "--staged"};

bool given(const std::vector<std::string>& command_line, std::string_view flag)
{
    return std::any_of(command_line.begin(), command_line.end(), [&](const std::string& word) {
        return word == flag
               || (word.starts_with(flag) && word.size() > flag.size() && word[flag.size()] == '=');
    });
}

// A flag or path on the command line that --list-rules or --test-rules would ignore is
// an error: a report that is never written must not pass for one that was.
void refuse_ignored_flags(const ScanFlags& flags,
                          const GlobalOptions& globals,
                          std::string_view mode)
{
    std::vector<std::string_view> ignored(std::begin(k_scan_only_flags),
                                          std::end(k_scan_only_flags));
    if (mode == "--list-rules") {
        ignored.push_back("--test-rules");
    }
    for (const std::string_view flag : ignored) {
        if (given(globals.command_line, flag)) {
            throw core::Error(core::ErrorCode::usage,
                              fmt::format("'{}' cannot be combined with '{}'", mode, flag));
        }
    }
    if (!flags.walk.paths.empty()) {
        throw core::Error(
            core::ErrorCode::usage,
            fmt::format("'{}' takes no paths to scan, but '{}' was given: {}",
                        mode,
                        flags.walk.paths.front(),
                        mode == "--list-rules"
                            ? "it prints the rules"
                            : "it runs the rules' own examples (a rule file or folder to test is "
                              "its value)"));
    }
}

// The history is every committed version; --diff and --staged choose versions of the
// work tree, and --no-git files on disk, so together one of them would be silently
// ignored.
void reject_walk_flags_with_history(const WalkFlags& walk)
{
    const std::pair<bool, const char*> conflicts[] = {
        {chosen_diff(walk).has_value(), "--diff the work tree's changes"},
        {walk.staged, "--staged the work tree's changes"},
        {walk.no_git, "--no-git the files on disk"},
    };
    for (const auto& [present, what] : conflicts) {
        if (present) {
            throw core::Error(core::ErrorCode::usage,
                              fmt::format("--history scans committed versions, {}: use one", what));
        }
    }
}

int run(const ScanFlags& flags, const GlobalOptions& globals)
{
    if (flags.list_rules) {
        refuse_ignored_flags(flags, globals, "--list-rules");
        return list_rules(flags);
    }
    if (flags.test_rules_given) {
        refuse_ignored_flags(flags, globals, "--test-rules");
        return test_rules(flags);
    }
    scan::ScanOptions options;
    options.walk = to_walk_options(flags.walk);
    options.rule_paths = flags.rules;
    options.builtin_rules = !flags.no_builtin;
    options.jobs = flags.walk.jobs;
    options.fail_on = to_fail_on(flags.report);
    options.ignore_suppressions = flags.ignore_suppressions;
    if (!flags.baseline.empty()) {
        options.baseline_file = flags.baseline;
    }
    options.keep_going = flags.keep_going;
    options.parse_time_limit =
        std::chrono::milliseconds(static_cast<long>(flags.parse_timeout * 1000));
    options.category = flags.report.category;
    options.command_line = globals.command_line;
    if (flags.no_default_secrets_allow) {
        options.secret_allowlist.paths.clear();
    }
    options.secret_allowlist.paths.insert(options.secret_allowlist.paths.end(),
                                          flags.secrets_allow_paths.begin(),
                                          flags.secrets_allow_paths.end());
    if (flags.history_given) {
        reject_walk_flags_with_history(flags.walk);
        options.history = flags.history;
    }
    const report::OutputOptions outputs = to_outputs(flags.report, globals);
    options.line_hashes = outputs.writes_sarif();
    report::Report result = scan::run_scan(options).take();
    if (core::interrupted()) {
        return static_cast<int>(core::ExitCode::interrupted);
    }
    // The baseline is written with the reports, all or none.
    std::vector<report::OutputFile> other_files;
    if (!flags.write_baseline.empty()) {
        other_files.push_back({flags.write_baseline, scan::baseline_text(result.findings)});
    }
    report::write_outputs(result, outputs, other_files).take();
    // Writing a first baseline accepts today's findings: the run passes once it is
    // written. With --baseline too, findings new to that one still fail the gate.
    if (!flags.write_baseline.empty() && flags.baseline.empty() && result.execution_successful) {
        return static_cast<int>(core::ExitCode::success);
    }
    return static_cast<int>(report::gate_exit_code(result));
}

} // namespace

void register_scan(CLI::App& app, CommandAction& action)
{
    auto flags = std::make_shared<ScanFlags>();
    CLI::App* command = app.add_subcommand(
        "scan", "Find security problems, secrets, hidden Unicode and prompt injection");
    command->footer(
        "Examples:\n"
        "  aiops scan                                  scan the repository you are in\n"
        "  aiops scan src/ --sarif scan.sarif          also write a SARIF log for code scanning\n"
        "  aiops scan --rules my-rules/ --no-builtin   only your own rules\n"
        "  aiops scan --test-rules my-rules/           check each rule against its examples\n"
        "  aiops scan --write-baseline base.json       accept today's findings (exits 0); "
        "--baseline\n"
        "                                              base.json then fails only on new ones\n"
        "  aiops scan --history                        secrets in every commit of HEAD's history\n"
        "  aiops scan --history origin/main..HEAD      only those the commits of a branch added\n"
        "Suppress one finding with a comment on its line or the line above:\n"
        "  # aiops: ignore[python.subprocess-shell-true] the command is a constant\n"
        "Exit codes: 0 passed, 1 findings at or above --fail-on, 2 usage error or bad rule file,\n"
        "3 a file could not be read or parsed, 130 interrupted.");
    add_walk_flags(command, flags->walk);
    add_report_flags(command, flags->report, "high");
    command
        ->add_option("--rules",
                     flags->rules,
                     "A rule file or folder to add (YAML; repeatable: one path each)")
        ->take_all();
    command->add_flag("--no-builtin", flags->no_builtin, "Leave out the built-in rules");
    command->add_flag(
        "--list-rules", flags->list_rules, "Print the rules (id, severity, languages, aliases)");
    command
        ->add_option("--test-rules",
                     flags->test_rules,
                     "Run every rule's own examples (the built-in rules, or those in PATH)")
        ->expected(0, 1)
        ->each([flags](const std::string&) { flags->test_rules_given = true; });
    command->add_option(
        "--baseline", flags->baseline, "Findings listed in this baseline do not gate");
    command->add_option(
        "--write-baseline", flags->write_baseline, "Write a baseline of today's findings");
    command->add_flag("--ignore-suppressions",
                      flags->ignore_suppressions,
                      "Report suppressed findings as if no comment suppressed them (for audits)");
    command->add_flag(
        "--keep-going",
        flags->keep_going,
        "A file that cannot be read or parsed does not fail the run (it is still reported)");
    command
        ->add_option(
            "--parse-timeout",
            flags->parse_timeout,
            "Seconds a file may take to parse before it is reported as not scanned (default: 30; "
            "0: no limit)")
        ->check(number_range(0, 86400, /*whole=*/false));
    command
        ->add_option(
            "--secrets-allow-path",
            flags->secrets_allow_paths,
            "Files whose secrets are not reported (gitignore pattern; repeatable: one pattern "
            "each)")
        ->take_all();
    command->add_flag("--no-default-secrets-allow",
                      flags->no_default_secrets_allow,
                      "Report secrets in testdata/, fixtures/, __fixtures__/ and __snapshots__/ "
                      "folders too");
    command
        ->add_option("--history",
                     flags->history,
                     "Scan the lines that the commits of REV-RANGE (A..B, or a revision and "
                     "its ancestors; default: all of HEAD's history) added, instead of the "
                     "work tree; paths limit it to files under them")
        ->expected(0, 1);
    command->callback([&action, flags, command] {
        if (command->count("--test-rules") > 0) {
            flags->test_rules_given = true;
        }
        if (command->count("--history") > 0) {
            flags->history_given = true;
        }
        action = [flags](const GlobalOptions& globals) { return run(*flags, globals); };
    });
}

} // namespace aiops::cli
