#include "git/changes.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace git = aiops::git;
namespace test = aiops::test;

namespace {

void empty_scratch_folder()
{
    for (const auto& entry : fs::directory_iterator(fs::current_path())) {
        fs::remove_all(entry.path());
    }
}

constexpr const char* k_commit =
    "git add -A && git -c user.name=t -c user.email=t@example.invalid commit -q -m c";

git::Changes changes_since(const std::string& ref)
{
    auto changes = git::changes_since(fs::current_path(), ref);
    REQUIRE_MESSAGE(changes.ok(), (changes.ok() ? std::string() : changes.error().message()));
    return std::move(changes).take();
}

} // namespace

TEST_SUITE("git")
{
    TEST_CASE("git::ChangedFile::touches")
    {
        git::ChangedFile file;
        file.lines = {{7, 7}};
        file.deletions = {10};

        SUBCASE("a range that holds a changed line")
        {
            CHECK(file.touches(5, 8));
            CHECK(file.touches(7, 7));
            CHECK_FALSE(file.touches(5, 6));
            CHECK_FALSE(file.touches(8, 9));
        }

        SUBCASE("a removal between two lines of the range, not at its edge")
        {
            CHECK(file.touches(9, 11)); // lines removed after line 10, before 11
            CHECK(file.touches(10, 11));
            CHECK_FALSE(file.touches(10, 10)); // after the range's last line
            CHECK_FALSE(file.touches(11, 12));
        }
    }

    TEST_CASE("git::changes_since")
    {
        empty_scratch_folder();
        test::write_file("y.py", "a\nb\nc\nd\ne\n");
        test::write_file("gone.py", "x\n");
        test::write_file("kept.py", "k\n");
        REQUIRE(test::run(std::string("git -c init.defaultBranch=main init -q . && ") + k_commit)
                == 0);

        SUBCASE("a removal is placed after the work-tree line it followed")
        {
            test::write_file("y.py", "a\nb\ne\n");
            const auto changes = changes_since("HEAD");
            const git::ChangedFile& file = changes.files.at("y.py");
            CHECK(file.lines.empty());
            CHECK(file.deletions == std::vector<int>{2});
            CHECK_FALSE(file.added);
            CHECK(file.touches(1, 3));
            CHECK_FALSE(file.touches(3, 3));
        }

        SUBCASE("changed and added lines, new files and deleted ones")
        {
            test::write_file("y.py", "a\nB\nc\nd\ne\nf\n");
            test::write_file("new.py", "n\n");
            fs::remove("gone.py");
            const auto changes = changes_since("HEAD");
            const auto& lines = changes.files.at("y.py").lines;
            REQUIRE(lines.size() == 2);
            CHECK(lines[0].first == 2);
            CHECK(lines[0].last == 2);
            CHECK(lines[1].first == 6);
            CHECK(changes.files.at("new.py").added);
            CHECK(changes.files.count("kept.py") == 0);
            CHECK(changes.deleted == std::set<std::string>{"gone.py"});
        }
    }

    TEST_CASE("git::StagedFiles")
    {
        empty_scratch_folder();
        test::write_file("a.py", "committed\n");
        test::write_file("sub/b.py", "b\n");
        REQUIRE(test::run(std::string("git -c init.defaultBranch=main init -q . && ") + k_commit)
                == 0);
        test::write_file("a.py", "staged\n");
        test::write_file("sub/c.py", "c\n");
        REQUIRE(test::run("git add a.py sub/c.py") == 0);
        test::write_file("a.py", "work tree\n");
        test::write_file("untracked.py", "u\n");

        auto read = git::StagedFiles::read(fs::current_path());
        REQUIRE(read.ok());
        const git::StagedFiles& staged = *read;

        SUBCASE("the paths with staged changes, and every path of the index")
        {
            CHECK(staged.changed() == std::set<std::string>{"a.py", "sub/c.py"});
            CHECK(staged.contains("sub/b.py"));
            CHECK_FALSE(staged.contains("untracked.py"));
            CHECK(staged.names_in("") == std::vector<std::string>{"a.py", "sub"});
            CHECK(staged.names_in("sub") == std::vector<std::string>{"b.py", "c.py"});
        }

        SUBCASE("a file's content is the index's, not the work tree's")
        {
            CHECK(*staged.content("a.py").value() == "staged\n");
            CHECK(*staged.content("sub/b.py").value() == "b\n");
            CHECK_FALSE(staged.content("untracked.py").value().has_value());
        }
    }
}
