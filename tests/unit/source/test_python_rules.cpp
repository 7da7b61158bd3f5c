#include "printers.hpp"
#include "source/python_rules.hpp"
#include "source/syntax_tree.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace source = aiops::source;

namespace {

// Every message find_syntax_problems gives for a Python file. The expected messages
// below are CPython 3.11's, checked with compile(), in aiops's lowercase wording.
std::vector<std::string> messages_of(std::string_view text)
{
    auto tree = source::parse(source::Language::python, text);
    REQUIRE(tree.ok());
    std::size_t total = 0;
    std::vector<std::string> messages;
    for (const auto& problem : source::find_syntax_problems(*tree, 100, total)) {
        messages.push_back(problem.message);
    }
    CHECK(total == messages.size());
    return messages;
}

using Messages = std::vector<std::string>;

const Messages k_none{};

constexpr const char* k_print_message =
    "missing parentheses in call to 'print'; did you mean print(...)?";
constexpr const char* k_leading_zero_message = "leading zeros in decimal integer literals are not "
                                               "permitted; use an 0o prefix for octal integers";
constexpr const char* k_future_placement_message =
    "from __future__ imports must occur at the beginning of the file";

} // namespace

TEST_SUITE("source")
{
    TEST_CASE("source::find_python_compile_problems")
    {
        SUBCASE("a Python 2 print statement is flagged")
        {
            CHECK(messages_of("print \"x\"\n") == Messages{k_print_message});
            CHECK(messages_of("print x, y\n") == Messages{k_print_message});
        }

        SUBCASE("print used as an operand is a Python 3 expression")
        {
            CHECK(messages_of("print >> f, x\n") == k_none);
            CHECK(messages_of("print -1\n") == k_none);
            CHECK(messages_of("print(\"x\")\n") == k_none);
            CHECK(messages_of("print, x\n") == k_none);
        }

        SUBCASE("a Python 2 exec statement is flagged")
        {
            CHECK(messages_of("exec \"code\"\n")
                  == Messages{"missing parentheses in call to 'exec'"});
        }

        SUBCASE("'return' outside a function is flagged")
        {
            CHECK(messages_of("return 1\n") == Messages{"'return' outside function"});
            CHECK(messages_of("if x:\n    return\n") == Messages{"'return' outside function"});
            CHECK(messages_of("def f():\n    class A:\n        return 1\n")
                  == Messages{"'return' outside function"});
        }

        SUBCASE("'return' inside a function is fine")
        {
            CHECK(messages_of("def f():\n    if x:\n        return 1\n") == k_none);
            CHECK(messages_of("class A:\n    def f(self):\n        return 1\n") == k_none);
        }

        SUBCASE("'yield' outside a function is flagged")
        {
            CHECK(messages_of("yield 1\n") == Messages{"'yield' outside function"});
            CHECK(messages_of("def f():\n    yield 1\n") == k_none);
            CHECK(messages_of("f = lambda: (yield)\n") == k_none);
        }

        SUBCASE("'break' in a loop's body is fine")
        {
            CHECK(messages_of("for x in y:\n    break\n") == k_none);
            CHECK(messages_of("while True:\n    if x:\n        break\n") == k_none);
            CHECK(messages_of("for x in y:\n    pass\nelse:\n    while True:\n        break\n")
                  == k_none);
        }

        SUBCASE("'break' in a loop's else clause is flagged")
        {
            const std::string_view text = "for x in y:\n    pass\nelse:\n    break\n";
            auto tree = source::parse(source::Language::python, text);
            REQUIRE(tree.ok());
            std::size_t total = 0;
            const auto problems = source::find_syntax_problems(*tree, 100, total);
            REQUIRE(problems.size() == 1);
            CHECK(problems[0].message == "'break' outside loop");
            CHECK(problems[0].start_byte == text.find("break"));
            CHECK(problems[0].end_byte == text.find("break") + 5);

            CHECK(messages_of("while x:\n    pass\nelse:\n    break\n")
                  == Messages{"'break' outside loop"});
        }

        SUBCASE("'break' and 'continue' outside any loop are flagged")
        {
            CHECK(messages_of("break\n") == Messages{"'break' outside loop"});
            CHECK(messages_of("continue\n") == Messages{"'continue' not properly in loop"});
            CHECK(messages_of("for x in y:\n    def f():\n        break\n")
                  == Messages{"'break' outside loop"});
        }

        SUBCASE("'await' outside an async function is flagged")
        {
            CHECK(messages_of("await x\n") == Messages{"'await' outside function"});
            CHECK(messages_of("def f():\n    await x\n")
                  == Messages{"'await' outside async function"});
            CHECK(messages_of("async def f():\n    await x\n") == k_none);
        }

        SUBCASE("'await' in a generator expression inside a plain function is fine")
        {
            CHECK(messages_of("def f(xs):\n    return (await x for x in xs)\n") == k_none);
        }

        SUBCASE("decimal integers with leading zeros are flagged")
        {
            const std::string_view text = "x = 0777\n";
            auto tree = source::parse(source::Language::python, text);
            REQUIRE(tree.ok());
            std::size_t total = 0;
            const auto problems = source::find_syntax_problems(*tree, 100, total);
            REQUIRE(problems.size() == 1);
            CHECK(problems[0].message == k_leading_zero_message);
            CHECK(problems[0].start_byte == 4);
            CHECK(problems[0].end_byte == 8);

            CHECK(messages_of("x = 0_7\n") == Messages{k_leading_zero_message});
        }

        SUBCASE("octal literals, zeros and imaginary literals are fine")
        {
            CHECK(messages_of("x = 0o777\n") == k_none);
            CHECK(messages_of("x = 00\n") == k_none);
            CHECK(messages_of("x = 0\n") == k_none);
            CHECK(messages_of("x = 0777j\n") == k_none);
            CHECK(messages_of("x = 0x1F + 10\n") == k_none);
        }

        SUBCASE("a Python 2 long suffix is flagged")
        {
            CHECK(messages_of("x = 10L\n")
                  == Messages{"invalid decimal literal (Python 2 long suffix)"});
        }

        SUBCASE("from __future__ import braces")
        {
            CHECK(messages_of("from __future__ import braces\n") == Messages{"not a chance"});
        }

        SUBCASE("an unknown future feature is flagged")
        {
            CHECK(messages_of("from __future__ import nonexistent\n")
                  == Messages{"future feature 'nonexistent' is not defined"});
            CHECK(messages_of("from __future__ import annotations, generator_stop\n") == k_none);
        }

        SUBCASE("a future import after code is flagged")
        {
            CHECK(messages_of("x = 1\nfrom __future__ import annotations\n")
                  == Messages{k_future_placement_message});
            CHECK(messages_of("def f():\n    from __future__ import annotations\n")
                  == Messages{k_future_placement_message});
        }

        SUBCASE("a future import after a docstring, comments or another future import is fine")
        {
            CHECK(messages_of("\"\"\"Module docstring.\"\"\"\nfrom __future__ import annotations\n")
                  == k_none);
            CHECK(messages_of(
                      "# comment\n\"\"\"doc\"\"\"\n# more\nfrom __future__ import annotations\n")
                  == k_none);
            CHECK(
                messages_of("from __future__ import division\nfrom __future__ import annotations\n")
                == k_none);
        }

        SUBCASE("a second string before a future import is code")
        {
            CHECK(messages_of("\"a\"\n\"b\"\nfrom __future__ import annotations\n")
                  == Messages{k_future_placement_message});
        }

        SUBCASE("'print not x' is a Python 2 print statement, 'print not in x' an expression")
        {
            CHECK(messages_of("print not x\n") == Messages{k_print_message});
            CHECK(messages_of("print not in x\n") == k_none);
        }

        SUBCASE("an f-string or bytes literal before a future import is code, not a docstring")
        {
            CHECK(messages_of("f\"doc\"\nfrom __future__ import annotations\n")
                  == Messages{k_future_placement_message});
            CHECK(messages_of("b\"doc\"\nfrom __future__ import annotations\n")
                  == Messages{k_future_placement_message});
        }

        SUBCASE("implicitly concatenated strings are one docstring")
        {
            CHECK(messages_of("\"a\" \"b\"\nfrom __future__ import annotations\n") == k_none);
            CHECK(messages_of("r\"a\" u\"b\"\nfrom __future__ import annotations\n") == k_none);
        }

        SUBCASE("'yield' inside a comprehension or generator expression is flagged")
        {
            CHECK(messages_of("def f():\n    return ((yield) for x in y)\n")
                  == Messages{"'yield' inside generator expression"});
            CHECK(messages_of("def f():\n    return [(yield) for x in y]\n")
                  == Messages{"'yield' inside list comprehension"});
        }

        SUBCASE("the first iterable of a comprehension belongs to the scope around it")
        {
            CHECK(messages_of("def g():\n    [x for x in [(yield 1)]]\n") == k_none);
            CHECK(messages_of("def g():\n    [x for x in y for z in [(yield 1)]]\n")
                  == Messages{"'yield' inside list comprehension"});
        }

        SUBCASE("indentation errors are CPython's")
        {
            CHECK(messages_of("if x:\npass\n")
                  == Messages{"expected an indented block after 'if' statement on line 1"});
            CHECK(messages_of("x = 1\n    y = 2\n") == Messages{"unexpected indent"});
            CHECK(messages_of("if x:\n    pass\n  else:\n    pass\n")
                  == Messages{"unindent does not match any outer indentation level"});
            CHECK(messages_of("class A:\n    def f(self):\n        pass\n      y = 1\n")
                  == Messages{"unindent does not match any outer indentation level"});
            CHECK(messages_of("def f():\n    if x:\n        pass\n    return 1\n") == k_none);
        }

        SUBCASE("tabs and spaces that disagree are a TabError")
        {
            const Messages messages = messages_of("def f():\n\tif x:\n        pass\n");
            CHECK(std::find(messages.begin(),
                            messages.end(),
                            "inconsistent use of tabs and spaces in indentation")
                  != messages.end());
            CHECK(messages_of("def f():\n\tif x:\n\t\tpass\n") == k_none);
        }

        SUBCASE("a try needs an except or finally")
        {
            CHECK(messages_of("try:\n    pass\n")
                  == Messages{"expected 'except' or 'finally' block"});
            CHECK(messages_of("try:\n    pass\nfinally:\n    pass\n") == k_none);
        }

        SUBCASE("an annotation's type or a lambda's body on a later line than its ':'")
        {
            // The grammar reads `Usage:` over a later line of code as an annotation of
            // that code; CPython stops with "invalid syntax" at the end of the colon's line.
            const std::string message = "invalid syntax: an annotation's type must follow ':' "
                                        "on its line";
            CHECK(messages_of("def add(a, b):\n    return a + b\n\nUsage:\n\nadd(1, 2)\n")
                  == Messages{message});
            CHECK(messages_of("def add(a, b):\n    Explanation:\n    return a + b\n").front()
                  == message);
            CHECK(messages_of("x: \\\n    int = 3\n") == k_none);
            CHECK(messages_of("x: (\n    int) = 3\n") == k_none);
            CHECK(messages_of("Output: 3\n") == k_none);
            CHECK(messages_of("x:  # a comment\n    int\n") == Messages{message});
            CHECK(messages_of("f = lambda:\n    3\n")
                  == Messages{"invalid syntax: a lambda's body must follow ':' on its line"});
            CHECK(messages_of("f(lambda:\n    3)\n") == k_none);
        }

        SUBCASE("problems of several kinds come in source order")
        {
            CHECK(
                messages_of("print \"x\"\nreturn 1\nx = 0777\n")
                == Messages{k_print_message, "'return' outside function", k_leading_zero_message});
        }
    }
}
