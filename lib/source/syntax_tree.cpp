#include "source/syntax_tree.hpp"

#include "core/interrupt.hpp"
#include "core/strings.hpp"
#include "source/grammar.hpp"
#include "source/python_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>

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

struct ParseLimits
{
    std::chrono::steady_clock::time_point deadline;
    bool timed = false;
    bool timed_out = false;
};

bool cancel_parse(TSParseState* state)
{
    auto* limits = static_cast<ParseLimits*>(state->payload);
    if (limits->timed && std::chrono::steady_clock::now() > limits->deadline) {
        limits->timed_out = true;
        return true;
    }
    return core::interrupted();
}

struct StringInput
{
    std::string_view text;
};

const char*
read_string(void* payload, uint32_t byte_index, TSPoint /*position*/, uint32_t* bytes_read)
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
{}

void read_children(TSNode node, std::vector<AiopsChild>& out)
{
    out.resize(std::max<std::size_t>(out.capacity(), 16));
    uint32_t count = aiops_node_children(node, out.data(), static_cast<uint32_t>(out.size()), true);
    if (count != UINT32_MAX && count > out.size()) {
        out.resize(count);
        count = aiops_node_children(node, out.data(), count, true);
    }
    if (count == UINT32_MAX) {
        throw std::bad_alloc();
    }
    out.resize(count);
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

namespace {

bool is_cplusplus_guard(std::string_view line)
{
    line = core::trim(line);
    if (!line.starts_with('#')) {
        return false;
    }
    line = core::trim(line.substr(1));
    return line == "ifdef __cplusplus" || line == "if defined(__cplusplus)"
           || line == "if defined __cplusplus";
}

bool is_guarded_line(std::string_view line)
{
    line = core::trim(line);
    return line.empty() || line == "}" || line == "extern \"C\" {" || line == "extern \"C\"{"
           || (line.starts_with("/*") && line.ends_with("*/")) || line.starts_with("//");
}

} // namespace

std::string blank_extern_c_guards(std::string_view text)
{
    std::string out(text);
    const std::vector<std::string> lines = core::split(text, '\n');
    std::size_t offset = 0;
    for (std::size_t i = 0; i < lines.size(); offset += lines[i].size() + 1, ++i) {
        if (!is_cplusplus_guard(lines[i])) {
            continue;
        }
        std::size_t end = i + 1;
        while (end < lines.size() && is_guarded_line(lines[end])) {
            ++end;
        }
        if (end == lines.size() || core::trim(lines[end]) != "#endif" || end == i + 1) {
            continue;
        }
        std::size_t at = offset;
        for (std::size_t j = i; j <= end; ++j) {
            for (std::size_t k = 0; k < lines[j].size(); ++k) {
                if (out[at + k] != '\r') {
                    out[at + k] = ' ';
                }
            }
            at += lines[j].size() + 1;
        }
    }
    return out;
}

core::Result<SyntaxTree>
parse(Language language, std::string_view text, std::chrono::milliseconds time_limit)
{
    if (text.size() > UINT32_MAX) {
        return core::Error(core::ErrorCode::input, "file is too large to parse (over 4 GiB)");
    }
    TSParser* parser = thread_parser();
    ts_parser_set_language(parser, grammar(language));
    StringInput input{text};
    const TSInput ts_input{&input, read_string, TSInputEncodingUTF8, nullptr};
    ParseLimits limits;
    if (time_limit.count() > 0) {
        limits.timed = true;
        limits.deadline = std::chrono::steady_clock::now() + time_limit;
    }
    const TSParseOptions options{&limits, cancel_parse};
    TSTree* tree = ts_parser_parse_with_options(parser, nullptr, ts_input, options);
    if (tree == nullptr) {
        ts_parser_reset(parser);
        if (limits.timed_out) {
            return core::Error(core::ErrorCode::input,
                               fmt::format("parsing took longer than {} ms", time_limit.count()));
        }
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
        && ts_language_symbol_for_name(
               language, text.data(), static_cast<uint32_t>(text.size()), false)
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

// Where an ERROR node went wrong. Each token records the parse state it was read in,
// and tokens read during error recovery have state 0: the token just before the first
// of those is the one the grammar stopped accepting. A nested ERROR marks an earlier,
// more precise failure. When every token was read in a valid state, what came after
// the node (often the end of the file) did not fit.
struct ErrorCause
{
    std::string message;
    uint32_t start_byte;
    uint32_t end_byte = 0; ///< 0: the end of the ERROR node
};

// The tokens of a subtree in order, at most `limit` of them; a cursor walk, so deep
// trees cost neither stack nor quadratic child lookups.
void collect_leaves(TSNode node, std::vector<TSNode>& leaves, std::size_t limit = 4096)
{
    TSTreeCursor cursor = ts_tree_cursor_new(node);
    std::size_t depth = 0;
    while (leaves.size() < limit) {
        const TSNode current = ts_tree_cursor_current_node(&cursor);
        if (ts_tree_cursor_goto_first_child(&cursor)) {
            ++depth;
            continue;
        }
        if (depth > 0 && !ts_node_is_missing(current)
            && ts_node_end_byte(current) > ts_node_start_byte(current)) {
            leaves.push_back(current);
        }
        bool done = false;
        while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
            if (depth == 0 || !ts_tree_cursor_goto_parent(&cursor)) {
                done = true;
                break;
            }
            --depth;
        }
        if (done || depth == 0) {
            break;
        }
    }
    ts_tree_cursor_delete(&cursor);
}

std::optional<TSNode> find_failing_token(TSNode error)
{
    std::vector<TSNode> leaves;
    collect_leaves(error, leaves);
    if (leaves.size() == 1) {
        return leaves.front();
    }
    for (std::size_t i = 0; i < leaves.size(); ++i) {
        if (ts_node_parse_state(leaves[i]) == 0) {
            return leaves[i == 0 ? 0 : i - 1];
        }
    }
    return std::nullopt;
}

// The first ERROR below a node, in document order (a cursor walk, for deep trees).
TSNode first_nested_error(TSNode node, bool& found)
{
    TSTreeCursor cursor = ts_tree_cursor_new(node);
    TSNode result = node;
    std::size_t depth = 0;
    bool descend = true;
    while (true) {
        if (descend && ts_node_has_error(ts_tree_cursor_current_node(&cursor))
            && ts_tree_cursor_goto_first_child(&cursor)) {
            ++depth;
        } else if (depth == 0) {
            break;
        } else if (!ts_tree_cursor_goto_next_sibling(&cursor)) {
            ts_tree_cursor_goto_parent(&cursor);
            --depth;
            descend = false;
            continue;
        }
        descend = true;
        const TSNode current = ts_tree_cursor_current_node(&cursor);
        if (ts_node_is_error(current)) {
            found = true;
            result = current;
            break;
        }
    }
    ts_tree_cursor_delete(&cursor);
    return result;
}

// The file ended inside the construct an ERROR node holds: name the bracket that was
// never closed, or else the construct's first token.
ErrorCause describe_unfinished(const SyntaxTree& tree, TSNode error)
{
    std::vector<TSNode> leaves;
    collect_leaves(error, leaves);
    std::vector<TSNode> open;
    for (const TSNode leaf : leaves) {
        const std::string_view text = tree.node_text(leaf);
        if (text == "(" || text == "[" || text == "{") {
            open.push_back(leaf);
        } else if (text == ")" || text == "]" || text == "}") {
            if (open.empty()) {
                return {fmt::format("unmatched '{}'", text),
                        ts_node_start_byte(leaf),
                        ts_node_end_byte(leaf)};
            }
            open.pop_back();
        }
    }
    if (!open.empty()) {
        const TSNode bracket = open.back();
        return {fmt::format("'{}' was never closed", tree.node_text(bracket)),
                ts_node_start_byte(bracket),
                ts_node_end_byte(bracket)};
    }
    if (leaves.empty()) {
        return {"unexpected end of file", ts_node_end_byte(error), ts_node_end_byte(error)};
    }
    // The file ends where the construct still wants more: point there, and name the
    // construct.
    const TSNode last = leaves.back();
    return {fmt::format("unexpected end of file: {} on line {} is not finished",
                        describe_token(tree, leaves.front()),
                        ts_node_start_point(leaves.front()).row + 1),
            ts_node_end_byte(last),
            ts_node_end_byte(last)};
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
            return {"unexpected end of file", ts_node_start_byte(error), ts_node_start_byte(error)};
        }
        return {"unexpected " + describe_token(tree, error), ts_node_start_byte(error)};
    }
    if (const auto failing = find_failing_token(error)) {
        return {"unexpected " + describe_token(tree, *failing), ts_node_start_byte(*failing)};
    }
    const TSNode after = ts_node_next_sibling(error);
    if (ts_node_is_null(after) || ts_node_start_byte(after) >= tree.text().size()
        || ts_node_end_byte(after) == ts_node_start_byte(after)) {
        return describe_unfinished(tree, error);
    }
    TSNode token = after;
    while (ts_node_child_count(token) > 0) {
        token = ts_node_child(token, 0);
    }
    return {"unexpected " + describe_token(tree, token),
            ts_node_start_byte(token),
            ts_node_end_byte(token)};
}

bool looks_like_macro_name(std::string_view name)
{
    const bool has_letter = std::any_of(name.begin(), name.end(), [](char c) {
        return std::isupper(static_cast<unsigned char>(c)) != 0;
    });
    return name.size() >= 2 && has_letter && std::all_of(name.begin(), name.end(), [](char c) {
               return std::isupper(static_cast<unsigned char>(c)) != 0
                      || std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '_';
           });
}

// C and C++ are parsed without preprocessing. Two idioms then look like a missing ';'
// although the preprocessor makes them valid: a macro call that opens a block
// (TEST_CASE("x") { ... }) and a macro on a line of its own (__BEGIN_DECLS, Q_OBJECT).
bool is_macro_idiom(std::string_view text, std::size_t offset)
{
    std::size_t end = std::min(offset, text.size());
    while (end > 0 && std::isspace(static_cast<unsigned char>(text[end - 1])) != 0) {
        --end;
    }
    std::size_t after = std::min(offset, text.size());
    while (after < text.size() && std::isspace(static_cast<unsigned char>(text[after])) != 0) {
        ++after;
    }
    const bool block_follows = after < text.size() && text[after] == '{';
    if (end > 0 && text[end - 1] == ')') {
        int depth = 0;
        std::size_t open = end;
        while (open > 0) {
            const char c = text[--open];
            depth += c == ')' ? 1 : c == '(' ? -1 : 0;
            if (depth == 0) {
                break;
            }
        }
        end = open;
        while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) {
            --end;
        }
        if (!block_follows) {
            return false;
        }
    }
    std::size_t start = end;
    while (start > 0
           && (std::isalnum(static_cast<unsigned char>(text[start - 1])) != 0
               || text[start - 1] == '_')) {
        --start;
    }
    return looks_like_macro_name(text.substr(start, end - start));
}

struct ProblemCollector
{
    const SyntaxTree& tree;
    std::size_t limit;
    std::size_t total = 0;
    std::vector<SyntaxProblem> problems;

    void add_missing(TSNode node)
    {
        const bool c_family = tree.language() == Language::c || tree.language() == Language::cpp;
        if (c_family && std::strcmp(ts_node_type(node), ";") == 0
            && is_macro_idiom(tree.text(), ts_node_start_byte(node))) {
            return;
        }
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
            problems.push_back({SyntaxProblem::Kind::error,
                                start,
                                std::max(start, end),
                                std::move(cause.message)});
            add_unclosed_at_end(node, start);
        }
    }

    // An ERROR that runs from a failure in the middle of the file to its end may also
    // hold a bracket the file never closes, far below the failure (a syntax error, then
    // a cut): that is a second problem, which the first does not describe.
    void add_unclosed_at_end(TSNode node, uint32_t failure)
    {
        const std::string_view text = tree.text();
        std::size_t tail = text.size();
        while (tail > 0 && std::isspace(static_cast<unsigned char>(text[tail - 1])) != 0) {
            --tail;
        }
        if (ts_node_end_byte(node) < tail) {
            return;
        }
        const ErrorCause unclosed = describe_unfinished(tree, node);
        if (unclosed.start_byte <= failure || !unclosed.message.ends_with("was never closed")
            || text.substr(failure, unclosed.start_byte - failure).find('\n')
                   == std::string_view::npos) {
            return;
        }
        ++total;
        if (problems.size() < limit) {
            problems.push_back({SyntaxProblem::Kind::error,
                                unclosed.start_byte,
                                unclosed.end_byte,
                                unclosed.message});
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
        std::size_t visited = 0;
        while (true) {
            if (++visited % 4096 == 0 && core::interrupted()) {
                ts_tree_cursor_delete(&cursor);
                return;
            }
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

std::vector<SyntaxProblem>
find_syntax_problems(const SyntaxTree& tree, std::size_t limit, std::size_t& total)
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
