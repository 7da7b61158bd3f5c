#pragma once

#include "behave/suite.hpp"

#include <string>

namespace aiops::behave {

/// What one trial produced, whichever kind of case ran it.
struct TrialOutput
{
    std::string output;      ///< reply text, or standard output
    std::string stderr_text; ///< command cases only
    int exit_code = 0;       ///< command cases only; -1 when killed by a signal
    double latency_ms = 0.0;
    double cost_usd = 0.0;
    long long tokens = 0;
    bool latency_known = true; ///< false: a replayed entry recorded none
    bool cost_known = true;    ///< false: the model has no price
};

/// The result of one assertion on one trial.
struct AssertionOutcome
{
    bool passed = false;
    std::string message; ///< why it failed; empty when it passed
};

/// Checks one assertion (honouring `not:`) against a trial's output. A latency or cost
/// check on a trial whose latency or cost is not known fails, negated or not.
AssertionOutcome check_assertion(const Assertion& assertion, const TrialOutput& trial);

/// Text with its letters lowercased, as icontains and `normalise: case` compare it: ASCII,
/// Latin-1, Latin Extended-A, Greek and Cyrillic letters, whose simple lowercase is one
/// code point; invalid UTF-8 bytes stay as they are.
std::string fold_case(std::string_view text);

/// The text the consistency metric compares, normalised.
std::string normalise_output(std::string_view text, Normalisation normalisation);

} // namespace aiops::behave
