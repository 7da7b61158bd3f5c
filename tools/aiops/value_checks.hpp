#pragma once

// Checks of flag values that say what is wrong in plain words. CLI11's own checkers
// print "Could not convert: --jobs = -3" or a range ending in a 300-digit number; these
// say "must be a whole number from 0 to 1024, not '-3'". CLI11 puts the flag's name in
// front ("--jobs: must be ..."); the configuration file puts the key's ("'jobs' must
// be ...").

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace aiops::cli {

/// Requires a number from `least` to `most` (no upper bound when most is nullopt);
/// `whole` requires a whole number written without a fraction or exponent.
inline CLI::Validator number_range(double least, std::optional<double> most, bool whole)
{
    const std::string kind = whole ? "a whole number" : "a number";
    const std::string range =
        most ? fmt::format("from {} to {}", least, *most) : fmt::format("of at least {}", least);
    const std::string expected = fmt::format("{} {}", kind, range);
    return CLI::Validator(
        [expected, least, most, whole](std::string& value) {
            double number = 0;
            bool read = false;
            const char* end = value.data() + value.size();
            if (whole) {
                long long integer = 0;
                const auto [stop, failure] = std::from_chars(value.data(), end, integer);
                read = !value.empty() && failure == std::errc() && stop == end;
                number = static_cast<double>(integer);
            } else {
                const auto [stop, failure] = std::from_chars(value.data(), end, number);
                read = !value.empty() && failure == std::errc() && stop == end
                       && std::isfinite(number);
            }
            if (!read || number < least || (most && number > *most)) {
                return fmt::format("must be {}, not '{}'", expected, value);
            }
            return std::string();
        },
        most ? fmt::format("{} to {}", least, *most) : fmt::format("{} or more", least));
}

/// Requires one of the words given.
inline CLI::Validator one_of(std::vector<std::string> words)
{
    const std::string listed = fmt::format("{}", fmt::join(words, ", "));
    return CLI::Validator(
        [words, listed](std::string& value) {
            if (std::find(words.begin(), words.end(), value) != words.end()) {
                return std::string();
            }
            return fmt::format("must be one of {}, not '{}'", listed, value);
        },
        fmt::format("{{{}}}", fmt::join(words, ",")));
}

/// The number of jobs a flag such as --jobs takes: 0 means one per core.
inline CLI::Validator job_count()
{
    return number_range(0, 1024, /*whole=*/true);
}

} // namespace aiops::cli
