#include "scan/redaction.hpp"

#include "core/line_index.hpp"
#include "core/utf8.hpp"
#include "rules/rule.hpp"

#include <algorithm>
#include <cstring>

namespace aiops::scan {

namespace {

/// Secrets this long or longer are also redacted where no rule matched them, and
/// found in messages by this many first bytes.
constexpr std::size_t k_key_bytes = 8;

std::uint64_t key_at(std::string_view text, std::size_t at)
{
    std::uint64_t key = 0;
    std::memcpy(&key, text.data() + at, k_key_bytes);
    return key;
}

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

} // namespace

RedactedText::RedactedText(std::string_view text, const std::vector<TextMatch>& matches)
{
    add_matched(text, matches);
    if (m_replacements.empty()) {
        return;
    }
    for (std::size_t i = 0; i < m_secrets.size(); ++i) {
        if (m_secrets[i].size() >= k_key_bytes) {
            m_by_start[key_at(m_secrets[i], 0)].push_back(i);
        }
    }
    add_elsewhere(text);
    build_text(text);
}

// The secrets rules matched, each once: a match inside one already redacted is not.
void RedactedText::add_matched(std::string_view text, const std::vector<TextMatch>& matches)
{
    std::unordered_map<std::string_view, std::size_t> known;
    std::size_t copied = 0;
    for (const auto& match : matches) {
        if (match.secret.empty() || match.start_byte < copied || match.end_byte > text.size()) {
            continue;
        }
        auto [entry, added] = known.try_emplace(match.secret, m_secrets.size());
        if (added) {
            m_secrets.push_back(match.secret);
            m_redactions.push_back(redact_secret(match.secret));
        }
        m_replacements.push_back({match.start_byte, match.end_byte, entry->second});
        copied = match.end_byte;
    }
}

// The same secrets where no rule matched them (a list, a second assignment): else they
// would show in the snippets of other findings. One hash lookup a byte finds them all.
void RedactedText::add_elsewhere(std::string_view text)
{
    if (m_by_start.empty() || text.size() < k_key_bytes) {
        return;
    }
    std::vector<Replacement> found;
    std::size_t matched = 0; // the next replacement a rule made
    for (std::size_t at = 0; at + k_key_bytes <= text.size();) {
        while (matched < m_replacements.size() && m_replacements[matched].end <= at) {
            ++matched;
        }
        if (matched < m_replacements.size() && m_replacements[matched].begin <= at) {
            at = m_replacements[matched].end; // already redacted
            continue;
        }
        const auto candidates = m_by_start.find(key_at(text, at));
        std::size_t best = m_secrets.size();
        if (candidates != m_by_start.end()) {
            for (const std::size_t i : candidates->second) {
                const std::string& secret = m_secrets[i];
                // A secret over several lines is left to the rule that matched it.
                const bool fits = secret.find('\n') == std::string::npos
                                  && text.compare(at, secret.size(), secret) == 0
                                  && (matched == m_replacements.size()
                                      || at + secret.size() <= m_replacements[matched].begin);
                if (fits && (best == m_secrets.size() || secret.size() > m_secrets[best].size())) {
                    best = i;
                }
            }
        }
        if (best == m_secrets.size()) {
            ++at;
            continue;
        }
        found.push_back({at, at + m_secrets[best].size(), best});
        at += m_secrets[best].size();
    }
    m_replacements.insert(m_replacements.end(), found.begin(), found.end());
    std::sort(m_replacements.begin(),
              m_replacements.end(),
              [](const Replacement& a, const Replacement& b) { return a.begin < b.begin; });
}

void RedactedText::build_text(std::string_view text)
{
    m_shift_before.reserve(m_replacements.size() + 1);
    m_shift_before.push_back(0);
    std::size_t copied = 0;
    for (const auto& replacement : m_replacements) {
        const std::string& secret = m_secrets[replacement.secret];
        const std::string& redaction = m_redactions[replacement.secret];
        m_text.append(text.substr(copied, replacement.begin - copied));
        m_text += redaction;
        m_text.append(static_cast<std::size_t>(std::count(secret.begin(), secret.end(), '\n')),
                      '\n');
        copied = replacement.end;
        m_shift_before.push_back(m_shift_before.back()
                                 + static_cast<int>(core::count_code_points(secret))
                                 - static_cast<int>(core::count_code_points(redaction)));
    }
    m_text.append(text.substr(copied));
}

int RedactedText::shift(std::size_t line_start, std::size_t at) const
{
    // Replacements do not overlap, so their ends are in order too.
    const auto first =
        std::lower_bound(m_replacements.begin(),
                         m_replacements.end(),
                         line_start,
                         [](const Replacement& r, std::size_t offset) { return r.begin < offset; });
    const auto last = std::upper_bound(
        first, m_replacements.end(), at, [](std::size_t offset, const Replacement& r) {
            return offset < r.end;
        });
    if (last <= first) {
        return 0;
    }
    return m_shift_before[static_cast<std::size_t>(last - m_replacements.begin())]
           - m_shift_before[static_cast<std::size_t>(first - m_replacements.begin())];
}

// The longest secret whose first `length` (at least 8) bytes stand at `at`.
const std::string*
RedactedText::longest_start_at(std::string_view text, std::size_t at, std::size_t& length) const
{
    const auto candidates = m_by_start.find(key_at(text, at));
    if (candidates == m_by_start.end()) {
        return nullptr;
    }
    const std::string* best = nullptr;
    length = 0;
    for (const std::size_t i : candidates->second) {
        const std::string& secret = m_secrets[i];
        std::size_t common = 0;
        while (common < secret.size() && at + common < text.size()
               && text[at + common] == secret[common]) {
            ++common;
        }
        if (common > length) {
            best = &secret;
            length = common;
        }
    }
    return best;
}

void RedactedText::redact_message(std::string& message) const
{
    if (m_by_start.empty() || message.size() < k_key_bytes) {
        return;
    }
    std::string out;
    std::size_t copied = 0;
    for (std::size_t at = 0; at + k_key_bytes <= message.size();) {
        std::size_t length = 0;
        const std::string* secret = longest_start_at(message, at, length);
        if (secret == nullptr) {
            ++at;
            continue;
        }
        out.append(message, copied, at - copied);
        out += m_redactions[static_cast<std::size_t>(secret - m_secrets.data())];
        at += length;
        copied = at;
    }
    if (copied > 0) {
        out.append(message, copied);
        message = std::move(out);
    }
}

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
        const RedactedText snippet(finding.snippet, engine.find_secrets(finding.snippet));
        if (!snippet.empty()) {
            snippet.redact_message(finding.message);
            // The redactions before the finding's column on the snippet's first line
            // move it left.
            const int column = finding.location.start_column - finding.snippet_shift;
            const std::size_t start = core::LineIndex(finding.snippet).offset_of(1, column);
            finding.snippet_shift += snippet.shift(0, start);
            finding.snippet = snippet.text();
        }
        finding.message = engine.redact_secrets(finding.message);
    }
}

} // namespace aiops::scan
