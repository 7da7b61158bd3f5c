#include "scan/text_rules.hpp"

#include "core/sha256.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "scan/keywords.hpp"
#include "scan/redaction.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>

namespace aiops::scan {

namespace {

/// Keys that vendors publish in their documentation, so that examples copied from it
/// are not reported: AWS's example keys, Stripe's test keys, the key of Azure's
/// storage emulator (Azurite), and the payload of jwt.io's sample token.
constexpr std::string_view k_documented_examples[] = {
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
};

/// Words that mark a value as a stand-in for a secret rather than one.
constexpr std::string_view k_placeholder_words[] = {
    "xxxx",      "****",       "....",      "example", "placeholder", "changeme",  "change_me",
    "change-me", "your_",      "your-",     "yourkey", "yoursecret",  "yourtoken", "yourpassword",
    "redacted",  "replace_me", "replaceme", "insert_", "<",           ">",         "${",
    "{{",        "$(",         "%(",        "...",
};

/// How every match of an expression starts, which a rule without keywords is searched by.
struct MatchStart
{
    std::string literal;        ///< the bytes every match starts with, lowercase
    bool outside_ascii = false; ///< every match starts with a byte outside ASCII
};

// One range of the regex tells both: its least string starts with the least first byte
// of any match.
MatchStart match_start(const RE2& regex)
{
    MatchStart start;
    if (const auto range = match_range(regex, 8)) {
        start.literal = core::to_lower(match_prefix(*range));
        start.outside_ascii =
            !range->first.empty() && static_cast<unsigned char>(range->first[0]) >= 0x80;
    }
    return start;
}

bool is_base64_byte(unsigned char c)
{
    return std::isalnum(c) != 0 || c == '+' || c == '/' || c == '-' || c == '_';
}

int confidence_rank(const std::string& confidence)
{
    return confidence == "high" ? 2 : confidence == "medium" ? 1 : 0;
}

} // namespace

const std::vector<std::string>& default_secret_allow_paths()
{
    static const std::vector<std::string> paths{
        "**/testdata/**",
        "**/fixtures/**",
        "**/__fixtures__/**",
        "**/__snapshots__/**",
    };
    return paths;
}

struct TextRuleEngine::Compiled
{
    struct Entry
    {
        const rules::Rule* rule;
        int paths = -1;      ///< index in path_sets; -1: every file
        bool always = false; ///< no keyword: the regex runs over every file
        /// Every match starts with a byte outside ASCII (hidden Unicode): text of
        /// ASCII alone is not searched. Only known of rules without keywords.
        bool outside_ascii = false;
    };

    std::vector<Entry> entries;
    /// The distinct `paths` lists of the rules: rules about one kind of file share
    /// theirs, which is then matched once a file.
    std::vector<std::vector<std::string>> path_lists;
    std::vector<source::IgnoreRules> path_sets;
    LazyKeywordAutomaton keywords;
    std::vector<std::string> keyword_list; ///< by id
    std::vector<std::vector<int>> rules_of_keyword;
    source::IgnoreRules allowed_paths;
    bool reads_comments = false;
};

TextRuleEngine::TextRuleEngine(const rules::RuleSet& rule_set, const SecretAllowlist& allowlist)
    : m_compiled(std::make_unique<Compiled>())
{
    Compiled& compiled = *m_compiled;
    for (const auto& pattern : allowlist.paths) {
        compiled.allowed_paths.add_pattern(pattern);
    }
    for (const auto& rule : rule_set.rules) {
        if (!rules::is_text_rule(*rule)) {
            continue;
        }
        const rules::TextMatcher& matcher = *rule->text;
        const int index = static_cast<int>(compiled.entries.size());
        Compiled::Entry entry{rule.get(), -1, false, false};
        const auto known =
            std::find(compiled.path_lists.begin(), compiled.path_lists.end(), matcher.paths);
        if (known != compiled.path_lists.end()) {
            entry.paths = static_cast<int>(known - compiled.path_lists.begin());
        } else {
            source::IgnoreRules set;
            for (const auto& pattern : matcher.paths) {
                set.add_pattern(pattern);
            }
            // A list without a pattern leaves the rule to every file.
            if (!set.empty()) {
                entry.paths = static_cast<int>(compiled.path_sets.size());
                compiled.path_lists.push_back(matcher.paths);
                compiled.path_sets.push_back(std::move(set));
            }
        }
        std::vector<std::string> words = matcher.keywords;
        if (words.empty()) {
            // A rule with keywords runs only where they occur, which its regex's start
            // would narrow no further: the range, costly to find, is found for the others.
            MatchStart start = match_start(*matcher.regex);
            entry.outside_ascii = start.outside_ascii;
            if (!start.literal.empty()) {
                words.push_back(std::move(start.literal));
            }
        }
        entry.always = words.empty();
        for (const auto& word : words) {
            const int id = static_cast<int>(compiled.rules_of_keyword.size());
            compiled.rules_of_keyword.push_back({index});
            compiled.keywords.add(word, id);
            compiled.keyword_list.push_back(word);
        }
        compiled.reads_comments |= matcher.comments;
        compiled.entries.push_back(std::move(entry));
    }
}

TextRuleEngine::~TextRuleEngine() = default;

bool TextRuleEngine::empty() const
{
    return m_compiled->entries.empty();
}

bool TextRuleEngine::reads_comments() const
{
    return m_compiled->reads_comments;
}

const std::vector<std::string>& TextRuleEngine::keywords() const
{
    return m_compiled->keyword_list;
}

std::vector<TextMatch> TextRuleEngine::run(std::string_view path,
                                           std::string_view text,
                                           const std::vector<Comment>* comments,
                                           const std::vector<KeywordHit>* hits) const
{
    const Compiled& compiled = *m_compiled;
    const bool allowed = compiled.allowed_paths.is_ignored(path, /*is_folder=*/false);
    std::vector<Scope> scopes(compiled.entries.size(), Scope::none);
    std::vector<bool> path_in_set;
    path_in_set.reserve(compiled.path_sets.size());
    for (const auto& set : compiled.path_sets) {
        path_in_set.push_back(set.is_ignored(path, /*is_folder=*/false));
    }
    bool in_comments = false;
    for (std::size_t i = 0; i < compiled.entries.size(); ++i) {
        const Compiled::Entry& entry = compiled.entries[i];
        const bool in_scope = entry.paths < 0 || path_in_set[static_cast<std::size_t>(entry.paths)];
        if (allowed && entry.rule->text->redact) {
            continue;
        }
        if (in_scope) {
            scopes[i] = Scope::text;
        } else if (comments != nullptr && entry.rule->text->comments) {
            scopes[i] = Scope::comments;
            in_comments = true;
        }
    }
    std::vector<TextSpan> spans;
    if (in_comments) {
        spans.reserve(comments->size());
        for (const auto& comment : *comments) {
            const std::size_t end = comment.start_byte + comment.text.size();
            if (end <= text.size() && (spans.empty() || comment.start_byte >= spans.back().end)) {
                spans.push_back({comment.start_byte, end});
            }
        }
    }
    return run_rules(text, scopes, spans, hits);
}

std::vector<TextMatch> TextRuleEngine::run_anywhere(std::string_view text) const
{
    return run_rules(
        text, std::vector<Scope>(m_compiled->entries.size(), Scope::text), {}, nullptr);
}

std::vector<TextMatch> TextRuleEngine::unreported_secrets(std::string_view path,
                                                          std::string_view text,
                                                          const std::vector<KeywordHit>* hits) const
{
    const Compiled& compiled = *m_compiled;
    const bool allowed = compiled.allowed_paths.is_ignored(path, /*is_folder=*/false);
    std::vector<Scope> scopes(compiled.entries.size(), Scope::none);
    bool any = false;
    for (std::size_t i = 0; i < compiled.entries.size(); ++i) {
        const Compiled::Entry& entry = compiled.entries[i];
        if (!entry.rule->text->redact) {
            continue;
        }
        const bool in_scope =
            entry.paths < 0
            || compiled.path_sets[static_cast<std::size_t>(entry.paths)].is_ignored(
                path, /*is_folder=*/false);
        if (allowed || !in_scope) {
            scopes[i] = Scope::text;
            any = true;
        }
    }
    std::vector<TextMatch> secrets =
        any ? run_rules(text, scopes, {}, hits) : std::vector<TextMatch>();
    const std::vector<TextMatch> hidden = secrets_in_tag_characters(text);
    secrets.insert(secrets.end(), hidden.begin(), hidden.end());
    return secrets;
}

std::vector<TextMatch> TextRuleEngine::secrets_in_tag_characters(std::string_view text) const
{
    // Every tag character (U+E0000 to U+E007F) is 4 bytes, F3 A0 80 80 to F3 A0 81 BF.
    std::vector<TextMatch> out;
    std::size_t at = text.find("\xF3\xA0");
    while (at != std::string_view::npos) {
        std::string decoded;
        std::vector<std::size_t> offsets; // of each decoded character's tag
        std::size_t end = at;
        for (;;) {
            const core::DecodedCodePoint next = core::decode_utf8(text, end);
            if (end >= text.size() || next.code_point < 0xE0000 || next.code_point > 0xE007F) {
                break;
            }
            decoded += static_cast<char>(next.code_point - 0xE0000);
            offsets.push_back(end);
            end += next.length;
        }
        for (const TextMatch& found : find_secrets(decoded)) {
            TextMatch match = found;
            match.start_byte = offsets[found.start_byte];
            match.end_byte = found.end_byte < offsets.size() ? offsets[found.end_byte] : end;
            match.secret =
                std::string(text.substr(match.start_byte, match.end_byte - match.start_byte));
            out.push_back(std::move(match));
        }
        at = text.find("\xF3\xA0", std::max(end, at + 1));
    }
    return out;
}

std::vector<TextMatch> TextRuleEngine::find_secrets(std::string_view text) const
{
    const Compiled& compiled = *m_compiled;
    std::vector<Scope> scopes(compiled.entries.size(), Scope::none);
    for (std::size_t i = 0; i < compiled.entries.size(); ++i) {
        if (compiled.entries[i].rule->text->redact) {
            scopes[i] = Scope::text;
        }
    }
    return run_rules(text, scopes, {}, nullptr);
}

std::string TextRuleEngine::redact_secrets(std::string_view text) const
{
    const RedactedText redacted(text, find_secrets(text));
    return redacted.empty() ? std::string(text) : redacted.text();
}

namespace {

// The message of a match. Text it quotes may hold a secret (a prompt that asks to send
// a key, a key spelt in tag characters): the secrets in it are redacted first.
std::string fill_text_message(const rules::Rule& rule,
                              std::string_view whole,
                              std::string_view group,
                              const TextRuleEngine& secrets)
{
    static const RE2 placeholder(R"(\{\{\s*(match|hidden)\s*\}\})");
    std::string message = rule.message;
    re2::StringPiece rest(message);
    std::string out;
    re2::StringPiece found;
    std::string name;
    static const RE2 wrapped("(" + placeholder.pattern() + ")");
    while (RE2::PartialMatch(rest, wrapped, &found, &name)) {
        out.append(rest.data(), static_cast<std::size_t>(found.data() - rest.data()));
        if (name == "hidden") {
            out +=
                core::quote_for_message(secrets.redact_secrets(decode_tag_characters(whole)), 200);
        } else if (rule.text->redact) {
            out += redact_secret(group);
        } else {
            out += escape_non_ascii(secrets.redact_secrets(group));
        }
        rest.remove_prefix(static_cast<std::size_t>(found.data() - rest.data()) + found.size());
    }
    out.append(rest.data(), rest.size());
    return out;
}

// Whether one match of a rule, with its reported group, is reported.
bool accepted(const rules::TextMatcher& matcher, const re2::StringPiece* groups)
{
    const re2::StringPiece group = groups[matcher.group];
    const std::string_view value(group.data(), group.size());
    if (matcher.min_entropy && shannon_entropy(value) < *matcher.min_entropy) {
        return false;
    }
    for (const auto& allow : matcher.allow) {
        if (RE2::PartialMatch(group, *allow)) {
            return false;
        }
    }
    for (const auto& allow : matcher.allow_match) {
        if (RE2::PartialMatch(groups[0], *allow)) {
            return false;
        }
    }
    if (matcher.redact && looks_like_placeholder(value)) {
        return false;
    }
    if (matcher.decoded_regex) {
        const re2::StringPiece encoded = groups[matcher.decoded_group];
        const auto decoded = decode_base64(std::string_view(encoded.data(), encoded.size()));
        if (!decoded || !RE2::PartialMatch(*decoded, *matcher.decoded_regex)) {
            return false;
        }
    }
    return true;
}

void match_in(const rules::Rule& rule,
              std::string_view text,
              TextSpan window,
              const TextRuleEngine& engine,
              std::vector<TextMatch>& out)
{
    const rules::TextMatcher& matcher = *rule.text;
    const RE2& regex = *matcher.regex;
    const int groups_wanted = std::max(matcher.group, matcher.decoded_group) + 1;
    std::vector<re2::StringPiece> groups(static_cast<std::size_t>(groups_wanted));
    const re2::StringPiece piece(text.data() + window.begin, window.end - window.begin);
    std::size_t at = 0;
    while (at <= piece.size()
           && regex.Match(piece, at, piece.size(), RE2::UNANCHORED, groups.data(), groups_wanted)) {
        const re2::StringPiece whole = groups[0];
        const auto whole_end = static_cast<std::size_t>(whole.data() - piece.data()) + whole.size();
        at = whole.empty() ? whole_end + 1 : whole_end;
        const re2::StringPiece group = groups[static_cast<std::size_t>(matcher.group)];
        if (group.data() == nullptr || group.empty() || !accepted(matcher, groups.data())) {
            continue;
        }
        TextMatch match;
        match.rule = &rule;
        match.start_byte = static_cast<std::size_t>(group.data() - text.data());
        match.end_byte = match.start_byte + group.size();
        const std::string_view group_text(group.data(), group.size());
        match.message = fill_text_message(
            rule, std::string_view(whole.data(), whole.size()), group_text, engine);
        if (matcher.redact) {
            match.secret = std::string(group_text);
        }
        out.push_back(std::move(match));
    }
}

// A secret found by a specific rule is also found by the generic ones; where two
// secrets overlap, the finding of the rule with less confidence is dropped, and of
// two equally sure ones, the one that lies inside the other.
void drop_overlapping_secrets(std::vector<TextMatch>& matches)
{
    std::vector<bool> dropped(matches.size());
    for (std::size_t i = 0; i < matches.size(); ++i) {
        for (std::size_t j = i + 1;
             j < matches.size() && matches[j].start_byte < matches[i].end_byte;
             ++j) {
            if (matches[i].secret.empty() || matches[j].secret.empty()) {
                continue;
            }
            const int a = confidence_rank(matches[i].rule->confidence);
            const int b = confidence_rank(matches[j].rule->confidence);
            if (a != b) {
                dropped[a < b ? i : j] = true;
            } else if (matches[j].end_byte <= matches[i].end_byte) {
                dropped[j] = true; // the same secret, or a part of it, found twice
            }
        }
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < matches.size(); ++i) {
        if (!dropped[i]) {
            if (kept != i) {
                matches[kept] = std::move(matches[i]);
            }
            ++kept;
        }
    }
    matches.resize(kept);
}

} // namespace

std::vector<TextMatch> TextRuleEngine::run_rules(std::string_view text,
                                                 const std::vector<Scope>& scopes,
                                                 const std::vector<TextSpan>& spans,
                                                 const std::vector<KeywordHit>* hits) const
{
    const Compiled& compiled = *m_compiled;
    std::vector<std::vector<TextSpan>> windows(compiled.entries.size());
    std::vector<bool> whole(compiled.entries.size());
    std::size_t span = 0;
    // The comment that holds a keyword found at an offset, if any; keywords come in
    // text order, so the index only moves forward.
    const auto comment_at = [&](std::size_t at) -> const TextSpan* {
        while (span < spans.size() && spans[span].end <= at) {
            ++span;
        }
        return span < spans.size() && spans[span].begin <= at ? &spans[span] : nullptr;
    };
    const auto on_hit = [&](int id, std::size_t at) {
        for (const int index : compiled.rules_of_keyword[static_cast<std::size_t>(id)]) {
            const auto i = static_cast<std::size_t>(index);
            if (scopes[i] == Scope::none || whole[i]) {
                continue;
            }
            auto& list = windows[i];
            if (!list.empty() && at < list.back().end) {
                continue;
            }
            TextSpan bounds{0, text.size()};
            if (scopes[i] == Scope::comments) {
                const TextSpan* comment = comment_at(at);
                if (comment == nullptr) {
                    continue;
                }
                bounds = *comment;
            }
            if (compiled.entries[i].rule->text->multiline) {
                whole[i] = scopes[i] == Scope::text;
                list.push_back(bounds);
                continue;
            }
            const std::size_t newline_before = text.rfind('\n', at);
            const std::size_t begin =
                newline_before == std::string_view::npos ? 0 : newline_before + 1;
            const std::size_t newline_after = text.find('\n', at);
            const std::size_t end =
                newline_after == std::string_view::npos ? text.size() : newline_after;
            list.push_back({std::max(begin, bounds.begin), std::min(end, bounds.end)});
        }
    };
    if (hits == nullptr) {
        compiled.keywords.built().find(text, on_hit);
    } else {
        const auto known = static_cast<int>(compiled.keyword_list.size());
        for (const KeywordHit& hit : *hits) {
            if (hit.id < known) {
                on_hit(hit.id, hit.last);
            }
        }
    }
    std::vector<TextMatch> out;
    std::optional<bool> ascii; // whether the text is all ASCII, looked at once if asked
    const auto ascii_only = [&] {
        if (!ascii) {
            ascii = !core::has_non_ascii(text);
        }
        return *ascii;
    };
    for (std::size_t i = 0; i < compiled.entries.size(); ++i) {
        if (scopes[i] == Scope::none) {
            continue;
        }
        const rules::Rule& rule = *compiled.entries[i].rule;
        if (compiled.entries[i].outside_ascii && ascii_only()) {
            continue;
        }
        if (compiled.entries[i].always && scopes[i] == Scope::comments) {
            for (const TextSpan comment : spans) {
                match_in(rule, text, comment, *this, out);
            }
            continue;
        }
        if (whole[i] || compiled.entries[i].always) {
            match_in(rule, text, {0, text.size()}, *this, out);
            continue;
        }
        for (const TextSpan window : windows[i]) {
            match_in(rule, text, window, *this, out);
        }
    }
    std::sort(out.begin(), out.end(), [](const TextMatch& a, const TextMatch& b) {
        return std::tie(a.start_byte, a.end_byte, a.rule->id)
               < std::tie(b.start_byte, b.end_byte, b.rule->id);
    });
    out.erase(std::unique(out.begin(),
                          out.end(),
                          [](const TextMatch& a, const TextMatch& b) {
                              return a.rule == b.rule && a.start_byte == b.start_byte
                                     && a.end_byte == b.end_byte;
                          }),
              out.end());
    drop_overlapping_secrets(out);
    return out;
}

std::string redact_secret(std::string_view secret)
{
    const std::size_t length = core::count_code_points(secret);
    const std::size_t shown_chars = std::min<std::size_t>(4, length / 4);
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < shown_chars && bytes < secret.size(); ++i) {
        bytes += core::decode_utf8(secret, bytes).length;
    }
    std::string shown(secret.substr(0, bytes));
    // A line break is never shown: the redaction stays on one line.
    std::replace(shown.begin(), shown.end(), '\n', ' ');
    return fmt::format("{}…[sha256:{}]", shown, core::sha256_hex(secret).substr(0, 8));
}

double shannon_entropy(std::string_view text)
{
    if (text.empty()) {
        return 0;
    }
    std::array<std::size_t, 256> counts{};
    for (const char c : text) {
        ++counts[static_cast<unsigned char>(c)];
    }
    double entropy = 0;
    const auto total = static_cast<double>(text.size());
    for (const std::size_t count : counts) {
        if (count > 0) {
            const double p = static_cast<double>(count) / total;
            entropy -= p * std::log2(p);
        }
    }
    return entropy;
}

bool looks_like_placeholder(std::string_view secret)
{
    for (const auto example : k_documented_examples) {
        if (secret.find(example) != std::string_view::npos) {
            return true;
        }
    }
    const std::string lower = core::to_lower(secret);
    for (const auto word : k_placeholder_words) {
        if (lower.find(word) != std::string::npos) {
            return true;
        }
    }
    // One character (or nearly only one) repeated: "aaaaaaaa", "0000-0000".
    std::array<std::size_t, 256> counts{};
    std::size_t alphanumeric = 0;
    for (const char c : lower) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            ++counts[static_cast<unsigned char>(c)];
            ++alphanumeric;
        }
    }
    const std::size_t most = *std::max_element(counts.begin(), counts.end());
    return alphanumeric == 0 || most * 10 >= alphanumeric * 7;
}

std::string escape_non_ascii(std::string_view text, std::size_t max_chars)
{
    std::string out;
    std::size_t offset = 0;
    std::size_t shown = 0;
    while (offset < text.size()) {
        if (shown++ == max_chars) {
            out += "...";
            break;
        }
        const core::DecodedCodePoint decoded = core::decode_utf8(text, offset);
        const char32_t cp = decoded.code_point;
        // The way reports show hidden characters (core::show_hidden_code_points).
        if (!decoded.valid) {
            out += fmt::format("<0x{:02X}>", static_cast<unsigned char>(text[offset]));
        } else if (cp >= 0x20 && cp < 0x7F) {
            out += static_cast<char>(cp);
        } else if (cp == 0x2026) {
            out.append(text.substr(offset, decoded.length)); // a redaction's ellipsis
        } else {
            out += fmt::format("<U+{:04X}>", static_cast<unsigned>(cp));
        }
        offset += decoded.length;
    }
    return out;
}

std::string decode_tag_characters(std::string_view text)
{
    std::string out;
    std::size_t offset = 0;
    while (offset < text.size()) {
        const core::DecodedCodePoint decoded = core::decode_utf8(text, offset);
        if (decoded.code_point >= 0xE0020 && decoded.code_point <= 0xE007E) {
            out += static_cast<char>(decoded.code_point - 0xE0000);
        }
        offset += decoded.length;
    }
    return out;
}

std::optional<std::string> decode_base64(std::string_view text)
{
    while (!text.empty() && text.back() == '=') {
        text.remove_suffix(1);
    }
    std::string out;
    std::uint32_t bits = 0;
    int count = 0;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (!is_base64_byte(byte)) {
            return std::nullopt;
        }
        std::uint32_t value = 0;
        if (byte >= 'A' && byte <= 'Z') {
            value = byte - 'A';
        } else if (byte >= 'a' && byte <= 'z') {
            value = byte - 'a' + 26;
        } else if (byte >= '0' && byte <= '9') {
            value = byte - '0' + 52;
        } else {
            value = byte == '+' || byte == '-' ? 62 : 63;
        }
        bits = (bits << 6) | value;
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> count) & 0xFF);
        }
    }
    return out;
}

} // namespace aiops::scan
