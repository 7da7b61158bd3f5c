#include "core/strings.hpp"
#include "source/grammar.hpp"
#include "validate/artefacts.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace aiops::validate::artefacts {

namespace {

using source::Language;

struct RoleNames
{
    std::vector<std::string_view> functions;
    std::vector<std::string_view> classes;
};

// The definitions with bodies of statements, and the class-like definitions around
// methods, as each grammar names them.
RoleNames role_names(Language language)
{
    switch (language) {
    case Language::python:
        return {{"function_definition"}, {"class_definition"}};
    case Language::javascript:
    case Language::typescript:
    case Language::tsx:
        return {
            {"function_declaration",
             "function_expression",
             "function",
             "generator_function_declaration",
             "generator_function",
             "method_definition",
             "arrow_function"},
            {"class_declaration", "class", "abstract_class_declaration", "interface_declaration"}};
    case Language::go:
        return {{"function_declaration", "method_declaration", "func_literal"}, {}};
    case Language::java:
        return {
            {"method_declaration", "constructor_declaration", "compact_constructor_declaration"},
            {"class_declaration",
             "enum_declaration",
             "record_declaration",
             "interface_declaration"}};
    case Language::rust:
        return {{"function_item"}, {"impl_item", "trait_item"}};
    case Language::bash:
        return {{"function_definition"}, {}};
    case Language::c:
        return {{"function_definition"}, {}};
    case Language::cpp:
        return {{"function_definition"}, {"class_specifier", "struct_specifier"}};
    case Language::ruby:
        return {{"method", "singleton_method"}, {"class", "module"}};
    case Language::php:
        return {{"function_definition", "method_declaration"},
                {"class_declaration", "trait_declaration", "interface_declaration"}};
    case Language::c_sharp:
        return {{"method_declaration",
                 "constructor_declaration",
                 "local_function_statement",
                 "operator_declaration",
                 "conversion_operator_declaration",
                 "destructor_declaration"},
                {"class_declaration",
                 "struct_declaration",
                 "record_declaration",
                 "interface_declaration"}};
    case Language::json:
    case Language::yaml:
        return {};
    }
    return {};
}

bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

// Text that is not code: strings of every kind, heredocs, regular expressions and
// JSX text. YAML's plain scalars are left out: prose there is a plain scalar too.
bool is_literal_name(Language language, std::string_view name)
{
    if (language == Language::yaml) {
        return name == "block_scalar" || name == "double_quote_scalar"
               || name == "single_quote_scalar";
    }
    return contains(name, "string") || contains(name, "heredoc") || contains(name, "nowdoc")
           || name == "text_block" || name == "regex" || name == "jsx_text"
           || name == "char_literal" || name == "character_literal";
}

} // namespace

std::vector<Line> split_lines(std::string_view text)
{
    std::vector<Line> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        const bool last = end == std::string_view::npos;
        if (last) {
            end = text.size();
        }
        const std::size_t next = end + 1;
        if (end > start && text[end - 1] == '\r') {
            --end;
        }
        lines.push_back({start, end});
        if (last) {
            break;
        }
        start = next;
    }
    return lines;
}

std::size_t line_of(const std::vector<Line>& lines, std::size_t offset)
{
    const auto after =
        std::upper_bound(lines.begin(), lines.end(), offset, [](std::size_t at, const Line& line) {
            return at < line.start;
        });
    return after == lines.begin() ? 0 : static_cast<std::size_t>(after - lines.begin()) - 1;
}

std::vector<std::size_t> lines_containing(std::string_view text,
                                          const std::vector<Line>& lines,
                                          std::initializer_list<std::string_view> needles)
{
    std::vector<std::size_t> found;
    for (const std::string_view needle : needles) {
        for (std::size_t at = text.find(needle); at != std::string_view::npos;) {
            const std::size_t line = line_of(lines, at);
            found.push_back(line);
            at = text.find(needle, lines[line].end);
        }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return found;
}

NodeRoles::NodeRoles(Language language)
{
    const TSLanguage* grammar = source::grammar(language);
    m_roles.assign(ts_language_symbol_count(grammar), Role::other);
    const RoleNames names = role_names(language);
    for (TSSymbol symbol = 0; symbol < m_roles.size(); ++symbol) {
        if (ts_language_symbol_type(grammar, symbol) != TSSymbolTypeRegular) {
            continue;
        }
        const std::string_view name = ts_language_symbol_name(grammar, symbol);
        if (contains(name, "comment")) {
            m_roles[symbol] = Role::comment;
        } else if (is_literal_name(language, name)) {
            m_roles[symbol] = Role::literal;
        } else if (std::find(names.functions.begin(), names.functions.end(), name)
                   != names.functions.end()) {
            m_roles[symbol] = Role::function;
        } else if (std::find(names.classes.begin(), names.classes.end(), name)
                   != names.classes.end()) {
            m_roles[symbol] = Role::class_like;
        } else if (language == Language::python && name == "ellipsis") {
            m_roles[symbol] = Role::ellipsis;
        } else if (language == Language::php && name == "text") {
            m_roles[symbol] = Role::html_text;
        }
    }
    m_body = ts_language_field_id_for_name(grammar, "body", 4);
    m_name = ts_language_field_id_for_name(grammar, "name", 4);
}

const NodeRoles& node_roles(Language language)
{
    static const std::array<NodeRoles, source::k_languages.size()> tables = [] {
        return [&]<std::size_t... I>(std::index_sequence<I...>)
        {
            return std::array<NodeRoles, sizeof...(I)>{NodeRoles(source::k_languages[I])...};
        }
        (std::make_index_sequence<source::k_languages.size()>());
    }();
    return tables[static_cast<std::size_t>(language)];
}

namespace {

// The Python nodes that may hold definitions: the walk for functions goes into these
// only, which spares most of the tree's nodes (expressions, parameters, conditions).
bool python_container(std::string_view type)
{
    constexpr std::string_view k_types[] = {"module",
                                            "block",
                                            "class_definition",
                                            "function_definition",
                                            "decorated_definition",
                                            "if_statement",
                                            "elif_clause",
                                            "else_clause",
                                            "for_statement",
                                            "while_statement",
                                            "try_statement",
                                            "except_clause",
                                            "except_group_clause",
                                            "finally_clause",
                                            "with_statement",
                                            "match_statement",
                                            "case_clause",
                                            "ERROR"};
    return std::find(std::begin(k_types), std::end(k_types), type) != std::end(k_types);
}

// Python's comments, found from their '#' and the tree's node there: cheaper than
// walking every node for them.
void python_comments(const View& view, std::vector<TSNode>& comments)
{
    const std::string_view text = view.text;
    for (std::size_t at = text.find('#'); at != std::string_view::npos;
         at = text.find('#', at + 1)) {
        // A comment runs to the end of its line: read its words before asking the tree.
        const std::size_t line_end = std::min(text.find('\n', at), text.size());
        if (!may_mark_elision(text.substr(at, line_end - at))) {
            continue;
        }
        TSNode node = ts_node_descendant_for_byte_range(
            view.tree.root(), static_cast<uint32_t>(at), static_cast<uint32_t>(at + 1));
        for (int up = 0; up < 3 && !ts_node_is_null(node); ++up, node = ts_node_parent(node)) {
            const Role role = view.roles.of(node);
            if (role == Role::comment && ts_node_start_byte(node) == at) {
                comments.push_back(node);
                at = ts_node_end_byte(node);
                break;
            }
            if (role == Role::literal) {
                at = std::max<std::size_t>(at, ts_node_end_byte(node) - 1);
                break;
            }
        }
        if (at >= text.size()) {
            break;
        }
    }
}

} // namespace

bool may_mark_elision(std::string_view comment)
{
    // An ellipsis, or a word the phrases start with; without them no phrase matches.
    constexpr std::string_view k_words[] = {
        "...",      "\xE2\x80\xA6", "rest",      "xisting", "revious", "riginal",
        "nchanged", "emaining",     "mitted",    "lided",   "other",   "same",
        "brevity",  "snip",         "dditional", "more",    "old",     "urrent",
        "imilar",   "urther",       "prior",     "arlier",  "kipped"};
    return std::any_of(std::begin(k_words), std::end(k_words), [&](std::string_view word) {
        return comment.find(word) != std::string_view::npos;
    });
}

Inventory take_inventory(const View& view)
{
    Inventory inventory;
    const bool python = view.language == Language::python;
    if (python) {
        python_comments(view, inventory.comments);
    }
    walk_tree(view.tree.root(), [&](TSNode node) {
        switch (view.roles.of(node)) {
        case Role::comment:
            if (!python && may_mark_elision(view.tree.node_text(node))) {
                inventory.comments.push_back(node);
            }
            return false;
        case Role::literal:
            return false;
        case Role::function:
            inventory.functions.push_back(node);
            return true;
        case Role::class_like:
            inventory.classes.push_back(node);
            return true;
        case Role::ellipsis:
            inventory.ellipses.push_back(node);
            return false;
        case Role::html_text:
            inventory.html_texts.push_back(node);
            return false;
        case Role::other:
            break;
        }
        if (ts_node_child_count(node) == 0) {
            return false;
        }
        if (python && !python_container(ts_node_type(node))) {
            // `...` as a statement of its own is all the detectors want in here.
            if (ts_node_end_byte(node) - ts_node_start_byte(node) == 3
                && ts_node_named_child_count(node) == 1
                && view.roles.of(ts_node_named_child(node, 0)) == Role::ellipsis) {
                inventory.ellipses.push_back(ts_node_named_child(node, 0));
            }
            return false;
        }
        return true;
    });
    return inventory;
}

ErrorSpans::ErrorSpans(const View& view)
{
    if (view.tree.has_error()) {
        walk_tree(view.tree.root(), [&](TSNode node) {
            if (ts_node_is_error(node) || ts_node_is_missing(node)) {
                m_spans.emplace_back(ts_node_start_byte(node), ts_node_end_byte(node));
                return false;
            }
            return ts_node_has_error(node);
        });
    }
    for (const auto& problem : view.problems) {
        m_spans.emplace_back(problem.start_byte, problem.end_byte);
    }
    std::sort(m_spans.begin(), m_spans.end());
    std::size_t reach = 0;
    for (const auto& span : m_spans) {
        reach = std::max(reach, span.second);
        m_reach.push_back(reach);
    }
}

bool ErrorSpans::overlaps(std::size_t start, std::size_t end) const
{
    // The spans that start by the range's end; one of them reaches its start?
    const auto after =
        std::upper_bound(m_spans.begin(), m_spans.end(), end, [](std::size_t at, const auto& span) {
            return at < span.first;
        });
    const auto count = static_cast<std::size_t>(after - m_spans.begin());
    return count > 0 && m_reach[count - 1] >= start;
}

std::optional<Role>
enclosing_text_role(const View& view, std::size_t start, std::size_t end, Holding holding)
{
    while (start < end && (view.text[start] == ' ' || view.text[start] == '\t')) {
        ++start;
    }
    while (end > start && (view.text[end - 1] == ' ' || view.text[end - 1] == '\t')) {
        --end;
    }
    if (start >= end) {
        return std::nullopt;
    }
    TSNode node = ts_node_descendant_for_byte_range(
        view.tree.root(), static_cast<uint32_t>(start), static_cast<uint32_t>(start + 1));
    for (; !ts_node_is_null(node); node = ts_node_parent(node)) {
        const Role role = view.roles.of(node);
        if (role == Role::comment && ts_node_start_byte(node) <= start
            && ts_node_end_byte(node) > start) {
            return Role::comment;
        }
        // A YAML block scalar has no closing delimiter: its last line ends where it does.
        const bool open_ended = view.language == source::Language::yaml;
        const bool holds =
            holding == Holding::inside
                ? ts_node_start_byte(node) < start
                      && (ts_node_end_byte(node) > end
                          || (open_ended && ts_node_end_byte(node) == end))
                : ts_node_start_byte(node) <= start && ts_node_end_byte(node) > start;
        if (role == Role::literal && holds) {
            return Role::literal;
        }
    }
    return std::nullopt;
}

std::string excerpt(std::string_view text, std::size_t max_chars)
{
    text = text.substr(0, text.find('\n'));
    if (!text.empty() && text.back() == '\r') {
        text.remove_suffix(1);
    }
    return core::quote_for_message(core::trim(text), max_chars);
}

} // namespace aiops::validate::artefacts
