#include "core/sha256.hpp"
#include "generate/safe_writer.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <sys/types.h>

#include <filesystem>
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
}
