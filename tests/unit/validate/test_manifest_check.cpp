#include "core/severity.hpp"
#include "core/sha256.hpp"
#include "printers.hpp"
#include "spec/manifest.hpp"
#include "test_support.hpp"
#include "validate/validate.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <vector>

namespace core = aiops::core;
namespace fs = std::filesystem;
namespace spec = aiops::spec;
namespace test = aiops::test;
namespace validate = aiops::validate;

using Strings = std::vector<std::string>;

namespace {

constexpr const char* k_app = "def main():\n    return 0\n";
constexpr const char* k_util = "def scale(x):\n    return 2 * x\n";

// A generated folder gen/ with two files and the manifest that records them.
void write_generated()
{
    test::write_file("gen/app.py", k_app);
    test::write_file("gen/lib/util.py", k_util);
    test::write_file("other.py", "x = 1\n");
    spec::Manifest manifest;
    manifest.aiops_version = "0.1.0";
    manifest.generated_at = "2026-01-31T12:00:00Z";
    manifest.spec_path = "spec.yaml";
    manifest.spec_sha256 = std::string(64, '0');
    manifest.files = {{"app.py", core::sha256_hex(k_app), {}},
                      {"lib/util.py", core::sha256_hex(k_util), {}}};
    REQUIRE(spec::write_manifest("gen", manifest).ok());
}

validate::ValidateOptions options_for(std::vector<fs::path> paths)
{
    validate::ValidateOptions options;
    options.walk.root = fs::current_path();
    options.walk.paths = std::move(paths);
    options.walk.use_git = false;
    return options;
}

Strings findings_of(const validate::ValidateOptions& options)
{
    auto report = validate::run_validate(options);
    if (!report) {
        FAIL_CHECK(report.error().message());
    }
    REQUIRE(report.ok());
    Strings out;
    for (const auto& finding : report->findings) {
        out.push_back(fmt::format("{}:{}:{}: {} {}: {}",
                                  finding.location.path,
                                  finding.location.start_line,
                                  finding.location.start_column,
                                  core::to_string(finding.severity),
                                  finding.rule_id,
                                  finding.message));
    }
    return out;
}

} // namespace

TEST_SUITE("validate")
{
    TEST_CASE("validate: the manifest check")
    {
        write_generated();

        SUBCASE("files as generated have no findings")
        {
            CHECK(findings_of(options_for({"."})).empty());
        }

        SUBCASE("an edited file is a note, a deleted one an error at its manifest entry")
        {
            test::write_file("gen/app.py", "def main():\n    return 1\n");
            fs::remove("gen/lib/util.py");
            CHECK(findings_of(options_for({"."}))
                  == Strings{"gen/.aiops/manifest.json:16:15: high manifest.missing-file: "
                             "'gen/lib/util.py' is listed in the generation manifest but is "
                             "missing",
                             "gen/app.py:1:1: info manifest.edited: 'gen/app.py' was edited "
                             "after generation: its SHA-256 differs from the one in "
                             "'gen/.aiops/manifest.json'"});
        }

        SUBCASE("only the entries below the paths of the run are compared")
        {
            test::write_file("gen/app.py", "# changed\n");
            fs::remove("gen/lib/util.py");
            const Strings named = findings_of(options_for({"gen/app.py"}));
            REQUIRE(named.size() == 1);
            CHECK(named[0].starts_with("gen/app.py:1:1: info manifest.edited: "));
            CHECK(findings_of(options_for({"other.py"})).empty());
        }

        SUBCASE("a folder left between two generations is one error at its journal")
        {
            test::write_file("gen/app.py", "def main():\n    return 2\n");
            test::write_file(
                "gen/.aiops/switch.json",
                R"({"version": 1, "install": ["app.py"], "remove": [], "manifest": true})");
            CHECK(findings_of(options_for({"gen"}))
                  == Strings{"gen/.aiops/switch.json:1:1: high manifest.unfinished-switch: the "
                             "generation of 'gen' was stopped while it switched the files, so "
                             "some are new and some old: run 'aiops generate' for it again to "
                             "finish the switch"});
            fs::remove("gen/.aiops/switch.json");
        }

        SUBCASE("the check can be left out")
        {
            test::write_file("gen/app.py", "# changed\n");
            auto options = options_for({"."});
            options.checks = {"syntax"};
            CHECK(findings_of(options).empty());
        }

        SUBCASE("a malformed manifest is an input error with its position")
        {
            test::write_file("gen/.aiops/manifest.json", "{\"version\": \"2\"}\n");
            auto report = validate::run_validate(options_for({"gen"}));
            REQUIRE_FALSE(report.ok());
            CHECK(report.error().code() == core::ErrorCode::input);
            CHECK(report.error().message()
                  == "gen/.aiops/manifest.json:1:1: the manifest has no 'aiops_version'");
        }

        SUBCASE("an entry that names a folder is an input error at the entry")
        {
            spec::Manifest manifest;
            manifest.aiops_version = "0.1.0";
            manifest.generated_at = "2026-01-31T12:00:00Z";
            manifest.spec_path = "spec.yaml";
            manifest.spec_sha256 = std::string(64, '0');
            manifest.files = {{"lib", std::string(64, '0'), {}}};
            REQUIRE(spec::write_manifest("gen", manifest).ok());
            auto report = validate::run_validate(options_for({"gen"}));
            REQUIRE_FALSE(report.ok());
            CHECK(report.error().code() == core::ErrorCode::input);
            CHECK(report.error().message()
                  == "gen/.aiops/manifest.json:12:15: 'lib' is a folder; the manifest lists files");
        }
    }
}
