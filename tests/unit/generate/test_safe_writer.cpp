#include "core/interrupt.hpp"
#include "core/sha256.hpp"
#include "generate/safe_writer.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace generate = aiops::generate;
namespace spec = aiops::spec;
namespace test = aiops::test;

using Strings = std::vector<std::string>;

namespace {

std::string refusal(std::string_view path, const Strings& outputs = {}, bool extra = true)
{
    return generate::refuse_path("out", path, outputs, extra).value_or("accepted");
}

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

} // namespace

TEST_SUITE("generate")
{
    TEST_CASE("generate::refuse_path")
    {
        fs::create_directories("out/app");

        SUBCASE("a plain relative path inside the folder is accepted")
        {
            CHECK(refusal("app/api.py") == "accepted");
            CHECK(refusal("new/folder/x.py") == "accepted");
        }

        SUBCASE("absolute paths")
        {
            CHECK(refusal("/etc/passwd") == "an absolute path");
            CHECK(refusal("C:/Windows/x.py") == "an absolute path");
            CHECK(refusal("~/x.py") == "an absolute path");
        }

        SUBCASE("climbing out, empty and '.' parts, backslashes, control characters")
        {
            CHECK(refusal("../x.py") == "it climbs out of the output folder with '..'");
            CHECK(refusal("app/../../x.py") == "it climbs out of the output folder with '..'");
            CHECK(refusal("app//x.py") == "it has an empty or '.' part");
            CHECK(refusal("./x.py") == "it has an empty or '.' part");
            CHECK(refusal("app\\x.py") == "it holds a backslash");
            CHECK(refusal(std::string("a\nb.py")) == "it holds a control character");
            CHECK(refusal("") == "the path is empty");
        }

        SUBCASE("device names")
        {
            CHECK(refusal("app/con.py") == "'con.py' names a device");
            CHECK(refusal("NUL") == "'NUL' names a device");
            CHECK(refusal("lpt1.txt") == "'lpt1.txt' names a device");
            CHECK(refusal("console.py") == "accepted");
            REQUIRE(::mkfifo("out/app/pipe", 0600) == 0);
            CHECK(refusal("app/pipe") == "it names a device, pipe or socket");
        }

        SUBCASE("a link on the way, to a folder or as the file itself")
        {
            fs::create_directories("elsewhere");
            fs::create_directory_symlink("../elsewhere", "out/linked");
            CHECK(refusal("linked/x.py") == "'linked' is a symbolic link");
            test::write_file("elsewhere/target.py", "x = 1\n");
            fs::create_symlink("../../elsewhere/target.py", "out/app/link.py");
            CHECK(refusal("app/link.py") == "'app/link.py' is a symbolic link");
        }

        SUBCASE("a folder where the file would go, a file where a folder would")
        {
            CHECK(refusal("app") == "it names a folder");
            test::write_file("out/plain", "");
            CHECK(refusal("plain/x.py") == "'plain' is not a folder");
        }

        SUBCASE("the folder's own .aiops/")
        {
            CHECK(refusal(".aiops/manifest.json") == "the output folder's .aiops/ is aiops's own");
        }

        SUBCASE("version control folders, whatever the flags")
        {
            CHECK(refusal(".git/hooks/pre-commit")
                  == "'.git' holds a version control system's own files (its hooks and settings "
                     "run commands)");
            CHECK(refusal("sub/.GIT/config").starts_with("'.GIT' holds a version control"));
            CHECK(refusal("vendor/.git").starts_with("'.git' holds a version control"));
            CHECK(refusal(".hg/hgrc").starts_with("'.hg' holds"));
            CHECK(refusal(".svn/entries").starts_with("'.svn' holds"));
            CHECK(refusal(".gitignore") == "accepted");
        }

        SUBCASE("names and paths longer than the file system takes")
        {
            CHECK(refusal(std::string(256, 'a') + ".py")
                  == "a part of it is 259 bytes long, more than the 255 a file name may have");
            std::string deep;
            for (int i = 0; i < 20; ++i) {
                deep += std::string(250, 'd') + "/";
            }
            CHECK(refusal(deep + "x.py").find("more than the 4095 a path may have")
                  != std::string::npos);
        }

        SUBCASE("a path that would be both a file and a folder")
        {
            const Strings paths{"calc.py", "calc.py-x", "calc.py/x.py"};
            CHECK(generate::refuse_beside("calc.py/x.py", paths)
                  == "'calc.py' is a file of the reply too, so it cannot be a folder");
            CHECK_FALSE(generate::refuse_beside("calc.py", paths));
            CHECK_FALSE(generate::refuse_beside("calc.py-x", paths));
        }

        SUBCASE("a path the spec does not list, unless extra files are allowed")
        {
            CHECK(refusal("app/extra.py", {"app/api.py"}, false)
                  == "the spec does not list it among its outputs (--allow-extra-files writes it)");
            CHECK(refusal("app/api.py", {"app/api.py"}, false) == "accepted");
            CHECK(refusal("app/extra.py", {"app/api.py"}, true) == "accepted");
        }
    }

    TEST_CASE("generate::edited_files")
    {
        test::write_file("out/a.py", "a = 1\n");
        test::write_file("out/b.py", "b = 1  # edited by hand\n");
        const std::vector<generate::ExtractedFile> files{
            {"a.py", "a = 2\n", 1}, {"b.py", "b = 2\n", 5}, {"c.py", "c = 2\n", 9}};

        SUBCASE("files as the manifest recorded them may be replaced; others not")
        {
            spec::Manifest manifest;
            manifest.files = {{"a.py", aiops::core::sha256_hex("a = 1\n"), {}},
                              {"b.py", aiops::core::sha256_hex("b = 1\n"), {}}};
            CHECK(generate::edited_files("out", files, manifest) == Strings{"b.py"});
        }

        SUBCASE("without a manifest every existing file that would change counts")
        {
            CHECK(generate::edited_files("out", files, std::nullopt) == Strings{"a.py", "b.py"});
        }

        SUBCASE("a file that would not change does not count")
        {
            const std::vector<generate::ExtractedFile> same{{"a.py", "a = 1\n", 1}};
            CHECK(generate::edited_files("out", same, std::nullopt).empty());
        }
    }

    TEST_CASE("generate::write_files")
    {
        SUBCASE("every file is written, folders made, and no temporary file is left")
        {
            test::write_file("out/old.py", "old\n");
            REQUIRE(generate::write_files("out", {{"app/a.py", "a\n", 1}, {"old.py", "new\n", 4}})
                        .ok());
            CHECK(read("out/app/a.py") == "a\n");
            CHECK(read("out/old.py") == "new\n");
            CHECK(folder_listing("out") == Strings{"app", "app/a.py", "old.py"});
        }

        SUBCASE("temporaries a killed run left beside a file are removed")
        {
            test::write_file("swept/.a.py.Ab12Cd", "half of a");
            test::write_file("swept/.a.py.note", "not a temporary: another name");
            REQUIRE(generate::write_files("swept", {{"a.py", "a\n", 1}}).ok());
            CHECK(folder_listing("swept") == Strings{".a.py.note", "a.py"});
        }

        SUBCASE("an interrupt after the files are written, before the renames, keeps the old ones")
        {
            test::write_file("stopped/a.py", "old a\n");
            aiops::core::request_interrupt();
            auto written =
                generate::write_files("stopped", {{"a.py", "new a\n", 1}, {"b.py", "new b\n", 4}});
            aiops::core::clear_interrupt();
            REQUIRE_FALSE(written.ok());
            CHECK(written.error().code() == aiops::core::ErrorCode::interrupted);
            CHECK(read("stopped/a.py") == "old a\n");
            CHECK(folder_listing("stopped") == Strings{"a.py"});
        }

        SUBCASE("when one file cannot be written, none is and the old one stays")
        {
            test::write_file("kept/old.py", "old\n");
            test::write_file("kept/blocker", "a file where a folder must go\n");
            auto written =
                generate::write_files("kept", {{"old.py", "new\n", 1}, {"blocker/x.py", "x\n", 4}});
            REQUIRE_FALSE(written.ok());
            // A file standing where a folder must go is a path no file can have.
            CHECK(written.error().code() == aiops::core::ErrorCode::usage);
            CHECK(read("kept/old.py") == "old\n");
            CHECK(folder_listing("kept") == Strings{"blocker", "old.py"});
        }
    }
}
