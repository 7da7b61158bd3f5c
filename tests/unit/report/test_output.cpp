#include "core/atomic_file.hpp"
#include "printers.hpp"
#include "report/output.hpp"
#include "source/source_file.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace core = aiops::core;
namespace fs = std::filesystem;
namespace report = aiops::report;
namespace test = aiops::test;

namespace {

// The scratch folder is shared by the subcases of a test case, which doctest runs by
// entering the case again; emptying it first gives each subcase a clean folder.
void empty_scratch_folder()
{
    for (const auto& entry : fs::directory_iterator(fs::current_path())) {
        fs::remove_all(entry.path());
    }
}

std::vector<std::string> names_in(const fs::path& folder)
{
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string content_of(const fs::path& path)
{
    auto bytes = aiops::source::read_file(path);
    REQUIRE(bytes.ok());
    return *bytes;
}

} // namespace

TEST_SUITE("report")
{
    TEST_CASE("report::write_file_atomically")
    {
        empty_scratch_folder();

        SUBCASE("parent folders are created")
        {
            auto written = core::write_file_atomically("out/deep/report.sarif", "{}\n");
            REQUIRE(written.ok());
            CHECK(content_of("out/deep/report.sarif") == "{}\n");
        }

        SUBCASE("no temporary file is left behind")
        {
            REQUIRE(core::write_file_atomically("out/report.json", "data").ok());
            CHECK(names_in("out") == std::vector<std::string>{"report.json"});
        }

        SUBCASE("an existing file is replaced")
        {
            test::write_file("out/report.json", "old content that is longer");
            REQUIRE(core::write_file_atomically("out/report.json", "new").ok());
            CHECK(content_of("out/report.json") == "new");
            CHECK(names_in("out") == std::vector<std::string>{"report.json"});
        }

        SUBCASE("a file in the working folder")
        {
            REQUIRE(core::write_file_atomically("report.txt", "").ok());
            CHECK(fs::exists("report.txt"));
            CHECK(fs::file_size("report.txt") == 0);
        }

        SUBCASE("a parent that is a file is a usage error")
        {
            test::write_file("blocker", "x");
            auto written = core::write_file_atomically("blocker/report.json", "{}");
            REQUIRE_FALSE(written.ok());
            CHECK(written.error().code() == core::ErrorCode::usage);
            CHECK(written.error().message().find("blocker/report.json") != std::string::npos);
        }

        SUBCASE("a target that is a folder is a usage error and leaves no temporary file")
        {
            fs::create_directories("out/report.json");
            auto written = core::write_file_atomically("out/report.json", "{}");
            REQUIRE_FALSE(written.ok());
            CHECK(written.error().code() == core::ErrorCode::usage);
            CHECK(names_in("out") == std::vector<std::string>{"report.json"});
        }
    }

    TEST_CASE("report::parse_format")
    {
        CHECK(report::parse_format("text") == report::Format::text);
        CHECK(report::parse_format("json") == report::Format::json);
        CHECK(report::parse_format("sarif") == report::Format::sarif);
        CHECK(report::parse_format("github") == report::Format::github);
        CHECK_FALSE(report::parse_format("SARIF").has_value());
        CHECK_FALSE(report::parse_format("xml").has_value());
        CHECK_FALSE(report::parse_format("").has_value());
    }

    TEST_CASE("report::use_color")
    {
        CHECK(report::use_color(report::ColorMode::always));
        CHECK_FALSE(report::use_color(report::ColorMode::never));

        SUBCASE("NO_COLOR turns automatic colour off")
        {
            const char* before = std::getenv("NO_COLOR");
            const std::string saved = before != nullptr ? before : "";
            ::setenv("NO_COLOR", "1", /*overwrite=*/1);
            CHECK_FALSE(report::use_color(report::ColorMode::automatic));
            if (before != nullptr) {
                ::setenv("NO_COLOR", saved.c_str(), 1);
            } else {
                ::unsetenv("NO_COLOR");
            }
        }
    }
}
