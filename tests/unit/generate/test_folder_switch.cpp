#include "core/interrupt.hpp"
#include "generate/folder_switch.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace core = aiops::core;
namespace generate = aiops::generate;
namespace test = aiops::test;

using Strings = std::vector<std::string>;

namespace {

std::string read(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

Strings folder_listing(const fs::path& folder)
{
    Strings out;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        out.push_back(entry.path().lexically_relative(folder).generic_string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

ino_t inode(const fs::path& path)
{
    struct stat info
    {};

    REQUIRE(::stat(path.c_str(), &info) == 0);
    return info.st_ino;
}

} // namespace

TEST_SUITE("generate")
{
    TEST_CASE("generate::switch_folder")
    {
        SUBCASE("every file is written, folders made, the manifest last, nothing left over")
        {
            test::write_file("out/old.py", "old\n");
            generate::FolderChange change;
            change.files = {{"app/a.py", "a\n", 1}, {"old.py", "new\n", 4}};
            change.manifest = "{}\n";
            auto switched = generate::switch_folder("out", change);
            REQUIRE(switched.ok());
            CHECK(switched->installed == 2);
            CHECK(read("out/app/a.py") == "a\n");
            CHECK(read("out/old.py") == "new\n");
            CHECK(read("out/.aiops/manifest.json") == "{}\n");
            CHECK(folder_listing("out")
                  == Strings{".aiops", ".aiops/manifest.json", "app", "app/a.py", "old.py"});
        }

        SUBCASE("a file already there with the same bytes is not written again")
        {
            test::write_file("same/a.py", "a\n");
            const ino_t before = inode("same/a.py");
            auto switched = generate::switch_folder("same", {{{"a.py", "a\n", 1}}, {}, {}});
            REQUIRE(switched.ok());
            CHECK(switched->installed == 0);
            CHECK_FALSE(switched->manifest);
            CHECK(inode("same/a.py") == before);
            CHECK(folder_listing("same") == Strings{"a.py"});
        }

        SUBCASE("files no longer generated are removed, with the folders they leave empty")
        {
            test::write_file("drop/keep.py", "k\n");
            test::write_file("drop/gone/deep/old.py", "o\n");
            test::write_file("drop/gone/other.txt", "stays\n");
            generate::FolderChange change;
            change.files = {{"keep.py", "k\n", 1}};
            change.removed = {"gone/deep/old.py", "never-there.py"};
            auto switched = generate::switch_folder("drop", change);
            REQUIRE(switched.ok());
            CHECK(switched->removed == 1);
            CHECK(folder_listing("drop") == Strings{"gone", "gone/other.txt", "keep.py"});
        }

        SUBCASE("an interrupt before the switch is decided leaves the folder as it was")
        {
            test::write_file("stopped/a.py", "old a\n");
            core::request_interrupt();
            auto switched = generate::switch_folder(
                "stopped", {{{"a.py", "new a\n", 1}, {"b.py", "new b\n", 4}}, {"a.py"}, "{}\n"});
            core::clear_interrupt();
            REQUIRE_FALSE(switched.ok());
            CHECK(switched.error().code() == core::ErrorCode::interrupted);
            CHECK(read("stopped/a.py") == "old a\n");
            CHECK(folder_listing("stopped") == Strings{"a.py"});
            CHECK_FALSE(generate::has_unfinished_switch("stopped"));
        }
    }

    TEST_CASE("generate::finish_unfinished_switch")
    {
        SUBCASE("a switch killed among its renames is completed from its journal")
        {
            // As a run killed after renaming a.py leaves it: b.py and the manifest still
            // staged, old.py not yet removed.
            test::write_file("killed/a.py", "new a\n");
            test::write_file("killed/b.py", "old b\n");
            test::write_file("killed/old.py", "old\n");
            test::write_file("killed/.aiops/manifest.json", "old manifest\n");
            test::write_file("killed/.aiops/staging/files/b.py", "new b\n");
            test::write_file("killed/.aiops/staging/manifest.json", "new manifest\n");
            test::write_file("killed/.aiops/switch.json",
                             R"({"version": 1, "install": ["a.py", "b.py"], "remove": ["old.py"],
                                 "manifest": true})");
            CHECK(generate::has_unfinished_switch("killed"));
            auto finished = generate::finish_unfinished_switch("killed");
            REQUIRE(finished.ok());
            CHECK(*finished);
            CHECK(read("killed/a.py") == "new a\n");
            CHECK(read("killed/b.py") == "new b\n");
            CHECK(read("killed/.aiops/manifest.json") == "new manifest\n");
            CHECK(folder_listing("killed")
                  == Strings{".aiops", ".aiops/manifest.json", "a.py", "b.py"});
            CHECK_FALSE(generate::has_unfinished_switch("killed"));
        }

        SUBCASE("a staging folder without a journal is a switch never decided: removed")
        {
            test::write_file("early/a.py", "old a\n");
            test::write_file("early/.aiops/staging/files/a.py", "half of the new a");
            auto finished = generate::finish_unfinished_switch("early");
            REQUIRE(finished.ok());
            CHECK_FALSE(*finished);
            CHECK(read("early/a.py") == "old a\n");
            CHECK(folder_listing("early") == Strings{"a.py"});
        }

        SUBCASE("a journal naming a path outside the folder is refused")
        {
            test::write_file("forged/.aiops/switch.json",
                             R"({"version": 1, "install": ["../x.py"], "remove": [],
                                 "manifest": false})");
            auto finished = generate::finish_unfinished_switch("forged");
            REQUIRE_FALSE(finished.ok());
            CHECK(finished.error().code() == core::ErrorCode::input);
            CHECK(finished.error().message()
                  == "forged/.aiops/switch.json:1:1: '../x.py' is refused: it climbs out of the "
                     "output folder with '..'; remove it to leave the folder as it is now");
        }
    }
}
