#include "core/interrupt.hpp"
#include "printers.hpp"
#include "source/syntax_tree.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace core = aiops::core;
namespace source = aiops::source;

using source::Language;
using source::SyntaxProblem;

namespace {

struct Problems
{
    std::vector<SyntaxProblem> shown;
    std::size_t total = 0;
};

Problems problems_in(Language language, std::string_view text, std::size_t limit = 100)
{
    auto tree = source::parse(language, text);
    REQUIRE(tree.ok());
    Problems problems;
    problems.shown = source::find_syntax_problems(*tree, limit, problems.total);
    return problems;
}

struct Sample
{
    Language language;
    std::string_view text;
};

// One small, valid file per grammar.
constexpr Sample k_valid_samples[] = {
    {Language::python, "def f(x):\n    return x + 1\n"},
    {Language::javascript, "const f = (x) => x + 1;\n"},
    {Language::typescript, "let n: number = 1;\n"},
    {Language::tsx, "const e = <div className=\"a\">hi</div>;\n"},
    {Language::go, "package main\n\nfunc main() {}\n"},
    {Language::java, "class A { int f() { return 1; } }\n"},
    {Language::rust, "fn main() { let x: i32 = 1; }\n"},
    {Language::bash, "for f in *.txt; do echo \"$f\"; done\n"},
    {Language::c, "int main(void) { return 0; }\n"},
    {Language::cpp, "class A { public: int x; };\n"},
    {Language::ruby, "def f(x)\n  x + 1\nend\n"},
    {Language::php, "<?php\necho 1;\n"},
    {Language::c_sharp, "class A { int F() => 1; }\n"},
    {Language::json, "{\"a\": [1, 2, null]}\n"},
    {Language::yaml, "a:\n  - 1\n  - b\n"},
};

} // namespace

TEST_SUITE("source")
{
    TEST_CASE("source::parse")
    {
        SUBCASE("a valid file of each language parses without errors")
        {
            for (const auto& sample : k_valid_samples) {
                CAPTURE(source::language_name(sample.language));
                auto tree = source::parse(sample.language, sample.text);
                REQUIRE(tree.ok());
                CHECK(tree->language() == sample.language);
                CHECK_FALSE(tree->has_error());
                CHECK(tree->node_text(tree->root()) == sample.text);
            }
        }

        SUBCASE("each language gets its own grammar")
        {
            const std::string_view typed = "let n: number = 1;\n";
            CHECK(source::parse(Language::javascript, typed)->has_error());
            CHECK_FALSE(source::parse(Language::typescript, typed)->has_error());

            const std::string_view with_class = "class A : public B {};\n";
            CHECK(source::parse(Language::c, with_class)->has_error());
            CHECK_FALSE(source::parse(Language::cpp, with_class)->has_error());
        }

        SUBCASE("empty text parses")
        {
            auto tree = source::parse(Language::python, "");
            REQUIRE(tree.ok());
            CHECK_FALSE(tree->has_error());
        }

        SUBCASE("an interrupt stops the parse, and the next parse works")
        {
            std::string big;
            for (int i = 0; i < 20000; ++i) {
                big += "value_" + std::to_string(i) + " = [1, 2, 3]\n";
            }
            core::request_interrupt();
            auto stopped = source::parse(Language::python, big);
            core::clear_interrupt();
            REQUIRE_FALSE(stopped.ok());
            CHECK(stopped.error().code() == core::ErrorCode::interrupted);

            auto again = source::parse(Language::python, big);
            REQUIRE(again.ok());
            CHECK_FALSE(again->has_error());
        }
    }

    TEST_CASE("source::find_syntax_problems")
    {
        SUBCASE("a valid file has no problems")
        {
            const Problems problems =
                problems_in(Language::python, "import os\n\nprint(os.name)\n");
            CHECK(problems.shown.empty());
            CHECK(problems.total == 0);
        }

        SUBCASE("an unclosed parenthesis is reported at or after it")
        {
            const std::string_view text = "x = (1, 2";
            const Problems problems = problems_in(Language::python, text);
            REQUIRE(problems.shown.size() == 1);
            const SyntaxProblem& problem = problems.shown[0];
            // CPython says the same: "'(' was never closed", at the bracket.
            CHECK(problem.kind == SyntaxProblem::Kind::error);
            CHECK(problem.message == "'(' was never closed");
            CHECK(problem.start_byte == 4);
            CHECK(problem.end_byte == 5);
        }

        SUBCASE("a statement cut off at the end of the file names its first token")
        {
            const Problems problems = problems_in(Language::python, "if x\n    pass\n");
            REQUIRE(problems.shown.size() == 1);
            CHECK(problems.shown[0].message
                  == "unexpected end of file: 'if' on line 1 is not finished");
            CHECK(problems.shown[0].start_byte == 13); // after "pass", where the file ends
        }

        SUBCASE("an error in the middle and a bracket never closed at the end are two problems")
        {
            const std::string_view text = "def f(x):\n    if x >\n        return 1\n    return 2\n"
                                          "\n\ndef g(y):\n    return [y,\n";
            const Problems problems = problems_in(Language::python, text);
            REQUIRE(problems.shown.size() == 2);
            CHECK(problems.shown[0].message == "unexpected 'return'");
            CHECK(problems.shown[1].message == "'[' was never closed");
            CHECK(problems.shown[1].start_byte == text.find('['));
            CHECK(problems.total == 2);
        }

        SUBCASE("a closing bracket without an opening one is unmatched")
        {
            const Problems problems = problems_in(Language::python, "x = 1 + )\n");
            REQUIRE(problems.shown.size() == 1);
            CHECK(problems.shown[0].message == "unmatched ')'");
            CHECK(problems.shown[0].start_byte == 8);
        }

        SUBCASE("deeply nested brackets are described quickly")
        {
            const std::string text = "x = " + std::string(50000, '(');
            const Problems problems = problems_in(Language::python, text);
            REQUIRE_FALSE(problems.shown.empty());
            CHECK(problems.shown[0].message == "'(' was never closed");
        }

        SUBCASE("an 'else' without an 'if' is unexpected")
        {
            const Problems problems = problems_in(Language::python, "else:\n    pass\n");
            REQUIRE_FALSE(problems.shown.empty());
            CHECK(problems.shown[0].kind == SyntaxProblem::Kind::error);
            CHECK(problems.shown[0].message == "unexpected 'else'");
            CHECK(problems.shown[0].start_byte == 0);
        }

        SUBCASE("a missing token in JSON")
        {
            const Problems problems = problems_in(Language::json, "{\"a\": 1, \"b\" 2}\n");
            CHECK(problems.total >= 1);
            CHECK_FALSE(problems.shown.empty());
        }

        SUBCASE("problems come in source order")
        {
            const Problems problems =
                problems_in(Language::javascript, "let a = ;\nlet b = 1;\nlet c = ;\n");
            REQUIRE(problems.shown.size() == 2);
            CHECK(problems.shown[0].start_byte < 10);
            CHECK(problems.shown[1].start_byte >= 20);
        }

        SUBCASE("the limit caps the list while total counts them all")
        {
            const std::string_view text = "return 1\nreturn 2\nreturn 3\nreturn 4\nreturn 5\n";
            const Problems all = problems_in(Language::python, text);
            CHECK(all.shown.size() == 5);
            CHECK(all.total == 5);

            const Problems capped = problems_in(Language::python, text, 2);
            CHECK(capped.shown.size() == 2);
            CHECK(capped.total == 5);

            const Problems none = problems_in(Language::python, text, 0);
            CHECK(none.shown.empty());
            CHECK(none.total == 5);
        }

        SUBCASE("5000 nested parentheses do not crash")
        {
            const std::string closed =
                "x = " + std::string(5000, '(') + "1" + std::string(5000, ')') + "\n";
            const Problems valid = problems_in(Language::python, closed);
            CHECK(valid.total == 0);

            const std::string open = "x = " + std::string(5000, '(') + "1\n";
            const Problems broken = problems_in(Language::python, open);
            CHECK(broken.total >= 1);

            const std::string nested_lists =
                "[" + std::string(5000, '[') + std::string(4999, ']') + "\n";
            const Problems json = problems_in(Language::json, nested_lists);
            CHECK(json.total >= 1);
        }
    }
}

namespace {

// Each visit as kind, start byte, end byte and depth.
struct Visit
{
    std::string kind;
    uint32_t start = 0;
    uint32_t end = 0;
    int depth = 0;
    bool anonymous_leaf = false;

    bool operator==(const Visit&) const = default;
};

std::vector<Visit> visits_by_cursor(const source::SyntaxTree& tree)
{
    std::vector<Visit> visits;
    TSTreeCursor cursor = ts_tree_cursor_new(tree.root());
    int depth = 0;
    while (true) {
        const TSNode node = ts_tree_cursor_current_node(&cursor);
        const bool anonymous_leaf = !ts_node_is_named(node) && ts_node_child_count(node) == 0;
        visits.push_back({ts_node_type(node),
                          ts_node_start_byte(node),
                          ts_node_end_byte(node),
                          depth,
                          anonymous_leaf});
        if (ts_tree_cursor_goto_first_child(&cursor)) {
            ++depth;
            continue;
        }
        while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
            if (!ts_tree_cursor_goto_parent(&cursor)) {
                ts_tree_cursor_delete(&cursor);
                return visits;
            }
            --depth;
        }
    }
}

std::vector<Visit> visits_by_walk(const source::SyntaxTree& tree,
                                  source::SyntaxTree::Visit which = source::SyntaxTree::Visit::all)
{
    std::vector<Visit> visits;
    int depth = 0;
    tree.walk(
        [&](TSNode node) {
            const bool anonymous_leaf = !ts_node_is_named(node) && ts_node_child_count(node) == 0;
            visits.push_back({ts_node_type(node),
                              ts_node_start_byte(node),
                              ts_node_end_byte(node),
                              depth,
                              anonymous_leaf});
            ++depth;
        },
        [&] { --depth; },
        which);
    CHECK(depth == 0);
    return visits;
}

} // namespace

TEST_CASE("the tree walk visits the nodes a cursor visits, in its order, with aliases and extras")
{
    const std::vector<Sample> samples{
        {Language::python,
         "import os  # c\n@d\nclass A(B):\n    def f(self, *a, **k):\n"
         "        return [x for x in a if x]  # tail\n"},
        // Shorthand properties and member names are aliased nodes in JavaScript.
        {Language::javascript, "const {a, b: c} = require('m'); /* c */ o.p = {a, [k]: 1};\n"},
        {Language::typescript, "type T = {a?: string}; function f<T>(x: T): T { return x }\n"},
        {Language::go, "package p\n// c\nfunc f(a ...int) { for i := range a { _ = i } }\n"},
        {Language::bash, "for f in *; do echo \"$f\" | grep -q x && rm -- \"$f\"; done # c\n"},
        // Errors and missing tokens are nodes too.
        {Language::python, "def f(:\n    return (1,\n"},
        {Language::java, "class A { void f() { int x = ; } }"},
        {Language::json, ""},
    };
    for (const Sample& sample : samples) {
        CAPTURE(sample.text);
        auto tree = source::parse(sample.language, sample.text);
        REQUIRE(tree.ok());
        const std::vector<Visit> expected = visits_by_cursor(*tree);
        CHECK(expected.size() > (sample.text.empty() ? 0U : 5U));
        CHECK(visits_by_walk(*tree) == expected);
        std::vector<Visit> named = expected;
        std::erase_if(named, [](const Visit& visit) { return visit.anonymous_leaf; });
        CHECK((named.size() < expected.size() || sample.text.empty()));
        CHECK(visits_by_walk(*tree, source::SyntaxTree::Visit::named_leaves) == named);
    }
}

namespace {

struct ChildSeen
{
    std::string type;
    uint32_t start = 0;
    uint32_t end = 0;
    TSFieldId field = 0;
    bool operator==(const ChildSeen&) const = default;
};

std::vector<ChildSeen> children_by_cursor(TSNode node)
{
    std::vector<ChildSeen> seen;
    TSTreeCursor cursor = ts_tree_cursor_new(node);
    if (ts_tree_cursor_goto_first_child(&cursor)) {
        do {
            const TSNode child = ts_tree_cursor_current_node(&cursor);
            seen.push_back({ts_node_type(child),
                            ts_node_start_byte(child),
                            ts_node_end_byte(child),
                            ts_tree_cursor_current_field_id(&cursor)});
        } while (ts_tree_cursor_goto_next_sibling(&cursor));
    }
    ts_tree_cursor_delete(&cursor);
    return seen;
}

} // namespace

TEST_CASE("read_children gives every node's children and fields as a cursor does")
{
    // Fields through hidden nodes (Python's parameters, C's declarators), aliases,
    // extras between children, errors, and a block of more children than the first read
    // holds.
    std::string many = "def f(a, b=1, *c, d: int = 2, **e):\n";
    for (int i = 0; i < 40; ++i) {
        many += "    x" + std::to_string(i) + " = y  # c\n";
    }
    const std::vector<Sample> samples{
        {Language::python, many},
        {Language::python,
         "import os  # c\n@d\nclass A(B, metaclass=M):\n    def f(self, *a, **k):\n"
         "        return [x for x in a if x], {k: v for k, v in k.items()}  # tail\n"},
        {Language::python, "def f(:\n    return (1,\n"},
        {Language::javascript, "const {a, b: c} = require('m'); /* c */ o.p = {a, [k]: 1};\n"},
        {Language::typescript, "type T = {a?: string}; function f<T>(x: T): T { return x }\n"},
        {Language::c, "static int *f(int a, char **b) { return a ? b[0] : 0; }\n"},
        {Language::cpp,
         "template <class T> struct S : B { T x{}; auto f() -> T { return x; } };\n"},
        {Language::go, "package p\n// c\nfunc f(a ...int) { for i := range a { _ = i } }\n"},
        {Language::rust, "fn f<'a>(x: &'a str) -> Option<&'a str> { Some(x) }\n"},
        {Language::bash, "for f in *; do echo \"$f\" | grep -q x && rm -- \"$f\"; done # c\n"},
        {Language::java, "class A { void f() { int x = ; } }"},
    };
    std::size_t with_field = 0;
    for (const Sample& sample : samples) {
        CAPTURE(sample.text);
        auto tree = source::parse(sample.language, sample.text);
        REQUIRE(tree.ok());
        std::size_t nodes = 0;
        std::vector<AiopsChild> read;
        tree->walk(
            [&](TSNode node) {
                ++nodes;
                source::read_children(node, read);
                std::vector<ChildSeen> seen;
                for (const AiopsChild& child : read) {
                    seen.push_back({ts_node_type(child.node),
                                    ts_node_start_byte(child.node),
                                    ts_node_end_byte(child.node),
                                    child.field});
                    with_field += child.field != 0 ? 1 : 0;
                }
                CHECK(seen == children_by_cursor(node));
                // Without fields: the same children, every field 0.
                std::vector<ChildSeen> unfielded;
                source::for_each_child(
                    node,
                    [&](TSNode child, TSFieldId field) {
                        unfielded.push_back({ts_node_type(child),
                                             ts_node_start_byte(child),
                                             ts_node_end_byte(child),
                                             field});
                    },
                    source::ChildFields::skipped);
                for (ChildSeen& child : seen) {
                    child.field = 0;
                }
                CHECK(unfielded == seen);
            },
            [] {});
        CHECK(nodes > 5);
    }
    CHECK(with_field > 100);
}

TEST_CASE("walk_statements visits the wanted nodes with the row their statement starts at")
{
    const std::string code = "import os\n"
                             "x = call(\n"
                             "    a,\n"
                             "    b)\n"
                             "def f(\n"
                             "    p):\n"
                             "    return [y\n"
                             "            for y in p]\n";
    auto tree = source::parse(Language::python, code);
    REQUIRE(tree.ok());
    const TSLanguage* grammar = ts_node_language(tree->root());
    const auto symbol = [&](const char* name) {
        return ts_language_symbol_for_name(
            grammar, name, static_cast<uint32_t>(std::strlen(name)), true);
    };
    std::vector<std::uint8_t> containers(ts_language_symbol_count(grammar));
    containers[symbol("block")] = 1;
    std::vector<std::uint8_t> wanted(containers.size());
    wanted[symbol("identifier")] = 1;

    // The same rows from a walk of every node that keeps the statement rows itself.
    std::vector<std::pair<std::string, uint32_t>> expected;
    std::vector<std::pair<bool, uint32_t>> frames; // container, statement row
    tree->walk(
        [&](TSNode node) {
            const uint32_t row = ts_node_start_point(node).row;
            const uint32_t statement_row =
                frames.empty() || frames.back().first ? row : frames.back().second;
            if (ts_node_symbol(node) == symbol("identifier")) {
                expected.emplace_back(std::string(tree->node_text(node)), statement_row);
            }
            frames.emplace_back(frames.empty() || containers[ts_node_symbol(node)] != 0,
                                statement_row);
        },
        [&] { frames.pop_back(); },
        source::SyntaxTree::Visit::named_leaves);

    std::vector<std::pair<std::string, uint32_t>> seen;
    tree->walk_statements(wanted, containers, [&](TSNode node, uint32_t statement_row) {
        seen.emplace_back(std::string(tree->node_text(node)), statement_row);
    });
    CHECK(seen == expected);
    // b is inside the statement that starts on row 1; y in the for clause inside the
    // return statement that starts on row 6.
    const std::vector<std::pair<std::string, uint32_t>> spot{{"os", 0},
                                                             {"x", 1},
                                                             {"call", 1},
                                                             {"a", 1},
                                                             {"b", 1},
                                                             {"f", 4},
                                                             {"p", 4},
                                                             {"y", 6},
                                                             {"y", 6},
                                                             {"p", 6}};
    CHECK(seen == spot);

    // Without a filter every node but anonymous leaves is visited.
    std::size_t all = 0;
    tree->walk_statements({}, containers, [&](TSNode, uint32_t) { ++all; });
    CHECK(all > seen.size() + 10);
}
