#pragma once

#include "core/finding.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aiops::report {

/// GitHub's primaryLocationLineHash for every line of a file, as its upload action
/// computes it: a rolling hash over the next 100 characters that are not spaces or
/// tabs, from the start of each line (CR, LF and CRLF all count as one line break),
/// written as "<hex>:<occurrence>". Element i is the hash of line i + 1; a file that
/// ends with a line break has one more, empty, line.
std::vector<std::string> line_hashes(std::string_view text);

/// The same hashes unformatted: the hash and its occurrence number, per line. With
/// `through_line`, only the lines up to that one (1-based) are hashed and returned,
/// which costs less when a file's last finding is early.
std::vector<std::pair<std::uint64_t, int>> hash_lines(std::string_view text,
                                                      std::size_t through_line = SIZE_MAX);

/// Fills Finding::line_hash of findings of one file from its text, hashing only as far
/// as the last line with a finding.
void attach_line_hashes(std::vector<core::Finding>& findings_of_one_file, std::string_view text);

/// One hash as line_hashes writes it.
std::string format_line_hash(const std::pair<std::uint64_t, int>& hash);

} // namespace aiops::report
