#pragma once

#include "core/error.hpp"
#include "generate/extract.hpp"
#include "spec/manifest.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::generate {

/// Why `path` may not be written into the folder `root`, or nullopt when it may. A path
/// is refused when it is empty or absolute, holds a backslash, a control character, an
/// empty, '.' or '..' part, names a device (a Windows name such as 'CON', or something
/// on disk that is not a regular file), goes through a symbolic link that exists under
/// `root`, lies in the folder's own .aiops/ or in a version control folder (.git, .hg,
/// .svn, .bzr, _darcs, whatever the flags), has a part longer than 255 bytes or is
/// longer than the system's paths with `root`, or is not one of `outputs` (unless
/// `allow_extra`).
std::optional<std::string> refuse_path(const std::filesystem::path& root,
                                       std::string_view path,
                                       const std::vector<std::string>& outputs,
                                       bool allow_extra);

/// Why `path` cannot be written beside the other files of its reply, or nullopt: one of
/// `paths` is a folder on its way ("calc.py" beside "calc.py/x.py").
std::optional<std::string> refuse_beside(std::string_view path,
                                         const std::vector<std::string>& paths);

/// Fails with ErrorCode::usage, naming `flag`, when `path` cannot become a folder (when
/// `folder`) or a file: it exists as something else, or the nearest part of it that
/// exists is not a folder that can be written into. Missing folders on the way are
/// fine: writing makes them.
core::Result<bool>
check_destination(const std::filesystem::path& path, std::string_view flag, bool folder);

/// The paths that exist in `root` with bytes `previous` does not record for them (all
/// that exist, without a previous manifest): edited by hand since the last generation.
std::vector<std::string> edited_paths(const std::filesystem::path& root,
                                      const std::vector<std::string>& paths,
                                      const std::optional<spec::Manifest>& previous);

/// Whether every file is in `root` with exactly these bytes.
bool files_on_disk(const std::filesystem::path& root, const std::vector<ExtractedFile>& files);

/// The files that exist in `root` with bytes other than `previous` recorded for them
/// (edited by hand since), or that exist without being recorded, and that the new
/// files would replace with something else. Without a previous manifest, every file
/// that exists with other bytes counts.
std::vector<std::string> edited_files(const std::filesystem::path& root,
                                      const std::vector<ExtractedFile>& files,
                                      const std::optional<spec::Manifest>& previous);

} // namespace aiops::generate
