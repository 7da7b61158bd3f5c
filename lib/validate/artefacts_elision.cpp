// Code a model left out and marked as left out: "// ... existing code ...",
// "# rest of the implementation", a bare `...` line, Python's `...` among statements.

#include "core/strings.hpp"
#include "validate/artefacts.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>

namespace aiops::validate::artefacts {

namespace {

using source::Language;

// The phrases that say code was left out, from their pieces: what was left out
// ("code", "methods"), whose ("the", "your"), which ("existing", "other") and in
// what state ("unchanged", "here", "omitted for brevity").
struct Phrases
{
    RE2 plain;  ///< a whole comment without an ellipsis: "existing code unchanged"
    RE2 strong; ///< with an ellipsis or in brackets: "... other methods ...", "(same as before)"
    RE2 marked; ///< with an ellipsis or in brackets, a word is enough: "... code ..."
    RE2 state;  ///< a state alone: "unchanged", "as before"

    static std::string plain_pattern();
    static std::string strong_pattern();
    static std::string marked_pattern();

    Phrases();
};

constexpr std::string_view k_what =
    "(?:code|codes|file|class|classes|function|functions|method|methods|implementation|"
    "implementations|module|program|script|logic|component|components|tests?|propert(?:y|ies)|"
    "fields?|handlers?|routes?|endpoints?|config|configuration|body|setup|imports?|page|"
    "template|markup|html|styles?|css|steps?|cases?|content|contents|members?|lines?|"
    "statements?|definitions?|declarations?|helpers?|utilities|utils|validation|codebase|app|"
    "application|loop|block|section|parts?|stuff|things|details|examples?|commands?|options?|"
    "settings|rules?|types?|models?|views?|actions?|reducers?|hooks?|state|props|schemas?|"
    "queries|query|migrations?|operations?|items?|entries|values|arguments|params|parameters|"
    "getters?|setters?|accessors?|constructors?|error handling|errors?)";
// One thing left out, or two: "getters and setters".
const std::string k_what_list =
    std::string(k_what) + "(?: (?:and|or|&) " + std::string(k_what) + ")?";
constexpr std::string_view k_rest_what =
    "(?:code|implementation|methods|functions|logic|imports|routes|handlers|endpoints|tests|"
    "test cases|fields|properties|members|helpers|config|configuration|setup|body|class|"
    "function|method|module|file|component|program|script)";
constexpr std::string_view k_existing_what =
    "(?:code|implementation|methods|functions|logic|imports|routes|handlers|endpoints|tests|"
    "test cases|fields|properties|members|helpers|configuration|setup)";
constexpr std::string_view k_owner = "(?:(?:the|this|that|your|my|our|its) )?";
constexpr std::string_view k_which =
    "(?:existing|previous|original|other|remaining|additional|more|same|unchanged|old|current|"
    "similar|further|prior|earlier|omitted|elided|skipped)";
constexpr std::string_view k_state =
    "(?:unchanged|(?:remains?|stays?|is|are|kept|left|goes|go) ?(?:unchanged|the same|as "
    "(?:is|before|it was|they were)|here|below|there)?|the same|as before|as is|omitted|elided|"
    "skipped|not shown|(?:omitted |removed |skipped |elided )?for brevity|here|below|above|"
    "follows?|continues?|truncated|abbreviated|as previously|from before|from above|"
    "(?:is )?same as before|not changed|unmodified|untouched)";
// The states a comment without an ellipsis may give: "below" and "above" would make
// section titles ("more tests below") markers.
constexpr std::string_view k_plain_state =
    "(?:unchanged|(?:remains?|stays?|is|are|kept|left) (?:unchanged|the same|as (?:is|before))|"
    "(?:remains?|stays?) the same|the same|as before|as is|omitted|elided|skipped|not shown|"
    "(?:omitted |removed |skipped |elided )?for brevity|(?:goes |go )?here|not changed|"
    "unmodified|untouched)";
constexpr std::string_view k_same_as =
    "same as (?:before|above|earlier|original|the original|previous(?:ly)?|the previous(?: "
    "\\w+)?|in the original|existing|the existing \\w+|yours?|your original|the current \\w+)";
constexpr std::string_view k_omitted =
    "(?:(?:code|implementation|details?|logic|body|content|rest) (?:omitted|elided|skipped|"
    "truncated|not shown|abbreviated|left out))";
constexpr std::string_view k_verb = "(?:(?:keep|leave|include|insert|add|paste|copy) )?";

std::string Phrases::plain_pattern()
{
    // Without an ellipsis, only what code is made of counts ("existing file" is about a
    // file), and only with no word between ("the rest of the propagation tests").
    const std::string owner(k_owner);
    const std::string state(k_plain_state);
    // "same as before" and "keep the rest as is" stand for code whatever they are next
    // to; no comment in large code bases says only that about the code it precedes.
    const std::string rest_as_is = "(?:the )?rest(?: of " + owner + std::string(k_rest_what)
                                   + ")? (?:as is|as it is|as before|unchanged|is unchanged|"
                                     "(?:stays|remains) the same|the same)";
    const std::string left_out =
        k_what_list + " (?:omitted|elided|not shown|left out)(?: for brevity)?";
    return "^" + std::string(k_verb) + "(?:" + owner + "rest of " + owner + std::string(k_rest_what)
           + "(?: " + state + ")?|(?:existing|previous|original|unchanged|omitted|elided) "
           + std::string(k_existing_what) + "(?: " + state + ")?|" + std::string(k_which)
           + " (?:\\w+ )?" + std::string(k_what) + " " + state + "|" + std::string(k_omitted)
           + "(?: for brevity)?|(?:the )?" + std::string(k_same_as) + "|" + rest_as_is + "|"
           + left_out + ")$";
}

std::string Phrases::strong_pattern()
{
    const std::string& what = k_what_list;
    const std::string rest =
        "(?:the )?rest(?: of " + std::string(k_owner) + "(?:\\w+ )?" + what + ")?";
    const std::string other = std::string(k_which) + " (?:\\w+ )?" + what;
    const std::string state(k_state);
    return "^" + std::string(k_verb) + "(?:" + rest + "|" + other + "|" + std::string(k_same_as)
           + "|" + std::string(k_omitted) + "|(?:" + rest + "|" + other + "|" + std::string(k_owner)
           + "(?:\\w+ )?" + what + ") " + state + ")$";
}

std::string Phrases::marked_pattern()
{
    return "^(?:" + k_what_list + "|" + std::string(k_state) + "|snip|snipped|etc|and so on)$";
}

Phrases::Phrases()
    : plain(plain_pattern()), strong(strong_pattern()), marked(marked_pattern()),
      state(std::string(k_state))
{}

const Phrases& phrases()
{
    static const Phrases compiled;
    return compiled;
}

/// What an elision marker looks like.
enum class Marker
{
    none,
    bare,   ///< only an ellipsis, or a few words between two: "... code ...", "(unchanged)"
    phrase, ///< words that say code was left out, marked by an ellipsis or brackets
    plain,  ///< such words without an ellipsis or brackets: "existing code unchanged"
};

bool is_ellipsis_at(std::string_view text, std::size_t at, std::size_t& length)
{
    if (text.substr(at).starts_with("...")) {
        length = text.find_first_not_of('.', at) == std::string_view::npos
                     ? text.size() - at
                     : text.find_first_not_of('.', at) - at;
        return true;
    }
    if (text.substr(at).starts_with("\xE2\x80\xA6")) { // U+2026 HORIZONTAL ELLIPSIS
        length = 3;
        return true;
    }
    return false;
}

// Lower case, white space collapsed, enclosing brackets taken off and ellipses removed
// (noting where they were).
struct Normalised
{
    std::string words;
    bool ellipsis_at_edge = false;
    bool ellipsis_before = false; ///< "... code" (with ellipsis_after: "... code ...")
    bool ellipsis_after = false;
    bool ellipsis_inside = false;
    bool bracketed = false;
    bool code_punctuation = false; ///< brackets, braces or operators inside: code, not a marker
};

// The length of an ellipsis (a run of three or more dots, or U+2026) that ends the text.
std::size_t trailing_ellipsis(std::string_view text)
{
    if (text.ends_with("\xE2\x80\xA6")) {
        return 3;
    }
    const std::size_t dots = text.size() - (text.find_last_not_of('.') + 1);
    return dots >= 3 ? dots : 0;
}

// Takes enclosing brackets and edge ellipses off, in any nesting: "(...)",
// "... (unchanged) ...", "<rest of code>".
void strip_edges(std::string& text, Normalised& out)
{
    for (bool again = true; again && !text.empty();) {
        again = false;
        const char open = text.front();
        const char close = text.back();
        std::size_t length = 0;
        if (text.size() >= 2
            && ((open == '<' && close == '>') || (open == '[' && close == ']')
                || (open == '(' && close == ')') || (open == '{' && close == '}'))) {
            text = std::string(core::trim(std::string_view(text).substr(1, text.size() - 2)));
            out.bracketed = again = true;
        } else if (is_ellipsis_at(text, 0, length)) {
            text = std::string(core::trim(std::string_view(text).substr(length)));
            out.ellipsis_before = again = true;
        } else if (const std::size_t tail = trailing_ellipsis(text); tail > 0) {
            text = std::string(core::trim(std::string_view(text).substr(0, text.size() - tail)));
            out.ellipsis_after = again = true;
        }
    }
    out.ellipsis_at_edge = out.ellipsis_before || out.ellipsis_after;
}

Normalised normalise(std::string_view body)
{
    Normalised out;
    std::string text = core::to_lower(core::normalise_whitespace(body));
    strip_edges(text, out);
    std::string words;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t length = 0;
        if (is_ellipsis_at(text, i, length)) {
            out.ellipsis_inside = true;
            words += ' ';
            i += length;
            continue;
        }
        out.code_punctuation =
            out.code_punctuation
            || std::string_view("(){}[];=<>").find(text[i]) != std::string_view::npos;
        words += text[i++];
    }
    // A list in brackets after a phrase of several words names what was left out:
    // "rest of the functions (pop, find, free)"; after one word it is code: "f(a, b)".
    if (const std::size_t open = words.find('('); open != std::string::npos && open > 0) {
        const std::size_t close = words.find(')', open);
        const std::string_view before = core::trim(std::string_view(words).substr(0, open));
        if (close != std::string::npos && before.find(' ') != std::string_view::npos) {
            words.erase(open, close + 1 - open);
        }
    }
    // Punctuation around the words is noise: "existing code unchanged." "(rest)".
    std::string cleaned;
    for (const char c : words) {
        cleaned +=
            std::string_view("()[]<>{}:;,.!*-_=\"'`").find(c) == std::string_view::npos ? c : ' ';
    }
    out.words = core::normalise_whitespace(cleaned);
    return out;
}

// Whether the text of a comment (without its delimiters) or of a line marks elided
// code.
// A few words between two ellipses ("... handle errors ...", "... your code here ...")
// stand for code; words that continue a sentence of the comment above ("...and so
// on...", "...or r...") do not.
bool between_ellipses(const Normalised& text)
{
    if (!text.ellipsis_before || !text.ellipsis_after || text.code_punctuation
        || text.ellipsis_inside || text.bracketed) {
        return false;
    }
    const std::vector<std::string> words = core::split(text.words, ' ');
    constexpr std::string_view k_continuations[] = {
        "and", "or",   "but",  "plus", "with", "without", "then",  "so", "which", "that", "to",
        "of",  "in",   "for",  "if",   "when", "where",   "while", "as", "by",    "near", "at",
        "on",  "from", "than", "is",   "are",  "was",     "the",   "a",  "an"};
    return words.size() <= 4 && !words.empty()
           && std::find(std::begin(k_continuations), std::end(k_continuations), words.front())
                  == std::end(k_continuations)
           && std::all_of(words.begin(), words.end(), [](const std::string& word) {
                  return word.size() >= 2 && std::all_of(word.begin(), word.end(), [](char c) {
                             return std::isalpha(static_cast<unsigned char>(c)) != 0;
                         });
              });
}

Marker elision_marker(std::string_view body)
{
    const Normalised text = normalise(body);
    const bool marked = text.ellipsis_at_edge || text.bracketed;
    if (text.words.empty()) {
        return text.ellipsis_at_edge || text.ellipsis_inside ? Marker::bare : Marker::none;
    }
    if (std::count(text.words.begin(), text.words.end(), ' ') > 9) {
        return Marker::none;
    }
    if (RE2::FullMatch(text.words, phrases().plain)) {
        return marked ? Marker::phrase : Marker::plain;
    }
    if (marked && RE2::FullMatch(text.words, phrases().strong)) {
        return Marker::phrase;
    }
    if (between_ellipses(text)) {
        return Marker::bare;
    }
    // "... code ...", "[snip]", "(unchanged)": as weak as a bare ellipsis, and never among
    // code. A word in brackets alone ("[module]") is a note, not a marker; a state in
    // brackets is one.
    const bool weak = text.ellipsis_at_edge || text.words == "snip" || text.words == "snipped"
                      || text.words == "unchanged"
                      || (text.bracketed && RE2::FullMatch(text.words, phrases().state));
    return weak && !text.code_punctuation && RE2::FullMatch(text.words, phrases().marked)
               ? Marker::bare
               : Marker::none;
}

// The text of a comment without its delimiters: //, ///, //!, #, --, ;, /* */, <!-- -->,
// and the leading stars of block comment lines.
std::string comment_body(std::string_view comment)
{
    comment = core::trim(comment);
    for (std::string_view open : {"<!--", "/**", "/*!", "/*", "///", "//!", "//", "#", "--", ";"}) {
        if (comment.starts_with(open)) {
            comment.remove_prefix(open.size());
            break;
        }
    }
    for (std::string_view close : {"-->", "*/"}) {
        if (comment.ends_with(close)) {
            comment.remove_suffix(close.size());
            break;
        }
    }
    std::string body;
    for (const std::string& line : core::split(comment, '\n')) {
        std::string_view text = core::trim(line);
        while (text.starts_with('*')) {
            text = core::trim(text.substr(1));
        }
        if (!text.empty()) {
            body += body.empty() ? "" : "\n";
            body += text;
        }
    }
    return body;
}

bool is_blank(std::string_view text)
{
    return core::trim(text).empty();
}

// Whether the comment is alone on its line, and whether a line next to it is also a
// comment on its own (then a bare `...` belongs to a comment block, such as a table).
struct CommentPlace
{
    bool own_line = false;
    bool in_block = false;
};

bool own_line_comment(const View& view, std::size_t line)
{
    if (line >= view.lines.size()) {
        return false;
    }
    const Line& l = view.lines[line];
    const std::string_view text = core::trim(view.text.substr(l.start, l.end - l.start));
    if (text.empty()) {
        return false;
    }
    const std::size_t at = view.text.find(text.front(), l.start);
    const auto role = enclosing_text_role(view, at, at + 1);
    return role == Role::comment;
}

CommentPlace place_of(const View& view, TSNode comment)
{
    const std::size_t start = ts_node_start_byte(comment);
    const std::size_t end = ts_node_end_byte(comment);
    const std::size_t first = line_of(view.lines, start);
    const std::size_t last = line_of(view.lines, end == start ? end : end - 1);
    CommentPlace place;
    place.own_line =
        is_blank(view.text.substr(view.lines[first].start, start - view.lines[first].start))
        && is_blank(
            view.text.substr(end, view.lines[last].end - std::min(end, view.lines[last].end)));
    place.in_block =
        (first > 0 && own_line_comment(view, first - 1)) || own_line_comment(view, last + 1);
    return place;
}

std::string elided_comment_message(std::string_view comment)
{
    return fmt::format("code elided: comment '{}'", excerpt(comment));
}

// Comments of HTML text outside the PHP tags: <!-- ... rest of the page ... -->.
void find_html_comments(const View& view, TSNode text, std::vector<Artefact>& out)
{
    const std::size_t start = ts_node_start_byte(text);
    const std::string_view body = view.tree.node_text(text);
    for (std::size_t at = body.find("<!--"); at != std::string_view::npos;
         at = body.find("<!--", at + 4)) {
        const std::size_t close = body.find("-->", at + 4);
        if (close == std::string_view::npos) {
            break;
        }
        const std::string_view comment = body.substr(at, close + 3 - at);
        if (const Marker marker = elision_marker(comment_body(comment));
            marker == Marker::phrase || marker == Marker::plain) {
            out.push_back(
                {k_elided_rule, elided_comment_message(comment), start + at, start + close + 3});
        }
    }
}

// Python's `...` as one statement among others of a block: code was cut out there.
// Alone, it is a stub's body (a placeholder, or a Protocol's member).
void find_python_ellipsis(const View& view, TSNode ellipsis, std::vector<Artefact>& out)
{
    const TSNode statement = ts_node_parent(ellipsis);
    if (ts_node_is_null(statement)
        || std::string_view(ts_node_type(statement)) != "expression_statement"
        || ts_node_end_byte(statement) - ts_node_start_byte(statement) != 3) {
        return;
    }
    const TSNode block = ts_node_parent(statement);
    if (ts_node_is_null(block)) {
        return;
    }
    // Count the statements, leaving out comments and a docstring.
    std::size_t statements = 0;
    const uint32_t count = ts_node_named_child_count(block);
    for (uint32_t i = 0; i < count && statements < 2; ++i) {
        const TSNode child = ts_node_named_child(block, i);
        const bool docstring = statements == 0 && i < 2
                               && std::string_view(ts_node_type(child)) == "expression_statement"
                               && ts_node_named_child_count(child) == 1
                               && view.roles.of(ts_node_named_child(child, 0)) == Role::literal;
        statements += view.roles.of(child) != Role::comment && !docstring ? 1 : 0;
    }
    if (statements >= 2) {
        out.push_back({k_elided_rule,
                       "code elided: '...' stands among the statements of this block",
                       ts_node_start_byte(statement),
                       ts_node_end_byte(statement)});
    }
}

// A line that starts with a keyword of a declaration or statement is code, whatever
// words follow: `class Unchanged(Base): ...` declares a class.
bool starts_declaration(std::string_view line)
{
    constexpr std::string_view k_keywords[] = {
        "class",  "def",    "async",   "function",  "interface", "struct",  "enum",  "type",
        "fn",     "func",   "let",     "const",     "var",       "return",  "yield", "case",
        "export", "public", "private", "protected", "static",    "abstract"};
    const std::string_view first = line.substr(0, line.find_first_of(" \t("));
    return std::find(std::begin(k_keywords), std::end(k_keywords), first) != std::end(k_keywords);
}

// A `...` alone on its line that the grammar takes as a spread of what follows on the
// next line (`{ port: 8080,\n ...\n logLevel: "info" }`), where that breaks the
// syntax on the next line only.
bool opens_broken_spread(const View& view, std::size_t at)
{
    if (view.language != Language::javascript && view.language != Language::typescript
        && view.language != Language::tsx) {
        return false;
    }
    const TSNode token = ts_node_descendant_for_byte_range(
        view.tree.root(), static_cast<uint32_t>(at), static_cast<uint32_t>(at + 3));
    if (ts_node_is_null(token) || ts_node_start_byte(token) != at) {
        return false;
    }
    const TSNode spread = ts_node_parent(token);
    return !ts_node_is_null(spread) && ts_node_has_error(spread)
           && std::string_view(ts_node_type(spread)).starts_with("spread");
}

// The next line after a comment is a comment with a link: the comment says where the
// code below came from ("// original code" over a URL), not that code was left out.
bool credits_a_source(const View& view, TSNode comment)
{
    const std::size_t next = line_of(view.lines, ts_node_end_byte(comment)) + 1;
    if (next >= view.lines.size()) {
        return false;
    }
    const Line& line = view.lines[next];
    const std::string_view text = view.text.substr(line.start, line.end - line.start);
    return own_line_comment(view, next)
           && (text.find("http://") != std::string_view::npos
               || text.find("https://") != std::string_view::npos);
}

// A comment after a statement that is only a placeholder (`pass  # same as before`,
// `{} // ... unchanged ...`): it tells what the statement stands for.
bool after_placeholder(const View& view, TSNode comment)
{
    const std::size_t start = ts_node_start_byte(comment);
    const Line& line = view.lines[line_of(view.lines, start)];
    const std::string_view before = core::trim(view.text.substr(line.start, start - line.start));
    return before == "pass" || before == "..." || before == "{}" || before == "{ }"
           || before == ";";
}

} // namespace

std::vector<Artefact> find_elided_lines(const View& view)
{
    std::vector<Artefact> out;
    if (view.language == Language::json || view.language == Language::yaml) {
        return out;
    }
    // The lines with an ellipsis, and those that start with a bracket
    // ("<rest of implementation>", "(same as before)").
    std::vector<std::size_t> candidates =
        lines_containing(view.text, view.lines, {"...", "\xE2\x80\xA6"});
    for (std::size_t i = 0; i < view.lines.size(); ++i) {
        std::size_t at = view.lines[i].start;
        while (at < view.lines[i].end && (view.text[at] == ' ' || view.text[at] == '\t')) {
            ++at;
        }
        if (at < view.lines[i].end
            && (view.text[at] == '<' || view.text[at] == '[' || view.text[at] == '(')) {
            candidates.push_back(i);
        }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::optional<ErrorSpans> errors;
    for (const std::size_t index : candidates) {
        const Line& line = view.lines[index];
        const std::string_view text =
            core::trim(view.text.substr(line.start, line.end - line.start));
        std::string_view body = text;
        while (!body.empty() && (body.back() == ';' || body.back() == ',')) {
            body.remove_suffix(1);
        }
        // `...rest` is a spread or a variadic parameter, not a marker.
        const bool spread = body.starts_with("...") && body.size() > 3
                            && (std::isalpha(static_cast<unsigned char>(body[3])) != 0
                                || body[3] == '_' || body[3] == '$');
        const Marker marker = spread ? Marker::none : elision_marker(body);
        if (marker == Marker::none
            || enclosing_text_role(view, line.start, line.end, Holding::from_start)) {
            continue;
        }
        if (!errors) {
            errors.emplace(view);
        }
        // A bare `...` may be code (Python's Ellipsis); words never are, even where the
        // grammar finds a way to read them ("(same as before)" as a Python pattern),
        // unless they start a declaration that parses (`class Continue(Base): ...`).
        const bool breaks = errors->overlaps(line.start, line.end)
                            || opens_broken_spread(view, view.text.find(text.front(), line.start));
        const bool words = marker == Marker::phrase || marker == Marker::plain;
        if (breaks || (words && !starts_declaration(body))) {
            const std::size_t start = view.text.find(text.front(), line.start);
            out.push_back(
                {k_elided_rule,
                 fmt::format("code elided: '{}' stands where code was left out", excerpt(text)),
                 start,
                 line.end});
        }
    }
    return out;
}

std::vector<Artefact> find_elided_code(const View& view, const Inventory& inventory)
{
    std::vector<Artefact> out;
    for (const TSNode comment : inventory.comments) {
        const std::string_view text = view.tree.node_text(comment);
        const Marker marker = elision_marker(comment_body(text));
        bool elided = marker == Marker::phrase
                      || (marker == Marker::plain && !credits_a_source(view, comment));
        if (marker == Marker::bare) {
            const CommentPlace place = place_of(view, comment);
            elided = (place.own_line && !place.in_block) || after_placeholder(view, comment);
        }
        if (elided) {
            out.push_back({k_elided_rule,
                           elided_comment_message(text),
                           ts_node_start_byte(comment),
                           ts_node_end_byte(comment)});
        }
    }
    for (const TSNode text : inventory.html_texts) {
        find_html_comments(view, text, out);
    }
    if (!view.path.ends_with(".pyi")) {
        for (const TSNode ellipsis : inventory.ellipses) {
            find_python_ellipsis(view, ellipsis, out);
        }
    }
    return out;
}

} // namespace aiops::validate::artefacts
