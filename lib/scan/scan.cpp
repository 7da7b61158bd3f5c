#include "scan/scan.hpp"

#include "core/interrupt.hpp"
#include "core/line_index.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"
#include "core/sha256.hpp"
#include "core/strings.hpp"
#include "core/thread_pool.hpp"
#include "core/utf8.hpp"
#include "report/line_hash.hpp"
#include "scan/baseline.hpp"
#include "scan/engine.hpp"
#include "scan/history_scan.hpp"
#include "scan/keywords.hpp"
#include "scan/redaction.hpp"
#include "scan/suppressions.hpp"
#include "scan/text_rules.hpp"
#include "source/ignore_rules.hpp"
#include "source/source_file.hpp"
#include "source/syntax_tree.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

namespace aiops::scan {

namespace {

constexpr const char* k_unused_suppression = "aiops.unused-suppression";
constexpr const char* k_bad_suppression = "aiops.bad-suppression";

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

// A lone CR ends a line, as Python and editors count lines (files from old Macs, a
// stray '\r' in the middle of a file); written as a line feed, the rows of the tree,
// the lines of findings and the line hashes all agree. CRLF is left as it is.
void end_lines_at_lone_carriage_returns(std::string& text)
{
    for (std::size_t at = text.find('\r'); at != std::string::npos; at = text.find('\r', at + 1)) {
        if (at + 1 == text.size() || text[at + 1] != '\n') {
            text[at] = '\n';
        }
    }
}

// Whether a line is blank or only a comment, which opens no block.
bool opens_no_block(std::string_view line)
{
    const std::string_view text = core::trim(line);
    return text.empty() || text.starts_with('#') || text.starts_with("//") || text.starts_with('*')
           || text.starts_with("/*");
}

std::size_t indentation(std::string_view line)
{
    const std::size_t indent = line.find_first_not_of(" \t");
    return indent == std::string_view::npos ? line.size() : indent;
}

// The block each finding stands in, for its fingerprint: the nearest line above it
// with less indentation (a def, a class, an if), up to its first '(' so that a
// changed parameter list keeps it. The lines are read once, up to the last finding's,
// keeping the blocks open at each on a stack.
std::vector<std::string> block_contexts(const core::LineIndex& lines,
                                        const std::vector<core::Finding>& findings)
{
    struct Block
    {
        std::size_t indent;
        int line;
    };

    std::vector<std::size_t> order(findings.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return findings[a].location.start_line < findings[b].location.start_line;
    });
    std::vector<std::string> contexts(findings.size());
    std::vector<Block> open; // indents grow from bottom to top
    int next = 1;
    for (const std::size_t i : order) {
        const int line = findings[i].location.start_line;
        for (; next < line; ++next) {
            const std::string_view text = lines.line_text(next);
            if (opens_no_block(text)) {
                continue;
            }
            const std::size_t indent = indentation(text);
            while (!open.empty() && open.back().indent >= indent) {
                open.pop_back();
            }
            open.push_back({indent, next});
        }
        const std::size_t indent = indentation(lines.line_text(line));
        auto block = open.rbegin();
        while (block != open.rend() && block->indent >= indent) {
            ++block;
        }
        if (block != open.rend()) {
            std::string_view text = lines.line_text(block->line).substr(0, 200);
            contexts[i] = core::normalise_whitespace(text.substr(0, text.find('(')));
        }
    }
    return contexts;
}

std::vector<std::string> finding_tags(const rules::Rule& rule)
{
    std::vector<std::string> tags{"security"};
    for (const auto& cwe : rule.cwe) {
        tags.push_back(cwe);
    }
    return tags;
}

/// Code points of a source line a finding keeps: a long line (minified code, data on
/// one line) is cut to a window around the finding, so that what a finding holds does
/// not grow with the line. Reports cut it further, to 240.
constexpr int k_snippet_width = 300;

/// A file's text as its findings read it: positions come from the text, what they
/// show from its redacted copy.
struct FileText
{
    const std::string& path;
    const core::LineIndex& lines;
    const core::LineIndex& shown_lines;
    const RedactedText& redacted;
};

// Where a range is, and the source it shows: its lines, cut to a window on a long
// line, with the secrets before it on its line shown redacted.
void place(core::Finding& finding, const FileText& file, std::size_t begin, std::size_t end)
{
    const core::TextPosition start = file.lines.position(begin);
    const core::TextPosition stop = file.lines.position(end);
    finding.location = {file.path, start.line, start.column, stop.line, stop.column};
    const int shift =
        file.redacted.empty() ? 0 : file.redacted.shift(file.lines.offset_of(start.line, 1), begin);
    core::Excerpt excerpt =
        file.shown_lines.excerpt(start.line, stop.line, start.column - shift, k_snippet_width);
    finding.snippet = std::move(excerpt.text);
    finding.snippet_shift = shift + excerpt.cut_before;
}

class FileScanner
{
public:
    FileScanner(const RuleEngine& engine,
                const TextRuleEngine& text_engine,
                const ScanOptions& options)
        : m_engine(engine), m_text_engine(text_engine), m_options(options),
          m_keywords(source::k_languages.size())
    {}

    report::FileOutcome scan(const source::WorkspaceFile& file) const
    {
        report::FileOutcome outcome;
        // A binary file is skipped whatever its length: its start is enough to tell.
        auto bytes = source::read_workspace_file(file, source::BinaryFiles::read_start);
        if (!bytes) {
            outcome.notice = report::Notice{
                report::Notice::Level::error, file.path, "cannot read: " + bytes.error().message()};
            return outcome;
        }
        if (source::looks_binary(*bytes)) {
            if (!file.language && !file.named) {
                // A file of no language was listed only for its text; binary, it has none.
                outcome.unsupported = true;
                return outcome;
            }
            outcome.skipped =
                report::SkippedFile{file.path, "binary file (a NUL byte in its first 8 KiB)"};
            return outcome;
        }
        return scan_text(file.path, std::move(*bytes), file.language);
    }

    /// Scans the bytes of one file (from the work tree or a git blob).
    report::FileOutcome scan_text(const std::string& path,
                                  std::string bytes,
                                  std::optional<source::Language> language) const
    {
        report::FileOutcome outcome;
        if (!language) {
            language =
                source::language_from_shebang(std::string_view(bytes).substr(0, bytes.find('\n')));
        }
        const bool tree_rules = language && m_engine.has_rules_for(*language);
        if (!tree_rules && m_text_engine.empty()) {
            outcome.unsupported = true;
            return outcome;
        }
        std::string text;
        if (language) {
            text = source::decode_source(std::move(bytes), *language).text;
        } else {
            if (bytes.starts_with("\xEF\xBB\xBF")) {
                bytes.erase(0, 3);
            }
            text = std::move(bytes);
        }
        end_lines_at_lone_carriage_returns(text);
        TreeMatches matches;
        std::vector<KeywordHit> hits; // of both engines, when found together
        bool together = false;
        bool parsed = false;
        if (tree_rules || (language && m_text_engine.reads_comments())) {
            auto tree = source::parse(*language, text, m_options.parse_time_limit);
            if (!tree && tree_rules) {
                if (tree.error().code() != core::ErrorCode::interrupted) {
                    outcome.notice = report::Notice{report::Notice::Level::error,
                                                    path,
                                                    "cannot parse: " + tree.error().message()};
                }
                return outcome;
            }
            if (tree) {
                const KeywordAutomaton& search = keywords_for(*language);
                together = !search.empty();
                if (together) {
                    hits = search.hits(text);
                }
                matches = m_engine.run(*tree,
                                       together ? &hits : nullptr,
                                       static_cast<int>(m_text_engine.keywords().size()));
                parsed = true;
            }
        }
        // A long file is given up between its steps when the run is interrupted; the
        // caller reports the interrupt.
        if (core::interrupted()) {
            return outcome;
        }
        outcome.checked = true;
        std::vector<TextMatch> text_matches = m_text_engine.run(
            path, text, parsed ? &matches.comments : nullptr, together ? &hits : nullptr);
        if (core::interrupted()) {
            return outcome;
        }
        const std::size_t tree_matches = matches.matches.size();
        const bool may_suppress = parsed ? has_suppression_comment(matches)
                                         : text.find("aiops:") != std::string::npos
                                               || text.find("nosec") != std::string::npos;
        if (matches.matches.empty() && text_matches.empty() && !may_suppress) {
            return outcome;
        }
        const core::LineIndex lines(text);
        for (auto& match : text_matches) {
            const auto row = static_cast<std::size_t>(lines.position(match.start_byte).line - 1);
            matches.matches.push_back(
                {match.rule, match.start_byte, match.end_byte, std::move(match.message), row});
        }
        const RedactedText redacted(
            text, secrets_to_hide(path, text, text_matches, together ? &hits : nullptr));
        // Without a secret the shown text is the text, whose lines are already indexed.
        const std::optional<core::LineIndex> shown_lines =
            redacted.empty() ? std::nullopt : std::optional<core::LineIndex>(redacted.text());
        const FileText file{path, lines, redacted.empty() ? lines : *shown_lines, redacted};
        FileSuppressions suppressions(parsed ? matches.comments : marker_comments(text, path),
                                      text);
        outcome.findings.reserve(matches.matches.size());
        for (std::size_t i = 0; i < matches.matches.size(); ++i) {
            if (i % 4096 == 4095 && core::interrupted()) {
                return outcome;
            }
            RuleMatch& match = matches.matches[i];
            // A message may quote a secret of the file, or a start of one. Text rules
            // redact what their quotes hold; a tree rule's quote is searched here.
            if (!redacted.empty()) {
                redacted.redact_message(match.message);
            }
            if (i < tree_matches) {
                match.message = m_text_engine.redact_secrets(match.message);
            }
            outcome.findings.push_back(to_finding(file, match, suppressions));
        }
        if (!m_options.ignore_suppressions) {
            add_marker_findings(file, suppressions, outcome.findings);
        }
        if (m_options.line_hashes) {
            report::attach_line_hashes(outcome.findings,
                                       redacted.empty() ? std::string_view(text) : redacted.text());
        }
        std::sort(outcome.findings.begin(), outcome.findings.end(), core::finding_order);
        core::compute_fingerprints(outcome.findings,
                                   block_contexts(file.shown_lines, outcome.findings));
        return outcome;
    }

private:
    // Every secret the file shows, sorted by place (the longer first where two start
    // together): those reported, and those the redacting rules find where they report
    // nothing (outside their paths, in an allowed folder), which a snippet or a quote
    // must not show either.
    std::vector<TextMatch> secrets_to_hide(const std::string& path,
                                           std::string_view text,
                                           const std::vector<TextMatch>& reported,
                                           const std::vector<KeywordHit>* hits) const
    {
        std::vector<TextMatch> secrets = m_text_engine.unreported_secrets(path, text, hits);
        std::copy_if(reported.begin(),
                     reported.end(),
                     std::back_inserter(secrets),
                     [](const TextMatch& match) { return !match.secret.empty(); });
        std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) {
            return a.start_byte != b.start_byte ? a.start_byte < b.start_byte
                                                : a.end_byte > b.end_byte;
        });
        return secrets;
    }

    // The keywords of the text rules and the words of a language's tree rules are
    // found together, in one pass over a parsed file. The automaton is built when the
    // first file of the language comes; a language whose rules need no word keeps to
    // the text rules' own automaton.
    const KeywordAutomaton& keywords_for(source::Language language) const
    {
        const auto slot = static_cast<std::size_t>(language);
        std::call_once(m_keywords_built[slot], [&] {
            const auto& words = m_engine.words(language);
            if (words.empty()) {
                return;
            }
            KeywordAutomaton& search = m_keywords[slot];
            const auto& keywords = m_text_engine.keywords();
            for (std::size_t id = 0; id < keywords.size(); ++id) {
                search.add(keywords[id], static_cast<int>(id));
            }
            for (std::size_t id = 0; id < words.size(); ++id) {
                search.add(core::to_lower(words[id]), static_cast<int>(keywords.size() + id));
            }
            search.build();
        });
        return m_keywords[slot];
    }

    static bool has_suppression_comment(const TreeMatches& matches)
    {
        return std::any_of(matches.comments.begin(), matches.comments.end(), [](const Comment& c) {
            return c.text.find("aiops:") != std::string::npos
                   || c.text.find("nosec") != std::string::npos;
        });
    }

    core::Finding
    to_finding(const FileText& file, const RuleMatch& match, FileSuppressions& suppressions) const
    {
        core::Finding finding;
        finding.rule_id = match.rule->id;
        finding.severity = match.rule->severity;
        finding.message = match.message;
        place(finding, file, match.start_byte, match.end_byte);
        finding.tags = finding_tags(*match.rule);
        if (m_options.ignore_suppressions) {
            return finding;
        }
        const auto row = static_cast<std::size_t>(finding.location.start_line - 1);
        const auto last_row = static_cast<std::size_t>(finding.location.end_line - 1);
        if (const auto* suppression =
                suppressions.find(row, last_row, match.statement_row, *match.rule)) {
            // The reason is the comment's text, which may hold a secret like any text.
            std::string justification = suppression->justification;
            if (!file.redacted.empty()) {
                file.redacted.redact_message(justification);
            }
            justification = m_text_engine.redact_secrets(justification);
            finding.suppression =
                core::Suppression{core::Suppression::Kind::in_source, std::move(justification)};
        }
        return finding;
    }

    // A finding about a suppression comment itself, at the comment's columns.
    static core::Finding marker_finding(const FileText& file, std::size_t begin, std::size_t end)
    {
        core::Finding finding;
        finding.severity = core::Severity::info;
        place(finding, file, begin, end);
        finding.tags = {"maintainability"};
        return finding;
    }

    // The suppressions that hide nothing, or name rules none of whose findings they
    // hide, and the markers written wrong.
    static void add_marker_findings(const FileText& file,
                                    const FileSuppressions& suppressions,
                                    std::vector<core::Finding>& out)
    {
        for (const auto& suppression : suppressions.suppressions()) {
            std::vector<std::string> unused;
            for (std::size_t i = 0; i < suppression.ids.size(); ++i) {
                if (!suppression.id_used[i]) {
                    unused.push_back(suppression.ids[i]);
                }
            }
            if (suppression.used && unused.empty()) {
                continue;
            }
            core::Finding finding =
                marker_finding(file, suppression.start_byte, suppression.end_byte);
            finding.rule_id = k_unused_suppression;
            finding.message = unused.empty()
                                  ? "this suppression comment suppresses no finding"
                                  : fmt::format("this suppression of '{}' suppresses no finding",
                                                fmt::join(unused, "', '"));
            out.push_back(std::move(finding));
        }
        for (const auto& marker : suppressions.malformed()) {
            core::Finding finding = marker_finding(file, marker.start_byte, marker.end_byte);
            finding.rule_id = k_bad_suppression;
            finding.message = marker.problem;
            out.push_back(std::move(finding));
        }
    }

    const RuleEngine& m_engine;
    const TextRuleEngine& m_text_engine;
    const ScanOptions& m_options;
    mutable std::vector<KeywordAutomaton> m_keywords; ///< by language, see keywords_for
    mutable std::array<std::once_flag, source::k_languages.size()> m_keywords_built;
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

report::RuleInfo bad_suppression_rule()
{
    report::RuleInfo info;
    info.id = k_bad_suppression;
    info.name = "BadSuppression";
    info.short_description = "A suppression comment written wrong, which suppresses nothing.";
    info.full_description =
        "The comment looks like a suppression but is not one: 'aiops: ignored' or "
        "'aiops: ignore-next-line' instead of 'aiops: ignore', empty brackets, or a "
        "'[' that is never closed. It suppresses nothing, rather than everything.";
    info.help_markdown =
        "Write `aiops: ignore[rule-id] reason`, with the rule ids or aliases it is meant "
        "for, or `aiops: ignore reason` to ignore every rule on the line.";
    info.default_severity = core::Severity::info;
    info.tags = {"maintainability"};
    return info;
}

// The text up to the first ". " that ends a sentence: not one inside `code` and not
// the end of an ellipsis (`curl ... | sh`).
std::string first_sentence(std::string_view text)
{
    const std::string flat = core::normalise_whitespace(text);
    bool in_code = false;
    for (std::size_t i = 0; i + 1 < flat.size(); ++i) {
        if (flat[i] == '`') {
            in_code = !in_code;
        }
        const bool ellipsis = i > 0 && flat[i - 1] == '.';
        if (!in_code && !ellipsis && flat[i] == '.' && flat[i + 1] == ' ') {
            return flat.substr(0, i + 1);
        }
    }
    return flat;
}

} // namespace

core::Result<rules::RuleSet>
load_rule_set(bool builtin,
              const std::vector<RulePath>& paths,
              unsigned jobs,
              const rules::LoadOptions& builtin_options,
              const std::vector<std::shared_ptr<const rules::RuleDocument>>& read_ahead)
{
    rules::RuleSet set;
    if (builtin) {
        // The built-in files are many and independent, so they load side by side; the
        // tests keep their ids unique, and a rule of --rules is checked against them.
        const auto& sources = rules::builtin_rule_sources();
        std::vector<rules::RuleSet> loaded(sources.size());
        std::vector<std::optional<core::Error>> errors(sources.size());
        const unsigned threads = jobs == 0 ? core::hardware_threads() : jobs;
        core::parallel_for(sources.size(), threads, [&](std::size_t i) {
            const bool read = i < read_ahead.size() && read_ahead[i] != nullptr;
            auto done =
                read ? rules::load_rules(sources[i], *read_ahead[i], loaded[i], builtin_options)
                     : rules::load_rules(sources[i], loaded[i], builtin_options);
            if (!done) {
                errors[i] = done.error();
            }
        });
        for (std::size_t i = 0; i < sources.size(); ++i) {
            if (errors[i]) {
                return *errors[i];
            }
            set.rules.insert(set.rules.end(), loaded[i].rules.begin(), loaded[i].rules.end());
        }
    }
    // A file named twice (on its own and inside a folder given too) is read once.
    std::set<std::filesystem::path> loaded_files;
    for (const auto& path : paths) {
        auto files = rules::rule_files(path.path, path.flag);
        if (!files) {
            return files.error();
        }
        for (const auto& file : *files) {
            std::error_code error;
            const auto canonical = std::filesystem::weakly_canonical(file, error);
            if (!loaded_files.insert(error ? std::filesystem::path(file) : canonical).second) {
                continue;
            }
            if (auto loaded = rules::load_rule_file(file, set); !loaded) {
                return loaded.error();
            }
        }
    }
    if (set.rules.empty()) {
        return core::Error(core::ErrorCode::usage,
                           paths.empty() ? "no rules to run: --no-builtin leaves out the built-in "
                                           "rules, and no --rules were given"
                                         : "no rules to run: the rule files given hold no rule");
    }
    return set;
}

core::Result<rules::RuleSet>
load_rule_set(bool builtin,
              const std::vector<std::string>& paths,
              unsigned jobs,
              const rules::LoadOptions& builtin_options,
              const std::vector<std::shared_ptr<const rules::RuleDocument>>& read_ahead)
{
    std::vector<RulePath> named;
    for (const auto& path : paths) {
        named.push_back({path, "--rules"});
    }
    return load_rule_set(builtin, named, jobs, builtin_options, read_ahead);
}

struct SecretFinder::Parts
{
    rules::RuleSet rules;
    ScanOptions options;
    TextRuleEngine text_engine;
    RuleEngine engine;
    FileScanner scanner;

    explicit Parts(rules::RuleSet secret_rules)
        : rules(std::move(secret_rules)), text_engine(rules, options.secret_allowlist),
          engine(rules), scanner(engine, text_engine, options)
    {}
};

core::Result<SecretFinder> SecretFinder::create()
{
    rules::RuleSet set;
    for (const auto& source : rules::builtin_rule_sources()) {
        if (!source.name.starts_with("rules/secrets/")) {
            continue;
        }
        if (auto loaded = rules::load_rules(source, set); !loaded) {
            return loaded.error();
        }
    }
    return SecretFinder(std::make_unique<Parts>(std::move(set)));
}

SecretFinder::SecretFinder(std::unique_ptr<Parts> parts) : m_parts(std::move(parts)) {}

SecretFinder::~SecretFinder() = default;
SecretFinder::SecretFinder(SecretFinder&&) noexcept = default;
SecretFinder& SecretFinder::operator=(SecretFinder&&) noexcept = default;

std::vector<core::Finding> SecretFinder::find(const std::string& path, std::string text) const
{
    report::FileOutcome outcome =
        m_parts->scanner.scan_text(path, std::move(text), source::language_from_path(path));
    std::vector<core::Finding> secrets;
    for (auto& finding : outcome.findings) {
        const bool about_a_comment =
            finding.rule_id == k_unused_suppression || finding.rule_id == k_bad_suppression;
        if (!about_a_comment && !finding.suppression) {
            secrets.push_back(std::move(finding));
        }
    }
    return secrets;
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

namespace {

core::Result<report::Report> finish_scan(const ScanOptions& options,
                                         const std::optional<Baseline>& baseline,
                                         report::Report& result)
{
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
    return std::move(result);
}

/// With --diff: the fingerprints of the findings of the base versions of the files
/// whose findings the change does not explain by their lines.
core::Result<source::BaseFingerprints>
scan_base_versions(const source::Workspace& workspace,
                   const FileScanner& scanner,
                   const std::vector<core::Finding>& findings,
                   unsigned jobs)
{
    const std::set<std::string> paths = source::paths_of_untouched_findings(workspace, findings);
    if (paths.empty()) {
        return source::BaseFingerprints();
    }
    auto versions = source::BaseVersions::open(workspace);
    if (!versions) {
        return versions.error();
    }
    std::vector<source::WorkspaceFile> files;
    for (const auto& file : workspace.files) {
        if (paths.count(file.path) == 0) {
            continue;
        }
        auto base = versions->base_of(file);
        if (!base) {
            return base.error();
        }
        if (*base) {
            files.push_back(std::move(**base));
        }
    }
    std::vector<report::FileOutcome> outcomes(files.size());
    core::parallel_for(outcomes.size(), jobs, [&](std::size_t i) {
        if (!core::interrupted()) {
            outcomes[i] = scanner.scan(files[i]);
        }
    });
    if (core::interrupted()) {
        return core::Error(core::ErrorCode::interrupted, "interrupted");
    }
    source::BaseFingerprints fingerprints;
    for (std::size_t i = 0; i < files.size(); ++i) {
        auto& known = fingerprints[files[i].path];
        for (const auto& finding : outcomes[i].findings) {
            known.insert(finding.fingerprint);
        }
    }
    return fingerprints;
}

// The languages the scan will read a workspace's files in, each once: a text file
// without an extension may name its language on its first line ("#!/usr/bin/env
// python3"), read as the scan reads it.
std::vector<source::Language> languages_of(const std::vector<source::WorkspaceFile>& files)
{
    std::vector<source::Language> languages;
    for (const auto& file : files) {
        std::optional<source::Language> language = file.language;
        if (!language && source::may_have_shebang(file.path)) {
            const auto bytes = source::read_workspace_file(file, source::BinaryFiles::read_start);
            if (bytes && bytes->starts_with("#!") && !source::looks_binary(*bytes)) {
                language = source::language_from_shebang(
                    std::string_view(*bytes).substr(0, bytes->find('\n')));
            }
        }
        if (language
            && std::find(languages.begin(), languages.end(), *language) == languages.end()) {
            languages.push_back(*language);
        }
    }
    return languages;
}

// Reads the built-in rule files' YAML, in order, on a thread of its own until it is
// stopped: most of loading the rules, and it needs no language, so it runs while the
// files to scan are listed, which keeps one core busy and leaves the other idle.
class BuiltinRuleReader
{
public:
    BuiltinRuleReader() : m_thread([this] { read(); }) {}

    BuiltinRuleReader(const BuiltinRuleReader&) = delete;
    BuiltinRuleReader& operator=(const BuiltinRuleReader&) = delete;

    ~BuiltinRuleReader() { stop(); }

    /// Stops after the file being read; what was read, by source (null: not read, or not
    /// valid YAML, which loading the file again reports).
    std::vector<std::shared_ptr<const rules::RuleDocument>> take()
    {
        stop();
        return std::move(m_documents);
    }

private:
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }

    void read() noexcept
    {
        const auto& sources = rules::builtin_rule_sources();
        for (std::size_t i = 0; i < sources.size() && !m_stop; ++i) {
            try {
                if (auto document = rules::read_rule_document(sources[i])) {
                    m_documents[i] = std::move(*document);
                }
            } catch (...) {
                return; // out of memory: the loading threads read the rest
            }
        }
    }

    std::vector<std::shared_ptr<const rules::RuleDocument>> m_documents{
        rules::builtin_rule_sources().size()};
    std::atomic<bool> m_stop{false};
    std::thread m_thread; // last: it starts once the members it uses are made
};

} // namespace

core::Result<report::Report> run_scan(const ScanOptions& options)
{
    // A scan of the working tree lists its files first, so that the built-in rules are
    // compiled only for the languages of those files: the grammars and matchers of the
    // others are never loaded. The built-in pack holds text rules (the secrets), so every
    // text file is listed. A scan of the history may read any language.
    const auto walk_files = [&](bool include_other_files) {
        source::WalkOptions walk = options.walk;
        walk.include_other_files = include_other_files;
        return source::walk_workspace(walk);
    };
    std::optional<source::Workspace> workspace;
    rules::LoadOptions builtin_options;
    builtin_options.keep_examples = false; // --test-rules runs them, a scan does not
    const unsigned jobs = options.jobs == 0 ? core::hardware_threads() : options.jobs;
    std::vector<std::shared_ptr<const rules::RuleDocument>> read_ahead;
    if (options.builtin_rules && !options.history) {
        std::optional<BuiltinRuleReader> reader;
        if (jobs > 1) {
            reader.emplace();
        }
        auto walked = walk_files(/*include_other_files=*/true);
        if (!walked) {
            return walked.error();
        }
        workspace = std::move(*walked);
        builtin_options.languages = languages_of(workspace->files);
        if (reader) {
            read_ahead = reader->take();
            core::log::debug(
                "scan: {} of {} built-in rule files read while the files were listed",
                std::count_if(read_ahead.begin(),
                              read_ahead.end(),
                              [](const auto& document) { return document != nullptr; }),
                read_ahead.size());
        }
    }
    auto rule_set = load_rule_set(
        options.builtin_rules, options.rule_paths, options.jobs, builtin_options, read_ahead);
    read_ahead.clear(); // the documents are read: their memory goes back
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
    if (options.walk.shard) {
        result.shard = fmt::format("{}/{}", options.walk.shard->index, options.walk.shard->count);
    }
    for (const auto& rule : rule_set->rules) {
        result.rules.push_back(rule_info(*rule));
    }
    result.rules.push_back(unused_suppression_rule());
    result.rules.push_back(bad_suppression_rule());

    const TextRuleEngine text_engine(*rule_set, options.secret_allowlist);
    const RuleEngine engine(*rule_set, jobs);
    const FileScanner scanner(engine, text_engine, options);
    if (options.history) {
        const auto scan_version = [&](const std::string& path, std::string bytes) {
            return scanner.scan_text(path, std::move(bytes), source::language_from_path(path));
        };
        if (auto scanned = scan_history(options, scan_version, result); !scanned) {
            return scanned.error();
        }
        return finish_scan(options, baseline, result);
    }
    if (!workspace) {
        auto walked = walk_files(!text_engine.empty());
        if (!walked) {
            return walked.error();
        }
        workspace = std::move(*walked);
    }
    result.root = workspace->root;
    result.unsupported_files = workspace->unsupported_files;
    report::add_walk_results(result, workspace->skipped, workspace->unreadable, options.keep_going);
    core::log::debug("scan: {} rules, {} files", rule_set->rules.size(), workspace->files.size());

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
    if (workspace->diff) {
        auto base = scan_base_versions(*workspace, scanner, result.findings, jobs);
        if (!base) {
            return base.error();
        }
        source::keep_new_findings(*workspace, result.findings, *base);
    }
    return finish_scan(options, baseline, result);
}

} // namespace aiops::scan
