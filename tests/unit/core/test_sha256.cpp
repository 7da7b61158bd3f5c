#include "core/error.hpp"
#include "core/sha256.hpp"

#include <doctest/doctest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace core = aiops::core;

namespace {

// The examples published with FIPS 180-4.
constexpr const char* k_empty_digest =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* k_abc_digest =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
// 448 bits: the length field no longer fits after the message, so the padding takes a block.
constexpr const char* k_448_bit_input = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr const char* k_448_bit_digest =
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr const char* k_896_bit_input = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                        "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
constexpr const char* k_896_bit_digest =
    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1";
constexpr const char* k_million_a_digest =
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

// The reference digest: OpenSSL's one-shot EVP_Digest.
std::string openssl_sha256_hex(std::string_view data)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    REQUIRE(EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) == 1);
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        out.push_back(k_hex[digest[i] >> 4]);
        out.push_back(k_hex[digest[i] & 0x0F]);
    }
    return out;
}

// Bytes of every value, NUL and those above 0x7F included, the same on every run.
std::string random_bytes(std::size_t size, std::mt19937& generator)
{
    std::string bytes(size, '\0');
    for (char& byte : bytes) {
        byte = static_cast<char>(generator() & 0xFF);
    }
    return bytes;
}

// The digest of data fed in pieces of random sizes below `limit`, empty ones included.
std::string digest_in_pieces(std::string_view data, std::mt19937& generator, std::size_t limit)
{
    core::Sha256 hasher;
    while (!data.empty()) {
        const std::size_t size = std::min<std::size_t>(data.size(), generator() % limit);
        hasher.update(data.substr(0, size));
        data.remove_prefix(size);
    }
    return hasher.hex_digest();
}

} // namespace

TEST_SUITE("core")
{
    TEST_CASE("core::sha256_hex")
    {
        SUBCASE("the standard test vectors")
        {
            CHECK(core::sha256_hex("") == k_empty_digest);
            CHECK(core::sha256_hex("abc") == k_abc_digest);
            CHECK(core::sha256_hex(k_448_bit_input) == k_448_bit_digest);
            CHECK(core::sha256_hex(k_896_bit_input) == k_896_bit_digest);
            CHECK(core::sha256_hex(std::string(1000000, 'a')) == k_million_a_digest);
        }

        SUBCASE("NUL bytes are hashed like any other")
        {
            CHECK(core::sha256_hex(std::string("a\0b", 3)) != core::sha256_hex("ab"));
            CHECK(core::sha256_hex(std::string(3, '\0'))
                  == "709e80c88487a2411e1ee4dfb9f22a861492d20c4765150c0c794abd70f8147c");
        }

        SUBCASE("every length from 0 to 200 bytes agrees with OpenSSL")
        {
            std::mt19937 generator(/*seed=*/1);
            for (std::size_t size = 0; size <= 200; ++size) {
                CAPTURE(size);
                const std::string input = random_bytes(size, generator);
                CHECK(core::sha256_hex(input) == openssl_sha256_hex(input));
            }
        }

        SUBCASE("lengths around the padding's boundaries agree with OpenSSL")
        {
            std::mt19937 generator(/*seed=*/2);
            for (const std::size_t blocks : {0, 1, 2, 63, 1024}) {
                for (const std::size_t tail : {55, 56, 57, 63, 64, 65}) {
                    const std::size_t size = 64 * blocks + tail;
                    CAPTURE(size);
                    const std::string input = random_bytes(size, generator);
                    CHECK(core::sha256_hex(input) == openssl_sha256_hex(input));
                }
            }
        }

        SUBCASE("a few megabytes agree with OpenSSL")
        {
            std::mt19937 generator(/*seed=*/3);
            const std::string input = random_bytes(3 * 1024 * 1024 + 17, generator);
            CHECK(core::sha256_hex(input) == openssl_sha256_hex(input));
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
            hasher.update(std::string_view());
            hasher.update("bc");
            CHECK(hasher.hex_digest() == k_abc_digest);
        }

        SUBCASE("pieces across a block boundary")
        {
            const std::string input = k_896_bit_input;
            core::Sha256 hasher;
            hasher.update(input.substr(0, 50));
            hasher.update(input.substr(50, 14));
            hasher.update(input.substr(64));
            CHECK(hasher.hex_digest() == k_896_bit_digest);
        }

        SUBCASE("a million 'a' fed in uneven pieces")
        {
            const std::string text(5000, 'a');
            const std::array<std::size_t, 8> sizes{1, 63, 64, 65, 127, 1000, 4099, 7};
            core::Sha256 hasher;
            std::size_t fed = 0;
            for (std::size_t i = 0; fed < 1000000; ++i) {
                const std::size_t size = std::min(sizes[i % sizes.size()], 1000000 - fed);
                hasher.update(std::string_view(text).substr(0, size));
                fed += size;
            }
            CHECK(hasher.hex_digest() == k_million_a_digest);
        }

        SUBCASE("one byte at a time gives the digest of the whole")
        {
            std::mt19937 generator(/*seed=*/4);
            const std::string input = random_bytes(300, generator);
            core::Sha256 hasher;
            for (const char byte : input) {
                hasher.update(std::string_view(&byte, 1));
            }
            CHECK(hasher.hex_digest() == openssl_sha256_hex(input));
        }

        SUBCASE("random split points give the digest of the whole")
        {
            std::mt19937 generator(/*seed=*/5);
            for (int trial = 0; trial < 50; ++trial) {
                CAPTURE(trial);
                const std::string input = random_bytes(generator() % 3000, generator);
                const std::string expected = openssl_sha256_hex(input);
                CHECK(digest_in_pieces(input, generator, /*limit=*/9) == expected);
                CHECK(digest_in_pieces(input, generator, /*limit=*/150) == expected);
                CHECK(digest_in_pieces(input, generator, /*limit=*/1000) == expected);
            }
        }

        SUBCASE("the object is spent once the digest is taken")
        {
            core::Sha256 hasher;
            hasher.update("abc");
            CHECK(hasher.hex_digest() == k_abc_digest);
            CHECK_THROWS_AS(hasher.hex_digest(), core::Error);
            CHECK_THROWS_AS(hasher.update("d"), core::Error);
        }
    }
}
