#include "core/line_index.hpp"
#include "scan/engine.hpp"
#include "scan/scan.hpp"
#include "scan/text_rules.hpp"
#include "source/syntax_tree.hpp"

#include <fmt/format.h>

#include <optional>

namespace aiops::scan {

namespace {

/// A rule's examples of one kind, with where each is written.
struct Examples
{
    const char* kind; ///< "bad" or "good"
    const std::vector<std::string>& texts;
    const std::vector<rules::RuleOrigin>& origins;
    const rules::Rule& rule;

    // Where example i is; the rule's own place when it is not known.
    const rules::RuleOrigin& origin(std::size_t i) const
    {
        return i < origins.size() ? origins[i] : rule.origin;
    }
};

std::string times(std::size_t count)
{
    return fmt::format("{} time{}", count, count == 1 ? "" : "s");
}

// A text rule's examples are whole texts, matched whatever the rule's paths say.
void test_text_examples(const Examples& examples,
                        const TextRuleEngine& engine,
                        std::vector<ExampleFailure>& failures)
{
    const bool bad = std::string_view(examples.kind) == "bad";
    for (std::size_t i = 0; i < examples.texts.size(); ++i) {
        const auto found = engine.run_anywhere(examples.texts[i]);
        const std::string name = fmt::format("{} example {} (text)", examples.kind, i + 1);
        if (bad && found.empty()) {
            failures.push_back({examples.rule.id, examples.origin(i), name + " is not found"});
        } else if (!bad && !found.empty()) {
            failures.push_back(
                {examples.rule.id,
                 examples.origin(i),
                 fmt::format(
                     "{} is found {}: {}", name, times(found.size()), found.front().message)});
        }
    }
}

// Why an example's code does not parse, if it does not: the example then proves
// nothing about the rule.
std::optional<std::string> parse_problem(const source::SyntaxTree& tree)
{
    std::size_t total = 0;
    const auto problems = source::find_syntax_problems(tree, 1, total);
    if (problems.empty()) {
        return std::nullopt;
    }
    const core::TextPosition at = core::LineIndex(tree.text()).position(problems[0].start_byte);
    return fmt::format("{} at line {}, column {}", problems[0].message, at.line, at.column);
}

// An example must parse in at least one of the rule's languages: a rule over several
// grammars shares its examples between them, and no code parses in all.
void check_examples_parse(const Examples& examples, std::vector<ExampleFailure>& failures)
{
    for (std::size_t i = 0; i < examples.texts.size(); ++i) {
        std::optional<std::string> first_problem;
        for (const auto language : examples.rule.languages) {
            auto tree = source::parse(language, examples.texts[i]);
            auto problem = tree ? parse_problem(*tree) : tree.error().message();
            if (!problem) {
                first_problem.reset();
                break;
            }
            if (!first_problem) {
                first_problem = fmt::format("{} example {} ({}) does not parse: {}",
                                            examples.kind,
                                            i + 1,
                                            source::language_name(language),
                                            *problem);
            }
        }
        if (first_problem) {
            failures.push_back({examples.rule.id, examples.origin(i), *first_problem});
        }
    }
}

void test_tree_examples(const Examples& examples,
                        source::Language language,
                        const RuleEngine& engine,
                        std::vector<ExampleFailure>& failures)
{
    const bool bad = std::string_view(examples.kind) == "bad";
    for (std::size_t i = 0; i < examples.texts.size(); ++i) {
        const std::string name = fmt::format(
            "{} example {} ({})", examples.kind, i + 1, source::language_name(language));
        auto tree = source::parse(language, examples.texts[i]);
        const std::size_t found = tree ? engine.run(*tree).matches.size() : 0;
        if (bad && found == 0) {
            failures.push_back({examples.rule.id, examples.origin(i), name + " is not found"});
        } else if (!bad && found > 0) {
            failures.push_back(
                {examples.rule.id, examples.origin(i), name + " is found " + times(found)});
        }
    }
}

} // namespace

std::vector<ExampleFailure> test_rule_examples(const rules::RuleSet& rule_set,
                                               std::size_t& examples_run)
{
    std::vector<ExampleFailure> failures;
    examples_run = 0;
    for (const auto& rule : rule_set.rules) {
        rules::RuleSet single;
        single.rules.push_back(rule);
        if (rule->bad_examples.empty()) {
            failures.push_back({rule->id, rule->origin, "the rule has no bad example"});
        }
        const Examples bad{"bad", rule->bad_examples, rule->bad_example_origins, *rule};
        const Examples good{"good", rule->good_examples, rule->good_example_origins, *rule};
        const std::size_t count = rule->bad_examples.size() + rule->good_examples.size();
        if (rules::is_text_rule(*rule)) {
            const TextRuleEngine engine(single, SecretAllowlist{});
            test_text_examples(bad, engine, failures);
            test_text_examples(good, engine, failures);
            examples_run += count;
            continue;
        }
        check_examples_parse(bad, failures);
        check_examples_parse(good, failures);
        const RuleEngine engine(single);
        for (const auto language : rule->languages) {
            test_tree_examples(bad, language, engine, failures);
            test_tree_examples(good, language, engine, failures);
            examples_run += count;
        }
    }
    return failures;
}

} // namespace aiops::scan
