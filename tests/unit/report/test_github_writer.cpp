#include "report/writers.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;
namespace report = aiops::report;

using core::Severity;

namespace {

core::Finding finding(Severity severity, std::string path, std::string message)
{
    core::Finding f;
    f.rule_id = "syntax.error";
    f.severity = severity;
    f.message = std::move(message);
    f.location = {std::move(path), 2, 3, 2, 4};
    return f;
}

} // namespace

TEST_SUITE("report")
{
    TEST_CASE("report::write_github")
    {
        SUBCASE("one annotation per finding, its properties and message escaped")
        {
            report::Report r;
            r.findings = {finding(Severity::high, "dir,1/a:b.py", "bad: 100%\nreally")};
            CHECK(report::write_github(r)
                  == "::error "
                     "file=dir%2C1/a%3Ab.py,line=2,col=3,endLine=2,endColumn=4,title=syntax.error"
                     "::bad: 100%25%0Areally\n");
        }

        SUBCASE("a path with a bidirectional control is written escaped, as in text output")
        {
            report::Report r;
            r.findings = {finding(Severity::high, "paths/evil\u202Egpj.py", "m")};
            CHECK(report::write_github(r)
                  == "::error file=paths/evil<U+202E>gpj.py,line=2,col=3,endLine=2,endColumn=4,"
                     "title=syntax.error::m\n");
        }

        SUBCASE("the command follows the severity")
        {
            report::Report r;
            r.findings = {finding(Severity::critical, "a.py", "m"),
                          finding(Severity::medium, "a.py", "m"),
                          finding(Severity::low, "a.py", "m"),
                          finding(Severity::info, "a.py", "m")};
            const std::string out = report::write_github(r);
            CHECK(
                out
                == "::error file=a.py,line=2,col=3,endLine=2,endColumn=4,title=syntax.error::m\n"
                   "::warning file=a.py,line=2,col=3,endLine=2,endColumn=4,title=syntax.error::m\n"
                   "::notice file=a.py,line=2,col=3,endLine=2,endColumn=4,title=syntax.error::m\n"
                   "::notice file=a.py,line=2,col=3,endLine=2,endColumn=4,title=syntax.error::m\n");
        }

        SUBCASE("error notices are annotated, other notices are not")
        {
            report::Report r;
            r.notices = {{report::Notice::Level::error, "src/x.py", "cannot read: denied"},
                         {report::Notice::Level::note, "src/y.py", "3 more"},
                         {report::Notice::Level::error, "", "interrupted"}};
            CHECK(report::write_github(r)
                  == "::error title=aiops::src/x.py: cannot read: denied\n"
                     "::error title=aiops::interrupted\n");
        }

        SUBCASE("nothing to say, nothing written")
        {
            CHECK(report::write_github(report::Report{}).empty());
        }
    }
}
