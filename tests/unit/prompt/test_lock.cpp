#include "prompt/lock.hpp"

#include <doctest/doctest.h>

#include <fstream>

namespace prompt = aiops::prompt;

TEST_SUITE("prompt")
{
    TEST_CASE("prompt::lock_to_text")
    {
        prompt::LockFile lock;
        lock.prompts.push_back({"b", "sha256:2", std::nullopt});
        lock.prompts.push_back({"a/x", "sha256:1", std::string("abc")});
        const std::string text = prompt::lock_to_text(lock);
        CHECK(text
              == "{\n  \"lock_version\": 1,\n  \"prompts\": {\n    \"a/x\": {\n      \"commit\": "
                 "\"abc\",\n"
                 "      \"hash\": \"sha256:1\"\n    },\n    \"b\": {\n"
                 "      \"commit\": null,\n      \"hash\": \"sha256:2\"\n"
                 "    }\n  }\n}\n");
        SUBCASE("reading it back gives the same entries, sorted")
        {
            std::ofstream("prompts.lock") << text;
            const auto read = prompt::read_lock("prompts.lock").take();
            REQUIRE(read.prompts.size() == 2);
            CHECK(read.prompts[0].name == "a/x");
            CHECK(read.prompts[0].commit == std::optional<std::string>("abc"));
            CHECK(read.prompts[1].commit == std::nullopt);
            CHECK(prompt::lock_to_text(read) == text);
        }
        SUBCASE("a malformed lock is an input error at its place")
        {
            const auto error_of = [](const std::string& lock_text) {
                std::ofstream("prompts.lock") << lock_text;
                const auto read = prompt::read_lock("prompts.lock");
                REQUIRE_FALSE(read.ok());
                CHECK(read.error().code() == aiops::core::ErrorCode::input);
                return read.error().message();
            };
            CHECK(error_of("{\"lock_version\": 1, \"prompts\": {\"a\": {}}}")
                  == "prompts.lock:1:38: prompt 'a' has no 'hash' string");
            CHECK(error_of("{\"lock_version\": 1,\n \"prompts\": {\n  \"a\": {\"hash\": 1,}}}")
                  == "prompts.lock:3:19: not a prompts.lock: invalid JSON: syntax error while "
                     "parsing object key - unexpected '}'; expected string literal");
            CHECK(error_of("{\"lock_version\": 1, \"prompts\": {\"a\": {\"hash\": 7}}}")
                  == "prompts.lock:1:47: prompt 'a' has no 'hash' string");
            CHECK(error_of("{\"lock_version\": 1, \"prompts\": {\"a\": {\"hash\": \"h\", "
                           "\"commit\": 5}}}")
                  == "prompts.lock:1:62: prompt 'a': 'commit' must be a string or null");
            CHECK(error_of("{\"lock_version\": 2, \"prompts\": {}}")
                  == "prompts.lock:1:18: not a prompts.lock: 'lock_version' must be 1");
        }
        SUBCASE("a key given twice is an input error at the second one")
        {
            std::ofstream("prompts.lock")
                << "{\"lock_version\": 1,\n \"prompts\": {\n  \"a\": {\"hash\": \"sha256:1\"},\n"
                   "  \"a\": {\"hash\": \"sha256:2\"}}}\n";
            const auto read = prompt::read_lock("prompts.lock");
            REQUIRE_FALSE(read.ok());
            CHECK(read.error().message()
                  == "prompts.lock:4:3: duplicate key 'a' (first at line 3, column 3)");
            std::ofstream("prompts.lock") << "{\"lock_version\": 1, \"prompts\": {\"a\": "
                                             "{\"hash\": \"x\", \"hash\": \"y\"}}}";
            CHECK(prompt::read_lock("prompts.lock").error().message()
                  == "prompts.lock:1:52: duplicate key 'hash' (first at line 1, column 39)");
        }
        SUBCASE("an older lock's version numbers are ignored")
        {
            std::ofstream("prompts.lock") << "{\"lock_version\": 1, \"prompts\": {\"a\": "
                                             "{\"hash\": \"sha256:1\", \"commit\": null, "
                                             "\"version\": 3}}}";
            const auto read = prompt::read_lock("prompts.lock").take();
            REQUIRE(read.prompts.size() == 1);
            CHECK(read.prompts[0].hash == "sha256:1");
            CHECK(read.prompts[0].commit == std::nullopt);
        }
    }

    TEST_CASE("prompt::compare_locks")
    {
        prompt::LockFile locked;
        locked.prompts = {{"same", "sha256:1", std::nullopt},
                          {"edited", "sha256:2", std::nullopt},
                          {"gone", "sha256:3", std::nullopt}};
        prompt::LockFile current;
        current.prompts = {{"edited", "sha256:9", std::nullopt},
                           {"new", "sha256:4", std::nullopt},
                           // Committed since the lock: another commit, the same content.
                           {"same", "sha256:1", std::string("def")}};
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
