#include "report/writers.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;
namespace report = aiops::report;

using core::Severity;
using nlohmann::ordered_json;

namespace {

core::Finding finding(Severity severity, int line)
{
    core::Finding f;
    f.rule_id = "syntax.error";
    f.severity = severity;
    f.message = "unexpected 'else'";
    f.location = {"src/a.py", line, 1, line, 5};
    f.snippet = "else:";
    f.tags = {"syntax", "correctness"};
    f.fingerprint = "0123abcd";
    return f;
}

// Two high findings and a low one, from three files checked and one skipped.
report::Report sample_report()
{
    report::Report r;
    r.command = "validate";
    r.root = "/repo";
    r.findings = {
        finding(Severity::high, 1), finding(Severity::high, 4), finding(Severity::low, 9)};
    r.skipped = {{"blob.py", "binary file"}};
    r.notices = {{report::Notice::Level::note, "src/a.py", "3 more syntax problems are not shown"}};
    r.files_checked = 3;
    r.unsupported_files = 2;
    r.fail_on = Severity::medium;
    return r;
}

} // namespace

TEST_SUITE("report")
{
    TEST_CASE("report::to_json")
    {
        report::Report r = sample_report();

        SUBCASE("the summary counts findings, files and gating findings")
        {
            const ordered_json summary = report::to_json(r)["summary"];
            CHECK(summary["files_checked"] == 3);
            CHECK(summary["files_skipped"] == 1);
            CHECK(summary["other_files"] == 2);
            CHECK(summary["findings"] == 3);
            CHECK(summary["by_severity"] == ordered_json({{"high", 2}, {"low", 1}}));
            CHECK(summary["fail_on"] == "medium");
            CHECK(summary["gating_findings"] == 2);
            CHECK(summary["execution_successful"] == true);
            CHECK(summary["passed"] == false);
        }

        SUBCASE("findings below the threshold pass")
        {
            r.fail_on = Severity::critical;
            const ordered_json summary = report::to_json(r)["summary"];
            CHECK(summary["gating_findings"] == 0);
            CHECK(summary["passed"] == true);
        }

        SUBCASE("without a threshold nothing gates")
        {
            r.fail_on.reset();
            const ordered_json summary = report::to_json(r)["summary"];
            CHECK(summary["fail_on"] == "none");
            CHECK(summary["gating_findings"] == 0);
            CHECK(summary["passed"] == true);
        }

        SUBCASE("an unsuccessful run does not pass, even without findings")
        {
            r.findings.clear();
            r.execution_successful = false;
            const ordered_json summary = report::to_json(r)["summary"];
            CHECK(summary["findings"] == 0);
            CHECK(summary["by_severity"].empty());
            CHECK(summary["passed"] == false);
        }

        SUBCASE("each finding with its location, snippet and fingerprint")
        {
            const ordered_json document = report::to_json(r);
            REQUIRE(document["findings"].size() == 3);
            const ordered_json& first = document["findings"][0];
            CHECK(first["rule"] == "syntax.error");
            CHECK(first["severity"] == "high");
            CHECK(first["message"] == "unexpected 'else'");
            CHECK(first["path"] == "src/a.py");
            CHECK(first["start_line"] == 1);
            CHECK(first["start_column"] == 1);
            CHECK(first["end_line"] == 1);
            CHECK(first["end_column"] == 5);
            CHECK(first["snippet"] == "else:");
            CHECK(first["tags"] == ordered_json({"syntax", "correctness"}));
            CHECK(first["fingerprint"] == "0123abcd");
            CHECK(document["findings"][2]["severity"] == "low");
        }

        SUBCASE("the run, skipped files and notices")
        {
            const ordered_json document = report::to_json(r);
            CHECK(document["version"] == "1");
            CHECK(document["tool"]["name"] == "aiops");
            CHECK(document["command"] == "validate");
            CHECK(document["root"] == "/repo");
            CHECK(document["skipped"]
                  == ordered_json::array({{{"path", "blob.py"}, {"reason", "binary file"}}}));
            REQUIRE(document["notices"].size() == 1);
            CHECK(document["notices"][0]["level"] == "note");
            CHECK(document["notices"][0]["path"] == "src/a.py");
        }

        SUBCASE("empty lists are arrays")
        {
            const ordered_json document = report::to_json(report::Report{});
            CHECK(document["findings"].is_array());
            CHECK(document["skipped"].is_array());
            CHECK(document["notices"].is_array());
        }
    }
}
