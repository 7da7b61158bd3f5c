#pragma once

#include "rules/rule.hpp"
#include "scan/engine.hpp"
#include "scan/keywords.hpp"
#include "source/ignore_rules.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::scan {

/// A range of bytes of a text.
struct TextSpan
{
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// One match of a text rule.
struct TextMatch
{
    const rules::Rule* rule = nullptr;
    std::size_t start_byte = 0; ///< of the reported group
    std::size_t end_byte = 0;
    std::string message; ///< filled in; a secret in it is redacted
    /// The raw secret, kept only to redact it wherever the file's text shows up; it is
    /// never written out. Empty when the rule does not redact.
    std::string secret;
};

/// Files whose secrets are not reported, beyond each rule's own `allow` list: test
/// fixtures and the like, as gitignore patterns relative to the root.
struct SecretAllowlist
{
    std::vector<std::string> paths;
};

/// The path patterns allowed by default: folders that by convention hold test data.
const std::vector<std::string>& default_secret_allow_paths();

/// The text rules of a rule set, ready to run over any text. All their keywords are
/// found in one pass over a file (an Aho-Corasick automaton, ASCII case folded); a rule
/// runs only where one of its keywords is: on those lines, or on the whole file for a
/// multiline rule.
class TextRuleEngine
{
public:
    TextRuleEngine(const rules::RuleSet& rules, const SecretAllowlist& allowlist);
    ~TextRuleEngine();
    TextRuleEngine(const TextRuleEngine&) = delete;
    TextRuleEngine& operator=(const TextRuleEngine&) = delete;

    /// Whether the set has no text rule.
    bool empty() const;

    /// Whether some rule also reads the comments of files with a grammar.
    bool reads_comments() const;

    /// The keywords of the rules (lowercase), by id: what a caller that searches a
    /// text for more strings at once looks for on the engine's behalf.
    const std::vector<std::string>& keywords() const;

    /// Every match of the rules that apply to the path, in source order. With the
    /// comments of a parsed file, comment-reading rules whose paths leave the file out
    /// also run inside those comments. All in one pass for the keywords, unless the
    /// caller has found them: hits then holds every place of every keyword (ids past
    /// those of keywords() are not the engine's and are skipped).
    std::vector<TextMatch> run(std::string_view path,
                               std::string_view text,
                               const std::vector<Comment>* comments = nullptr,
                               const std::vector<KeywordHit>* hits = nullptr) const;

    /// Every match of every rule, whatever the path says: for a rule's own examples.
    std::vector<TextMatch> run_anywhere(std::string_view text) const;

    /// The secrets that run() does not report for this path but that the text still
    /// holds: what the redacting rules find where their paths leave the file out or the
    /// allowlist covers it, and secrets spelt in invisible tag characters (the span of
    /// their tags). They are never reported, only shown redacted. `hits` are the
    /// keywords found in the text, as for run(), when the caller has them.
    std::vector<TextMatch> unreported_secrets(std::string_view path,
                                              std::string_view text,
                                              const std::vector<KeywordHit>* hits = nullptr) const;

    /// Every match of the rules that redact (the secret rules) in the text, whatever
    /// path it comes from, in source order.
    std::vector<TextMatch> find_secrets(std::string_view text) const;

    /// The text with every secret the redacting rules find in it (wherever it comes
    /// from) replaced by its redaction, as RedactedText shows it: for text that is
    /// quoted before it is shown.
    std::string redact_secrets(std::string_view text) const;

private:
    struct Compiled;
    /// Where a rule reads a file.
    enum class Scope
    {
        none,
        text,     ///< the whole text
        comments, ///< only inside the spans (comments)
    };

    /// The secrets that runs of tag characters spell, at the bytes of their tags.
    std::vector<TextMatch> secrets_in_tag_characters(std::string_view text) const;

    /// Runs each rule over its scope; spans are sorted and do not overlap.
    std::vector<TextMatch> run_rules(std::string_view text,
                                     const std::vector<Scope>& scopes,
                                     const std::vector<TextSpan>& spans,
                                     const std::vector<KeywordHit>* hits) const;
    std::unique_ptr<Compiled> m_compiled;
};

/// How a secret is shown: at most its first 4 characters (fewer for a short one), an
/// ellipsis, and the first 8 hex digits of its SHA-256: "sk-p…[sha256:1a2b3c4d]".
std::string redact_secret(std::string_view secret);

/// Shannon entropy of the bytes of text, in bits per character.
double shannon_entropy(std::string_view text);

/// Whether a secret is a placeholder or a documented example rather than a key:
/// "xxxx", "<your-key>", "${VAR}", "{{ var }}", "changeme", "your_api_key_here",
/// one character repeated, AWS's published example keys and the like.
bool looks_like_placeholder(std::string_view secret);

/// The text with every character outside printable ASCII written as its number
/// (`<U+202E>`, `<U+E0041>`, `<0xFF>` for a byte that is not UTF-8), at most max_chars
/// characters of it. The ellipsis of a redaction (U+2026) stays as it is.
std::string escape_non_ascii(std::string_view text, std::size_t max_chars = 80);

/// The ASCII text that Unicode tag characters (U+E0020 to U+E007E) in text spell.
std::string decode_tag_characters(std::string_view text);

/// Decodes base64 or base64url (padding optional); nullopt when text is neither.
std::optional<std::string> decode_base64(std::string_view text);

} // namespace aiops::scan
