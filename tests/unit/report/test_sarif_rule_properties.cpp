#include "report/writers.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;
namespace report = aiops::report;

using core::Severity;
using nlohmann::ordered_json;

namespace {

report::RuleInfo rule(std::string id, std::vector<std::string> tags, std::vector<std::string> cwe)
{
    report::RuleInfo info;
    info.id = std::move(id);
    info.name = "Name";
    info.default_severity = Severity::high;
    info.tags = std::move(tags);
    info.cwe = std::move(cwe);
    return info;
}

ordered_json properties_of(const report::RuleInfo& info)
{
    report::Report r;
    r.command = "scan";
    r.root = "/repo";
    r.rules = {info};
    return report::to_sarif(r)["runs"][0]["tool"]["driver"]["rules"][0]["properties"];
}

} // namespace

TEST_SUITE("report")
{
    TEST_CASE("report::to_sarif rule properties")
    {
        SUBCASE("a rule with a CWE is a security rule, tagged as CodeQL tags its own")
        {
            const ordered_json properties = properties_of(
                rule("python.shell", {"injection"}, {"CWE-78", "cwe-0088", "CWE-78"}));
            CHECK(properties["tags"]
                  == ordered_json(
                      {"injection", "security", "external/cwe/cwe-78", "external/cwe/cwe-88"}));
            CHECK(properties["security-severity"] == "8.0");
            CHECK_FALSE(properties.contains("problem.severity"));
        }

        SUBCASE("\"security\" is not repeated")
        {
            const ordered_json properties = properties_of(rule("a.b", {"security"}, {"CWE-94"}));
            CHECK(properties["tags"] == ordered_json({"security", "external/cwe/cwe-94"}));
        }

        SUBCASE("a security tag without a CWE keeps the security-severity")
        {
            const ordered_json properties = properties_of(rule("a.b", {"security"}, {}));
            CHECK(properties["tags"] == ordered_json({"security"}));
            CHECK(properties["security-severity"] == "8.0");
        }

        SUBCASE("a malformed CWE id adds nothing")
        {
            const ordered_json properties = properties_of(rule("a.b", {"style"}, {"CWE-", "78a"}));
            CHECK(properties["tags"] == ordered_json({"style"}));
            CHECK(properties["problem.severity"] == "error");
            CHECK_FALSE(properties.contains("security-severity"));
        }

        SUBCASE("precision follows confidence")
        {
            report::RuleInfo info = rule("a.b", {}, {});
            CHECK(properties_of(info)["precision"] == "high");
            info.confidence = "medium";
            CHECK(properties_of(info)["precision"] == "medium");
            info.confidence = "Low";
            CHECK(properties_of(info)["precision"] == "low");
            info.confidence = "";
            CHECK(properties_of(info)["precision"] == "very-high");
            info.confidence = "certain";
            CHECK_FALSE(properties_of(info).contains("precision"));
        }
    }
}
