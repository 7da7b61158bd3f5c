// Markdown left in a source file: code fences, and the prose a model writes around
// its code ("Here is the updated file:", "Let me know if...").

#include "core/strings.hpp"
#include "validate/artefacts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace aiops::validate::artefacts {

namespace {

using source::Language;

struct Fence
{
    char marker = '`';
    std::size_t run = 0;
};

bool is_info_char(unsigned char c)
{
    return std::isalnum(c) != 0
           || std::string_view("_+#.-/{}=:\"'").find(static_cast<char>(c))
                  != std::string_view::npos;
}

// A CommonMark fence: three or more backticks or tildes, then an optional info string
// ("python", "ts path=app/x.ts", "{.rust}"), which for backticks holds no backtick.
// The info string's first word must look like a language or a path, so code such as
// `~~~x;` is no fence.
std::optional<Fence> parse_fence(std::string_view line)
{
    line = core::trim(line);
    if (line.size() < 3 || (line[0] != '`' && line[0] != '~')) {
        return std::nullopt;
    }
    const char marker = line[0];
    std::size_t run = 0;
    while (run < line.size() && line[run] == marker) {
        ++run;
    }
    if (run < 3) {
        return std::nullopt;
    }
    const std::string_view info = core::trim(line.substr(run));
    if (marker == '`' && info.find('`') != std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view word = info.substr(0, std::min(info.find(' '), info.find('\t')));
    if (!std::all_of(word.begin(), word.end(), [](char c) {
            return is_info_char(static_cast<unsigned char>(c));
        })) {
        return std::nullopt;
    }
    return Fence{marker, run};
}

} // namespace

std::vector<Artefact> find_fences(const View& view)
{
    struct Candidate
    {
        std::size_t line;
        Fence fence;
    };

    std::vector<Candidate> candidates;
    std::size_t tildes = 0;
    for (const std::size_t i : lines_containing(view.text, view.lines, {"```", "~~~"})) {
        const Line& line = view.lines[i];
        const std::string_view text = view.text.substr(line.start, line.end - line.start);
        const auto fence = parse_fence(text);
        if (!fence || enclosing_text_role(view, line.start, line.end)) {
            continue;
        }
        candidates.push_back({i, *fence});
        tildes += fence->marker == '~' ? 1 : 0;
    }
    std::vector<Artefact> fences;
    if (candidates.empty()) {
        return fences;
    }
    // Backticks outside literals are never code in any of the languages; a lone line
    // of tildes might be, so it counts when it pairs with another or breaks the syntax.
    const std::optional<ErrorSpans> errors =
        tildes == 1 ? std::optional<ErrorSpans>(view) : std::nullopt;
    for (const auto& [index, fence] : candidates) {
        const Line& line = view.lines[index];
        if (fence.marker == '~' && errors && !errors->overlaps(line.start, line.end)) {
            continue;
        }
        const std::string_view text = view.text.substr(line.start, line.end - line.start);
        fences.push_back({k_fence_rule,
                          fmt::format("markdown code fence '{}' left in the file", excerpt(text)),
                          line.start,
                          line.end});
    }
    return fences;
}

namespace {

// English words that carry no meaning of their own: a sentence has some, code has
// few that are not also its keywords.
constexpr std::string_view k_stop_words[] = {
    "a",           "about",   "above",   "added",   "after",     "again",   "all",     "also",
    "am",          "an",      "and",     "another", "any",       "are",     "as",      "at",
    "be",          "because", "been",    "before",  "being",     "below",   "between", "both",
    "but",         "by",      "can",     "changes", "code",      "could",   "did",     "do",
    "does",        "done",    "during",  "each",    "either",    "ensure",  "every",   "example",
    "explanation", "feel",    "few",     "file",    "following", "for",     "free",    "from",
    "function",    "further", "had",     "has",     "have",      "having",  "he",      "help",
    "her",         "here",    "his",     "hope",    "how",       "i",       "if",      "in",
    "into",        "is",      "it",      "its",     "just",      "know",    "let",     "lets",
    "like",        "may",     "me",      "might",   "more",      "most",    "must",    "my",
    "need",        "needs",   "no",      "nor",     "not",       "note",    "now",     "of",
    "on",          "once",    "only",    "or",      "other",     "our",     "over",    "please",
    "same",        "shall",   "she",     "should",  "so",        "some",    "such",    "sure",
    "than",        "thank",   "thanks",  "that",    "the",       "their",   "them",    "then",
    "there",       "these",   "they",    "this",    "those",     "through", "to",      "too",
    "under",       "until",   "updated", "us",      "version",   "very",    "want",    "was",
    "we",          "were",    "what",    "when",    "where",     "whether", "which",   "while",
    "who",         "why",     "will",    "with",    "within",    "without", "would",   "yes",
    "you",         "your",    "yours",
};

// Words that start statements: a line led by one of them in lower case is code.
constexpr std::string_view k_statement_words[] = {
    "abstract", "assert",     "async",    "auto",      "await",    "bool",      "boolean",
    "break",    "case",       "catch",    "cd",        "char",     "class",     "const",
    "continue", "def",        "default",  "defer",     "del",      "delete",    "do",
    "done",     "double",     "echo",     "elif",      "else",     "elsif",     "end",
    "enum",     "esac",       "except",   "exec",      "export",   "extends",   "extern",
    "false",    "fi",         "final",    "finally",   "float",    "fn",        "for",
    "from",     "func",       "function", "global",    "go",       "goto",      "if",
    "impl",     "implements", "import",   "include",   "int",      "interface", "lambda",
    "let",      "local",      "long",     "loop",      "match",    "mod",       "module",
    "mut",      "namespace",  "new",      "nil",       "nonlocal", "null",      "package",
    "pass",     "print",      "private",  "protected", "pub",      "public",    "puts",
    "raise",    "require",    "return",   "select",    "self",     "short",     "static",
    "struct",   "switch",     "then",     "throw",     "trait",    "true",      "try",
    "type",     "typedef",    "unless",   "use",       "using",    "var",       "void",
    "while",    "with",       "yield",    "None",      "True",     "False",
};

// Words only code has: a line with many of them is not prose.
constexpr std::string_view k_code_words[] = {
    "async", "await",    "bool",  "boolean", "const", "def",    "elif",    "elsif",  "enum",
    "esac",  "extern",   "fi",    "fn",      "func",  "impl",   "int",     "lambda", "mut",
    "nil",   "nonlocal", "null",  "pub",     "self",  "struct", "typedef", "typeof", "undefined",
    "var",   "void",     "yield", "None",    "True",  "False",
};

template <std::size_t N> bool one_of(const std::string_view (&words)[N], std::string_view word)
{
    return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

enum class Strength
{
    none,
    weak,   ///< may belong to a paragraph: a markdown heading, a short label
    strong, ///< reads as an English sentence
    very_strong,
};

struct LineScore
{
    Strength strength = Strength::none;
    bool decorated = false; ///< a markdown heading, list item, quote or bold label
    bool heading = false;   ///< a markdown heading or a bold label: "### Usage", "**app.py**"
    bool label = false;     ///< a few words that end with a colon: "Usage:", "**Example usage:**"
};

enum class TokenKind
{
    word,
    neutral, ///< numbers, file names, inline code, CamelCase names
    code,
};

constexpr std::string_view k_trailing_punctuation = ".,:!?)]\"'*_";
constexpr std::string_view k_leading_punctuation = "([\"'*_";

// A token without the punctuation prose puts around words.
std::string_view bare_token(std::string_view token)
{
    if (token == "e.g." || token == "i.e." || token == "etc.") {
        return token;
    }
    while (!token.empty() && k_trailing_punctuation.find(token.back()) != std::string_view::npos) {
        token.remove_suffix(1);
    }
    while (!token.empty() && k_leading_punctuation.find(token.front()) != std::string_view::npos) {
        token.remove_prefix(1);
    }
    return token;
}

bool is_upper(char c)
{
    return std::isupper(static_cast<unsigned char>(c)) != 0;
}

bool is_lower(char c)
{
    return std::islower(static_cast<unsigned char>(c)) != 0;
}

TokenKind classify_token(std::string_view bare)
{
    if (bare.empty() || bare == "`code`") {
        return TokenKind::neutral;
    }
    if (bare == "e.g." || bare == "i.e." || bare == "etc.") {
        return TokenKind::word;
    }
    const bool alphabetic =
        std::isalpha(static_cast<unsigned char>(bare[0])) != 0
        && std::all_of(bare.begin(), bare.end(), [](char c) {
               return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '\'' || c == '-';
           });
    if (alphabetic) {
        // One letter is a word only as "a" or "I"; x, y and i are variables.
        if (bare.size() == 1) {
            return bare == "a" || bare == "A" || bare == "I" ? TokenKind::word : TokenKind::code;
        }
        const bool lower_rest = std::none_of(bare.begin() + 1, bare.end(), is_upper);
        const bool acronym = bare.size() <= 6 && std::none_of(bare.begin(), bare.end(), is_lower);
        return lower_rest || acronym ? TokenKind::word : TokenKind::neutral;
    }
    // Numbers, and names with a dot or a slash (file names, paths, versions).
    const bool number = std::all_of(bare.begin(), bare.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0
               || std::string_view(".,%").find(c) != std::string_view::npos;
    });
    const bool path = bare.find_first_of("./") != std::string_view::npos
                      && std::all_of(bare.begin(), bare.end(), [](char c) {
                             return std::isalnum(static_cast<unsigned char>(c)) != 0
                                    || std::string_view("./-_").find(c) != std::string_view::npos;
                         });
    return number || path ? TokenKind::neutral : TokenKind::code;
}

// Removes markdown decoration at the start of a line: headings, quotes, list markers,
// bold or italic markers.
std::string_view strip_markdown(std::string_view line, bool& decorated, bool& heading)
{
    while (!line.empty()) {
        std::size_t marker = 0;
        if (line[0] == '#') {
            marker = line.find_first_not_of('#');
            heading = true;
        } else if (line[0] == '>') {
            marker = 1;
        } else if (line[0] == '-' || line[0] == '*' || line[0] == '+') {
            marker = line.size() > 1 && line[1] == ' ' ? 1 : 0;
        } else if (std::isdigit(static_cast<unsigned char>(line[0])) != 0) {
            marker = line.find_first_not_of("0123456789");
            marker = marker != std::string_view::npos && marker + 1 < line.size()
                             && (line[marker] == '.' || line[marker] == ')')
                         ? marker + 1
                         : 0;
        }
        if (marker > 0 && marker < line.size() && line[marker] == ' ') {
            line = core::trim(line.substr(marker));
        } else if (line.starts_with("**") || line.starts_with("__")) {
            line = core::trim(line.substr(2));
            heading = true;
        } else {
            break;
        }
        decorated = true;
    }
    return line;
}

// Replaces inline code spans (`x`, ``x``) by one neutral token, so a sentence that
// quotes code still reads as a sentence.
std::string replace_inline_code(std::string_view line)
{
    std::string out;
    for (std::size_t i = 0; i < line.size();) {
        if (line[i] != '`') {
            out += line[i++];
            continue;
        }
        const std::size_t run = line.find_first_not_of('`', i) == std::string_view::npos
                                    ? line.size() - i
                                    : line.find_first_not_of('`', i) - i;
        const std::size_t close = line.find(std::string(run, '`'), i + run);
        if (close == std::string_view::npos) {
            out.append(line.substr(i));
            break;
        }
        out += " `code` ";
        i = close + run;
    }
    return out;
}

bool ends_like_code(std::string_view line)
{
    constexpr std::string_view k_code_ends[] = {
        "{", ";", "=", "(", "[", "\\", "&&", "||", "+", "->", "=>", ","};
    return std::any_of(std::begin(k_code_ends), std::end(k_code_ends), [&](std::string_view end) {
        return line.ends_with(end);
    });
}

// A C-style comment's line: "// x", "/* x", " * x" (not "**bold**").
bool block_comment_line(std::string_view line)
{
    return line.starts_with("//") || line.starts_with("/*") || line == "*" || line.starts_with("* ")
           || line.starts_with("*/");
}

// Whether a line starts like a comment of the language: such a line is not prose even
// where a broken parse did not make it a comment (inside an unterminated block comment,
// after an unbalanced quote).
bool starts_like_comment(std::string_view line, Language language)
{
    switch (language) {
    case Language::python:
    case Language::bash:
    case Language::ruby:
    case Language::yaml:
        return line.starts_with('#');
    case Language::php:
        return line.starts_with('#') || block_comment_line(line);
    default:
        return block_comment_line(line);
    }
}

// A line that names the file the next fence holds: "File: app/main.py", "`app/x.ts`:".
bool file_label(std::string_view line)
{
    for (std::string_view label : {"File:", "file:", "Filename:", "Path:"}) {
        if (line.starts_with(label)) {
            line = core::trim(line.substr(label.size()));
            break;
        }
    }
    while (!line.empty() && (line.back() == ':' || line.back() == '`')) {
        line.remove_suffix(1);
    }
    while (!line.empty() && line.front() == '`') {
        line.remove_prefix(1);
    }
    const std::size_t dot = line.rfind('.');
    return dot != std::string_view::npos && dot > 0 && dot + 1 < line.size()
           && std::all_of(line.begin(), line.end(), [](char c) {
                  return std::isalnum(static_cast<unsigned char>(c)) != 0
                         || std::string_view("./-_").find(c) != std::string_view::npos;
              });
}

// "Usage:", "**Usage:**", "_Output:_": a colon before any closing emphasis.
bool ends_with_colon(std::string_view line)
{
    while (!line.empty() && (line.back() == '*' || line.back() == '_')) {
        line.remove_suffix(1);
    }
    return line.ends_with(':');
}

// How much a line reads like English rather than code.
LineScore score_line(std::string_view raw, Language language)
{
    LineScore score;
    raw = core::trim(raw);
    if (raw.empty() || ends_like_code(raw) || starts_like_comment(raw, language)) {
        return score;
    }
    if (file_label(raw)) {
        return {Strength::weak, true, true};
    }
    const std::string line =
        replace_inline_code(strip_markdown(raw, score.decorated, score.heading));
    std::size_t words = 0;
    std::size_t stops = 0;
    std::size_t code = 0;
    std::size_t code_words = 0;
    std::size_t neutral = 0;
    std::optional<bool> capitalised;
    for (const std::string& token : core::split(core::normalise_whitespace(line), ' ')) {
        const std::string_view bare = bare_token(token);
        const TokenKind kind = classify_token(bare);
        if (!capitalised) {
            // A sentence starts with a capital or with quoted code; a statement with a
            // keyword.
            if (one_of(k_statement_words, bare) && !score.decorated) {
                return score;
            }
            capitalised = bare == "`code`" || (!bare.empty() && is_upper(bare[0]));
        }
        if (kind == TokenKind::word) {
            ++words;
            stops += one_of(k_stop_words, core::to_lower(bare)) ? 1 : 0;
            code_words += one_of(k_code_words, bare) ? 1 : 0;
        } else if (kind == TokenKind::neutral) {
            ++neutral;
        } else {
            ++code;
        }
    }
    const bool upper = capitalised.value_or(false);
    if (words >= 3 && stops >= 1 && code * 5 <= words && code_words * 4 < words
        && (upper || score.decorated)) {
        std::string_view end = raw;
        while (!end.empty() && std::string_view("*)_").find(end.back()) != std::string_view::npos) {
            end.remove_suffix(1);
        }
        const bool punctuated =
            !end.empty() && std::string_view(".:!?").find(end.back()) != std::string_view::npos;
        score.strength = words >= 4 && stops >= 2 && punctuated && upper ? Strength::very_strong
                                                                         : Strength::strong;
        return score;
    }
    const bool label = words == 1 && upper && code == 0 && raw.ends_with(':');
    const bool phrase = words >= 2 && code * 2 <= words && code_words * 2 < words;
    const bool heading = score.decorated && words + neutral >= 1 && code <= words;
    if (label || phrase || heading) {
        score.strength = Strength::weak;
        score.label = words <= 3 && code == 0 && code_words == 0 && (upper || score.decorated)
                      && ends_with_colon(raw);
    }
    return score;
}

struct Paragraph
{
    std::size_t first = 0; ///< line indexes, inclusive
    std::size_t last = 0;
    bool strong = false;
    bool very_strong = false;
    bool markdown = true; ///< every line is a markdown heading or a bold label
    /// A label line ("Usage:", "Example usage:") alone, at which a syntax problem starts:
    /// the heading a model puts over an example, which no code reads as it does.
    bool breaking_label = false;
};

// Languages in which an English sentence may parse as code (a command, a method call,
// HTML outside the PHP tags), so prose at the edges of the file is found by its
// wording alone.
bool prose_may_parse(Language language)
{
    return language == Language::bash || language == Language::ruby || language == Language::php;
}

/// The prose of one view: its lines scored, then gathered into paragraphs and blocks.
class ProseFinder
{
public:
    ProseFinder(const View& view, const std::vector<Artefact>& fences)
        : m_view(view), m_count(view.lines.size()), m_fence(m_count, 0), m_blank(m_count, 0),
          m_problem_starts(m_count, 0), m_scores(m_count)
    {
        for (const auto& problem : view.problems) {
            m_problem_starts[line_of(view.lines, problem.start_byte)] = 1;
        }
        for (const Artefact& fence : fences) {
            m_fence[line_of(view.lines, fence.start)] = 1;
        }
        // The view has the fences blanked; they still separate and border paragraphs.
        for (std::size_t i = 0; i < m_count; ++i) {
            m_blank[i] = core::trim(text_of(i)).empty() && m_fence[i] == 0 ? 1 : 0;
        }
        m_first_text = static_cast<std::size_t>(std::find(m_blank.begin(), m_blank.end(), 0)
                                                - m_blank.begin());
        m_last_text = m_count - 1
                      - static_cast<std::size_t>(std::find(m_blank.rbegin(), m_blank.rend(), 0)
                                                 - m_blank.rbegin());
        m_first_end = m_first_text;
        while (m_first_end < m_count && m_blank[m_first_end] == 0) {
            ++m_first_end;
        }
        m_last_start = m_last_text + 1;
        while (m_last_start > 0 && m_blank[m_last_start - 1] == 0) {
            --m_last_start;
        }
    }

    // Scores the lines (only those of the first and last paragraphs with edges_only);
    // returns whether any may start a block.
    bool score(bool edges_only, bool fenced)
    {
        bool any_text = false;
        for (std::size_t i = 0; i < m_count; ++i) {
            if (m_blank[i] != 0 || m_fence[i] != 0 || (edges_only && !in_edge_paragraph(i))) {
                continue;
            }
            const Line& line = m_view.lines[i];
            m_scores[i] = score_line(text_of(i), m_view.language);
            // Python 3 has no backtick strings, though the grammar reads Python 2's repr.
            const bool backtick =
                m_view.language == Language::python && core::trim(text_of(i)).starts_with('`');
            if (m_scores[i].strength != Strength::none && !backtick
                && enclosing_text_role(m_view, line.start, line.end, Holding::from_start)) {
                m_scores[i] = {};
            }
            any_text = any_text || m_scores[i].strength >= Strength::strong
                       || (m_scores[i].heading && fenced)
                       || (m_scores[i].label && m_problem_starts[i] != 0);
        }
        return any_text;
    }

    std::vector<Artefact> blocks() const
    {
        const std::vector<Paragraph> paragraphs = this->paragraphs();
        const ErrorSpans errors(m_view);
        std::vector<Artefact> prose;
        for (std::size_t i = 0; i < paragraphs.size();) {
            std::size_t last = i;
            while (last + 1 < paragraphs.size()
                   && neighbour(paragraphs[last].last, true) == paragraphs[last + 1].first) {
                ++last;
            }
            if (auto block = merged(paragraphs, i, last); block && keep(*block, errors)) {
                prose.push_back(artefact(*block));
            }
            i = last + 1;
        }
        return prose;
    }

private:
    const View& m_view;
    std::size_t m_count;
    std::vector<char> m_fence;
    std::vector<char> m_blank;
    std::vector<char> m_problem_starts; ///< lines on which a syntax problem starts
    std::vector<LineScore> m_scores;
    std::size_t m_first_text = 0; ///< the first non-blank line
    std::size_t m_last_text = 0;  ///< the last non-blank line
    std::size_t m_first_end = 0;  ///< just after the first paragraph
    std::size_t m_last_start = 0; ///< the start of the last paragraph

    std::string_view text_of(std::size_t i) const
    {
        const Line& line = m_view.lines[i];
        return m_view.text.substr(line.start, line.end - line.start);
    }

    // Whether a line is in the first or the last paragraph of the file.
    bool in_edge_paragraph(std::size_t i) const { return i < m_first_end || i >= m_last_start; }

    // Runs of non-blank lines that each read as text.
    std::vector<Paragraph> paragraphs() const
    {
        std::vector<Paragraph> paragraphs;
        for (std::size_t i = 0; i < m_count; ++i) {
            if (m_blank[i] != 0 || m_scores[i].strength == Strength::none) {
                continue;
            }
            Paragraph paragraph{i, i};
            for (; i < m_count && m_blank[i] == 0 && m_scores[i].strength != Strength::none; ++i) {
                paragraph.last = i;
                paragraph.strong = paragraph.strong || m_scores[i].strength >= Strength::strong;
                paragraph.very_strong =
                    paragraph.very_strong || m_scores[i].strength == Strength::very_strong;
                paragraph.markdown = paragraph.markdown && m_scores[i].heading;
            }
            paragraph.breaking_label = paragraph.first == paragraph.last
                                       && m_scores[paragraph.first].label
                                       && m_problem_starts[paragraph.first] != 0;
            paragraphs.push_back(paragraph);
        }
        return paragraphs;
    }

    // The nearest non-blank line before or after a line.
    std::optional<std::size_t> neighbour(std::size_t from, bool forward) const
    {
        for (std::size_t i = from; forward ? i + 1 < m_count : i > 0;) {
            i = forward ? i + 1 : i - 1;
            if (m_blank[i] == 0) {
                return i;
            }
        }
        return std::nullopt;
    }

    bool next_to_fence(std::size_t first, std::size_t last) const
    {
        const auto before = neighbour(first, false);
        const auto after = neighbour(last, true);
        return (before && m_fence[*before] != 0) || (after && m_fence[*after] != 0);
    }

    // Paragraphs [from, to], separated only by blank lines, as one block. A paragraph
    // without a sentence counts only as markdown (a heading, a file name in bold) next
    // to a fence, and is dropped at the block's ends otherwise.
    std::optional<Paragraph>
    merged(const std::vector<Paragraph>& paragraphs, std::size_t from, std::size_t to) const
    {
        const auto bare_heading = [&](const Paragraph& p) {
            return !p.strong && !p.breaking_label
                   && !(p.markdown && next_to_fence(p.first, p.last));
        };
        while (from <= to && bare_heading(paragraphs[from])) {
            ++from;
        }
        while (to > from && bare_heading(paragraphs[to])) {
            --to;
        }
        if (from > to) {
            return std::nullopt;
        }
        Paragraph block{paragraphs[from].first, paragraphs[to].last};
        for (std::size_t k = from; k <= to; ++k) {
            block.strong = block.strong || paragraphs[k].strong;
            block.very_strong = block.very_strong || paragraphs[k].very_strong;
            block.markdown = block.markdown && paragraphs[k].markdown;
            block.breaking_label = block.breaking_label || paragraphs[k].breaking_label;
        }
        return block;
    }

    // Text next to a fence, text that breaks the syntax, or a label at which the syntax
    // breaks, is prose; where English may parse as code, so is a very plain sentence at
    // the start or end of the file.
    bool keep(const Paragraph& block, const ErrorSpans& errors) const
    {
        const bool fenced = next_to_fence(block.first, block.last);
        const bool at_edge = block.first <= m_first_text || block.last >= m_last_text;
        return (fenced && (block.strong || block.markdown)) || block.breaking_label
               || (block.strong
                   && errors.overlaps(m_view.lines[block.first].start,
                                      m_view.lines[block.last].end))
               || (at_edge && block.very_strong && prose_may_parse(m_view.language));
    }

    Artefact artefact(const Paragraph& block) const
    {
        const std::size_t start = m_view.lines[block.first].start;
        const std::size_t end = m_view.lines[block.last].end;
        const auto lines = static_cast<std::size_t>(
            std::count(m_blank.begin() + static_cast<std::ptrdiff_t>(block.first),
                       m_blank.begin() + static_cast<std::ptrdiff_t>(block.last) + 1,
                       0));
        const std::string quote = excerpt(m_view.text.substr(start, end - start));
        std::string message =
            lines == 1 ? fmt::format("prose left in the file: '{}'", quote)
                       : fmt::format("prose left in the file ({} lines): '{}'", lines, quote);
        return {k_prose_rule, std::move(message), start, end};
    }
};

} // namespace

std::vector<Artefact>
find_prose(const View& view, const std::vector<Artefact>& fences, bool edges_only)
{
    if (core::trim(view.text).empty() || (edges_only && !prose_may_parse(view.language))) {
        return {};
    }
    ProseFinder finder(view, fences);
    if (!finder.score(edges_only, !fences.empty())) {
        return {};
    }
    return finder.blocks();
}

} // namespace aiops::validate::artefacts
