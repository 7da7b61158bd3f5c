#include "core/sha256.hpp"

#include "core/error.hpp"

#include <openssl/evp.h>

namespace aiops::core {

struct Sha256::State
{
    EVP_MD_CTX* context = nullptr;
};

Sha256::Sha256() : m_state(std::make_unique<State>())
{
    m_state->context = EVP_MD_CTX_new();
    if (m_state->context == nullptr
        || EVP_DigestInit_ex(m_state->context, EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(m_state->context);
        throw Error(ErrorCode::internal, "openssl: cannot initialise SHA-256");
    }
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(m_state->context);
}

void Sha256::update(std::string_view data)
{
    EVP_DigestUpdate(m_state->context, data.data(), data.size());
}

std::string Sha256::hex_digest()
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_state->context, digest, &length);
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out.push_back(k_hex[digest[i] >> 4]);
        out.push_back(k_hex[digest[i] & 0x0F]);
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
