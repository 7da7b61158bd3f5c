#include "report/writers.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;
namespace report = aiops::report;

using core::Severity;

namespace {

core::Finding finding(std::string rule_id, std::string path, int line, std::string message)
{
    core::Finding f;
    f.rule_id = std::move(rule_id);
    f.severity = Severity::high;
    f.message = std::move(message);
    f.location = {std::move(path), line, 5, line, 9};
    f.snippet = "x = (1";
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

bool contains(const std::string& text, const std::string& piece)
{
    return text.find(piece) != std::string::npos;
}

// Two rules in a.py (one of them twice) and one in b.py, from two files checked.
report::Report sample_report()
{
    report::Report r;
    r.command = "validate";
    r.files_checked = 2;
    r.findings = {finding("syntax.error", "a.py", 1, "unexpected 'else'"),
                  finding("syntax.missing", "a.py", 2, "missing ')'"),
                  finding("syntax.error", "a.py", 8, "unexpected 'def'"),
                  finding("syntax.error", "b.py", 3, "unexpected end of file")};
    r.start_time_utc = "2026-01-31T12:00:00.250Z";
    r.end_time_utc = "2026-01-31T12:00:01.750Z";
    r.fail_on = Severity::low;
    return r;
}

} // namespace

TEST_SUITE("report")
{
    TEST_CASE("report::write_junit")
    {
        report::Report r = sample_report();

        SUBCASE("an XML declaration, then one suite inside testsuites")
        {
            const std::string xml = report::write_junit(r);
            CHECK(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
            CHECK(count(xml, "<testsuite ") == 1);
            CHECK(xml.ends_with("  </testsuite>\n</testsuites>\n"));
        }

        SUBCASE("a test case per rule and file, a failure per finding")
        {
            const std::string xml = report::write_junit(r);
            CHECK(count(xml, "<testcase ") == 3);
            CHECK(count(xml, "<failure ") == 4);
            CHECK(contains(xml,
                           "<testcase name=\"a.py: syntax.error\" classname=\"syntax.error\" "
                           "file=\"a.py\" line=\"1\">\n"
                           "      <failure message=\"unexpected 'else'\" type=\"syntax.error\">"
                           "a.py:1:5\nx = (1</failure>\n"
                           "      <failure message=\"unexpected 'def'\" type=\"syntax.error\">"
                           "a.py:8:5\nx = (1</failure>\n"
                           "    </testcase>\n"));
            CHECK(
                contains(xml, "<testcase name=\"b.py: syntax.error\" classname=\"syntax.error\""));
            CHECK(contains(xml, "<testcase name=\"a.py: syntax.missing\""));
        }

        SUBCASE("the counts are test cases, failed ones among them")
        {
            const std::string xml = report::write_junit(r);
            CHECK(count(xml, "tests=\"3\" failures=\"3\" errors=\"0\" skipped=\"0\"") == 2);
        }

        SUBCASE("the duration and start come from the report's times")
        {
            const std::string xml = report::write_junit(r);
            CHECK(contains(xml, "skipped=\"0\" time=\"1.500\">\n  <testsuite "));
            CHECK(contains(xml, "time=\"1.500\" timestamp=\"2026-01-31T12:00:00\">"));
            r.end_time_utc.clear();
            CHECK(contains(report::write_junit(r), "skipped=\"0\" time=\"0\">"));
        }

        SUBCASE("the run's counts are properties")
        {
            r.skipped = {{"blob.py", "binary file"}};
            const std::string xml = report::write_junit(r);
            CHECK(contains(xml, "<property name=\"files_checked\" value=\"2\"/>"));
            CHECK(contains(xml, "<property name=\"files_skipped\" value=\"1\"/>"));
            CHECK(contains(xml, "<property name=\"fail_on\" value=\"low\"/>"));
        }

        SUBCASE("no findings: one passing test case, so the suite is never empty")
        {
            r.findings.clear();
            const std::string xml = report::write_junit(r);
            CHECK(count(xml, "<testcase ") == 1);
            CHECK(contains(
                xml,
                "<testcase name=\"2 files checked: no findings\" classname=\"aiops.validate\"/>"));
            CHECK(count(xml, "tests=\"1\" failures=\"0\" errors=\"0\"") == 2);
        }

        SUBCASE("suppressed findings are left out, and counted in the passing case")
        {
            for (auto& f : r.findings) {
                f.suppression = core::Suppression{core::Suppression::Kind::in_source, "known"};
            }
            const std::string xml = report::write_junit(r);
            CHECK(count(xml, "<failure ") == 0);
            CHECK(contains(xml, "name=\"2 files checked: no findings (4 suppressed)\""));
        }

        SUBCASE("a file that could not be checked is an error")
        {
            r.notices = {{report::Notice::Level::error, "c.py", "cannot read: denied"},
                         {report::Notice::Level::note, "a.py", "3 more problems not shown"}};
            const std::string xml = report::write_junit(r);
            CHECK(contains(xml,
                           "<testcase name=\"c.py\" classname=\"aiops.validate\" file=\"c.py\">\n"
                           "      <error message=\"cannot read: denied\" type=\"error\"/>\n"));
            CHECK(count(xml, "tests=\"4\" failures=\"3\" errors=\"1\"") == 2);
            CHECK_FALSE(contains(xml, "3 more problems"));
        }

        SUBCASE("markup characters are escaped in attributes and text")
        {
            r.findings = {finding("syntax.error", "d&<\"'>.py", 1, "a < b && \"c\" > 'd'")};
            r.findings[0].snippet = "if a < b and c > d: s = \"]]>\" & x";
            const std::string xml = report::write_junit(r);
            CHECK(contains(xml, "message=\"a &lt; b &amp;&amp; &quot;c&quot; &gt; 'd'\""));
            CHECK(contains(xml, "file=\"d&amp;&lt;&quot;'&gt;.py\""));
            CHECK(contains(xml,
                           ">d&amp;&lt;\"'&gt;.py:1:5\nif a &lt; b and c &gt; d: s = \"]]&gt;\" "
                           "&amp; x</failure>"));
        }

        SUBCASE("line breaks and tabs survive in attributes as references")
        {
            r.findings = {finding("syntax.error", "a.py", 1, "one\ntwo\tthree\r\n")};
            r.findings[0].snippet = "a\r\nb";
            const std::string xml = report::write_junit(r);
            CHECK(contains(xml, "message=\"one&#10;two&#9;three&#13;&#10;\""));
            CHECK(contains(xml, "a.py:1:5\na&#13;\nb</failure>"));
        }

        SUBCASE("control characters are written out, invalid UTF-8 is shown by its value")
        {
            r.findings = {
                finding("syntax.error", "a.py", 1, "nul\x01 esc\x1b[0m bad\xff end\xef\xbf\xbe.")};
            r.findings[0].snippet = std::string("x\0y\x0b\x0cz \xf0\x9f\x98\x80", 11);
            const std::string xml = report::write_junit(r);
            CHECK(contains(
                xml, "message=\"nul&lt;U+0001&gt; esc&lt;U+001B&gt;[0m bad&lt;0xFF&gt; end.\""));
            CHECK(contains(xml,
                           "a.py:1:5\nx&lt;U+0000&gt;y&lt;U+000B&gt;&lt;U+000C&gt;z "
                           "\xf0\x9f\x98\x80</failure>"));
        }

        SUBCASE("a report without a command is still named")
        {
            r.command.clear();
            r.findings.clear();
            const std::string xml = report::write_junit(r);
            CHECK(contains(xml, "<testsuite name=\"aiops\" "));
            CHECK(contains(xml, "classname=\"aiops\"/>"));
        }
    }
}
