#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aiops::core {

/// One decoded code point and the number of bytes it took; an invalid sequence
/// decodes as U+FFFD with a length of 1.
struct DecodedCodePoint
{
    char32_t code_point;
    std::size_t length;
    bool valid;
};

/// Decodes the code point that starts at offset (which must be inside text).
DecodedCodePoint decode_utf8(std::string_view text, std::size_t offset);

/// Whether text holds a byte outside ASCII (of a character that is not ASCII, or an
/// invalid byte).
bool has_non_ascii(std::string_view text);

/// The byte offset of the first invalid UTF-8 sequence, or nullopt when text is valid.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

/// The number of code points in text (an invalid byte counts as one).
std::size_t count_code_points(std::string_view text);

/// A copy of text with every invalid sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view text);

/// Appends the UTF-8 encoding of a code point.
void append_utf8(std::string& out, char32_t code_point);

/// Calls sink with each UTF-16 code unit of text, as JavaScript's charCodeAt sees it.
template <typename Sink> void for_each_utf16_unit(std::string_view text, Sink&& sink)
{
    std::size_t offset = 0;
    while (offset < text.size()) {
        // ASCII, most of any source file, is its own UTF-16 without a decoder call.
        if (const auto byte = static_cast<unsigned char>(text[offset]); byte < 0x80) {
            sink(static_cast<std::uint16_t>(byte));
            ++offset;
            continue;
        }
        const DecodedCodePoint decoded = decode_utf8(text, offset);
        offset += decoded.length;
        const char32_t cp = decoded.code_point;
        if (cp >= 0x10000) {
            const char32_t value = cp - 0x10000;
            sink(static_cast<std::uint16_t>(0xD800 + (value >> 10)));
            sink(static_cast<std::uint16_t>(0xDC00 + (value & 0x3FF)));
        } else {
            sink(static_cast<std::uint16_t>(cp));
        }
    }
}

} // namespace aiops::core
