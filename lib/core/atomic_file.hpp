#pragma once

#include "core/error.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::core {

/// Files that are written together or not at all: each is staged into a temporary file
/// beside its target (a name starting with '.', so globs such as *.prom skip it), and
/// commit() renames them all into place. Until then no target changes; a batch dropped
/// without commit() removes its temporary files and the folders staging created. Safe
/// with several processes writing the same files.
class FileBatch
{
public:
    /// What commit() does when a target exists by then.
    enum class IfExists
    {
        replace,
        fail, ///< the file is left as it is, and commit() fails
    };

    FileBatch() = default;
    FileBatch(const FileBatch&) = delete;
    FileBatch& operator=(const FileBatch&) = delete;
    ~FileBatch();

    /// Writes text to a temporary file beside path, creating its folders. Fails with
    /// ErrorCode::usage when path cannot name a file (it is a folder, a file stands
    /// where one of its folders should be, the name is too long, or the batch already
    /// holds it), else with ErrorCode::io.
    Result<bool> stage(const std::filesystem::path& path,
                       std::string_view text,
                       IfExists if_exists = IfExists::replace);

    /// Renames every staged file over its target. Each rename is atomic and stays in
    /// one folder, so after a successful stage() only the folder's removal by someone
    /// else makes one fail: then the files renamed before it stay, and the rest are
    /// removed. A target staged with IfExists::fail that exists by then fails it too,
    /// and stays as it was. Fails with ErrorCode::io.
    Result<bool> commit();

private:
    struct Staged
    {
        std::filesystem::path target;
        std::string temporary;
        IfExists if_exists;
    };

    void discard();

    std::vector<Staged> m_staged;
    std::vector<std::filesystem::path> m_created_folders; ///< outermost first
};

/// Writes text to a file so that no reader ever sees half of it: a FileBatch of one.
/// Fails as FileBatch::stage and commit do, leaving no temporary file behind.
Result<bool> write_file_atomically(const std::filesystem::path& path, std::string_view text);

} // namespace aiops::core
