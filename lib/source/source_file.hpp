#pragma once

#include "core/error.hpp"
#include "source/language.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace aiops::source {

/// The text of a file, ready to parse.
struct SourceText
{
    /// UTF-8 text; a leading byte-order mark is removed, and Python files that declare
    /// another encoding (PEP 263) are converted.
    std::string text;
    /// Set when the bytes are not valid in their encoding: where, and what is wrong.
    std::optional<std::size_t> invalid_offset;
    std::string invalid_reason;
};

/// What read_file does with a file that looks binary (see looks_binary).
enum class BinaryFiles
{
    read_whole,
    read_start, ///< stops after the bytes that show it: the caller only skips it
};

/// Reads a file whole. Fails with ErrorCode::io when it cannot be read, and with
/// ErrorCode::usage for a device or an input past 1 GiB (a pipe that does not end).
core::Result<std::string> read_file(const std::filesystem::path& path,
                                    BinaryFiles binary = BinaryFiles::read_whole);

/// Whether bytes look binary: a NUL among the first 8 KiB.
bool looks_binary(std::string_view bytes);

/// Decodes the bytes of a file of the given language to UTF-8 (see SourceText).
SourceText decode_source(std::string bytes, Language language);

/// The encoding a Python file declares in its first two lines, if any ("latin-1").
std::optional<std::string> python_declared_encoding(std::string_view bytes);

} // namespace aiops::source
