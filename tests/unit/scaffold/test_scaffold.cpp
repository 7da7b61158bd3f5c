#include "printers.hpp"
#include "scaffold/scaffold.hpp"
#include "source/source_file.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace core = aiops::core;
namespace fs = std::filesystem;
namespace scaffold = aiops::scaffold;
namespace test = aiops::test;

namespace {

void empty_scratch_folder()
{
    for (const auto& entry : fs::directory_iterator(fs::current_path())) {
        fs::remove_all(entry.path());
    }
}

std::vector<std::string> starter_paths()
{
    std::vector<std::string> paths;
    for (const auto& file : scaffold::starter_files()) {
        paths.emplace_back(file.path);
    }
    return paths;
}

} // namespace

TEST_SUITE("scaffold")
{
    TEST_CASE("scaffold::init_project")
    {
        empty_scratch_folder();

        SUBCASE("an empty folder gets every starter file, as the table holds it")
        {
            auto result = scaffold::init_project("project");
            REQUIRE(result.ok());
            CHECK(result->written == starter_paths());
            CHECK(result->skipped.empty());
            for (const auto& file : scaffold::starter_files()) {
                auto text = aiops::source::read_file(fs::path("project") / fs::path(file.path));
                REQUIRE(text.ok());
                CHECK(*text == file.text);
            }
        }

        SUBCASE("a second run writes nothing and skips every file")
        {
            REQUIRE(scaffold::init_project(".").ok());
            test::write_file("src/greeting.py", "edited\n");
            auto again = scaffold::init_project(".");
            REQUIRE(again.ok());
            CHECK(again->written.empty());
            CHECK(again->skipped == starter_paths());
            CHECK(*aiops::source::read_file("src/greeting.py") == "edited\n");
        }

        SUBCASE("a folder that is a file is a usage error")
        {
            test::write_file("project", "x");
            auto result = scaffold::init_project("project");
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().code() == core::ErrorCode::usage);
            CHECK(result.error().message() == "'project': not a folder");
        }

        SUBCASE("a starter file that cannot be written writes none of them")
        {
            test::write_file("project/behave", "a file where the suite's folder should be");
            auto result = scaffold::init_project("project");
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().code() == core::ErrorCode::usage);
            CHECK(result.error().message().find("'project/behave/smoke.suite.yaml'")
                  != std::string::npos);
            std::vector<std::string> left;
            for (const auto& entry : fs::recursive_directory_iterator("project")) {
                left.push_back(entry.path().generic_string());
            }
            CHECK(left == std::vector<std::string>{"project/behave"});
        }
    }
}
