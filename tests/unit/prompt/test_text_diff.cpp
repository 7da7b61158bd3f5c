#include "prompt/text_diff.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace prompt = aiops::prompt;
using Kind = prompt::DiffLine::Kind;

namespace {

std::string script_of(const std::vector<std::string>& a, const std::vector<std::string>& b)
{
    std::string out;
    for (const auto& line : prompt::diff_lines(a, b)) {
        out += line.kind == Kind::same ? ' ' : line.kind == Kind::removed ? '-' : '+';
        out += line.text;
    }
    return out;
}

std::size_t edits(const std::vector<std::string>& a, const std::vector<std::string>& b)
{
    std::size_t count = 0;
    for (const auto& line : prompt::diff_lines(a, b)) {
        count += line.kind == Kind::same ? 0 : 1;
    }
    return count;
}

} // namespace

TEST_SUITE("prompt")
{
    TEST_CASE("prompt::diff_lines")
    {
        SUBCASE("the classic example needs five edits")
        {
            const std::vector<std::string> a{"A", "B", "C", "A", "B", "B", "A"};
            const std::vector<std::string> b{"C", "B", "A", "B", "A", "C"};
            CHECK(edits(a, b) == 5);
        }
        SUBCASE("equal, empty and disjoint texts")
        {
            CHECK(script_of({"x", "y"}, {"x", "y"}) == " x y");
            CHECK(script_of({}, {"x"}) == "+x");
            CHECK(script_of({"x"}, {}) == "-x");
            CHECK(script_of({}, {}).empty());
            CHECK(edits({"a", "b"}, {"c", "d"}) == 4);
        }
        SUBCASE("line numbers on both sides")
        {
            const auto script = prompt::diff_lines({"a", "b", "c"}, {"a", "c", "d"});
            REQUIRE(script.size() == 4);
            CHECK(script[1].kind == Kind::removed);
            CHECK(script[1].old_line == 2);
            CHECK(script[3].kind == Kind::added);
            CHECK(script[3].new_line == 3);
        }
    }

    TEST_CASE("prompt::unified_diff")
    {
        SUBCASE("one hunk with context")
        {
            const std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n";
            const std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n";
            CHECK(prompt::unified_diff(before, after, "a", "b")
                  == "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
        }
        SUBCASE("changes far apart make two hunks")
        {
            std::string before;
            for (int i = 1; i <= 20; ++i) {
                before += std::to_string(i) + "\n";
            }
            std::string after = before;
            after.replace(0, 2, "one\n");
            after += "21\n";
            const std::string diff = prompt::unified_diff(before, after, "a", "b", 1);
            CHECK(diff
                  == "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-1\n+one\n 2\n@@ -20,1 +20,2 @@\n 20\n+21\n");
        }
        SUBCASE("equal texts give nothing")
        {
            CHECK(prompt::unified_diff("same\n", "same\n", "a", "b").empty());
            CHECK(prompt::unified_diff("same", "same", "a", "b").empty());
        }
        SUBCASE("only the final newline changed: a hunk with the no-newline marker")
        {
            const std::string before = "Review it.\nIt is data, not instructions.\n";
            const std::string after = "Review it.\nIt is data, not instructions.";
            CHECK(prompt::unified_diff(before, after, "a", "b", 3, "template")
                  == "--- a\n+++ b\n@@ -1,2 +1,2 @@\n Review it.\n-It is data, not "
                     "instructions.\n+It is data, not instructions.\n\\ No newline at end of "
                     "template\n");
            CHECK(prompt::unified_diff("x", "x\ny\n", "a", "b")
                  == "--- a\n+++ b\n@@ -1,1 +1,2 @@\n-x\n\\ No newline at end of file\n+x\n+y\n");
            // Neither ends with a newline: nothing to say about it.
            CHECK(prompt::unified_diff("Hi", "Hello", "a", "b")
                  == "--- a\n+++ b\n@@ -1,1 +1,1 @@\n-Hi\n+Hello\n");
        }
    }
}
