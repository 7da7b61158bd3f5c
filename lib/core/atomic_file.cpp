#include "core/atomic_file.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace aiops::core {

namespace fs = std::filesystem;

namespace {

// These say that the path itself is wrong, which only the user can mend. Creating a
// folder where a file stands is EEXIST too, but only there.
bool is_bad_path(int error_number)
{
    return error_number == ENOTDIR || error_number == EISDIR || error_number == ENAMETOOLONG;
}

Error write_error(const fs::path& path, const std::string& what, int error_number)
{
    return Error(
        is_bad_path(error_number) ? ErrorCode::usage : ErrorCode::io,
        fmt::format("cannot write '{}': {}: {}", path.string(), what, std::strerror(error_number)));
}

// The folders create_directories is about to make, outermost first.
std::vector<fs::path> missing_folders(const fs::path& folder)
{
    std::vector<fs::path> missing;
    std::error_code ec;
    for (fs::path at = folder; !at.empty() && !fs::exists(fs::symlink_status(at, ec));
         at = at.parent_path()) {
        missing.push_back(at);
        if (at == at.parent_path()) {
            break;
        }
    }
    std::reverse(missing.begin(), missing.end());
    return missing;
}

// The file a path names, however it is spelt, as far as the folders that exist tell.
fs::path identity(const fs::path& path)
{
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec);
    const fs::path resolved = fs::weakly_canonical(absolute, ec);
    return ec ? absolute.lexically_normal() : resolved;
}

// rename() that fails with EEXIST instead of replacing a file that is there. A file
// system without RENAME_NOREPLACE gets a hard link, which never replaces either.
int rename_without_replacing(const char* from, const char* to)
{
    if (::renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) {
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
        return -1;
    }
    if (::link(from, to) != 0) {
        return -1;
    }
    ::unlink(from);
    return 0;
}

Result<bool> write_all(int fd, std::string_view text)
{
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return Error(ErrorCode::io, std::strerror(n < 0 ? errno : EIO));
        }
        written += static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace

FileBatch::~FileBatch()
{
    discard();
}

void FileBatch::discard()
{
    for (const auto& staged : m_staged) {
        ::unlink(staged.temporary.c_str());
    }
    m_staged.clear();
    // Innermost first; a folder that something else has filled meanwhile stays.
    std::error_code ec;
    for (auto folder = m_created_folders.rbegin(); folder != m_created_folders.rend(); ++folder) {
        fs::remove(*folder, ec);
    }
    m_created_folders.clear();
}

Result<bool> FileBatch::stage(const fs::path& path, std::string_view text, IfExists if_exists)
{
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        return write_error(path, "it is a folder", EISDIR);
    }
    for (const auto& staged : m_staged) {
        if (identity(staged.target) == identity(path)) {
            return Error(ErrorCode::usage,
                         fmt::format("cannot write '{}': it is named for two files of one run",
                                     path.string()));
        }
    }
    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    const auto missing = missing_folders(folder);
    fs::create_directories(folder, ec);
    if (ec) {
        return write_error(
            path, "cannot create its folder", ec.value() == EEXIST ? ENOTDIR : ec.value());
    }
    m_created_folders.insert(m_created_folders.end(), missing.begin(), missing.end());

    std::string temporary = (folder / fmt::format(".{}.XXXXXX", path.filename().string())).string();
    const int fd = ::mkstemp(temporary.data());
    if (fd < 0) {
        return write_error(path, "cannot create a temporary file", errno);
    }
    auto written = write_all(fd, text);
    ::fchmod(fd, 0644);
    const int closed = ::close(fd);
    const int close_error = errno;
    if (!written || closed != 0) {
        ::unlink(temporary.c_str());
        return written ? write_error(path, "close failed", close_error)
                       : Error(ErrorCode::io,
                               fmt::format("cannot write '{}': write failed: {}",
                                           path.string(),
                                           written.error().message()));
    }
    m_staged.push_back({path, std::move(temporary), if_exists});
    return true;
}

Result<bool> FileBatch::commit()
{
    for (std::size_t i = 0; i < m_staged.size(); ++i) {
        const Staged& staged = m_staged[i];
        const int renamed =
            staged.if_exists == IfExists::replace
                ? ::rename(staged.temporary.c_str(), staged.target.c_str())
                : rename_without_replacing(staged.temporary.c_str(), staged.target.c_str());
        if (renamed != 0) {
            const int error_number = errno;
            const fs::path target = staged.target;
            m_staged.erase(m_staged.begin(), m_staged.begin() + static_cast<std::ptrdiff_t>(i));
            discard();
            return Error(ErrorCode::io,
                         error_number == EEXIST
                             ? fmt::format("cannot write '{}': it appeared while aiops was "
                                           "writing it, and is left as it is",
                                           target.string())
                             : fmt::format("cannot write '{}': rename failed: {}",
                                           target.string(),
                                           std::strerror(error_number)));
        }
    }
    m_staged.clear();
    m_created_folders.clear();
    return true;
}

Result<bool> write_file_atomically(const fs::path& path, std::string_view text)
{
    FileBatch batch;
    if (auto staged = batch.stage(path, text); !staged) {
        return staged;
    }
    return batch.commit();
}

} // namespace aiops::core
