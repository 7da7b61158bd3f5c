#include "scan/scan.hpp"

#include "core/interrupt.hpp"
#include "core/line_index.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"
#include "core/strings.hpp"
#include "core/thread_pool.hpp"
#include "core/utf8.hpp"
#include "report/line_hash.hpp"
#include "scan/baseline.hpp"
#include "scan/engine.hpp"
#include "scan/suppressions.hpp"
#include "source/source_file.hpp"
#include "source/syntax_tree.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace aiops::scan {

namespace {

constexpr const char* k_unused_suppression = "aiops.unused-suppression";

std::string camel_name(std::string_view id)
{
    std::string name;
    bool upper = true;
    for (const char c : id) {
        if (c == '.' || c == '-' || c == '_') {
            upper = true;
            continue;
        }
        name.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
        upper = false;
    }
    return name;
}

std::vector<std::string> finding_tags(const rules::Rule& rule)
{
    std::vector<std::string> tags{"security"};
    for (const auto& cwe : rule.cwe) {
        tags.push_back(cwe);
    }
    return tags;
}

class FileScanner
{
public:
    FileScanner(const RuleEngine& engine, const ScanOptions& options)
        : m_engine(engine), m_options(options)
    {}

    report::FileOutcome scan(const source::WorkspaceFile& file) const
    {
        report::FileOutcome outcome;
        auto bytes = source::read_workspace_file(file);
        if (!bytes) {
            outcome.notice = report::Notice{
                report::Notice::Level::error, file.path, "cannot read: " + bytes.error().message()};
            return outcome;
        }
        if (source::looks_binary(*bytes)) {
            outcome.skipped =
                report::SkippedFile{file.path, "binary file (a NUL byte in its first 8 KiB)"};
            return outcome;
        }
        std::optional<source::Language> language = file.language;
        if (!language) {
            language = source::language_from_shebang(
                std::string_view(*bytes).substr(0, bytes->find('\n')));
        }
        if (!language || !m_engine.has_rules_for(*language)) {
            outcome.unsupported = true;
            return outcome;
        }
        const source::SourceText decoded = source::decode_source(std::move(*bytes), *language);
        auto tree = source::parse(*language, decoded.text, m_options.parse_time_limit);
        if (!tree) {
            if (tree.error().code() != core::ErrorCode::interrupted) {
                outcome.notice = report::Notice{report::Notice::Level::error,
                                                file.path,
                                                "cannot parse: " + tree.error().message()};
            }
            return outcome;
        }
        outcome.checked = true;
        TreeMatches matches = m_engine.run(*tree);
        if (matches.matches.empty() && !has_suppression_comment(matches)) {
            return outcome;
        }
        const core::LineIndex lines(decoded.text);
        std::vector<SuppressionComment> suppressions;
        for (const auto& comment : matches.comments) {
            if (auto suppression = parse_suppression(comment)) {
                suppressions.push_back(std::move(*suppression));
            }
        }
        for (const auto& match : matches.matches) {
            outcome.findings.push_back(to_finding(file.path, lines, match, suppressions));
        }
        if (!m_options.ignore_suppressions) {
            for (const auto& suppression : suppressions) {
                if (!suppression.used) {
                    outcome.findings.push_back(unused_suppression(file.path, lines, suppression));
                }
            }
        }
        report::attach_line_hashes(outcome.findings, decoded.text);
        std::sort(outcome.findings.begin(), outcome.findings.end(), core::finding_order);
        core::compute_fingerprints(outcome.findings);
        return outcome;
    }

private:
    static bool has_suppression_comment(const TreeMatches& matches)
    {
        return std::any_of(matches.comments.begin(), matches.comments.end(), [](const Comment& c) {
            return c.text.find("aiops:") != std::string::npos
                   || c.text.find("nosec") != std::string::npos;
        });
    }

    core::Finding to_finding(const std::string& path,
                             const core::LineIndex& lines,
                             const RuleMatch& match,
                             std::vector<SuppressionComment>& suppressions) const
    {
        const core::TextPosition start = lines.position(match.start_byte);
        const core::TextPosition end = lines.position(match.end_byte);
        core::Finding finding;
        finding.rule_id = match.rule->id;
        finding.severity = match.rule->severity;
        finding.message = match.message;
        finding.location = {path, start.line, start.column, end.line, end.column};
        finding.snippet = lines.snippet(start.line, end.line);
        finding.tags = finding_tags(*match.rule);
        if (m_options.ignore_suppressions) {
            return finding;
        }
        // A comment on the line or on the first line of the statement suppresses, and
        // so does one on a line of its own just above either.
        const auto row = static_cast<std::size_t>(start.line - 1);
        for (auto& suppression : suppressions) {
            const std::size_t at = suppression.row;
            const bool below =
                suppression.alone && (at + 1 == row || at + 1 == match.statement_row);
            const bool near = at == row || at == match.statement_row || below;
            if (near && covers(suppression, *match.rule)) {
                suppression.used = true;
                finding.suppression = core::Suppression{core::Suppression::Kind::in_source,
                                                        suppression.justification};
                break;
            }
        }
        return finding;
    }

    static core::Finding unused_suppression(const std::string& path,
                                            const core::LineIndex& lines,
                                            const SuppressionComment& suppression)
    {
        const int line = static_cast<int>(suppression.row) + 1;
        const std::string_view text = lines.line_text(line);
        core::Finding finding;
        finding.rule_id = k_unused_suppression;
        finding.severity = core::Severity::info;
        finding.message = suppression.ids.empty()
                              ? "this suppression comment suppresses no finding"
                              : fmt::format("this suppression of '{}' suppresses no finding",
                                            fmt::join(suppression.ids, "', '"));
        finding.location = {
            path, line, 1, line, static_cast<int>(core::count_code_points(text)) + 1};
        finding.snippet = core::to_valid_utf8(text);
        finding.tags = {"maintainability"};
        return finding;
    }

    const RuleEngine& m_engine;
    const ScanOptions& m_options;
};

report::RuleInfo unused_suppression_rule()
{
    report::RuleInfo info;
    info.id = k_unused_suppression;
    info.name = "UnusedSuppression";
    info.short_description = "A suppression comment that suppresses nothing.";
    info.full_description =
        "The comment asks to ignore findings, but no finding of the named rules is on "
        "its line, the line below or the statement it starts.";
    info.help_markdown =
        "Remove the comment, or correct the rule id it names, so that a later finding "
        "on this line is not hidden by accident.";
    info.default_severity = core::Severity::info;
    info.tags = {"maintainability"};
    return info;
}

std::string first_sentence(std::string_view text)
{
    const std::string flat = core::normalise_whitespace(text);
    const std::size_t stop = flat.find(". ");
    return stop == std::string::npos ? flat : flat.substr(0, stop + 1);
}

} // namespace

core::Result<rules::RuleSet> load_rule_set(bool builtin, const std::vector<std::string>& paths)
{
    rules::RuleSet set;
    if (builtin) {
        for (const auto& source : rules::builtin_rule_sources()) {
            if (auto loaded = rules::load_rules(source, set); !loaded) {
                return loaded.error();
            }
        }
    }
    for (const auto& path : paths) {
        if (auto loaded = rules::load_rule_path(path, set); !loaded) {
            return loaded.error();
        }
    }
    return set;
}

report::RuleInfo rule_info(const rules::Rule& rule)
{
    report::RuleInfo info;
    info.id = rule.id;
    info.name = camel_name(rule.id);
    info.short_description = first_sentence(rule.help);
    info.full_description = core::normalise_whitespace(rule.help);
    info.help_markdown = rule.help;
    info.default_severity = rule.severity;
    info.tags = finding_tags(rule);
    info.confidence = rule.confidence;
    info.cwe = rule.cwe;
    info.owasp = rule.owasp;
    info.aliases = rule.aliases;
    return info;
}

core::Result<report::Report> run_scan(const ScanOptions& options)
{
    auto rule_set = load_rule_set(options.builtin_rules, options.rule_paths);
    if (!rule_set) {
        return rule_set.error();
    }
    std::optional<Baseline> baseline;
    if (options.baseline_file) {
        auto loaded = read_baseline(*options.baseline_file);
        if (!loaded) {
            return loaded.error();
        }
        baseline = std::move(*loaded);
    }
    report::Report result;
    result.command = "scan";
    result.command_line = options.command_line;
    result.category = options.category;
    result.fail_on = options.fail_on;
    result.start_time_utc = report::utc_now();
    for (const auto& rule : rule_set->rules) {
        result.rules.push_back(rule_info(*rule));
    }
    result.rules.push_back(unused_suppression_rule());

    auto workspace = source::walk_workspace(options.walk);
    if (!workspace) {
        return workspace.error();
    }
    result.root = workspace->root;
    result.unsupported_files = workspace->unsupported_files;
    report::add_walk_results(result, workspace->skipped, workspace->unreadable, options.keep_going);
    core::log::debug("scan: {} rules, {} files", rule_set->rules.size(), workspace->files.size());

    const RuleEngine engine(*rule_set);
    const FileScanner scanner(engine, options);
    const unsigned jobs = options.jobs == 0 ? core::hardware_threads() : options.jobs;
    std::vector<report::FileOutcome> outcomes(workspace->files.size());
    core::Progress progress("scan", "files", outcomes.size());
    core::parallel_for(outcomes.size(), jobs, [&](std::size_t i) {
        if (!core::interrupted()) {
            outcomes[i] = scanner.scan(workspace->files[i]);
            progress.tick();
        }
    });
    if (core::interrupted()) {
        return core::Error(core::ErrorCode::interrupted, "interrupted");
    }
    report::add_file_outcomes(result, outcomes, options.keep_going);
    source::keep_findings_on_changed_lines(*workspace, result.findings);
    if (baseline) {
        apply_baseline(*baseline, result.findings);
    }
    if (options.write_baseline_file) {
        if (auto written = write_baseline(*options.write_baseline_file, result.findings);
            !written) {
            return written.error();
        }
    }
    result.end_time_utc = report::utc_now();
    return result;
}

std::vector<ExampleFailure> test_rule_examples(const rules::RuleSet& rule_set,
                                               std::size_t& examples_run)
{
    std::vector<ExampleFailure> failures;
    examples_run = 0;
    for (const auto& rule : rule_set.rules) {
        rules::RuleSet single;
        single.rules.push_back(rule);
        const RuleEngine engine(single);
        const std::string origin =
            fmt::format("{}:{}:{}", rule->origin.file, rule->origin.line, rule->origin.column);
        if (rule->bad_examples.empty()) {
            failures.push_back({rule->id, origin, "the rule has no bad example"});
        }
        const auto matches_in = [&](const std::string& code, source::Language language) {
            auto tree = source::parse(language, code);
            return tree ? engine.run(*tree).matches.size() : 0;
        };
        for (const auto language : rule->languages) {
            for (std::size_t i = 0; i < rule->bad_examples.size(); ++i) {
                ++examples_run;
                if (matches_in(rule->bad_examples[i], language) == 0) {
                    failures.push_back({rule->id,
                                        origin,
                                        fmt::format("bad example {} ({}) is not found",
                                                    i + 1,
                                                    source::language_name(language))});
                }
            }
            for (std::size_t i = 0; i < rule->good_examples.size(); ++i) {
                ++examples_run;
                if (const std::size_t found = matches_in(rule->good_examples[i], language);
                    found > 0) {
                    failures.push_back({rule->id,
                                        origin,
                                        fmt::format("good example {} ({}) is found {} time{}",
                                                    i + 1,
                                                    source::language_name(language),
                                                    found,
                                                    found == 1 ? "" : "s")});
                }
            }
        }
    }
    return failures;
}

} // namespace aiops::scan
