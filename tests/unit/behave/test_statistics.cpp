#include "behave/statistics.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <utility>
#include <vector>

namespace behave = aiops::behave;

using behave::Decision;

namespace {

/// The binomial coefficient as a double, for exact probabilities in the tests.
double choose(int n, int k)
{
    double out = 1.0;
    for (int i = 1; i <= k; ++i) {
        out = out * (n - k + i) / i;
    }
    return out;
}

/// P(X >= k) for X ~ Binomial(n, p), summed term by term.
double upper_tail(int n, int k, double p)
{
    double out = 0.0;
    for (int i = k; i <= n; ++i) {
        out += choose(n, i) * std::pow(p, i) * std::pow(1.0 - p, n - i);
    }
    return out;
}

} // namespace

TEST_SUITE("behave")
{
    TEST_CASE("behave::normal_quantile")
    {
        CHECK(behave::normal_quantile(0.975) == doctest::Approx(1.959964).epsilon(1e-6));
        CHECK(behave::normal_quantile(0.5) == doctest::Approx(0.0));
        CHECK(behave::normal_quantile(0.995) == doctest::Approx(2.575829).epsilon(1e-6));
    }

    TEST_CASE("behave::wilson_interval")
    {
        SUBCASE("ten passes out of ten reach down to 0.72, not 0.95")
        {
            const auto interval = behave::wilson_interval(10, 10);
            // 10 / (10 + z^2) with z = 1.959964.
            CHECK(interval.lower
                  == doctest::Approx(10.0 / (10.0 + 1.959964 * 1.959964)).epsilon(1e-6));
            CHECK(interval.lower == doctest::Approx(0.7225).epsilon(1e-3));
            CHECK(interval.upper == doctest::Approx(1.0));
        }
        SUBCASE("half of ten is symmetric around a half")
        {
            const auto interval = behave::wilson_interval(5, 10);
            CHECK(interval.lower == doctest::Approx(0.2366).epsilon(1e-3));
            CHECK(interval.upper == doctest::Approx(0.7634).epsilon(1e-3));
        }
        SUBCASE("no trials say nothing")
        {
            const auto interval = behave::wilson_interval(0, 0);
            CHECK(interval.lower == 0.0);
            CHECK(interval.upper == 1.0);
        }
        SUBCASE("a wider confidence gives a wider interval")
        {
            CHECK(behave::wilson_interval(45, 50, 0.99).lower
                  < behave::wilson_interval(45, 50, 0.95).lower);
        }
    }

    TEST_CASE("behave::trials_needed_all_pass")
    {
        // The exact check: the smallest n at which all n passing is unlikely (at most 1 - C)
        // for a case whose true rate is only the threshold.
        for (const double threshold : {0.5, 0.8, 0.9, 0.95, 0.99}) {
            for (const double confidence : {0.9, 0.95, 0.99}) {
                int n = 0;
                while (upper_tail(n, n, threshold) > 1.0 - confidence) {
                    ++n;
                }
                CAPTURE(threshold);
                CAPTURE(confidence);
                CHECK(behave::trials_needed_all_pass(threshold, confidence)
                      == static_cast<std::size_t>(n));
            }
        }
        CHECK(behave::trials_needed_all_pass(0.95, 0.95) == 59U);
        CHECK_FALSE(behave::trials_needed_all_pass(1.0, 0.95).has_value());
        CHECK(behave::trials_needed_all_pass(0.0, 0.95) == 0U);
    }

    TEST_CASE("behave::trials_needed_wilson")
    {
        // The two-sided normal quantiles from a table, not from the code under test.
        const std::vector<std::pair<double, double>> z_at{
            {0.90, 1.6448536269514722}, {0.95, 1.959963984540054}, {0.99, 2.5758293035489004}};
        for (const auto& [confidence, z] : z_at) {
            for (const double threshold : {0.5, 0.8, 0.9, 0.95, 0.99}) {
                // n passes out of n put the Wilson lower bound at n / (n + z^2).
                int n = 1;
                while (n / (n + z * z) < threshold) {
                    ++n;
                }
                CAPTURE(threshold);
                CAPTURE(confidence);
                CHECK(behave::trials_needed_wilson(threshold, confidence)
                      == static_cast<std::size_t>(n));
            }
        }
        SUBCASE("the counts the gate needs, which the exact count understates")
        {
            CHECK(behave::trials_needed_wilson(0.95, 0.95) == 73U);
            CHECK(behave::trials_needed_wilson(0.95, 0.90) == 52U);
            CHECK(behave::trials_needed_wilson(0.90, 0.95) == 35U);
            CHECK(behave::trials_needed_all_pass(0.95, 0.95) == 59U);
            CHECK(behave::trials_needed_all_pass(0.95, 0.90) == 45U);
            CHECK(behave::trials_needed_all_pass(0.90, 0.95) == 29U);
        }
        SUBCASE("the gate passes at the count and not one trial before it")
        {
            for (const auto& [threshold, confidence] :
                 std::vector<std::pair<double, double>>{{0.95, 0.95}, {0.95, 0.90}, {0.9, 0.95}}) {
                const behave::GateRule rule{threshold, confidence, std::nullopt};
                const std::size_t n = *behave::trials_needed(rule);
                CHECK(behave::pass_rate_meets(rule, n, n));
                CHECK_FALSE(behave::pass_rate_meets(rule, n - 1, n - 1));
            }
        }
        SUBCASE("without a confidence the note counts by the exact bound")
        {
            CHECK(behave::trials_needed(behave::GateRule{0.95, std::nullopt, std::nullopt}) == 59U);
        }
        CHECK_FALSE(behave::trials_needed_wilson(1.0, 0.95).has_value());
        CHECK(behave::trials_needed_wilson(0.0, 0.95) == 0U);
    }

    TEST_CASE("behave::decide_early")
    {
        SUBCASE("the decision agrees with every way the remaining trials can go")
        {
            // Every pass/fail sequence of 10 trials, with threshold 0.8: at each prefix, a
            // decided verdict must equal the final verdict of every completion.
            const int planned = 10;
            behave::GateRule rule;
            rule.threshold = 0.8;
            for (int bits = 0; bits < (1 << planned); ++bits) {
                const int total_passes = __builtin_popcount(static_cast<unsigned>(bits));
                int passes = 0;
                for (int run = 0; run <= planned; ++run) {
                    const Decision decision =
                        behave::decide_early(rule,
                                             {static_cast<std::size_t>(planned),
                                              static_cast<std::size_t>(run),
                                              static_cast<std::size_t>(passes),
                                              0});
                    // The final verdict of each completion: the best and worst completions bound
                    // them.
                    const int best = passes + (planned - run);
                    const int worst = passes;
                    const bool best_passes = best >= 8;
                    const bool worst_passes = worst >= 8;
                    if (decision == Decision::pass) {
                        CHECK(worst_passes);
                    } else if (decision == Decision::fail) {
                        CHECK_FALSE(best_passes);
                    } else {
                        CHECK(best_passes);
                        CHECK_FALSE(worst_passes);
                    }
                    if (run < planned) {
                        passes += (bits >> run) & 1;
                    }
                }
                CHECK(passes == total_passes);
            }
        }
        SUBCASE("three failures out of ten decide a 0.8 gate at once")
        {
            behave::GateRule rule;
            rule.threshold = 0.8;
            CHECK(behave::decide_early(rule, {10, 3, 0, 0}) == Decision::fail);
            CHECK(behave::decide_early(rule, {10, 3, 1, 0}) == Decision::open);
            CHECK(behave::decide_early(rule, {10, 8, 8, 0}) == Decision::pass);
        }
        SUBCASE("consistency can decide a failure")
        {
            behave::GateRule rule;
            rule.threshold = 0.0;
            rule.consistency_min = 0.9;
            // 4 of 10 run, the most common output twice: at best 2 + 6 = 8 of 10.
            CHECK(behave::decide_early(rule, {10, 4, 4, 2}) == Decision::fail);
            CHECK(behave::decide_early(rule, {10, 4, 4, 3}) == Decision::open);
            CHECK(behave::decide_early(rule, {10, 9, 9, 9}) == Decision::pass);
        }
        SUBCASE("with a confidence, the Wilson bound of the full run decides")
        {
            behave::GateRule rule;
            rule.threshold = 0.7;
            rule.confidence = 0.95;
            // 20/20 has a lower bound of 0.839, 19/20 0.764, 18/20 0.699.
            CHECK(behave::decide_early(rule, {20, 2, 0, 0}) == Decision::fail);
            CHECK(behave::decide_early(rule, {20, 19, 19, 0}) == Decision::pass);
            CHECK(behave::decide_early(rule, {20, 2, 1, 0}) == Decision::open);
        }
    }

    TEST_CASE("behave::SequentialTest")
    {
        const auto test = behave::SequentialTest::around(0.9, 0.95);
        CHECK(test.p0() == doctest::Approx(0.85));
        CHECK(test.p1() == doctest::Approx(0.95));
        CHECK(test.alpha() == doctest::Approx(0.05));

        SUBCASE("all passes decide at the first n where n log(p1/p0) reaches log((1-b)/a)")
        {
            const double step = std::log(0.95 / 0.85);
            const double bound = std::log(0.95 / 0.05);
            const auto expected = static_cast<std::size_t>(std::ceil(bound / step));
            for (std::size_t n = 1; n < expected; ++n) {
                CHECK(test.decide(n, n) == Decision::open);
            }
            CHECK(test.decide(expected, expected) == Decision::pass);
            CHECK(expected == 27U);
        }
        SUBCASE("the error rates, summed exactly over every path, stay within Wald's bounds")
        {
            // Exact probabilities of stopping with each decision, by dynamic programming over
            // the pass count, for true rates p0 and p1; paths still open at 2000 are few.
            const auto error_rates = [&test](double p) {
                std::vector<double> open{1.0};
                double passed = 0.0;
                double failed = 0.0;
                for (std::size_t n = 0; n < 2000; ++n) {
                    std::vector<double> next(open.size() + 1, 0.0);
                    for (std::size_t s = 0; s < open.size(); ++s) {
                        next[s + 1] += open[s] * p;
                        next[s] += open[s] * (1.0 - p);
                    }
                    for (std::size_t s = 0; s < next.size(); ++s) {
                        const Decision decision = test.decide(s, n + 1);
                        if (decision == Decision::pass) {
                            passed += next[s];
                            next[s] = 0.0;
                        } else if (decision == Decision::fail) {
                            failed += next[s];
                            next[s] = 0.0;
                        }
                    }
                    open = std::move(next);
                }
                return std::make_pair(passed, failed);
            };
            const auto [passed_at_p0, failed_at_p0] = error_rates(test.p0());
            const auto [passed_at_p1, failed_at_p1] = error_rates(test.p1());
            // Wald: alpha' <= alpha / (1 - beta), beta' <= beta / (1 - alpha).
            CHECK(passed_at_p0 <= 0.05 / 0.95 + 1e-9);
            CHECK(failed_at_p1 <= 0.05 / 0.95 + 1e-9);
            CHECK(passed_at_p0 + failed_at_p0 == doctest::Approx(1.0).epsilon(1e-6));
            CHECK(passed_at_p1 > 0.9);
            // A clearly bad case (rate 0.5) is almost never passed.
            CHECK(error_rates(0.5).first < 1e-4);
        }
        SUBCASE("a failure costs more than a pass earns")
        {
            CHECK(test.log_likelihood_ratio(10, 11) < test.log_likelihood_ratio(9, 9));
            CHECK(test.decide(0, 3) == Decision::fail);
        }
    }

    TEST_CASE("behave::percentile")
    {
        CHECK(behave::percentile({5, 1, 3, 2, 4}, 0.5) == 3.0);
        CHECK(behave::percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.95) == 10.0);
        CHECK(behave::percentile({}, 0.5) == 0.0);
    }
}
