#include "report/writers.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;
namespace report = aiops::report;

using core::Severity;

namespace {

core::Finding finding(std::string snippet, int start_column, int end_line, int end_column)
{
    core::Finding f;
    f.rule_id = "syntax.error";
    f.severity = Severity::high;
    f.message = "unexpected ')'";
    f.location = {"src/a.py", 3, start_column, end_line, end_column};
    f.snippet = std::move(snippet);
    return f;
}

report::Report report_with(std::vector<core::Finding> findings)
{
    report::Report r;
    r.findings = std::move(findings);
    r.files_checked = 1;
    return r;
}

std::string plain_text(const report::Report& r)
{
    return report::write_text(r, report::TextStyle{/*color=*/false});
}

} // namespace

TEST_SUITE("report")
{
    TEST_CASE("report::write_text")
    {
        SUBCASE("the finding line, the source line and a caret under the column")
        {
            // Columns: 1 tab, 2 'é', 3 ' ', 4 '=', 5 ' ', 6 ')'.
            const auto r = report_with({finding("\t\xC3\xA9 = )", 6, 3, 7)});
            CHECK(plain_text(r)
                  == "src/a.py:3:6: high: unexpected ')' [syntax.error]\n"
                     "    \t\xC3\xA9 = )\n"
                     "    \t    ^\n"
                     "1 finding (1 high) in 1 file checked\n");
        }

        SUBCASE(
            "bidirectional controls and escapes in the source line are not passed to the terminal")
        {
            // U+202E (right-to-left override) and ESC are written out; the caret moves with
            // them.
            const auto r = report_with({finding("s = \"\xE2\x80\xAE\x1b[2J\")", 6, 3, 7)});
            CHECK(plain_text(r)
                  == "src/a.py:3:6: high: unexpected ')' [syntax.error]\n"
                     "    s = \"<U+202E><U+001B>[2J\")\n"
                     "         ^~~~~~~~\n"
                     "1 finding (1 high) in 1 file checked\n");
        }

        SUBCASE("the caret follows a redaction earlier on the line")
        {
            // The source line was 'a = "0123456789abcdef", b = "x"': the first value shows
            // as 7 code points instead of 16.
            auto f = finding("a = \"012\xE2\x80\xA6[x]\", b = \"x\"", 29, 3, 30);
            f.snippet_shift = 9;
            CHECK(plain_text(report_with({f}))
                      .starts_with("src/a.py:3:29: high: unexpected ')' [syntax.error]\n"
                                   "    a = \"012\xE2\x80\xA6[x]\", b = \"x\"\n"
                                   "                       ^\n"));
        }

        SUBCASE("a hidden character in a path is written out")
        {
            auto f = finding("x = 1", 1, 3, 2);
            f.location.path = "src/txt.\xE2\x80\xAE"
                              "yp.a";
            CHECK(plain_text(report_with({f})).starts_with("src/txt.<U+202E>yp.a:3:1: high: "));
        }

        SUBCASE("a hidden character in the message is written out")
        {
            auto f = finding("x = 1", 1, 3, 2);
            f.message = "is_\xE2\x81\xA7"
                        "admin";
            CHECK(plain_text(report_with({f}))
                      .starts_with("src/a.py:3:1: high: is_<U+2067>admin [syntax.error]\n"));
        }

        SUBCASE("tildes run to the end of a range on one line")
        {
            const auto r = report_with({finding("x = foo(1))", 5, 3, 12)});
            CHECK(plain_text(r).starts_with("src/a.py:3:5: high: unexpected ')' [syntax.error]\n"
                                            "    x = foo(1))\n"
                                            "        ^~~~~~~\n"));
        }

        SUBCASE("a range over several lines is marked to the end of its first line")
        {
            const auto r = report_with({finding("f(a,\n  b", 2, 4, 4)});
            CHECK(plain_text(r).starts_with("src/a.py:3:2: high: unexpected ')' [syntax.error]\n"
                                            "    f(a,\n"
                                            "     ^~~\n"));
        }

        SUBCASE("a finding without a snippet is one line")
        {
            const auto r = report_with({finding("", 1, 3, 1)});
            CHECK(plain_text(r)
                  == "src/a.py:3:1: high: unexpected ')' [syntax.error]\n"
                     "1 finding (1 high) in 1 file checked\n");
        }

        SUBCASE("skipped files and notices follow the findings")
        {
            report::Report r;
            r.files_checked = 2;
            r.skipped = {{"bin/blob.py", "binary file"}};
            r.notices = {
                {report::Notice::Level::note, "src/a.py", "3 more syntax problems are not shown"},
                {report::Notice::Level::error, "", "something broke"}};
            CHECK(plain_text(r)
                  == "bin/blob.py: note: skipped: binary file\n"
                     "src/a.py: note: 3 more syntax problems are not shown\n"
                     "error: something broke\n"
                     "no findings in 2 files checked, 1 skipped\n");
        }

        SUBCASE("the summary counts findings by severity, most serious first")
        {
            auto low = finding("", 1, 3, 1);
            low.severity = Severity::low;
            auto high = finding("", 2, 3, 2);
            report::Report r = report_with({low, high, high});
            r.files_checked = 3;
            const std::string text = plain_text(r);
            CHECK(text.ends_with("\n3 findings (2 high, 1 low) in 3 files checked\n"));
        }

        SUBCASE("colour only when asked for")
        {
            const auto r = report_with({finding("x)", 2, 3, 3)});
            CHECK(plain_text(r).find('\x1b') == std::string::npos);
            const std::string coloured = report::write_text(r, report::TextStyle{/*color=*/true});
            CHECK(coloured.find("\x1b[31mhigh") != std::string::npos);
            CHECK(coloured.find("\x1b[0m") != std::string::npos);
        }
    }
}
