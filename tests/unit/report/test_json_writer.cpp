#include "core/version.hpp"
#include "report/writers.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;
namespace report = aiops::report;

using core::Severity;
using nlohmann::ordered_json;

namespace {

// The JSON report, read back.
nlohmann::ordered_json report_json(const aiops::report::Report& r)
{
    return nlohmann::ordered_json::parse(aiops::report::write_json(r));
}

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
    TEST_CASE("report::write_json")
    {
        report::Report r = sample_report();

        SUBCASE("the summary counts findings, files and gating findings")
        {
            const ordered_json summary = report_json(r)["summary"];
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
            const ordered_json summary = report_json(r)["summary"];
            CHECK(summary["gating_findings"] == 0);
            CHECK(summary["passed"] == true);
        }

        SUBCASE("without a threshold nothing gates")
        {
            r.fail_on.reset();
            const ordered_json summary = report_json(r)["summary"];
            CHECK(summary["fail_on"] == "none");
            CHECK(summary["gating_findings"] == 0);
            CHECK(summary["passed"] == true);
        }

        SUBCASE("an unsuccessful run does not pass, even without findings")
        {
            r.findings.clear();
            r.execution_successful = false;
            const ordered_json summary = report_json(r)["summary"];
            CHECK(summary["findings"] == 0);
            CHECK(summary["by_severity"].empty());
            CHECK(summary["passed"] == false);
        }

        SUBCASE("each finding with its location, snippet and fingerprint")
        {
            const ordered_json document = report_json(r);
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
            const ordered_json document = report_json(r);
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
            const ordered_json document = report_json(report::Report{});
            CHECK(document["findings"].is_array());
            CHECK(document["skipped"].is_array());
            CHECK(document["notices"].is_array());
        }

        SUBCASE("laid out two spaces a level, empty lists and objects on one line")
        {
            report::Report empty;
            empty.command = "scan";
            empty.root = "/r";
            CHECK(
                report::write_json(empty)
                == "{\n  \"version\": \"1\",\n  \"tool\": {\n    \"name\": \"aiops\",\n"
                   "    \"version\": \""
                       + std::string(aiops::core::k_version)
                       + "\"\n  },\n  \"command\": \"scan\",\n  \"root\": \"/r\",\n"
                         "  \"summary\": {\n    \"files_checked\": 0,\n    \"files_skipped\": 0,\n"
                         "    \"other_files\": 0,\n    \"findings\": 0,\n    \"by_severity\": {},\n"
                         "    \"fail_on\": \"none\",\n    \"gating_findings\": 0,\n"
                         "    \"execution_successful\": true,\n    \"passed\": true\n  },\n"
                         "  \"findings\": [],\n  \"skipped\": [],\n  \"notices\": []\n}\n");
        }

        SUBCASE("strings are escaped; bytes that are not UTF-8 become U+FFFD")
        {
            r.findings[0].message = "say \"hi\" \\ \x1b[0m caf\u00e9 \xff!";
            r.findings[0].commit = "abc123";
            r.notices[0].message = "tab\there\nline";
            const ordered_json document = report_json(r);
            CHECK(document["findings"][0]["message"]
                  == "say \"hi\" \\ <U+001B>[0m caf\u00e9 <0xFF>!");
            CHECK(document["findings"][0]["commit"] == "abc123");
            CHECK_FALSE(document["findings"][1].contains("commit"));
            CHECK(document["notices"][0]["message"] == "tab\there\nline");
            r.skipped[0].path = "bad\xffname.py";
            CHECK(report_json(r)["skipped"][0]["path"] == "bad\ufffdname.py");
            CHECK(report::write_json(r).find("\"tab\\there\\nline\"") != std::string::npos);
        }
    }
}
