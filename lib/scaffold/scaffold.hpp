#pragma once

#include "core/error.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::scaffold {

/// One file of the starter project `aiops init` writes.
struct StarterFile
{
    std::string_view path; ///< relative to the project folder, with '/'
    std::string_view text;
};

/// The starter project: a configuration, a prompt, a spec, the code it describes, a
/// behave suite and a GitHub workflow that runs the gates, in the order written.
const std::vector<StarterFile>& starter_files();

/// What init_project did with each starter file, by its path in the project.
struct InitResult
{
    std::vector<std::string> written;
    std::vector<std::string> skipped; ///< already there (of any kind), left as it was
};

/// Writes the starter files the folder does not hold yet, creating the folder; a file
/// that is there, whatever it holds, is never touched. The files are written all or
/// none (core::FileBatch). Fails with ErrorCode::usage when `folder` is not a folder or
/// a starter file's path cannot name a file there (a file stands where one of its
/// folders should be), else with ErrorCode::io.
core::Result<InitResult> init_project(const std::filesystem::path& folder);

} // namespace aiops::scaffold
