#pragma once

// The parts of the `artefacts` check, shared by its files: what a detector sees of a
// file, what it reports, and the grammar knowledge they all use (which nodes are
// comments, literals, functions and classes in each language).

#include "source/language.hpp"
#include "source/syntax_tree.hpp"

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aiops::validate::artefacts {

inline constexpr const char* k_fence_rule = "artefacts.markdown-fence";
inline constexpr const char* k_prose_rule = "artefacts.prose";
inline constexpr const char* k_elided_rule = "artefacts.elided-code";
inline constexpr const char* k_placeholder_rule = "artefacts.placeholder-body";
inline constexpr const char* k_truncated_rule = "artefacts.truncated";

/// One line of a text: [start, end) without the line ending.
struct Line
{
    std::size_t start = 0;
    std::size_t end = 0;
};

/// The lines of a text, split at LF; a text that ends with one has an empty last line.
std::vector<Line> split_lines(std::string_view text);

/// The line holding a byte offset (the last line for the end of the text).
std::size_t line_of(const std::vector<Line>& lines, std::size_t offset);

/// The lines (indexes, in order, each once) that contain one of the needles: a search
/// of the whole text, far cheaper than reading every line.
std::vector<std::size_t> lines_containing(std::string_view text,
                                          const std::vector<Line>& lines,
                                          std::initializer_list<std::string_view> needles);

/// What a node is to the detectors.
enum class Role : unsigned char
{
    other,
    comment,
    literal,  ///< a string, heredoc, template, regex or JSX text: text that is not code
    function, ///< a definition with a body of statements
    class_like,
    ellipsis,  ///< Python's `...`
    html_text, ///< PHP's HTML outside the tags
};

/// The roles of a grammar's symbols and the fields the detectors read, built once per
/// language; comparing symbols is far cheaper than comparing type names.
class NodeRoles
{
public:
    explicit NodeRoles(source::Language language);

    Role of(TSNode node) const
    {
        const TSSymbol symbol = ts_node_symbol(node);
        return symbol < m_roles.size() ? m_roles[symbol] : Role::other;
    }

    TSFieldId body_field() const { return m_body; }

    TSFieldId name_field() const { return m_name; }

private:
    std::vector<Role> m_roles;
    TSFieldId m_body = 0;
    TSFieldId m_name = 0;
};

/// The table of a language (built on first use, shared by all threads).
const NodeRoles& node_roles(source::Language language);

/// What a detector reads: one parse of the file (the file's own, or one with
/// artefact lines blanked out, which keeps every byte offset).
struct View
{
    std::string_view path;
    source::Language language;
    std::string_view text;
    const source::SyntaxTree& tree;
    std::span<const source::SyntaxProblem> problems;
    const NodeRoles& roles;
    const std::vector<Line>& lines;
};

/// A cheap test of a comment's text before the elision phrases are matched: an
/// ellipsis, or a word the phrases start with.
bool may_mark_elision(std::string_view comment);

/// The nodes the detectors look at, gathered in one walk of the tree.
struct Inventory
{
    std::vector<TSNode> comments; ///< those that may mark elided code
    std::vector<TSNode> functions;
    std::vector<TSNode> classes;
    std::vector<TSNode> ellipses;
    std::vector<TSNode> html_texts;
};

Inventory take_inventory(const View& view);

/// Something left in the file that is not code.
struct Artefact
{
    const char* rule = nullptr;
    std::string message;
    std::size_t start = 0; ///< the finding's byte range
    std::size_t end = 0;
};

/// Where a parse has errors: the outermost ERROR nodes, MISSING tokens and the
/// problems the checks add (Python's compile problems), for quick overlap queries.
class ErrorSpans
{
public:
    explicit ErrorSpans(const View& view);

    /// Whether [start, end] touches an error (a MISSING token at either end counts).
    bool overlaps(std::size_t start, std::size_t end) const;

private:
    std::vector<std::pair<std::size_t, std::size_t>> m_spans; ///< by start
    std::vector<std::size_t> m_reach; ///< the furthest end among the spans up to each
};

/// How a literal must hold a line for the line to be its text.
enum class Holding
{
    /// The whole line, with the delimiters outside it: backticks that open or close a
    /// string (a fence read as a template string) are not its text.
    inside,
    /// The line's first non-blank byte, delimiter included: a line that starts a string.
    from_start,
};

/// The comment or literal node around the text's first non-blank byte in [start, end):
/// a comment counts when it holds that byte; a literal as `holding` says.
std::optional<Role> enclosing_text_role(const View& view,
                                        std::size_t start,
                                        std::size_t end,
                                        Holding holding = Holding::inside);

/// Calls visit(node) for every node in document order; visit returns whether to go
/// into the node's children. Iterative, so deep trees cannot exhaust the stack.
template <typename Visit> void walk_tree(TSNode root, Visit&& visit)
{
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    std::size_t depth = 0;
    while (true) {
        if (visit(ts_tree_cursor_current_node(&cursor))
            && ts_tree_cursor_goto_first_child(&cursor)) {
            ++depth;
            continue;
        }
        while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
            if (depth == 0 || !ts_tree_cursor_goto_parent(&cursor)) {
                ts_tree_cursor_delete(&cursor);
                return;
            }
            --depth;
        }
    }
}

/// A short quote of source text for a message: the first line, trimmed and cut.
std::string excerpt(std::string_view text, std::size_t max_chars = 60);

// The detectors, in the order the check runs them.

/// Markdown fence lines outside comments and literals.
std::vector<Artefact> find_fences(const View& view);

/// Paragraphs of natural language outside the code. `fences` are the fence lines the
/// view's text already has blanked. With `edges_only` (a file that parses, without
/// fences) only the first and last paragraphs are read.
std::vector<Artefact>
find_prose(const View& view, const std::vector<Artefact>& fences, bool edges_only);

/// Lines that are only an elision marker (`...`, `<rest of code>`) where they break the
/// syntax.
std::vector<Artefact> find_elided_lines(const View& view);

/// Comments that stand for code left out, and Python `...` statements among others.
std::vector<Artefact> find_elided_code(const View& view, const Inventory& inventory);

/// Functions whose body is only a placeholder.
std::vector<Artefact> find_placeholders(const View& view, const Inventory& inventory);

/// A file that ends inside an unfinished construct, and where the syntax problems
/// the cut causes begin.
struct Truncation
{
    Artefact artefact;
    std::size_t explains_from = 0;
    /// The cut is inside a string or comment: everything after its start is its text.
    bool in_literal = false;
};

std::optional<Truncation> find_truncation(const View& view);

} // namespace aiops::validate::artefacts
