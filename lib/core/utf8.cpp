#include "core/utf8.hpp"

#include <algorithm>
#include <cstring>

namespace aiops::core {

namespace {

constexpr DecodedCodePoint k_invalid{0xFFFD, 1, false};

bool is_continuation(unsigned char byte)
{
    return (byte & 0xC0) == 0x80;
}

} // namespace

DecodedCodePoint decode_utf8(std::string_view text, std::size_t offset)
{
    const auto byte = static_cast<unsigned char>(text[offset]);
    if (byte < 0x80) {
        return {byte, 1, true};
    }
    std::size_t length = 0;
    char32_t cp = 0;
    char32_t minimum = 0;
    if ((byte & 0xE0) == 0xC0) {
        length = 2;
        cp = byte & 0x1F;
        minimum = 0x80;
    } else if ((byte & 0xF0) == 0xE0) {
        length = 3;
        cp = byte & 0x0F;
        minimum = 0x800;
    } else if ((byte & 0xF8) == 0xF0) {
        length = 4;
        cp = byte & 0x07;
        minimum = 0x10000;
    } else {
        return k_invalid;
    }
    if (offset + length > text.size()) {
        return k_invalid;
    }
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[offset + i]);
        if (!is_continuation(next)) {
            return k_invalid;
        }
        cp = (cp << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return k_invalid;
    }
    return {cp, length, true};
}

bool has_non_ascii(std::string_view text)
{
    // Eight bytes at a time: a whole file is tested once, most of it ASCII.
    constexpr std::uint64_t k_high_bits = 0x8080808080808080ULL;
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t block = 0;
        std::memcpy(&block, text.data() + i, sizeof block);
        if ((block & k_high_bits) != 0) {
            return true;
        }
    }
    return std::any_of(text.begin() + static_cast<std::ptrdiff_t>(i), text.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x80;
    });
}

std::optional<std::size_t> find_invalid_utf8(std::string_view text)
{
    std::size_t offset = 0;
    while (offset < text.size()) {
        // Runs of ASCII are the common case and need no decoding.
        if (static_cast<unsigned char>(text[offset]) < 0x80) {
            ++offset;
            continue;
        }
        const DecodedCodePoint decoded = decode_utf8(text, offset);
        if (!decoded.valid) {
            return offset;
        }
        offset += decoded.length;
    }
    return std::nullopt;
}

std::size_t count_code_points(std::string_view text)
{
    std::size_t count = 0;
    std::size_t offset = 0;
    while (offset < text.size()) {
        if (static_cast<unsigned char>(text[offset]) < 0x80) {
            ++offset;
        } else {
            offset += decode_utf8(text, offset).length;
        }
        ++count;
    }
    return count;
}

std::string to_valid_utf8(std::string_view text)
{
    if (!find_invalid_utf8(text)) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size() + 8);
    std::size_t offset = 0;
    while (offset < text.size()) {
        const DecodedCodePoint decoded = decode_utf8(text, offset);
        if (decoded.valid) {
            out.append(text.substr(offset, decoded.length));
        } else {
            append_utf8(out, 0xFFFD);
        }
        offset += decoded.length;
    }
    return out;
}

void append_utf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

} // namespace aiops::core
