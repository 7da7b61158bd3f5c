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

/// The text with the userinfo of each URL in it (https://user:secret@host/...)
/// replaced by "***", so that a password written into an address is not shown or
/// stored: "https://***@host/...". Text without one is returned as it is.
std::string redact_userinfo(std::string_view text);

/// Shows a value to a user: line breaks and tabs are written as \n, \r and \t, hidden
/// code points (see is_hidden_code_point) as `<U+202E>` and invalid bytes as `<0xFF>`,
/// as reports show them; the result is cut to at most max_chars code points.
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

/// show_hidden_code_points for a field that must stay on its line (a path or a message in
/// a line of text output): line feeds, carriage returns and tabs are written out too, so
/// that a file name cannot start a line of its own (a CI log's workflow command).
std::string show_hidden_in_line(std::string_view text);

} // namespace aiops::core
