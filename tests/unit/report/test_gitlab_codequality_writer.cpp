#include "report/writers.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

namespace core = aiops::core;
namespace report = aiops::report;

using core::Severity;
using nlohmann::ordered_json;

namespace {

core::Finding finding(Severity severity, std::string path, int line, std::string fingerprint)
{
    core::Finding f;
    f.rule_id = "syntax.error";
    f.severity = severity;
    f.message = "unexpected 'else'";
    f.location = {std::move(path), line, 1, line + 2, 5};
    f.fingerprint = std::move(fingerprint);
    return f;
}

bool is_hex64(const std::string& text)
{
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

} // namespace

TEST_SUITE("report")
{
    TEST_CASE("report::to_gitlab_codequality")
    {
        report::Report r;
        r.command = "validate";

        SUBCASE("one entry per finding with the fields GitLab reads")
        {
            r.findings = {finding(Severity::high, "src/a.py", 3, "fp-1")};
            const ordered_json issues = report::to_gitlab_codequality(r);
            REQUIRE(issues.is_array());
            REQUIRE(issues.size() == 1);
            CHECK(
                issues[0]
                == ordered_json(
                    {{"description", "unexpected 'else'"},
                     {"check_name", "syntax.error"},
                     {"fingerprint", "fp-1"},
                     {"severity", "critical"},
                     {"location", {{"path", "src/a.py"}, {"lines", {{"begin", 3}, {"end", 5}}}}}}));
        }

        SUBCASE("severities map to Code Climate's names")
        {
            r.findings = {finding(Severity::info, "a.py", 1, "1"),
                          finding(Severity::low, "a.py", 2, "2"),
                          finding(Severity::medium, "a.py", 3, "3"),
                          finding(Severity::high, "a.py", 4, "4"),
                          finding(Severity::critical, "a.py", 5, "5")};
            const ordered_json issues = report::to_gitlab_codequality(r);
            REQUIRE(issues.size() == 5);
            CHECK(issues[0]["severity"] == "info");
            CHECK(issues[1]["severity"] == "minor");
            CHECK(issues[2]["severity"] == "major");
            CHECK(issues[3]["severity"] == "critical");
            CHECK(issues[4]["severity"] == "blocker");
        }

        SUBCASE("suppressed findings are left out")
        {
            r.findings = {finding(Severity::high, "a.py", 1, "kept"),
                          finding(Severity::high, "a.py", 2, "hidden")};
            r.findings[1].suppression = core::Suppression{core::Suppression::Kind::baseline, ""};
            const ordered_json issues = report::to_gitlab_codequality(r);
            REQUIRE(issues.size() == 1);
            CHECK(issues[0]["fingerprint"] == "kept");
        }

        SUBCASE("fingerprints stay unique, also when findings share one or have none")
        {
            r.findings = {finding(Severity::high, "a.py", 1, "same"),
                          finding(Severity::high, "a.py", 2, "same"),
                          finding(Severity::high, "a.py", 3, ""),
                          finding(Severity::high, "a.py", 4, "")};
            const ordered_json issues = report::to_gitlab_codequality(r);
            REQUIRE(issues.size() == 4);
            std::set<std::string> seen;
            for (const auto& issue : issues) {
                seen.insert(issue["fingerprint"].get<std::string>());
            }
            CHECK(seen.size() == 4);
            CHECK(issues[0]["fingerprint"] == "same");
            CHECK(is_hex64(issues[1]["fingerprint"]));
            CHECK(is_hex64(issues[2]["fingerprint"]));
        }

        SUBCASE("the fingerprint of a finding without one is stable")
        {
            r.findings = {finding(Severity::low, "a.py", 3, "")};
            CHECK(report::to_gitlab_codequality(r)[0]["fingerprint"]
                  == report::to_gitlab_codequality(r)[0]["fingerprint"]);
        }

        SUBCASE("no findings, an empty array")
        {
            const ordered_json issues = report::to_gitlab_codequality(r);
            CHECK(issues.is_array());
            CHECK(issues.empty());
            CHECK(issues.dump() == "[]");
        }
    }
}
