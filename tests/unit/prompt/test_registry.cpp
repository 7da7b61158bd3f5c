#include "prompt/registry.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

namespace fs = std::filesystem;
namespace prompt = aiops::prompt;
namespace test = aiops::test;

namespace {

// Every git command names its own identity and ignores the machine's configuration.
const std::string k_git =
    "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git -c user.name=Tester "
    "-c user.email=tester@example.invalid -c init.defaultBranch=main ";

std::string prompt_file(const std::string& name, const std::string& greeting)
{
    return "name: " + name + "\nmessages:\n  - role: user\n    template: \"" + greeting + "\"\n";
}

void commit(const std::string& message)
{
    REQUIRE(test::run(k_git + "add -A . && " + k_git + "commit -q -m '" + message + "'") == 0);
}

// Doctest runs a case once per subcase, in the same scratch folder; each run starts
// from an empty one.
void empty_scratch_folder()
{
    for (const auto& entry : fs::directory_iterator(fs::current_path())) {
        fs::remove_all(entry.path());
    }
}

/// A repository where 'greet' was added, edited, then renamed from 'hello'.
void build_history()
{
    empty_scratch_folder();
    REQUIRE(test::run(k_git + "init -q .") == 0);
    test::write_file("README", "first\n");
    commit("a first commit without prompts");
    test::write_file("prompts/hello.prompt.yaml", prompt_file("hello", "Hi"));
    commit("add hello");
    test::write_file("prompts/hello.prompt.yaml", prompt_file("hello", "Hello"));
    test::write_file("README", "unrelated\n");
    commit("warmer hello");
    test::write_file("README", "still unrelated\n");
    commit("touch the readme");
    REQUIRE(test::run(k_git + "mv prompts/hello.prompt.yaml prompts/greet.prompt.yaml") == 0);
    test::write_file("prompts/greet.prompt.yaml", prompt_file("greet", "Hello"));
    commit("rename hello to greet");
}

std::string head_of(const prompt::Registry& registry)
{
    return registry.repository()->head_commit().value_or("");
}

} // namespace

TEST_SUITE("prompt")
{
    TEST_CASE("prompt::Registry::history")
    {
        build_history();
        const auto registry = prompt::Registry::open({}).take();
        CHECK(fs::equivalent(registry.root(), fs::current_path()));
        const auto history = registry.history("greet").take();
        CHECK(history.state == prompt::HistoryState::complete);
        REQUIRE(history.versions.size() == 3);
        CHECK(history.versions[0].number == std::optional<int>(1));
        CHECK(history.versions[0].commit.subject == "add hello");
        CHECK(history.versions[0].commit.author_name == "Tester");
        CHECK(history.versions[0].path == "prompts/hello.prompt.yaml");
        CHECK(history.versions[1].commit.subject == "warmer hello");
        CHECK(history.versions[2].kind == aiops::git::ChangeKind::renamed);
        CHECK(history.versions[2].previous_path == "prompts/hello.prompt.yaml");
        CHECK(history.versions[2].number == std::optional<int>(3));
        CHECK(history.versions[2].commit.id == head_of(registry));
        CHECK(registry.names().take() == std::vector<std::string>{"greet"});
    }

    TEST_CASE("prompt::Registry::histories")
    {
        // A branch renames 'old' to 'new' while main edits 'old'; the merge brings both.
        empty_scratch_folder();
        REQUIRE(test::run(k_git + "init -q .") == 0);
        const std::string lines = "one\\ntwo\\nthree\\nfour\\nfive";
        test::write_file("prompts/old.prompt.yaml", prompt_file("old", lines));
        test::write_file("prompts/other.prompt.yaml", prompt_file("other", "Hi"));
        commit("add old and other");
        REQUIRE(test::run(k_git + "checkout -q -b side") == 0);
        REQUIRE(test::run(k_git + "mv prompts/old.prompt.yaml prompts/new.prompt.yaml") == 0);
        test::write_file("prompts/new.prompt.yaml", prompt_file("new", lines));
        commit("rename old to new");
        REQUIRE(test::run(k_git + "checkout -q main") == 0);
        test::write_file("prompts/old.prompt.yaml", prompt_file("old", lines + " and six"));
        test::write_file("prompts/other.prompt.yaml", prompt_file("other", "Hello"));
        commit("edit old and other on main");
        REQUIRE(test::run(k_git + "merge -q --no-edit side >/dev/null") == 0);

        const auto registry = prompt::Registry::open({}).take();
        const auto histories = registry.histories({"new", "other", "old"}).take();
        REQUIRE(histories.size() == 3);
        const auto& renamed = histories[0].versions;
        REQUIRE(renamed.size() == 4);
        CHECK(renamed[0].commit.subject == "add old and other");
        CHECK(renamed[1].commit.subject == "rename old to new");
        CHECK(renamed[1].kind == aiops::git::ChangeKind::renamed);
        CHECK_FALSE(renamed[1].first_parent);
        CHECK_FALSE(renamed[1].number.has_value());
        CHECK(renamed[2].commit.subject == "edit old and other on main");
        CHECK(renamed[2].number == std::optional<int>(2));
        CHECK(renamed[3].commit.id == head_of(registry));
        CHECK(renamed[3].kind == aiops::git::ChangeKind::renamed);
        CHECK(renamed[3].number == std::optional<int>(3));
        CHECK(histories[0].latest() == &renamed[3]);
        CHECK(histories[1].versions.size() == 2);
        CHECK(histories[1].latest()->number == std::optional<int>(2));
        // Under the old name, the move is a rename away, on the branch and in the merge.
        const auto& gone = histories[2].versions;
        REQUIRE(gone.size() == 4);
        CHECK(gone[3].kind == aiops::git::ChangeKind::deleted);
        CHECK(gone[3].renamed_to == "prompts/new.prompt.yaml");
        CHECK(registry.history("new").take().versions.size() == 4);
    }

    TEST_CASE("prompt::Registry::resolve")
    {
        build_history();
        test::write_file("prompts/greet.prompt.yaml", prompt_file("greet", "Hello there"));
        const auto registry = prompt::Registry::open({}).take();
        const auto history = registry.history("greet").take();

        SUBCASE("a number, a 'v' number, a hash prefix, a commit")
        {
            const auto first = registry.resolve("greet@1").take();
            CHECK(first.prompt.messages[0].text == "Hi");
            CHECK(first.number == std::optional<int>(1));
            CHECK(first.label == "v1");
            CHECK(registry.resolve("greet@v2").take().prompt.messages[0].text == "Hello");
            const auto by_hash =
                registry.resolve("greet@" + history.versions[0].hash.substr(0, 15)).take();
            CHECK(by_hash.commit == std::optional<std::string>(history.versions[0].commit.id));
            const auto by_commit =
                registry.resolve("greet@" + history.versions[1].commit.id.substr(0, 7)).take();
            CHECK(by_commit.number == std::optional<int>(2));
        }
        SUBCASE("git revisions: HEAD, HEAD~N, a branch, the explicit commit: form")
        {
            CHECK(registry.resolve("greet@HEAD~2").take().number == std::optional<int>(2));
            CHECK(registry.resolve("greet@commit:HEAD~3").take().prompt.messages[0].text == "Hi");
            const auto head = registry.resolve("greet@HEAD").take();
            CHECK(head.commit == registry.repository()->head_commit());
            CHECK(head.number == std::optional<int>(3));
            const auto not_a_revision = registry.resolve("greet@nowhere");
            REQUIRE_FALSE(not_a_revision.ok());
            CHECK(not_a_revision.error().message().starts_with(
                "'greet@nowhere': 'nowhere' is not a version: use a number (3 or v3), 'working', "
                "'sha256:PREFIX' or a git revision"));
            CHECK(registry.resolve("greet@commit:").error().message()
                  == "'greet@commit:': nothing after 'commit:' (a commit id, branch, tag, HEAD "
                     "or HEAD~1)");
        }
        SUBCASE("a commit that did not touch the prompt shows it as it was there")
        {
            const std::string readme_commit =
                registry.repository()->resolve_commit("HEAD~1").take();
            const auto resolved = registry.resolve("greet@" + readme_commit).take();
            CHECK(resolved.prompt.name == "hello");
            CHECK(resolved.number == std::optional<int>(2));
        }
        SUBCASE("the working copy, which differs from the last version")
        {
            const auto working = registry.resolve("greet").take();
            CHECK(working.working);
            CHECK(working.prompt.messages[0].text == "Hello there");
            CHECK_FALSE(working.number.has_value());
            CHECK(working.hash != history.latest()->hash);
            CHECK(registry.resolve("greet@working").take().hash == working.hash);
        }
        SUBCASE("versions that do not exist")
        {
            const auto missing = registry.resolve("greet@9");
            REQUIRE_FALSE(missing.ok());
            CHECK(missing.error().code() == aiops::core::ErrorCode::usage);
            CHECK(missing.error().message()
                  == "'greet@9': prompt 'greet' has versions v1 to v3 (see 'aiops prompt "
                     "versions greet')");
            CHECK_FALSE(registry.resolve("greet@sha256:ffffffffffff").ok());
            CHECK(registry.resolve("greet@sha256:").error().message()
                  == "'greet@sha256:': the hash after 'sha256:' is empty; give its first digits "
                     "(see 'aiops prompt versions greet')");
            CHECK_FALSE(registry.resolve("greet@").ok());
            CHECK_FALSE(registry.resolve("../x@1").ok());
        }
    }

    TEST_CASE("prompt::render_reference")
    {
        REQUIRE(test::run(k_git + "init -q .") == 0);
        test::write_file("prompts/codegen/module.prompt.yaml",
                         "name: codegen/module\nvariables:\n  - {name: what, required: true}\n"
                         "messages:\n  - {role: user, template: 'Write {{what}}'}\n");
        commit("add module");
        const auto registry = prompt::Registry::open({}).take();
        const auto rendered =
            prompt::render_reference(registry, "codegen/module@1", {{"what", "a parser"}}).take();
        REQUIRE(rendered.messages.size() == 1);
        CHECK(rendered.messages[0].first == "user");
        CHECK(rendered.messages[0].second == "Write a parser");
        CHECK(rendered.source.label == "v1");
    }

    TEST_CASE("prompt::find_registry_root")
    {
        empty_scratch_folder();
        SUBCASE("found from a folder below")
        {
            fs::create_directories("prompts");
            fs::create_directories("src/deep");
            CHECK(
                fs::equivalent(prompt::find_registry_root("src/deep").take(), fs::current_path()));
        }
        SUBCASE("the walk stops at the repository's root")
        {
            fs::create_directories("prompts");
            fs::create_directories("repo");
            REQUIRE(test::run("cd repo && " + k_git + "init -q .") == 0);
            const auto found = prompt::find_registry_root("repo");
            REQUIRE_FALSE(found.ok());
            CHECK(found.error().message().find("no prompts/ folder") != std::string::npos);
        }
    }
}
