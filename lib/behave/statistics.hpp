#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace aiops::behave {

/// A two-sided confidence interval for a proportion.
struct Interval
{
    double lower = 0.0;
    double upper = 1.0;
};

/// The standard normal quantile: z with P(Z <= z) = probability, for 0 < probability < 1.
double normal_quantile(double probability);

/// The Wilson score interval of `passes` out of `trials` at a two-sided confidence level
/// (0.95 gives the usual 95% interval). With no trials it is [0, 1].
Interval wilson_interval(std::size_t passes, std::size_t trials, double confidence = 0.95);

/// The smallest number of trials that, all passing, show a pass probability of at least
/// `threshold` at `confidence` by the exact binomial (Clopper-Pearson, one-sided) bound:
/// the smallest n with threshold^n <= 1 - confidence (59 for 0.95 at 0.95, the "rule of
/// three" count). nullopt when no number does (threshold 1) and 0 for threshold 0.
std::optional<std::size_t> trials_needed_all_pass(double threshold, double confidence);

/// The smallest number of trials that, all passing, lift the two-sided Wilson lower bound
/// at `confidence` (the bound the gate uses under --confidence) to `threshold`: the
/// smallest n with n / (n + z^2) >= threshold (73 for 0.95 at 0.95). nullopt for
/// threshold 1, which the bound never reaches, and 0 for threshold 0.
std::optional<std::size_t> trials_needed_wilson(double threshold, double confidence);

/// What the gate asks of one case.
struct GateRule
{
    double threshold = 1.0;                ///< the least pass rate
    std::optional<double> confidence;      ///< set: gate on the Wilson lower bound
    std::optional<double> consistency_min; ///< set: the least consistency
};

/// Whether a pass count out of `trials` meets the pass-rate part of the gate.
bool pass_rate_meets(const GateRule& rule, std::size_t passes, std::size_t trials);

/// The all-passing trials that show the rule's threshold with the bound the rule gates
/// on: the Wilson count at the rule's confidence when it has one, else the exact count
/// at 95% (see trials_needed_wilson and trials_needed_all_pass).
std::optional<std::size_t> trials_needed(const GateRule& rule);

/// The verdict a run can still reach.
enum class Decision
{
    open, ///< more trials may still change the verdict
    pass, ///< the gate passes whatever the remaining trials give
    fail, ///< the gate fails whatever the remaining trials give
};

/// The state of a case part-way through its planned trials.
struct Progress
{
    std::size_t planned = 0;    ///< trials the case will run in all
    std::size_t run = 0;        ///< trials run so far
    std::size_t passes = 0;     ///< of those, how many passed
    std::size_t mode_count = 0; ///< trials whose normalised output is the most common one
};

/// Whether the verdict over `planned` trials is already fixed: the pass rate and the
/// consistency can end anywhere between what the run has and what it has plus every
/// remaining trial in its favour.
Decision decide_early(const GateRule& rule, const Progress& progress);

/// Wald's sequential probability ratio test of H0: p = p0 (fail) against H1: p = p1
/// (pass), with error rates alpha (passing a case whose rate is p0) and beta (failing one
/// whose rate is p1).
class SequentialTest
{
public:
    /// Requires 0 < p0 < p1 < 1 and 0 < alpha, beta < 0.5.
    SequentialTest(double p0, double p1, double alpha, double beta);

    /// The test around a gate threshold at a confidence level: p0 and p1 lie half the
    /// distance to the nearer of 0 and 1 below and above the threshold, and alpha = beta =
    /// 1 - confidence.
    static SequentialTest around(double threshold, double confidence);

    /// The decision after `passes` out of `trials`.
    Decision decide(std::size_t passes, std::size_t trials) const;

    /// The log-likelihood ratio of H1 to H0 after `passes` out of `trials`.
    double log_likelihood_ratio(std::size_t passes, std::size_t trials) const;

    double p0() const { return m_p0; }

    double p1() const { return m_p1; }

    double alpha() const { return m_alpha; }

    double beta() const { return m_beta; }

private:
    double m_p0;
    double m_p1;
    double m_alpha;
    double m_beta;
    double m_upper; ///< accept H1 at or above
    double m_lower; ///< accept H0 at or below
};

/// The value below which `share` of the sorted values lie (nearest rank); 0 when empty.
double percentile(std::vector<double> values, double share);

} // namespace aiops::behave
