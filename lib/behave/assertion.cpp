#include "behave/assertion.hpp"

#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "source/syntax_tree.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace aiops::behave {

namespace {

using Kind = Assertion::Kind;

std::string_view stream_text(const Assertion& assertion, const TrialOutput& trial)
{
    return assertion.stream == Stream::stderr_stream ? std::string_view(trial.stderr_text)
                                                     : std::string_view(trial.output);
}

// The simple lowercase of a letter of the Latin-1, Latin Extended-A, Greek and Cyrillic
// blocks, where nearly every model answer that is not English falls; other code points
// stay as they are.
char32_t fold_code_point(char32_t c)
{
    const auto in = [c](char32_t first, char32_t last) { return c >= first && c <= last; };
    if (in(U'A', U'Z') || (in(0xC0, 0xDE) && c != 0xD7) || in(0x391, 0x3AB) || in(0x410, 0x42F)) {
        return c == 0x3A2 ? c : c + 0x20;
    }
    if ((in(0x100, 0x137) && c != 0x130) || in(0x14A, 0x177)) {
        return c | 1U;
    }
    if (in(0x139, 0x148) || in(0x179, 0x17E)) {
        return c % 2 == 1 ? c + 1 : c;
    }
    if (in(0x400, 0x40F)) {
        return c + 0x50;
    }
    switch (c) {
    case 0x130: // capital I with a dot
        return U'i';
    case 0x178:
        return 0xFF;
    case 0x386:
        return 0x3AC;
    case 0x388:
    case 0x389:
    case 0x38A:
        return c + 0x25;
    case 0x38C:
        return 0x3CC;
    case 0x38E:
    case 0x38F:
        return c + 0x3F;
    case 0x3C2: // final sigma folds to sigma, as in Unicode case folding
        return 0x3C3;
    default:
        return c;
    }
}

} // namespace

std::string fold_case(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const auto decoded = core::decode_utf8(text, at);
        if (decoded.valid) {
            core::append_utf8(out, fold_code_point(decoded.code_point));
        } else {
            out += text[at];
        }
        at += decoded.length;
    }
    return out;
}

namespace {

std::string shown(std::string_view text)
{
    return "'" + core::quote_for_message(text, 60) + "'";
}

std::optional<nlohmann::json> parse_json(std::string_view text)
{
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

/// Whether `haystack` holds `needle`: a substring of a string, an element of an array.
bool json_contains(const nlohmann::json& haystack, const nlohmann::json& needle)
{
    if (haystack.is_string() && needle.is_string()) {
        return haystack.get_ref<const std::string&>().find(needle.get_ref<const std::string&>())
               != std::string::npos;
    }
    if (haystack.is_array()) {
        return std::find(haystack.begin(), haystack.end(), needle) != haystack.end();
    }
    return false;
}

AssertionOutcome check_json_path(const Assertion& assertion, std::string_view text)
{
    const auto document = parse_json(text);
    if (!document) {
        return {false, "the output is not JSON"};
    }
    const auto selected = assertion.path->select(*document);
    if (selected.empty()) {
        return {false, fmt::format("'{}' selects nothing", assertion.path->text())};
    }
    // One match is compared as itself; several as the list of them.
    nlohmann::json value = *selected.front();
    if (selected.size() > 1) {
        value = nlohmann::json::array();
        for (const auto* match : selected) {
            value.push_back(*match);
        }
    }
    if (assertion.path_equals) {
        if (value == *assertion.path_equals) {
            return {true, {}};
        }
        return {false,
                fmt::format("'{}' is {}, expected {}",
                            assertion.path->text(),
                            shown(value.dump()),
                            shown(assertion.path_equals->dump()))};
    }
    if (assertion.path_contains) {
        if (json_contains(value, *assertion.path_contains)) {
            return {true, {}};
        }
        return {false,
                fmt::format("'{}' is {}, which does not contain {}",
                            assertion.path->text(),
                            shown(value.dump()),
                            shown(assertion.path_contains->dump()))};
    }
    return {true, {}};
}

// The tree-sitter grammar of JSON takes an empty text and comments; a model's JSON is
// read by strict parsers, so JSON is held to the standard, as is-json holds it.
AssertionOutcome check_valid_json(const Assertion& assertion, std::string_view text)
{
    try {
        [[maybe_unused]] const auto document = nlohmann::json::parse(text);
        return {true, {}};
    } catch (const nlohmann::json::parse_error& error) {
        // "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error
        // while parsing object - ..."; the byte is said on its own.
        std::string reason = error.what();
        if (const std::size_t colon = reason.find(": ", reason.find("parse error"));
            colon != std::string::npos) {
            reason = reason.substr(colon + 2);
        }
        const std::size_t byte = error.byte == 0 ? 0 : error.byte - 1;
        return {false,
                fmt::format("1 syntax problem(s) as {}, the first at byte {}: {}",
                            assertion.text,
                            std::min(byte, text.size()),
                            reason)};
    }
}

AssertionOutcome check_valid_code(const Assertion& assertion, std::string_view text)
{
    if (assertion.language == source::Language::json) {
        return check_valid_json(assertion, text);
    }
    auto tree = source::parse(assertion.language, text, std::chrono::milliseconds(5000));
    if (!tree) {
        return {false, tree.error().message()};
    }
    std::size_t total = 0;
    const auto problems = source::find_syntax_problems(*tree, 1, total);
    if (problems.empty()) {
        return {true, {}};
    }
    return {false,
            fmt::format("{} syntax problem(s) as {}, the first at byte {}: {}",
                        total,
                        assertion.text,
                        problems.front().start_byte,
                        problems.front().message)};
}

AssertionOutcome check_plain(const Assertion& assertion, const TrialOutput& trial)
{
    const std::string_view text = stream_text(assertion, trial);
    const auto verdict = [](bool passed, std::string message) {
        return AssertionOutcome{passed, passed ? std::string() : std::move(message)};
    };
    switch (assertion.kind) {
    case Kind::equals:
        return verdict(text == assertion.text,
                       fmt::format("expected {}, got {}", shown(assertion.text), shown(text)));
    case Kind::contains:
        return verdict(text.find(assertion.text) != std::string_view::npos,
                       fmt::format("{} does not contain {}", shown(text), shown(assertion.text)));
    case Kind::icontains:
        return verdict(fold_case(text).find(fold_case(assertion.text)) != std::string::npos,
                       fmt::format("{} does not contain {} (ignoring case)",
                                   shown(text),
                                   shown(assertion.text)));
    case Kind::not_contains:
        return verdict(text.find(assertion.text) == std::string_view::npos,
                       fmt::format("{} contains {}", shown(text), shown(assertion.text)));
    case Kind::regex:
        return verdict(
            RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *assertion.regex),
            fmt::format("{} does not match /{}/", shown(text), assertion.text));
    case Kind::starts_with:
        return verdict(
            text.substr(0, assertion.text.size()) == assertion.text,
            fmt::format("{} does not start with {}", shown(text), shown(assertion.text)));
    case Kind::is_json:
        return verdict(parse_json(text).has_value(), fmt::format("{} is not JSON", shown(text)));
    case Kind::json_schema: {
        const auto document = parse_json(text);
        if (!document) {
            return {false, fmt::format("{} is not JSON", shown(text))};
        }
        const auto problems = assertion.schema->validate(*document, 3);
        std::string joined;
        for (const auto& problem : problems) {
            joined += (joined.empty() ? "" : "; ") + problem;
        }
        return verdict(problems.empty(), "the output does not match the schema: " + joined);
    }
    case Kind::json_path:
        return check_json_path(assertion, text);
    case Kind::max_length:
    case Kind::min_length: {
        const auto length = static_cast<double>(core::count_code_points(text));
        const bool most = assertion.kind == Kind::max_length;
        return verdict(most ? length <= assertion.number : length >= assertion.number,
                       fmt::format("{} characters, expected {} {}",
                                   length,
                                   most ? "at most" : "at least",
                                   assertion.number));
    }
    case Kind::valid_code:
        return check_valid_code(assertion, text);
    case Kind::max_latency_ms:
        return verdict(
            trial.latency_ms <= assertion.number,
            fmt::format("took {:.0f} ms, more than {} ms", trial.latency_ms, assertion.number));
    case Kind::max_cost:
        return verdict(
            trial.cost_usd <= assertion.number,
            fmt::format("cost ${:.6f}, more than ${}", trial.cost_usd, assertion.number));
    case Kind::exit_code:
        return verdict(trial.exit_code == static_cast<int>(assertion.number),
                       fmt::format("exit code {}, expected {}", trial.exit_code, assertion.number));
    }
    return {false, "unknown assertion"};
}

} // namespace

namespace {

// A check that cannot be made must not pass, neither as itself nor under `not:`.
std::optional<std::string> unjudgeable(const Assertion& assertion, const TrialOutput& trial)
{
    if (assertion.kind == Kind::max_latency_ms && !trial.latency_known) {
        return "the reply came from a cache entry that recorded no latency (written by an "
               "older aiops): record it again with a live run";
    }
    if (assertion.kind == Kind::max_cost && !trial.cost_known) {
        return "the model has no price, so its cost is not known: give one with --prices";
    }
    return std::nullopt;
}

} // namespace

AssertionOutcome check_assertion(const Assertion& assertion, const TrialOutput& trial)
{
    if (const auto reason = unjudgeable(assertion, trial)) {
        return {false, fmt::format("{}: {}", assertion.name, *reason)};
    }
    AssertionOutcome outcome = check_plain(assertion, trial);
    if (!assertion.negated) {
        if (!outcome.passed) {
            outcome.message = fmt::format("{}: {}", assertion.name, outcome.message);
        }
        return outcome;
    }
    if (outcome.passed) {
        return {false, fmt::format("not {}: the assertion holds", assertion.name)};
    }
    return {true, {}};
}

namespace {

// Numbers compare by value, as RFC 8785 writes them: a float that holds a whole number
// within 2^53 becomes that integer (1.0 and 1e2 as 1 and 100), so it prints as the same
// text as the integer; other floats keep the shortest form that reads back the same.
nlohmann::json canonical_numbers(nlohmann::json value)
{
    if (value.is_structured()) {
        for (auto& child : value) {
            child = canonical_numbers(std::move(child));
        }
        return value;
    }
    if (value.is_number_float()) {
        const double number = value.get<double>();
        constexpr double k_exact_integers = 9007199254740992.0; // 2^53
        if (std::trunc(number) == number && std::fabs(number) <= k_exact_integers) {
            return static_cast<std::int64_t>(number);
        }
    }
    if (value.is_number_unsigned()) {
        // An unsigned and a signed integer of one value print alike, but compare by type.
        const auto number = value.get<std::uint64_t>();
        if (number <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return static_cast<std::int64_t>(number);
        }
    }
    return value;
}

} // namespace

std::string normalise_output(std::string_view text, Normalisation normalisation)
{
    switch (normalisation) {
    case Normalisation::exact:
        return std::string(text);
    case Normalisation::whitespace:
        return core::normalise_whitespace(text);
    case Normalisation::case_fold:
        return fold_case(core::normalise_whitespace(text));
    case Normalisation::json:
        if (auto document = parse_json(text)) {
            // nlohmann::json keeps object keys sorted, so dump() is canonical once every
            // number is written one way for its value.
            return canonical_numbers(std::move(*document)).dump();
        }
        return std::string(text);
    }
    return std::string(text);
}

} // namespace aiops::behave
