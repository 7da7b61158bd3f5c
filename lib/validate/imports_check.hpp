#pragma once

#include "core/error.hpp"
#include "validate/check.hpp"

#include <memory>

namespace aiops::validate {

/// The `imports` check: every module a Python, JavaScript, TypeScript, Go or Java file
/// imports must come from the language's standard library, from the project itself, or
/// from a package its manifest declares (requirements*.txt, pyproject.toml, setup.cfg,
/// Pipfile, package.json, go.mod). The manifests of the folders of the walked files are
/// read here, once; a malformed one fails with ErrorCode::input ("file:line:column:
/// what is wrong"), and an unknown --python-version with ErrorCode::usage.
core::Result<std::unique_ptr<Check>> make_imports_check(const CheckSetup& setup);

} // namespace aiops::validate
