#include "behave/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aiops::behave {

double normal_quantile(double probability)
{
    // Bisection on the normal distribution function: 200 halvings of [-40, 40] reach
    // the limit of double precision, and the function is only called a few times a run.
    double low = -40.0;
    double high = 40.0;
    for (int step = 0; step < 200; ++step) {
        const double middle = (low + high) / 2.0;
        const double cdf = 0.5 * std::erfc(-middle / std::sqrt(2.0));
        if (cdf < probability) {
            low = middle;
        } else {
            high = middle;
        }
    }
    return (low + high) / 2.0;
}

Interval wilson_interval(std::size_t passes, std::size_t trials, double confidence)
{
    if (trials == 0) {
        return {};
    }
    const double z = normal_quantile(1.0 - (1.0 - confidence) / 2.0);
    const double n = static_cast<double>(trials);
    const double p = static_cast<double>(passes) / n;
    const double z2 = z * z;
    const double denominator = 1.0 + z2 / n;
    const double centre = (p + z2 / (2.0 * n)) / denominator;
    const double half = z / denominator * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

std::optional<std::size_t> trials_needed_all_pass(double threshold, double confidence)
{
    if (threshold <= 0.0) {
        return 0;
    }
    if (threshold >= 1.0) {
        return std::nullopt;
    }
    const double chance = 1.0 - confidence;
    std::size_t n = static_cast<std::size_t>(std::ceil(std::log(chance) / std::log(threshold)));
    // The logarithms can land a hair off an exact power; settle n on the integers.
    while (n > 0 && std::pow(threshold, static_cast<double>(n - 1)) <= chance) {
        --n;
    }
    while (std::pow(threshold, static_cast<double>(n)) > chance) {
        ++n;
    }
    return n;
}

std::optional<std::size_t> trials_needed_wilson(double threshold, double confidence)
{
    if (threshold <= 0.0) {
        return 0;
    }
    if (threshold >= 1.0) {
        return std::nullopt;
    }
    // All passing, the lower bound is n / (n + z^2); the closed form gives the start, and
    // the bound the gate computes settles n, so the two never disagree at the edge.
    const double z = normal_quantile(1.0 - (1.0 - confidence) / 2.0);
    auto n = static_cast<std::size_t>(std::ceil(threshold * z * z / (1.0 - threshold)));
    const auto reaches = [&](std::size_t trials) {
        return trials > 0 && wilson_interval(trials, trials, confidence).lower >= threshold;
    };
    while (n > 1 && reaches(n - 1)) {
        --n;
    }
    while (!reaches(n)) {
        ++n;
    }
    return n;
}

std::optional<std::size_t> trials_needed(const GateRule& rule)
{
    if (rule.confidence) {
        return trials_needed_wilson(rule.threshold, *rule.confidence);
    }
    return trials_needed_all_pass(rule.threshold, 0.95);
}

bool pass_rate_meets(const GateRule& rule, std::size_t passes, std::size_t trials)
{
    if (trials == 0) {
        return false;
    }
    if (rule.confidence) {
        return wilson_interval(passes, trials, *rule.confidence).lower >= rule.threshold;
    }
    return static_cast<double>(passes) >= rule.threshold * static_cast<double>(trials) - 1e-9;
}

Decision decide_early(const GateRule& rule, const Progress& progress)
{
    const std::size_t remaining =
        progress.planned > progress.run ? progress.planned - progress.run : 0;
    // Both the pass count and the Wilson lower bound grow with the passes, so the two
    // extremes of the remaining trials bound every outcome.
    const bool rate_sure_pass = pass_rate_meets(rule, progress.passes, progress.planned);
    const bool rate_sure_fail =
        !pass_rate_meets(rule, progress.passes + remaining, progress.planned);
    bool consistency_sure_pass = true;
    bool consistency_sure_fail = false;
    if (rule.consistency_min) {
        const double planned = static_cast<double>(progress.planned);
        const double least = static_cast<double>(progress.mode_count) / planned;
        const double most = static_cast<double>(progress.mode_count + remaining) / planned;
        consistency_sure_pass = least >= *rule.consistency_min - 1e-9;
        consistency_sure_fail = most < *rule.consistency_min - 1e-9;
    }
    if (rate_sure_fail || consistency_sure_fail) {
        return Decision::fail;
    }
    if (rate_sure_pass && consistency_sure_pass) {
        return Decision::pass;
    }
    return Decision::open;
}

SequentialTest::SequentialTest(double p0, double p1, double alpha, double beta)
    : m_p0(p0), m_p1(p1), m_alpha(alpha), m_beta(beta)
{
    if (!(p0 > 0.0 && p0 < p1 && p1 < 1.0 && alpha > 0.0 && alpha < 0.5 && beta > 0.0
          && beta < 0.5)) {
        throw std::invalid_argument(
            "sequential test needs 0 < p0 < p1 < 1 and 0 < alpha, beta < 0.5");
    }
    m_upper = std::log((1.0 - beta) / alpha);
    m_lower = std::log(beta / (1.0 - alpha));
}

SequentialTest SequentialTest::around(double threshold, double confidence)
{
    const double half_width = std::min(threshold, 1.0 - threshold) / 2.0;
    const double error = 1.0 - confidence;
    return SequentialTest(threshold - half_width, threshold + half_width, error, error);
}

double SequentialTest::log_likelihood_ratio(std::size_t passes, std::size_t trials) const
{
    const double failures = static_cast<double>(trials - passes);
    return static_cast<double>(passes) * std::log(m_p1 / m_p0)
           + failures * std::log((1.0 - m_p1) / (1.0 - m_p0));
}

Decision SequentialTest::decide(std::size_t passes, std::size_t trials) const
{
    const double ratio = log_likelihood_ratio(passes, trials);
    if (ratio >= m_upper) {
        return Decision::pass;
    }
    if (ratio <= m_lower) {
        return Decision::fail;
    }
    return Decision::open;
}

double percentile(std::vector<double> values, double share)
{
    if (values.empty()) {
        return 0.0;
    }
    std::sort(values.begin(), values.end());
    const double rank = std::ceil(share * static_cast<double>(values.size()));
    const std::size_t index = rank < 1.0 ? 0 : static_cast<std::size_t>(rank) - 1;
    return values[std::min(index, values.size() - 1)];
}

} // namespace aiops::behave
