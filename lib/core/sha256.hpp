#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace aiops::core {

/// Incremental SHA-256 as FIPS 180-4 defines it, with no OpenSSL dependency.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(std::string_view data);
    /// The digest as 64 lowercase hex digits. The object is spent afterwards: a further
    /// update or hex_digest throws an internal Error.
    std::string hex_digest();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

/// The SHA-256 of data as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

} // namespace aiops::core
