// A file that ends inside an unfinished construct: a reply cut off at its length
// limit. The syntax problems then cluster at the end of the file; one finding names
// the construct that was never finished.

#include "core/strings.hpp"
#include "validate/artefacts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace aiops::validate::artefacts {

namespace {

using source::Language;

std::size_t trimmed_end(std::string_view text)
{
    std::size_t end = text.size();
    while (end > 0 && std::isspace(static_cast<unsigned char>(text[end - 1])) != 0) {
        --end;
    }
    return end;
}

std::size_t line_number(const View& view, std::size_t offset)
{
    return line_of(view.lines, offset) + 1;
}

// Languages whose ordinary strings end at the end of their line.
bool single_line_strings(Language language)
{
    return language != Language::ruby && language != Language::php && language != Language::bash
           && language != Language::rust && language != Language::yaml;
}

/// A string or comment opened at `at` and never closed.
std::optional<std::string> unterminated_literal(const View& view, std::size_t at)
{
    const std::string_view rest = view.text.substr(at);
    const auto never_closed = [&](std::string_view open, std::string_view close) {
        return rest.starts_with(open) && rest.find(close, open.size()) == std::string_view::npos;
    };
    if (view.language == Language::python) {
        // A string prefix (r, b, f, u) comes before the quotes.
        std::size_t quote = 0;
        while (quote < rest.size() && quote < 3
               && std::isalpha(static_cast<unsigned char>(rest[quote])) != 0) {
            ++quote;
        }
        const std::string_view quoted = rest.substr(quote);
        for (std::string_view triple : {"\"\"\"", "'''"}) {
            if (quoted.starts_with(triple) && quoted.find(triple, 3) == std::string_view::npos) {
                return "triple-quoted string";
            }
        }
    }
    if (never_closed("/*", "*/")) {
        return "block comment";
    }
    if (view.language == Language::go && never_closed("`", "`")) {
        return "raw string";
    }
    const bool script = view.language == Language::javascript
                        || view.language == Language::typescript || view.language == Language::tsx;
    if (script && never_closed("`", "`")) {
        return "template string";
    }
    for (std::string_view quote : {"\"", "'"}) {
        if (!rest.starts_with(quote) || rest.starts_with("'''") || rest.starts_with("\"\"\"")) {
            continue;
        }
        // The string runs to the end of the file: no closing quote after it, or (where
        // strings end with their line) nothing after its line.
        const std::size_t line_end = rest.find('\n');
        const bool closed_on_line =
            rest.substr(1,
                        line_end == std::string_view::npos ? std::string_view::npos : line_end - 1)
                .find(quote)
            != std::string_view::npos;
        if (closed_on_line) {
            continue;
        }
        const bool nothing_after =
            line_end == std::string_view::npos || core::trim(rest.substr(line_end)).empty();
        const bool never = rest.find(quote, 1) == std::string_view::npos;
        if (single_line_strings(view.language) ? nothing_after : never) {
            return "string";
        }
    }
    return std::nullopt;
}

/// A token of the file, for the scan of open brackets.
struct Token
{
    TSNode node;
    std::string_view text;
    bool missing = false;
};

// The file's tokens in order, without comments and literals (their brackets are text),
// and with the MISSING tokens the parser assumed.
std::vector<Token> tokens_of(const View& view)
{
    std::vector<Token> tokens;
    walk_tree(view.tree.root(), [&](TSNode node) {
        const Role role = view.roles.of(node);
        if (role == Role::comment || role == Role::literal) {
            return false;
        }
        if (ts_node_child_count(node) == 0) {
            if (ts_node_is_missing(node)) {
                tokens.push_back({node, ts_node_type(node), true});
            } else if (ts_node_end_byte(node) > ts_node_start_byte(node)) {
                tokens.push_back({node, view.tree.node_text(node), false});
            }
            return false;
        }
        return true;
    });
    return tokens;
}

char closer_for(char open)
{
    return open == '(' ? ')' : open == '[' ? ']' : '}';
}

// The opening brackets still open at the end of the file, outermost first. A closing
// bracket closes the nearest opener it matches; a MISSING one the parser assumed
// before the end closes too (that construct was closed, if badly).
std::vector<std::size_t> open_brackets(const std::vector<Token>& tokens, std::size_t tail)
{
    std::vector<std::pair<std::size_t, char>> stack;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& token = tokens[i];
        if (token.missing && ts_node_start_byte(token.node) >= tail) {
            continue;
        }
        const std::string_view text = token.text;
        if (text.empty()) {
            continue;
        }
        const char last = text.back();
        if (last == '(' || last == '[' || last == '{') {
            stack.emplace_back(i, last);
            continue;
        }
        const char first = text.front();
        if (first != ')' && first != ']' && first != '}') {
            continue;
        }
        for (std::size_t k = stack.size(); k > 0; --k) {
            if (closer_for(stack[k - 1].second) == first) {
                stack.resize(k - 1);
                break;
            }
        }
    }
    std::vector<std::size_t> open;
    for (const auto& [index, bracket] : stack) {
        open.push_back(index);
    }
    return open;
}

bool identifier_like(std::string_view text)
{
    return !text.empty()
           && (std::isalpha(static_cast<unsigned char>(text[0])) != 0 || text[0] == '_'
               || text[0] == '$')
           && std::all_of(text.begin(), text.end(), [](char c) {
                  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
              });
}

constexpr std::string_view k_function_words[] = {"def", "func", "function", "fn", "fun", "sub"};
constexpr std::string_view k_class_words[] = {"class",
                                              "struct",
                                              "interface",
                                              "enum",
                                              "trait",
                                              "impl",
                                              "namespace",
                                              "module",
                                              "object",
                                              "record",
                                              "union"};
constexpr std::string_view k_control_words[] = {
    "if",      "else", "for",   "while",   "do",     "switch", "try",    "catch",
    "finally", "loop", "match", "foreach", "unless", "until",  "select", "case",
    "when",    "with", "using", "lock",    "unsafe", "elif",   "except", "synchronized"};

template <std::size_t N> bool one_of(const std::string_view (&words)[N], std::string_view word)
{
    return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

// The tokens before a `{`, back to the end of the previous statement: what the brace
// opens is said there.
std::vector<std::string_view>
statement_before(const View& view, const std::vector<Token>& tokens, std::size_t at)
{
    // Python ends a statement with its line; the other languages with ; { or }.
    const bool by_line = view.language == Language::python;
    const uint32_t row = ts_node_start_point(tokens[at].node).row;
    std::vector<std::string_view> before;
    for (std::size_t k = at; k > 0 && before.size() < 40;) {
        const std::string_view text = tokens[--k].text;
        if (tokens[k].missing) {
            continue;
        }
        if (text == ";" || text == "{" || text == "}"
            || (by_line && ts_node_start_point(tokens[k].node).row != row)) {
            break;
        }
        before.push_back(text);
    }
    std::reverse(before.begin(), before.end());
    return before;
}

// " of 'name'" for the last identifier that a parameter list follows, from `from` on
// (Go's receiver comes before the name: func (s *Server) Start() {).
std::string name_before_parameters(const std::vector<std::string_view>& before, std::size_t from)
{
    std::string name;
    for (std::size_t k = from; k + 1 < before.size(); ++k) {
        if (identifier_like(before[k]) && before[k + 1] == "(") {
            name = fmt::format(" of '{}'", before[k]);
        }
    }
    return name;
}

// " of 'name'" for the name right after a keyword (def f, class A), else before the
// parameters.
std::string name_after(const std::vector<std::string_view>& before, std::size_t keyword)
{
    if (keyword + 1 < before.size() && identifier_like(before[keyword + 1])) {
        return fmt::format(" of '{}'", before[keyword + 1]);
    }
    return name_before_parameters(before, keyword + 1);
}

std::string value_brace(Language language, bool statement_start)
{
    switch (language) {
    case Language::python:
        return "dictionary";
    case Language::json:
        return "object";
    case Language::javascript:
    case Language::typescript:
    case Language::tsx:
        return "object literal";
    default:
        return statement_start ? "block" : "initializer";
    }
}

// What a `{` opens: a function, class or control block, or a value.
std::string describe_brace(const View& view, const std::vector<Token>& tokens, std::size_t at)
{
    const std::vector<std::string_view> before = statement_before(view, tokens, at);
    for (std::size_t k = 0; k < before.size(); ++k) {
        if (one_of(k_function_words, before[k])) {
            return "function body" + name_after(before, k);
        }
        if (one_of(k_class_words, before[k])) {
            const bool named = k + 1 < before.size() && identifier_like(before[k + 1]);
            return fmt::format(
                "{} body{}", before[k], named ? fmt::format(" of '{}'", before[k + 1]) : "");
        }
    }
    if (before.empty()) {
        return value_brace(view.language, true);
    }
    if (one_of(k_control_words, before.front())) {
        return fmt::format("'{}' block", before.front());
    }
    // A method in C, C++, Java or C#: int total(int x) {
    if (const std::string name = name_before_parameters(before, 0);
        before.back() == ")" && !name.empty()) {
        return "function body" + name;
    }
    if (before.back() == "=>") {
        return "arrow function body";
    }
    constexpr std::string_view k_value_before[] = {"=", ":", "(", ",", "[", "return", "?"};
    if (one_of(k_value_before, before.back())) {
        return value_brace(view.language, false);
    }
    return "block";
}

std::string describe_opener(const View& view, const std::vector<Token>& tokens, std::size_t at)
{
    const char bracket = tokens[at].text.back();
    if (bracket == '{') {
        return describe_brace(view, tokens, at);
    }
    if (bracket == '[') {
        return view.language == Language::python ? "list" : "array";
    }
    const std::string_view previous = at > 0 ? tokens[at - 1].text : std::string_view{};
    const std::string_view keyword = at > 1 ? tokens[at - 2].text : std::string_view{};
    if (identifier_like(previous) && !one_of(k_control_words, previous)) {
        if (one_of(k_function_words, keyword)) {
            return fmt::format("parameter list of '{}'", previous);
        }
        return fmt::format("call to '{}'", previous);
    }
    if (one_of(k_control_words, previous)) {
        return fmt::format("'{}' condition", previous);
    }
    return "parenthesis";
}

// Tokens after which a statement cannot end: operators, separators and keywords that
// want more.
bool wants_more(const Token& token)
{
    if (ts_node_is_named(token.node)) {
        return false;
    }
    const std::string_view text = token.text;
    constexpr std::string_view k_enders[] = {
        ")",     "]",        "}",      ";",    "end",   "fi",   "done", "esac", "pass",
        "break", "continue", "return", "true", "false", "null", "None", "True", "False",
        "self",  "this",     "nil",    "...",  "++",    "--",   "?",    "!",    "*"};
    return std::find(std::begin(k_enders), std::end(k_enders), text) == std::end(k_enders);
}

// The words that start a Python statement with a block.
constexpr std::string_view k_python_block_words[] = {"if",
                                                     "elif",
                                                     "else",
                                                     "for",
                                                     "while",
                                                     "try",
                                                     "except",
                                                     "finally",
                                                     "with",
                                                     "def",
                                                     "class",
                                                     "async",
                                                     "match",
                                                     "case"};

// Python: the file ends right after the colon of a compound statement whose body is
// missing ("def f():" as the last line).
std::optional<Artefact> empty_python_block(const View& view, const std::vector<Token>& tokens)
{
    if (view.language != Language::python || tokens.empty()) {
        return std::nullopt;
    }
    std::size_t last = tokens.size();
    while (last > 0 && tokens[last - 1].missing) {
        --last;
    }
    if (last == 0 || tokens[last - 1].text != ":") {
        return std::nullopt;
    }
    const TSNode statement = ts_node_parent(tokens[last - 1].node);
    if (ts_node_is_null(statement)) {
        return std::nullopt;
    }
    const std::string_view type = ts_node_type(statement);
    const std::string_view first = view.tree.node_text(ts_node_child(statement, 0));
    // Only a compound statement opens a block: `Explanation:` or `foo.bar:` as the last
    // line is not a block header but a line CPython refuses as it stands.
    if (ts_node_is_error(statement) && !one_of(k_python_block_words, first)) {
        return std::nullopt;
    }
    const TSNode name = ts_node_child_by_field_id(statement, view.roles.name_field());
    std::string what;
    if (type == "function_definition" && !ts_node_is_null(name)) {
        what = fmt::format("function '{}'", view.tree.node_text(name));
    } else if (type == "class_definition" && !ts_node_is_null(name)) {
        what = fmt::format("class '{}'", view.tree.node_text(name));
    } else {
        what = fmt::format("'{}' statement", core::quote_for_message(first, 20));
    }
    const std::size_t start = ts_node_start_byte(statement);
    return Artefact{k_truncated_rule,
                    fmt::format("file ends before the body of {} on line {} (truncated reply?)",
                                what,
                                line_number(view, start)),
                    start,
                    view.lines[line_of(view.lines, start)].end};
}

// A block comment that nothing closes, opened inside an ERROR that reaches the end: a
// grammar that cannot lex the unclosed comment reads its `/**` as stray tokens deep
// inside the error (a Javadoc cut off in the middle of a class).
std::optional<std::size_t> unclosed_block_comment(const View& view,
                                                  const std::vector<TSNode>& errors)
{
    const Language language = view.language;
    if (language == Language::python || language == Language::ruby || language == Language::bash
        || language == Language::yaml || language == Language::json) {
        return std::nullopt;
    }
    const std::size_t open = view.text.rfind("/*");
    if (open == std::string_view::npos || view.text.find("*/", open + 2) != std::string_view::npos
        || enclosing_text_role(view, open, open + 2, Holding::from_start) == Role::literal) {
        return std::nullopt;
    }
    const std::size_t tail = trimmed_end(view.text);
    const bool in_error = std::any_of(errors.begin(), errors.end(), [&](TSNode error) {
        return ts_node_start_byte(error) <= open && ts_node_end_byte(error) >= tail;
    });
    return in_error ? std::optional<std::size_t>(open) : std::nullopt;
}

// A string or comment that an ERROR node opens and nothing closes.
std::optional<Truncation> unterminated_at_end(const View& view, const std::vector<TSNode>& errors)
{
    std::vector<std::size_t> openings;
    for (const TSNode error : errors) {
        TSNode first = error;
        while (ts_node_child_count(first) > 0) {
            first = ts_node_child(first, 0);
        }
        openings.push_back(ts_node_start_byte(error));
        openings.push_back(ts_node_start_byte(first));
    }
    if (const auto comment = unclosed_block_comment(view, errors)) {
        openings.push_back(*comment);
    }
    for (const std::size_t at : openings) {
        if (const auto what = unterminated_literal(view, at)) {
            return Truncation{{k_truncated_rule,
                               fmt::format("file ends inside an unterminated {} starting at "
                                           "line {} (truncated reply?)",
                                           *what,
                                           line_number(view, at)),
                               at,
                               view.lines[line_of(view.lines, at)].end},
                              at,
                              /*in_literal=*/true};
        }
    }
    return std::nullopt;
}

/// The syntax problems that touch the end of the file.
struct EndCluster
{
    std::size_t start = std::string::npos; ///< where the first of them starts
    bool missing = false;                  ///< a token the parser assumed at the end
    std::optional<TSNode> error;           ///< an ERROR node that reaches the end
};

EndCluster end_cluster(const View& view, const std::vector<TSNode>& errors, std::size_t tail)
{
    EndCluster cluster;
    for (const TSNode error : errors) {
        if (ts_node_end_byte(error) >= tail) {
            cluster.start = std::min<std::size_t>(cluster.start, ts_node_start_byte(error));
            cluster.error = error;
        }
    }
    for (const auto& problem : view.problems) {
        if (problem.end_byte >= tail || problem.start_byte >= tail) {
            cluster.start = std::min(cluster.start, problem.start_byte);
            cluster.missing =
                cluster.missing || problem.kind == source::SyntaxProblem::Kind::missing;
        }
    }
    return cluster;
}

// What the end of the file leaves unfinished: the outermost open bracket, a Python
// block without a body, or a statement that wants more.
std::optional<Artefact>
unfinished_construct(const View& view, const EndCluster& cluster, std::size_t tail)
{
    const std::vector<Token> tokens = tokens_of(view);
    const std::vector<std::size_t> open = open_brackets(tokens, tail);
    if (!open.empty()) {
        const Token& opener = tokens[open.front()];
        const std::size_t start = ts_node_start_byte(opener.node);
        return Artefact{k_truncated_rule,
                        fmt::format("file ends inside an unclosed {} starting at line {} "
                                    "(truncated reply?)",
                                    describe_opener(view, tokens, open.front()),
                                    line_number(view, start)),
                        start,
                        ts_node_end_byte(opener.node)};
    }
    if (auto block = empty_python_block(view, tokens)) {
        return block;
    }
    const auto last =
        std::find_if(tokens.rbegin(), tokens.rend(), [](const Token& t) { return !t.missing; });
    const bool unfinished = last != tokens.rend() && cluster.error
                            && ts_node_end_byte(last->node) <= ts_node_end_byte(*cluster.error)
                            && wants_more(*last);
    if (!cluster.missing && !unfinished) {
        return std::nullopt;
    }
    return Artefact{k_truncated_rule,
                    fmt::format("file ends inside an unfinished statement starting at line {} "
                                "(truncated reply?)",
                                line_number(view, cluster.start)),
                    cluster.start,
                    std::max(cluster.start, view.lines[line_of(view.lines, cluster.start)].end)};
}

} // namespace

std::optional<Truncation> find_truncation(const View& view)
{
    const std::size_t tail = trimmed_end(view.text);
    if (tail == 0 || view.problems.empty()) {
        return std::nullopt;
    }
    std::vector<TSNode> errors;
    walk_tree(view.tree.root(), [&](TSNode node) {
        if (ts_node_is_error(node)) {
            errors.push_back(node);
            return false;
        }
        return ts_node_has_error(node);
    });
    if (auto literal = unterminated_at_end(view, errors)) {
        return literal;
    }
    const EndCluster cluster = end_cluster(view, errors, tail);
    if (cluster.start == std::string::npos) {
        return std::nullopt;
    }
    auto construct = unfinished_construct(view, cluster, tail);
    if (!construct) {
        return std::nullopt;
    }
    return Truncation{std::move(*construct), cluster.start};
}

} // namespace aiops::validate::artefacts
