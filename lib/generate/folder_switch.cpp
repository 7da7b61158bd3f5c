#include "generate/folder_switch.hpp"

#include "core/atomic_file.hpp"
#include "core/interrupt.hpp"
#include "generate/safe_writer.hpp"
#include "source/source_file.hpp"
#include "spec/manifest.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace aiops::generate {

namespace fs = std::filesystem;

namespace {

/// Where the new files wait, whole, until the switch is decided.
constexpr const char* k_staging = ".aiops/staging";

/// A switch that is decided: what to install from the staging folder, what to remove,
/// and whether a new manifest is staged.
struct Journal
{
    std::vector<std::string> install;
    std::vector<std::string> remove;
    bool manifest = false;
};

std::string journal_text(const Journal& journal)
{
    return nlohmann::json{{"version", 1},
                          {"install", journal.install},
                          {"remove", journal.remove},
                          {"manifest", journal.manifest}}
               .dump(2)
           + "\n";
}

/// Removes the staging folder, and .aiops/ when that leaves it empty.
void remove_staging(const fs::path& root)
{
    std::error_code ignored;
    fs::remove_all(root / k_staging, ignored);
    fs::remove(root / ".aiops", ignored); // only when empty
}

std::optional<std::string> read_text(const fs::path& path)
{
    auto bytes = source::read_file(path);
    return bytes ? std::optional<std::string>(std::move(*bytes)) : std::nullopt;
}

core::Error bad_journal(const fs::path& root, const std::string& what)
{
    return core::Error(core::ErrorCode::input,
                       fmt::format("{}:1:1: {}; remove it to leave the folder as it is now",
                                   (root / spec::k_switch_journal_path).generic_string(),
                                   what));
}

/// The paths of one list of the journal, each checked as a reply's path is, so a
/// journal edited by hand cannot move files out of the folder.
core::Result<std::vector<std::string>>
journal_paths(const fs::path& root, const nlohmann::json& document, const char* key)
{
    std::vector<std::string> paths;
    const auto list = document.find(key);
    if (list == document.end() || !list->is_array()) {
        return bad_journal(root, fmt::format("'{}' is not a list", key));
    }
    for (const auto& item : *list) {
        if (!item.is_string()) {
            return bad_journal(root, fmt::format("'{}' holds something other than a path", key));
        }
        const std::string path = item.get<std::string>();
        if (auto refused = refuse_path(root, path, {}, true)) {
            return bad_journal(root, fmt::format("'{}' is refused: {}", path, *refused));
        }
        paths.push_back(path);
    }
    return paths;
}

core::Result<Journal> read_journal(const fs::path& root, const std::string& text)
{
    const auto document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object() || document.value("version", 0) != 1) {
        return bad_journal(root, "it is not a journal of version 1");
    }
    Journal journal;
    auto install = journal_paths(root, document, "install");
    if (!install) {
        return install.error();
    }
    auto remove = journal_paths(root, document, "remove");
    if (!remove) {
        return remove.error();
    }
    journal.install = std::move(*install);
    journal.remove = std::move(*remove);
    journal.manifest = document.value("manifest", false);
    return journal;
}

core::Error switch_error(const fs::path& path, const char* what, int error_number)
{
    return core::Error(core::ErrorCode::io,
                       fmt::format("cannot switch '{}': {}: {}; the next 'aiops generate' in the "
                                   "folder finishes the switch",
                                   path.generic_string(),
                                   what,
                                   std::strerror(error_number)));
}

/// Removes the folders a removed file leaves empty, up to the root.
void remove_empty_folders(const fs::path& root, fs::path folder)
{
    std::error_code ignored;
    while (folder != root && folder.string().size() > root.string().size()
           && fs::is_empty(folder, ignored)) {
        fs::remove(folder, ignored);
        folder = folder.parent_path();
    }
}

/// Carries out a decided switch; every step may be done again, so a switch stopped
/// part-way is finished by running this again.
core::Result<bool> apply(const fs::path& root, const Journal& journal)
{
    const fs::path staging = root / k_staging;
    std::error_code error;
    for (const auto& path : journal.install) {
        const fs::path from = staging / "files" / path;
        if (!fs::exists(fs::symlink_status(from, error))) {
            continue; // renamed by the run that was stopped
        }
        const fs::path to = root / path;
        fs::create_directories(to.parent_path(), error);
        if (::rename(from.c_str(), to.c_str()) != 0) {
            return switch_error(to, "rename failed", errno);
        }
    }
    for (const auto& path : journal.remove) {
        const fs::path target = root / path;
        if (::unlink(target.c_str()) != 0 && errno != ENOENT) {
            return switch_error(target, "cannot remove it", errno);
        }
        remove_empty_folders(root, target.parent_path());
    }
    const fs::path manifest = staging / "manifest.json";
    if (journal.manifest && fs::exists(manifest, error)) {
        const fs::path to = root / spec::k_manifest_path;
        if (::rename(manifest.c_str(), to.c_str()) != 0) {
            return switch_error(to, "rename failed", errno);
        }
    }
    const fs::path journal_file = root / spec::k_switch_journal_path;
    if (::unlink(journal_file.c_str()) != 0 && errno != ENOENT) {
        return switch_error(journal_file, "cannot remove it", errno);
    }
    remove_staging(root);
    return true;
}

/// Stages the files that differ from what is on disk; returns their paths. The staging
/// folder is removed again when staging fails or is interrupted.
core::Result<std::vector<std::string>> stage(const fs::path& root, const FolderChange& change)
{
    const fs::path staging = root / k_staging;
    const auto give_up = [&](core::Error error) {
        remove_staging(root);
        return error;
    };
    std::vector<std::string> install;
    for (const auto& file : change.files) {
        if (core::interrupted()) {
            return give_up(core::Error(core::ErrorCode::interrupted,
                                       "interrupted before the files were switched"));
        }
        if (read_text(root / file.path) == file.content) {
            continue;
        }
        auto written = core::write_file_atomically(staging / "files" / file.path, file.content);
        if (!written) {
            return give_up(written.error());
        }
        install.push_back(file.path);
    }
    if (change.manifest) {
        auto written = core::write_file_atomically(staging / "manifest.json", *change.manifest);
        if (!written) {
            return give_up(written.error());
        }
    }
    return install;
}

} // namespace

bool has_unfinished_switch(const fs::path& root)
{
    std::error_code ignored;
    return fs::exists(fs::symlink_status(root / spec::k_switch_journal_path, ignored));
}

core::Result<bool> finish_unfinished_switch(const fs::path& root)
{
    const auto text = read_text(root / spec::k_switch_journal_path);
    if (!text) {
        remove_staging(root);
        return false;
    }
    auto journal = read_journal(root, *text);
    if (!journal) {
        return journal.error();
    }
    if (auto applied = apply(root, *journal); !applied) {
        return applied.error();
    }
    return true;
}

core::Result<Switched> switch_folder(const fs::path& root, const FolderChange& change)
{
    remove_staging(root);
    auto staged = stage(root, change);
    if (!staged) {
        return staged.error();
    }
    Journal journal{std::move(*staged), {}, change.manifest.has_value()};
    std::error_code ignored;
    for (const auto& path : change.removed) {
        if (fs::exists(fs::symlink_status(root / path, ignored))) {
            journal.remove.push_back(path);
        }
    }
    const Switched switched{journal.install.size(), journal.remove.size(), journal.manifest};
    if (journal.install.empty() && journal.remove.empty() && !journal.manifest) {
        remove_staging(root);
        return switched;
    }
    // The switch is decided once its journal is there; an interrupt no longer stops it.
    if (core::interrupted()) {
        remove_staging(root);
        return core::Error(core::ErrorCode::interrupted,
                           "interrupted before the files were switched");
    }
    if (auto written =
            core::write_file_atomically(root / spec::k_switch_journal_path, journal_text(journal));
        !written) {
        remove_staging(root);
        return written.error();
    }
    if (auto applied = apply(root, journal); !applied) {
        return applied.error();
    }
    return switched;
}

} // namespace aiops::generate
