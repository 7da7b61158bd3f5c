#include "rules/query.hpp"

#include "core/strings.hpp"
#include "source/grammar.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace aiops::rules {

namespace {

struct PredicateShape
{
    const char* name;
    bool first_is_capture;
    int min_strings; ///< strings (or captures) after the first argument
    int max_strings; ///< -1: no limit
};

constexpr PredicateShape k_predicates[] = {
    {"eq?", true, 1, 1},
    {"not-eq?", true, 1, 1},
    {"match?", true, 1, 1},
    {"not-match?", true, 1, 1},
    {"any-of?", true, 1, -1},
    {"not-any-of?", true, 1, -1},
    {"qname-eq?", true, 1, 1},
    {"qname-any-of?", true, 1, -1},
    {"qname-match?", true, 1, 1},
    {"not-qname-eq?", true, 1, 1},
    {"not-qname-any-of?", true, 1, -1},
    {"not-qname-match?", true, 1, 1},
    {"truthy?", true, 0, 0},
    {"falsy?", true, 0, 0},
    {"not-truthy?", true, 0, 0},
    {"not-falsy?", true, 0, 0},
    {"has-argument?", true, 1, -1},
    {"not-has-argument?", true, 1, -1},
};

// What #has-argument? names: a keyword, a position (1-based), '*' or '**'.
bool is_argument_name(std::string_view name)
{
    static const RE2 shape(R"([A-Za-z_][A-Za-z0-9_]*|[1-9][0-9]{0,2}|\*\*?)");
    return RE2::FullMatch(name, shape);
}

class QueryParser
{
public:
    QueryParser(std::string_view text, source::Language language)
        : m_text(text), m_language(source::grammar(language))
    {
        m_query.language = language;
    }

    std::variant<Query, QueryError> run()
    {
        try {
            skip_space();
            while (m_at < m_text.size()) {
                if (peek() == '(' && peek(1) == '#') {
                    parse_predicate();
                } else {
                    m_pattern = static_cast<int>(m_query.patterns.size());
                    m_query.patterns.push_back(parse_pattern(/*top_level=*/true));
                    m_pattern = -1;
                }
                skip_space();
            }
            if (m_query.patterns.empty()) {
                fail("the query has no pattern");
            }
            check_predicates();
        } catch (const QueryError& error) {
            return error;
        }
        return std::move(m_query);
    }

private:
    [[noreturn]] void fail(std::string message) const { fail_at(m_at, std::move(message)); }

    [[noreturn]] void fail_at(std::size_t offset, std::string message) const
    {
        throw QueryError{position_of(offset), std::move(message)};
    }

    QueryPosition position_of(std::size_t offset) const
    {
        QueryPosition position;
        for (std::size_t i = 0; i < offset && i < m_text.size(); ++i) {
            if (m_text[i] == '\n') {
                ++position.line;
                position.column = 1;
            } else {
                ++position.column;
            }
        }
        return position;
    }

    char peek(std::size_t ahead = 0) const
    {
        return m_at + ahead < m_text.size() ? m_text[m_at + ahead] : '\0';
    }

    void skip_space()
    {
        while (m_at < m_text.size()) {
            const char c = m_text[m_at];
            if (c == ';') {
                while (m_at < m_text.size() && m_text[m_at] != '\n') {
                    ++m_at;
                }
            } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
                ++m_at;
            } else {
                return;
            }
        }
    }

    static bool is_name_char(char c)
    {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.'
               || c == '?';
    }

    std::string parse_name()
    {
        const std::size_t start = m_at;
        while (m_at < m_text.size() && is_name_char(m_text[m_at])
               && !(m_text[m_at] == '?' && m_at > start && !is_predicate_name_context())) {
            ++m_at;
        }
        if (m_at == start) {
            fail(fmt::format("expected a name, found '{}'",
                             core::quote_for_message(m_text.substr(m_at, 1))));
        }
        return std::string(m_text.substr(start, m_at - start));
    }

    // Inside a predicate, names end in '?' ("eq?"); elsewhere '?' is a quantifier.
    bool is_predicate_name_context() const { return m_in_predicate; }

    std::string parse_string()
    {
        const std::size_t start = m_at;
        ++m_at; // the opening quote
        std::string value;
        while (m_at < m_text.size() && m_text[m_at] != '"') {
            char c = m_text[m_at++];
            if (c == '\\' && m_at < m_text.size()) {
                const char escaped = m_text[m_at++];
                c = escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped == 'r' ? '\r' : escaped;
            }
            value.push_back(c);
        }
        if (m_at >= m_text.size()) {
            fail_at(start, "unterminated string");
        }
        ++m_at;
        return value;
    }

    int capture_id(const std::string& name)
    {
        const auto found =
            std::find(m_query.capture_names.begin(), m_query.capture_names.end(), name);
        if (found != m_query.capture_names.end()) {
            return static_cast<int>(found - m_query.capture_names.begin());
        }
        m_query.capture_names.push_back(name);
        return static_cast<int>(m_query.capture_names.size() - 1);
    }

    void parse_suffixes(PatternNode& node)
    {
        if (peek() == '?' || peek() == '*' || peek() == '+') {
            node.quantifier = peek() == '?'   ? PatternNode::Quantifier::optional
                              : peek() == '*' ? PatternNode::Quantifier::zero_or_more
                                              : PatternNode::Quantifier::one_or_more;
            ++m_at;
        }
        while (true) {
            skip_space();
            if (peek() != '@') {
                return;
            }
            ++m_at;
            node.captures.push_back(capture_id(parse_name()));
        }
    }

    std::vector<std::string> all_node_types() const
    {
        std::vector<std::string> names;
        const uint32_t count = ts_language_symbol_count(m_language);
        for (TSSymbol symbol = 0; symbol < count; ++symbol) {
            if (ts_language_symbol_type(m_language, symbol) == TSSymbolTypeRegular) {
                names.emplace_back(ts_language_symbol_name(m_language, symbol));
            }
        }
        return names;
    }

    std::vector<std::string> all_fields() const
    {
        std::vector<std::string> names;
        const uint32_t count = ts_language_field_count(m_language);
        for (TSFieldId field = 1; field <= count; ++field) {
            if (const char* name = ts_language_field_name_for_id(m_language, field)) {
                names.emplace_back(name);
            }
        }
        return names;
    }

    std::string suggestion(const std::string& word,
                           const std::vector<std::string>& candidates) const
    {
        if (auto close = core::closest_match(word, candidates)) {
            return fmt::format("; did you mean '{}'?", *close);
        }
        return {};
    }

    TSFieldId resolve_field(const std::string& name, std::size_t offset) const
    {
        const TSFieldId field = ts_language_field_id_for_name(
            m_language, name.c_str(), static_cast<uint32_t>(name.size()));
        if (field == 0) {
            fail_at(offset,
                    fmt::format("unknown field '{}'{}", name, suggestion(name, all_fields())));
        }
        return field;
    }

    PatternNode parse_pattern(bool top_level)
    {
        skip_space();
        const std::size_t start = m_at;
        TSFieldId field = 0;
        // "name: pattern" gives the field a child must stand in.
        if (!top_level
            && (std::isalpha(static_cast<unsigned char>(peek())) != 0 || peek() == '_')) {
            std::size_t end = m_at;
            while (end < m_text.size()
                   && (std::isalnum(static_cast<unsigned char>(m_text[end])) != 0
                       || m_text[end] == '_')) {
                ++end;
            }
            if (end < m_text.size() && m_text[end] == ':') {
                const std::string name(m_text.substr(m_at, end - m_at));
                field = resolve_field(name, m_at);
                m_at = end + 1;
                skip_space();
            }
        }
        PatternNode node = parse_unfielded();
        node.field = field;
        (void)start;
        return node;
    }

    PatternNode parse_unfielded()
    {
        const std::size_t start = m_at;
        PatternNode node;
        const char c = peek();
        if (c == '(') {
            ++m_at;
            skip_space();
            if (peek() == '(' || peek() == '[' || peek() == '"') {
                return parse_group(start);
            }
            node.kind = PatternNode::Kind::named;
            const std::size_t type_at = m_at;
            node.type = parse_name();
            if (node.type != "_") {
                node.symbol = ts_language_symbol_for_name(
                    m_language, node.type.c_str(), static_cast<uint32_t>(node.type.size()), true);
                if (node.symbol == 0) {
                    fail_at(type_at,
                            fmt::format("unknown node type '{}'{}",
                                        node.type,
                                        suggestion(node.type, all_node_types())));
                }
            }
            bool anchor = false;
            while (true) {
                skip_space();
                if (peek() == ')') {
                    ++m_at;
                    node.anchored_last = anchor;
                    break;
                }
                if (peek() == '\0') {
                    fail_at(start, "unbalanced '(': no closing ')'");
                }
                if (peek() == '(' && peek(1) == '#') {
                    parse_predicate();
                    continue;
                }
                if (peek() == '.') {
                    ++m_at;
                    anchor = true;
                    continue;
                }
                if (peek() == '!') {
                    ++m_at;
                    const std::size_t field_at = m_at;
                    node.negated_fields.push_back(resolve_field(parse_plain_word(), field_at));
                    continue;
                }
                node.children.push_back(parse_pattern(/*top_level=*/false));
                node.children.back().anchored_before = anchor;
                anchor = false;
            }
        } else if (c == '[') {
            ++m_at;
            node.kind = PatternNode::Kind::alternation;
            while (true) {
                skip_space();
                if (peek() == ']') {
                    ++m_at;
                    break;
                }
                if (peek() == '\0') {
                    fail_at(start, "unbalanced '[': no closing ']'");
                }
                node.children.push_back(parse_unfielded());
            }
            if (node.children.empty()) {
                fail_at(start, "an alternation needs at least one pattern");
            }
        } else if (c == '"') {
            node.kind = PatternNode::Kind::anonymous;
            node.type = parse_string();
            node.symbol = ts_language_symbol_for_name(
                m_language, node.type.c_str(), static_cast<uint32_t>(node.type.size()), false);
            if (node.symbol == 0) {
                fail_at(start,
                        fmt::format("the grammar has no token '{}'",
                                    core::quote_for_message(node.type)));
            }
        } else if (c == '_') {
            ++m_at;
            node.kind = PatternNode::Kind::any;
        } else if (c == ')' || c == ']') {
            fail(fmt::format("unbalanced '{}'", c));
        } else {
            fail(fmt::format("expected a pattern, found '{}'",
                             core::quote_for_message(m_text.substr(m_at, 1))));
        }
        parse_suffixes(node);
        return node;
    }

    // A group: "((call) @c (#eq? @c ...))", one pattern with the predicates that
    // belong to it, as tree-sitter writes them. A quantifier or capture after the group
    // applies to its pattern. Tree-sitter also groups sibling patterns into a sequence,
    // which this matcher cannot follow: that is an error.
    PatternNode parse_group(std::size_t start)
    {
        std::optional<PatternNode> inner;
        while (true) {
            skip_space();
            if (peek() == ')') {
                ++m_at;
                break;
            }
            if (peek() == '\0') {
                fail_at(start, "unbalanced '(': no closing ')'");
            }
            if (peek() == '(' && peek(1) == '#') {
                parse_predicate();
                continue;
            }
            if (inner) {
                fail("a group holds one pattern and its predicates; a sequence of sibling "
                     "patterns is not supported: match their parent instead");
            }
            inner = parse_unfielded();
        }
        if (!inner) {
            fail_at(start, "an empty group");
        }
        const PatternNode::Quantifier own = inner->quantifier;
        parse_suffixes(*inner);
        if (own != PatternNode::Quantifier::one && inner->quantifier != own) {
            fail_at(start, "a quantifier on both a pattern and its group");
        }
        return std::move(*inner);
    }

    std::string parse_plain_word()
    {
        const std::size_t start = m_at;
        while (m_at < m_text.size()
               && (std::isalnum(static_cast<unsigned char>(m_text[m_at])) != 0
                   || m_text[m_at] == '_')) {
            ++m_at;
        }
        if (m_at == start) {
            fail("expected a name");
        }
        return std::string(m_text.substr(start, m_at - start));
    }

    void parse_predicate()
    {
        const std::size_t start = m_at;
        m_at += 2; // "(#"
        m_in_predicate = true;
        Predicate predicate;
        predicate.position = position_of(start);
        predicate.name = parse_name();
        m_in_predicate = false;
        while (true) {
            skip_space();
            if (peek() == ')') {
                ++m_at;
                break;
            }
            if (peek() == '\0') {
                fail_at(start, "unbalanced '(': no closing ')'");
            }
            PredicateArgument argument;
            if (peek() == '@') {
                ++m_at;
                argument.is_capture = true;
                argument.text = parse_name();
            } else if (peek() == '"') {
                argument.text = parse_string();
            } else {
                argument.text = parse_plain_word();
            }
            predicate.arguments.push_back(std::move(argument));
        }
        predicate.pattern = m_pattern;
        (m_pattern < 0 ? m_query.predicates : m_query.pattern_predicates)
            .push_back(std::move(predicate));
    }

    void check_predicates()
    {
        for (auto& predicate : m_query.predicates) {
            check_predicate(predicate);
        }
        for (auto& predicate : m_query.pattern_predicates) {
            check_predicate(predicate);
        }
    }

    [[noreturn]] static void fail_at_predicate(const Predicate& predicate, std::string message)
    {
        throw QueryError{predicate.position, std::move(message)};
    }

    // The predicate is known, takes its capture first and the right number of
    // arguments, and its captures exist.
    void check_predicate(Predicate& predicate)
    {
        const auto* shape = std::find_if(std::begin(k_predicates),
                                         std::end(k_predicates),
                                         [&](const auto& s) { return predicate.name == s.name; });
        if (shape == std::end(k_predicates)) {
            std::vector<std::string> names;
            for (const auto& known : k_predicates) {
                names.emplace_back(known.name);
            }
            fail_at_predicate(predicate,
                              fmt::format("unknown predicate '#{}'{}",
                                          predicate.name,
                                          suggestion(predicate.name, names)));
        }
        const int strings = static_cast<int>(predicate.arguments.size()) - 1;
        if (predicate.arguments.empty() || !predicate.arguments[0].is_capture) {
            fail_at_predicate(predicate,
                              fmt::format("'#{}' takes a capture first", predicate.name));
        }
        if (strings < shape->min_strings
            || (shape->max_strings >= 0 && strings > shape->max_strings)) {
            fail_at_predicate(predicate,
                              fmt::format("'#{}' takes {} argument{} after the capture",
                                          predicate.name,
                                          shape->max_strings < 0
                                              ? fmt::format("at least {}", shape->min_strings)
                                              : std::to_string(shape->max_strings),
                                          shape->max_strings == 1 ? "" : "s"));
        }
        for (auto& argument : predicate.arguments) {
            if (!argument.is_capture) {
                continue;
            }
            argument.capture = m_query.capture_index(argument.text);
            if (argument.capture < 0) {
                fail_at_predicate(predicate, fmt::format("unknown capture '@{}'", argument.text));
            }
        }
        check_values(predicate);
    }

    // The strings a predicate reads are what it expects: argument names, regular
    // expressions that compile.
    static void check_values(Predicate& predicate)
    {
        if (predicate.name.ends_with("has-argument?")) {
            for (std::size_t i = 1; i < predicate.arguments.size(); ++i) {
                const PredicateArgument& argument = predicate.arguments[i];
                if (argument.is_capture || !is_argument_name(argument.text)) {
                    fail_at_predicate(predicate,
                                      fmt::format("'#{}' takes keyword names, argument positions "
                                                  "(1, 2, ...), '*' or '**' after the capture; "
                                                  "'{}' is none of them",
                                                  predicate.name,
                                                  core::quote_for_message(argument.text, 40)));
                }
            }
        }
        if (predicate.name.ends_with("match?") && !predicate.arguments[1].is_capture) {
            auto compiled = std::make_shared<const RE2>(predicate.arguments[1].text, RE2::Quiet);
            if (!compiled->ok()) {
                fail_at_predicate(
                    predicate,
                    fmt::format("invalid regular expression '{}': {}",
                                core::quote_for_message(predicate.arguments[1].text, 60),
                                compiled->error()));
            }
            predicate.regex = std::move(compiled);
        }
    }

    std::string_view m_text;
    const TSLanguage* m_language;
    std::size_t m_at = 0;
    bool m_in_predicate = false;
    int m_pattern = -1; ///< the top-level pattern being parsed; -1 between patterns
    Query m_query;
};

} // namespace

int Query::capture_index(std::string_view name) const
{
    const auto found = std::find(capture_names.begin(), capture_names.end(), name);
    return found == capture_names.end() ? -1 : static_cast<int>(found - capture_names.begin());
}

const std::vector<std::string>& known_predicates()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& shape : k_predicates) {
            out.push_back(std::string("#") + shape.name);
        }
        return out;
    }();
    return names;
}

std::variant<Query, QueryError> compile_query(std::string_view text, source::Language language)
{
    return QueryParser(text, language).run();
}

} // namespace aiops::rules
