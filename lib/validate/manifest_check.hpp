#pragma once

#include "core/error.hpp"
#include "validate/check.hpp"

#include <memory>

namespace aiops::validate {

/// The `manifest` check: in each walked folder that holds `.aiops/manifest.json` (the
/// record `aiops generate` leaves), files whose SHA-256 differs from the manifest are
/// reported as edited after generation, and files it lists that are gone as missing.
/// Only entries below the paths of the run are compared. Fails with ErrorCode::input
/// for a malformed manifest. With no manifest in the walk it does nothing.
core::Result<std::unique_ptr<Check>> make_manifest_check(const CheckSetup& setup);

} // namespace aiops::validate
