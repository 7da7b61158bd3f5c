#include "prompt/lock.hpp"

#include <doctest/doctest.h>

#include <fstream>

namespace prompt = aiops::prompt;

namespace {

// Hashes as lock writes them: 'sha256:' and 64 hex digits.
const std::string k_hash_a = "sha256:" + std::string(64, 'a');
const std::string k_hash_b = "sha256:" + std::string(64, 'b');
const std::string k_commit = std::string(40, 'c');

std::string error_of(const std::string& lock_text)
{
    std::ofstream("prompts.lock") << lock_text;
    const auto read = prompt::read_lock("prompts.lock");
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().code() == aiops::core::ErrorCode::input);
    return read.error().message();
}

/// A lock of one prompt 'a' whose entry is the JSON text given.
std::string lock_with_entry(const std::string& entry)
{
    return "{\"lock_version\": 1, \"prompts\": {\"a\": " + entry + "}}";
}

} // namespace

TEST_SUITE("prompt")
{
    TEST_CASE("prompt::lock_to_text")
    {
        prompt::LockFile lock;
        lock.prompts.push_back({"b", k_hash_b, std::nullopt, std::nullopt});
        lock.prompts.push_back({"a/x", k_hash_a, k_commit, 3});
        const std::string text = prompt::lock_to_text(lock);
        CHECK(text
              == "{\n  \"lock_version\": 1,\n  \"prompts\": {\n    \"a/x\": {\n      \"commit\": \""
                     + k_commit + "\",\n      \"hash\": \"" + k_hash_a
                     + "\",\n      \"version\": 3\n    },\n    \"b\": {\n"
                       "      \"commit\": null,\n      \"hash\": \""
                     + k_hash_b + "\",\n      \"version\": null\n    }\n  }\n}\n");
        SUBCASE("reading it back gives the same entries, sorted")
        {
            std::ofstream("prompts.lock") << text;
            const auto read = prompt::read_lock("prompts.lock").take();
            REQUIRE(read.prompts.size() == 2);
            CHECK(read.prompts[0].name == "a/x");
            CHECK(read.prompts[0].commit == std::optional<std::string>(k_commit));
            CHECK(read.prompts[0].version == std::optional<int>(3));
            CHECK(read.prompts[1].commit == std::nullopt);
            CHECK(read.prompts[1].version == std::nullopt);
            CHECK(prompt::lock_to_text(read) == text);
        }
        SUBCASE("a malformed lock is an input error at its place")
        {
            CHECK(error_of(lock_with_entry("{}"))
                  == "prompts.lock:1:38: prompt 'a' has no 'hash' string");
            CHECK(error_of("{\"lock_version\": 1,\n \"prompts\": {\n  \"a\": {\"hash\": 1,}}}")
                  == "prompts.lock:3:19: not a prompts.lock: invalid JSON: syntax error while "
                     "parsing object key - unexpected '}'; expected string literal");
            CHECK(error_of(lock_with_entry("{\"hash\": 7}"))
                  == "prompts.lock:1:47: prompt 'a' has no 'hash' string");
            CHECK(error_of(lock_with_entry("{\"hash\": \"" + k_hash_a + "\", \"commit\": 5}"))
                  == "prompts.lock:1:132: prompt 'a': 'commit' must be a full commit id (40 "
                     "lowercase hex digits) or null");
            CHECK(error_of("{\"lock_version\": 2, \"prompts\": {}}")
                  == "prompts.lock:1:18: not a prompts.lock: 'lock_version' must be 1");
        }
        SUBCASE("unknown keys, bad names, hashes, commits and versions are refused")
        {
            CHECK(error_of(lock_with_entry("{\"hash\": \"" + k_hash_a + "\", \"extra\": 1}"))
                  == "prompts.lock:1:122: unknown key 'extra' in prompt 'a'");
            CHECK(error_of(lock_with_entry("{\"hsh\": \"" + k_hash_a + "\"}"))
                  == "prompts.lock:1:39: unknown key 'hsh' in prompt 'a'; did you mean 'hash'?");
            CHECK(error_of("{\"lock_version\": 1, \"prompts\": {}, \"more\": 1}")
                  == "prompts.lock:1:36: unknown key 'more' in a prompts.lock");
            CHECK(error_of("{\"lock_version\": 1, \"prompts\": {\"../x\": {\"hash\": \"" + k_hash_a
                           + "\"}}}")
                  == "prompts.lock:1:33: '../x' is not a prompt name: '/'-separated words of "
                     "letters, digits, '.', '_' and '-'");
            const std::string bad_hash =
                "prompt 'a': 'hash' must be 'sha256:' and 64 lowercase hex digits, as 'aiops "
                "prompt lock' writes it";
            CHECK(error_of(lock_with_entry("{\"hash\": \"md5:abc\"}"))
                  == "prompts.lock:1:47: " + bad_hash);
            CHECK(error_of(lock_with_entry("{\"hash\": \"sha256:e03b8ffd1ed7\"}"))
                  == "prompts.lock:1:47: " + bad_hash);
            CHECK(error_of(lock_with_entry("{\"hash\": \"sha256:" + std::string(64, 'A') + "\"}"))
                  == "prompts.lock:1:47: " + bad_hash);
            CHECK(error_of(lock_with_entry("{\"hash\": \"" + k_hash_a + "\", \"commit\": \"zzz\"}"))
                  == "prompts.lock:1:132: prompt 'a': 'commit' must be a full commit id (40 "
                     "lowercase hex digits) or null");
            CHECK(error_of(lock_with_entry("{\"hash\": \"" + k_hash_a + "\", \"version\": 0}"))
                  == "prompts.lock:1:133: prompt 'a': 'version' must be a whole number above 0 "
                     "or null");
            CHECK(error_of(lock_with_entry("{\"hash\": \"" + k_hash_a + "\", \"version\": \"2\"}"))
                  == "prompts.lock:1:133: prompt 'a': 'version' must be a whole number above 0 "
                     "or null");
        }
        SUBCASE("a key given twice is an input error at the second one")
        {
            std::ofstream("prompts.lock")
                << "{\"lock_version\": 1,\n \"prompts\": {\n  \"a\": {\"hash\": \"" << k_hash_a
                << "\"},\n  \"a\": {\"hash\": \"" << k_hash_b << "\"}}}\n";
            const auto read = prompt::read_lock("prompts.lock");
            REQUIRE_FALSE(read.ok());
            CHECK(read.error().message()
                  == "prompts.lock:4:3: duplicate key 'a' (first at line 3, column 3)");
            std::ofstream("prompts.lock") << "{\"lock_version\": 1, \"prompts\": {\"a\": "
                                             "{\"hash\": \"x\", \"hash\": \"y\"}}}";
            CHECK(prompt::read_lock("prompts.lock").error().message()
                  == "prompts.lock:1:52: duplicate key 'hash' (first at line 1, column 39)");
        }
        SUBCASE("an entry without a version, as older locks wrote them, has none")
        {
            std::ofstream("prompts.lock")
                << lock_with_entry("{\"hash\": \"" + k_hash_a + "\", \"commit\": null}");
            const auto read = prompt::read_lock("prompts.lock").take();
            REQUIRE(read.prompts.size() == 1);
            CHECK(read.prompts[0].hash == k_hash_a);
            CHECK(read.prompts[0].commit == std::nullopt);
            CHECK(read.prompts[0].version == std::nullopt);
        }
    }

    TEST_CASE("prompt::compare_locks")
    {
        prompt::LockFile locked;
        locked.prompts = {{"same", "sha256:1", std::nullopt, std::nullopt},
                          {"edited", "sha256:2", std::nullopt, std::nullopt},
                          {"gone", "sha256:3", std::nullopt, std::nullopt}};
        prompt::LockFile current;
        current.prompts = {{"edited", "sha256:9", std::nullopt, std::nullopt},
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
