#include "core/atomic_file.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace aiops::core {

namespace fs = std::filesystem;

Result<fs::path> write_temporary_beside(const fs::path& path, std::string_view text)
{
    const auto fail = [&](const std::string& what, int error_number) {
        return Error(
            ErrorCode::io,
            fmt::format(
                "cannot write '{}': {}: {}", path.string(), what, std::strerror(error_number)));
    };
    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
        return fail("cannot create its folder", ec.value());
    }
    std::string temporary = (folder / fmt::format(".{}.XXXXXX", path.filename().string())).string();
    const int fd = ::mkstemp(temporary.data());
    if (fd < 0) {
        return fail("cannot create a temporary file", errno);
    }
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const int error_number = errno;
            ::close(fd);
            ::unlink(temporary.c_str());
            return fail("write failed", error_number);
        }
        written += static_cast<std::size_t>(n);
    }
    ::fchmod(fd, 0644);
    if (::close(fd) != 0) {
        const int error_number = errno;
        ::unlink(temporary.c_str());
        return fail("close failed", error_number);
    }
    return fs::path(temporary);
}

Result<bool> write_file_atomically(const fs::path& path, std::string_view text)
{
    auto temporary = write_temporary_beside(path, text);
    if (!temporary) {
        return temporary.error();
    }
    if (::rename(temporary->c_str(), path.c_str()) != 0) {
        const int error_number = errno;
        ::unlink(temporary->c_str());
        return Error(ErrorCode::io,
                     fmt::format("cannot write '{}': rename failed: {}",
                                 path.string(),
                                 std::strerror(error_number)));
    }
    return true;
}

} // namespace aiops::core
