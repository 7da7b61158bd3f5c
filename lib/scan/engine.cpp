#include "scan/engine.hpp"

#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/thread_pool.hpp"
#include "core/utf8.hpp"
#include "rules/pattern.hpp"
#include "rules/pattern_syntax.hpp"
#include "scan/keywords.hpp"
#include "scan/python_names.hpp"
#include "scan/script_names.hpp"
#include "source/grammar.hpp"

#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace aiops::scan {

namespace {

/// What predicates know about a file of a language without import resolution: a
/// name is its own text, literals are read the common way.
class PlainNames : public rules::MatchContext
{
public:
    explicit PlainNames(const source::SyntaxTree& tree) : m_tree(tree) {}

    std::string_view text(TSNode node) const override { return m_tree.node_text(node); }

    std::optional<std::string> qualified_name(TSNode node) const override
    {
        return std::string(m_tree.node_text(node));
    }

    std::optional<bool> literal_truth(TSNode node) const override
    {
        const std::string_view value = m_tree.node_text(node);
        if (value == "true" || value == "True") {
            return true;
        }
        if (value == "false" || value == "False" || value == "null" || value == "nil"
            || value == "None" || value == "0") {
            return false;
        }
        return std::nullopt;
    }

private:
    const source::SyntaxTree& m_tree;
};

/// The strings RE2's prefilter finds an expression needs (lowercase, at least three
/// bytes) and how it combines them: a text that holds none of the right ones, in any
/// case, cannot hold a match, which a lookup of where the strings occur decides
/// without running the expression.
struct RegexAtoms
{
    std::unique_ptr<re2::FilteredRE2> filter;
    std::vector<std::string> atoms;
};

/// A regular expression a node's text must hold a match of, and the bytes every match
/// starts with (found by a plain search before the expression runs).
struct RequiredPattern
{
    const RE2* regex;
    std::string prefix;
    /// The regex only asks for a byte outside ASCII ("[^\x00-\x7f]"), which a plain
    /// byte test decides faster.
    bool non_ascii = false;
    /// What the prefilter asks for; null when it asks for nothing.
    const RegexAtoms* atoms = nullptr;
    std::vector<int> atom_words; ///< atoms->atoms as indexes of words
};

struct Candidate
{
    const rules::Rule* rule;
    const rules::Query* query;
    int focus;   ///< capture index, or -1 for the whole match
    int pattern; ///< the top-level pattern this candidate tries
    /// Words the text of a match must hold: for each #eq? or #any-of? predicate, one of
    /// its strings. Checking them first skips most structural matching.
    std::vector<std::vector<std::string>> required_words;
    /// Regular expressions the text of a match must hold a match of: those of its
    /// #match? predicates, without their anchors and word boundaries.
    std::vector<RequiredPattern> required_patterns;
    /// From a (#qname-match? @x ...) on the child in one field of the pattern's root:
    /// that child's qualified name must match before the structure is matched.
    TSFieldId name_field = 0;
    const RE2* name_pattern = nullptr;
    std::vector<std::vector<int>> word_ids; ///< required_words as indexes of words
    /// Text every qualified name the name pattern accepts holds, which the file must
    /// hold too: a qualified name joins pieces of the file's own text with dots.
    std::string name_literal;
    int name_word = -1; ///< name_literal as an index of words
    /// The name pattern's prefilter. A qualified name joins pieces of the file's text
    /// with dots, so each piece of a string it needs, between dots, is in the file:
    /// by atom, the pieces (at least three bytes) as indexes of words.
    const RegexAtoms* name_atoms = nullptr;
    std::vector<std::vector<int>> name_atom_pieces;
};

// Whether every match of the pattern binds the capture: it is on a node that is not
// under a quantifier, or on every option of an alternation.
bool binds_always(const rules::PatternNode& node, int capture)
{
    if (std::find(node.captures.begin(), node.captures.end(), capture) != node.captures.end()) {
        return true;
    }
    if (node.kind == rules::PatternNode::Kind::alternation) {
        return !node.children.empty()
               && std::all_of(node.children.begin(), node.children.end(), [&](const auto& option) {
                      return binds_always(option, capture);
                  });
    }
    for (const auto& child : node.children) {
        if (child.quantifier == rules::PatternNode::Quantifier::one
            && binds_always(child, capture)) {
            return true;
        }
    }
    return false;
}

bool always_bound(const rules::Query& query, int pattern, int capture)
{
    return binds_always(query.patterns[static_cast<std::size_t>(pattern)], capture);
}

// The predicates every match of one top-level pattern must meet: those written at the
// top level of the query and those written inside that pattern.
std::vector<const rules::Predicate*> predicates_of(const rules::Query& query, int pattern)
{
    std::vector<const rules::Predicate*> out;
    for (const auto& predicate : query.predicates) {
        out.push_back(&predicate);
    }
    for (const auto& predicate : query.pattern_predicates) {
        if (predicate.pattern == pattern) {
            out.push_back(&predicate);
        }
    }
    return out;
}

std::vector<std::vector<std::string>> required_words_of(const rules::Query& query, int pattern)
{
    std::vector<std::vector<std::string>> words;
    for (const rules::Predicate* read : predicates_of(query, pattern)) {
        const rules::Predicate& predicate = *read;
        if (predicate.name != "eq?" && predicate.name != "any-of?") {
            continue;
        }
        std::vector<std::string> options;
        bool literal = true;
        for (std::size_t i = 1; i < predicate.arguments.size(); ++i) {
            literal &= !predicate.arguments[i].is_capture;
            options.push_back(predicate.arguments[i].text);
        }
        // A capture that binds nothing passes its predicate, so only captures every
        // match binds could be required; an empty string is always there.
        const bool usable = literal && !options.empty()
                            && std::none_of(options.begin(),
                                            options.end(),
                                            [](const std::string& o) { return o.empty(); });
        if (usable && always_bound(query, pattern, predicate.arguments[0].capture)) {
            words.push_back(std::move(options));
        }
    }
    return words;
}

// The value of `key` in a cache kept for the life of the process, made by make() the
// first time. Engines are built on several threads: a value is made outside the lock,
// and when two threads make the same one, the first stored wins.
template <typename T, typename Make>
const T* cached(std::mutex& mutex,
                std::map<std::string, std::unique_ptr<T>>& cache,
                const std::string& key,
                Make&& make)
{
    {
        const std::lock_guard<std::mutex> lock(mutex);
        if (const auto found = cache.find(key); found != cache.end()) {
            return found->second.get();
        }
    }
    std::unique_ptr<T> made = make();
    const std::lock_guard<std::mutex> lock(mutex);
    return cache.try_emplace(key, std::move(made)).first->second.get();
}

// A compiled regular expression owned by a cache for the life of the process, or null
// when it does not compile.
const RE2* shared_regex(const std::string& regex)
{
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<RE2>> compiled;
    const RE2* made =
        cached(mutex, compiled, regex, [&] { return std::make_unique<RE2>(regex, RE2::Quiet); });
    return made->ok() ? made : nullptr;
}

// The prefilter of an expression, or null when it asks for no string or for one
// outside ASCII (see regex_atoms).
std::unique_ptr<RegexAtoms> filter_of(const std::string& regex)
{
    constexpr int k_min_atom_length = 3;
    auto atoms = std::make_unique<RegexAtoms>();
    atoms->filter = std::make_unique<re2::FilteredRE2>(k_min_atom_length);
    int id = 0;
    if (atoms->filter->Add(regex, RE2::Quiet, &id) != RE2::NoError) {
        return nullptr;
    }
    atoms->filter->Compile(&atoms->atoms);
    // With no string present, an expression the filter cannot narrow still passes.
    std::vector<int> passed;
    atoms->filter->AllPotentials({}, &passed);
    const bool outside_ascii =
        std::any_of(atoms->atoms.begin(), atoms->atoms.end(), [](const std::string& atom) {
            return std::any_of(atom.begin(), atom.end(), [](char c) {
                return static_cast<unsigned char>(c) >= 0x80;
            });
        });
    if (passed.empty() && !atoms->atoms.empty() && !outside_ascii) {
        return atoms;
    }
    return nullptr;
}

// The prefilter of an expression, owned by a cache for the life of the process; null
// when it asks for no string (a match may hold any text) or for one outside ASCII,
// which the keyword search cannot fold.
const RegexAtoms* regex_atoms(const std::string& regex)
{
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<RegexAtoms>> compiled;
    // Null is kept too, for a regex the filter cannot narrow.
    return cached(mutex, compiled, regex, [&] { return filter_of(regex); });
}

// Whether a prefilter passes when the atoms for which present(i) holds are in the text.
// It is made of ANDs and ORs of its strings: with none present it fails, with all
// present it passes, and in between the filter decides.
template <typename Present> bool prefilter_passes(const RegexAtoms& atoms, Present&& present)
{
    thread_local std::vector<int> found;
    thread_local std::vector<int> passed;
    found.clear();
    for (std::size_t i = 0; i < atoms.atoms.size(); ++i) {
        if (present(i)) {
            found.push_back(static_cast<int>(i));
        }
    }
    if (found.empty() || found.size() == atoms.atoms.size()) {
        return !found.empty();
    }
    atoms.filter->AllPotentials(found, &passed);
    return !passed.empty();
}

// The child of the pattern's root, in a field, that a predicate's capture names on
// every match of the pattern; 0 when there is none.
TSFieldId field_of_capture(const rules::PatternNode& root, int capture)
{
    if (root.kind != rules::PatternNode::Kind::named || root.symbol == 0) {
        return 0;
    }
    for (const auto& child : root.children) {
        const bool captures = std::find(child.captures.begin(), child.captures.end(), capture)
                              != child.captures.end();
        if (child.field != 0 && captures
            && child.quantifier == rules::PatternNode::Quantifier::one) {
            return child.field;
        }
    }
    return 0;
}

// Skips the group or class that starts at regex[i] and returns the index of its last
// character, or npos when it is not closed.
std::size_t end_of_group(std::string_view regex, std::size_t i)
{
    const bool is_class = regex[i] == '[';
    int depth = 0;
    for (std::size_t j = i; j < regex.size(); ++j) {
        const char c = regex[j];
        if (c == '\\') {
            ++j;
        } else if (is_class) {
            // A ']' right after '[' or '[^' is part of the class.
            const bool first = j == i + 1 || (j == i + 2 && regex[i + 1] == '^');
            if (c == ']' && !first) {
                return j;
            }
        } else if (c == '[') {
            j = end_of_group(regex, j);
            if (j == std::string_view::npos) {
                return j;
            }
        } else if (c == '(') {
            ++depth;
        } else if (c == ')' && --depth == 0) {
            return j;
        }
    }
    return std::string_view::npos;
}

// The longest run of plain characters other than '.' that every match of a
// case-sensitive regular expression holds, read from the top level of its text; empty
// when none is certain (an alternation at the top level, a flag, syntax not followed).
std::string mandatory_literal(std::string_view regex)
{
    std::string best;
    std::string run;
    const auto flush = [&] {
        if (run.size() > best.size()) {
            best = run;
        }
        run.clear();
    };
    // Whether a quantifier at regex[i] lets its atom be absent; how long it is.
    const auto quantifier = [&](std::size_t i, bool& optional) -> std::size_t {
        if (i >= regex.size()) {
            return 0;
        }
        std::size_t length = 0;
        const char c = regex[i];
        if (c == '?' || c == '*' || c == '+') {
            optional = c != '+';
            length = 1;
        } else if (c == '{') {
            const std::size_t close = regex.find('}', i);
            if (close == std::string_view::npos) {
                return 0;
            }
            optional = regex[i + 1] == '0' || regex[i + 1] == ',';
            length = close - i + 1;
        }
        if (length > 0 && i + length < regex.size() && regex[i + length] == '?') {
            ++length; // a lazy quantifier
        }
        return length;
    };
    for (std::size_t i = 0; i < regex.size(); ++i) {
        const char c = regex[i];
        if (c == '|'
            || (c == '(' && i + 1 < regex.size() && regex[i + 1] == '?'
                && regex.substr(i, 3) != "(?:")) {
            return {}; // an alternation or a flag changes what is certain
        }
        if (c == '(' || c == '[') {
            flush();
            i = end_of_group(regex, i);
            if (i == std::string_view::npos) {
                return {};
            }
            bool optional = false;
            i += quantifier(i + 1, optional);
            continue;
        }
        std::optional<char> literal;
        if (c == '\\' && i + 1 < regex.size()) {
            const char next = regex[++i];
            if (std::isalnum(static_cast<unsigned char>(next)) == 0 && next != '.') {
                literal = next;
            }
        } else if (std::strchr("^$.)", c) == nullptr) {
            literal = c;
        }
        bool optional = false;
        const std::size_t skip = quantifier(i + 1, optional);
        if (literal && !optional) {
            run += *literal;
        }
        if (!literal || skip > 0) {
            flush(); // a repeated character ends the run after it
        }
        i += skip;
    }
    flush();
    return best;
}

void add_name_pattern(Candidate& candidate)
{
    const rules::PatternNode& root =
        candidate.query->patterns[static_cast<std::size_t>(candidate.pattern)];
    for (const rules::Predicate* read : predicates_of(*candidate.query, candidate.pattern)) {
        const rules::Predicate& predicate = *read;
        if (predicate.name != "qname-match?" || predicate.arguments[1].is_capture) {
            continue;
        }
        const TSFieldId field = field_of_capture(root, predicate.arguments[0].capture);
        const RE2* compiled = nullptr;
        if (field != 0) {
            compiled =
                predicate.regex ? predicate.regex.get() : shared_regex(predicate.arguments[1].text);
        }
        if (compiled != nullptr) {
            candidate.name_field = field;
            candidate.name_pattern = compiled;
            candidate.name_literal = mandatory_literal(predicate.arguments[1].text);
            candidate.name_atoms = regex_atoms(predicate.arguments[1].text);
            return;
        }
    }
}

// The regular expression with its anchors and word-boundary assertions taken out. What
// the original matches in a capture's text, this matches in any text that holds it, so
// it can rule out a node before its structure is matched. Empty (which rules nothing
// out) where taking one out could make it stricter: a repeat on an assertion would move
// to the atom before it, and a quoted literal (\Q...\E) holds no assertion.
std::string without_assertions(std::string_view regex)
{
    if (regex.find("\\Q") != std::string_view::npos) {
        return {};
    }
    const auto repeated = [&](std::size_t next) {
        return next < regex.size() && std::strchr("*+?{", regex[next]) != nullptr;
    };
    std::string out;
    bool in_class = false;
    for (std::size_t i = 0; i < regex.size(); ++i) {
        const char c = regex[i];
        if (c == '\\' && i + 1 < regex.size()) {
            const char next = regex[++i];
            if (!in_class && std::strchr("bBAz", next) != nullptr) {
                if (repeated(i + 1)) {
                    return {};
                }
                continue;
            }
            out += c;
            out += next;
            // A Unicode class by name, \p{^Greek}: its '^' is no anchor.
            if ((next == 'p' || next == 'P') && i + 1 < regex.size() && regex[i + 1] == '{') {
                const std::size_t close = regex.find('}', i + 1);
                if (close == std::string_view::npos) {
                    return {};
                }
                out.append(regex.substr(i + 1, close - i));
                i = close;
            }
            continue;
        }
        if (in_class) {
            in_class = c != ']';
        } else if (c == '[') {
            in_class = true;
            out += c;
            // A ']' or '^]' right after the opening bracket is part of the class.
            if (i + 1 < regex.size() && regex[i + 1] == '^') {
                out += regex[++i];
            }
            if (i + 1 < regex.size() && regex[i + 1] == ']') {
                out += regex[++i];
            }
            continue;
        } else if (c == '^' || c == '$') {
            if (repeated(i + 1)) {
                return {};
            }
            continue;
        }
        out += c;
    }
    return out;
}

// Whether a code pattern binds the metavariable to one node wherever it matches: it
// holds a `$X` (not a `$...X`, which may bind nothing).
bool binds_node(const rules::CodeNode& node, int capture)
{
    if (node.kind == rules::CodeNode::Kind::metavariable) {
        return node.capture == capture;
    }
    return std::any_of(node.children.begin(), node.children.end(), [&](const auto& child) {
        return binds_node(child, capture);
    });
}

std::vector<RequiredPattern> required_patterns_of(const rules::Query& query, int pattern)
{
    // The regular expressions a capture inside every match must hold a match of: the
    // text of the node a match starts at holds that capture's.
    std::vector<std::string> regexes;
    for (const rules::Predicate* read : predicates_of(query, pattern)) {
        const rules::Predicate& predicate = *read;
        if (predicate.name == "match?" && !predicate.arguments[1].is_capture
            && always_bound(query, pattern, predicate.arguments[0].capture)) {
            regexes.push_back(predicate.arguments[1].text);
        }
    }
    if (query.code && static_cast<std::size_t>(pattern) < query.code->alternatives.size()) {
        // A pattern rule's `where` regex on a metavariable of the alternative itself; one
        // bound only by `inside` stands outside the node.
        const rules::CodeNode& root =
            query.code->alternatives[static_cast<std::size_t>(pattern)].pattern;
        for (const auto& condition : query.code->conditions) {
            if (condition.regex && binds_node(root, condition.capture)) {
                regexes.push_back(condition.regex->pattern());
            }
        }
    }
    std::vector<RequiredPattern> patterns;
    // Rules and their patterns share expressions: each is read once.
    static std::mutex mutex;
    static std::map<std::string, std::optional<RequiredPattern>> known;
    for (const auto& regex : regexes) {
        const std::lock_guard<std::mutex> lock(mutex);
        auto [entry, inserted] = known.try_emplace(regex);
        if (inserted) {
            // A pattern that also matches an empty text rules nothing out.
            const std::string searched = without_assertions(regex);
            const RE2* compiled = shared_regex(searched);
            if (compiled != nullptr && !RE2::PartialMatch("", *compiled)) {
                const std::string& text = compiled->pattern();
                const bool non_ascii = text == "[^\\x00-\\x7f]" || text == "[^\\x00-\\x7F]";
                entry->second = RequiredPattern{
                    compiled, match_prefix(*compiled, 16), non_ascii, regex_atoms(searched), {}};
            }
        }
        if (entry->second) {
            patterns.push_back(*entry->second);
        }
    }
    return patterns;
}

/// Where the words of a language's candidates occur in one file's text, all found in
/// one pass, so that a node is tested by looking up places instead of searching it.
class WordPlaces
{
public:
    /// From the hits of the words (ids offset by first_word), or with a pass of the
    /// automaton when there are none.
    WordPlaces(const LazyKeywordAutomaton& automaton,
               const std::vector<std::string>& words,
               const std::vector<bool>& folded,
               std::string_view text,
               const std::vector<KeywordHit>* hits,
               int first_word)
        : m_words(words), m_starts(words.size()), m_ascii(!core::has_non_ascii(text))
    {
        // The automaton folds ASCII case; a word of a predicate keeps its case, a
        // prefilter's string does not.
        const auto add = [&](int id, std::size_t last) {
            const std::string& word = words[static_cast<std::size_t>(id)];
            const std::size_t start = last + 1 - word.size();
            if (folded[static_cast<std::size_t>(id)]
                || text.compare(start, word.size(), word) == 0) {
                m_starts[static_cast<std::size_t>(id)].push_back(start);
            }
        };
        if (hits == nullptr) {
            automaton.built().find(text, add);
            return;
        }
        const auto count = static_cast<int>(words.size());
        for (const KeywordHit& hit : *hits) {
            const int id = hit.id - first_word;
            if (id >= 0 && id < count) {
                add(id, hit.last);
            }
        }
    }

    /// Whether the word occurs inside the bytes [begin, end).
    bool within(int word, std::size_t begin, std::size_t end) const
    {
        const auto& starts = m_starts[static_cast<std::size_t>(word)];
        // All places of a word have its length, so the first to start in the range
        // is the first that can end in it.
        const auto first = std::lower_bound(starts.begin(), starts.end(), begin);
        return first != starts.end()
               && *first + m_words[static_cast<std::size_t>(word)].size() <= end;
    }

    /// Whether the whole text is ASCII.
    bool ascii() const { return m_ascii; }

    /// Whether the bytes [begin, end) of the text may hold a match of the pattern, as
    /// far as its prefilter's strings tell. Outside ASCII, case folds in ways the
    /// keyword search does not follow, so such text is left to the expression.
    bool may_match(const RequiredPattern& pattern,
                   std::string_view text,
                   std::size_t begin,
                   std::size_t end) const
    {
        if (pattern.atoms == nullptr || (!m_ascii && core::has_non_ascii(text))) {
            return true;
        }
        return prefilter_passes(*pattern.atoms, [&](std::size_t i) {
            return within(pattern.atom_words[i], begin, end);
        });
    }

    /// Whether the candidate's text checks can pass anywhere in the text: each of its
    /// required words and its name's literal occur, and a byte outside ASCII does when
    /// it needs one.
    bool may_pass(const Candidate& candidate) const
    {
        if (candidate.name_word >= 0
            && m_starts[static_cast<std::size_t>(candidate.name_word)].empty()) {
            return false;
        }
        for (const auto& options : candidate.word_ids) {
            const bool found = std::any_of(options.begin(), options.end(), [&](int word) {
                return !m_starts[static_cast<std::size_t>(word)].empty();
            });
            if (!found) {
                return false;
            }
        }
        for (const auto& pattern : candidate.required_patterns) {
            if (pattern.non_ascii ? m_ascii : !may_occur(pattern)) {
                return false;
            }
        }
        return may_name(candidate);
    }

    /// may_match over the whole text.
    bool may_occur(const RequiredPattern& pattern) const
    {
        return pattern.atoms == nullptr || !m_ascii
               || prefilter_passes(*pattern.atoms, [&](std::size_t i) {
                      return !m_starts[static_cast<std::size_t>(pattern.atom_words[i])].empty();
                  });
    }

    /// Whether the file holds the pieces of the strings the candidate's name pattern
    /// needs, as its prefilter combines them. Outside ASCII, case folds in ways the
    /// keyword search does not follow, so such a file passes.
    bool may_name(const Candidate& candidate) const
    {
        if (candidate.name_atoms == nullptr || !m_ascii) {
            return true;
        }
        return prefilter_passes(*candidate.name_atoms, [&](std::size_t i) {
            const auto& pieces = candidate.name_atom_pieces[i];
            return std::all_of(pieces.begin(), pieces.end(), [&](int word) {
                return !m_starts[static_cast<std::size_t>(word)].empty();
            });
        });
    }

private:
    const std::vector<std::string>& m_words;
    std::vector<std::vector<std::size_t>> m_starts;
    bool m_ascii;
};

/// The text of the node candidates are tried at, and what the required patterns of
/// earlier candidates found in it: rules often share a pattern between their
/// alternatives, or with each other.
struct NodeText
{
    std::string_view text;
    std::size_t start = 0;
    std::vector<std::pair<const RE2*, bool>> verdicts;

    bool holds(const RequiredPattern& pattern)
    {
        for (const auto& [regex, verdict] : verdicts) {
            if (regex == pattern.regex) {
                return verdict;
            }
        }
        const bool verdict =
            (pattern.prefix.empty() || text.find(pattern.prefix) != std::string_view::npos)
            && RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *pattern.regex);
        verdicts.emplace_back(pattern.regex, verdict);
        return verdict;
    }
};

bool holds_required_words(const Candidate& candidate, NodeText& node, const WordPlaces& places)
{
    const std::string_view text = node.text;
    const std::size_t start = node.start;
    // Words first: looking up where a few bytes occur costs less than running a pattern.
    const std::size_t end = start + text.size();
    for (const auto& options : candidate.word_ids) {
        const bool found = std::any_of(options.begin(), options.end(), [&](int word) {
            return places.within(word, start, end);
        });
        if (!found) {
            return false;
        }
    }
    for (const auto& pattern : candidate.required_patterns) {
        if (!places.may_match(pattern, text, start, end)) {
            return false;
        }
    }
    // A larger node (a call that holds the rest of a minified file) is left to the
    // predicates: searching the text of every level of such nesting costs the square
    // of its size.
    constexpr std::size_t k_searched_text_limit = 4096;
    if (text.size() > k_searched_text_limit) {
        return true;
    }
    for (const auto& pattern : candidate.required_patterns) {
        if (pattern.non_ascii) {
            if (places.ascii() || !core::has_non_ascii(text)) {
                return false;
            }
            continue;
        }
        if (!node.holds(pattern)) {
            return false;
        }
    }
    return true;
}

/// Decides the qualified-name patterns of candidates for one file. A file calls the
/// same few names again and again, so each name is resolved once a node and matched
/// once a pattern.
class NameFilter
{
public:
    explicit NameFilter(const rules::MatchContext& context) : m_context(context) {}

    /// The qualified name of the node's child in a field; nullopt when there is no
    /// such child or it has no name.
    const std::optional<std::string>& name_in(TSNode node, TSFieldId field)
    {
        // The candidates and callee indexes at one node mostly read the same field.
        if (node.id != m_node || field != m_field) {
            m_node = node.id;
            m_field = field;
            const TSNode child = ts_node_child_by_field_id(node, field);
            m_name = ts_node_is_null(child) ? std::nullopt : m_context.qualified_name(child);
        }
        return m_name;
    }

    /// Whether the child the candidate's pattern reads has a name the pattern matches.
    bool passes(const Candidate& candidate, TSNode node)
    {
        if (!name_in(node, candidate.name_field)) {
            return false;
        }
        auto& verdicts = m_verdicts[*m_name];
        for (const auto& [pattern, verdict] : verdicts) {
            if (pattern == candidate.name_pattern) {
                return verdict;
            }
        }
        const bool verdict = RE2::PartialMatch(*m_name, *candidate.name_pattern);
        verdicts.emplace_back(candidate.name_pattern, verdict);
        return verdict;
    }

private:
    const rules::MatchContext& m_context;
    const void* m_node = nullptr;
    TSFieldId m_field = 0;
    std::optional<std::string> m_name; ///< of the child in m_field of m_node
    std::unordered_map<std::string, std::vector<std::pair<const RE2*, bool>>> m_verdicts;
};

struct Guard
{
    TSFieldId field;
    std::unordered_map<std::string, std::vector<int>> by_name;
    /// The last parts of the dotted names of by_name ("Popen" of "subprocess.Popen").
    std::unordered_set<std::string> last_parts;

    /// Whether a child written `a.b.c` (its text) may resolve to a name of by_name. Its
    /// qualified name, if any, ends with the attribute it names last, whatever `a` is
    /// bound to. A bare name resolves to what the context says it may; a chain ending
    /// in anything else may name anything.
    bool may_name(std::string_view text, const rules::MatchContext& context) const
    {
        // A plain dotted chain, `a.b.c`: the name can only be what `a` stands for,
        // followed by `.b.c`.
        const std::size_t head = text.find('.');
        const bool plain_chain =
            !text.empty() && std::isdigit(static_cast<unsigned char>(text[0])) == 0
            && std::all_of(
                text.begin(), text.end(), [](char c) { return c == '.' || rules::is_name_char(c); })
            && text.back() != '.' && text.find("..") == std::string_view::npos;
        if (plain_chain) {
            const auto target = context.bare_name_target(text.substr(0, head));
            if (target) {
                return by_name.count(head == std::string_view::npos
                                         ? *target
                                         : *target + std::string(text.substr(head)))
                       != 0;
            }
        }
        std::size_t start = text.size();
        while (start > 0 && rules::is_name_char(text[start - 1])) {
            --start;
        }
        std::size_t dot = start;
        while (dot > 0 && std::isspace(static_cast<unsigned char>(text[dot - 1])) != 0) {
            --dot;
        }
        if (start == text.size() || dot == 0 || text[dot - 1] != '.') {
            return true;
        }
        return last_parts.count(std::string(text.substr(start))) != 0;
    }
};

bool is_container(const char* type)
{
    static const std::set<std::string, std::less<>> containers{
        "module",
        "block",
        "program",
        "source_file",
        "translation_unit",
        "compound_statement",
        "statement_block",
        "declaration_list",
        "class_body",
        "body",
        "do_block",
        "then",
    };
    return containers.count(std::string_view(type)) != 0;
}

std::string fill_message(const Candidate& candidate,
                         const rules::Captures& captures,
                         const rules::MatchContext& context)
{
    static const RE2 placeholder(R"(\{\{\s*([A-Za-z0-9_.-]+)\s*\}\})");
    const std::string& templ = candidate.rule->message;
    std::string message;
    re2::StringPiece rest(templ);
    re2::StringPiece whole;
    std::string name;
    static const RE2 wrapped("(" + placeholder.pattern() + ")");
    while (RE2::PartialMatch(rest, wrapped, &whole, &name)) {
        message.append(rest.data(), static_cast<std::size_t>(whole.data() - rest.data()));
        const auto node = captures.first(candidate.query->capture_index(name));
        message += node ? core::quote_for_message(context.text(*node), 60) : std::string();
        rest.remove_prefix(static_cast<std::size_t>(whole.data() - rest.data()) + whole.size());
    }
    message.append(rest.data(), rest.size());
    return message;
}

// A comment token, and whether it stands alone on its line.
Comment comment_at(const source::SyntaxTree& tree, TSNode node, std::size_t row)
{
    const std::string_view text = tree.text();
    std::size_t at = ts_node_start_byte(node);
    while (at > 0 && (text[at - 1] == ' ' || text[at - 1] == '\t')) {
        --at;
    }
    const bool alone = at == 0 || text[at - 1] == '\n';
    return {row,
            ts_node_end_point(node).row,
            ts_node_start_byte(node),
            std::string(tree.node_text(node)),
            alone};
}

source::Language language_of(source::Language language)
{
    return language;
}

} // namespace

struct RuleEngine::LanguageIndex
{
    source::Language language;
    const TSLanguage* grammar;
    std::vector<Candidate> candidates;
    std::vector<std::vector<int>> by_symbol;
    std::vector<int> any_node;
    std::unordered_map<TSSymbol, std::vector<Guard>> guards;
    std::vector<std::uint8_t> container; ///< by symbol: nodes whose children are statements
    std::vector<bool> import;            ///< by symbol: import statements (Python)
    std::vector<bool> guarded;           ///< by symbol: guards has an entry
    TSSymbol comment = 0;
    std::vector<std::string> words; ///< the required words of all candidates
    std::vector<bool> folded;       ///< by word: found in any case (a prefilter's string)
    LazyKeywordAutomaton word_search;

    // The index of a word, added on first use.
    int word(const std::string& text, bool any_case = false)
    {
        for (std::size_t i = 0; i < words.size(); ++i) {
            if (words[i] == text && folded[i] == any_case) {
                return static_cast<int>(i);
            }
        }
        words.push_back(text);
        folded.push_back(any_case);
        word_search.add(core::to_lower(text), static_cast<int>(words.size()) - 1);
        return static_cast<int>(words.size()) - 1;
    }

    void add_words(Candidate& candidate)
    {
        if (!candidate.name_literal.empty()) {
            candidate.name_word = word(candidate.name_literal);
        }
        if (candidate.name_atoms != nullptr) {
            for (const auto& atom : candidate.name_atoms->atoms) {
                auto& pieces = candidate.name_atom_pieces.emplace_back();
                for (const auto& piece : core::split(atom, '.')) {
                    constexpr std::size_t k_shortest_piece = 3;
                    if (piece.size() >= k_shortest_piece) {
                        pieces.push_back(word(piece, /*any_case=*/true));
                    }
                }
            }
        }
        for (const auto& options : candidate.required_words) {
            auto& ids = candidate.word_ids.emplace_back();
            for (const auto& text : options) {
                ids.push_back(word(text));
            }
        }
        for (auto& pattern : candidate.required_patterns) {
            if (pattern.atoms != nullptr) {
                for (const auto& atom : pattern.atoms->atoms) {
                    pattern.atom_words.push_back(word(atom, /*any_case=*/true));
                }
            }
        }
    }

    // A rule whose single pattern is (kind field: (_) @x ...) with (#qname-any-of? @x ...)
    // need only be tried where the child in that field has one of those names.
    // The names one pattern's qualified-name guard allows, through the child in
    // `field`; false when the pattern has no such guard.
    static bool pattern_guard(const rules::Query& query,
                              const rules::PatternNode& root,
                              TSFieldId& field,
                              std::vector<std::string>& names)
    {
        for (const auto& predicate : query.predicates) {
            if (predicate.name != "qname-eq?" && predicate.name != "qname-any-of?") {
                continue;
            }
            field = field_of_capture(root, predicate.arguments[0].capture);
            if (field == 0) {
                continue;
            }
            for (std::size_t i = 1; i < predicate.arguments.size(); ++i) {
                names.push_back(predicate.arguments[i].text);
            }
            return true;
        }
        return false;
    }

    // The same for a code pattern's alternative whose root has a dotted name in a
    // field (`tempfile.mktemp($...ARGS)`): the name compares by qualified name.
    static bool code_guard(const rules::Query& query,
                           int alternative,
                           TSFieldId& field,
                           std::vector<std::string>& names)
    {
        const rules::CodeNode& root =
            query.code->alternatives[static_cast<std::size_t>(alternative)].pattern;
        if (root.kind != rules::CodeNode::Kind::node) {
            return false;
        }
        for (const auto& child : root.children) {
            if (child.kind == rules::CodeNode::Kind::name && child.field != 0) {
                field = child.field;
                names.push_back(child.text);
                return true;
            }
        }
        return false;
    }

    // A pattern that starts at a node kind and names the child in one field by
    // qualified name ((call function: (_) @f ...) with (#qname-any-of? @f ...)) need
    // only be tried where that child has one of those names.
    bool add_guarded(int index)
    {
        const Candidate& candidate = candidates[static_cast<std::size_t>(index)];
        const rules::PatternNode& root =
            candidate.query->patterns[static_cast<std::size_t>(candidate.pattern)];
        if (root.kind != rules::PatternNode::Kind::named || root.symbol == 0) {
            return false;
        }
        TSFieldId field = 0;
        std::vector<std::string> names;
        const bool has_guard = candidate.query->code
                                   ? code_guard(*candidate.query, candidate.pattern, field, names)
                                   : pattern_guard(*candidate.query, root, field, names);
        if (!has_guard) {
            return false;
        }
        std::vector<Guard>& list = guards[root.symbol];
        auto guard = std::find_if(
            list.begin(), list.end(), [&](const Guard& g) { return g.field == field; });
        if (guard == list.end()) {
            list.push_back({field, {}});
            guard = list.end() - 1;
        }
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        for (const auto& name : names) {
            guard->by_name[name].push_back(index);
            if (const std::size_t dot = name.rfind('.'); dot != std::string::npos) {
                guard->last_parts.insert(name.substr(dot + 1));
            }
        }
        return true;
    }
};

RuleEngine::RuleEngine(const rules::RuleSet& rule_set, unsigned jobs)
{
    // The text checks of each pattern, in the order the loop below adds candidates.
    struct TextChecks
    {
        std::vector<std::vector<std::string>> words;
        std::vector<RequiredPattern> patterns;
    };

    std::vector<std::pair<const rules::Query*, int>> patterns;
    for (const auto& rule : rule_set.rules) {
        for (std::size_t i = 0; i < rule->languages.size(); ++i) {
            const rules::Query& query = rule->queries[i];
            for (int pattern = 0; pattern < static_cast<int>(query.patterns.size()); ++pattern) {
                patterns.emplace_back(&query, pattern);
            }
        }
    }
    std::vector<TextChecks> checks(patterns.size());
    core::parallel_for(patterns.size(), jobs, [&](std::size_t i) {
        const auto& [query, pattern] = patterns[i];
        checks[i] = {required_words_of(*query, pattern), required_patterns_of(*query, pattern)};
    });
    std::size_t next_checks = 0;

    for (const auto language : source::k_languages) {
        auto index = std::make_unique<LanguageIndex>();
        index->language = language;
        index->grammar = source::grammar(language);
        index->by_symbol.resize(ts_language_symbol_count(index->grammar));
        index->comment = ts_language_symbol_for_name(index->grammar, "comment", 7, true);
        index->container.resize(index->by_symbol.size());
        index->import.resize(index->by_symbol.size());
        index->guarded.resize(index->by_symbol.size());
        for (TSSymbol symbol = 0; symbol < index->container.size(); ++symbol) {
            const char* raw_name = ts_language_symbol_name(index->grammar, symbol);
            const std::string_view name = raw_name == nullptr ? std::string_view() : raw_name;
            index->container[symbol] = raw_name != nullptr && is_container(raw_name);
            index->import[symbol] =
                language == source::Language::python
                && (name == "import_statement" || name == "import_from_statement");
        }
        m_indexes.push_back(std::move(index));
    }
    for (const auto& rule : rule_set.rules) {
        for (std::size_t i = 0; i < rule->languages.size(); ++i) {
            LanguageIndex& index = *m_indexes[static_cast<std::size_t>(rule->languages[i])];
            const rules::Query& query = rule->queries[i];
            const int focus = rule->focus.empty() ? -1 : query.capture_index(rule->focus);
            // Each top-level pattern is dispatched on its own: one alternative may be
            // indexed by callee while another waits at import statements.
            for (int pattern = 0; pattern < static_cast<int>(query.patterns.size()); ++pattern) {
                const int candidate = static_cast<int>(index.candidates.size());
                TextChecks& made = checks[next_checks++];
                index.candidates.push_back({rule.get(),
                                            &query,
                                            focus,
                                            pattern,
                                            std::move(made.words),
                                            std::move(made.patterns)});
                add_name_pattern(index.candidates.back());
                index.add_words(index.candidates.back());
                const char* language =
                    source::language_name(language_of(rule->languages[i])).data();
                if (index.add_guarded(candidate)) {
                    core::log::trace("rule '{}' ({}), pattern {}: indexed by callee name",
                                     rule->id,
                                     language,
                                     pattern + 1);
                    continue;
                }
                const std::vector<TSSymbol> roots =
                    rules::root_symbols(query.patterns[static_cast<std::size_t>(pattern)]);
                const Candidate& added = index.candidates.back();
                core::log::trace("rule '{}' ({}), pattern {}: tried at {} node kinds{}",
                                 rule->id,
                                 language,
                                 pattern + 1,
                                 roots.empty() ? std::string("all") : std::to_string(roots.size()),
                                 added.required_words.empty() && added.required_patterns.empty()
                                     ? ""
                                     : ", after a text check");
                if (roots.empty()) {
                    index.any_node.push_back(candidate);
                }
                for (const TSSymbol symbol : roots) {
                    index.by_symbol[symbol].push_back(candidate);
                }
            }
        }
    }
    for (auto& index : m_indexes) {
        for (const auto& [symbol, list] : index->guards) {
            index->guarded[symbol] = !list.empty();
        }
    }
}

RuleEngine::~RuleEngine() = default;

bool RuleEngine::has_rules_for(source::Language language) const
{
    return !m_indexes[static_cast<std::size_t>(language)]->candidates.empty();
}

const std::vector<std::string>& RuleEngine::words(source::Language language) const
{
    return m_indexes[static_cast<std::size_t>(language)]->words;
}

TreeMatches RuleEngine::run(const source::SyntaxTree& tree,
                            const std::vector<KeywordHit>* hits,
                            int first_word) const
{
    const LanguageIndex& index = *m_indexes[static_cast<std::size_t>(tree.language())];
    TreeMatches out;
    std::unique_ptr<PythonNames> python;
    std::unique_ptr<PlainNames> plain;
    std::unique_ptr<ScriptNames> script;
    const rules::MatchContext* context = nullptr;
    if (tree.language() == source::Language::python) {
        python = std::make_unique<PythonNames>(tree);
        context = python.get();
    } else if (tree.language() == source::Language::javascript
               || tree.language() == source::Language::typescript
               || tree.language() == source::Language::tsx) {
        script = std::make_unique<ScriptNames>(tree);
        context = script.get();
    } else {
        plain = std::make_unique<PlainNames>(tree);
        context = plain.get();
    }

    std::set<std::tuple<const rules::Rule*, uint32_t, uint32_t>> seen;
    NameFilter names(*context);
    const WordPlaces places(
        index.word_search, index.words, index.folded, tree.text(), hits, first_word);
    // The candidates of each node kind that can pass their text checks in this file:
    // the others would fail at every node.
    std::vector<std::vector<int>> live(index.by_symbol.size());
    for (std::size_t symbol = 0; symbol < index.by_symbol.size(); ++symbol) {
        for (const int i : index.by_symbol[symbol]) {
            if (places.may_pass(index.candidates[static_cast<std::size_t>(i)])) {
                live[symbol].push_back(i);
            }
        }
    }
    NodeText node_text;
    const auto try_candidates =
        [&](const std::vector<int>& list, TSNode node, std::size_t statement_row) {
            node_text.text = tree.node_text(node);
            node_text.start = ts_node_start_byte(node);
            node_text.verdicts.clear();
            for (const int i : list) {
                const Candidate& candidate = index.candidates[static_cast<std::size_t>(i)];
                const bool filtered =
                    !candidate.required_words.empty() || !candidate.required_patterns.empty();
                if (filtered && !holds_required_words(candidate, node_text, places)) {
                    continue;
                }
                if (candidate.name_pattern != nullptr && !names.passes(candidate, node)) {
                    continue;
                }
                rules::match_at(
                    *candidate.query,
                    node,
                    *context,
                    [&](const rules::Captures& captures) {
                        TSNode focus = node;
                        if (candidate.focus >= 0) {
                            if (const auto bound = captures.first(candidate.focus)) {
                                focus = *bound;
                            }
                        }
                        const auto key = std::make_tuple(
                            candidate.rule, ts_node_start_byte(focus), ts_node_end_byte(focus));
                        if (seen.insert(key).second) {
                            out.matches.push_back({candidate.rule,
                                                   ts_node_start_byte(focus),
                                                   ts_node_end_byte(focus),
                                                   fill_message(candidate, captures, *context),
                                                   statement_row});
                        }
                        return false; // one match per rule and node is enough
                    },
                    candidate.pattern);
            }
        };

    // Only the nodes something is done at are visited: comments, imports, and the
    // kinds of nodes some candidate of this file starts at.
    std::vector<std::uint8_t> wanted;
    if (index.any_node.empty()) {
        wanted.reserve(index.by_symbol.size());
        for (std::size_t symbol = 0; symbol < index.by_symbol.size(); ++symbol) {
            const bool comment = index.comment != 0 && symbol == index.comment;
            wanted.push_back(comment || index.import[symbol] || index.guarded[symbol]
                                     || !live[symbol].empty()
                                 ? 1
                                 : 0);
        }
    }
    rules::forget_tree();
    const auto enter = [&](TSNode node, uint32_t statement_row) {
        const TSSymbol symbol = ts_node_symbol(node);
        if (symbol == index.comment && index.comment != 0) {
            out.comments.push_back(comment_at(tree, node, ts_node_start_point(node).row));
        }
        if (!ts_node_is_named(node)) {
            return;
        }
        // ERROR nodes have a symbol past the grammar's own.
        const bool known = symbol < index.by_symbol.size();
        if (python && known && index.import[symbol]) {
            python->add_import(node);
        }
        if (known && !live[symbol].empty()) {
            try_candidates(live[symbol], node, statement_row);
        }
        const auto guarded =
            known && index.guarded[symbol] ? index.guards.find(symbol) : index.guards.end();
        if (guarded != index.guards.end()) {
            for (const Guard& guard : guarded->second) {
                const TSNode child = ts_node_child_by_field_id(node, guard.field);
                if (ts_node_is_null(child) || !guard.may_name(tree.node_text(child), *context)) {
                    continue;
                }
                // A copy: the candidates tried may read another field.
                const std::optional<std::string> name = names.name_in(node, guard.field);
                if (!name) {
                    continue;
                }
                if (const auto hit = guard.by_name.find(*name); hit != guard.by_name.end()) {
                    try_candidates(hit->second, node, statement_row);
                }
            }
        }
        if (!index.any_node.empty()) {
            try_candidates(index.any_node, node, statement_row);
        }
    };
    tree.walk_statements(wanted, index.container, enter);
    rules::forget_tree();
    std::sort(out.matches.begin(), out.matches.end(), [](const RuleMatch& a, const RuleMatch& b) {
        return std::tie(a.start_byte, a.end_byte, a.rule->id)
               < std::tie(b.start_byte, b.end_byte, b.rule->id);
    });
    return out;
}

} // namespace aiops::scan
