#include "prompt/lock.hpp"

#include <doctest/doctest.h>

#include <fstream>

namespace prompt = aiops::prompt;

TEST_SUITE("prompt")
{
    TEST_CASE("prompt::lock_to_text")
    {
        prompt::LockFile lock;
        lock.prompts.push_back({"b", "sha256:2", std::nullopt, std::nullopt});
        lock.prompts.push_back({"a/x", "sha256:1", std::string("abc"), 3});
        const std::string text = prompt::lock_to_text(lock);
        CHECK(text
              == "{\n  \"lock_version\": 1,\n  \"prompts\": {\n    \"a/x\": {\n      \"commit\": "
                 "\"abc\",\n"
                 "      \"hash\": \"sha256:1\",\n      \"version\": 3\n    },\n    \"b\": {\n"
                 "      \"commit\": null,\n      \"hash\": \"sha256:2\",\n      \"version\": null\n"
                 "    }\n  }\n}\n");
        SUBCASE("reading it back gives the same entries, sorted")
        {
            std::ofstream("prompts.lock") << text;
            const auto read = prompt::read_lock("prompts.lock").take();
            REQUIRE(read.prompts.size() == 2);
            CHECK(read.prompts[0].name == "a/x");
            CHECK(read.prompts[0].version == std::optional<int>(3));
            CHECK(read.prompts[1].commit == std::nullopt);
            CHECK(prompt::lock_to_text(read) == text);
        }
        SUBCASE("a malformed lock is an input error")
        {
            std::ofstream("prompts.lock") << "{\"lock_version\": 1, \"prompts\": {\"a\": {}}}";
            const auto read = prompt::read_lock("prompts.lock");
            REQUIRE_FALSE(read.ok());
            CHECK(read.error().code() == aiops::core::ErrorCode::input);
            CHECK(read.error().message()
                  == "prompts.lock: not a prompts.lock: prompt 'a' has no 'hash' string");
        }
    }

    TEST_CASE("prompt::compare_locks")
    {
        prompt::LockFile locked;
        locked.prompts = {{"same", "sha256:1", std::nullopt, 1},
                          {"edited", "sha256:2", std::nullopt, 1},
                          {"gone", "sha256:3", std::nullopt, 1}};
        prompt::LockFile current;
        current.prompts = {{"edited", "sha256:9", std::nullopt, 2},
                           {"new", "sha256:4", std::nullopt, std::nullopt},
                           // Committed since the lock: another commit, the same content.
                           {"same", "sha256:1", std::string("def"), 2}};
        const auto differences = prompt::compare_locks(locked, current);
        REQUIRE(differences.size() == 3);
        CHECK(differences[0].name == "edited");
        CHECK(differences[0].kind == prompt::LockDifferenceKind::changed);
        CHECK(differences[0].locked_hash == "sha256:2");
        CHECK(differences[0].current_hash == "sha256:9");
        CHECK(differences[1].name == "gone");
        CHECK(differences[1].kind == prompt::LockDifferenceKind::removed);
        CHECK(differences[2].name == "new");
        CHECK(differences[2].kind == prompt::LockDifferenceKind::added);
        CHECK(prompt::compare_locks(locked, locked).empty());
    }
}
