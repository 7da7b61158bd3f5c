#include "scan/redaction.hpp"

#include "core/utf8.hpp"
#include "rules/rule.hpp"

#include <algorithm>

namespace aiops::scan {

namespace {

rules::RuleSet load_builtin_secret_rules()
{
    rules::RuleSet set;
    for (const auto& source : rules::builtin_rule_sources()) {
        if (source.name.starts_with("rules/secrets/")) {
            // The built-in rules are tested when they are built: they load.
            (void)rules::load_rules(source, set);
        }
    }
    return set;
}

// The byte of a line at which a 1-based column (in code points) starts.
std::size_t byte_of_column(std::string_view line, int column)
{
    std::size_t offset = 0;
    for (int at = 1; at < column && offset < line.size(); ++at) {
        offset += core::decode_utf8(line, offset).length;
    }
    return offset;
}

void redact_snippet(const TextRuleEngine& engine, core::Finding& finding)
{
    const std::string_view snippet = finding.snippet;
    const std::vector<TextMatch> secrets = engine.find_secrets(snippet);
    if (secrets.empty()) {
        return;
    }
    const std::size_t first_line_end = std::min(snippet.find('\n'), snippet.size());
    const std::size_t start = byte_of_column(snippet.substr(0, first_line_end),
                                             finding.location.start_column - finding.snippet_shift);
    std::string out;
    std::size_t copied = 0;
    int shift = 0;
    for (const TextMatch& secret : secrets) {
        if (secret.start_byte < copied) {
            continue;
        }
        const std::string shown = redact_secret(secret.secret);
        out.append(snippet.substr(copied, secret.start_byte - copied));
        out += shown;
        // A line break inside a secret is kept, so the snippet keeps its lines.
        out.append(
            static_cast<std::size_t>(std::count(secret.secret.begin(), secret.secret.end(), '\n')),
            '\n');
        copied = secret.end_byte;
        if (secret.end_byte <= start) {
            shift += static_cast<int>(core::count_code_points(secret.secret))
                     - static_cast<int>(core::count_code_points(shown));
        }
    }
    out.append(snippet.substr(copied));
    finding.snippet = std::move(out);
    finding.snippet_shift += shift;
}

} // namespace

const TextRuleEngine& builtin_secret_rules()
{
    static const rules::RuleSet rules = load_builtin_secret_rules();
    static const TextRuleEngine engine(rules, SecretAllowlist{});
    return engine;
}

std::string redact_builtin_secrets(std::string_view text)
{
    return builtin_secret_rules().redact_secrets(text);
}

void redact_findings(const TextRuleEngine& engine, std::vector<core::Finding>& findings)
{
    for (core::Finding& finding : findings) {
        finding.message = engine.redact_secrets(finding.message);
        redact_snippet(engine, finding);
    }
}

} // namespace aiops::scan
