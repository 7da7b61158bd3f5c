#include "rules/rule.hpp"
#include "scan/scan.hpp"

#include <doctest/doctest.h>

namespace rules = aiops::rules;
namespace scan = aiops::scan;

TEST_SUITE("scan")
{
    TEST_CASE("scan::rule_info")
    {
        rules::Rule rule;
        rule.id = "bash.curl-pipe-shell";

        SUBCASE("the short description is the help's first sentence")
        {
            rule.help = "Runs what the server sends.\nDownload it first. Then check it.";
            CHECK(scan::rule_info(rule).short_description == "Runs what the server sends.");
        }

        SUBCASE("an ellipsis or a full stop in code does not end the sentence")
        {
            rule.help = "`curl ... | sh` runs whatever the server sends at that moment,\n"
                        "unreviewed. Download to a file first.";
            CHECK(scan::rule_info(rule).short_description
                  == "`curl ... | sh` runs whatever the server sends at that moment, unreviewed.");
            rule.help = "Agents told to run `python -c 'import x. y'` run it. Pin it.";
            CHECK(scan::rule_info(rule).short_description
                  == "Agents told to run `python -c 'import x. y'` run it.");
        }
    }
}
