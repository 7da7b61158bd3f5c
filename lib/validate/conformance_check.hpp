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

/// The `conformance` check: the functions, classes, methods and endpoints the spec
/// declares exist in the files it names, with the declared parameters and types.
/// `spec_report_path` is how findings at the spec name it, `spec_text` its text.
std::unique_ptr<Check> make_conformance_check(spec::Spec spec,
                                              std::string spec_report_path,
                                              std::string spec_text,
                                              SpecBase base);

/// The conformance check for the spec file the options name. Fails with
/// ErrorCode::usage when no spec is named or it cannot be read, and ErrorCode::input
/// for a malformed spec.
core::Result<std::unique_ptr<Check>> make_conformance_check(const CheckSetup& setup);

} // namespace aiops::validate
