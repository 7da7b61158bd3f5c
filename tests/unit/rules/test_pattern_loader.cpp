#include "printers.hpp"
#include "rules/rule.hpp"

#include <doctest/doctest.h>

#include <string>

namespace rules = aiops::rules;

namespace {

const std::string k_header = "id: test.rule\n"
                             "message: found\n"
                             "severity: low\n"
                             "languages: [python]\n"
                             "help: A rule of the pattern tests.\n";

// The error loading a rule file gives ("" when it loads).
std::string load_error(const std::string& text)
{
    rules::RuleSet set;
    const auto loaded = rules::load_rules({"test.yaml", text}, set);
    return loaded.ok() ? std::string() : loaded.error().message();
}

} // namespace

TEST_SUITE("rules")
{
    TEST_CASE("rules::load_rules: pattern rules")
    {
        SUBCASE("a pattern that parses loads")
        {
            CHECK(load_error(k_header + "pattern: eval($X)\n") == "");
        }

        SUBCASE("a pattern that does not parse points into the snippet")
        {
            CHECK(load_error(k_header + "pattern: eval($X\n")
                  == "test.yaml:6:14: invalid 'pattern': the pattern does not parse as python: "
                     "'(' was never closed");
            CHECK(load_error(k_header + "pattern-not: f(\nall: [g($X) )]\n")
                      .starts_with("test.yaml:7:"));
        }

        SUBCASE("a pattern in a block scalar: the line and column of the bad token")
        {
            const std::string error =
                load_error(k_header + "pattern: |\n  f($X)\n  def g(:\n      pass\n");
            CHECK(error.starts_with("test.yaml:8:"));
        }

        SUBCASE("Go and Java errors point at the bad token and name metavariables as written")
        {
            const std::string go = "id: test.rule\nmessage: m\nseverity: low\nlanguages: [go]\n"
                                   "help: h\n";
            CHECK(load_error(go + "pattern: exec.Command($P, \n")
                  == "test.yaml:6:22: invalid 'pattern': the pattern does not parse as go: '(' was "
                     "never closed");
            const std::string java = "id: test.rule\nmessage: m\nseverity: low\n"
                                     "languages: [java]\nhelp: h\n";
            CHECK(load_error(java + "pattern: 'try { $...B } catch (Exception $E) { foo( }'\n")
                  == "test.yaml:6:53: invalid 'pattern': the pattern does not parse as java: "
                     "unexpected '}'");
            CHECK(load_error(java + "pattern: 'class $C { $...B }'\n")
                  == "test.yaml:6:22: invalid 'pattern': the pattern does not parse as java: "
                     "unexpected identifier '$...B'");
        }

        SUBCASE("two statements are not one pattern")
        {
            CHECK(load_error(k_header + "pattern: |\n  a()\n  b()\n")
                  == "test.yaml:8:3: invalid 'pattern': a pattern is one statement or "
                     "expression; this is a second");
        }

        SUBCASE("where naming an unknown metavariable")
        {
            CHECK(load_error(k_header + "pattern: eval($X)\nwhere:\n  Y: {regex: a}\n")
                  == "test.yaml:8:3: 'where' names '$Y', which no pattern binds");
        }

        SUBCASE("where with a bad regex, an unknown kind or an unknown key")
        {
            CHECK(load_error(k_header + "pattern: eval($X)\nwhere:\n  X: {regex: '('}\n")
                      .starts_with("test.yaml:8:14: invalid 'regex': "));
            CHECK(load_error(k_header + "pattern: eval($X)\nwhere:\n  X: {kind: strin}\n")
                  == "test.yaml:8:13: unknown node kind 'strin' for python");
            CHECK(load_error(k_header + "pattern: eval($X)\nwhere:\n  X: {regx: a}\n")
                      .starts_with("test.yaml:8:7: unknown key 'regx'"));
        }

        SUBCASE("where, focus or the message naming what only pattern-not or not-inside binds")
        {
            const std::string js = "id: test.rule\nmessage: found\nseverity: low\n"
                                   "languages: [javascript]\nhelp: h\n";
            CHECK(load_error(js
                             + "pattern: log($A)\npattern-not: log($A, $B)\n"
                               "where:\n  B: {regex: secret}\n")
                  == "test.yaml:9:3: 'where' names '$B', which only 'pattern-not' or "
                     "'not-inside' binds: a match never gives it a value");
            CHECK(load_error(js
                             + "pattern: log($A)\nnot-inside: 'function $F() { $...B }'\n"
                               "focus: F\n")
                  == "test.yaml:8:8: 'focus' names '$F', which only 'pattern-not' or "
                     "'not-inside' binds: a match never gives it a value");
            CHECK(load_error("id: test.rule\nmessage: 'in {{F}}'\nseverity: low\n"
                             "languages: [javascript]\nhelp: h\npattern: log($A)\n"
                             "not-inside: 'function $F() { $...B }'\n")
                  == "test.yaml:2:10: the message names '{{F}}', which only 'pattern-not' or "
                     "'not-inside' binds: a match never gives it a value");
            CHECK(load_error(js
                             + "pattern: log($A)\ninside: 'function $F() { $...B }'\n"
                               "where:\n  F: {regex: '^handle'}\nfocus: F\n")
                  == "");
        }

        SUBCASE("a key given twice inside the rule is an error, not a lost value")
        {
            CHECK(load_error(k_header
                             + "pattern: eval($X)\nexamples:\n  bad: [\"nothing(b)\\n\"]\n"
                               "  bad: [\"eval(a)\\n\"]\n  good: [\"1\\n\"]\n")
                  == "test.yaml:9:3: duplicate key 'bad' (first at line 8, column 3)");
            CHECK(load_error(k_header
                             + "pattern: eval($X)\nwhere:\n  X: {regex: '^zz$'}\n"
                               "  X: {regex: '^code'}\n")
                  == "test.yaml:9:3: duplicate key 'X' (first at line 8, column 3)");
            CHECK(load_error(k_header
                             + "pattern: eval($X)\nwhere:\n  $X: {regex: code}\n"
                               "  X: {regex: req}\n")
                  == "test.yaml:9:3: 'where' names '$X' twice");
        }

        SUBCASE("snippets of the wrong type and empty lists are errors")
        {
            CHECK(load_error(k_header + "pattern: [eval($X), setTimeout($X)]\n")
                  == "test.yaml:6:10: 'pattern' must be a string (one snippet); 'any' takes a "
                     "list of them");
            CHECK(load_error(k_header + "pattern: eval($X)\ninside: 5\n")
                  == "test.yaml:7:9: 'inside' must be a string (a code snippet), not '5'; quote "
                     "a snippet that is only a literal");
            CHECK(load_error(k_header + "pattern: eval($X)\ninside: '5'\n") == "");
            CHECK(load_error(k_header + "pattern: eval($X)\npattern-not: []\n")
                  == "test.yaml:7:14: 'pattern-not' must be a snippet or a list of one or more");
            CHECK(load_error(k_header + "pattern: eval($X)\ninside: []\n")
                  == "test.yaml:7:9: 'inside' must be a snippet or a list of one or more");
            CHECK(load_error(k_header + "pattern: eval($X)\nwhere:\n  X: {kind: []}\n")
                  == "test.yaml:8:13: 'kind' must name a node kind or a list of one or more");
        }

        SUBCASE("a message placeholder that is not a capture name")
        {
            CHECK(load_error("id: test.rule\nmessage: 'a {{ä}} b'\nseverity: low\n"
                             "languages: [python]\nhelp: h\npattern: eval($X)\n")
                  == "test.yaml:2:10: '{{ä}}' in the message names no capture: a name is "
                     "letters, digits, '_', '.' and '-'");
        }

        SUBCASE("a control character in the file is reported where it is")
        {
            CHECK(load_error(std::string("id: t.bin\nmessage: m") + '\0' + "\nseverity: low\n")
                  == "test.yaml:2:11: invalid YAML: control character U+0000 (a rule file is "
                     "text)");
        }

        SUBCASE("a kind that only some of the rule's languages have")
        {
            const std::string both = "id: test.rule\nmessage: m\nseverity: low\n"
                                     "languages: [javascript, typescript, tsx]\nhelp: h\n"
                                     "pattern: exec($C)\nwhere:\n";
            CHECK(
                load_error(both + "  C: {kind: [identifier, as_expression, non_null_expression]}\n")
                == "");
            CHECK(load_error(both + "  C: {kind: [identifier, as_expresion]}\n")
                  == "test.yaml:8:26: unknown node kind 'as_expresion' for javascript, "
                     "typescript, tsx");
        }

        SUBCASE("an item of any that only some of the rule's languages parse")
        {
            const std::string both = "id: test.rule\nmessage: m\nseverity: low\n"
                                     "languages: [javascript, typescript]\nhelp: h\n";
            CHECK(load_error(both + "any:\n  - f($X)\n  - f($X as $T)\n") == "");
            CHECK(load_error(both + "any:\n  - f($X)\n  - f($X as)\n")
                  == "test.yaml:8:10: invalid 'any': the pattern does not parse as javascript: "
                     "unexpected 'as'");
            // With one language, the item must parse in it.
            const std::string js = "id: test.rule\nmessage: m\nseverity: low\n"
                                   "languages: [javascript]\nhelp: h\n";
            CHECK(load_error(js + "any:\n  - f($X)\n  - f($X as $T)\n")
                  == "test.yaml:8:10: invalid 'any': the pattern does not parse as javascript: "
                     "unexpected 'as'");
        }

        SUBCASE("a message capture that some pattern leaves unbound")
        {
            const std::string bash =
                "id: test.rule\nseverity: low\nlanguages: [bash]\nhelp: h\n"
                "query: |\n"
                "  (command name: (command_name) @tool argument: (word) @flag)\n"
                "  (#eq? @tool \"curl\")\n"
                "  (command name: (command_name) @git_tool argument: (word) @git_flag)\n"
                "  (#eq? @git_tool \"git\")\n";
            CHECK(load_error("message: \"'{{tool}} {{flag}}' is bad\"\n" + bash)
                  == "test.yaml:1:10: the message names '{{tool}}', which pattern 2 does not "
                     "always capture: each one must");
            // Side by side, they take turns.
            CHECK(load_error("message: \"'{{tool}}{{git_tool}}' is bad\"\n" + bash) == "");
            CHECK(load_error("id: test.rule\nmessage: '{{X}}'\nseverity: low\n"
                             "languages: [javascript]\nhelp: h\nany:\n  - f($X)\n  - g($Y)\n")
                  == "test.yaml:2:10: the message names '{{X}}', which alternative 2 does not "
                     "always bind: each one must");
        }

        SUBCASE("focus naming an unknown metavariable")
        {
            CHECK(load_error(k_header + "pattern: eval($X)\nfocus: $Y\n")
                  == "test.yaml:7:8: 'focus' names '$Y', which no pattern binds");
        }

        SUBCASE("a message naming an unknown metavariable")
        {
            CHECK(load_error("id: test.rule\nmessage: '{{Y}}'\nseverity: low\nlanguages: [python]\n"
                             "help: h\npattern: eval($X)\n")
                  == "test.yaml:2:10: the message names '{{Y}}', which the patterns do not bind");
        }

        SUBCASE("an item of any with an unknown key or without a pattern")
        {
            CHECK(load_error(k_header + "any:\n  - pattern: a\n    inside-of: b\n")
                      .starts_with("test.yaml:8:5: unknown key 'inside-of' in an item of 'any'"));
            CHECK(load_error(k_header + "any:\n  - inside: b\n").starts_with("test.yaml:7:5: "));
        }

        SUBCASE("operators that do not go together")
        {
            CHECK(load_error(k_header + "pattern: a\nquery: (call)\n")
                  == "test.yaml:7:8: a rule has either 'query' or 'pattern', not both");
            CHECK(load_error(k_header + "pattern: a\nany: [b]\n")
                  == "test.yaml:7:1: a rule has one of 'pattern', 'any' and 'all', not several");
            CHECK(load_error(k_header + "query: (call)\npattern-not: a\n")
                  == "test.yaml:7:14: 'pattern-not' belongs to a rule with 'pattern', 'any' or "
                     "'all'");
            CHECK(load_error(k_header + "any: []\n")
                  == "test.yaml:6:6: 'any' must be a list of one or more patterns");
        }
    }

    TEST_CASE("rules::load_rules: compiled for some of the languages only")
    {
        using aiops::source::Language;
        const auto load = [](const std::string& text, std::vector<Language> languages) {
            rules::RuleSet set;
            rules::LoadOptions options;
            options.languages = std::move(languages);
            const auto loaded = rules::load_rules({"test.yaml", text}, set, options);
            REQUIRE_MESSAGE(loaded.ok(), loaded.error().message());
            REQUIRE(set.rules.size() == 1);
            return set.rules.front();
        };
        const std::string both = "id: test.rule\nmessage: m\nseverity: low\n"
                                 "languages: [javascript, typescript]\nhelp: h\n";

        SUBCASE("an item of any that only a language left out parses is no error")
        {
            // Loaded in full, the second item fails in JavaScript and loads for TypeScript.
            const auto rule =
                load(both + "any:\n  - f($X)\n  - f($X as $T)\n", {Language::javascript});
            CHECK(rule->languages == std::vector{Language::javascript});
            REQUIRE(rule->queries.size() == 1);
            CHECK(rule->queries[0].language == Language::javascript);
        }

        SUBCASE("a rule of none of the languages keeps its metadata and matches nothing")
        {
            const auto rule = load(both + "pattern: eval($X)\n", {Language::python});
            CHECK(rule->id == "test.rule");
            CHECK(rule->help == "h");
            CHECK(rule->languages.empty());
            CHECK(rule->queries.empty());
        }

        SUBCASE("tsx follows from typescript only when tsx files are scanned")
        {
            const std::string query = "query: '(call_expression function: (identifier) @f)'\n";
            const auto without = load(both + query, {Language::typescript});
            CHECK(without->languages == std::vector{Language::typescript});
            const auto with = load(both + query, {Language::tsx});
            CHECK(with->languages == std::vector{Language::tsx});
            REQUIRE(with->queries.size() == 1);
            CHECK(with->queries[0].language == Language::tsx);
            const auto pattern =
                load(both + "pattern: eval($X)\n", {Language::javascript, Language::tsx});
            CHECK(pattern->languages == std::vector{Language::javascript, Language::tsx});
            CHECK(pattern->queries.size() == 2);
        }

        SUBCASE("a bad query still fails in a language that is compiled")
        {
            rules::RuleSet set;
            rules::LoadOptions options;
            options.languages = std::vector{Language::javascript};
            const auto loaded = rules::load_rules(
                {"test.yaml", both + "query: (call_expresion) @c\n"}, set, options);
            REQUIRE_FALSE(loaded.ok());
            CHECK(loaded.error().message().find("invalid query for javascript")
                  != std::string::npos);
        }
    }

    TEST_CASE("rules::load_rules: examples checked but not kept")
    {
        const std::string rule = "id: test.rule\nmessage: m\nseverity: low\n"
                                 "languages: [python]\nhelp: h\npattern: eval($X)\n";
        rules::LoadOptions options;
        options.keep_examples = false;
        rules::RuleSet set;
        const auto loaded = rules::load_rules(
            {"test.yaml", rule + "examples:\n  bad: [\"eval(x)\"]\n  good: [\"f(x)\"]\n"},
            set,
            options);
        REQUIRE_MESSAGE(loaded.ok(), loaded.error().message());
        REQUIRE(set.rules.size() == 1);
        CHECK(set.rules[0]->bad_examples.empty());
        CHECK(set.rules[0]->good_examples.empty());
        CHECK(set.rules[0]->bad_example_origins.empty());

        rules::RuleSet kept;
        REQUIRE(rules::load_rules({"test.yaml", rule + "examples:\n  bad: [\"eval(x)\"]\n"}, kept)
                    .ok());
        CHECK(kept.rules[0]->bad_examples == std::vector<std::string>{"eval(x)"});
        CHECK(kept.rules[0]->bad_example_origins.size() == 1);

        const std::pair<std::string, std::string> bad_cases[] = {
            {"examples:\n  bad: 3\n", "test.yaml:8:8: "},
            {"examples:\n  ugly: [\"x\"]\n", "test.yaml:8:3: unknown key 'ugly' in 'examples'"},
            {"examples: [1]\n", "test.yaml:7:11: 'examples' must be a mapping"},
        };
        for (const auto& [examples, error] : bad_cases) {
            rules::RuleSet none;
            const auto failed = rules::load_rules({"test.yaml", rule + examples}, none, options);
            REQUIRE_FALSE(failed.ok());
            CHECK_MESSAGE(failed.error().message().starts_with(error), failed.error().message());
        }
    }
}
