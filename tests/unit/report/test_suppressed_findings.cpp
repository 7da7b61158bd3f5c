#include "report/writers.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;
namespace report = aiops::report;

using core::Severity;
using core::Suppression;
using nlohmann::ordered_json;

namespace {

// The JSON report, read back.
nlohmann::ordered_json report_json(const aiops::report::Report& r)
{
    return nlohmann::ordered_json::parse(aiops::report::write_json(r));
}

core::Finding finding(int line, std::optional<Suppression> suppression)
{
    core::Finding f;
    f.rule_id = "python.eval";
    f.severity = Severity::high;
    f.message = "eval of input";
    f.location = {"a.py", line, 1, line, 5};
    f.fingerprint = std::string(64, 'c');
    f.suppression = std::move(suppression);
    return f;
}

report::Report sample_report()
{
    report::Report r;
    r.command = "scan";
    r.root = "/repo";
    r.fail_on = Severity::low;
    r.findings = {finding(1, std::nullopt),
                  finding(2, Suppression{Suppression::Kind::in_source, "input is a constant"}),
                  finding(3, Suppression{Suppression::Kind::baseline, "in baseline.json"}),
                  finding(4, Suppression{Suppression::Kind::in_source, ""})};
    return r;
}

} // namespace

TEST_SUITE("report")
{
    TEST_CASE("report::to_sarif suppressions")
    {
        const ordered_json results = report::to_sarif(sample_report())["runs"][0]["results"];
        REQUIRE(results.size() == 4);

        SUBCASE("a finding that counts has no suppressions")
        {
            CHECK_FALSE(results[0].contains("suppressions"));
        }

        SUBCASE("a comment in the code is an inSource suppression")
        {
            CHECK(results[1]["suppressions"]
                  == ordered_json::array(
                      {{{"kind", "inSource"}, {"justification", "input is a constant"}}}));
        }

        SUBCASE("a baseline is an external suppression")
        {
            CHECK(results[2]["suppressions"]
                  == ordered_json::array(
                      {{{"kind", "external"}, {"justification", "in baseline.json"}}}));
        }

        SUBCASE("an empty justification is left out")
        {
            CHECK(results[3]["suppressions"] == ordered_json::array({{{"kind", "inSource"}}}));
        }

        SUBCASE("a suppressed result keeps its level and location")
        {
            CHECK(results[1]["level"] == "error");
            CHECK(results[1]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2);
        }
    }

    TEST_CASE("report::to_json suppressed")
    {
        const ordered_json document = report_json(sample_report());
        const ordered_json& findings = document["findings"];
        REQUIRE(findings.size() == 4);

        SUBCASE("null when the finding counts")
        {
            REQUIRE(findings[0].contains("suppressed"));
            CHECK(findings[0]["suppressed"].is_null());
        }

        SUBCASE("the kind and the justification otherwise")
        {
            CHECK(
                findings[1]["suppressed"]
                == ordered_json({{"kind", "in_source"}, {"justification", "input is a constant"}}));
            CHECK(findings[2]["suppressed"]
                  == ordered_json({{"kind", "baseline"}, {"justification", "in baseline.json"}}));
            CHECK(findings[3]["suppressed"]
                  == ordered_json({{"kind", "in_source"}, {"justification", ""}}));
        }

        SUBCASE("suppressed findings are listed but do not gate")
        {
            CHECK(document["summary"]["findings"] == 4);
            CHECK(document["summary"]["gating_findings"] == 1);
        }
    }
}
