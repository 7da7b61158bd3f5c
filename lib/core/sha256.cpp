#include "core/sha256.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <bit>

// SHA-256 as FIPS 180-4 describes it, written out here rather than taken from OpenSSL:
// OpenSSL 3 sets up its providers and reads its configuration on the first EVP call,
// which in a small program is about 2 MiB of resident memory, for a few short hashes.

namespace aiops::core {

namespace {

constexpr std::size_t k_block_size = 64;

// Where the message length goes in the last block (FIPS 180-4, 5.1.1).
constexpr std::size_t k_length_offset = 56;

// The first 32 bits of the fractional parts of the square roots of the first 8 primes
// (FIPS 180-4, 5.3.3).
constexpr std::array<std::uint32_t, 8> k_initial_hash{
    0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19};

// The first 32 bits of the fractional parts of the cube roots of the first 64 primes
// (FIPS 180-4, 4.2.2).
constexpr std::array<std::uint32_t, 64> k_round_constants{
    0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4, 0xAB1C5ED5,
    0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE, 0x9BDC06A7, 0xC19BF174,
    0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F, 0x4A7484AA, 0x5CB0A9DC, 0x76F988DA,
    0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7, 0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967,
    0x27B70A85, 0x2E1B2138, 0x4D2C6DFC, 0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85,
    0xA2BFE8A1, 0xA81A664B, 0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070,
    0x19A4C116, 0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
    0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7, 0xC67178F2};

std::uint32_t load_big_endian(const unsigned char* bytes)
{
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16)
           | (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

// The logical functions of FIPS 180-4, 4.1.2.
std::uint32_t choose(std::uint32_t x, std::uint32_t y, std::uint32_t z)
{
    return (x & y) ^ (~x & z);
}

std::uint32_t majority(std::uint32_t x, std::uint32_t y, std::uint32_t z)
{
    return (x & y) ^ (x & z) ^ (y & z);
}

std::uint32_t big_sigma0(std::uint32_t x)
{
    return std::rotr(x, 2) ^ std::rotr(x, 13) ^ std::rotr(x, 22);
}

std::uint32_t big_sigma1(std::uint32_t x)
{
    return std::rotr(x, 6) ^ std::rotr(x, 11) ^ std::rotr(x, 25);
}

std::uint32_t small_sigma0(std::uint32_t x)
{
    return std::rotr(x, 7) ^ std::rotr(x, 18) ^ (x >> 3);
}

std::uint32_t small_sigma1(std::uint32_t x)
{
    return std::rotr(x, 17) ^ std::rotr(x, 19) ^ (x >> 10);
}

// Folds one 64-byte block into the hash (FIPS 180-4, 6.2.2).
void compress(std::array<std::uint32_t, 8>& hash, const unsigned char* block)
{
    std::array<std::uint32_t, 64> schedule;
    for (std::size_t t = 0; t < 16; ++t) {
        schedule[t] = load_big_endian(block + 4 * t);
    }
    for (std::size_t t = 16; t < 64; ++t) {
        schedule[t] = small_sigma1(schedule[t - 2]) + schedule[t - 7]
                      + small_sigma0(schedule[t - 15]) + schedule[t - 16];
    }

    auto [a, b, c, d, e, f, g, h] = hash;
    for (std::size_t t = 0; t < 64; ++t) {
        const std::uint32_t t1 =
            h + big_sigma1(e) + choose(e, f, g) + k_round_constants[t] + schedule[t];
        const std::uint32_t t2 = big_sigma0(a) + majority(a, b, c);
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }

    const std::array<std::uint32_t, 8> working{a, b, c, d, e, f, g, h};
    for (std::size_t i = 0; i < hash.size(); ++i) {
        hash[i] += working[i];
    }
}

} // namespace

struct Sha256::State
{
    std::array<std::uint32_t, 8> hash = k_initial_hash;
    // The start of a block that later input completes; always shorter than a block.
    std::array<unsigned char, k_block_size> pending{};
    std::size_t pending_size = 0;
    // Bytes fed so far. The standard's length field is the bit count modulo 2^64, which
    // this times 8 gives even when it wraps.
    std::uint64_t length = 0;
    bool spent = false;

    void absorb(const unsigned char* bytes, std::size_t size);
    void pad();
};

void Sha256::State::absorb(const unsigned char* bytes, std::size_t size)
{
    length += size;
    if (pending_size > 0) {
        const std::size_t taken = std::min(size, k_block_size - pending_size);
        std::copy_n(bytes, taken, pending.begin() + pending_size);
        pending_size += taken;
        bytes += taken;
        size -= taken;
        if (pending_size < k_block_size) {
            return;
        }
        compress(hash, pending.data());
        pending_size = 0;
    }

    // Whole blocks are hashed where they lie, without a copy.
    for (; size >= k_block_size; bytes += k_block_size, size -= k_block_size) {
        compress(hash, bytes);
    }
    std::copy_n(bytes, size, pending.begin());
    pending_size = size;
}

// The padding of FIPS 180-4, 5.1.1: a 1 bit, zeros up to the length field of the last
// block, then the message length in bits, big-endian. It leaves no bytes pending.
void Sha256::State::pad()
{
    const std::uint64_t bit_length = length * 8;
    static constexpr std::array<unsigned char, k_block_size> k_padding{0x80};
    const std::size_t end =
        pending_size < k_length_offset ? k_length_offset : k_length_offset + k_block_size;
    absorb(k_padding.data(), end - pending_size);

    std::array<unsigned char, 8> length_field;
    for (std::size_t i = 0; i < length_field.size(); ++i) {
        length_field[i] = static_cast<unsigned char>(bit_length >> (56 - 8 * i));
    }
    absorb(length_field.data(), length_field.size());
}

Sha256::Sha256() : m_state(std::make_unique<State>()) {}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view data)
{
    if (m_state->spent) {
        throw Error(ErrorCode::internal, "sha256: update after the digest was taken");
    }
    m_state->absorb(reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

std::string Sha256::hex_digest()
{
    State& state = *m_state;
    if (state.spent) {
        throw Error(ErrorCode::internal, "sha256: the digest was already taken");
    }
    state.spent = true;
    state.pad();

    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * 4 * state.hash.size());
    for (const std::uint32_t word : state.hash) {
        for (int shift = 28; shift >= 0; shift -= 4) {
            out.push_back(k_hex[(word >> shift) & 0x0F]);
        }
    }
    return out;
}

std::string sha256_hex(std::string_view data)
{
    Sha256 hasher;
    hasher.update(data);
    return hasher.hex_digest();
}

} // namespace aiops::core
