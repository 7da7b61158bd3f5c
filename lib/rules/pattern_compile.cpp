#include "rules/pattern.hpp"
#include "rules/pattern_syntax.hpp"
#include "source/grammar.hpp"
#include "source/syntax_tree.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::rules {

namespace {

/// A metavariable of the snippet, written as an identifier the grammar accepts.
struct Placeholder
{
    std::string identifier; ///< what the snippet holds instead of the metavariable
    std::string written;    ///< the metavariable as the snippet wrote it ("$...ARGS")
    CodeNode::Kind kind;
    int capture; ///< -1 for $_
};

/// The snippet with every metavariable replaced by a placeholder identifier, and for
/// each byte of the new text the byte of the snippet it came from.
struct Substituted
{
    std::string text;
    std::vector<std::size_t> origin;
    std::vector<Placeholder> placeholders;
    /// The snippet was put in parentheses to be read as an expression, which the
    /// pattern leaves out again.
    bool parenthesised = false;
};

int capture_of(const std::string& name, std::vector<std::string>& names)
{
    const auto found = std::find(names.begin(), names.end(), name);
    if (found != names.end()) {
        return static_cast<int>(found - names.begin());
    }
    names.push_back(name);
    return static_cast<int>(names.size()) - 1;
}

// Metavariables are `$` then a capital letter or `_` and more of those and digits;
// `$...` before the name makes it a sequence. Anything else is left as written.
Substituted substitute(std::string_view snippet, std::vector<std::string>& names)
{
    Substituted out;
    for (std::size_t i = 0; i < snippet.size();) {
        const bool dots = snippet.substr(i).starts_with("$...");
        const std::size_t start = dots ? i + 4 : i + 1;
        std::size_t end = start;
        if (snippet[i] == '$' && end < snippet.size()
            && (std::isupper(static_cast<unsigned char>(snippet[end])) != 0
                || snippet[end] == '_')) {
            while (end < snippet.size() && is_name_char(snippet[end])) {
                ++end;
            }
        }
        if (snippet[i] != '$' || end == start) {
            out.text += snippet[i];
            out.origin.push_back(i);
            ++i;
            continue;
        }
        const std::string name(snippet.substr(start, end - start));
        Placeholder placeholder;
        placeholder.identifier = fmt::format("aiopsmv{}x", out.placeholders.size());
        placeholder.written = std::string(snippet.substr(i, end - i));
        if (name == "_") {
            placeholder.kind = dots ? CodeNode::Kind::sequence : CodeNode::Kind::wildcard;
            placeholder.capture = -1;
        } else {
            placeholder.kind = dots ? CodeNode::Kind::sequence : CodeNode::Kind::metavariable;
            placeholder.capture = capture_of(name, names);
        }
        out.text += placeholder.identifier;
        out.origin.insert(out.origin.end(), placeholder.identifier.size(), i);
        out.placeholders.push_back(std::move(placeholder));
        i = end;
    }
    out.origin.push_back(snippet.size());
    return out;
}

std::string without_space(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)) == 0) {
            out += c;
        }
    }
    return out;
}

class Converter
{
public:
    Converter(const Substituted& substituted, source::Language language)
        : m_substituted(substituted), m_grammar(source::grammar(language))
    {}

    CodeNode convert(TSNode node, TSFieldId field)
    {
        const std::string_view text = text_of(node);
        CodeNode out;
        out.field = field;
        out.symbol = ts_node_symbol(node);
        out.named = ts_node_is_named(node);
        if (const Placeholder* placeholder = placeholder_of(text)) {
            out.kind = placeholder->kind;
            out.capture = placeholder->capture;
            return out;
        }
        const char* field_name =
            field == 0 ? nullptr : ts_language_field_name_for_id(m_grammar, field);
        const bool callee = field_name != nullptr && std::string_view(field_name) == "function";
        const std::string_view type = ts_node_type(node);
        if (out.named && is_name_kind(type) && (type != "identifier" || callee)
            && text.find("aiopsmv") == std::string_view::npos) {
            out.kind = CodeNode::Kind::name;
            out.text = without_space(text);
            return out;
        }
        for_each_compared_child(node, [&](TSNode child, TSFieldId child_field) {
            out.children.push_back(convert(child, child_field));
        });
        out.keywords = keywords_of(node);
        if (out.children.empty()) {
            out.text = std::string(text);
        }
        return out;
    }

private:
    std::string_view text_of(TSNode node) const
    {
        const std::string_view all = m_substituted.text;
        const uint32_t start = ts_node_start_byte(node);
        return all.substr(start, ts_node_end_byte(node) - start);
    }

    // The placeholder a node is, alone or as a statement of its own (`$X;`).
    const Placeholder* placeholder_of(std::string_view text) const
    {
        while (!text.empty()
               && (text.back() == ';' || std::isspace(static_cast<unsigned char>(text.back())))) {
            text.remove_suffix(1);
        }
        for (const auto& placeholder : m_substituted.placeholders) {
            if (text == placeholder.identifier) {
                return &placeholder;
            }
        }
        return nullptr;
    }

    const Substituted& m_substituted;
    const TSLanguage* m_grammar;
};

// The snippet's wrappers (the module, a lone expression's statement) are left out, so
// an expression matches wherever it stands.
bool is_wrapper(std::string_view type)
{
    return type == "module" || type == "program" || type == "source_file"
           || type == "translation_unit" || type == "expression_statement";
}

// Inserts text at a byte of the substituted snippet; it stands for the snippet's byte
// that follows it.
void insert(Substituted& substituted, std::size_t at, std::string_view text)
{
    substituted.text.insert(at, text);
    substituted.origin.insert(substituted.origin.begin() + static_cast<std::ptrdiff_t>(at),
                              text.size(),
                              substituted.origin[at]);
}

bool is_space(char c)
{
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Whether the placeholder at [start, end) stands as a statement of its own: after the
// start of a block or a statement's end, and before the block's end or a line end.
bool stands_as_statement(std::string_view text, std::size_t start, std::size_t end)
{
    std::size_t before = start;
    while (before > 0 && is_space(text[before - 1])) {
        --before;
    }
    if (before > 0 && std::string_view("{;}").find(text[before - 1]) == std::string_view::npos) {
        return false;
    }
    for (std::size_t after = end; after < text.size(); ++after) {
        if (text[after] == '\n') {
            return true;
        }
        if (!is_space(text[after])) {
            return text[after] == '}';
        }
    }
    return true;
}

// The snippet with a ';' after each metavariable that stands as a statement, and one
// at its end unless it ends a statement or block already: Java and the C family end
// statements with ';', where a pattern's author leaves it out (`new Random()`,
// `try { $...B } catch (...) { }`).
Substituted with_semicolons(const Substituted& substituted)
{
    Substituted out = substituted;
    for (auto placeholder = out.placeholders.rbegin(); placeholder != out.placeholders.rend();
         ++placeholder) {
        const std::size_t start = out.text.find(placeholder->identifier);
        const std::size_t end = start + placeholder->identifier.size();
        if (start != std::string::npos && stands_as_statement(out.text, start, end)) {
            insert(out, end, ";");
        }
    }
    std::size_t last = out.text.size();
    while (last > 0 && is_space(out.text[last - 1])) {
        --last;
    }
    if (last > 0 && out.text[last - 1] != ';' && out.text[last - 1] != '}') {
        insert(out, last, ";");
    }
    return out;
}

// The ways a snippet is written out for the parser, tried in order until one parses:
// as it is, then as the language's statements want: a Go statement ends at a line
// end, and those of Java and the C family with ';'; a JavaScript object literal
// (`{role: 'system', content: $C}`) is read as a block unless it is in parentheses.
// The last way's error is reported.
std::vector<Substituted> ways_to_write(const Substituted& substituted, source::Language language)
{
    using source::Language;
    std::vector<Substituted> ways{substituted};
    switch (language) {
    case Language::go:
        ways.push_back(substituted);
        insert(ways.back(), substituted.text.size(), "\n");
        break;
    case Language::java:
    case Language::c:
    case Language::cpp:
    case Language::c_sharp:
    case Language::rust:
        ways.push_back(with_semicolons(substituted));
        break;
    case Language::javascript:
    case Language::typescript:
    case Language::tsx:
        if (substituted.text.find_first_not_of(" \t\r\n") != std::string::npos
            && substituted.text[substituted.text.find_first_not_of(" \t\r\n")] == '{') {
            ways.push_back(substituted);
            insert(ways.back(), 0, "(");
            insert(ways.back(), ways.back().text.size(), ")");
            ways.back().parenthesised = true;
        }
        break;
    default:
        break;
    }
    return ways;
}

// A message of the parser with the placeholders written back as the metavariables
// they stand for.
std::string as_written(std::string message, const Substituted& substituted)
{
    for (const auto& placeholder : substituted.placeholders) {
        for (std::size_t at = message.find(placeholder.identifier); at != std::string::npos;
             at = message.find(placeholder.identifier, at + placeholder.written.size())) {
            message.replace(at, placeholder.identifier.size(), placeholder.written);
        }
    }
    return message;
}

PatternError syntax_error(const source::SyntaxTree& tree,
                          const Substituted& substituted,
                          source::Language language)
{
    std::size_t total = 0;
    const auto problems = source::find_syntax_problems(tree, 1, total);
    const std::size_t at = problems.empty() ? 0 : problems[0].start_byte;
    const std::string what =
        problems.empty() ? "a syntax error" : as_written(problems[0].message, substituted);
    return PatternError{
        substituted.origin[std::min(at, substituted.text.size())],
        fmt::format("the pattern does not parse as {}: {}", source::language_name(language), what)};
}

// The pattern of a snippet that parsed: its tree without the wrappers around a lone
// statement or expression.
std::variant<CodeNode, PatternError> pattern_of(const source::SyntaxTree& tree,
                                                const Substituted& substituted,
                                                source::Language language)
{
    TSNode root = tree.root();
    while (is_wrapper(ts_node_type(root))) {
        const std::vector<Compared> children = compared_children(root);
        if (children.size() > 1) {
            return PatternError{substituted.origin[ts_node_start_byte(children[1].node)],
                                "a pattern is one statement or expression; this is a second"};
        }
        if (children.empty()) {
            return PatternError{0, "the pattern is empty"};
        }
        root = children[0].node;
    }
    if (substituted.parenthesised
        && std::string_view(ts_node_type(root)) == "parenthesized_expression"
        && ts_node_named_child_count(root) == 1) {
        root = ts_node_named_child(root, 0);
    }
    Converter converter(substituted, language);
    CodeNode pattern = converter.convert(root, 0);
    if (pattern.kind == CodeNode::Kind::sequence) {
        return PatternError{0, "a pattern cannot be a lone '$...' sequence"};
    }
    return pattern;
}

} // namespace

std::variant<CodeNode, PatternError> compile_code_pattern(std::string_view snippet,
                                                          source::Language language,
                                                          std::vector<std::string>& capture_names)
{
    const Substituted substituted = substitute(snippet, capture_names);
    PatternError error;
    for (const Substituted& attempt : ways_to_write(substituted, language)) {
        auto parsed = source::parse(language, attempt.text);
        if (!parsed) {
            return PatternError{0, parsed.error().message()};
        }
        if (!parsed->has_error()) {
            return pattern_of(*parsed, attempt, language);
        }
        error = syntax_error(*parsed, attempt, language);
    }
    return error;
}

std::vector<TSSymbol> code_root_symbols(const CodeNode& pattern, source::Language language)
{
    if (pattern.kind == CodeNode::Kind::node) {
        return {pattern.symbol};
    }
    if (pattern.kind != CodeNode::Kind::name) {
        return {};
    }
    const TSLanguage* grammar = source::grammar(language);
    std::vector<TSSymbol> symbols;
    for (const char* kind : name_kinds()) {
        const TSSymbol symbol = ts_language_symbol_for_name(
            grammar, kind, static_cast<uint32_t>(std::strlen(kind)), /*is_named=*/true);
        if (symbol != 0) {
            symbols.push_back(symbol);
        }
    }
    return symbols;
}

} // namespace aiops::rules
