#include "core/atomic_file.hpp"
#include "printers.hpp"
#include "source/source_file.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace core = aiops::core;
namespace fs = std::filesystem;
namespace test = aiops::test;

namespace {

// Subcases share the test case's scratch folder; each starts from an empty one.
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

TEST_SUITE("core")
{
    TEST_CASE("core::FileBatch")
    {
        empty_scratch_folder();

        SUBCASE("nothing changes until commit, then every file at once")
        {
            test::write_file("out/a.sarif", "old a");
            core::FileBatch batch;
            REQUIRE(batch.stage("out/a.sarif", "new a").ok());
            REQUIRE(batch.stage("out/deep/b.xml", "new b").ok());
            CHECK(content_of("out/a.sarif") == "old a");
            CHECK_FALSE(fs::exists("out/deep/b.xml"));
            REQUIRE(batch.commit().ok());
            CHECK(content_of("out/a.sarif") == "new a");
            CHECK(content_of("out/deep/b.xml") == "new b");
            CHECK(names_in("out") == std::vector<std::string>{"a.sarif", "deep"});
            CHECK(names_in("out/deep") == std::vector<std::string>{"b.xml"});
        }

        SUBCASE("a batch dropped without commit leaves the targets and the folders as they were")
        {
            test::write_file("out/a.sarif", "old a");
            {
                core::FileBatch batch;
                REQUIRE(batch.stage("out/a.sarif", "new a").ok());
                REQUIRE(batch.stage("fresh/deeper/b.xml", "new b").ok());
                CHECK(fs::exists("fresh/deeper"));
            }
            CHECK(content_of("out/a.sarif") == "old a");
            CHECK(names_in("out") == std::vector<std::string>{"a.sarif"});
            CHECK_FALSE(fs::exists("fresh"));
        }

        SUBCASE("a target under a file fails the stage as a usage error")
        {
            test::write_file("blocker", "x");
            core::FileBatch batch;
            REQUIRE(batch.stage("a.json", "{}").ok());
            auto staged = batch.stage("blocker/j.xml", "<x/>");
            REQUIRE_FALSE(staged.ok());
            CHECK(staged.error().code() == core::ErrorCode::usage);
            CHECK(staged.error().message().find("'blocker/j.xml'") != std::string::npos);
        }

        SUBCASE("a target that is a folder fails the stage, not the commit")
        {
            fs::create_directories("out/report.json");
            core::FileBatch batch;
            auto staged = batch.stage("out/report.json", "{}");
            REQUIRE_FALSE(staged.ok());
            CHECK(staged.error().code() == core::ErrorCode::usage);
            CHECK(staged.error().message().find("it is a folder") != std::string::npos);
            CHECK(names_in("out") == std::vector<std::string>{"report.json"});
        }

        SUBCASE("one file named twice, however it is spelt, is refused")
        {
            core::FileBatch batch;
            REQUIRE(batch.stage("out/r.json", "1").ok());
            auto staged = batch.stage("out/../out/./r.json", "2");
            REQUIRE_FALSE(staged.ok());
            CHECK(staged.error().code() == core::ErrorCode::usage);
            CHECK(staged.error().message().find("named for two files") != std::string::npos);
        }

        SUBCASE("a file staged to be kept is not replaced by one that appeared meanwhile")
        {
            core::FileBatch batch;
            using IfExists = core::FileBatch::IfExists;
            REQUIRE(batch.stage("out/new.yaml", "from the batch", IfExists::fail).ok());
            test::write_file("out/new.yaml", "written by someone else");
            auto committed = batch.commit();
            REQUIRE_FALSE(committed.ok());
            CHECK(committed.error().message().find("appeared while") != std::string::npos);
            CHECK(content_of("out/new.yaml") == "written by someone else");
            CHECK(names_in("out") == std::vector<std::string>{"new.yaml"});
        }

        SUBCASE("a file staged to be kept is written when nothing is there")
        {
            core::FileBatch batch;
            REQUIRE(batch.stage("new.yaml", "text", core::FileBatch::IfExists::fail).ok());
            REQUIRE(batch.commit().ok());
            CHECK(content_of("new.yaml") == "text");
            CHECK(names_in(".") == std::vector<std::string>{"new.yaml"});
        }

        SUBCASE("a failed rename removes the temporary files not yet renamed")
        {
            core::FileBatch batch;
            REQUIRE(batch.stage("out/a.json", "a").ok());
            REQUIRE(batch.stage("other/b.json", "b").ok());
            // The folder vanishes between stage and commit.
            fs::remove_all("other");
            auto committed = batch.commit();
            REQUIRE_FALSE(committed.ok());
            CHECK(committed.error().code() == core::ErrorCode::io);
            CHECK(committed.error().message().find("'other/b.json'") != std::string::npos);
            CHECK(names_in("out") == std::vector<std::string>{"a.json"});
            CHECK_FALSE(fs::exists("other"));
        }
    }
}
