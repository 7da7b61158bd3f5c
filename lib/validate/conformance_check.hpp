#pragma once

#include "core/error.hpp"
#include "spec/spec.hpp"
#include "validate/check.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace aiops::validate {

/// Where the spec's paths point: `base_prefix` + a spec path is the report path of the
/// file, `base` + a spec path its location on disk.
struct SpecBase
{
    std::string base_prefix; ///< "" or "generated/" (report paths are '/'-separated)
    std::filesystem::path base;
};

/// The folder spec paths are relative to: the one folder named on the command line, or
/// else the report root.
SpecBase spec_base(const source::WalkOptions& walk, const source::Workspace& workspace);

/// Which of the spec's files a run judges, when a shard, --diff or --staged chose part
/// of the walked files.
struct SpecSelection
{
    /// The walked files the run left out: another shard, or the base, judges them.
    std::vector<source::WorkspaceFile> unselected;
    /// With a shard: a spec file outside the walk, and the endpoints that may be
    /// served from any file, are judged by one shard only (the one whose share the
    /// file's path, or the spec's, falls in), so the merged shards report each once.
    std::optional<source::Shard> shard;
};

/// The `conformance` check: the functions, classes, methods and endpoints the spec
/// declares exist in the files it names, with the declared parameters and types.
/// `spec_report_path` is how findings at the spec name it, `spec_text` its text.
std::unique_ptr<Check> make_conformance_check(spec::Spec spec,
                                              std::string spec_report_path,
                                              std::string spec_text,
                                              SpecBase base,
                                              SpecSelection selection = {});

/// The report path of the spec the options name, and those of the files it names.
struct SpecFiles
{
    std::string spec;
    std::vector<std::string> files;
};

/// Reads the spec the options name for the paths of its files; fails as
/// make_conformance_check does.
core::Result<SpecFiles> spec_files(const CheckSetup& setup);

/// The conformance check for the spec file the options name. Fails with
/// ErrorCode::usage when no spec is named or it cannot be read, and ErrorCode::input
/// for a malformed spec.
core::Result<std::unique_ptr<Check>> make_conformance_check(const CheckSetup& setup);

} // namespace aiops::validate
