#include "report/writers.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;
namespace report = aiops::report;

using core::Severity;
using nlohmann::ordered_json;

namespace {

report::RuleInfo rule(std::string id, Severity severity, std::vector<std::string> tags)
{
    report::RuleInfo info;
    info.id = id;
    info.name = "Name of " + id;
    info.short_description = "Short.";
    info.full_description = "Full.";
    info.help_markdown = "Help.";
    info.default_severity = severity;
    info.tags = std::move(tags);
    return info;
}

core::Finding finding(std::string rule_id, Severity severity, std::string path, int line)
{
    core::Finding f;
    f.rule_id = std::move(rule_id);
    f.severity = severity;
    f.message = "message of " + f.rule_id;
    f.location = {std::move(path), line, 5, line, 6};
    f.fingerprint = "f" + std::to_string(line);
    return f;
}

// Three rules; findings for the second and third rule and for a rule the report does
// not describe.
report::Report sample_report()
{
    report::Report r;
    r.command = "validate";
    r.root = "/srv/my project";
    r.rules = {rule("syntax.error", Severity::high, {"syntax"}),
               rule("syntax.missing", Severity::medium, {"syntax"}),
               rule("security.eval", Severity::critical, {"security"})};
    r.findings = {finding("syntax.missing", Severity::high, "src/a.py", 2),
                  finding("security.eval", Severity::medium, "src/b.py", 7),
                  finding("unknown.rule", Severity::low, "src/c.py", 1)};
    r.findings[0].snippet = "x = (1";
    r.findings[0].line_hash = "5a0f2d:1";
    r.files_checked = 3;
    return r;
}

const ordered_json& run_of(const ordered_json& sarif)
{
    REQUIRE(sarif["runs"].is_array());
    REQUIRE(sarif["runs"].size() == 1);
    return sarif["runs"][0];
}

} // namespace

TEST_SUITE("report")
{
    TEST_CASE("report::to_sarif")
    {
        const ordered_json sarif = report::to_sarif(sample_report());
        const ordered_json& run = run_of(sarif);
        const ordered_json& results = run["results"];
        const ordered_json& rules = run["tool"]["driver"]["rules"];

        SUBCASE("a SARIF 2.1.0 log with one run of aiops")
        {
            CHECK(sarif["version"] == "2.1.0");
            CHECK(sarif["$schema"].get<std::string>().find("sarif-2.1.0") != std::string::npos);
            CHECK(run["tool"]["driver"]["name"] == "aiops");
            CHECK(run["columnKind"] == "unicodeCodePoints");
            CHECK(run["properties"]["command"] == "validate");
            CHECK(run["properties"]["filesChecked"] == 3);
        }

        SUBCASE("the rules are listed in the report's order")
        {
            REQUIRE(rules.size() == 3);
            CHECK(rules[0]["id"] == "syntax.error");
            CHECK(rules[1]["id"] == "syntax.missing");
            CHECK(rules[2]["id"] == "security.eval");
            CHECK(rules[0]["name"] == "Name of syntax.error");
            CHECK(rules[0]["shortDescription"]["text"] == "Short.");
            CHECK(rules[0]["help"]["markdown"] == "Help.");
        }

        SUBCASE("a rule's default level follows its severity")
        {
            CHECK(rules[0]["defaultConfiguration"]["level"] == "error");
            CHECK(rules[1]["defaultConfiguration"]["level"] == "warning");
            CHECK(rules[2]["defaultConfiguration"]["level"] == "error");
        }

        SUBCASE("a security rule carries its security-severity score")
        {
            CHECK(rules[2]["properties"]["security-severity"] == "9.5");
            CHECK_FALSE(rules[0]["properties"].contains("security-severity"));
            CHECK(rules[0]["properties"]["problem.severity"] == "error");
            CHECK(rules[1]["properties"]["problem.severity"] == "warning");
        }

        SUBCASE("ruleIndex points at the finding's rule")
        {
            REQUIRE(results.size() == 3);
            for (std::size_t i = 0; i < 2; ++i) {
                CAPTURE(i);
                const ordered_json& result = results[i];
                REQUIRE(result.contains("ruleIndex"));
                const auto index = result["ruleIndex"].get<std::size_t>();
                REQUIRE(index < rules.size());
                CHECK(rules[index]["id"] == result["ruleId"]);
            }
            CHECK(results[0]["ruleIndex"] == 1);
            CHECK(results[1]["ruleIndex"] == 2);
        }

        SUBCASE("a finding of a rule the report does not describe has no ruleIndex")
        {
            CHECK(results[2]["ruleId"] == "unknown.rule");
            CHECK_FALSE(results[2].contains("ruleIndex"));
        }

        SUBCASE("the result level follows the finding's severity")
        {
            CHECK(results[0]["level"] == "error");
            CHECK(results[1]["level"] == "warning");
            CHECK(results[2]["level"] == "note");
            CHECK(results[0]["properties"]["severity"] == "high");
        }

        SUBCASE("locations are relative to %SRCROOT%")
        {
            const ordered_json& physical = results[0]["locations"][0]["physicalLocation"];
            CHECK(physical["artifactLocation"]["uri"] == "src/a.py");
            CHECK(physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
            CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///srv/my%20project/");
        }

        SUBCASE("the region, the snippet and the fingerprints")
        {
            const ordered_json& region = results[0]["locations"][0]["physicalLocation"]["region"];
            CHECK(region["startLine"] == 2);
            CHECK(region["startColumn"] == 5);
            CHECK(region["endLine"] == 2);
            CHECK(region["endColumn"] == 6);
            CHECK(region["snippet"]["text"] == "x = (1");
            CHECK(results[0]["message"]["text"] == "message of syntax.missing");
            CHECK(results[0]["partialFingerprints"]["primaryLocationLineHash"] == "5a0f2d:1");
            CHECK(results[0]["partialFingerprints"]["aiops/v1"] == "f2");

            const ordered_json& no_snippet =
                results[1]["locations"][0]["physicalLocation"]["region"];
            CHECK_FALSE(no_snippet.contains("snippet"));
            CHECK_FALSE(results[1]["partialFingerprints"].contains("primaryLocationLineHash"));
        }

        SUBCASE("no category, no automationDetails")
        {
            CHECK_FALSE(run.contains("automationDetails"));
        }

        SUBCASE("the invocation")
        {
            REQUIRE(run["invocations"].size() == 1);
            const ordered_json& invocation = run["invocations"][0];
            CHECK(invocation["executionSuccessful"] == true);
            CHECK(invocation["workingDirectory"]["uri"] == "file:///srv/my%20project/");
            CHECK(invocation["toolExecutionNotifications"].is_array());
            CHECK(invocation["toolExecutionNotifications"].empty());
            CHECK_FALSE(invocation.contains("commandLine"));
        }
    }

    TEST_CASE("report::to_sarif details")
    {
        report::Report r;
        r.command = "validate";
        r.root = "/repo";

        SUBCASE("zero findings still give an empty results array")
        {
            const ordered_json run = report::to_sarif(r)["runs"][0];
            REQUIRE(run.contains("results"));
            CHECK(run["results"].is_array());
            CHECK(run["results"].empty());
            CHECK(run["tool"]["driver"]["rules"].is_array());
        }

        SUBCASE("automationDetails.id gets a trailing '/'")
        {
            r.category = "validate/python";
            CHECK(report::to_sarif(r)["runs"][0]["automationDetails"]["id"] == "validate/python/");
            r.category = "lint/";
            CHECK(report::to_sarif(r)["runs"][0]["automationDetails"]["id"] == "lint/");
        }

        SUBCASE("a rule listed twice appears once")
        {
            r.rules = {rule("a", Severity::low, {}),
                       rule("a", Severity::low, {}),
                       rule("b", Severity::info, {})};
            r.findings = {finding("b", Severity::info, "x.py", 1)};
            const ordered_json run = report::to_sarif(r)["runs"][0];
            CHECK(run["tool"]["driver"]["rules"].size() == 2);
            CHECK(run["results"][0]["ruleIndex"] == 1);
            CHECK(run["tool"]["driver"]["rules"][1]["properties"]["problem.severity"]
                  == "recommendation");
        }

        SUBCASE("an absolute path becomes a file URI without a base")
        {
            r.findings = {finding("a", Severity::low, "/elsewhere/my file.py", 1)};
            const ordered_json location = report::to_sarif(
                r)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
            CHECK(location["uri"] == "file:///elsewhere/my%20file.py");
            CHECK_FALSE(location.contains("uriBaseId"));
        }

        SUBCASE("skipped files and notices become notifications")
        {
            r.skipped = {{"bin/blob.py", "binary file"}};
            r.notices = {{report::Notice::Level::error, "src/x.py", "cannot read: denied"},
                         {report::Notice::Level::note, "", "a note"}};
            r.execution_successful = false;
            const ordered_json invocation = report::to_sarif(r)["runs"][0]["invocations"][0];
            CHECK(invocation["executionSuccessful"] == false);
            const ordered_json& notifications = invocation["toolExecutionNotifications"];
            REQUIRE(notifications.size() == 3);
            CHECK(notifications[0]["level"] == "note");
            CHECK(notifications[0]["message"]["text"] == "bin/blob.py: skipped: binary file");
            CHECK(notifications[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                  == "bin/blob.py");
            CHECK(notifications[1]["level"] == "error");
            CHECK(notifications[1]["message"]["text"] == "src/x.py: cannot read: denied");
            CHECK(notifications[2]["level"] == "note");
            CHECK(notifications[2]["message"]["text"] == "a note");
            CHECK_FALSE(notifications[2].contains("locations"));
        }

        SUBCASE("the command line and the run's times")
        {
            r.command_line = {"aiops", "validate", "my dir", "--format=sarif"};
            r.start_time_utc = "2026-01-31T12:00:00.000Z";
            r.end_time_utc = "2026-01-31T12:00:01.500Z";
            const ordered_json invocation = report::to_sarif(r)["runs"][0]["invocations"][0];
            CHECK(invocation["commandLine"] == "aiops validate 'my dir' --format=sarif");
            CHECK(invocation["startTimeUtc"] == "2026-01-31T12:00:00.000Z");
            CHECK(invocation["endTimeUtc"] == "2026-01-31T12:00:01.500Z");
        }

        SUBCASE("a quote inside an argument is quoted so a shell reads it back")
        {
            r.command_line = {"aiops", "validate", "--category=it's"};
            const ordered_json invocation = report::to_sarif(r)["runs"][0]["invocations"][0];
            CHECK(invocation["commandLine"] == "aiops validate '--category=it'\\''s'");
        }
    }

    TEST_CASE("report::to_sarif keeps at most 25,000 results, the most severe")
    {
        report::Report r;
        r.command = "scan";
        r.root = "/srv/app";
        report::RuleInfo low;
        low.id = "test.low";
        low.default_severity = Severity::low;
        report::RuleInfo high;
        high.id = "test.high";
        high.default_severity = Severity::high;
        r.rules = {low, high};
        for (int i = 0; i < 25002; ++i) {
            core::Finding finding;
            finding.rule_id = "test.low";
            finding.severity = Severity::low;
            finding.message = "low";
            finding.location = {"a.py", i + 2, 1, i + 2, 2};
            finding.fingerprint = std::string(64, '0');
            r.findings.push_back(finding);
        }
        core::Finding severe;
        severe.rule_id = "test.high";
        severe.severity = Severity::high;
        severe.message = "high";
        severe.location = {"z.py", 1, 1, 1, 2};
        severe.fingerprint = std::string(64, '1');
        r.findings.push_back(severe);

        const ordered_json run = report::to_sarif(r)["runs"][0];
        REQUIRE(run["results"].size() == 25000);
        CHECK(run["results"].back()["ruleId"] == "test.high");
        CHECK(run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2);
        const ordered_json& notices = run["invocations"][0]["toolExecutionNotifications"];
        REQUIRE_FALSE(notices.empty());
        CHECK(notices[0]["descriptor"]["id"] == "aiops.results-omitted");
        CHECK(
            notices[0]["message"]["text"].get<std::string>().starts_with("3 less severe results"));
    }
}
