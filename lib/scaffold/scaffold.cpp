#include "scaffold/scaffold.hpp"

#include "core/atomic_file.hpp"

#include <fmt/format.h>

namespace aiops::scaffold {

namespace fs = std::filesystem;

core::Result<InitResult> init_project(const fs::path& folder)
{
    std::error_code ec;
    const fs::file_status status = fs::status(folder, ec);
    if (fs::exists(status) && !fs::is_directory(status)) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}': not a folder", folder.string()));
    }
    InitResult result;
    core::FileBatch batch;
    for (const StarterFile& file : starter_files()) {
        const fs::path target = folder / fs::path(file.path);
        // A dangling link counts as there too: writing through it would put the file
        // wherever it points.
        if (fs::exists(fs::symlink_status(target, ec)) || fs::is_symlink(target, ec)) {
            result.skipped.emplace_back(file.path);
            continue;
        }
        if (auto staged = batch.stage(target, file.text, core::FileBatch::IfExists::fail);
            !staged) {
            return core::Error(staged.error().code(),
                               staged.error().message() + " (nothing was written)");
        }
        result.written.emplace_back(file.path);
    }
    if (auto committed = batch.commit(); !committed) {
        return committed.error();
    }
    return result;
}

} // namespace aiops::scaffold
