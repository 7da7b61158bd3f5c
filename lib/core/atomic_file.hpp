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

} // namespace aiops::core
