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
#include "scan/suppressions.hpp"
#include "scan/text_rules.hpp"
#include "source/ignore_rules.hpp"
#include "source/source_file.hpp"
#include "source/syntax_tree.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <set>

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

// Lines that hold a suppression marker, as comments, for files read without a tree:
// the marker counts on its own line, and on the next when nothing but comment
// punctuation stands before it.
std::vector<Comment> marker_lines(std::string_view text)
{
    std::vector<Comment> out;
    std::size_t row = 0;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string_view line = text.substr(begin, end - begin);
        for (const std::string_view marker : {"aiops:", "nosec"}) {
            const std::size_t at = line.find(marker);
            if (at == std::string_view::npos) {
                continue;
            }
            const std::string_view before = line.substr(0, at);
            const bool alone = before.find_first_not_of(" \t#/;*<!-") == std::string_view::npos;
            out.push_back({row, row, begin + at, std::string(line.substr(at)), alone});
            break;
        }
        ++row;
        begin = end + 1;
    }
    return out;
}

// Whether a marker at a byte of a file without a grammar stands in a comment: what
// precedes it on its line ends with '#', '//', ';', '--', '/*' or '<!--' (white space
// between them aside). In prose ('#' starts a heading in Markdown) only '<!--' counts.
bool follows_comment_token(std::string_view text, std::size_t at, std::string_view path)
{
    const std::size_t newline = at == 0 ? std::string_view::npos : text.rfind('\n', at - 1);
    const std::size_t begin = newline == std::string_view::npos ? 0 : newline + 1;
    const std::string_view before = core::trim(text.substr(begin, at - begin));
    const std::string lower = core::to_lower(path);
    const bool prose = lower.ends_with(".md") || lower.ends_with(".markdown")
                       || lower.ends_with(".txt") || lower.ends_with(".rst");
    if (before.ends_with("<!--")) {
        return true;
    }
    if (prose) {
        return false;
    }
    for (const std::string_view token : {"#", "//", ";", "--", "/*"}) {
        if (!before.ends_with(token)) {
            continue;
        }
        // The token begins the line or follows white space: 'a#b' is a value.
        const std::size_t start = before.size() - token.size();
        return start == 0 || before[start - 1] == ' ' || before[start - 1] == '\t';
    }
    return false;
}

// How much shorter, in code points, the redactions of the secrets that stand between
// the start of the line and a byte are than the secrets themselves.
int redaction_shift(std::string_view text, const std::vector<TextMatch>& matches, std::size_t at)
{
    const std::size_t newline = at == 0 ? std::string_view::npos : text.rfind('\n', at - 1);
    const std::size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
    std::size_t copied = 0;
    int shift = 0;
    for (const auto& match : matches) {
        if (match.secret.empty() || match.start_byte < copied) {
            continue; // not redacted, or inside a redaction already made (as redacted_text)
        }
        copied = match.end_byte;
        if (match.start_byte >= line_start && match.end_byte <= at) {
            shift += static_cast<int>(core::count_code_points(match.secret))
                     - static_cast<int>(core::count_code_points(redact_secret(match.secret)));
        }
    }
    return shift;
}

// The text with every secret replaced by its redaction; the line breaks inside a
// secret are kept, so lines stay where they were.
std::string redacted_text(std::string_view text, const std::vector<TextMatch>& matches)
{
    std::string out;
    std::size_t copied = 0;
    for (const auto& match : matches) {
        if (match.secret.empty() || match.start_byte < copied) {
            continue;
        }
        out.append(text.substr(copied, match.start_byte - copied));
        out += redact_secret(match.secret);
        out.append(
            static_cast<std::size_t>(std::count(match.secret.begin(), match.secret.end(), '\n')),
            '\n');
        copied = match.end_byte;
    }
    out.append(text.substr(copied));
    // The same secret elsewhere in the file (a list, a second assignment that no rule
    // matched) would show in the snippets of other findings: it is redacted there too.
    std::set<std::string_view> redacted;
    for (const auto& match : matches) {
        const std::string_view secret = match.secret;
        if (secret.size() < 8 || secret.find('\n') != std::string_view::npos
            || !redacted.insert(secret).second) {
            continue;
        }
        const std::string replacement = redact_secret(secret);
        for (std::size_t at = out.find(secret); at != std::string::npos;
             at = out.find(secret, at + replacement.size())) {
            out.replace(at, secret.size(), replacement);
        }
    }
    return out;
}

// Replaces in a message any secret, or a start of one of at least 8 characters (a
// quote cut short), by its redaction.
void redact_message(std::string& message, const std::vector<TextMatch>& matches)
{
    for (const auto& match : matches) {
        if (match.secret.empty()) {
            continue;
        }
        for (std::size_t length = match.secret.size(); length >= 8; --length) {
            const std::string_view start = std::string_view(match.secret).substr(0, length);
            const std::size_t at = message.find(start);
            if (at != std::string::npos) {
                message.replace(at, length, redact_secret(match.secret));
                break;
            }
        }
    }
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
        auto bytes = source::read_workspace_file(file);
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
        outcome.checked = true;
        std::vector<TextMatch> text_matches = m_text_engine.run(
            path, text, parsed ? &matches.comments : nullptr, together ? &hits : nullptr);
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
        const std::vector<TextMatch> secrets = secrets_to_hide(path, text, text_matches);
        const bool has_secret = !secrets.empty();
        const std::string shown = has_secret ? redacted_text(text, secrets) : std::string();
        const std::string_view display = has_secret ? std::string_view(shown) : text;
        // Without a secret the shown text is the text, whose lines are already indexed.
        const std::optional<core::LineIndex> shown_lines =
            has_secret ? std::optional<core::LineIndex>(display) : std::nullopt;
        const core::LineIndex& display_lines = has_secret ? *shown_lines : lines;
        std::vector<SuppressionComment> suppressions;
        for (const auto& comment : parsed ? matches.comments : marker_lines(text)) {
            if (auto suppression = parse_suppression(comment)) {
                suppression->in_comment =
                    parsed || follows_comment_token(text, comment.start_byte, path);
                suppressions.push_back(std::move(*suppression));
            }
        }
        for (std::size_t i = 0; i < matches.matches.size(); ++i) {
            RuleMatch& match = matches.matches[i];
            // A message may quote a secret of the file, or a start of one. Text rules
            // redact what their quotes hold; a tree rule's quote is searched here.
            if (has_secret) {
                redact_message(match.message, secrets);
            }
            if (i < tree_matches) {
                match.message = m_text_engine.redact_secrets(match.message);
            }
            outcome.findings.push_back(to_finding(path, lines, display_lines, match, suppressions));
            outcome.findings.back().snippet_shift =
                redaction_shift(text, secrets, match.start_byte);
        }
        if (!m_options.ignore_suppressions) {
            for (const auto& suppression : suppressions) {
                if (!suppression.used && suppression.in_comment) {
                    outcome.findings.push_back(
                        unused_suppression(path, display_lines, suppression));
                }
            }
        }
        report::attach_line_hashes(outcome.findings, display);
        std::sort(outcome.findings.begin(), outcome.findings.end(), core::finding_order);
        core::compute_fingerprints(outcome.findings);
        return outcome;
    }

private:
    // Every secret the file shows, sorted by place: those reported, and those the
    // redacting rules find where they report nothing (outside their paths, in an
    // allowed folder), which a snippet or a quote must not show either.
    std::vector<TextMatch> secrets_to_hide(const std::string& path,
                                           std::string_view text,
                                           const std::vector<TextMatch>& reported) const
    {
        std::vector<TextMatch> secrets = m_text_engine.unreported_secrets(path, text);
        std::copy_if(reported.begin(),
                     reported.end(),
                     std::back_inserter(secrets),
                     [](const TextMatch& match) { return !match.secret.empty(); });
        std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) {
            return a.start_byte < b.start_byte;
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

    core::Finding to_finding(const std::string& path,
                             const core::LineIndex& lines,
                             const core::LineIndex& display_lines,
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
        finding.snippet = display_lines.snippet(start.line, end.line);
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
load_rule_set(bool builtin, const std::vector<std::string>& paths, unsigned jobs)
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
            if (auto done = rules::load_rules(sources[i], loaded[i]); !done) {
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
    for (const auto& path : paths) {
        if (auto loaded = rules::load_rule_path(path, set); !loaded) {
            return loaded.error();
        }
    }
    return set;
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
        if (finding.rule_id != k_unused_suppression && !finding.suppression) {
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

} // namespace

core::Result<report::Report> run_scan(const ScanOptions& options)
{
    auto rule_set = load_rule_set(options.builtin_rules, options.rule_paths, options.jobs);
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

    const TextRuleEngine text_engine(*rule_set, options.secret_allowlist);
    const RuleEngine engine(*rule_set);
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
    source::WalkOptions walk = options.walk;
    walk.include_other_files = !text_engine.empty();
    auto workspace = source::walk_workspace(walk);
    if (!workspace) {
        return workspace.error();
    }
    result.root = workspace->root;
    result.unsupported_files = workspace->unsupported_files;
    report::add_walk_results(result, workspace->skipped, workspace->unreadable, options.keep_going);
    core::log::debug("scan: {} rules, {} files", rule_set->rules.size(), workspace->files.size());

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
    if (workspace->diff) {
        auto base = scan_base_versions(*workspace, scanner, result.findings, jobs);
        if (!base) {
            return base.error();
        }
        source::keep_new_findings(*workspace, result.findings, *base);
    }
    return finish_scan(options, baseline, result);
}

namespace {

// A text rule's examples are whole texts, matched whatever the rule's paths say.
void test_text_examples(const rules::Rule& rule,
                        const rules::RuleSet& single,
                        const std::string& origin,
                        std::vector<ExampleFailure>& failures,
                        std::size_t& examples_run)
{
    const TextRuleEngine engine(single, SecretAllowlist{});
    for (std::size_t i = 0; i < rule.bad_examples.size(); ++i) {
        ++examples_run;
        if (engine.run_anywhere(rule.bad_examples[i]).empty()) {
            failures.push_back(
                {rule.id, origin, fmt::format("bad example {} (text) is not found", i + 1)});
        }
    }
    for (std::size_t i = 0; i < rule.good_examples.size(); ++i) {
        ++examples_run;
        const auto found = engine.run_anywhere(rule.good_examples[i]);
        if (!found.empty()) {
            failures.push_back({rule.id,
                                origin,
                                fmt::format("good example {} (text) is found {} time{}: {}",
                                            i + 1,
                                            found.size(),
                                            found.size() == 1 ? "" : "s",
                                            found.front().message)});
        }
    }
}

} // namespace

std::vector<ExampleFailure> test_rule_examples(const rules::RuleSet& rule_set,
                                               std::size_t& examples_run)
{
    std::vector<ExampleFailure> failures;
    examples_run = 0;
    for (const auto& rule : rule_set.rules) {
        rules::RuleSet single;
        single.rules.push_back(rule);
        const std::string origin =
            fmt::format("{}:{}:{}", rule->origin.file, rule->origin.line, rule->origin.column);
        if (rule->bad_examples.empty()) {
            failures.push_back({rule->id, origin, "the rule has no bad example"});
        }
        if (rules::is_text_rule(*rule)) {
            test_text_examples(*rule, single, origin, failures, examples_run);
            continue;
        }
        const RuleEngine engine(single);
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
