#pragma once

#include "validate/check.hpp"

#include <memory>

namespace aiops::validate {

/// The `artefacts` check: what a model's reply leaves in a file that is not code —
/// markdown fences and prose, comments that stand for elided code, placeholder
/// bodies, and a file cut off inside a construct. Syntax problems that a fence, prose
/// or a cut explains are left to its finding.
std::unique_ptr<Check> make_artefacts_check();

} // namespace aiops::validate
