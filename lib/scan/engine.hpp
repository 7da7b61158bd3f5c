#pragma once

#include "rules/rule.hpp"
#include "scan/keywords.hpp"
#include "source/syntax_tree.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace aiops::scan {

/// One place a rule matched.
struct RuleMatch
{
    const rules::Rule* rule = nullptr;
    std::size_t start_byte = 0;
    std::size_t end_byte = 0;
    std::string message; ///< the rule's message with its captures filled in
    /// The first line of the statement that holds the match (0-based row), where a
    /// suppression comment also counts.
    std::size_t statement_row = 0;
};

/// A comment token of the file, for suppressions.
struct Comment
{
    std::size_t start_row = 0;
    std::size_t end_row = 0;
    std::size_t start_byte = 0;
    std::string text;
    bool alone = false; ///< nothing but white space before it on its line
};

/// What one walk of a tree found.
struct TreeMatches
{
    std::vector<RuleMatch> matches;
    std::vector<Comment> comments;
};

/// The rules of a rule set compiled for fast matching: for each language, the rules
/// are bucketed by the node kind their patterns start at, and call rules that name
/// their callee by qualified name are also indexed by that name, so one walk of a tree
/// evaluates every rule and costs little more per rule added. The words that rules'
/// predicates compare with are found in one pass over the file before the walk, so a
/// node is ruled out by where they occur, without reading its text.
class RuleEngine
{
public:
    /// Built on up to `jobs` threads: the text checks of the rules' patterns compile
    /// regexes, which is most of the work.
    explicit RuleEngine(const rules::RuleSet& rules, unsigned jobs = 1);
    ~RuleEngine();
    RuleEngine(const RuleEngine&) = delete;
    RuleEngine& operator=(const RuleEngine&) = delete;

    /// Whether any rule applies to the language (else its files need not be parsed).
    bool has_rules_for(source::Language language) const;

    /// The words candidates of the language look for in node texts, by id.
    const std::vector<std::string>& words(source::Language language) const;

    /// Walks the tree once and returns every match, in source order, plus the comments.
    /// The words are found in one pass over the text, unless the caller has found them:
    /// hits then holds every place of every word, each under its id plus first_word
    /// (other ids are skipped). A word's place counts only where its case matches.
    TreeMatches run(const source::SyntaxTree& tree,
                    const std::vector<KeywordHit>* hits = nullptr,
                    int first_word = 0) const;

private:
    struct LanguageIndex;
    std::vector<std::unique_ptr<LanguageIndex>> m_indexes; ///< by Language
};

} // namespace aiops::scan
