// Version constraints on Python and on packages, as PEP 440 specifier sets
// (">=3.9,<4", "!=3.8.*,>=3.8") and as Poetry writes them ("^3.10 || ^3.8", ">=3.8 <4",
// "~2.1"): checking Poetry's syntax, and the lowest Python version a constraint allows.

#include "core/strings.hpp"
#include "validate/manifests.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace aiops::validate {

namespace {

/// One comparison of a constraint: an operator and a release ("3.8", "3.8.*").
struct Clause
{
    std::string op; ///< "" is Poetry's exact version
    std::vector<int> release;
    bool wildcard = false; ///< "3.8.*"
    bool any = false;      ///< "*": every version
};

/// Alternatives (joined by "||"), each a list of clauses that must all hold.
using Constraint = std::vector<std::vector<Clause>>;

constexpr std::array<std::string_view, 11> k_operators{
    "", "==", "!=", ">=", "<=", ">", "<", "~=", "^", "~", "==="};

bool is_digit(char c)
{
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

/// Reads a constraint; on failure sets error_offset and message.
std::optional<Constraint>
read_constraint(std::string_view text, std::size_t& error_offset, std::string& message)
{
    Constraint constraint(1);
    std::size_t i = 0;
    const auto fail = [&](std::size_t at, std::string why) -> std::optional<Constraint> {
        error_offset = at;
        message = std::move(why);
        return std::nullopt;
    };
    while (true) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ',')) {
            ++i;
        }
        if (i == text.size()) {
            break;
        }
        if (text.substr(i).starts_with("||")) {
            if (constraint.back().empty()) {
                return fail(i, "expected a version constraint before '||'");
            }
            constraint.emplace_back();
            i += 2;
            continue;
        }
        const std::size_t op_start = i;
        while (i < text.size()
               && std::string_view("<>=!~^").find(text[i]) != std::string_view::npos) {
            ++i;
        }
        Clause clause;
        clause.op = std::string(text.substr(op_start, i - op_start));
        if (std::find(k_operators.begin(), k_operators.end(), clause.op) == k_operators.end()) {
            return fail(op_start, fmt::format("'{}' is not a version operator", clause.op));
        }
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
            ++i;
        }
        if (i < text.size() && text[i] == '*' && (clause.op.empty() || clause.op == "==")) {
            clause.any = true;
            ++i;
            constraint.back().push_back(std::move(clause));
            continue;
        }
        if (i == text.size() || !is_digit(text[i])) {
            const std::string_view rest = text.substr(i, text.find_first_of(" \t,", i) - i);
            return fail(i,
                        rest.empty() ? fmt::format("expected a version after '{}'", clause.op)
                                     : fmt::format("expected a version, found '{}'", rest));
        }
        while (i < text.size() && is_digit(text[i])) {
            int part = 0;
            while (i < text.size() && is_digit(text[i])) {
                part = std::min(part * 10 + (text[i] - '0'), 1'000'000);
                ++i;
            }
            clause.release.push_back(part);
            if (text.substr(i).starts_with(".*")) {
                clause.wildcard = true;
                i += 2;
                break;
            }
            if (i + 1 < text.size() && text[i] == '.' && is_digit(text[i + 1])) {
                ++i;
            }
        }
        // A pre-release, post-release or local part ("rc1", "-beta.2", "+local").
        if (!clause.wildcard && i < text.size()
            && (std::isalpha(static_cast<unsigned char>(text[i])) != 0 || text[i] == '-'
                || text[i] == '+' || text[i] == '.')) {
            while (i < text.size()
                   && (std::isalnum(static_cast<unsigned char>(text[i])) != 0
                       || std::string_view(".-+_").find(text[i]) != std::string_view::npos)) {
                ++i;
            }
        }
        if (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != ','
            && text[i] != '|') {
            return fail(i, fmt::format("unexpected '{}' in a version constraint", text[i]));
        }
        constraint.back().push_back(std::move(clause));
    }
    if (constraint.back().empty() && constraint.size() > 1) {
        return fail(text.size(), "expected a version constraint after '||'");
    }
    return constraint;
}

using Release = std::array<int, 3>;

int compare(const Release& version, const std::vector<int>& release)
{
    const std::size_t length = std::max<std::size_t>(3, release.size());
    for (std::size_t k = 0; k < length; ++k) {
        const int a = k < 3 ? version[k] : 0;
        const int b = k < release.size() ? release[k] : 0;
        if (a != b) {
            return a < b ? -1 : 1;
        }
    }
    return 0;
}

bool starts_with(const Release& version, const std::vector<int>& prefix)
{
    for (std::size_t k = 0; k < prefix.size(); ++k) {
        if ((k < 3 ? version[k] : 0) != prefix[k]) {
            return false;
        }
    }
    return true;
}

// The release just past the ones ^ or ~ allow: ^3.10 allows up to 4, ~3.10 up to 3.11.
std::vector<int> caret_limit(const std::vector<int>& release)
{
    std::size_t k = 0;
    while (k + 1 < release.size() && release[k] == 0) {
        ++k;
    }
    std::vector<int> limit(release.begin(), release.begin() + static_cast<long>(k) + 1);
    ++limit.back();
    return limit;
}

std::vector<int> tilde_limit(const std::vector<int>& release)
{
    std::vector<int> limit(release.begin(), release.begin() + (release.size() >= 2 ? 2 : 1));
    ++limit.back();
    return limit;
}

bool satisfies(const Release& version, const Clause& clause)
{
    if (clause.any) {
        return true;
    }
    const int order = compare(version, clause.release);
    const std::string& op = clause.op;
    if (op.empty() || op == "==" || op == "===") {
        return clause.wildcard ? starts_with(version, clause.release) : order == 0;
    }
    if (op == "!=") {
        return clause.wildcard ? !starts_with(version, clause.release) : order != 0;
    }
    if (op == ">=") {
        return order >= 0;
    }
    if (op == "<=") {
        return order <= 0;
    }
    if (op == ">") {
        return order > 0;
    }
    if (op == "<") {
        return order < 0;
    }
    if (op == "~=") {
        const std::vector<int> prefix(clause.release.begin(), clause.release.end() - 1);
        return order >= 0 && starts_with(version, prefix);
    }
    const std::vector<int> limit =
        op == "^" ? caret_limit(clause.release) : tilde_limit(clause.release);
    return order >= 0 && compare(version, limit) < 0;
}

bool allows(const Constraint& constraint, const Release& version)
{
    return std::any_of(constraint.begin(), constraint.end(), [&](const auto& clauses) {
        return std::all_of(clauses.begin(), clauses.end(), [&](const Clause& clause) {
            return satisfies(version, clause);
        });
    });
}

// Releases of a minor version tried: enough patch levels for any constraint written
// against real Python releases (">3.8" holds for 3.8.1).
constexpr int k_patches_tried = 100;
constexpr int k_minors_tried = 100;

} // namespace

std::optional<PythonVersion> lowest_python(std::string_view specifier)
{
    std::size_t error_offset = 0;
    std::string message;
    const auto constraint = read_constraint(specifier, error_offset, message);
    if (!constraint) {
        return std::nullopt;
    }
    const bool unbounded = std::any_of(constraint->begin(), constraint->end(), [](const auto& all) {
        return std::all_of(all.begin(), all.end(), [](const Clause& c) { return c.any; });
    });
    if (unbounded) {
        return std::nullopt;
    }
    for (int minor = 0; minor < k_minors_tried; ++minor) {
        for (int patch = 0; patch < k_patches_tried; ++patch) {
            if (allows(*constraint, Release{3, minor, patch})) {
                return PythonVersion{3, minor};
            }
        }
    }
    return std::nullopt;
}

core::Result<bool> check_poetry_constraint(std::string_view constraint, std::size_t& error_offset)
{
    std::string message;
    if (!read_constraint(constraint, error_offset, message)) {
        return core::Error(core::ErrorCode::input, message);
    }
    if (core::trim(constraint).empty()) {
        error_offset = 0;
        return core::Error(core::ErrorCode::input, "the version constraint is empty");
    }
    return true;
}

} // namespace aiops::validate
