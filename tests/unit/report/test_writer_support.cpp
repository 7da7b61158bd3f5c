#include "printers.hpp"
#include "report/writer_support.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;
namespace report = aiops::report;

TEST_SUITE("report")
{
    TEST_CASE("report::cwe_number")
    {
        CHECK(report::cwe_number("CWE-78") == std::optional<std::string>("78"));
        CHECK(report::cwe_number("cwe-078") == std::optional<std::string>("78"));
        CHECK(report::cwe_number("1336") == std::optional<std::string>("1336"));
        CHECK_FALSE(report::cwe_number("CWE-").has_value());
        CHECK_FALSE(report::cwe_number("CWE-7x").has_value());
        CHECK_FALSE(report::cwe_number("A03:2021").has_value());
        CHECK_FALSE(report::cwe_number("").has_value());
        CHECK_FALSE(report::cwe_number("CWE-1234567890").has_value());
    }

    TEST_CASE("report::parse_utc_millis")
    {
        CHECK(report::parse_utc_millis("1970-01-01T00:00:00Z") == std::optional<std::int64_t>(0));
        CHECK(report::parse_utc_millis("1970-01-01T00:00:01.250Z")
              == std::optional<std::int64_t>(1250));
        CHECK(report::parse_utc_millis("2026-01-31T12:00:00")
              == std::optional<std::int64_t>(1769860800000));
        CHECK_FALSE(report::parse_utc_millis("2026-02-30T12:00:00Z").has_value());
        CHECK_FALSE(report::parse_utc_millis("2026-01-31 12:00:00Z").has_value());
        CHECK_FALSE(report::parse_utc_millis("2026-01-31T12:00:00,000Z").has_value());
        CHECK_FALSE(report::parse_utc_millis("").has_value());
    }

    TEST_CASE("report::cut_code_points")
    {
        CHECK(report::cut_code_points("abc", 2) == "ab");
        CHECK(report::cut_code_points("abc", 5) == "abc");
        CHECK(report::cut_code_points("\xc3\xa9\xc3\xa9", 1) == "\xc3\xa9");
        CHECK(report::cut_code_points("", 3) == "");
    }

    TEST_CASE("report::finding_identity")
    {
        core::Finding finding;
        finding.rule_id = "syntax.error";
        finding.location = {"a.py", 1, 1, 1, 2};
        finding.fingerprint = "given";
        CHECK(report::finding_identity(finding) == "given");

        finding.fingerprint.clear();
        const std::string derived = report::finding_identity(finding);
        CHECK(derived.size() == 64);
        finding.location.start_line = 2;
        CHECK(report::finding_identity(finding) != derived);
    }

    TEST_CASE("report::shown_snippet")
    {
        core::Finding finding;
        finding.location = {"a.js", 1, 1, 1, 2};

        SUBCASE("a short line is kept, hidden characters written out")
        {
            finding.snippet = "s = \"\u202E\"\nt = 1\n";
            CHECK(report::shown_snippet(finding) == "s = \"<U+202E>\"\nt = 1\n");
        }

        SUBCASE("a long line is cut to a window around the start column, marked at both ends")
        {
            finding.snippet = std::string(5000, 'a') + "SECRET" + std::string(5000, 'b');
            finding.location.start_column = 5001;
            const std::string shown = report::shown_snippet(finding);
            const std::size_t before = report::k_snippet_width / 3;
            CHECK(shown
                  == "..." + std::string(before, 'a') + "SECRET"
                         + std::string(report::k_snippet_width - before - 6, 'b') + "...");
        }

        SUBCASE("a long line cut near its start or its end is marked only where cut")
        {
            finding.snippet = "x" + std::string(1000, 'c');
            CHECK(report::shown_snippet(finding)
                  == "x" + std::string(report::k_snippet_width - 1, 'c') + "...");
            finding.location.start_column = 1000;
            CHECK(report::shown_snippet(finding)
                  == "..." + std::string(report::k_snippet_width, 'c'));
        }

        SUBCASE("the lines after the first are cut from their start")
        {
            finding.location.start_column = 900;
            finding.snippet = std::string(1000, 'd') + "\n" + std::string(1000, 'e');
            const std::string shown = report::shown_snippet(finding);
            CHECK(shown.ends_with("\n" + std::string(report::k_snippet_width, 'e') + "..."));
            CHECK(shown.starts_with("..." + std::string(report::k_snippet_width, 'd') + "\n"));
        }
    }

    TEST_CASE("report::shown_message")
    {
        core::Finding finding;
        finding.message = "name 'is_\u2067admin' \U000E0069";
        CHECK(report::shown_message(finding) == "name 'is_<U+2067>admin' <U+E0069>");
    }
}
