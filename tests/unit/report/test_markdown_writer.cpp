#include "report/writers.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;
namespace report = aiops::report;

using core::Severity;

namespace {

core::Finding finding(Severity severity, std::string path, int line, std::string message)
{
    core::Finding f;
    f.rule_id = "syntax.error";
    f.severity = severity;
    f.message = std::move(message);
    f.location = {std::move(path), line, 1, line, 2};
    return f;
}

std::size_t count(const std::string& text, const std::string& piece)
{
    std::size_t n = 0;
    for (auto at = text.find(piece); at != std::string::npos; at = text.find(piece, at + 1)) {
        ++n;
    }
    return n;
}

report::Report sample_report()
{
    report::Report r;
    r.command = "validate";
    r.files_checked = 12;
    r.skipped = {{"blob.py", "binary file"}};
    r.fail_on = Severity::low;
    r.findings = {finding(Severity::medium, "a.py", 3, "unused"),
                  finding(Severity::critical, "b.py", 1, "injection"),
                  finding(Severity::high, "c.py", 9, "unexpected 'else'")};
    return r;
}

} // namespace

TEST_SUITE("report")
{
    TEST_CASE("report::write_markdown")
    {
        report::Report r = sample_report();

        SUBCASE("a heading, the summary line and the table, most severe first")
        {
            CHECK(report::write_markdown(r)
                  == "## aiops validate\n"
                     "\n"
                     "**Failed**: 12 files checked, 1 skipped, 3 findings (1 critical, 1 high, "
                     "1 medium); the gate fails on low and above.\n"
                     "\n"
                     "| Location | Severity | Rule | Message |\n"
                     "| --- | --- | --- | --- |\n"
                     "| b.py:1 | critical | syntax.error | injection |\n"
                     "| c.py:9 | high | syntax.error | unexpected 'else' |\n"
                     "| a.py:3 | medium | syntax.error | unused |\n");
        }

        SUBCASE("findings below the gate pass")
        {
            r.fail_on = Severity::critical;
            r.findings.erase(r.findings.begin() + 1);
            const std::string md = report::write_markdown(r);
            CHECK(md.find("**Passed**: 12 files checked, 1 skipped, 2 findings (1 high, 1 medium); "
                          "the gate fails on critical and above.\n")
                  != std::string::npos);
        }

        SUBCASE("no findings, no table")
        {
            r.findings.clear();
            r.skipped.clear();
            r.files_checked = 1;
            r.fail_on.reset();
            CHECK(report::write_markdown(r)
                  == "## aiops validate\n\n**Passed**: 1 file checked, no findings; no gate.\n");
        }

        SUBCASE("suppressed findings are counted, not listed; errors fail the run")
        {
            r.findings[1].suppression = core::Suppression{core::Suppression::Kind::in_source, ""};
            r.notices = {{report::Notice::Level::error, "d.py", "cannot read: denied"}};
            r.execution_successful = false;
            const std::string md = report::write_markdown(r);
            CHECK(md.find("**Failed**: 12 files checked, 1 skipped, 2 findings (1 high, 1 medium), "
                          "1 suppressed, 1 error; the gate fails on low and above.\n")
                  != std::string::npos);
            CHECK(md.find("injection") == std::string::npos);
        }

        SUBCASE("cells escape pipes, line breaks and markup")
        {
            r.findings = {
                finding(Severity::high, "dir_1/a|b.py", 2, "a | b\r\nc <script> *x* `y` $z$")};
            const std::string md = report::write_markdown(r);
            CHECK(md.find("| dir\\_1/a\\|b.py:2 | high | syntax.error | "
                          "a \\| b<br>c \\<script\\> \\*x\\* \\`y\\` \\$z\\$ |\n")
                  != std::string::npos);
        }

        SUBCASE("at most 50 rows, and a line counting the rest")
        {
            r.findings.clear();
            for (int i = 1; i <= 62; ++i) {
                r.findings.push_back(finding(Severity::low, "a.py", i, "m"));
            }
            const std::string md = report::write_markdown(r);
            CHECK(count(md, "| a.py:") == 50);
            CHECK(md.find("| a.py:50 |") != std::string::npos);
            CHECK(md.find("| a.py:51 |") == std::string::npos);
            CHECK(md.ends_with("\n12 more findings not shown.\n"));
        }

        SUBCASE("rows are cut to keep the summary under GitHub's 1 MiB")
        {
            r.findings.clear();
            for (int i = 1; i <= 50; ++i) {
                r.findings.push_back(finding(Severity::high, "a.py", i, std::string(100'000, 'x')));
            }
            const std::string md = report::write_markdown(r);
            CHECK(md.size() <= 1024 * 1024);
            CHECK(count(md, "| a.py:") == 10);
            CHECK(md.ends_with("\n40 more findings not shown.\n"));
        }

        SUBCASE("a single row too large for the cap leaves only the count")
        {
            r.findings = {finding(Severity::high, "a.py", 1, std::string(2 * 1024 * 1024, 'x'))};
            const std::string md = report::write_markdown(r);
            CHECK(md.size() < 1024);
            CHECK(md.find("| Location |") == std::string::npos);
            CHECK(md.ends_with("\n1 more finding not shown.\n"));
        }

        SUBCASE("smaller limits")
        {
            const std::string md =
                report::write_markdown(r, {/*max_rows=*/1, /*max_bytes=*/1 << 20});
            CHECK(count(md, ".py:") == 1);
            CHECK(md.ends_with("\n2 more findings not shown.\n"));
        }
    }
}
