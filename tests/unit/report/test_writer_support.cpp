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
}
