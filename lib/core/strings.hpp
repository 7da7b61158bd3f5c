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

/// The text with the user and password of every URL in it (scheme://user:secret@host)
/// replaced by "***", so that a secret written into an address is neither shown nor
/// stored: "redis://***@host:6379/0". Text without one comes back as it was.
std::string redact_userinfo(std::string_view text);

/// Shows a value to a user: printable ASCII is kept, other bytes and control
/// characters are escaped, and the result is cut to at most max_chars code points.
std::string quote_for_message(std::string_view text, std::size_t max_chars = 40);

/// Whether a code point is invisible or changes how the text around it is shown: C0
/// and C1 controls other than tab and line feed, bidirectional controls and marks,
/// zero-width characters, line and paragraph separators, the byte-order mark and tag
/// characters.
bool is_hidden_code_point(char32_t cp);

/// The text with each hidden code point (see is_hidden_code_point) written as
/// `<U+202E>`, so that a report shows it rather than acting on it; other text, and a
/// carriage return that ends a line, are kept.
std::string show_hidden_code_points(std::string_view text);

} // namespace aiops::core
