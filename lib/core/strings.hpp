#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::core {

/// ASCII lowercase copy.
std::string to_lower(std::string_view text);

/// Splits on a single character; keeps empty pieces.
std::vector<std::string> split(std::string_view text, char separator);

/// Removes ASCII white space at both ends.
std::string_view trim(std::string_view text);

/// Collapses each run of white space into one space and trims the ends.
std::string normalise_whitespace(std::string_view text);

/// The closest candidate within a small edit distance, for "did you mean" hints.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

/// Parses a byte size such as "1048576", "512K", "1M" or "2G"; nullopt when malformed.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

/// Shows a value to a user: printable ASCII is kept, other bytes and control
/// characters are escaped, and the result is cut to at most max_chars code points.
std::string quote_for_message(std::string_view text, std::size_t max_chars = 40);

} // namespace aiops::core
