#include "core/finding.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace core = aiops::core;

namespace {

core::Finding finding_at(std::string path, int line, int column, std::string rule = "syntax.error")
{
    core::Finding finding;
    finding.rule_id = std::move(rule);
    finding.location = {std::move(path), line, column, line, column + 1};
    return finding;
}

core::Finding with_snippet(std::string rule, int line, std::string snippet)
{
    core::Finding finding = finding_at("src/app.py", line, 1, std::move(rule));
    finding.snippet = std::move(snippet);
    return finding;
}

std::string fingerprint_alone(const core::Finding& finding)
{
    std::vector<core::Finding> one{finding};
    core::compute_fingerprints(one);
    return one[0].fingerprint;
}

bool is_lowercase_hex(const std::string& text)
{
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

} // namespace

TEST_SUITE("core")
{
    TEST_CASE("core::finding_order")
    {
        SUBCASE("the path decides first")
        {
            CHECK(core::finding_order(finding_at("a.py", 9, 9), finding_at("b.py", 1, 1)));
            CHECK_FALSE(core::finding_order(finding_at("b.py", 1, 1), finding_at("a.py", 9, 9)));
        }

        SUBCASE("then the line, as a number")
        {
            CHECK(core::finding_order(finding_at("a.py", 2, 5), finding_at("a.py", 10, 1)));
        }

        SUBCASE("then the column")
        {
            CHECK(core::finding_order(finding_at("a.py", 3, 2), finding_at("a.py", 3, 7)));
        }

        SUBCASE("then the rule id")
        {
            CHECK(core::finding_order(finding_at("a.py", 3, 2, "syntax.encoding"),
                                      finding_at("a.py", 3, 2, "syntax.error")));
        }

        SUBCASE("a finding is not ordered before itself")
        {
            const core::Finding finding = finding_at("a.py", 1, 1);
            CHECK_FALSE(core::finding_order(finding, finding));
        }

        SUBCASE("sorting gives path, line, column order")
        {
            std::vector<core::Finding> findings{finding_at("b.py", 1, 1),
                                                finding_at("a.py", 10, 1),
                                                finding_at("a.py", 2, 8),
                                                finding_at("a.py", 2, 3)};
            std::sort(findings.begin(), findings.end(), core::finding_order);
            CHECK(findings[0].location.path == "a.py");
            CHECK(findings[0].location.start_column == 3);
            CHECK(findings[1].location.start_column == 8);
            CHECK(findings[2].location.start_line == 10);
            CHECK(findings[3].location.path == "b.py");
        }
    }

    TEST_CASE("core::compute_fingerprints")
    {
        SUBCASE("a fingerprint is a SHA-256 in lowercase hex")
        {
            const std::string fingerprint = fingerprint_alone(with_snippet("r", 1, "x = 1"));
            CHECK(fingerprint.size() == 64);
            CHECK(is_lowercase_hex(fingerprint));
        }

        SUBCASE("the same snippet twice gets two fingerprints")
        {
            std::vector<core::Finding> findings{with_snippet("r", 3, "print x"),
                                                with_snippet("r", 8, "print x")};
            core::compute_fingerprints(findings);
            CHECK(findings[0].fingerprint != findings[1].fingerprint);
        }

        SUBCASE("moving a finding to another line with the same text keeps its fingerprint")
        {
            CHECK(fingerprint_alone(with_snippet("r", 3, "print x"))
                  == fingerprint_alone(with_snippet("r", 40, "print x")));
        }

        SUBCASE("the occurrence index counts only findings with the same anchor")
        {
            std::vector<core::Finding> pair{with_snippet("r", 3, "print x"),
                                            with_snippet("r", 8, "print x")};
            core::compute_fingerprints(pair);
            std::vector<core::Finding> mixed{with_snippet("r", 3, "print x"),
                                             with_snippet("r", 5, "y = (1"),
                                             with_snippet("other", 6, "print x"),
                                             with_snippet("r", 8, "print x")};
            core::compute_fingerprints(mixed);
            CHECK(mixed[0].fingerprint == pair[0].fingerprint);
            CHECK(mixed[3].fingerprint == pair[1].fingerprint);
        }

        SUBCASE("with contexts, occurrences are counted within each block")
        {
            // Before: one call in a() and one in b(). After: a second one in a().
            std::vector<core::Finding> before{with_snippet("r", 5, "run(c)"),
                                              with_snippet("r", 9, "run(c)")};
            core::compute_fingerprints(before, {"def a", "def b"});
            std::vector<core::Finding> after{with_snippet("r", 7, "run(c)"),
                                             with_snippet("r", 8, "run(c)"),
                                             with_snippet("r", 12, "run(c)")};
            core::compute_fingerprints(after, {"def a", "def a", "def b"});
            CHECK(after[0].fingerprint == before[0].fingerprint);
            CHECK(after[1].fingerprint != before[0].fingerprint);
            CHECK(after[1].fingerprint != before[1].fingerprint);
            CHECK(after[2].fingerprint == before[1].fingerprint);
        }

        SUBCASE("an empty context leaves the fingerprint as it was")
        {
            const core::Finding finding = with_snippet("r", 1, "x = 1");
            std::vector<core::Finding> with_empty{finding};
            core::compute_fingerprints(with_empty, {""});
            CHECK(with_empty[0].fingerprint == fingerprint_alone(finding));
        }

        SUBCASE("white space in the snippet does not matter")
        {
            CHECK(fingerprint_alone(with_snippet("r", 1, "x  =\t1"))
                  == fingerprint_alone(with_snippet("r", 1, "  x = 1  ")));
        }

        SUBCASE("the rule, the path and the snippet each change the fingerprint")
        {
            const core::Finding base = with_snippet("r", 1, "x = 1");
            core::Finding other_rule = base;
            other_rule.rule_id = "s";
            core::Finding other_path = base;
            other_path.location.path = "src/other.py";
            core::Finding other_snippet = base;
            other_snippet.snippet = "x = 2";
            const std::string fingerprint = fingerprint_alone(base);
            CHECK(fingerprint_alone(other_rule) != fingerprint);
            CHECK(fingerprint_alone(other_path) != fingerprint);
            CHECK(fingerprint_alone(other_snippet) != fingerprint);
        }

        SUBCASE("no findings is fine")
        {
            std::vector<core::Finding> none;
            core::compute_fingerprints(none);
            CHECK(none.empty());
        }
    }
}
