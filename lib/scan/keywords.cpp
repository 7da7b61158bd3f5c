#include "scan/keywords.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <queue>

namespace aiops::scan {

std::optional<std::pair<std::string, std::string>> match_range(const re2::RE2& regex,
                                                               int max_length)
{
    const re2::RE2 copy(regex.pattern(), regex.options());
    std::pair<std::string, std::string> range;
    if (!copy.PossibleMatchRange(&range.first, &range.second, max_length)) {
        return std::nullopt;
    }
    return range;
}

std::string match_prefix(const re2::RE2& regex, int max_length)
{
    const auto range = match_range(regex, max_length);
    return range ? match_prefix(*range) : std::string();
}

std::string match_prefix(const std::pair<std::string, std::string>& range)
{
    const auto& [least, greatest] = range;
    std::size_t common = 0;
    while (common < least.size() && common < greatest.size() && least[common] == greatest[common]) {
        ++common;
    }
    return least.substr(0, common);
}

void KeywordAutomaton::add(std::string_view keyword, int id)
{
    int state = 0;
    for (const char c : keyword) {
        const auto byte = static_cast<unsigned char>(c);
        auto& next = m_trie[static_cast<std::size_t>(state)];
        const auto found = std::find_if(
            next.begin(), next.end(), [&](const auto& edge) { return edge.first == byte; });
        if (found != next.end()) {
            state = found->second;
            continue;
        }
        m_trie.emplace_back();
        m_outputs.emplace_back();
        const int created = static_cast<int>(m_trie.size()) - 1;
        m_trie[static_cast<std::size_t>(state)].emplace_back(byte, created);
        state = created;
    }
    m_outputs[static_cast<std::size_t>(state)].push_back(
        {id, static_cast<std::uint32_t>(keyword.size())});
    m_longest = std::max(m_longest, keyword.size());
}

void KeywordAutomaton::build()
{
    std::array<bool, 256> used{};
    for (const auto& edges : m_trie) {
        for (const auto& [byte, target] : edges) {
            used[byte] = true;
        }
    }
    m_classes = 1;
    for (std::size_t b = 0; b < 256; ++b) {
        const auto folded = static_cast<unsigned char>(b < 128 ? std::tolower(static_cast<int>(b))
                                                               : static_cast<int>(b));
        if (used[folded] && m_class[folded] == 0) {
            m_class[folded] = static_cast<std::uint8_t>(m_classes++);
        }
    }
    for (std::size_t b = 0; b < 256; ++b) {
        const auto folded = static_cast<unsigned char>(b < 128 ? std::tolower(static_cast<int>(b))
                                                               : static_cast<int>(b));
        m_class[b] = m_class[folded];
    }
    const std::size_t states = m_trie.size();
    std::vector<int> delta(states * m_classes, 0);
    std::vector<int> fail(states, 0);
    std::queue<int> pending;
    for (const auto& [byte, target] : m_trie[0]) {
        delta[m_class[byte]] = target;
        pending.push(target);
    }
    while (!pending.empty()) {
        const int state = pending.front();
        pending.pop();
        const auto s = static_cast<std::size_t>(state);
        const auto& failed_out = m_outputs[static_cast<std::size_t>(fail[s])];
        m_outputs[s].insert(m_outputs[s].end(), failed_out.begin(), failed_out.end());
        for (std::size_t c = 0; c < m_classes; ++c) {
            delta[s * m_classes + c] = delta[static_cast<std::size_t>(fail[s]) * m_classes + c];
        }
        for (const auto& [byte, target] : m_trie[s]) {
            const auto t = static_cast<std::size_t>(target);
            fail[t] = state == 0
                          ? 0
                          : delta[static_cast<std::size_t>(fail[s]) * m_classes + m_class[byte]];
            delta[s * m_classes + m_class[byte]] = target;
            pending.push(target);
        }
    }
    m_row.resize(delta.size());
    for (std::size_t i = 0; i < delta.size(); ++i) {
        const auto target = static_cast<std::size_t>(delta[i]);
        m_row[i] = static_cast<std::uint32_t>(target * m_classes * 2
                                              + (m_outputs[target].empty() ? 0 : 1));
    }
}

std::vector<KeywordHit> KeywordAutomaton::hits(std::string_view text) const
{
    std::vector<KeywordHit> out;
    const auto add_to = [](std::vector<KeywordHit>& list) {
        return [&list](int id, std::size_t last) { list.push_back({id, last}); };
    };
    // Below this, splitting the text saves less than merging the halves' hits costs.
    constexpr std::size_t k_split_length = 4096;
    if (m_trie.size() <= 1 || text.size() < k_split_length) {
        find(text, add_to(out));
        return out;
    }
    // The first search starts at 0 and reports the keywords that start before `half`:
    // it reads on past `half` far enough for the longest keyword to end. The second
    // starts afresh at `half`, so it finds exactly the keywords that start there or later.
    const std::size_t half = text.size() / 2;
    const std::size_t first_end = std::min(text.size(), half + m_longest - 1);
    std::vector<KeywordHit> second;
    const std::uint32_t* rows = m_row.data();
    const auto report = [&](std::uint32_t row, std::size_t at, std::vector<KeywordHit>& list) {
        for (const Output& output : outputs(row)) {
            list.push_back({output.id, at});
        }
    };
    std::uint32_t first_row = 0;
    std::uint32_t second_row = 0;
    for (std::size_t i = 0; i < half; ++i) {
        const bool first_hit = step(rows, first_row, text[i]);
        const bool second_hit = step(rows, second_row, text[half + i]);
        if (first_hit) {
            report(first_row, i, out);
        }
        if (second_hit) {
            report(second_row, half + i, second);
        }
    }
    for (std::size_t i = 2 * half; i < text.size(); ++i) {
        if (step(rows, second_row, text[i])) {
            report(second_row, i, second);
        }
    }
    for (std::size_t i = half; i < first_end; ++i) {
        if (step(rows, first_row, text[i])) {
            for (const Output& output : outputs(first_row)) {
                if (i + 1 < half + output.length) { // it starts before half
                    out.push_back({output.id, i});
                }
            }
        }
    }
    // Both lists are in text order; at one byte, the first search's keywords are the
    // longer ones, which a single search reports first, and std::merge keeps them first.
    std::vector<KeywordHit> merged;
    merged.reserve(out.size() + second.size());
    std::merge(out.begin(),
               out.end(),
               second.begin(),
               second.end(),
               std::back_inserter(merged),
               [](const KeywordHit& a, const KeywordHit& b) { return a.last < b.last; });
    return merged;
}

} // namespace aiops::scan
