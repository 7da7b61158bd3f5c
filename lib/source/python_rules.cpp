#include "source/python_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

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

/// Where a statement stands: what encloses it decides what it may say.
struct Scope
{
    bool in_function = false;
    bool in_async_function = false;
    bool in_loop = false;
};

class PythonChecker
{
public:
    explicit PythonChecker(const SyntaxTree& tree) : m_tree(tree) {}

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

    static bool is(TSNode node, const char* type) { return std::strcmp(ts_node_type(node), type) == 0; }

    static bool is_docstring(TSNode statement)
    {
        return is(statement, "expression_statement") && ts_node_named_child_count(statement) == 1
               && is(ts_node_named_child(statement, 0), "string");
    }

    // Future imports may follow only the docstring, comments and other future imports.
    void check_future_placement()
    {
        const TSNode module = m_tree.root();
        bool code_seen = false;
        bool first = true;
        const uint32_t count = ts_node_named_child_count(module);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode statement = ts_node_named_child(module, i);
            if (is(statement, "comment")) {
                continue;
            }
            if (is(statement, "future_import_statement")) {
                if (code_seen) {
                    report(statement, "from __future__ imports must occur at the beginning of the file");
                }
            } else if (!(first && is_docstring(statement))) {
                code_seen = true;
            }
            first = false;
        }
    }

    void check_future_features(TSNode statement)
    {
        const uint32_t count = ts_node_named_child_count(statement);
        for (uint32_t i = 0; i < count; ++i) {
            TSNode feature = ts_node_named_child(statement, i);
            if (is(feature, "aliased_import")) {
                feature = ts_node_child_by_field_name(feature, "name", 4);
            }
            if (ts_node_is_null(feature) || !is(feature, "dotted_name")) {
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
        if (rest.empty() || std::string_view("-+*/%&|^<>=!@.[(,;").find(rest.front()) != std::string_view::npos) {
            return true;
        }
        for (const std::string_view word : {"if ", "and ", "or ", "in ", "is ", "not "}) {
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
                                  && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })
                                  && digits.find_first_not_of('0') != std::string::npos;
        if (leading_zero) {
            report(node,
                   "leading zeros in decimal integer literals are not permitted; use an 0o prefix "
                   "for octal integers");
        }
    }

    // What entering a node means for the statements inside it.
    Scope enter(TSNode node, Scope scope)
    {
        if (is(node, "function_definition")) {
            const TSNode first = ts_node_child(node, 0);
            return {true, !ts_node_is_null(first) && is(first, "async"), false};
        }
        if (is(node, "lambda")) {
            return {true, false, false};
        }
        // A generator expression with 'await' is an asynchronous generator, which any
        // function may create (Python 3.7 and later).
        if (is(node, "generator_expression")) {
            return {true, true, false};
        }
        if (is(node, "class_definition")) {
            return {};
        }
        return scope;
    }

    void check(TSNode node, const Scope& scope)
    {
        if (is(node, "print_statement") && !reads_as_expression(node)) {
            report(node, "missing parentheses in call to 'print'; did you mean print(...)?");
        } else if (is(node, "exec_statement")) {
            report(node, "missing parentheses in call to 'exec'");
        } else if (is(node, "future_import_statement")) {
            if (!is(ts_node_parent(node), "module")) {
                report(node, "from __future__ imports must occur at the beginning of the file");
            }
            check_future_features(node);
        } else if (is(node, "integer")) {
            check_integer(node);
        } else if (is(node, "return_statement") && !scope.in_function) {
            report(node, "'return' outside function");
        } else if (is(node, "yield") && !scope.in_function) {
            report(node, "'yield' outside function");
        } else if (is(node, "break_statement") && !scope.in_loop) {
            report(node, "'break' outside loop");
        } else if (is(node, "continue_statement") && !scope.in_loop) {
            report(node, "'continue' not properly in loop");
        } else if (is(node, "await") && !scope.in_async_function) {
            report(node,
                   scope.in_function ? "'await' outside async function" : "'await' outside function");
        }
    }

    // An explicit stack instead of recursion: deep expression trees cannot exhaust it.
    void walk()
    {
        std::vector<std::pair<TSNode, Scope>> pending{{m_tree.root(), Scope{}}};
        while (!pending.empty()) {
            auto [node, scope] = pending.back();
            pending.pop_back();
            if (ts_node_is_error(node) || ts_node_is_missing(node)) {
                continue;
            }
            check(node, scope);
            const Scope inner = enter(node, scope);
            const bool loop = is(node, "for_statement") || is(node, "while_statement");
            const TSNode body = loop ? ts_node_child_by_field_name(node, "body", 4) : TSNode{};
            const uint32_t count = ts_node_named_child_count(node);
            for (uint32_t i = count; i-- > 0;) {
                const TSNode child = ts_node_named_child(node, i);
                Scope child_scope = inner;
                if (loop && ts_node_eq(child, body)) {
                    child_scope.in_loop = true;
                }
                pending.emplace_back(child, child_scope);
            }
        }
    }

    const SyntaxTree& m_tree;
    std::vector<SyntaxProblem> m_problems;
};

} // namespace

std::vector<SyntaxProblem> find_python_compile_problems(const SyntaxTree& tree)
{
    return PythonChecker(tree).run();
}

} // namespace aiops::source
