#include "scan/keywords.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
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
    m_outputs[static_cast<std::size_t>(state)].push_back(id);
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

} // namespace aiops::scan
