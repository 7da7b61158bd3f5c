#include "printers.hpp"
#include "validate/syntax_check.hpp"
#include "validate/validate.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace core = aiops::core;
namespace source = aiops::source;
namespace validate = aiops::validate;

using source::Language;

namespace {

// C++ that the C grammar cannot parse.
constexpr std::string_view k_cpp_header = "namespace geo {\n"
                                          "template <typename T>\n"
                                          "class Point {\n"
                                          "public:\n"
                                          "    T x = 0;\n"
                                          "};\n"
                                          "}\n";

validate::TextOutcome check(const std::string& path,
                            Language language,
                            std::string_view text,
                            std::size_t max_problems = 50,
                            std::optional<std::size_t> invalid_offset = std::nullopt)
{
    std::vector<std::unique_ptr<validate::Check>> checks;
    checks.push_back(validate::make_syntax_check(max_problems));
    auto outcome =
        validate::check_text(checks, path, path, language, text, invalid_offset, "bad bytes");
    REQUIRE(outcome.ok());
    return std::move(outcome).take();
}

} // namespace

TEST_SUITE("validate")
{
    TEST_CASE("validate: the syntax check")
    {
        SUBCASE("valid code has no findings")
        {
            const auto outcome = check("a.py", Language::python, "x = 1\n");
            CHECK(outcome.findings.empty());
            CHECK_FALSE(outcome.note.has_value());
            CHECK(outcome.parsed_as == Language::python);
        }

        SUBCASE("JSON is held to the standard: exponents with '+', one value, no empty file")
        {
            CHECK(check("a.json", Language::json, "[1e+1, 1.5E-3]\n").findings.empty());
            CHECK(check("a.json", Language::json, "{\"a\": 1 /* editors allow comments */}\n")
                      .findings.empty());
            const auto two = check("a.json", Language::json, "{\"a\":1}\n{\"b\":2}\n");
            REQUIRE(two.findings.size() == 1);
            CHECK(two.findings[0].location.start_line == 2);
            CHECK(two.findings[0].message.starts_with("invalid JSON: "));
            CHECK(check("a.json", Language::json, "").findings.size() == 1);
            const auto comma = check("a.json", Language::json, "{\"a\": 1,, \"b\": 2}");
            REQUIRE(comma.findings.size() == 1);
            CHECK(comma.findings[0].location.start_column == 9);
        }

        SUBCASE("tsconfig.json and editor settings are JSONC: trailing commas are valid there")
        {
            const std::string text =
                "{\n  // options\n  \"compilerOptions\": {\"strict\": true,},\n"
                "  \"include\": [\"src\", /* all */],\n}\n";
            CHECK(check("tsconfig.json", Language::json, text).findings.empty());
            CHECK(check("pkg/tsconfig.build.json", Language::json, text).findings.empty());
            CHECK(check("jsconfig.json", Language::json, text).findings.empty());
            CHECK(check(".vscode/settings.json", Language::json, text).findings.empty());
            const auto strict = check("package.json", Language::json, text);
            REQUIRE(strict.findings.size() == 1);
            CHECK(strict.findings[0].location.start_line == 3);
            // A comma with nothing after it is still an error in JSONC.
            const auto broken = check("tsconfig.json", Language::json, "{\"a\": 1,, \"b\": 2}");
            REQUIRE(broken.findings.size() == 1);
            CHECK(broken.findings[0].location.start_column == 9);
        }

        SUBCASE("a finding's position counts code points")
        {
            // 'else' starts the second line; 'é' before it on line 1 must not shift it.
            const auto outcome = check("a.py", Language::python, "s = '\xC3\xA9'\nelse:\n");
            REQUIRE_FALSE(outcome.findings.empty());
            const core::Finding& f = outcome.findings[0];
            CHECK(f.location.path == "a.py");
            CHECK(f.location.start_line == 2);
            CHECK(f.location.start_column == 1);
            CHECK(f.rule_id == "syntax.error");
        }

        SUBCASE("a compile problem's range and snippet")
        {
            const auto outcome = check("a.py", Language::python, "x = 1\ny = \xC3\xA9 + 0777\n");
            REQUIRE(outcome.findings.size() == 1);
            const core::Finding& f = outcome.findings[0];
            CHECK(f.location.start_line == 2);
            CHECK(f.location.start_column == 9);
            CHECK(f.location.end_line == 2);
            CHECK(f.location.end_column == 13);
            CHECK(f.snippet == "y = \xC3\xA9 + 0777");
        }

        SUBCASE("a missing token gets its own rule")
        {
            const auto outcome =
                check("a.go", Language::go, "package main\nfunc main() {\n\tf(1, 2\n}\n");
            REQUIRE_FALSE(outcome.findings.empty());
            bool any_missing = false;
            for (const auto& f : outcome.findings) {
                any_missing = any_missing || f.rule_id == "syntax.missing";
            }
            CHECK(any_missing);
        }

        SUBCASE("an invalid offset gives an encoding finding first")
        {
            const auto outcome = check("a.py", Language::python, "x = 1\ns = 2\n", 50, 8);
            REQUIRE(outcome.findings.size() == 1);
            const core::Finding& f = outcome.findings[0];
            CHECK(f.rule_id == "syntax.encoding");
            CHECK(f.message == "bad bytes");
            CHECK(f.location.start_line == 2);
            CHECK(f.location.start_column == 3);
        }

        SUBCASE("problems past the cap are counted, not shown")
        {
            const auto outcome =
                check("a.py", Language::python, "return 1\nreturn 2\nreturn 3\n", 1);
            CHECK(outcome.findings.size() == 1);
            CHECK(outcome.note
                  == "2 more syntax problems are not shown (at most 1 a file; see "
                     "--max-errors-per-file)");
        }

        SUBCASE("a .h file counts as C++ when only C++ parses it")
        {
            const auto outcome = check("include/point.h", Language::c, k_cpp_header);
            CHECK(outcome.findings.empty());
            CHECK(outcome.parsed_as == Language::cpp);
        }

        SUBCASE("a .h file of C stays C")
        {
            const auto outcome = check("include/util.h", Language::c, "int add(int a, int b);\n");
            CHECK(outcome.findings.empty());
            CHECK(outcome.parsed_as == Language::c);
        }

        SUBCASE("a .c file is never parsed as C++")
        {
            const auto outcome = check("point.c", Language::c, k_cpp_header);
            CHECK_FALSE(outcome.findings.empty());
            CHECK(outcome.parsed_as == Language::c);
        }
    }

    TEST_CASE("validate: the syntax rules")
    {
        const auto rules = validate::make_syntax_check(50)->rules();
        REQUIRE(rules.size() == 3);
        for (const auto& rule : rules) {
            CAPTURE(rule.id);
            CHECK_FALSE(rule.name.empty());
            CHECK_FALSE(rule.short_description.empty());
            CHECK(rule.default_severity == core::Severity::high);
        }
    }
}
