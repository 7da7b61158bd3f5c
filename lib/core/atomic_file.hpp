#pragma once

#include "core/error.hpp"

#include <filesystem>
#include <string_view>

namespace aiops::core {

/// Writes text to a file so that no reader ever sees half of it: into a temporary file
/// beside it (a name starting with '.', so globs such as *.prom skip it), then renamed
/// over the target; parent folders are created. Safe with several processes writing
/// the same file. Fails with ErrorCode::io, leaving no temporary file behind.
Result<bool> write_file_atomically(const std::filesystem::path& path, std::string_view text);

/// The first half of write_file_atomically: writes text to a new temporary file beside
/// `path` (a hidden name in the same folder, created with its parent folders) and
/// returns its name, for callers that rename several files only once all are written.
/// Fails with ErrorCode::io, leaving no temporary file behind.
Result<std::filesystem::path> write_temporary_beside(const std::filesystem::path& path,
                                                     std::string_view text);

} // namespace aiops::core
