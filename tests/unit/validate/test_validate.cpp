#include "core/interrupt.hpp"
#include "printers.hpp"
#include "report/line_hash.hpp"
#include "test_support.hpp"
#include "validate/validate.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace core = aiops::core;
namespace fs = std::filesystem;
namespace report = aiops::report;
namespace test = aiops::test;
namespace validate = aiops::validate;

using Strings = std::vector<std::string>;

namespace {

constexpr const char* k_five_returns = "return 1\nreturn 2\nreturn 3\nreturn 4\nreturn 5\n";

// A scratch tree with valid, broken, binary and unsupported files.
void write_tree()
{
    test::write_file("good.py", "def f(x):\n    return x\n");
    test::write_file("five.py", k_five_returns);
    test::write_file("sub/else.py", "x = 1\nelse:\n    pass\n");
    test::write_file("broken.js", "let a = ;\n");
    test::write_file("header.h",
                     "namespace geo {\n"
                     "template <typename T>\n"
                     "class Point {\n"
                     "public:\n"
                     "    T x = 0;\n"
                     "};\n"
                     "}\n");
    test::write_file("encoding.py", "s = '\xFF'\n");
    test::write_file("blob.py", std::string("x = 1\0\n", 7));
    test::write_file("tool", "#!/usr/bin/env python3\nprint 'x'\n");
    test::write_file("notes", "just words\n");
    test::write_file("README.md", "# readme\n");
}

validate::ValidateOptions options_here()
{
    validate::ValidateOptions options;
    options.walk.use_git = false;
    options.walk.root = fs::current_path();
    options.jobs = 1;
    return options;
}

report::Report run(const validate::ValidateOptions& options)
{
    auto result = validate::run_validate(options);
    REQUIRE_MESSAGE(result.ok(), (result.ok() ? std::string() : result.error().message()));
    return std::move(result).take();
}

std::vector<const core::Finding*> findings_in(const report::Report& r, const std::string& path)
{
    std::vector<const core::Finding*> found;
    for (const auto& finding : r.findings) {
        if (finding.location.path == path) {
            found.push_back(&finding);
        }
    }
    return found;
}

Strings paths_with_findings(const report::Report& r)
{
    Strings paths;
    for (const auto& finding : r.findings) {
        if (paths.empty() || paths.back() != finding.location.path) {
            paths.push_back(finding.location.path);
        }
    }
    return paths;
}

// Everything about a finding that output shows, as one string.
std::string describe(const core::Finding& f)
{
    const auto& at = f.location;
    return at.path + ":" + std::to_string(at.start_line) + ":" + std::to_string(at.start_column)
           + "-" + std::to_string(at.end_line) + ":" + std::to_string(at.end_column) + " "
           + f.rule_id + " " + f.message + " " + f.fingerprint + " " + f.line_hash + " "
           + f.snippet;
}

Strings described(const report::Report& r)
{
    Strings out;
    for (const auto& finding : r.findings) {
        out.push_back(describe(finding));
    }
    return out;
}

} // namespace

TEST_SUITE("validate")
{
    TEST_CASE("validate::run_validate")
    {
        write_tree();

        SUBCASE("the files with problems, and only those, have findings")
        {
            const report::Report r = run(options_here());
            CHECK(r.command == "validate");
            CHECK(r.root == fs::current_path());
            CHECK(paths_with_findings(r)
                  == Strings{"broken.js", "encoding.py", "five.py", "sub/else.py", "tool"});
            CHECK(r.files_checked == 7);
            CHECK(r.unsupported_files == 2);
            CHECK(r.execution_successful);
            CHECK(r.notices.empty());
        }

        SUBCASE("findings are sorted")
        {
            const report::Report r = run(options_here());
            CHECK(std::is_sorted(r.findings.begin(), r.findings.end(), core::finding_order));
        }

        SUBCASE("findings are the same for one job and for two")
        {
            auto options = options_here();
            const report::Report one = run(options);
            options.jobs = 2;
            const report::Report two = run(options);
            CHECK(described(one) == described(two));
            CHECK(one.files_checked == two.files_checked);
        }

        SUBCASE("a syntax error is located, described and fingerprinted")
        {
            const report::Report r = run(options_here());
            const auto found = findings_in(r, "sub/else.py");
            REQUIRE(found.size() == 1);
            const core::Finding& f = *found[0];
            CHECK(f.rule_id == "syntax.error");
            CHECK(f.severity == core::Severity::high);
            CHECK(f.message == "unexpected 'else'");
            CHECK(f.location.start_line == 2);
            CHECK(f.location.start_column == 1);
            CHECK(f.snippet.starts_with("else:"));
            CHECK(f.tags == Strings{"syntax", "correctness"});
            CHECK(f.fingerprint.size() == 64);
            CHECK(f.line_hash == report::line_hashes("x = 1\nelse:\n    pass\n")[1]);
        }

        SUBCASE("a file that is not valid UTF-8 gets an encoding finding")
        {
            const report::Report r = run(options_here());
            const auto found = findings_in(r, "encoding.py");
            REQUIRE(found.size() >= 1);
            CHECK(found[0]->rule_id == "syntax.encoding");
            CHECK(found[0]->location.start_line == 1);
            CHECK(found[0]->location.start_column == 6);
            CHECK(found[0]->message.find("0xff") != std::string::npos);
        }

        SUBCASE("a script without an extension is checked by its shebang")
        {
            const report::Report r = run(options_here());
            const auto found = findings_in(r, "tool");
            REQUIRE(found.size() == 1);
            CHECK(found[0]->location.start_line == 2);
            CHECK(found[0]->message.find("print") != std::string::npos);
        }

        SUBCASE("a binary file is skipped")
        {
            const report::Report r = run(options_here());
            REQUIRE(r.skipped.size() == 1);
            CHECK(r.skipped[0].path == "blob.py");
            CHECK(r.skipped[0].reason.find("binary") != std::string::npos);
            CHECK(findings_in(r, "blob.py").empty());
        }

        SUBCASE("a .h file holding C++ has no findings")
        {
            const report::Report r = run(options_here());
            CHECK(findings_in(r, "header.h").empty());
        }

        SUBCASE("max_problems_per_file caps a file's findings and adds a note")
        {
            auto options = options_here();
            options.max_problems_per_file = 2;
            const report::Report r = run(options);
            const auto found = findings_in(r, "five.py");
            REQUIRE(found.size() == 2);
            CHECK(found[0]->location.start_line == 1);
            CHECK(found[1]->location.start_line == 2);
            REQUIRE(r.notices.size() == 1);
            CHECK(r.notices[0].level == report::Notice::Level::note);
            CHECK(r.notices[0].path == "five.py");
            CHECK(r.notices[0].message.starts_with("3 more syntax problems are not shown"));
            CHECK(r.execution_successful);
        }

        SUBCASE("without a cap every problem is a finding")
        {
            const report::Report r = run(options_here());
            CHECK(findings_in(r, "five.py").size() == 5);
        }

        SUBCASE("the report carries the options' gate and the rules of the default checks")
        {
            auto options = options_here();
            options.fail_on = core::Severity::critical;
            options.category = "validate/";
            const report::Report r = run(options);
            CHECK(r.fail_on == core::Severity::critical);
            CHECK(r.category == "validate/");
            Strings rule_ids;
            for (const auto& rule : r.rules) {
                rule_ids.push_back(rule.id);
            }
            CHECK(rule_ids
                  == Strings{"syntax.error",
                             "syntax.missing",
                             "syntax.encoding",
                             "artefacts.markdown-fence",
                             "artefacts.prose",
                             "artefacts.elided-code",
                             "artefacts.placeholder-body",
                             "artefacts.truncated",
                             "imports.undeclared",
                             "imports.stdlib-version",
                             "imports.java-unresolved",
                             "manifest.edited",
                             "manifest.missing-file",
                             "manifest.unfinished-switch"});
            CHECK_FALSE(r.start_time_utc.empty());
        }

        SUBCASE("named files only")
        {
            auto options = options_here();
            options.walk.paths = {"good.py", "sub"};
            const report::Report r = run(options);
            CHECK(r.files_checked == 2);
            CHECK(paths_with_findings(r) == Strings{"sub/else.py"});
        }
    }

    TEST_CASE("validate::run_validate failures")
    {
        write_tree();

        SUBCASE("an unknown check fails with a usage error and a suggestion")
        {
            auto options = options_here();
            options.checks = {"syntx"};
            auto result = validate::run_validate(options);
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().code() == core::ErrorCode::usage);
            CHECK(result.error().message() == "unknown check 'syntx'; did you mean 'syntax'?");
        }

        SUBCASE("an unknown check far from every name lists the checks")
        {
            auto options = options_here();
            options.checks = {"syntax", "lint"};
            auto result = validate::run_validate(options);
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().code() == core::ErrorCode::usage);
            CHECK(result.error().message()
                  == "unknown check 'lint' (checks: syntax, artefacts, imports, manifest, "
                     "conformance)");
        }

        SUBCASE("no check at all fails with a usage error")
        {
            auto options = options_here();
            options.checks.clear();
            auto result = validate::run_validate(options);
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().code() == core::ErrorCode::usage);
            CHECK(result.error().message()
                  == "no check to run (checks: syntax, artefacts, imports, manifest, conformance)");
        }

        SUBCASE("a missing path fails with a usage error")
        {
            auto options = options_here();
            options.walk.paths = {"nope.py"};
            auto result = validate::run_validate(options);
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().code() == core::ErrorCode::usage);
        }

        SUBCASE("an interrupt fails the run")
        {
            core::request_interrupt();
            auto result = validate::run_validate(options_here());
            core::clear_interrupt();
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().code() == core::ErrorCode::interrupted);
        }
    }

    TEST_CASE("validate::known_checks")
    {
        CHECK(validate::known_checks()
              == Strings{"syntax", "artefacts", "imports", "manifest", "conformance"});
    }
}
