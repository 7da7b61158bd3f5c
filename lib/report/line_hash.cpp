#include "report/line_hash.hpp"

#include "core/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace aiops::report {

namespace {

constexpr std::size_t k_window = 100;
constexpr std::uint64_t k_multiplier = 37;
// The end of the input counts as one character with this code, as in the original.
constexpr std::uint16_t k_end_of_input = 65535;

/// How many times each hash has been seen: an open-addressing table, since a file of
/// thousands of lines counts one hash a line and a node-based map allocates each.
class OccurrenceCounter
{
public:
    /// Counts one more occurrence of the hash and returns how many there are now.
    int add(std::uint64_t hash)
    {
        if ((m_used + 1) * 2 > m_slots.size()) {
            grow();
        }
        auto& slot = find(hash);
        if (slot.second == 0) {
            slot.first = hash;
            ++m_used;
        }
        return ++slot.second;
    }

private:
    // The slot of the hash, or the empty one (count 0) where it would go.
    std::pair<std::uint64_t, int>& find(std::uint64_t hash)
    {
        const std::size_t mask = m_slots.size() - 1;
        // The hash's low bits are mixed: the rolling hash of similar lines differs
        // most in its high bits.
        std::size_t at = static_cast<std::size_t>((hash * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
        while (m_slots[at].second != 0 && m_slots[at].first != hash) {
            at = (at + 1) & mask;
        }
        return m_slots[at];
    }

    void grow()
    {
        std::vector<std::pair<std::uint64_t, int>> old(
            std::max<std::size_t>(64, m_slots.size() * 2));
        old.swap(m_slots);
        for (const auto& entry : old) {
            if (entry.second != 0) {
                find(entry.first) = entry;
            }
        }
    }

    std::vector<std::pair<std::uint64_t, int>> m_slots;
    std::size_t m_used = 0;
};

class RollingLineHasher
{
public:
    RollingLineHasher()
    {
        m_line_of_slot.fill(0);
        m_window.fill(0);
        for (std::size_t i = 0; i < k_window; ++i) {
            m_first_power *= k_multiplier;
        }
    }

    void feed(std::uint16_t unit)
    {
        if (unit == ' ' || unit == '\t' || (m_previous_cr && unit == '\n')) {
            m_previous_cr = false;
            return;
        }
        if (unit == '\r') {
            unit = '\n';
            m_previous_cr = true;
        } else {
            m_previous_cr = false;
        }
        if (m_line_of_slot[m_index] != 0) {
            emit();
        }
        if (m_at_line_start) {
            m_at_line_start = false;
            m_line_of_slot[m_index] = ++m_line;
        }
        if (unit == '\n') {
            m_at_line_start = true;
        }
        push(unit);
    }

    std::vector<std::pair<std::uint64_t, int>> finish()
    {
        feed(k_end_of_input);
        for (std::size_t i = 0; i < k_window; ++i) {
            if (m_line_of_slot[m_index] != 0) {
                emit();
            }
            push(0);
        }
        return std::move(m_hashes);
    }

    /// How many lines, from the first, have their hashes.
    std::size_t lines_done() const { return m_done; }

    /// The hashes of the first `lines` lines, when that many are done.
    std::vector<std::pair<std::uint64_t, int>> take(std::size_t lines)
    {
        m_hashes.resize(lines);
        return std::move(m_hashes);
    }

private:
    void push(std::uint16_t unit)
    {
        const std::uint16_t leaving = m_window[m_index];
        m_window[m_index] = unit;
        // Unsigned arithmetic wraps exactly as the original's signed 64-bit Long does.
        m_hash = k_multiplier * m_hash + unit - m_first_power * leaving;
        m_index = m_index + 1 == k_window ? 0 : m_index + 1;
    }

    // Lines are numbered as they are emitted, in order; only the text is deferred,
    // since callers want a few lines of a file and formatting every one costs more
    // than hashing it.
    void emit()
    {
        const int occurrence = m_counts.add(m_hash);
        const std::size_t line = m_line_of_slot[m_index];
        if (m_hashes.size() < line) {
            m_hashes.resize(line);
        }
        m_hashes[line - 1] = {m_hash, occurrence};
        m_line_of_slot[m_index] = 0;
        m_done = line; // lines are emitted in order
    }

    std::array<std::uint16_t, k_window> m_window{};
    std::array<std::size_t, k_window> m_line_of_slot{};
    std::uint64_t m_hash = 0;
    std::uint64_t m_first_power = 1;
    std::size_t m_index = 0;
    std::size_t m_line = 0;
    std::size_t m_done = 0;
    bool m_at_line_start = true;
    bool m_previous_cr = false;
    OccurrenceCounter m_counts;
    std::vector<std::pair<std::uint64_t, int>> m_hashes;
};

} // namespace

std::vector<std::string> line_hashes(std::string_view text)
{
    std::vector<std::string> out;
    for (const auto& [hash, occurrence] : hash_lines(text)) {
        out.push_back(fmt::format("{:x}:{}", hash, occurrence));
    }
    return out;
}

std::vector<std::pair<std::uint64_t, int>> hash_lines(std::string_view text,
                                                      std::size_t through_line)
{
    RollingLineHasher hasher;
    // Fed a line at a time, so that the work stops once the lines asked for are done:
    // a line's hash depends only on the text before the end of its window.
    std::size_t offset = 0;
    while (offset < text.size()) {
        const std::size_t newline = text.find('\n', offset);
        const std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
        core::for_each_utf16_unit(text.substr(offset, end - offset),
                                  [&](std::uint16_t unit) { hasher.feed(unit); });
        offset = end;
        if (hasher.lines_done() >= through_line) {
            return hasher.take(through_line);
        }
    }
    return hasher.finish();
}

void attach_line_hashes(std::vector<core::Finding>& findings_of_one_file, std::string_view text)
{
    std::size_t last_line = 0;
    for (const auto& finding : findings_of_one_file) {
        last_line = std::max(last_line, static_cast<std::size_t>(finding.location.start_line));
    }
    if (last_line == 0) {
        return;
    }
    const auto hashes = hash_lines(text, last_line);
    for (auto& finding : findings_of_one_file) {
        const auto line = static_cast<std::size_t>(finding.location.start_line);
        if (line >= 1 && line <= hashes.size()) {
            finding.line_hash = format_line_hash(hashes[line - 1]);
        }
    }
}

std::string format_line_hash(const std::pair<std::uint64_t, int>& hash)
{
    return fmt::format("{:x}:{}", hash.first, hash.second);
}

} // namespace aiops::report
