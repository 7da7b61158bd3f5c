#include "report/writers.hpp"

#include <doctest/doctest.h>

#include <regex>
#include <string>

namespace core = aiops::core;
namespace report = aiops::report;

using core::Severity;
using nlohmann::ordered_json;

namespace {

core::Finding finding(std::string rule_id, Severity severity, std::string path, int line)
{
    core::Finding f;
    f.rule_id = std::move(rule_id);
    f.severity = severity;
    f.message = "message of " + f.rule_id;
    f.location = {std::move(path), line, 3, line + 1, 2};
    f.snippet = "os.system(cmd)";
    f.fingerprint = std::string(63, 'a') + std::to_string(line % 10);
    return f;
}

report::RuleInfo injection_rule()
{
    report::RuleInfo rule;
    rule.id = "python.command-injection";
    rule.name = "CommandInjection";
    rule.short_description = "A shell command built from input.";
    rule.full_description = "The command line comes from data the caller controls.";
    rule.help_markdown = "Pass a list of arguments and no shell.";
    rule.default_severity = Severity::high;
    rule.cwe = {"CWE-78", "cwe-078", "CWE-x"};
    rule.owasp = {"A03:2021"};
    rule.aliases = {"B605"};
    return rule;
}

report::Report sample_report()
{
    report::Report r;
    r.command = "validate";
    r.root = "/repo";
    r.rules = {injection_rule()};
    r.findings = {finding("python.command-injection", Severity::high, "src/run.py", 4),
                  finding("syntax.error", Severity::medium, "src/bad.py", 7)};
    r.start_time_utc = "2026-01-31T12:00:00.250Z";
    r.end_time_utc = "2026-01-31T12:00:03.900Z";
    return r;
}

bool is_uuid_v8(const std::string& id)
{
    static const std::regex shape(
        "^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    return std::regex_match(id, shape);
}

} // namespace

TEST_SUITE("report")
{
    TEST_CASE("report::to_gitlab_sast")
    {
        report::Report r = sample_report();

        SUBCASE("the scan names aiops, the command, the times to the second and the status")
        {
            const ordered_json document = report::to_gitlab_sast(r);
            CHECK(document["version"] == "15.2.1");
            const ordered_json& scan = document["scan"];
            CHECK(scan["type"] == "sast");
            CHECK(scan["analyzer"]["id"] == "aiops");
            CHECK(scan["analyzer"]["vendor"]["name"] == "aiops");
            CHECK(scan["scanner"]["id"] == "aiops-validate");
            CHECK(scan["scanner"]["name"] == "aiops validate");
            CHECK_FALSE(scan["scanner"]["version"].get<std::string>().empty());
            CHECK(scan["start_time"] == "2026-01-31T12:00:00");
            CHECK(scan["end_time"] == "2026-01-31T12:00:03");
            CHECK(scan["status"] == "success");
            CHECK_FALSE(scan.contains("messages"));

            r.execution_successful = false;
            CHECK(report::to_gitlab_sast(r)["scan"]["status"] == "failure");
        }

        SUBCASE("a report without times gets the current time in GitLab's shape")
        {
            r.start_time_utc.clear();
            r.end_time_utc = "yesterday";
            const ordered_json scan = report::to_gitlab_sast(r)["scan"];
            const std::regex shape("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$");
            CHECK(std::regex_match(scan["start_time"].get<std::string>(), shape));
            CHECK(std::regex_match(scan["end_time"].get<std::string>(), shape));
        }

        SUBCASE("every rule is a primary identifier, described or not")
        {
            const ordered_json primary = report::to_gitlab_sast(r)["scan"]["primary_identifiers"];
            REQUIRE(primary.size() == 2);
            CHECK(primary[0]
                  == ordered_json({{"type", "aiops_rule_id"},
                                   {"name", "python.command-injection"},
                                   {"value", "python.command-injection"}}));
            CHECK(primary[1]["value"] == "syntax.error");
        }

        SUBCASE("severities map to GitLab's capitalised names")
        {
            r.findings.clear();
            const Severity all[] = {Severity::critical,
                                    Severity::high,
                                    Severity::medium,
                                    Severity::low,
                                    Severity::info};
            for (int i = 0; i < 5; ++i) {
                r.findings.push_back(finding("syntax.error", all[i], "a.py", i + 1));
            }
            const ordered_json vulnerabilities = report::to_gitlab_sast(r)["vulnerabilities"];
            REQUIRE(vulnerabilities.size() == 5);
            CHECK(vulnerabilities[0]["severity"] == "Critical");
            CHECK(vulnerabilities[1]["severity"] == "High");
            CHECK(vulnerabilities[2]["severity"] == "Medium");
            CHECK(vulnerabilities[3]["severity"] == "Low");
            CHECK(vulnerabilities[4]["severity"] == "Info");
        }

        SUBCASE("a described rule gives the name, the description and the solution")
        {
            const ordered_json v = report::to_gitlab_sast(r)["vulnerabilities"][0];
            CHECK(v["name"] == "python.command-injection (B605)");
            CHECK(v["description"]
                  == "message of python.command-injection\n\n"
                     "The command line comes from data the caller controls.");
            CHECK(v["solution"] == "Pass a list of arguments and no shell.");
            CHECK(v["location"]
                  == ordered_json({{"file", "src/run.py"}, {"start_line", 4}, {"end_line", 5}}));
            CHECK(v["raw_source_code_extract"] == "os.system(cmd)");
        }

        SUBCASE("the rule id comes first, then each CWE once without a URL, then OWASP")
        {
            const ordered_json identifiers =
                report::to_gitlab_sast(r)["vulnerabilities"][0]["identifiers"];
            REQUIRE(identifiers.size() == 4);
            CHECK(identifiers[0]
                  == ordered_json({{"type", "aiops_rule_id"},
                                   {"name", "python.command-injection"},
                                   {"value", "python.command-injection"}}));
            CHECK(identifiers[1]
                  == ordered_json({{"type", "bandit_test_id"},
                                   {"name", "Bandit Test ID B605"},
                                   {"value", "B605"}}));
            CHECK(identifiers[2]
                  == ordered_json({{"type", "cwe"}, {"name", "CWE-78"}, {"value", "78"}}));
            CHECK(
                identifiers[3]
                == ordered_json({{"type", "owasp"}, {"name", "A03:2021"}, {"value", "A03:2021"}}));
        }

        SUBCASE("a rule the report does not describe is named by its id")
        {
            const ordered_json v = report::to_gitlab_sast(r)["vulnerabilities"][1];
            CHECK(v["name"] == "syntax.error");
            CHECK(v["description"] == "message of syntax.error");
            CHECK_FALSE(v.contains("solution"));
            CHECK(v["identifiers"].size() == 1);
        }

        SUBCASE("the id is a UUID drawn from the fingerprint, stable when lines move")
        {
            const std::string id = report::to_gitlab_sast(r)["vulnerabilities"][0]["id"];
            CHECK(is_uuid_v8(id));
            r.findings[0].location.start_line += 10;
            r.findings[0].location.end_line += 10;
            CHECK(report::to_gitlab_sast(r)["vulnerabilities"][0]["id"] == id);
            r.findings[0].fingerprint = std::string(64, 'b');
            const std::string other = report::to_gitlab_sast(r)["vulnerabilities"][0]["id"];
            CHECK(is_uuid_v8(other));
            CHECK(other != id);
        }

        SUBCASE("a finding without a fingerprint still gets a UUID")
        {
            r.findings[1].fingerprint.clear();
            CHECK(is_uuid_v8(report::to_gitlab_sast(r)["vulnerabilities"][1]["id"]));
        }

        SUBCASE("suppressed findings are left out")
        {
            r.findings[0].suppression = core::Suppression{core::Suppression::Kind::in_source, "ok"};
            const ordered_json vulnerabilities = report::to_gitlab_sast(r)["vulnerabilities"];
            REQUIRE(vulnerabilities.size() == 1);
            CHECK(vulnerabilities[0]["location"]["file"] == "src/bad.py");
        }

        SUBCASE("no findings, an empty vulnerabilities array")
        {
            r.findings.clear();
            const ordered_json vulnerabilities = report::to_gitlab_sast(r)["vulnerabilities"];
            CHECK(vulnerabilities.is_array());
            CHECK(vulnerabilities.empty());
        }

        SUBCASE("the name is cut to 255 characters, not bytes")
        {
            std::string long_name;
            for (int i = 0; i < 300; ++i) {
                long_name += "\xc3\xa9";
            }
            r.findings[1].rule_id = long_name;
            const std::string name = report::to_gitlab_sast(r)["vulnerabilities"][1]["name"];
            CHECK(name == long_name.substr(0, 510));
        }

        SUBCASE("a finding about a suppression comment is not a vulnerability")
        {
            r.findings[1].rule_id = "aiops.unused-suppression";
            r.findings[1].tags = {"maintainability"};
            const ordered_json vulnerabilities = report::to_gitlab_sast(r)["vulnerabilities"];
            REQUIRE(vulnerabilities.size() == 1);
            CHECK(vulnerabilities[0]["location"]["file"] == "src/run.py");
        }

        SUBCASE("skipped files and notices become scan messages")
        {
            r.skipped = {{"blob.py", "binary file"}};
            r.notices = {{report::Notice::Level::error, "x.py", "cannot read: denied"},
                         {report::Notice::Level::note, "", "a note"}};
            const ordered_json messages = report::to_gitlab_sast(r)["scan"]["messages"];
            REQUIRE(messages.size() == 3);
            CHECK(messages[0]
                  == ordered_json({{"level", "info"}, {"value", "blob.py: skipped: binary file"}}));
            CHECK(messages[1]
                  == ordered_json({{"level", "warn"}, {"value", "x.py: cannot read: denied"}}));
            CHECK(messages[2] == ordered_json({{"level", "info"}, {"value", "a note"}}));
        }
    }
}
