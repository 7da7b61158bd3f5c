#include "generate/safe_writer.hpp"

#include "core/sha256.hpp"
#include "core/strings.hpp"
#include "source/source_file.hpp"

#include <fmt/format.h>

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>

namespace aiops::generate {

namespace fs = std::filesystem;

namespace {

/// Names Windows keeps for devices in every folder, whatever the extension.
bool is_device_name(std::string_view part)
{
    static constexpr std::array<std::string_view, 6> k_names{
        "con", "prn", "aux", "nul", "conin$", "conout$"};
    std::string base = core::to_lower(part.substr(0, part.find('.')));
    while (!base.empty() && (base.back() == ' ' || base.back() == '.')) {
        base.pop_back();
    }
    if (std::find(k_names.begin(), k_names.end(), base) != k_names.end()) {
        return true;
    }
    return base.size() == 4 && (base.starts_with("com") || base.starts_with("lpt"))
           && base[3] >= '0' && base[3] <= '9';
}

/// The longest file name (one part of a path) common file systems take, in bytes.
constexpr std::size_t k_max_name_bytes = 255;

/// The longest path, output folder included, that the system takes.
constexpr std::size_t k_max_path_bytes = PATH_MAX - 1;

/// The folders (or, for git, a file pointing elsewhere) where version control keeps
/// what it runs: git hooks and config, Mercurial hooks, Subversion and Bazaar data.
/// Case is ignored, as a case-insensitive file system would.
bool is_version_control_name(std::string_view part)
{
    const std::string lower = core::to_lower(part);
    return lower == ".git" || lower == ".hg" || lower == ".svn" || lower == ".bzr"
           || lower == "_darcs";
}

std::optional<std::string> refuse_by_name(std::string_view path)
{
    if (path.empty()) {
        return "the path is empty";
    }
    if (path.front() == '/' || path.front() == '~'
        || (path.size() >= 2 && std::isalpha(static_cast<unsigned char>(path[0]))
            && path[1] == ':')) {
        return "an absolute path";
    }
    if (path.find('\\') != std::string_view::npos) {
        return "it holds a backslash";
    }
    for (const char c : path) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return "it holds a control character";
        }
    }
    for (const auto& part : core::split(path, '/')) {
        if (part == "..") {
            return "it climbs out of the output folder with '..'";
        }
        if (part.empty() || part == ".") {
            return "it has an empty or '.' part";
        }
        if (is_device_name(part)) {
            return fmt::format("'{}' names a device", part);
        }
        if (is_version_control_name(part)) {
            return fmt::format("'{}' holds a version control system's own files (its hooks and "
                               "settings run commands)",
                               part);
        }
        if (part.size() > k_max_name_bytes) {
            return fmt::format("a part of it is {} bytes long, more than the {} a file name may "
                               "have",
                               part.size(),
                               k_max_name_bytes);
        }
    }
    if (path == ".aiops" || path.starts_with(".aiops/")) {
        return "the output folder's .aiops/ is aiops's own";
    }
    return std::nullopt;
}

/// Refuses links anywhere along the path under root, and a target that exists but is
/// not a regular file.
std::optional<std::string> refuse_on_disk(const fs::path& root, std::string_view path)
{
    fs::path at = root;
    const std::vector<std::string> parts = core::split(path, '/');
    for (std::size_t i = 0; i < parts.size(); ++i) {
        at /= parts[i];

        struct stat info
        {};

        if (::lstat(at.c_str(), &info) != 0) {
            return std::nullopt;
        }
        const bool last = i + 1 == parts.size();
        if (S_ISLNK(info.st_mode)) {
            return fmt::format("'{}' is a symbolic link",
                               fs::path(at).lexically_relative(root).generic_string());
        }
        if (!last && !S_ISDIR(info.st_mode)) {
            return fmt::format("'{}' is not a folder",
                               fs::path(at).lexically_relative(root).generic_string());
        }
        if (last
            && (S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode) || S_ISFIFO(info.st_mode)
                || S_ISSOCK(info.st_mode))) {
            return "it names a device, pipe or socket";
        }
        if (last && !S_ISREG(info.st_mode)) {
            return "it names a folder";
        }
    }
    return std::nullopt;
}

std::optional<std::string> read_bytes(const fs::path& path)
{
    auto bytes = source::read_file(path);
    return bytes ? std::optional<std::string>(std::move(*bytes)) : std::nullopt;
}

} // namespace

std::optional<std::string> refuse_path(const fs::path& root,
                                       std::string_view path,
                                       const std::vector<std::string>& outputs,
                                       bool allow_extra)
{
    if (auto refused = refuse_by_name(path)) {
        return refused;
    }
    if (const std::size_t length = (root / std::string(path)).native().size();
        length > k_max_path_bytes) {
        return fmt::format("with the output folder it is {} bytes long, more than the {} a path "
                           "may have",
                           length,
                           k_max_path_bytes);
    }
    if (auto refused = refuse_on_disk(root, path)) {
        return refused;
    }
    if (!allow_extra && std::find(outputs.begin(), outputs.end(), path) == outputs.end()) {
        return "the spec does not list it among its outputs (--allow-extra-files writes it)";
    }
    return std::nullopt;
}

std::optional<std::string> refuse_beside(std::string_view path,
                                         const std::vector<std::string>& paths)
{
    for (const auto& other : paths) {
        if (path.size() > other.size() && path.starts_with(other) && path[other.size()] == '/') {
            return fmt::format("'{}' is a file of the reply too, so it cannot be a folder", other);
        }
    }
    return std::nullopt;
}

core::Result<bool> check_destination(const fs::path& path, std::string_view flag, bool folder)
{
    const auto refuse = [&](std::string_view why) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("{} '{}': {}", flag, path.generic_string(), why));
    };
    std::error_code error;
    const auto status = fs::status(path, error);
    if (fs::exists(status)) {
        if (folder && !fs::is_directory(status)) {
            return refuse("it is a file, not a folder");
        }
        if (!folder && fs::is_directory(status)) {
            return refuse("it is a folder, not a file");
        }
    }
    fs::path at = folder && fs::exists(status) ? path : path.parent_path();
    while (!at.empty() && !fs::exists(fs::status(at, error))) {
        at = at.parent_path();
    }
    if (at.empty()) {
        at = ".";
    }
    if (!fs::is_directory(at, error)) {
        return refuse(fmt::format("'{}' on its way is a file, not a folder", at.generic_string()));
    }
    if (::access(at.c_str(), W_OK | X_OK) != 0) {
        return refuse(fmt::format("the folder '{}' cannot be written into: {}",
                                  at.generic_string(),
                                  std::strerror(errno)));
    }
    return true;
}

std::vector<std::string> edited_paths(const fs::path& root,
                                      const std::vector<std::string>& paths,
                                      const std::optional<spec::Manifest>& previous)
{
    std::vector<std::string> edited;
    for (const auto& path : paths) {
        const auto bytes = read_bytes(root / path);
        if (!bytes) {
            continue;
        }
        const std::string hash = core::sha256_hex(*bytes);
        const bool recorded = previous
                              && std::any_of(previous->files.begin(),
                                             previous->files.end(),
                                             [&](const spec::ManifestFile& entry) {
                                                 return entry.path == path && entry.sha256 == hash;
                                             });
        if (!recorded) {
            edited.push_back(path);
        }
    }
    return edited;
}

bool files_on_disk(const fs::path& root, const std::vector<ExtractedFile>& files)
{
    return std::all_of(files.begin(), files.end(), [&root](const ExtractedFile& file) {
        return read_bytes(root / file.path) == file.content;
    });
}

std::vector<std::string> edited_files(const fs::path& root,
                                      const std::vector<ExtractedFile>& files,
                                      const std::optional<spec::Manifest>& previous)
{
    std::vector<std::string> changing;
    for (const auto& file : files) {
        if (read_bytes(root / file.path) != file.content) {
            changing.push_back(file.path);
        }
    }
    return edited_paths(root, changing, previous);
}

} // namespace aiops::generate
