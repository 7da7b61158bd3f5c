#include "prompt/text_diff.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace aiops::prompt {

namespace {

using Kind = DiffLine::Kind;

/// The furthest-reaching x on each diagonal k, stored at k + offset.
using Frontier = std::vector<std::ptrdiff_t>;

/// Runs the greedy forward pass and keeps the frontier of every step, which the
/// backtrack needs to recover the path.
std::vector<Frontier> forward_pass(const std::vector<std::string>& a,
                                   const std::vector<std::string>& b)
{
    const auto n = static_cast<std::ptrdiff_t>(a.size());
    const auto m = static_cast<std::ptrdiff_t>(b.size());
    const std::ptrdiff_t max = n + m;
    const std::ptrdiff_t offset = max + 1;
    Frontier frontier(static_cast<std::size_t>(2 * max + 3), 0);
    std::vector<Frontier> trace;
    for (std::ptrdiff_t d = 0; d <= max; ++d) {
        trace.push_back(frontier);
        for (std::ptrdiff_t k = -d; k <= d; k += 2) {
            const auto at = [&](std::ptrdiff_t diagonal) -> std::ptrdiff_t& {
                return frontier[static_cast<std::size_t>(diagonal + offset)];
            };
            std::ptrdiff_t x = 0;
            if (k == -d || (k != d && at(k - 1) < at(k + 1))) {
                x = at(k + 1); // a step down: a line of b is added
            } else {
                x = at(k - 1) + 1; // a step right: a line of a is removed
            }
            std::ptrdiff_t y = x - k;
            while (x < n && y < m
                   && a[static_cast<std::size_t>(x)] == b[static_cast<std::size_t>(y)]) {
                ++x;
                ++y;
            }
            at(k) = x;
            if (x >= n && y >= m) {
                trace.push_back(frontier);
                return trace;
            }
        }
    }
    trace.push_back(frontier);
    return trace;
}

} // namespace

std::vector<DiffLine> diff_lines(const std::vector<std::string>& a,
                                 const std::vector<std::string>& b)
{
    const std::vector<Frontier> trace = forward_pass(a, b);
    const auto n = static_cast<std::ptrdiff_t>(a.size());
    const auto m = static_cast<std::ptrdiff_t>(b.size());
    const std::ptrdiff_t offset = n + m + 1;
    std::vector<DiffLine> reversed;
    std::ptrdiff_t x = n;
    std::ptrdiff_t y = m;
    const auto same = [&](std::ptrdiff_t i, std::ptrdiff_t j) {
        reversed.push_back({Kind::same,
                            a[static_cast<std::size_t>(i)],
                            static_cast<std::size_t>(i + 1),
                            static_cast<std::size_t>(j + 1)});
    };
    // trace[d + 1] is the frontier after step d; trace[d] the one before it.
    for (auto d = static_cast<std::ptrdiff_t>(trace.size()) - 2; d > 0; --d) {
        const Frontier& before = trace[static_cast<std::size_t>(d)];
        const std::ptrdiff_t k = x - y;
        const auto at = [&](std::ptrdiff_t diagonal) {
            return before[static_cast<std::size_t>(diagonal + offset)];
        };
        const bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
        const std::ptrdiff_t previous_k = down ? k + 1 : k - 1;
        const std::ptrdiff_t previous_x = at(previous_k);
        const std::ptrdiff_t previous_y = previous_x - previous_k;
        const std::ptrdiff_t start_x = down ? previous_x : previous_x + 1;
        const std::ptrdiff_t start_y = start_x - k;
        while (x > start_x && y > start_y) {
            same(--x, --y);
        }
        if (down) {
            reversed.push_back({Kind::added,
                                b[static_cast<std::size_t>(previous_y)],
                                0,
                                static_cast<std::size_t>(previous_y + 1)});
        } else {
            reversed.push_back({Kind::removed,
                                a[static_cast<std::size_t>(previous_x)],
                                static_cast<std::size_t>(previous_x + 1),
                                0});
        }
        x = previous_x;
        y = previous_y;
    }
    while (x > 0 && y > 0) {
        same(--x, --y);
    }
    std::reverse(reversed.begin(), reversed.end());
    return reversed;
}

std::vector<std::string> text_lines(std::string_view text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            lines.emplace_back(text.substr(start));
            break;
        }
        lines.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

namespace {

/// A text's lines for diffing. When only one of the two texts ends with a newline, the
/// last line of the other carries a '\n' (which no line holds otherwise), so that it
/// differs from the same line with one, as in diff(1); when both or neither do, lines
/// are compared as they are and no marker is shown where it would say nothing.
std::vector<std::string> lines_marking_end(std::string_view text, std::string_view other)
{
    std::vector<std::string> lines = text_lines(text);
    const bool ends_differ =
        !text.empty() && !other.empty() && text.back() != '\n' && other.back() == '\n';
    if (ends_differ) {
        lines.back() += '\n';
    }
    return lines;
}

} // namespace

std::string unified_diff(std::string_view before,
                         std::string_view after,
                         std::string_view before_label,
                         std::string_view after_label,
                         std::size_t context,
                         std::string_view what)
{
    const std::vector<DiffLine> script =
        diff_lines(lines_marking_end(before, after), lines_marking_end(after, before));
    std::string out;
    std::size_t i = 0;
    while (i < script.size()) {
        if (script[i].kind == Kind::same) {
            ++i;
            continue;
        }
        // A hunk runs from `context` lines before the change to `context` lines after
        // the last change that is at most 2 * context lines from the next one.
        const std::size_t first = i > context ? i - context : 0;
        std::size_t last = i;
        for (std::size_t j = i; j < script.size(); ++j) {
            if (script[j].kind != Kind::same) {
                last = j;
            } else if (j - last > 2 * context) {
                break;
            }
        }
        const std::size_t end = std::min(script.size(), last + context + 1);
        std::size_t old_start = 0;
        std::size_t new_start = 0;
        std::size_t old_count = 0;
        std::size_t new_count = 0;
        std::string body;
        for (std::size_t j = first; j < end; ++j) {
            const DiffLine& line = script[j];
            const char marker = line.kind == Kind::same      ? ' '
                                : line.kind == Kind::removed ? '-'
                                                             : '+';
            if (line.kind != Kind::added) {
                old_start = old_start == 0 ? line.old_line : old_start;
                ++old_count;
            }
            if (line.kind != Kind::removed) {
                new_start = new_start == 0 ? line.new_line : new_start;
                ++new_count;
            }
            if (line.text.ends_with('\n')) {
                body += marker + line.text + fmt::format("\\ No newline at end of {}\n", what);
            } else {
                body += marker + line.text + "\n";
            }
        }
        // An empty side starts at the line before the hunk, as diff(1) writes it.
        if (old_count == 0) {
            old_start = first < script.size() && first > 0 ? script[first - 1].old_line : 0;
        }
        if (new_count == 0) {
            new_start = first < script.size() && first > 0 ? script[first - 1].new_line : 0;
        }
        if (out.empty()) {
            out += fmt::format("--- {}\n+++ {}\n", before_label, after_label);
        }
        out += fmt::format("@@ -{},{} +{},{} @@\n", old_start, old_count, new_start, new_count);
        out += body;
        i = end;
    }
    return out;
}

} // namespace aiops::prompt
