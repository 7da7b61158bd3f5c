#include "source/syntax_tree.hpp"

#include "core/interrupt.hpp"
#include "core/strings.hpp"
#include "source/grammar.hpp"
#include "source/python_rules.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace aiops::source {

namespace {

struct ParserDeleter
{
    void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};

TSParser* thread_parser()
{
    thread_local std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
    return parser.get();
}

bool cancel_on_interrupt(TSParseState* /*state*/)
{
    return core::interrupted();
}

struct StringInput
{
    std::string_view text;
};

const char* read_string(void* payload,
                        uint32_t byte_index,
                        TSPoint /*position*/,
                        uint32_t* bytes_read)
{
    const auto* input = static_cast<const StringInput*>(payload);
    if (byte_index >= input->text.size()) {
        *bytes_read = 0;
        return "";
    }
    *bytes_read = static_cast<uint32_t>(input->text.size() - byte_index);
    return input->text.data() + byte_index;
}

} // namespace

SyntaxTree::SyntaxTree(TSTree* tree, Language language, std::string_view text)
    : m_tree(tree), m_language(language), m_text(text)
{
}

std::string_view SyntaxTree::node_text(TSNode node) const
{
    const uint32_t start = ts_node_start_byte(node);
    const uint32_t end = ts_node_end_byte(node);
    if (start >= m_text.size() || end <= start) {
        return {};
    }
    return m_text.substr(start, std::min<std::size_t>(end, m_text.size()) - start);
}

core::Result<SyntaxTree> parse(Language language, std::string_view text)
{
    if (text.size() > UINT32_MAX) {
        return core::Error(core::ErrorCode::input, "file is too large to parse (over 4 GiB)");
    }
    TSParser* parser = thread_parser();
    ts_parser_set_language(parser, grammar(language));
    StringInput input{text};
    const TSInput ts_input{&input, read_string, TSInputEncodingUTF8, nullptr};
    const TSParseOptions options{nullptr, cancel_on_interrupt};
    TSTree* tree = ts_parser_parse_with_options(parser, nullptr, ts_input, options);
    if (tree == nullptr) {
        ts_parser_reset(parser);
        if (core::interrupted()) {
            return core::Error(core::ErrorCode::interrupted, "interrupted");
        }
        return core::Error(core::ErrorCode::internal, "tree-sitter could not parse the file");
    }
    return SyntaxTree(tree, language, text);
}

namespace {

// How a token is named in a message: keywords and punctuation by their text, named
// tokens by their kind and text ("identifier 'foo'"). A word the grammar also has as a
// keyword ("return" lexed as an identifier where a keyword cannot stand) is shown as the
// keyword.
std::string describe_token(const SyntaxTree& tree, TSNode token)
{
    const std::string_view text = tree.node_text(token);
    if (text.empty()) {
        return "end of file";
    }
    const std::string quoted = fmt::format("'{}'", core::quote_for_message(text, 30));
    if (!ts_node_is_named(token) || ts_node_is_error(token)) {
        return quoted;
    }
    const TSLanguage* language = ts_node_language(token);
    if (text.size() < 30
        && ts_language_symbol_for_name(language, text.data(), static_cast<uint32_t>(text.size()), false)
               != 0) {
        return quoted;
    }
    std::string kind = ts_node_type(token);
    std::replace(kind.begin(), kind.end(), '_', ' ');
    return kind + " " + quoted;
}

std::string describe_missing(const SyntaxTree& /*tree*/, TSNode node)
{
    std::string kind = ts_node_type(node);
    if (ts_node_is_named(node)) {
        std::replace(kind.begin(), kind.end(), '_', ' ');
        return "missing " + kind;
    }
    return fmt::format("missing '{}'", core::quote_for_message(kind, 30));
}

// Where an ERROR node went wrong. Tokens the parser shifted in a valid state keep a
// successor state; the first token without one is where the grammar stopped fitting.
// A nested ERROR marks an earlier, more precise failure. When every token fitted,
// what came after the node (often the end of the file) did not.
struct ErrorCause
{
    std::string message;
    uint32_t start_byte;
    uint32_t end_byte = 0; ///< 0: the end of the ERROR node
};

bool find_failing_token(TSNode node, TSNode& failing)
{
    const uint32_t count = ts_node_child_count(node);
    for (uint32_t i = 0; i < count; ++i) {
        const TSNode child = ts_node_child(node, i);
        if (ts_node_is_error(child)) {
            continue;
        }
        if (ts_node_child_count(child) == 0) {
            if (ts_node_next_parse_state(child) == 0 && !ts_node_is_missing(child)
                && ts_node_end_byte(child) > ts_node_start_byte(child)) {
                failing = child;
                return true;
            }
        } else if (find_failing_token(child, failing)) {
            return true;
        }
    }
    return false;
}

TSNode first_nested_error(TSNode node, bool& found)
{
    const uint32_t count = ts_node_child_count(node);
    for (uint32_t i = 0; i < count; ++i) {
        const TSNode child = ts_node_child(node, i);
        if (ts_node_is_error(child)) {
            found = true;
            return child;
        }
        if (ts_node_has_error(child)) {
            const TSNode inner = first_nested_error(child, found);
            if (found) {
                return inner;
            }
        }
    }
    return node;
}

ErrorCause describe_error(const SyntaxTree& tree, TSNode error)
{
    for (int depth = 0; depth < 64; ++depth) {
        bool nested = false;
        const TSNode inner = first_nested_error(error, nested);
        if (!nested) {
            break;
        }
        error = inner;
    }
    if (ts_node_child_count(error) == 0) {
        if (ts_node_start_byte(error) >= tree.text().size()) {
            return {"unexpected end of file", ts_node_start_byte(error)};
        }
        return {"unexpected " + describe_token(tree, error), ts_node_start_byte(error)};
    }
    TSNode failing = error;
    if (find_failing_token(error, failing)) {
        return {"unexpected " + describe_token(tree, failing), ts_node_start_byte(failing)};
    }
    const TSNode after = ts_node_next_sibling(error);
    if (ts_node_is_null(after) || ts_node_start_byte(after) >= tree.text().size()
        || ts_node_end_byte(after) == ts_node_start_byte(after)) {
        return {"unexpected end of file", ts_node_start_byte(error)};
    }
    TSNode token = after;
    while (ts_node_child_count(token) > 0) {
        token = ts_node_child(token, 0);
    }
    return {"unexpected " + describe_token(tree, token), ts_node_start_byte(token), ts_node_end_byte(token)};
}

struct ProblemCollector
{
    const SyntaxTree& tree;
    std::size_t limit;
    std::size_t total = 0;
    std::vector<SyntaxProblem> problems;

    void add_missing(TSNode node)
    {
        ++total;
        if (problems.size() < limit) {
            problems.push_back({SyntaxProblem::Kind::missing,
                                ts_node_start_byte(node),
                                ts_node_end_byte(node),
                                describe_missing(tree, node)});
        }
    }

    // The range runs from the token that went wrong to the end of the text the parser
    // could not place.
    void add_error(TSNode node)
    {
        ++total;
        if (problems.size() < limit) {
            ErrorCause cause = describe_error(tree, node);
            const uint32_t start = std::max(cause.start_byte, ts_node_start_byte(node));
            const uint32_t end = cause.end_byte != 0 ? cause.end_byte : ts_node_end_byte(node);
            problems.push_back(
                {SyntaxProblem::Kind::error, start, std::max(start, end), std::move(cause.message)});
        }
    }

    // Reports a node; returns whether its subtree may hold more problems.
    bool visit(TSNode node, bool inside_error)
    {
        if (ts_node_is_missing(node)) {
            add_missing(node);
            return false;
        }
        // An error nested in another error describes the same text again, so only the
        // outermost is reported; missing tokens inside it still are.
        if (ts_node_is_error(node) && !inside_error) {
            add_error(node);
        }
        return ts_node_has_error(node);
    }

    // A depth-first walk with a cursor: no recursion, so deep trees cannot exhaust the
    // stack, and no quadratic child lookups.
    void walk(TSNode root)
    {
        TSTreeCursor cursor = ts_tree_cursor_new(root);
        std::vector<bool> error_above;
        while (true) {
            const TSNode node = ts_tree_cursor_current_node(&cursor);
            const bool inside_error = !error_above.empty() && error_above.back();
            if (visit(node, inside_error) && ts_tree_cursor_goto_first_child(&cursor)) {
                error_above.push_back(inside_error || ts_node_is_error(node));
                continue;
            }
            while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
                if (error_above.empty() || !ts_tree_cursor_goto_parent(&cursor)) {
                    ts_tree_cursor_delete(&cursor);
                    return;
                }
                error_above.pop_back();
            }
        }
    }
};

} // namespace

std::vector<SyntaxProblem> find_syntax_problems(const SyntaxTree& tree,
                                                std::size_t limit,
                                                std::size_t& total)
{
    ProblemCollector collector{tree, limit, 0, {}};
    if (tree.has_error()) {
        collector.walk(tree.root());
    }
    std::vector<SyntaxProblem> problems = std::move(collector.problems);
    total = collector.total;
    if (tree.language() == Language::python) {
        std::vector<SyntaxProblem> more = find_python_compile_problems(tree);
        total += more.size();
        for (auto& problem : more) {
            if (problems.size() < limit) {
                problems.push_back(std::move(problem));
            }
        }
        std::stable_sort(problems.begin(), problems.end(), [](const auto& a, const auto& b) {
            return a.start_byte < b.start_byte;
        });
    }
    return problems;
}

} // namespace aiops::source
