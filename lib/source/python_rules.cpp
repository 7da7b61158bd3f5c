#include "source/python_rules.hpp"

#include "core/interrupt.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace aiops::source {

namespace {

constexpr std::array<std::string_view, 10> k_future_features{
    "nested_scopes",
    "generators",
    "division",
    "absolute_import",
    "with_statement",
    "print_function",
    "unicode_literals",
    "barry_as_FLUFL",
    "generator_stop",
    "annotations",
};

/// The node kinds the checks look at, by their grammar symbol.
enum class Kind : unsigned char
{
    other,
    comment,
    expression_statement,
    string,
    future_import_statement,
    aliased_import,
    dotted_name,
    function_definition,
    lambda,
    generator_expression,
    class_definition,
    print_statement,
    exec_statement,
    integer,
    return_statement,
    yield,
    break_statement,
    continue_statement,
    await,
    concatenated_string,
    list_comprehension,
    set_comprehension,
    dictionary_comprehension,
    for_in_clause,
    for_statement,
    while_statement,
    module,
    block,
    try_statement,
    if_statement,
    assignment,
};

constexpr std::pair<Kind, const char*> k_kind_names[] = {
    {Kind::comment, "comment"},
    {Kind::expression_statement, "expression_statement"},
    {Kind::string, "string"},
    {Kind::future_import_statement, "future_import_statement"},
    {Kind::aliased_import, "aliased_import"},
    {Kind::dotted_name, "dotted_name"},
    {Kind::function_definition, "function_definition"},
    {Kind::lambda, "lambda"},
    {Kind::generator_expression, "generator_expression"},
    {Kind::class_definition, "class_definition"},
    {Kind::print_statement, "print_statement"},
    {Kind::exec_statement, "exec_statement"},
    {Kind::integer, "integer"},
    {Kind::return_statement, "return_statement"},
    {Kind::yield, "yield"},
    {Kind::break_statement, "break_statement"},
    {Kind::continue_statement, "continue_statement"},
    {Kind::await, "await"},
    {Kind::concatenated_string, "concatenated_string"},
    {Kind::list_comprehension, "list_comprehension"},
    {Kind::set_comprehension, "set_comprehension"},
    {Kind::dictionary_comprehension, "dictionary_comprehension"},
    {Kind::for_in_clause, "for_in_clause"},
    {Kind::for_statement, "for_statement"},
    {Kind::while_statement, "while_statement"},
    {Kind::module, "module"},
    {Kind::block, "block"},
    {Kind::try_statement, "try_statement"},
    {Kind::if_statement, "if_statement"},
    {Kind::assignment, "assignment"},
};

/// Maps grammar symbols to kinds; built once, as comparing symbols is far cheaper than
/// comparing type names on every node.
class KindTable
{
public:
    explicit KindTable(const TSLanguage* language)
        : m_kinds(ts_language_symbol_count(language), Kind::other)
    {
        for (const auto& [kind, name] : k_kind_names) {
            const auto length = static_cast<uint32_t>(std::strlen(name));
            for (TSSymbol symbol = 0; symbol < m_kinds.size(); ++symbol) {
                const char* symbol_name = ts_language_symbol_name(language, symbol);
                if (ts_language_symbol_type(language, symbol) == TSSymbolTypeRegular
                    && std::strncmp(symbol_name, name, length + 1) == 0) {
                    m_kinds[symbol] = kind;
                }
            }
        }
        m_body_field = ts_language_field_id_for_name(language, "body", 4);
        m_right_field = ts_language_field_id_for_name(language, "right", 5);
        m_type_field = ts_language_field_id_for_name(language, "type", 4);
    }

    Kind of(TSNode node) const
    {
        const TSSymbol symbol = ts_node_symbol(node);
        return symbol < m_kinds.size() ? m_kinds[symbol] : Kind::other;
    }

    TSFieldId body_field() const { return m_body_field; }

    TSFieldId right_field() const { return m_right_field; }

    TSFieldId type_field() const { return m_type_field; }

private:
    std::vector<Kind> m_kinds;
    TSFieldId m_body_field = 0;
    TSFieldId m_right_field = 0;
    TSFieldId m_type_field = 0;
};

const KindTable& python_kinds(const TSLanguage* language)
{
    static const KindTable table(language);
    return table;
}

/// Where a statement stands: what encloses it decides what it may say.
struct Scope
{
    bool in_function = false;
    bool in_async_function = false;
    bool in_loop = false;
    /// Inside a comprehension or generator expression, where 'yield' cannot stand.
    const char* comprehension = nullptr;
};

class PythonChecker
{
public:
    explicit PythonChecker(const SyntaxTree& tree)
        : m_tree(tree), m_kinds(python_kinds(ts_node_language(tree.root())))
    {}

    std::vector<SyntaxProblem> run()
    {
        check_future_placement();
        walk();
        std::sort(m_problems.begin(), m_problems.end(), [](const auto& a, const auto& b) {
            return a.start_byte < b.start_byte;
        });
        return std::move(m_problems);
    }

private:
    void report(TSNode node, std::string message)
    {
        m_problems.push_back({SyntaxProblem::Kind::error,
                              ts_node_start_byte(node),
                              ts_node_end_byte(node),
                              std::move(message)});
    }

    bool is(TSNode node, Kind kind) const { return m_kinds.of(node) == kind; }

    // A docstring is a plain string literal (or several concatenated): an f-string or
    // a bytes literal is an expression that ends the future-import preamble.
    bool is_docstring(TSNode statement) const
    {
        if (!is(statement, Kind::expression_statement)
            || ts_node_named_child_count(statement) != 1) {
            return false;
        }
        const TSNode value = ts_node_named_child(statement, 0);
        if (!is(value, Kind::string) && !is(value, Kind::concatenated_string)) {
            return false;
        }
        const auto plain = [this](TSNode literal) {
            const std::string_view text = m_tree.node_text(literal);
            const std::string_view prefix = text.substr(0, text.find_first_of("\"'"));
            return prefix.find_first_of("fFbB") == std::string_view::npos;
        };
        if (is(value, Kind::string)) {
            return plain(value);
        }
        const uint32_t parts = ts_node_named_child_count(value);
        for (uint32_t i = 0; i < parts; ++i) {
            if (!plain(ts_node_named_child(value, i))) {
                return false;
            }
        }
        return true;
    }

    // Future imports may follow only the docstring, comments and other future imports.
    void check_future_placement()
    {
        TSTreeCursor cursor = ts_tree_cursor_new(m_tree.root());
        bool code_seen = false;
        bool first = true;
        for (bool more = ts_tree_cursor_goto_first_child(&cursor); more;
             more = ts_tree_cursor_goto_next_sibling(&cursor)) {
            const TSNode statement = ts_tree_cursor_current_node(&cursor);
            if (!ts_node_is_named(statement) || is(statement, Kind::comment)) {
                continue;
            }
            if (is(statement, Kind::future_import_statement)) {
                if (code_seen) {
                    report(statement,
                           "from __future__ imports must occur at the beginning of the file");
                }
            } else if (!(first && is_docstring(statement))) {
                code_seen = true;
            }
            first = false;
        }
        ts_tree_cursor_delete(&cursor);
    }

    void check_future_features(TSNode statement)
    {
        const uint32_t count = ts_node_named_child_count(statement);
        for (uint32_t i = 0; i < count; ++i) {
            TSNode feature = ts_node_named_child(statement, i);
            if (is(feature, Kind::aliased_import)) {
                feature = ts_node_child_by_field_name(feature, "name", 4);
            }
            if (ts_node_is_null(feature) || !is(feature, Kind::dotted_name)) {
                continue;
            }
            const std::string_view name = m_tree.node_text(feature);
            if (name == "braces") {
                report(feature, "not a chance");
            } else if (std::find(k_future_features.begin(), k_future_features.end(), name)
                       == k_future_features.end()) {
                report(feature, fmt::format("future feature '{}' is not defined", name));
            }
        }
    }

    // "print >> f, x" and "print -1" are Python 3 expressions that use the name print
    // as an operand; the grammar still parses them as Python 2 print statements.
    bool reads_as_expression(TSNode statement) const
    {
        std::string_view rest = m_tree.node_text(statement).substr(5);
        while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) {
            rest.remove_prefix(1);
        }
        if (rest.empty()
            || std::string_view("-+*/%&|^<>=!@.[(,;").find(rest.front())
                   != std::string_view::npos) {
            return true;
        }
        for (const std::string_view word : {"if ", "and ", "or ", "in ", "is ", "not in "}) {
            if (rest.starts_with(word)) {
                return true;
            }
        }
        return false;
    }

    void check_integer(TSNode node)
    {
        std::string digits;
        for (const char c : m_tree.node_text(node)) {
            if (c != '_') {
                digits.push_back(c);
            }
        }
        if (digits.size() > 1 && (digits.back() == 'l' || digits.back() == 'L')) {
            report(node, "invalid decimal literal (Python 2 long suffix)");
            return;
        }
        const bool leading_zero = digits.size() > 1 && digits[0] == '0'
                                  && std::all_of(digits.begin(),
                                                 digits.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; })
                                  && digits.find_first_not_of('0') != std::string::npos;
        if (leading_zero) {
            report(node,
                   "leading zeros in decimal integer literals are not permitted; use an 0o prefix "
                   "for octal integers");
        }
    }

    /// How far a line is indented, counting a tab as reaching the next multiple of 8
    /// and, separately, as one column: CPython requires both to agree.
    struct Indent
    {
        int wide = 0;
        int narrow = 0;
        bool starts_line = true;
    };

    Indent indent_of(TSNode node) const
    {
        const std::string_view text = m_tree.text();
        std::size_t start = ts_node_start_byte(node);
        std::size_t line = start;
        while (line > 0 && text[line - 1] != '\n' && text[line - 1] != '\r') {
            --line;
        }
        Indent indent;
        for (std::size_t at = line; at < start; ++at) {
            const char c = text[at];
            if (c == ' ') {
                ++indent.wide;
                ++indent.narrow;
            } else if (c == '\t') {
                indent.wide = (indent.wide / 8 + 1) * 8;
                ++indent.narrow;
            } else if (c == '\f') {
                indent = {};
            } else {
                indent.starts_line = false;
                return indent;
            }
        }
        return indent;
    }

    // How CPython names the statement that opens a block: "'if' statement",
    // "function definition".
    static std::string header_name(TSNode statement)
    {
        std::string name = ts_node_type(statement);
        if (name.ends_with("_definition")) {
            name.resize(name.size() - std::strlen("_definition"));
            return name + " definition";
        }
        for (const char* suffix : {"_statement", "_clause"}) {
            if (name.ends_with(suffix)) {
                name.resize(name.size() - std::strlen(suffix));
            }
        }
        std::replace(name.begin(), name.end(), '_', ' ');
        return fmt::format("'{}' statement", name);
    }

    // The statements of a module or block stand at one indentation, deeper than the
    // statement that opens the block, with tabs and spaces used consistently.
    void check_indentation(TSNode container, const TSNode* header)
    {
        const bool module = !is(container, Kind::block);
        // Inside a statement the parser could not follow, the syntax error says it all.
        if (header != nullptr && ts_node_has_error(*header)) {
            return;
        }
        if (!module && ts_node_named_child_count(container) == 0 && header != nullptr) {
            const uint32_t line = ts_node_start_point(*header).row + 1;
            report(container,
                   fmt::format("expected an indented block after {} on line {}",
                               header_name(*header),
                               line));
            return;
        }
        std::optional<Indent> expected;
        TSNode previous{};
        if (module) {
            expected = Indent{};
        }
        TSTreeCursor cursor = ts_tree_cursor_new(container);
        for (bool more = ts_tree_cursor_goto_first_child(&cursor); more;
             more = ts_tree_cursor_goto_next_sibling(&cursor)) {
            const TSNode statement = ts_tree_cursor_current_node(&cursor);
            if (!ts_node_is_named(statement) || is(statement, Kind::comment)
                || ts_node_is_error(statement)) {
                continue;
            }
            const Indent indent = indent_of(statement);
            if (!indent.starts_line) {
                continue;
            }
            if (!expected) {
                expected = indent;
                previous = statement;
                if (header != nullptr) {
                    const Indent outer = indent_of(*header);
                    const bool deeper_wide = indent.wide > outer.wide;
                    const bool deeper_narrow = indent.narrow > outer.narrow;
                    if (outer.starts_line && deeper_wide != deeper_narrow) {
                        report(statement, "inconsistent use of tabs and spaces in indentation");
                    } else if (outer.starts_line && !deeper_wide) {
                        report(statement,
                               fmt::format("expected an indented block after {} on line {}",
                                           header_name(*header),
                                           ts_node_start_point(*header).row + 1));
                    }
                }
                continue;
            }
            // Coming back from a deeper block to a level that is not its statement's is
            // a dedent that matches no level, not an indent.
            const bool after_block =
                !ts_node_is_null(previous)
                && ts_node_end_point(previous).row > ts_node_start_point(previous).row;
            previous = statement;
            if (indent.wide == expected->wide && indent.narrow == expected->narrow) {
                continue;
            }
            if ((indent.wide == expected->wide) != (indent.narrow == expected->narrow)) {
                report(statement, "inconsistent use of tabs and spaces in indentation");
            } else if (indent.wide > expected->wide && !after_block) {
                report(statement, "unexpected indent");
            } else {
                report(statement, "unindent does not match any outer indentation level");
            }
            break;
        }
        ts_tree_cursor_delete(&cursor);
    }

    // else, elif, except and finally stand where their statement does.
    void check_clause_indentation(TSNode statement)
    {
        const Indent own = indent_of(statement);
        if (!own.starts_line) {
            return;
        }
        TSTreeCursor cursor = ts_tree_cursor_new(statement);
        for (bool more = ts_tree_cursor_goto_first_child(&cursor); more;
             more = ts_tree_cursor_goto_next_sibling(&cursor)) {
            const TSNode clause = ts_tree_cursor_current_node(&cursor);
            const char* type = ts_node_type(clause);
            const bool is_clause = std::strstr(type, "_clause") != nullptr
                                   && std::strcmp(type, "for_in_clause") != 0
                                   && std::strcmp(type, "if_clause") != 0;
            if (!is_clause) {
                continue;
            }
            const Indent indent = indent_of(clause);
            if (indent.starts_line && (indent.wide != own.wide || indent.narrow != own.narrow)) {
                report(clause, "unindent does not match any outer indentation level");
                break;
            }
        }
        ts_tree_cursor_delete(&cursor);
    }

    void check_try(TSNode statement)
    {
        bool handled = false;
        TSTreeCursor cursor = ts_tree_cursor_new(statement);
        for (bool more = ts_tree_cursor_goto_first_child(&cursor); more;
             more = ts_tree_cursor_goto_next_sibling(&cursor)) {
            const char* type = ts_node_type(ts_tree_cursor_current_node(&cursor));
            handled |= std::strcmp(type, "except_clause") == 0
                       || std::strcmp(type, "finally_clause") == 0
                       || std::strcmp(type, "except_group_clause") == 0;
        }
        ts_tree_cursor_delete(&cursor);
        if (!handled) {
            report(statement, "expected 'except' or 'finally' block");
        }
    }

    // Whether a line ends between two offsets: a newline or a comment that no
    // backslash continues.
    bool line_ends_between(std::size_t from, std::size_t to) const
    {
        const std::string_view between = m_tree.text().substr(from, to - from);
        for (std::size_t i = 0; i < between.size(); ++i) {
            const char c = between[i];
            if (c == '\\' && i + 1 < between.size()
                && (between[i + 1] == '\n' || between[i + 1] == '\r')) {
                i += between.substr(i + 1).starts_with("\r\n") ? 2 : 1;
            } else if (c == '\n' || c == '\r' || c == '#') {
                return true;
            }
        }
        return false;
    }

    // What follows the ':' of an annotation or a lambda must start on the colon's
    // line. The grammar lets the newline pass as white space there, so a line such as
    // `Usage:` followed by code on a later line reads as an annotation whose type is
    // that code; CPython stops at the end of the colon's line.
    void check_colon_line(TSNode node, TSFieldId after_field, const char* what)
    {
        const TSNode after = ts_node_child_by_field_id(node, after_field);
        if (ts_node_is_null(after)) {
            return;
        }
        const uint32_t count = ts_node_child_count(node);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode colon = ts_node_child(node, i);
            if (ts_node_is_named(colon) || std::strcmp(ts_node_type(colon), ":") != 0) {
                continue;
            }
            if (line_ends_between(ts_node_end_byte(colon), ts_node_start_byte(after))) {
                report(colon, fmt::format("invalid syntax: {} must follow ':' on its line", what));
            }
            return;
        }
    }

    // A lambda inside brackets may go on over several lines; one in a statement may not.
    bool inside_brackets(TSNode node) const
    {
        constexpr std::string_view k_bracketed[] = {"parenthesized_expression",
                                                    "argument_list",
                                                    "list",
                                                    "set",
                                                    "tuple",
                                                    "dictionary",
                                                    "subscript",
                                                    "generator_expression",
                                                    "list_comprehension",
                                                    "set_comprehension",
                                                    "dictionary_comprehension",
                                                    "parameters",
                                                    "lambda_parameters"};
        for (TSNode up = ts_node_parent(node); !ts_node_is_null(up); up = ts_node_parent(up)) {
            const std::string_view type = ts_node_type(up);
            if (std::find(std::begin(k_bracketed), std::end(k_bracketed), type)
                != std::end(k_bracketed)) {
                return true;
            }
            if (type.ends_with("_statement") || type == "block" || type == "module") {
                return false;
            }
        }
        return false;
    }

    // What entering a node means for the statements inside it.
    static Scope enter(Kind kind, TSNode node, Scope scope)
    {
        switch (kind) {
        case Kind::function_definition: {
            const TSNode first = ts_node_child(node, 0);
            const bool async =
                !ts_node_is_null(first) && std::strcmp(ts_node_type(first), "async") == 0;
            return {true, async, false, nullptr};
        }
        case Kind::lambda:
            return {true, false, false, nullptr};
        // A generator expression with 'await' is an asynchronous generator, which any
        // function may create (Python 3.7 and later).
        case Kind::generator_expression:
            return {true, true, false, "generator expression"};
        case Kind::list_comprehension:
            scope.comprehension = "list comprehension";
            return scope;
        case Kind::set_comprehension:
            scope.comprehension = "set comprehension";
            return scope;
        case Kind::dictionary_comprehension:
            scope.comprehension = "dict comprehension";
            return scope;
        case Kind::class_definition:
            return {};
        default:
            return scope;
        }
    }

    void check(Kind kind, TSNode node, const Scope& scope)
    {
        switch (kind) {
        case Kind::print_statement:
            if (!reads_as_expression(node)) {
                report(node, "missing parentheses in call to 'print'; did you mean print(...)?");
            }
            break;
        case Kind::exec_statement:
            report(node, "missing parentheses in call to 'exec'");
            break;
        case Kind::future_import_statement:
            if (!is(ts_node_parent(node), Kind::module)) {
                report(node, "from __future__ imports must occur at the beginning of the file");
            }
            check_future_features(node);
            break;
        case Kind::integer:
            check_integer(node);
            break;
        case Kind::assignment:
            check_colon_line(node, m_kinds.type_field(), "an annotation's type");
            break;
        case Kind::lambda:
            if (!inside_brackets(node)) {
                check_colon_line(node, m_kinds.body_field(), "a lambda's body");
            }
            break;
        case Kind::return_statement:
            if (!scope.in_function) {
                report(node, "'return' outside function");
            }
            break;
        case Kind::yield:
            if (scope.comprehension != nullptr) {
                report(node, fmt::format("'yield' inside {}", scope.comprehension));
            } else if (!scope.in_function) {
                report(node, "'yield' outside function");
            }
            break;
        case Kind::break_statement:
            if (!scope.in_loop) {
                report(node, "'break' outside loop");
            }
            break;
        case Kind::continue_statement:
            if (!scope.in_loop) {
                report(node, "'continue' not properly in loop");
            }
            break;
        case Kind::await:
            if (!scope.in_async_function) {
                report(node,
                       scope.in_function ? "'await' outside async function"
                                         : "'await' outside function");
            }
            break;
        default:
            break;
        }
    }

    // A depth-first walk with a cursor: no recursion, so deep expression trees cannot
    // exhaust the stack, and no indexed child lookups, which are linear each.
    void walk()
    {
        struct Frame
        {
            TSNode node{};
            Scope inner;
            bool loop = false;
            Scope outer; ///< the scope the node itself stands in
            bool comprehension = false;
            int for_clauses = 0; ///< for_in_clause children met so far
            /// The first for_in_clause of a comprehension: its iterable ("right") is
            /// evaluated in the scope around the comprehension.
            bool first_for_clause = false;
            Scope around;
        };

        std::vector<Frame> frames;
        TSTreeCursor cursor = ts_tree_cursor_new(m_tree.root());
        std::size_t visited = 0;
        while (true) {
            if (++visited % 4096 == 0 && core::interrupted()) {
                ts_tree_cursor_delete(&cursor);
                return;
            }
            const TSNode node = ts_tree_cursor_current_node(&cursor);
            bool descend = false;
            Frame frame{};
            if (ts_node_is_named(node) && !ts_node_is_error(node) && !ts_node_is_missing(node)) {
                Frame* parent = frames.empty() ? nullptr : &frames.back();
                Scope scope = parent == nullptr ? Scope{} : parent->inner;
                const bool needs_field =
                    parent != nullptr && (parent->loop || parent->first_for_clause);
                const TSFieldId field = needs_field ? ts_tree_cursor_current_field_id(&cursor) : 0;
                // Only a loop's body (not its else clause) is inside the loop.
                if (parent != nullptr && parent->loop && field == m_kinds.body_field()) {
                    scope.in_loop = true;
                }
                if (parent != nullptr && parent->first_for_clause
                    && field == m_kinds.right_field()) {
                    scope = parent->around;
                }
                const Kind kind = m_kinds.of(node);
                check(kind, node, scope);
                if (kind == Kind::module || kind == Kind::block) {
                    check_indentation(
                        node, parent == nullptr || kind == Kind::module ? nullptr : &parent->node);
                } else if (kind == Kind::try_statement) {
                    check_try(node);
                }
                if (kind == Kind::if_statement || kind == Kind::try_statement
                    || kind == Kind::for_statement || kind == Kind::while_statement) {
                    check_clause_indentation(node);
                }
                frame.node = node;
                frame.inner = enter(kind, node, scope);
                frame.loop = kind == Kind::for_statement || kind == Kind::while_statement;
                frame.outer = scope;
                frame.comprehension =
                    kind == Kind::generator_expression || kind == Kind::list_comprehension
                    || kind == Kind::set_comprehension || kind == Kind::dictionary_comprehension;
                if (parent != nullptr && parent->comprehension && kind == Kind::for_in_clause
                    && parent->for_clauses++ == 0) {
                    frame.first_for_clause = true;
                    frame.around = parent->outer;
                }
                descend = true;
            }
            if (descend && ts_tree_cursor_goto_first_child(&cursor)) {
                frames.push_back(frame);
                continue;
            }
            while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
                if (frames.empty() || !ts_tree_cursor_goto_parent(&cursor)) {
                    ts_tree_cursor_delete(&cursor);
                    return;
                }
                frames.pop_back();
            }
        }
    }

    const SyntaxTree& m_tree;
    const KindTable& m_kinds;
    std::vector<SyntaxProblem> m_problems;
};

} // namespace

std::vector<SyntaxProblem> find_python_compile_problems(const SyntaxTree& tree)
{
    return PythonChecker(tree).run();
}

} // namespace aiops::source
