#pragma once

#include "core/finding.hpp"
#include "scan/text_rules.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace aiops::scan {

/// A text as findings show it (a file, a snippet, a message): every secret found in it
/// replaced by its redaction, there and wherever else the same secret occurs in the
/// text. Its cost grows with the text and the number of secrets, never with their
/// product, so a one-line file of thousands of secrets costs what a long file of them
/// does.
class RedactedText
{
public:
    /// The matches come sorted by their start; those without a secret are left out.
    RedactedText(std::string_view text, const std::vector<TextMatch>& matches);

    /// Whether the text holds no secret, so it is shown as it is.
    bool empty() const { return m_replacements.empty(); }

    /// The text with the secrets replaced; their line breaks are kept, so lines stay
    /// where they were. Empty when the text holds no secret.
    const std::string& text() const { return m_text; }

    /// How many code points shorter the redactions between the start of a line and a
    /// byte on it are than the secrets they replace.
    int shift(std::size_t line_start, std::size_t at) const;

    /// Replaces in a message any secret, or a start of one of at least 8 bytes (a
    /// quote cut short), by its redaction.
    void redact_message(std::string& message) const;

private:
    struct Replacement
    {
        std::size_t begin;
        std::size_t end;
        std::size_t secret; ///< index in m_secrets
    };

    void add_matched(std::string_view text, const std::vector<TextMatch>& matches);
    void add_elsewhere(std::string_view text);
    void build_text(std::string_view text);
    const std::string*
    longest_start_at(std::string_view text, std::size_t at, std::size_t& length) const;

    std::vector<std::string> m_secrets;
    std::vector<std::string> m_redactions;   ///< by secret
    std::vector<Replacement> m_replacements; ///< sorted, not overlapping
    std::vector<int> m_shift_before;         ///< code points saved by the replacements before i
    /// The secrets of at least 8 bytes by their first 8 bytes, to find them in a text
    /// with one lookup a byte.
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> m_by_start;
    std::string m_text;
};

/// The secret rules built into the binary (rules/secrets), loaded on first use: how
/// text shown outside a scan is redacted, the same way a scan redacts its own.
const TextRuleEngine& builtin_secret_rules();

/// The text with every secret the built-in secret rules find in it redacted.
std::string redact_builtin_secrets(std::string_view text);

/// Redacts every secret the engine finds in the message and the snippet of each
/// finding, and in the message also a start of a secret of the snippet (a quote cut
/// short). Where a redaction before the start column shortens the snippet's first
/// line, the finding's snippet_shift grows by as much, so carets still line up.
void redact_findings(const TextRuleEngine& engine, std::vector<core::Finding>& findings);

} // namespace aiops::scan
