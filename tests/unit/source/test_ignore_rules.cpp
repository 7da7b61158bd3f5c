#include "source/ignore_rules.hpp"

#include <doctest/doctest.h>

namespace source = aiops::source;

namespace {

source::IgnoreRules rules_from(std::string_view content)
{
    source::IgnoreRules rules;
    rules.add_file("", content);
    return rules;
}

} // namespace

TEST_SUITE("source")
{
    TEST_CASE("source::glob_match")
    {
        SUBCASE("'*' matches within one segment only")
        {
            CHECK(source::glob_match("*.py", "app.py"));
            CHECK(source::glob_match("*.py", ".py"));
            CHECK_FALSE(source::glob_match("*.py", "src/app.py"));
            CHECK_FALSE(source::glob_match("*.py", "app.pyc"));
            CHECK(source::glob_match("src/*", "src/app.py"));
            CHECK_FALSE(source::glob_match("src/*", "src/lib/app.py"));
        }

        SUBCASE("'?' matches one character, never '/'")
        {
            CHECK(source::glob_match("a?c", "abc"));
            CHECK_FALSE(source::glob_match("a?c", "ac"));
            CHECK_FALSE(source::glob_match("a?c", "abbc"));
            CHECK_FALSE(source::glob_match("a?c", "a/c"));
        }

        SUBCASE("a bracket range matches one character of the range")
        {
            CHECK(source::glob_match("[a-c].txt", "a.txt"));
            CHECK(source::glob_match("[a-c].txt", "c.txt"));
            CHECK_FALSE(source::glob_match("[a-c].txt", "d.txt"));
            CHECK(source::glob_match("file[0-9]", "file7"));
            CHECK(source::glob_match("[xyz]", "y"));
        }

        SUBCASE("a negated bracket matches any other character")
        {
            CHECK(source::glob_match("[!a].txt", "b.txt"));
            CHECK_FALSE(source::glob_match("[!a].txt", "a.txt"));
            CHECK(source::glob_match("[^a].txt", "b.txt"));
            CHECK_FALSE(source::glob_match("[!a]", "/"));
        }

        SUBCASE("an unclosed bracket is a literal character")
        {
            CHECK(source::glob_match("[abc", "[abc"));
            CHECK_FALSE(source::glob_match("[abc", "a"));
        }

        SUBCASE("a backslash makes the next character literal")
        {
            CHECK(source::glob_match("\\*.py", "*.py"));
            CHECK_FALSE(source::glob_match("\\*.py", "app.py"));
        }

        SUBCASE("a leading '**/' matches in every folder, the top one included")
        {
            CHECK(source::glob_match("**/cache", "cache"));
            CHECK(source::glob_match("**/cache", "a/cache"));
            CHECK(source::glob_match("**/cache", "a/b/cache"));
            CHECK_FALSE(source::glob_match("**/cache", "a/xcache"));
            CHECK_FALSE(source::glob_match("**/cache", "cache/a"));
        }

        SUBCASE("a trailing '/**' matches everything inside, not the folder itself")
        {
            CHECK(source::glob_match("logs/**", "logs/a.txt"));
            CHECK(source::glob_match("logs/**", "logs/2024/a.txt"));
            CHECK_FALSE(source::glob_match("logs/**", "logs"));
            CHECK_FALSE(source::glob_match("logs/**", "other/a.txt"));
        }

        SUBCASE("'/**/' in the middle matches zero or more folders")
        {
            CHECK(source::glob_match("a/**/b", "a/b"));
            CHECK(source::glob_match("a/**/b", "a/x/b"));
            CHECK(source::glob_match("a/**/b", "a/x/y/b"));
            CHECK_FALSE(source::glob_match("a/**/b", "a/xb"));
            CHECK_FALSE(source::glob_match("a/**/b", "ab"));
            CHECK_FALSE(source::glob_match("a/**/b", "a/x/bc"));
        }

        SUBCASE("'**' inside a segment is an ordinary '*'")
        {
            CHECK(source::glob_match("a**z", "abcz"));
            CHECK_FALSE(source::glob_match("a**z", "ab/cz"));
        }

        SUBCASE("literal text must match all of the path")
        {
            CHECK(source::glob_match("build", "build"));
            CHECK_FALSE(source::glob_match("build", "builds"));
            CHECK_FALSE(source::glob_match("build", "buil"));
        }
    }

    TEST_CASE("source::IgnoreRules")
    {
        SUBCASE("no patterns ignore nothing")
        {
            const source::IgnoreRules rules;
            CHECK(rules.empty());
            CHECK_FALSE(rules.is_ignored("a.py", false));
        }

        SUBCASE("blank lines and comments are not patterns")
        {
            const auto rules = rules_from("# *.py\n\n   \n");
            CHECK(rules.empty());
            CHECK_FALSE(rules.is_ignored("a.py", false));
        }

        SUBCASE("an escaped '#' or '!' is literal")
        {
            const auto rules = rules_from("\\#notes\n\\!important\n");
            CHECK(rules.is_ignored("#notes", false));
            CHECK(rules.is_ignored("!important", false));
        }

        SUBCASE("trailing spaces and a CR at the end of a line are dropped")
        {
            const auto rules = rules_from("a.py   \r\nb.py\r\n");
            CHECK(rules.is_ignored("a.py", false));
            CHECK(rules.is_ignored("b.py", false));
        }

        SUBCASE("'!' re-includes, and the last matching pattern wins")
        {
            const auto rules = rules_from("*.log\n!keep.log\n");
            CHECK(rules.is_ignored("debug.log", false));
            CHECK_FALSE(rules.is_ignored("keep.log", false));
            CHECK(rules.match("keep.log", false) == -1);
            CHECK(rules.match("debug.log", false) == 1);
            CHECK(rules.match("app.py", false) == 0);

            const auto reversed = rules_from("!keep.log\n*.log\n");
            CHECK(reversed.is_ignored("keep.log", false));
        }

        SUBCASE("a trailing '/' matches folders only")
        {
            const auto rules = rules_from("build/\n");
            CHECK(rules.is_ignored("build", true));
            CHECK_FALSE(rules.is_ignored("build", false));
            CHECK(rules.is_ignored("src/build", true));
            CHECK(rules.is_ignored("build/out.py", false));
            CHECK(rules.is_ignored("src/build/out.py", false));
        }

        SUBCASE("a pattern without '/' matches the name at any depth")
        {
            const auto rules = rules_from("secret.py\n");
            CHECK(rules.is_ignored("secret.py", false));
            CHECK(rules.is_ignored("a/b/secret.py", false));
            CHECK_FALSE(rules.is_ignored("a/b/secret.pyc", false));
        }

        SUBCASE("a leading '/' anchors the pattern to its base folder")
        {
            const auto rules = rules_from("/config.py\n");
            CHECK(rules.is_ignored("config.py", false));
            CHECK_FALSE(rules.is_ignored("app/config.py", false));
        }

        SUBCASE("a '/' in the middle anchors the pattern too")
        {
            const auto rules = rules_from("docs/*.md\n");
            CHECK(rules.is_ignored("docs/a.md", false));
            CHECK_FALSE(rules.is_ignored("src/docs/a.md", false));
        }

        SUBCASE("a pattern on a folder ignores everything below it")
        {
            const auto rules = rules_from("generated\n");
            CHECK(rules.is_ignored("generated/a/b.py", false));
            CHECK(rules.is_ignored("src/generated/b.py", false));
            CHECK_FALSE(rules.is_ignored("src/generated.py", false));
        }

        SUBCASE("nothing is re-included below an ignored folder")
        {
            const auto rules = rules_from("logs/\n!logs/keep.txt\n");
            CHECK(rules.match("logs/keep.txt", false) == -1);
            CHECK(rules.is_ignored("logs/keep.txt", false));
        }

        SUBCASE("a pattern of an ignore file in a nested folder applies only below it")
        {
            source::IgnoreRules rules;
            rules.add_file("sub", "*.tmp\n/local.py\n");
            CHECK(rules.is_ignored("sub/x.tmp", false));
            CHECK(rules.is_ignored("sub/deeper/x.tmp", false));
            CHECK_FALSE(rules.is_ignored("x.tmp", false));
            CHECK_FALSE(rules.is_ignored("other/x.tmp", false));
            CHECK_FALSE(rules.is_ignored("subway/x.tmp", false));

            CHECK(rules.is_ignored("sub/local.py", false));
            CHECK_FALSE(rules.is_ignored("sub/deeper/local.py", false));
            CHECK_FALSE(rules.is_ignored("local.py", false));
        }

        SUBCASE("a nested file may re-include what the root one ignores")
        {
            source::IgnoreRules rules;
            rules.add_file("", "*.gen.py\n");
            rules.add_file("keep", "!*.gen.py\n");
            CHECK(rules.is_ignored("a.gen.py", false));
            CHECK_FALSE(rules.is_ignored("keep/a.gen.py", false));
        }

        SUBCASE("add_pattern adds one pattern relative to the root")
        {
            source::IgnoreRules rules;
            rules.add_pattern("/vendor/");
            CHECK_FALSE(rules.empty());
            CHECK(rules.is_ignored("vendor/lib.py", false));
            CHECK_FALSE(rules.is_ignored("src/vendor/lib.py", false));
        }

        SUBCASE("'**' patterns")
        {
            const auto rules = rules_from("**/fixtures/*.json\nout/**\n");
            CHECK(rules.is_ignored("fixtures/a.json", false));
            CHECK(rules.is_ignored("tests/unit/fixtures/a.json", false));
            CHECK_FALSE(rules.is_ignored("tests/fixtures/deep/a.json", false));
            CHECK(rules.is_ignored("out/a/b.py", false));
            CHECK_FALSE(rules.is_ignored("src/out/b.py", false));
        }
    }
}
