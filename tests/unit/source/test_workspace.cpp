#include "printers.hpp"
#include "source/workspace.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace core = aiops::core;
namespace fs = std::filesystem;
namespace source = aiops::source;
namespace test = aiops::test;

using Paths = std::vector<std::string>;

namespace {

// The scratch folder is shared by the subcases of a test case, which doctest runs by
// entering the case again; emptying it first gives each subcase a clean folder.
void empty_scratch_folder()
{
    for (const auto& entry : fs::directory_iterator(fs::current_path())) {
        fs::remove_all(entry.path());
    }
}

// Changes the working folder for a scope, and changes it back however the scope ends.
class WorkingFolder
{
public:
    explicit WorkingFolder(const fs::path& folder) : m_saved(fs::current_path())
    {
        fs::current_path(folder);
    }

    ~WorkingFolder() { fs::current_path(m_saved); }

    WorkingFolder(const WorkingFolder&) = delete;
    WorkingFolder& operator=(const WorkingFolder&) = delete;

private:
    fs::path m_saved;
};

// Walks the scratch folder (or `root` below it) without asking git.
source::WalkOptions options_for(const fs::path& root = ".")
{
    source::WalkOptions options;
    options.use_git = false;
    options.root = fs::current_path() / root;
    return options;
}

source::Workspace walk(const source::WalkOptions& options)
{
    auto workspace = source::walk_workspace(options);
    REQUIRE_MESSAGE(workspace.ok(), (workspace.ok() ? std::string() : workspace.error().message()));
    return std::move(workspace).take();
}

Paths file_paths(const source::Workspace& workspace)
{
    Paths paths;
    for (const auto& file : workspace.files) {
        paths.push_back(file.path);
    }
    return paths;
}

Paths skipped_paths(const source::Workspace& workspace)
{
    Paths paths;
    for (const auto& file : workspace.skipped) {
        paths.push_back(file.path);
    }
    return paths;
}

std::string reason_for(const source::Workspace& workspace, const std::string& path)
{
    for (const auto& file : workspace.skipped) {
        if (file.path == path) {
            return file.reason;
        }
    }
    return "(not skipped)";
}

// A tree with something for each default exclude.
void write_tree_with_excluded_folders()
{
    test::write_file("src/app.py", "x = 1\n");
    test::write_file("src/util.js", "let x = 1;\n");
    test::write_file("src/__pycache__/cached.py", "x = 1\n");
    test::write_file("node_modules/pkg/index.js", "module.exports = 1;\n");
    test::write_file("build/out.py", "x = 1\n");
    test::write_file(".venv/lib/site.py", "x = 1\n");
    test::write_file("web/app.js", "let a = 1;\n");
    test::write_file("web/app.min.js", "let a=1;\n");
    test::write_file("bin/deploy", "#!/bin/sh\necho deploy\n");
    test::write_file("README.md", "# readme\n");
}

} // namespace

TEST_SUITE("source")
{
    TEST_CASE("source::walk_workspace")
    {
        empty_scratch_folder();

        SUBCASE("default excludes leave out dependency, build and minified files")
        {
            write_tree_with_excluded_folders();
            const auto workspace = walk(options_for());
            CHECK_FALSE(workspace.git);
            CHECK(workspace.root == fs::current_path());
            CHECK(file_paths(workspace)
                  == Paths{"bin/deploy", "src/app.py", "src/util.js", "web/app.js"});
            CHECK(workspace.skipped.empty());
            CHECK(workspace.unsupported_files == 1);
        }

        SUBCASE("each file carries its language, or none when only a shebang can tell")
        {
            write_tree_with_excluded_folders();
            const auto workspace = walk(options_for());
            REQUIRE(workspace.files.size() == 4);
            CHECK_FALSE(workspace.files[0].language.has_value());
            CHECK(workspace.files[1].language == source::Language::python);
            CHECK(workspace.files[2].language == source::Language::javascript);
            CHECK(workspace.files[1].location == fs::current_path() / "src/app.py");
            CHECK_FALSE(workspace.files[1].named);
        }

        SUBCASE("without default excludes everything is listed")
        {
            write_tree_with_excluded_folders();
            auto options = options_for();
            options.default_excludes = false;
            const auto workspace = walk(options);
            CHECK(file_paths(workspace)
                  == Paths{".venv/lib/site.py",
                           "bin/deploy",
                           "build/out.py",
                           "node_modules/pkg/index.js",
                           "src/__pycache__/cached.py",
                           "src/app.py",
                           "src/util.js",
                           "web/app.js",
                           "web/app.min.js"});
        }

        SUBCASE("exclude patterns from the options")
        {
            write_tree_with_excluded_folders();
            auto options = options_for();
            options.excludes = {"*.js", "/bin/"};
            CHECK(file_paths(walk(options)) == Paths{"src/app.py"});
        }

        SUBCASE(".aiopsignore files, a nested one included")
        {
            test::write_file(".aiopsignore", "# generated code\n*.gen.py\nscratch/\n");
            test::write_file("sub/.aiopsignore", "/local.py\n!special.gen.py\n");
            test::write_file("a.py", "");
            test::write_file("b.gen.py", "");
            test::write_file("scratch/c.py", "");
            test::write_file("sub/local.py", "");
            test::write_file("sub/deeper/local.py", "");
            test::write_file("sub/special.gen.py", "");
            test::write_file("sub/other.gen.py", "");
            test::write_file("local.py", "");
            const auto workspace = walk(options_for());
            // The ignore files have no extension, so they are listed for their shebang.
            CHECK(file_paths(workspace)
                  == Paths{".aiopsignore",
                           "a.py",
                           "local.py",
                           "sub/.aiopsignore",
                           "sub/deeper/local.py",
                           "sub/special.gen.py"});
        }

        SUBCASE("a named file without a known language is skipped")
        {
            test::write_file("notes.txt", "x = 1\n");
            auto options = options_for();
            options.paths = {"notes.txt"};
            const auto workspace = walk(options);
            CHECK(workspace.files.empty());
            CHECK(skipped_paths(workspace) == Paths{"notes.txt"});
            CHECK(reason_for(workspace, "notes.txt")
                  == "no supported language (name one with --lang)");
        }

        SUBCASE("a named file is listed with the forced language")
        {
            test::write_file("notes.txt", "x = 1\n");
            auto options = options_for();
            options.paths = {"notes.txt"};
            options.forced_language = source::Language::python;
            const auto workspace = walk(options);
            REQUIRE(file_paths(workspace) == Paths{"notes.txt"});
            CHECK(workspace.files[0].language == source::Language::python);
            CHECK(workspace.files[0].named);
            CHECK(workspace.skipped.empty());
        }

        SUBCASE("the forced language applies only to named files")
        {
            test::write_file("src/notes.txt", "x = 1\n");
            test::write_file("src/app.js", "let x = 1;\n");
            auto options = options_for();
            options.forced_language = source::Language::python;
            const auto workspace = walk(options);
            REQUIRE(file_paths(workspace) == Paths{"src/app.js"});
            CHECK(workspace.files[0].language == source::Language::javascript);
            CHECK(workspace.unsupported_files == 1);
        }

        SUBCASE("a file over max_file_size is skipped with a reason")
        {
            test::write_file("big.py", std::string(200, '#'));
            test::write_file("small.py", std::string(100, '#'));
            auto options = options_for();
            options.max_file_size = 100;
            const auto workspace = walk(options);
            CHECK(file_paths(workspace) == Paths{"small.py"});
            CHECK(skipped_paths(workspace) == Paths{"big.py"});
            CHECK(reason_for(workspace, "big.py")
                  == "larger than --max-file-size (200 bytes, the limit is 100)");
        }

        SUBCASE("a symbolic link to a folder is skipped, not followed")
        {
            test::write_file("real/inside.py", "x = 1\n");
            fs::create_directory_symlink("real", "linked");
            const auto workspace = walk(options_for());
            CHECK(file_paths(workspace) == Paths{"real/inside.py"});
            CHECK(skipped_paths(workspace) == Paths{"linked"});
            CHECK(reason_for(workspace, "linked") == "symbolic link to a folder is not followed");
        }

        SUBCASE("a symbolic link loop is skipped")
        {
            test::write_file("a.py", "x = 1\n");
            fs::create_symlink("loop_b", "loop_a");
            fs::create_symlink("loop_a", "loop_b");
            fs::create_symlink("self", "self");
            const auto workspace = walk(options_for());
            CHECK(file_paths(workspace) == Paths{"a.py"});
            CHECK(skipped_paths(workspace) == Paths{"loop_a", "loop_b", "self"});
            CHECK(reason_for(workspace, "loop_a") == "symbolic link loop");
            CHECK(reason_for(workspace, "self") == "symbolic link loop");
        }

        SUBCASE("a broken symbolic link is skipped")
        {
            fs::create_symlink("nowhere.py", "dangling.py");
            const auto workspace = walk(options_for());
            CHECK(workspace.files.empty());
            CHECK(reason_for(workspace, "dangling.py") == "broken symbolic link");
        }

        SUBCASE("a symbolic link to a file inside the workspace is listed; one outside is skipped")
        {
            test::write_file("outside.py", "x = 1\n");
            test::write_file("ws/real.py", "x = 1\n");
            fs::create_symlink("real.py", "ws/alias.py");
            fs::create_symlink("../outside.py", "ws/escape.py");
            auto options = options_for("ws");
            options.paths = {"ws"};
            const auto workspace = walk(options);
            CHECK(file_paths(workspace) == Paths{"alias.py", "real.py"});
            CHECK(reason_for(workspace, "escape.py")
                  == "symbolic link points outside the workspace");
        }

        SUBCASE("a path that does not exist fails with a usage error")
        {
            auto options = options_for();
            options.paths = {"missing"};
            auto workspace = source::walk_workspace(options);
            REQUIRE_FALSE(workspace.ok());
            CHECK(workspace.error().code() == core::ErrorCode::usage);
            CHECK(workspace.error().message() == "'missing': no such file or folder");
        }

        SUBCASE("a root that is not a folder fails with a usage error")
        {
            test::write_file("file.py", "");
            auto options = options_for("file.py");
            auto workspace = source::walk_workspace(options);
            REQUIRE_FALSE(workspace.ok());
            CHECK(workspace.error().code() == core::ErrorCode::usage);
        }

        SUBCASE("results are sorted by path and each file is listed once")
        {
            for (const char* name : {"z.py", "b/y.py", "a.py", "b/a.py", "m/n/o.py", "B.py"}) {
                test::write_file(name, "");
            }
            fs::create_symlink("nowhere", "zz_dangling.py");
            fs::create_symlink("nowhere", "aa_dangling.py");
            auto options = options_for();
            options.paths = {"z.py", ".", "a.py", "b"};
            const auto workspace = walk(options);
            CHECK(file_paths(workspace)
                  == Paths{"B.py", "a.py", "b/a.py", "b/y.py", "m/n/o.py", "z.py"});
            CHECK(skipped_paths(workspace) == Paths{"aa_dangling.py", "zz_dangling.py"});
        }

        SUBCASE("a named file outside the root is shown by its absolute path")
        {
            test::write_file("outside.py", "x = 1\n");
            std::filesystem::create_directory("ws");
            auto options = options_for("ws");
            options.paths = {"outside.py"};
            const auto workspace = walk(options);
            REQUIRE(workspace.files.size() == 1);
            CHECK(workspace.files[0].path == (fs::current_path() / "outside.py").string());
            CHECK(workspace.files[0].named);
        }
    }

    TEST_CASE("source::walk_workspace in a git repository")
    {
        empty_scratch_folder();
        test::write_file("tracked.py", "x = 1\n");
        test::write_file("sub/removed.py", "x = 1\n");
        test::write_file("node_modules/dep.js", "let x = 1;\n");
        test::write_file(".gitignore", "ignored.py\nlogs/\n");
        const int status =
            test::run("git -c init.defaultBranch=main init -q . "
                      "&& git add tracked.py sub/removed.py node_modules/dep.js .gitignore "
                      "&& git -c user.name=t -c user.email=t@example.invalid commit -q -m init "
                      "&& rm sub/removed.py");
        REQUIRE(status == 0);
        test::write_file("untracked.py", "x = 1\n");
        test::write_file("ignored.py", "x = 1\n");
        test::write_file("logs/today.py", "x = 1\n");

        source::WalkOptions options;
        options.root = fs::current_path();

        SUBCASE("tracked files and untracked ones git does not ignore are listed")
        {
            const auto workspace = walk(options);
            CHECK(workspace.git);
            CHECK(file_paths(workspace) == Paths{".gitignore", "tracked.py", "untracked.py"});
        }

        SUBCASE(".aiopsignore applies on top of git")
        {
            test::write_file(".aiopsignore", "untracked.py\n");
            const auto workspace = walk(options);
            CHECK(file_paths(workspace) == Paths{".aiopsignore", ".gitignore", "tracked.py"});
        }

        SUBCASE("use_git=false lists the files git ignores")
        {
            options.use_git = false;
            const auto workspace = walk(options);
            CHECK_FALSE(workspace.git);
            CHECK(file_paths(workspace)
                  == Paths{
                      ".gitignore", "ignored.py", "logs/today.py", "tracked.py", "untracked.py"});
        }

        SUBCASE("the root defaults to the work tree of the repository holding the working folder")
        {
            const fs::path top = fs::current_path();
            const WorkingFolder below("sub");
            source::WalkOptions from_below;
            from_below.paths = {".."};
            const auto workspace = walk(from_below);
            CHECK(workspace.root == top);
            CHECK(file_paths(workspace) == Paths{".gitignore", "tracked.py", "untracked.py"});
        }
    }

    TEST_CASE("source::keep_new_findings")
    {
        source::Workspace workspace;
        workspace.diff = source::DiffBase{};
        source::FileDiff edited;
        edited.change.lines = {{7, 7}};
        edited.change.deletions = {12};
        edited.base_path = "a.py";
        workspace.diff->changed["a.py"] = edited;
        source::FileDiff added;
        added.change.added = true;
        workspace.diff->changed["new.py"] = added;

        const auto finding = [](std::string path, int first, int last, std::string fingerprint) {
            core::Finding out;
            out.location = {std::move(path), first, 1, last, 2};
            out.fingerprint = std::move(fingerprint);
            return out;
        };
        std::vector<core::Finding> findings{
            finding("a.py", 5, 8, "call"),      // its range holds the changed line
            finding("a.py", 11, 13, "removed"), // lines were removed inside its range
            finding("a.py", 2, 2, "old"),       // the base has it: old
            finding("a.py", 20, 20, "broken"),  // untouched, but the base has no such finding
            finding("new.py", 1, 1, "any"),     // a new file is new as a whole
        };
        const source::BaseFingerprints base{{"a.py", {"old", "call", "removed"}}};
        CHECK(source::paths_of_untouched_findings(workspace, findings)
              == std::set<std::string>{"a.py"});
        source::keep_new_findings(workspace, findings, base);
        std::vector<std::string> kept;
        for (const auto& f : findings) {
            kept.push_back(f.fingerprint);
        }
        CHECK(kept == std::vector<std::string>{"call", "removed", "broken", "any"});
    }

    TEST_CASE("source::looks_minified")
    {
        CHECK_FALSE(source::looks_minified("let a = 1;\n"));
        CHECK(source::looks_minified(std::string(5000, 'a')));

        std::string short_lines;
        while (short_lines.size() < 10000) {
            short_lines += "const value = compute(1, 2, 3);\n";
        }
        CHECK_FALSE(source::looks_minified(short_lines));
    }
}
