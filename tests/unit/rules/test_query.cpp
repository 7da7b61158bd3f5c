#include "core/strings.hpp"
#include "printers.hpp"
#include "rules/query.hpp"
#include "rules/rule.hpp"
#include "scan/engine.hpp"
#include "source/syntax_tree.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

namespace rules = aiops::rules;
namespace scan = aiops::scan;
namespace source = aiops::source;

namespace {

// A one-rule set over Python with the given query.
rules::RuleSet python_rule(const std::string& query)
{
    std::string text = "id: test.rule\nmessage: found\nseverity: low\nlanguages: [python]\n"
                       "help: A rule of the query tests.\nquery: |\n";
    for (const auto& line : aiops::core::split(query, '\n')) {
        text += "  " + std::string(line) + "\n";
    }
    rules::RuleSet set;
    const auto loaded = rules::load_rules({"test.yaml", text}, set);
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? std::string() : loaded.error().message()));
    return set;
}

// The lines (1-based) where the rule matches the code.
std::vector<int> lines_found(const rules::RuleSet& set, const std::string& code)
{
    const scan::RuleEngine engine(set);
    auto tree = source::parse(source::Language::python, code);
    REQUIRE(tree.ok());
    std::vector<int> lines;
    for (const auto& match : engine.run(*tree).matches) {
        lines.push_back(
            1
            + static_cast<int>(std::count(
                code.begin(), code.begin() + static_cast<long>(match.start_byte), '\n')));
    }
    return lines;
}

// The error of a query that does not compile, as "line:column: message".
std::string query_error(const std::string& query)
{
    const auto compiled = rules::compile_query(query, source::Language::python);
    REQUIRE(std::holds_alternative<rules::QueryError>(compiled));
    const auto& error = std::get<rules::QueryError>(compiled);
    return std::to_string(error.position.line) + ":" + std::to_string(error.position.column) + ": "
           + error.message;
}

using Lines = std::vector<int>;

const std::string k_calls = "eval(x)\nexec(x)\nos.system(x)\nfoo.bar(x)\n";

} // namespace

TEST_SUITE("rules")
{
    TEST_CASE("rules::compile_query: groups")
    {
        SUBCASE("a group holds a pattern and its predicates, as tree-sitter writes them")
        {
            CHECK(lines_found(python_rule("((identifier) @a (#eq? @a \"eval\"))"), k_calls)
                  == Lines{1});
            CHECK(
                lines_found(python_rule("((call function: (identifier) @a) @c (#eq? @a \"eval\"))"),
                            k_calls)
                == Lines{1});
            CHECK(lines_found(python_rule("((call) @c)"), k_calls) == Lines{1, 2, 3, 4});
        }

        SUBCASE("a group may stand in a field")
        {
            CHECK(lines_found(python_rule("(call function: ((identifier) @f (#eq? @f \"exec\")))"),
                              k_calls)
                  == Lines{2});
        }

        SUBCASE("a sequence of sibling patterns or an empty group is an error")
        {
            CHECK(query_error("((call) (call))")
                  == "1:9: a group holds one pattern and its predicates; a sequence of sibling "
                     "patterns is not supported: match their parent instead");
            CHECK(query_error("(call ( ))") == "1:9: expected a name, found ')'");
        }
    }

    TEST_CASE("rules::compile_query: where predicates apply")
    {
        SUBCASE("a predicate inside a pattern applies to that pattern alone")
        {
            const auto set =
                python_rule("((call function: (identifier) @a) @c (#eq? @a \"eval\"))\n"
                            "(call function: (attribute object: (identifier) @a)) @c");
            CHECK(lines_found(set, k_calls) == Lines{1, 3, 4});
        }

        SUBCASE("a predicate at the top level applies to every pattern")
        {
            const auto set = python_rule("(call function: (identifier) @a) @c\n"
                                         "(call function: (attribute object: (identifier) @a)) @c\n"
                                         "(#eq? @a \"os\")");
            CHECK(lines_found(set, k_calls) == Lines{3});
        }
    }

    TEST_CASE("rules::compile_query: anchors")
    {
        SUBCASE("an anchor passes over comments between the children")
        {
            const auto first = python_rule("(call arguments: (argument_list . (list) @a)) @c");
            const std::string code = "run(['ls'])\n"
                                     "run(\n"
                                     "    # no shell: a list of arguments\n"
                                     "    ['ls'],\n"
                                     ")\n"
                                     "run(x, ['ls'])\n";
            CHECK(lines_found(first, code) == Lines{1, 2});
            const auto second =
                python_rule("(call arguments: (argument_list . (_) . (integer) @m .)) @c");
            CHECK(
                lines_found(second, "chmod(p, 0o777)\nchmod(p,  # world\n  0o777  # writable\n)\n")
                == Lines{1, 2});
        }

        SUBCASE("a pattern that names comments still sees them")
        {
            const std::string code =
                "if x:\n    pass\n    # c\n    pass\nif y:\n    pass\n    pass\n";
            CHECK(lines_found(
                      python_rule("(block . (pass_statement) . (comment) . (pass_statement) .) @b"),
                      code)
                  == Lines{2});
            CHECK(
                lines_found(python_rule("(block . (pass_statement) . (pass_statement) .) @b"), code)
                == Lines{2, 6});
        }
    }

    TEST_CASE("rules::compile_query: predicates on one capture")
    {
        SUBCASE("children are found wherever they stand, though each is judged as it binds")
        {
            const auto rule = python_rule("(dictionary (pair key: (string) @a)\n"
                                          "            (pair key: (string) @b)) @d\n"
                                          "(#eq? @a \"'x'\")\n"
                                          "(#eq? @b \"'y'\")");
            CHECK(lines_found(rule, "d = {'q': 1, 'x': 2, 'r': 3, 'y': 4}\n") == Lines{1});
            CHECK(lines_found(rule, "d = {'y': 1, 'x': 2}\n").empty());
            CHECK(lines_found(rule, "d = {'x': 1, 'q': 2}\n").empty());
        }

        SUBCASE("a quantified child that fails its predicate still counts as there")
        {
            // Quantifiers are greedy: the optional keyword is present, so the match does
            // not fall back to leaving it out when its predicate fails.
            const auto rule = python_rule("(call arguments: (argument_list\n"
                                          "   (keyword_argument name: (identifier) @k)?)) @c\n"
                                          "(#eq? @k \"shell\")");
            CHECK(lines_found(rule, "run(shell=True)\nrun(cwd=x)\nrun(x)\n") == Lines{1, 3});
        }
    }

    TEST_CASE("rules::compile_query: argument predicates")
    {
        SUBCASE("keywords are read from the tree: strings and comments do not count")
        {
            const auto set = python_rule("(call arguments: (argument_list) @args) @c\n"
                                         "(#not-has-argument? @args \"timeout\")");
            const std::string code = "get(url, timeout=3)\n"
                                     "get(f\"{base}?timeout=30\")\n"
                                     "get(url,  # timeout=3 is too short\n"
                                     "    headers={\"x\": \"timeout=none\"})\n";
            CHECK(lines_found(set, code) == Lines{2, 3});
        }

        SUBCASE("positions count plain positional arguments; '*' and '**' name spreads")
        {
            const auto second = python_rule("(call arguments: (argument_list) @args) @c\n"
                                            "(#has-argument? @args \"Loader\" \"2\")");
            CHECK(
                lines_found(second, "load(a)\nload(a, L)\nload(a, Loader=L)\nload(a, # c\n  k=1)\n")
                == Lines{2, 3});
            const auto spread = python_rule("(call arguments: (argument_list) @args) @c\n"
                                            "(#has-argument? @args \"**\")");
            CHECK(lines_found(spread, "f(a, *b)\nf(a, **b)\n") == Lines{2});
        }

        SUBCASE("the capture may be the call itself")
        {
            const auto set = python_rule("(call) @c\n(#has-argument? @c \"shell\")");
            CHECK(lines_found(set, "run(c)\nrun(c, shell=x)\n") == Lines{2});
        }

        SUBCASE("an argument name must be a keyword, a position or a spread")
        {
            CHECK(query_error("(call) @c\n(#has-argument? @c \"a=b\")")
                  == "2:1: '#has-argument?' takes keyword names, argument positions (1, 2, ...), "
                     "'*' or '**' after the capture; 'a=b' is none of them");
        }
    }

    TEST_CASE("rules::compile_query: negated value and name predicates")
    {
        SUBCASE("not-falsy and not-truthy let values that are not literals through")
        {
            const std::string code = "run(shell=True)\nrun(shell=False)\nrun(shell=flag)\n";
            const std::string query =
                "(keyword_argument name: (identifier) @k value: (_) @v) @hit\n";
            CHECK(lines_found(python_rule(query + "(#not-falsy? @v)"), code) == Lines{1, 3});
            CHECK(lines_found(python_rule(query + "(#not-truthy? @v)"), code) == Lines{2, 3});
        }

        SUBCASE("a name that resolves to nothing passes the negated name predicates")
        {
            const auto set = python_rule("(call function: (_) @f) @hit\n"
                                         "(#not-qname-any-of? @f \"subprocess.run\")");
            const std::string code = "import subprocess as sp\n"
                                     "sp.run(c)\n"
                                     "def run(c):\n"
                                     "    return c\n"
                                     "run(c)\n";
            CHECK(lines_found(set, code) == Lines{5});
        }
    }
}
