#include "core/sha256.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;

// The test vectors of FIPS 180-2, appendix B.
constexpr const char* k_empty_digest =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* k_abc_digest =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* k_two_blocks_input =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr const char* k_two_blocks_digest =
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr const char* k_million_a_digest =
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

TEST_SUITE("core")
{
    TEST_CASE("core::sha256_hex")
    {
        SUBCASE("the standard test vectors")
        {
            CHECK(core::sha256_hex("") == k_empty_digest);
            CHECK(core::sha256_hex("abc") == k_abc_digest);
            CHECK(core::sha256_hex(k_two_blocks_input) == k_two_blocks_digest);
            CHECK(core::sha256_hex(std::string(1000000, 'a')) == k_million_a_digest);
        }

        SUBCASE("NUL bytes are hashed like any other")
        {
            CHECK(core::sha256_hex(std::string("a\0b", 3)) != core::sha256_hex("ab"));
        }
    }

    TEST_CASE("core::Sha256")
    {
        SUBCASE("nothing fed gives the digest of empty input")
        {
            core::Sha256 hasher;
            CHECK(hasher.hex_digest() == k_empty_digest);
        }

        SUBCASE("input fed in pieces gives the digest of the whole")
        {
            core::Sha256 hasher;
            hasher.update("a");
            hasher.update("");
            hasher.update("bc");
            CHECK(hasher.hex_digest() == k_abc_digest);
        }

        SUBCASE("pieces across a block boundary")
        {
            const std::string input = k_two_blocks_input;
            core::Sha256 hasher;
            hasher.update(input.substr(0, 50));
            hasher.update(input.substr(50));
            CHECK(hasher.hex_digest() == k_two_blocks_digest);
        }
    }
}
